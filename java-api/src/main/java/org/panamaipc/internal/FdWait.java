package org.panamaipc.internal;

import org.panamaipc.bindings.errno_h;
import org.panamaipc.bindings.poll_h;
import org.panamaipc.bindings.pollfd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Waits in {@code poll(2)} for one non-blocking descriptor to become ready, beside the eventfd that
 * closing its object signals ({@link DescriptorGuard#closeSignalFd()}) and, for waits that end
 * with {@link InterruptedException}, the thread's {@link InterruptFd}. The timeout runs on
 * {@code CLOCK_MONOTONIC} (poll's own clock); deadlines are {@link System#nanoTime()} values,
 * {@link Timeouts#FOREVER} for none. The {@code struct pollfd} array is allocated once per thread.
 */
public final class FdWait {

    private static final int ENTRIES = 3;
    private static final ThreadLocal<MemorySegment> FDS =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(pollfd.layout(), ENTRIES));

    private FdWait() {
    }

    /**
     * Waits until {@code fd} reports one of {@code events} (or {@code POLLERR}, {@code POLLHUP},
     * which poll always reports), {@code closeFd} is signalled, or the deadline passes.
     *
     * @param interrupt the thread's {@link InterruptFd}, {@linkplain InterruptFd#arm() armed} by the
     *                  caller, or {@code null} when interrupts reach the wait another way (an
     *                  interruptible channel's close)
     * @return what poll reported for {@code fd}: 0 when nothing did (the deadline passed, the
     *         object was closed, a signal interrupted poll); the caller checks which and loops
     * @throws InterruptedException if {@code interrupt} fired and the thread is interrupted (the
     *         status is cleared, as the exception says)
     */
    public static short await(int fd, short events, int closeFd, InterruptFd interrupt, long deadline,
                              String action, String object) throws InterruptedException {
        MemorySegment fds = FDS.get();
        set(fds, 0, fd, events);
        set(fds, 1, closeFd, poll_h.POLLIN());
        set(fds, 2, interrupt != null ? interrupt.fd() : -1, poll_h.POLLIN());
        int rc = poll_h.poll(fds, ENTRIES, timeoutMillis(deadline));
        if (rc < 0) {
            int errno = Errno.last();
            if (errno != errno_h.EINTR()) {
                throw Errors.fromErrno(errno, action, object);
            }
            return 0;
        }
        if (interrupt != null && revents(fds, 2) != 0) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            interrupt.clearStale();
        }
        return revents(fds, 0);
    }

    private static void set(MemorySegment fds, long index, int fd, short events) {
        long base = index * pollfd.sizeof();
        fds.set(pollfd.fd$layout(), base + pollfd.fd$offset(), fd);
        fds.set(pollfd.events$layout(), base + pollfd.events$offset(), events);
        fds.set(pollfd.revents$layout(), base + pollfd.revents$offset(), (short) 0);
    }

    private static short revents(MemorySegment fds, long index) {
        return fds.get(pollfd.revents$layout(), index * pollfd.sizeof() + pollfd.revents$offset());
    }

    /** {@return the poll(2) timeout that ends at {@code deadline}: -1 for none, rounded up to whole milliseconds} */
    static int timeoutMillis(long deadline) {
        if (deadline == Timeouts.FOREVER) {
            return -1;
        }
        long remaining = Timeouts.remaining(deadline);
        if (remaining <= 0) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, (remaining + 999_999) / 1_000_000);
    }
}
