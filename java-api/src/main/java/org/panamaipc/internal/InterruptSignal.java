package org.panamaipc.internal;

import org.panamaipc.bindings.signal_h;
import org.panamaipc.bindings.sigaction;
import org.panamaipc.bindings.syscall_h;
import org.panamaipc.bindings.unistd_h;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;

/**
 * The signal that ends a thread's blocking system call with {@code EINTR}: the one the JDK uses to
 * release threads blocked in NIO calls on Linux ({@code sun.nio.ch.NativeThread}'s
 * {@code INTERRUPT_SIGNAL}, {@code SIGRTMAX - 2}), for which the JDK installs a handler that does
 * nothing, without {@code SA_RESTART}. panama-ipc installs no handler of its own (a handler that
 * ran Java code would be unsafe); it borrows the JDK's.
 *
 * <p>{@link #usable()} makes the JDK install its handler (by one blocking NIO write on a pipe),
 * then reads the signal's action with {@code sigaction(sig, NULL, &old)} and says yes only if a
 * handler is installed (neither {@code SIG_DFL}, which would kill the process, nor
 * {@code SIG_IGN}, which would not end the call), {@code SA_RESTART} is clear (with it the
 * kernel restarts the call instead of returning {@code EINTR}), and {@code tgkill} with signal 0
 * (which sends nothing) succeeds. The answer is computed once. When
 * it is no, callers wait in {@code poll(2)} instead, which an eventfd wakes.
 *
 * <p>A signal sent just before the target thread enters its system call runs the handler and is
 * gone; the call then blocks anyway. Callers therefore check for what the signal announces
 * (interrupt, close) after recording the thread and before the call, and bound every blocking
 * call so that a signal lost in that window delays the wake-up by at most one bound.
 */
public final class InterruptSignal {

    private InterruptSignal() {
    }

    /** {@return whether the signal may be sent: the JDK's handler is installed, without {@code SA_RESTART}} */
    public static boolean usable() {
        return Check.USABLE;
    }

    /** {@return the signal number, {@code SIGRTMAX - 2} (62 with glibc)} */
    public static int number() {
        return Check.SIGNAL;
    }

    /**
     * Sends the signal to thread {@code tid} of this process; the thread's blocking system call (if
     * it is in one) returns {@code EINTR}. Only to be called when {@link #usable()}.
     *
     * @return whether the kernel accepted it ({@code false} if the thread is gone)
     */
    public static boolean send(int tid) {
        return syscall_h.tgkill(Check.PID, tid, Check.SIGNAL) == 0;
    }

    /** {@return the calling thread's kernel thread id} */
    public static int currentTid() {
        return syscall_h.gettid();
    }

    /** Describes the signal's action now, for a test or a diagnostic: handler address and flags. */
    public static String describe() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment action = sigaction.allocate(arena);
            if (signal_h.sigaction(Check.SIGNAL, MemorySegment.NULL, action) != 0) {
                return "signal " + Check.SIGNAL + ": sigaction failed (" + Errno.name(Errno.last()) + ")";
            }
            return "signal " + Check.SIGNAL + ": handler=0x" + Long.toHexString(sigaction.sa_handler(action))
                    + " flags=0x" + Integer.toHexString(sigaction.sa_flags(action)) + " usable=" + Check.USABLE;
        }
    }

    private static final class Check {
        static final int SIGNAL = signal_h.SIGRTMAX() - 2;
        static final int PID = unistd_h.getpid();
        static final boolean USABLE = check();

        private static boolean check() {
            try {
                installJdkHandler();
            } catch (IOException | RuntimeException e) {
                return false;
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment action = sigaction.allocate(arena);
                if (signal_h.sigaction(SIGNAL, MemorySegment.NULL, action) != 0) {
                    return false;
                }
                long handler = sigaction.sa_handler(action);
                if (handler == signal_h.SIG_DFL().address() || handler == signal_h.SIG_IGN().address()
                        || (sigaction.sa_flags(action) & signal_h.SA_RESTART()) != 0) {
                    return false;
                }
            }
            // signal 0 sends nothing: proves tgkill works here, and links its downcall now rather
            // than in the first interrupt or close (creating a downcall handle takes milliseconds)
            return syscall_h.tgkill(PID, syscall_h.gettid(), 0) == 0;
        }

        /**
         * A blocking write to a pipe initialises {@code sun.nio.ch.NativeThread}, whose static
         * initialiser installs the handler. Through a public API only; {@link #check()} verifies
         * the outcome rather than trusting it.
         */
        private static void installJdkHandler() throws IOException {
            Pipe pipe = Pipe.open();
            try (Pipe.SinkChannel sink = pipe.sink(); Pipe.SourceChannel source = pipe.source()) {
                sink.write(ByteBuffer.allocate(1));
                source.read(ByteBuffer.allocate(1));
            }
        }
    }
}
