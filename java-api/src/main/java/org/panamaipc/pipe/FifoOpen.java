package org.panamaipc.pipe;

import org.panamaipc.bindings.errno_h;
import org.panamaipc.bindings.fcntl_h;
import org.panamaipc.internal.BlockedThreads;
import org.panamaipc.internal.Errno;
import org.panamaipc.internal.InterruptFd;
import org.panamaipc.internal.InterruptSignal;
import org.panamaipc.internal.Timeouts;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A blocking {@code open(2)} of a FIFO (which waits in the kernel until the other end is opened)
 * that ends at a deadline, on {@link Thread#interrupt()} and when its {@link NamedPipe} is closed.
 * No descriptor can wake a thread blocked in {@code open}, so each of these sends it
 * {@linkplain InterruptSignal the signal} that ends the call with {@code EINTR}: the interrupt
 * through {@link InterruptFd}, the close through {@link BlockedThreads}, and the deadline through a
 * timer thread. The wait goes in slices of at most {@link #SLICE_NANOS}: at each slice's end the
 * timer signals the thread (and again every {@link #RESIGNAL_NANOS} until it has left the call), and
 * the thread checks why it woke and opens again. A signal that lands just before the thread enters
 * {@code open} is lost; the next one is at most a slice away.
 *
 * <p>An {@code open} that {@code EINTR} ends never counts as an end of the FIFO for the other side:
 * the kernel decides under the pipe's lock whether the other end came (the open then succeeds) or
 * not (the open fails and leaves no trace).
 */
final class FifoOpen {

    /** The longest one {@code open} waits before the thread checks its deadline, interrupt and close again. */
    static final long SLICE_NANOS = 100_000_000L;
    /** How often the timer signals again a thread that has not yet left its {@code open}. */
    private static final long RESIGNAL_NANOS = 10_000_000L;

    private FifoOpen() {
    }

    /** {@return whether the signal is usable, so {@link #open} may be called} */
    static boolean available() {
        return InterruptSignal.usable();
    }

    /**
     * Opens {@code path} with {@code flags} (without {@code O_NONBLOCK}), waiting until the other
     * end is opened, the deadline passes ({@return -1}), the thread is interrupted, or
     * {@code closed} says the pipe was closed (then {@return -2}). Other failures: {@return minus
     * the errno}. Only when {@link #available()}.
     */
    static int open(MemorySegment path, int flags, long deadline, BlockedThreads blocked, BooleanSupplier closed)
            throws InterruptedException {
        InterruptFd interrupt = InterruptFd.current();
        interrupt.arm();
        blocked.add(interrupt);
        try {
            while (true) {
                long remaining = Timeouts.remaining(deadline);
                if (remaining <= 0) {
                    return -1;
                }
                ScheduledFuture<?> waker = Timer.INSTANCE.scheduleWithFixedDelay(interrupt::wakeBlockingCall,
                        Math.min(remaining, SLICE_NANOS), RESIGNAL_NANOS, TimeUnit.NANOSECONDS);
                int fd;
                int errno = 0;
                try {
                    interrupt.enterBlockingCall();
                    try {
                        if (Thread.interrupted()) {
                            throw new InterruptedException();
                        }
                        if (closed.getAsBoolean()) {
                            return -2;
                        }
                        fd = fcntl_h.open(path, flags, 0);
                        if (fd < 0) {
                            errno = Errno.last();
                        }
                    } finally {
                        interrupt.exitBlockingCall();
                    }
                } finally {
                    waker.cancel(false);
                }
                if (fd >= 0) {
                    return fd;
                }
                if (errno != errno_h.EINTR()) {
                    return -errno;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } finally {
            blocked.remove(interrupt);
            interrupt.disarm();
        }
    }

    /** One daemon thread that sends the deadline signals; cancelled tasks leave its queue at once. */
    private static final class Timer {
        static final ScheduledThreadPoolExecutor INSTANCE = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
                Thread thread = new Thread(task, "panama-ipc fifo-open deadlines");
                thread.setDaemon(true);
                return thread;
            });
            timer.setRemoveOnCancelPolicy(true);
            return timer;
        }
    }
}
