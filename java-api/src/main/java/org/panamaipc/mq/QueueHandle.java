package org.panamaipc.mq;

import org.panamaipc.Access;
import org.panamaipc.IpcException;
import org.panamaipc.MessageTooLongException;
import org.panamaipc.bindings.fcntl_h;
import org.panamaipc.bindings.mq_attr;
import org.panamaipc.bindings.mqueue_h;
import org.panamaipc.bindings.stat;
import org.panamaipc.bindings.stat_h;
import org.panamaipc.internal.BlockedThreads;
import org.panamaipc.internal.Errors;
import org.panamaipc.internal.EventFd;
import org.panamaipc.internal.InterruptSignal;
import org.panamaipc.internal.Lifecycle;
import org.panamaipc.internal.Namespace;
import org.panamaipc.internal.Timeouts;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The descriptors of one open message queue and their reference count: the queue's own
 * descriptor (non-blocking, for the {@code try} forms, {@code poll(2)} and selectors), a second
 * one without {@code O_NONBLOCK} for the blocking forms (opened on first use), and the
 * {@code eventfd} that {@link #close()} signals.
 *
 * <p>Every call that uses a descriptor is bracketed by {@link #beginOp()} and {@link #endOp()}, so
 * the descriptors stay open, and their numbers unused by anything else, until the last such call
 * has returned: {@code close()} marks the handle closed, wakes the threads blocked on it (the
 * signal of {@link InterruptSignal} for those in a system call, the close eventfd for those in
 * {@code poll(2)}), and the last call to end closes the descriptors. {@code close()} returns once
 * that has happened, waking the blocked threads again every {@link #RETRY_NANOS} meanwhile (a
 * signal can land just before its thread enters the kernel, and is then lost).
 */
final class QueueHandle {

    /** The {@link #state} bit that says closed; the bits below count the calls in progress. */
    private static final long CLOSED = 1L << 62;
    private static final VarHandle STATE;
    /** {@link #blockingMqd}: not opened yet. */
    private static final int NOT_OPENED = -2;
    /** {@link #blockingMqd}: blocking forms wait in {@code poll(2)} instead. */
    static final int UNAVAILABLE = -1;
    /** How often {@link #close()} wakes the blocked threads again while it waits for them to leave. */
    private static final long RETRY_NANOS = 100_000L;
    /** How long {@link #close()} waits for the calls in progress to end; the last one closes the descriptors anyway. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(QueueHandle.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final String name;
    final Access access;
    final boolean created;
    final int mqd;
    final int maxMessages;
    final int maxMessageLength;
    private final EventFd closeSignal;
    /** The threads blocked in a system call on {@link #blockingMqd}, which {@link #close()} signals. */
    final BlockedThreads blocked = new BlockedThreads();
    private final Object blockingLock = new Object();
    /**
     * A second descriptor of the same queue, without {@code O_NONBLOCK}, for the blocking forms;
     * opened on first use; {@link #NOT_OPENED} or {@link #UNAVAILABLE} otherwise.
     */
    private volatile int blockingMqd = NOT_OPENED;
    /** {@link #CLOSED} bit, and the number of calls in progress that use the descriptors. */
    @SuppressWarnings("unused") // through STATE
    private volatile long state;
    private volatile boolean released;
    /** The id of the queue's pending {@code mq_notify} registration, or 0; guarded by {@link #notificationLock}. */
    long notification;
    final Object notificationLock = new Object();

    private QueueHandle(String name, Access access, boolean created, int mqd, int maxMessages, int maxMessageLength,
                        EventFd closeSignal) {
        this.name = name;
        this.access = access;
        this.created = created;
        this.mqd = mqd;
        this.maxMessages = maxMessages;
        this.maxMessageLength = maxMessageLength;
        this.closeSignal = closeSignal;
    }

    /** Creates the queue {@code name} with {@code options}, open for sending and receiving. */
    static QueueHandle create(String name, QueueOptions options) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = mq_attr.allocate(arena);
            mq_attr.mq_maxmsg(attr, options.maxMessages());
            mq_attr.mq_msgsize(attr, options.maxMessageLength());
            int mqd = Namespace.MESSAGE_QUEUE.create(name, fcntl_h.O_RDWR() | fcntl_h.O_NONBLOCK(), options.mode(),
                    attr, MessageQueue.WHAT, errno -> CreateFailures.explain(errno, "create message queue", name,
                            options.maxMessages(), options.maxMessageLength(), MessageQueueLimits.current()));
            try {
                return setUp(name, Access.READ_WRITE, true, mqd);
            } catch (RuntimeException e) {
                Namespace.MESSAGE_QUEUE.unlinkIfExists(name, MessageQueue.WHAT);
                throw e;
            }
        }
    }

    /** Opens the existing queue {@code name} for {@code access}. */
    static QueueHandle open(String name, Access access) {
        int mqd = Namespace.MESSAGE_QUEUE.open(name, flags(access) | fcntl_h.O_NONBLOCK(), MessageQueue.WHAT);
        return setUp(name, access, false, mqd);
    }

    /**
     * A handle over {@code mqd}, a non-blocking descriptor received from another process, which it
     * owns from the call on (closed if this fails).
     */
    static QueueHandle adopt(String name, Access access, int mqd) {
        return setUp(name, access, false, mqd);
    }

    private static QueueHandle setUp(String name, Access access, boolean created, int mqd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = mq_attr.allocate(arena);
            if (mqueue_h.mq_getattr(mqd, attr) != 0) {
                IpcException e = Errors.lastError("read the attributes of message queue", name);
                mqueue_h.mq_close(mqd);
                throw e;
            }
            EventFd closeSignal;
            try {
                closeSignal = EventFd.create();
            } catch (RuntimeException e) {
                mqueue_h.mq_close(mqd);
                throw e;
            }
            return new QueueHandle(name, access, created, mqd, (int) mq_attr.mq_maxmsg(attr),
                    (int) mq_attr.mq_msgsize(attr), closeSignal);
        }
    }

    private static int flags(Access access) {
        return switch (access) {
            case READ_ONLY -> fcntl_h.O_RDONLY();
            case WRITE_ONLY -> fcntl_h.O_WRONLY();
            case READ_WRITE -> fcntl_h.O_RDWR();
        };
    }

    /**
     * {@return the blocking descriptor, opened on first use, or {@link #UNAVAILABLE}} Unavailable
     * when the signal cannot be used ({@link InterruptSignal#usable()}), or the name no longer
     * leads to this queue (unlinked, replaced by another queue, or no longer permitted): the second
     * descriptor is opened by name, and used only if {@code fstat} shows the same queue.
     */
    int blockingDescriptor() {
        int fd = blockingMqd;
        if (fd != NOT_OPENED) {
            return fd;
        }
        synchronized (blockingLock) {
            if (blockingMqd == NOT_OPENED) {
                blockingMqd = openBlocking();
            }
            return blockingMqd;
        }
    }

    private int openBlocking() {
        if (!InterruptSignal.usable()) {
            return UNAVAILABLE;
        }
        try (Arena arena = Arena.ofConfined()) {
            int fd = mqueue_h.mq_open(arena.allocateFrom(name), flags(access));
            if (fd < 0) {
                return UNAVAILABLE;
            }
            MemorySegment ours = stat.allocate(arena);
            MemorySegment opened = stat.allocate(arena);
            if (stat_h.fstat(mqd, ours) != 0 || stat_h.fstat(fd, opened) != 0
                    || stat.st_dev(ours) != stat.st_dev(opened) || stat.st_ino(ours) != stat.st_ino(opened)) {
                mqueue_h.mq_close(fd);
                return UNAVAILABLE;
            }
            return fd;
        }
    }

    /** {@return the close eventfd, for the poll set of a wait or a selector} */
    int closeDescriptor() {
        return closeSignal.fd();
    }

    /** {@return the queue's permission bits now} */
    int mode() {
        beginOp();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = stat.allocate(arena);
            if (stat_h.fstat(mqd, st) != 0) {
                throw Errors.lastError("read the mode of message queue", name);
            }
            return stat.st_mode(st) & Lifecycle.PERMISSION_BITS;
        } finally {
            endOp();
        }
    }

    /** {@return how many messages are in the queue now} */
    int messageCount() {
        beginOp();
        try {
            MemorySegment attr = Scratch.current().attr;
            if (mqueue_h.mq_getattr(mqd, attr) != 0) {
                throw Errors.lastError("read the attributes of message queue", name);
            }
            return (int) mq_attr.mq_curmsgs(attr);
        } finally {
            endOp();
        }
    }

    boolean isClosed() {
        return ((long) STATE.getVolatile(this) & CLOSED) != 0;
    }

    /** {@return the exception for a message of {@code length} bytes, longer than the queue takes} */
    MessageTooLongException tooLong(long length) {
        return new MessageTooLongException("send to message queue", name, length, maxMessageLength);
    }

    /** {@return the exception for a call on the closed queue} */
    IllegalStateException closedException() {
        return new IllegalStateException("message queue " + name + " is closed");
    }

    /**
     * Marks a call in progress, so the descriptors stay open (and their numbers unused) until
     * {@link #endOp()}.
     *
     * @throws IllegalStateException if the queue is closed
     */
    void beginOp() {
        long s;
        do {
            s = (long) STATE.getVolatile(this);
            if ((s & CLOSED) != 0) {
                throw closedException();
            }
        } while (!STATE.compareAndSet(this, s, s + 1));
    }

    /** Ends what {@link #beginOp()} began; the last call to end after a close closes the descriptors. */
    void endOp() {
        long before = (long) STATE.getAndAdd(this, -1L);
        if (before == (CLOSED | 1)) {
            release();
        }
    }

    /**
     * Marks the queue closed, wakes the threads blocked on it, and returns once the descriptors
     * are closed (at most {@link #CLOSE_TIMEOUT}; after that the last call to end closes them).
     * Calling it again does nothing. {@code beforeWake} runs once, after the mark.
     */
    void close(Runnable beforeWake) {
        long s;
        do {
            s = (long) STATE.getVolatile(this);
            if ((s & CLOSED) != 0) {
                return;
            }
            // close counts as a call in progress itself: the descriptors it signals stay open (and
            // their numbers unused) until it is done, even if the last other call ends meanwhile
        } while (!STATE.compareAndSet(this, s, (s | CLOSED) + 1));
        try {
            beforeWake.run();
            closeSignal.signal();
            blocked.wakeAll();
        } finally {
            endOp();
        }
        long deadline = Timeouts.deadline(CLOSE_TIMEOUT.toNanos());
        while (!released && Timeouts.remaining(deadline) > 0) {
            LockSupport.parkNanos(RETRY_NANOS);
            if (!released) {
                blocked.wakeAll(); // a signal lost just before its thread entered the kernel
            }
        }
    }

    private void release() {
        mqueue_h.mq_close(mqd);
        int blocking = blockingMqd;
        if (blocking >= 0) {
            mqueue_h.mq_close(blocking);
        }
        closeSignal.close();
        released = true;
    }
}
