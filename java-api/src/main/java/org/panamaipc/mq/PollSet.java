package org.panamaipc.mq;

import org.panamaipc.bindings.errno_h;
import org.panamaipc.bindings.poll_h;
import org.panamaipc.bindings.pollfd;
import org.panamaipc.internal.Errno;
import org.panamaipc.internal.Errors;
import org.panamaipc.internal.Timeouts;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A native {@code struct pollfd} array, and {@code poll(2)} until a deadline. Deadlines are
 * {@link Timeouts} deadlines ({@code CLOCK_MONOTONIC} nanoseconds, {@link Timeouts#FOREVER} for
 * none); {@code poll} measures its relative timeout on the same clock, so a change of the wall
 * clock affects no wait.
 */
final class PollSet {

    private MemorySegment fds;

    PollSet(int capacity) {
        fds = allocate(capacity);
    }

    private static MemorySegment allocate(long capacity) {
        return Arena.ofAuto().allocate(pollfd.layout(), Math.max(1, capacity));
    }

    /** Makes room for {@code capacity} entries; the entries are then undefined. */
    void ensureCapacity(long capacity) {
        if (fds.byteSize() < capacity * pollfd.sizeof()) {
            fds = allocate(Math.max(capacity, 2 * fds.byteSize() / pollfd.sizeof()));
        }
    }

    /** Sets entry {@code index} to watch {@code fd} for {@code events}; a negative fd is ignored by poll. */
    void set(long index, int fd, short events) {
        long base = index * pollfd.sizeof();
        fds.set(pollfd.fd$layout(), base + pollfd.fd$offset(), fd);
        fds.set(pollfd.events$layout(), base + pollfd.events$offset(), events);
        fds.set(pollfd.revents$layout(), base + pollfd.revents$offset(), (short) 0);
    }

    /** {@return what poll reported for entry {@code index}} */
    short revents(long index) {
        return fds.get(pollfd.revents$layout(), index * pollfd.sizeof() + pollfd.revents$offset());
    }

    /** Clears what poll reported for the first {@code count} entries. */
    void clearRevents(long count) {
        for (long i = 0; i < count; i++) {
            fds.set(pollfd.revents$layout(), i * pollfd.sizeof() + pollfd.revents$offset(), (short) 0);
        }
    }

    /**
     * Polls the first {@code count} entries until one is ready or {@code deadline} passes;
     * {@return how many are ready, 0 if none (time is up, or a signal interrupted the call: the
     * caller checks the deadline and loops)}
     */
    int poll(long count, long deadline, String action, String object) {
        int rc = poll_h.poll(fds, count, timeoutMillis(deadline));
        if (rc < 0) {
            int errno = Errno.last();
            if (errno != errno_h.EINTR()) {
                throw Errors.fromErrno(errno, action, object);
            }
            return 0;
        }
        return rc;
    }

    /** {@return the poll(2) timeout that ends at {@code deadline}, rounded up to whole milliseconds} */
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
