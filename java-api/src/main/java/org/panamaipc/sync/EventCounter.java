package org.panamaipc.sync;

import org.panamaipc.LimitReachedException;
import org.panamaipc.bindings.CTypes;
import org.panamaipc.bindings.errno_h;
import org.panamaipc.bindings.eventfd_h;
import org.panamaipc.bindings.poll_h;
import org.panamaipc.internal.DescriptorGuard;
import org.panamaipc.internal.Errno;
import org.panamaipc.internal.Errors;
import org.panamaipc.internal.FdWait;
import org.panamaipc.internal.InterruptFd;
import org.panamaipc.internal.Timeouts;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Objects;

/**
 * A counter kept by the kernel ({@code eventfd(2)}) that one process adds to and another takes
 * from, waiting while it is zero. It has no name: it reaches another process as a descriptor,
 * {@linkplain org.panamaipc.socket.Attachments#and(EventCounter) attached} to a message of a
 * {@link org.panamaipc.socket.DescriptorSocket} (or inherited), so nothing of it can be left
 * behind when its processes die. A peer in C or Python uses the same descriptor with
 * {@code eventfd_write}/{@code eventfd_read} or {@code os.eventfd_write}/{@code os.eventfd_read}.
 *
 * <p>Use it to tell a process that something happened without a shared-memory segment of its
 * own: work is waiting in memory passed beside it, a job is done. Its {@link Type} says what a
 * take returns: the whole count (and the counter goes back to zero), or one (and the counter goes
 * down by one, as a semaphore's). Counts are unsigned 64-bit values, as the kernel keeps them: past
 * {@link Long#MAX_VALUE} read them with {@link Long#toUnsignedString(long)}.
 *
 * {@snippet lang=java :
 * // the server: a counter and some memory, handed to a client together
 * EventCounter done = EventCounter.create();
 * socket.send(request, Attachments.of(memory).and(done));
 * if (done.take(Duration.ofSeconds(5)) == 0) {
 *     throw new IllegalStateException("no answer in 5 s");
 * }
 *
 * // the client
 * try (Received message = socket.receive();
 *      EventCounter done = message.takeEventCounter(1)) {
 *     work(message);
 *     done.signal();
 * }
 * }
 *
 * <p>Taking comes in the three forms of every wait: {@link #tryTake()} returns at once,
 * {@link #take()} waits as long as it takes, {@link #take(Duration)} waits at most that long; each
 * returns what it took, {@code 0} when nothing came. A waiting thread wakes at once when it is
 * interrupted ({@link InterruptedException}) and when this object is closed
 * ({@link IllegalStateException}). Several processes may hold the counter; each unit is taken by
 * one of them. Safe for use by several threads.
 */
public final class EventCounter implements AutoCloseable {

    /** What a take returns; chosen when the counter is created and kept by the kernel. */
    public enum Type {
        /** A take returns the whole count and sets the counter to zero. */
        COUNTER,
        /** A take returns one and lowers the counter by one, as a semaphore's acquire. */
        SEMAPHORE
    }

    /** The largest value the kernel keeps: {@code 2^64 - 2}, as an unsigned {@code long}. */
    private static final long MAX_COUNT = 0xffff_ffff_ffff_fffeL;

    private static final ThreadLocal<MemorySegment> READ_BUFFER =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CTypes.eventfd_t));

    private final DescriptorGuard guard;
    private final Type type;
    private final String description;

    private EventCounter(int fd, Type type) {
        this.description = "event counter (fd " + fd + ")";
        this.guard = DescriptorGuard.of(fd, description);
        this.type = type;
    }

    /**
     * {@return a new counter of {@link Type#COUNTER COUNTER} type, at zero}
     *
     * @throws org.panamaipc.LimitReachedException if the process has no descriptor left
     */
    public static EventCounter create() {
        return create(Type.COUNTER);
    }

    /**
     * {@return a new counter of {@code type}, at zero}
     *
     * @throws NullPointerException if {@code type} is null
     * @throws org.panamaipc.LimitReachedException if the process has no descriptor left
     */
    public static EventCounter create(Type type) {
        Objects.requireNonNull(type, "type");
        int flags = eventfd_h.EFD_CLOEXEC() | eventfd_h.EFD_NONBLOCK()
                | (type == Type.SEMAPHORE ? eventfd_h.EFD_SEMAPHORE() : 0);
        int fd = eventfd_h.eventfd(0, flags);
        if (fd < 0) {
            throw Errors.lastError("create an event counter", null);
        }
        return new EventCounter(fd, type);
    }

    /**
     * {@return a counter over {@code fd}, an eventfd received from another process, which it owns
     * from the call on} Used by {@link org.panamaipc.socket.Received#takeEventCounter(int)}; the
     * descriptor has been checked to be an eventfd and made non-blocking.
     */
    static EventCounter adopt(int fd, Type type) {
        return new EventCounter(fd, type);
    }

    /** {@return the counter's type} */
    public Type type() {
        return type;
    }

    /**
     * Adds one to the counter, waking a process waiting to take.
     *
     * @throws IllegalStateException if this object is closed
     * @throws LimitReachedException if the counter is at its maximum, {@code 2^64 - 2}
     */
    public void signal() {
        add(1);
    }

    /**
     * Adds {@code count} to the counter, waking a process waiting to take. Never waits: a count
     * that would take the counter past {@code 2^64 - 2} fails and leaves it as it was.
     *
     * @param count at least 1
     * @throws IllegalArgumentException if {@code count} is less than 1
     * @throws IllegalStateException if this object is closed
     * @throws LimitReachedException if the counter would pass {@code 2^64 - 2}
     */
    public void add(long count) {
        if (count < 1) {
            throw new IllegalArgumentException("count=" + count + " must be at least 1");
        }
        int fd = guard.begin();
        try {
            if (eventfd_h.eventfd_write(fd, count) != 0) {
                int errno = Errno.last();
                if (errno == errno_h.EAGAIN()) {
                    throw new LimitReachedException("add " + Long.toUnsignedString(count), description, errno,
                            "EAGAIN", "Resource temporarily unavailable", "the counter's maximum",
                            Long.toUnsignedString(MAX_COUNT), "a take (nobody is taking from the counter)");
                }
                throw Errors.fromErrno(errno, "add to " + description, null);
            }
        } finally {
            guard.end();
        }
    }

    /**
     * Takes what the counter holds, without waiting: the whole count for a
     * {@link Type#COUNTER COUNTER}, one for a {@link Type#SEMAPHORE SEMAPHORE}.
     *
     * @return what was taken, {@code 0} if the counter was zero
     * @throws IllegalStateException if this object is closed
     */
    public long tryTake() {
        int fd = guard.begin();
        try {
            return read(fd);
        } finally {
            guard.end();
        }
    }

    /**
     * Takes as {@link #tryTake()} does, waiting as long as it takes for the counter to be non-zero.
     *
     * @return what was taken, at least 1
     * @throws InterruptedException if the thread is interrupted while it waits
     * @throws IllegalStateException if this object is closed, before or while it waits
     */
    public long take() throws InterruptedException {
        return takeUntil(Timeouts.FOREVER);
    }

    /**
     * Takes as {@link #tryTake()} does, waiting at most {@code timeout} for the counter to be
     * non-zero. A timeout of zero or less does not wait; one too long to count in nanoseconds waits
     * as long as it takes.
     *
     * @return what was taken, {@code 0} if the timeout passed first
     * @throws InterruptedException if the thread is interrupted while it waits
     * @throws IllegalStateException if this object is closed, before or while it waits
     * @throws NullPointerException if {@code timeout} is null
     */
    public long take(Duration timeout) throws InterruptedException {
        long nanos = Timeouts.toNanos(timeout);
        if (nanos <= 0) {
            return tryTake();
        }
        return takeUntil(Timeouts.deadline(nanos));
    }

    private long takeUntil(long deadline) throws InterruptedException {
        int fd = guard.begin();
        try {
            InterruptFd interrupt = InterruptFd.current();
            interrupt.arm();
            try {
                while (true) {
                    long taken = read(fd);
                    if (taken != 0) {
                        return taken;
                    }
                    if (guard.isClosed()) {
                        throw new IllegalStateException(description + " was closed while waiting");
                    }
                    if (deadline != Timeouts.FOREVER && Timeouts.passed(deadline)) {
                        return 0;
                    }
                    // wakes when the counter is non-zero, on close, on interrupt, at the deadline;
                    // another taker may get there first, so the read above decides
                    FdWait.await(fd, poll_h.POLLIN(), guard.closeSignalFd(), interrupt, deadline,
                            "wait for " + description, null);
                }
            } finally {
                interrupt.disarm();
            }
        } finally {
            guard.end();
        }
    }

    private long read(int fd) {
        MemorySegment value = READ_BUFFER.get();
        if (eventfd_h.eventfd_read(fd, value) != 0) {
            int errno = Errno.last();
            if (errno == errno_h.EAGAIN()) {
                return 0;
            }
            throw Errors.fromErrno(errno, "take from " + description, null);
        }
        return value.get(CTypes.eventfd_t, 0);
    }

    /** {@return a new close-on-exec duplicate of the descriptor, which the caller closes}; for the handover */
    int duplicateDescriptor() {
        int fd = guard.begin();
        try {
            return org.panamaipc.internal.Descriptors.duplicate(fd, description);
        } finally {
            guard.end();
        }
    }

    /** {@return whether {@link #close()} has been called} */
    public boolean isClosed() {
        return guard.isClosed();
    }

    /**
     * Closes this process's descriptor; threads waiting in it wake with
     * {@link IllegalStateException}. The counter lives on in other processes that hold it. Calling
     * it again does nothing.
     */
    @Override
    public void close() {
        guard.close();
    }

    @Override
    public String toString() {
        return description + ", " + type + (isClosed() ? " (closed)" : "");
    }
}
