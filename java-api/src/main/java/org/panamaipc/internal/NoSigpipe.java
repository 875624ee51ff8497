package org.panamaipc.internal;

import org.panamaipc.bindings.CTypes;
import org.panamaipc.bindings.errno_h;
import org.panamaipc.bindings.signal_h;
import org.panamaipc.bindings.timespec;
import org.panamaipc.bindings.unistd_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * {@code write(2)} to a pipe or FIFO that cannot kill the process with {@code SIGPIPE}: a write
 * whose reader has gone fails with {@code EPIPE} and raises {@code SIGPIPE} in the writing thread,
 * and the signal's default action ends the process. HotSpot installs a handler that ignores it (as
 * of JDK 25, also with {@code -Xrs}), but an embedding application or native library may have
 * restored the default, so this does not rely on it: the write runs with {@code SIGPIPE} blocked
 * in the calling thread, and a {@code SIGPIPE} the write raised is taken off the thread with
 * {@code sigtimedwait} (zero timeout) before the old mask comes back. Sockets need none of this:
 * they send with {@code MSG_NOSIGNAL}.
 *
 * <p>Two {@code pthread_sigmask} calls per write (a {@code sigtimedwait} more on {@code EPIPE}); the
 * signal sets live in a per-thread buffer, allocated once.
 */
public final class NoSigpipe {

    private static final ThreadLocal<Sets> SETS = ThreadLocal.withInitial(Sets::new);

    private NoSigpipe() {
    }

    /**
     * Writes up to {@code count} bytes of {@code buffer} to {@code fd} as {@code write(2)} does.
     *
     * @return the number of bytes written, or minus the errno ({@code -EPIPE} when the reader has
     *         gone, {@code -EAGAIN} when a non-blocking descriptor has no room)
     */
    public static long write(int fd, MemorySegment buffer, long count) {
        Sets sets = SETS.get();
        int rc = signal_h.pthread_sigmask(signal_h.SIG_BLOCK(), sets.sigpipe, sets.old);
        if (rc != 0) {
            throw Errors.fromErrno(rc, "block SIGPIPE for a write to", "descriptor " + fd);
        }
        long written;
        int errno = 0;
        try {
            written = unistd_h.write(fd, buffer, count);
            if (written < 0) {
                errno = Errno.last();
                if (errno == errno_h.EPIPE() && signal_h.sigismember(sets.old, signal_h.SIGPIPE()) == 0) {
                    // the SIGPIPE this write raised is pending on this thread: take it before unblocking
                    signal_h.sigtimedwait(sets.sigpipe, MemorySegment.NULL, sets.noWait);
                }
            }
        } finally {
            signal_h.pthread_sigmask(signal_h.SIG_SETMASK(), sets.old, MemorySegment.NULL);
        }
        return written >= 0 ? written : -errno;
    }

    /** The signal sets one thread uses: {SIGPIPE}, the mask before, and a zero timeout. */
    private static final class Sets {
        final MemorySegment sigpipe;
        final MemorySegment old;
        final MemorySegment noWait;

        Sets() {
            Arena arena = Arena.ofAuto();
            sigpipe = arena.allocate(CTypes.sigset_t);
            old = arena.allocate(CTypes.sigset_t);
            noWait = timespec.allocate(arena);
            if (signal_h.sigemptyset(sigpipe) != 0 || signal_h.sigaddset(sigpipe, signal_h.SIGPIPE()) != 0) {
                throw Errors.lastError("build the signal set {SIGPIPE}", null);
            }
        }
    }
}
