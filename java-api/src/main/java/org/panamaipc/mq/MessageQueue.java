package org.panamaipc.mq;

import org.panamaipc.AlreadyExistsException;
import org.panamaipc.IpcException;
import org.panamaipc.MessageTooLongException;
import org.panamaipc.NotFoundException;
import org.panamaipc.bindings.errno_h;
import org.panamaipc.bindings.fcntl_h;
import org.panamaipc.bindings.limits_h;
import org.panamaipc.bindings.mq_attr;
import org.panamaipc.bindings.mqueue_h;
import org.panamaipc.bindings.poll_h;
import org.panamaipc.bindings.stat;
import org.panamaipc.bindings.stat_h;
import org.panamaipc.codec.Codec;
import org.panamaipc.internal.Errno;
import org.panamaipc.internal.BlockedThreads;
import org.panamaipc.internal.Errors;
import org.panamaipc.internal.EventFd;
import org.panamaipc.internal.InterruptFd;
import org.panamaipc.internal.InterruptSignal;
import org.panamaipc.internal.MonotonicClock;
import org.panamaipc.internal.PosixNames;
import org.panamaipc.internal.Timeouts;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A POSIX message queue ({@code mq_open}): a queue of messages that the kernel holds, which any
 * process may open by name, with a priority per message. Receivers get the oldest message of the
 * highest priority first.
 *
 * {@snippet lang=java :
 * // process A
 * try (MessageQueue queue = MessageQueue.create("/orders", 10, 512)) {
 *     queue.send("urgent".getBytes(UTF_8), 9);
 *     queue.send("routine".getBytes(UTF_8), 0);
 * }
 * // process B
 * try (MessageQueue queue = MessageQueue.open("/orders")) {
 *     Message first = queue.receive();         // "urgent", priority 9
 *     queue.unlink();                          // the name goes now, the queue with the last close
 * }
 * }
 *
 * <h2>Three forms of every operation</h2>
 * Every send and receive comes blocking ({@code send}, {@code receive}), trying once
 * ({@code trySend} returns {@code false} on a full queue, {@code tryReceive} returns {@code null} or
 * {@link #NO_MESSAGE} on an empty one: values, never exceptions), and with a {@link Duration}
 * timeout (the same values when it passes). Timeouts are kept on {@code CLOCK_MONOTONIC}: a wait
 * that ends early (a signal, a message another receiver took first, a step of the wall clock)
 * waits again for what is left, so no wait ends before its timeout.
 *
 * <h2>How a blocking form waits</h2>
 * A form without a timeout waits as a C program does: in {@code mq_timedreceive} or
 * {@code mq_timedsend} on a second descriptor of the queue, opened without {@code O_NONBLOCK} on the
 * first such call (the first descriptor stays non-blocking, for the {@code try} forms and
 * selectors). The kernel then hands an arriving message straight to the blocked receiver, with no
 * wake-up to poll and no second call: a round trip between two JVMs costs about what it costs two C
 * programs. Each call waits at most 100 ms (a slice) and is then made again, so that an interrupt
 * whose signal came just before the call is still seen. An interrupt or {@link #close()} ends the
 * call at once with a signal (see Interrupts).
 *
 * <p>A form <em>with</em> a timeout waits in {@code poll(2)}, because the {@code mq_timed*} calls
 * take their deadline on the wall clock ({@code CLOCK_REALTIME}), which may be stepped back while
 * they wait: on the queue, an {@code eventfd(2)} of the thread and one of the queue, with the
 * timeout on {@code CLOCK_MONOTONIC}, and then it takes the message with a non-blocking call. That
 * costs one wake-up and one system call more per message than a wait without a timeout.
 *
 * <p>Where that signal cannot be used (see {@code org.panamaipc.internal.InterruptSignal}), or the
 * second descriptor cannot be opened (the name was unlinked, or now leads to another queue), the
 * forms without a timeout wait in {@code poll(2)} too.
 *
 * <h2>Receiving without allocation</h2>
 * {@link #receive(MemorySegment)} and {@link #receive(ByteBuffer)} write into the caller's memory and
 * return the length and priority packed in one {@code long}; {@link #lengthOf(long)} and
 * {@link #priorityOf(long)} take it apart:
 * {@snippet lang=java :
 * MemorySegment buffer = arena.allocate(queue.maxMessageSize());
 * long received;
 * while ((received = queue.receive(buffer, Duration.ofSeconds(1))) != MessageQueue.NO_MESSAGE) {
 *     handle(buffer.asSlice(0, MessageQueue.lengthOf(received)), MessageQueue.priorityOf(received));
 * }
 * }
 * Sends and receives through native segments at least {@link #maxMessageSize()} long go straight
 * to the kernel; byte arrays, heap segments and byte buffers are copied through a buffer that each
 * thread allocates once and reuses. In steady state no send or receive allocates, except the forms
 * that return a {@link Message}.
 *
 * <h2>Interrupts</h2>
 * A thread blocked in a send or receive that is interrupted throws {@link InterruptedException}
 * within microseconds. {@link Thread#interrupt()} reaches the library through the JDK's
 * interruptible-channel hook, which sends the blocked thread the signal the JDK itself uses to end
 * blocking NIO calls ({@code SIGRTMAX - 2}, whose handler the JDK installs and which this library
 * only sends, after checking that the handler is there and does not restart calls): the
 * {@code mq_timed*} call returns {@code EINTR}. The thread records itself before it checks its
 * interrupt status and makes the call; a signal that lands in the few instructions between that
 * check and the kernel's wait is lost, and the interrupt is then seen when the slice ends, within
 * 100 ms. In the {@code poll(2)} fallback the hook signals the thread's eventfd instead, and an
 * interrupt that arrives before the wait leaves it readable, so it is never missed. A thread
 * interrupted before it calls a blocking form throws at once, even if the operation could have
 * completed; one interrupted after its call has taken a message returns the message and keeps its
 * interrupt status.
 *
 * <h2>Threads and closing</h2>
 * A {@code MessageQueue} may be used by many threads at once; the kernel serialises the messages.
 * {@link #close()} may be called from any thread: threads blocked on the queue then throw
 * {@link IllegalStateException} at once (each is signalled as for an interrupt, or its poll sees the
 * close eventfd; one whose signal was lost, as above, within 100 ms), and the descriptors are
 * closed when the last of them has left. Any call after {@code close()} throws
 * {@link IllegalStateException}.
 *
 * <p>An open {@code MessageQueue} holds two file descriptors, the queue's and the eventfd that
 * {@code close()} signals, and a third, the blocking descriptor of the queue, once a blocking form
 * has been called. A thread that has once waited holds one more, its interrupt eventfd, until it
 * ends. A virtual thread blocked in a send or receive keeps its carrier thread, as in any native
 * call.
 *
 * <h2>Names, modes and lifetime</h2>
 * Names follow the POSIX rules (checked before any system call): {@code /} and 1 to 255
 * characters without another {@code /}. Queues are created with mode {@code 0600} unless a mode
 * is given; the mode is applied exactly whatever the umask ({@code fchmod} on the queue
 * descriptor, which Linux allows whether or not {@code /dev/mqueue} is mounted). A queue lives
 * until it is unlinked and the last descriptor is closed; its messages survive every process.
 *
 * @see MessageQueueSelector
 * @see MessageQueueLimits
 * @see TypedMessageQueue
 */
public final class MessageQueue implements AutoCloseable {

    /** How a queue is opened. */
    public enum Access {
        /** Receive only. */
        READ_ONLY,
        /** Send only. */
        WRITE_ONLY,
        /** Send and receive. */
        READ_WRITE;

        boolean canSend() {
            return this != READ_ONLY;
        }

        boolean canReceive() {
            return this != WRITE_ONLY;
        }

        int flags() {
            return switch (this) {
                case READ_ONLY -> fcntl_h.O_RDONLY();
                case WRITE_ONLY -> fcntl_h.O_WRONLY();
                case READ_WRITE -> fcntl_h.O_RDWR();
            };
        }
    }

    /** The mode queues are created with unless told otherwise: {@code 0600}, owner read and write. */
    public static final int DEFAULT_MODE = stat_h.S_IRUSR() | stat_h.S_IWUSR();

    /** The highest priority a message may have: {@code MQ_PRIO_MAX - 1}, 32767 on Linux. */
    public static final int MAX_PRIORITY = limits_h.MQ_PRIO_MAX() - 1;

    /** What the receive forms that fill a caller's buffer return when no message came. */
    public static final long NO_MESSAGE = -1L;

    private static final int ALL_PERMISSION_BITS = 0777;
    private static final long CLOSED = 1L << 62;
    private static final long OPS = CLOSED - 1;
    private static final VarHandle STATE;
    private static final long FOREVER = PollSet.FOREVER;
    /**
     * The longest one {@code mq_timedreceive} / {@code mq_timedsend} of a blocking form may wait
     * before it checks again: bounds the wake-up of an interrupt or close whose signal came just
     * before the call, and how far a step of the wall clock can move a slice's end.
     */
    static final long SLICE_NANOS = 100_000_000L;
    /** {@link #blockingMqd}: not opened yet. */
    private static final int NOT_OPENED = -2;
    /** {@link #blockingMqd}: blocking forms wait in {@code poll(2)} instead. */
    private static final int UNAVAILABLE = -1;
    /** What the blocking transfer returns when the deadline passed. */
    private static final long TIMED_OUT = -1L;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(MessageQueue.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final Access access;
    private final boolean created;
    private final int mqd;
    private final int maxMessages;
    private final int maxMessageSize;
    private final EventFd closeSignal;
    /** The threads blocked in a system call on {@link #blockingMqd}, which {@link #close()} signals. */
    private final BlockedThreads blocked = new BlockedThreads();
    private final Object blockingLock = new Object();
    /**
     * A second descriptor of the same queue, without {@code O_NONBLOCK}, for the blocking forms;
     * opened on first use; {@link #NOT_OPENED} or {@link #UNAVAILABLE} otherwise.
     */
    private volatile int blockingMqd = NOT_OPENED;
    /** {@link #CLOSED} bit, and the number of calls in progress that use the descriptor. */
    @SuppressWarnings("unused") // through STATE
    private volatile long state;
    /** The id of this queue's pending {@code mq_notify} registration, or 0; guarded by {@link #notificationLock}. */
    long notification;
    final Object notificationLock = new Object();

    private MessageQueue(String name, Access access, boolean created, int mqd, int maxMessages, int maxMessageSize,
                         EventFd closeSignal) {
        this.name = name;
        this.access = access;
        this.created = created;
        this.mqd = mqd;
        this.maxMessages = maxMessages;
        this.maxMessageSize = maxMessageSize;
        this.closeSignal = closeSignal;
    }

    // ---------------------------------------------------------------------------------------------
    // creating, opening, removing

    /**
     * Creates the queue {@code name} for up to {@code maxMessages} messages of up to
     * {@code maxMessageSize} bytes each, with mode {@code 0600}, and opens it for sending and
     * receiving.
     *
     * @throws AlreadyExistsException if a queue of that name exists
     * @throws org.panamaipc.InvalidNameException if the name breaks the POSIX rules
     * @throws org.panamaipc.LimitReachedException if a system limit forbids it; the exception names
     *         the limit ({@code fs.mqueue.msg_max}, {@code fs.mqueue.msgsize_max},
     *         {@code fs.mqueue.queues_max}, {@code RLIMIT_MSGQUEUE}), its value and how to raise it
     * @throws IllegalArgumentException if a size is not positive
     */
    public static MessageQueue create(String name, int maxMessages, int maxMessageSize) {
        return create(name, maxMessages, maxMessageSize, DEFAULT_MODE);
    }

    /**
     * Creates the queue as {@link #create(String, int, int)} does, with permission bits
     * {@code mode} (such as {@code 0660}), applied exactly whatever the umask.
     *
     * @throws IllegalArgumentException if {@code mode} has bits outside {@code 0777}, or a size is not positive
     */
    public static MessageQueue create(String name, int maxMessages, int maxMessageSize, int mode) {
        PosixNames.check(name);
        checkSizes(maxMessages, maxMessageSize);
        checkMode(mode);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = mq_attr.allocate(arena);
            mq_attr.mq_maxmsg(attr, maxMessages);
            mq_attr.mq_msgsize(attr, maxMessageSize);
            int flags = fcntl_h.O_RDWR() | fcntl_h.O_CREAT() | fcntl_h.O_EXCL() | fcntl_h.O_NONBLOCK();
            int mqd = mqueue_h.mq_open(arena.allocateFrom(name), flags, mode, attr);
            if (mqd < 0) {
                int errno = Errno.last();
                throw CreateFailures.explain(errno, "create message queue", name, maxMessages, maxMessageSize,
                        MessageQueueLimits.current());
            }
            try {
                if (stat_h.fchmod(mqd, mode) != 0) {
                    throw Errors.lastError("set the mode of message queue", name);
                }
                return setUp(name, Access.READ_WRITE, true, mqd);
            } catch (RuntimeException e) {
                mqueue_h.mq_close(mqd);
                unlinkIfExists(name);
                throw e;
            }
        }
    }

    /**
     * Opens the existing queue {@code name} for sending and receiving.
     *
     * @throws NotFoundException if no queue of that name exists
     * @throws org.panamaipc.PermissionDeniedException if its mode does not allow this process to read and write it
     */
    public static MessageQueue open(String name) {
        return open(name, Access.READ_WRITE);
    }

    /** Opens the existing queue {@code name} as {@link #open(String)} does, for {@code access} only. */
    public static MessageQueue open(String name, Access access) {
        PosixNames.check(name);
        Objects.requireNonNull(access, "access");
        int mqd;
        try (Arena arena = Arena.ofConfined()) {
            mqd = mqueue_h.mq_open(arena.allocateFrom(name), access.flags() | fcntl_h.O_NONBLOCK());
        }
        if (mqd < 0) {
            int errno = Errno.last();
            if (errno == errno_h.EINVAL()) {
                throw Errors.invalidName(errno, "open message queue", name);
            }
            throw Errors.fromErrno(errno, "open message queue", name);
        }
        return setUp(name, access, false, mqd);
    }

    /**
     * Opens {@code name} if it exists, or else creates it as {@link #create(String, int, int)} does.
     * An existing queue keeps its own sizes: check {@link #maxMessages()} and
     * {@link #maxMessageSize()}. {@link #created()} tells which happened.
     */
    public static MessageQueue openOrCreate(String name, int maxMessages, int maxMessageSize) {
        return openOrCreate(name, maxMessages, maxMessageSize, DEFAULT_MODE);
    }

    /** As {@link #openOrCreate(String, int, int)}, creating with permission bits {@code mode}. */
    public static MessageQueue openOrCreate(String name, int maxMessages, int maxMessageSize, int mode) {
        PosixNames.check(name);
        checkSizes(maxMessages, maxMessageSize);
        checkMode(mode);
        for (int attempt = 0; ; attempt++) {
            try {
                return create(name, maxMessages, maxMessageSize, mode);
            } catch (AlreadyExistsException exists) {
                try {
                    return open(name);
                } catch (NotFoundException goneMeanwhile) {
                    if (attempt >= 3) {
                        throw goneMeanwhile;
                    }
                    // unlinked between our two calls: create it again
                }
            }
        }
    }

    /**
     * Removes the name {@code name}. Processes that have the queue open keep using it; it is
     * destroyed, with any messages in it, when the last one closes it.
     *
     * @throws NotFoundException if no queue of that name exists
     */
    public static void unlink(String name) {
        PosixNames.check(name);
        try (Arena arena = Arena.ofConfined()) {
            if (mqueue_h.mq_unlink(arena.allocateFrom(name)) != 0) {
                throw Errors.lastError("unlink message queue", name);
            }
        }
    }

    /** {@return whether the name existed and was removed} Like {@link #unlink(String)}, without failing on a missing name. */
    public static boolean unlinkIfExists(String name) {
        try {
            unlink(name);
            return true;
        } catch (NotFoundException missing) {
            return false;
        }
    }

    /** {@return whether a queue named {@code name} exists now} */
    public static boolean exists(String name) {
        PosixNames.check(name);
        try (Arena arena = Arena.ofConfined()) {
            int mqd = mqueue_h.mq_open(arena.allocateFrom(name), fcntl_h.O_RDONLY() | fcntl_h.O_NONBLOCK());
            if (mqd >= 0) {
                mqueue_h.mq_close(mqd);
                return true;
            }
            int errno = Errno.last();
            if (errno == errno_h.ENOENT()) {
                return false;
            }
            if (errno == errno_h.EACCES()) {
                return true;
            }
            throw Errors.fromErrno(errno, "look up message queue", name);
        }
    }

    /**
     * A queue over {@code mqd}, a non-blocking descriptor received from another process, which it
     * owns from the call on (closed if this fails). {@code name} is what {@code /proc/self/fd}
     * shows; the blocking forms use it only if it still leads to this queue.
     */
    static MessageQueue adopt(String name, Access access, int mqd) {
        return setUp(name, access, false, mqd);
    }

    private static MessageQueue setUp(String name, Access access, boolean created, int mqd) {
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
            return new MessageQueue(name, access, created, mqd, (int) mq_attr.mq_maxmsg(attr),
                    (int) mq_attr.mq_msgsize(attr), closeSignal);
        }
    }

    private static void checkSizes(int maxMessages, int maxMessageSize) {
        if (maxMessages <= 0) {
            throw new IllegalArgumentException("maxMessages=" + maxMessages + " must be positive");
        }
        if (maxMessageSize <= 0) {
            throw new IllegalArgumentException("maxMessageSize=" + maxMessageSize + " must be positive");
        }
    }

    private static void checkMode(int mode) {
        if ((mode & ~ALL_PERMISSION_BITS) != 0) {
            throw new IllegalArgumentException("mode=0" + Integer.toOctalString(mode)
                    + " has bits outside the permission bits 0777");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // sending

    /**
     * Sends {@code message} with {@code priority}, waiting while the queue is full.
     *
     * @throws InterruptedException if the thread is interrupted before or while waiting; the
     *         message is then not sent
     * @throws MessageTooLongException if the message is longer than {@link #maxMessageSize()};
     *         nothing is sent and the queue is unchanged
     * @throws IllegalArgumentException if {@code priority} is outside 0..{@link #MAX_PRIORITY}
     * @throws IllegalStateException if the queue is closed, or opened {@link Access#READ_ONLY}
     */
    public void send(byte[] message, int priority) throws InterruptedException {
        checkInterrupt();
        sendArray(message, priority, FOREVER);
    }

    /**
     * Sends as {@link #send(byte[], int)} does if there is room now.
     *
     * @return {@code true} if the message was sent, {@code false} if the queue is full
     */
    public boolean trySend(byte[] message, int priority) {
        try {
            return sendArray(message, priority, 0);
        } catch (InterruptedException cannotHappen) {
            throw new AssertionError("a try does not wait", cannotHappen);
        }
    }

    /**
     * Sends as {@link #send(byte[], int)} does, waiting at most {@code timeout} for room.
     *
     * @return {@code true} if the message was sent, {@code false} if the queue stayed full
     */
    public boolean send(byte[] message, int priority, Duration timeout) throws InterruptedException {
        checkInterrupt();
        return sendArray(message, priority, Timeouts.toNanos(timeout));
    }

    /**
     * Sends the bytes of {@code message} from its position to its limit with {@code priority},
     * waiting while the queue is full, and advances its position to its limit.
     *
     * @throws InterruptedException as {@link #send(byte[], int)}
     */
    public void send(ByteBuffer message, int priority) throws InterruptedException {
        checkInterrupt();
        sendBuffer(message, priority, FOREVER);
    }

    /**
     * Sends as {@link #send(ByteBuffer, int)} does if there is room now.
     *
     * @return {@code true} if the message was sent, {@code false} if the queue is full
     */
    public boolean trySend(ByteBuffer message, int priority) {
        try {
            return sendBuffer(message, priority, 0);
        } catch (InterruptedException cannotHappen) {
            throw new AssertionError("a try does not wait", cannotHappen);
        }
    }

    /**
     * Sends as {@link #send(ByteBuffer, int)} does, waiting at most {@code timeout}.
     *
     * @return {@code true} if the message was sent, {@code false} if the queue stayed full
     */
    public boolean send(ByteBuffer message, int priority, Duration timeout) throws InterruptedException {
        checkInterrupt();
        return sendBuffer(message, priority, Timeouts.toNanos(timeout));
    }

    /**
     * Sends all of {@code message} with {@code priority}, waiting while the queue is full. A native
     * segment goes to the kernel without a copy.
     *
     * @throws InterruptedException as {@link #send(byte[], int)}
     */
    public void send(MemorySegment message, int priority) throws InterruptedException {
        checkInterrupt();
        sendSegment(message, priority, FOREVER);
    }

    /**
     * Sends as {@link #send(MemorySegment, int)} does if there is room now.
     *
     * @return {@code true} if the message was sent, {@code false} if the queue is full
     */
    public boolean trySend(MemorySegment message, int priority) {
        try {
            return sendSegment(message, priority, 0);
        } catch (InterruptedException cannotHappen) {
            throw new AssertionError("a try does not wait", cannotHappen);
        }
    }

    /**
     * Sends as {@link #send(MemorySegment, int)} does, waiting at most {@code timeout}.
     *
     * @return {@code true} if the message was sent, {@code false} if the queue stayed full
     */
    public boolean send(MemorySegment message, int priority, Duration timeout) throws InterruptedException {
        checkInterrupt();
        return sendSegment(message, priority, Timeouts.toNanos(timeout));
    }

    private boolean sendArray(byte[] message, int priority, long timeoutNanos) throws InterruptedException {
        Objects.requireNonNull(message, "message");
        checkSend(message.length, priority);
        beginOp();
        try {
            MemorySegment buffer = Scratch.current().buffer(maxMessageSize);
            MemorySegment.copy(message, 0, buffer, ValueLayout.JAVA_BYTE, 0, message.length);
            return sendNative(buffer, message.length, priority, timeoutNanos);
        } finally {
            endOp();
        }
    }

    private boolean sendBuffer(ByteBuffer message, int priority, long timeoutNanos) throws InterruptedException {
        Objects.requireNonNull(message, "message");
        int length = message.remaining();
        checkSend(length, priority);
        beginOp();
        try {
            Scratch scratch = Scratch.current();
            MemorySegment buffer = scratch.buffer(maxMessageSize);
            scratch.view(length).put(0, message, message.position(), length);
            boolean sent = sendNative(buffer, length, priority, timeoutNanos);
            if (sent) {
                message.position(message.limit());
            }
            return sent;
        } finally {
            endOp();
        }
    }

    private boolean sendSegment(MemorySegment message, int priority, long timeoutNanos) throws InterruptedException {
        Objects.requireNonNull(message, "message");
        long length = message.byteSize();
        checkSend(length, priority);
        beginOp();
        try {
            MemorySegment source = message;
            if (!message.isNative()) {
                source = Scratch.current().buffer(maxMessageSize);
                MemorySegment.copy(message, 0, source, 0, length);
            }
            return sendNative(source, length, priority, timeoutNanos);
        } finally {
            endOp();
        }
    }

    /** For {@link TypedMessageQueue}: sends what a codec wrote into this thread's scratch buffer. */
    boolean sendEncoded(Codec<?> codec, Object value, int priority, long timeoutNanos) throws InterruptedException {
        Objects.requireNonNull(value, "value");
        checkPriority(priority);
        beginOp();
        try {
            MemorySegment buffer = Scratch.current().sized(maxMessageSize);
            @SuppressWarnings("unchecked")
            long length = ((Codec<Object>) codec).encode(value, buffer, 0);
            if (length < 0 || length > maxMessageSize) {
                throw tooLong(length < 0 ? -length : length);
            }
            return sendNative(buffer, length, priority, timeoutNanos);
        } finally {
            endOp();
        }
    }

    private void checkSend(long length, int priority) {
        checkPriority(priority);
        if (length > maxMessageSize) {
            throw tooLong(length);
        }
        if (!access.canSend()) {
            throw new IllegalStateException("message queue " + name + " is open " + access + ": it cannot send");
        }
    }

    private MessageTooLongException tooLong(long length) {
        return new MessageTooLongException("send to message queue", name, length, maxMessageSize);
    }

    private static void checkPriority(int priority) {
        if (priority < 0 || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("priority=" + priority + " is outside 0.." + MAX_PRIORITY
                    + " (MQ_PRIO_MAX - 1)");
        }
    }

    private boolean sendNative(MemorySegment source, long length, int priority, long timeoutNanos)
            throws InterruptedException {
        return timeoutNanos <= 0
                ? attemptSend(source, length, priority)
                : sendWaiting(source, length, priority, timeoutNanos);
    }

    private boolean sendWaiting(MemorySegment source, long length, int priority, long timeoutNanos)
            throws InterruptedException {
        // only a wait without a timeout blocks in the kernel's call: its deadline is on the wall clock
        int blocking = timeoutNanos == FOREVER ? blockingDescriptor() : UNAVAILABLE;
        if (blocking >= 0) {
            long deadline = PollSet.deadline(timeoutNanos);
            if (transferBlocking(blocking, true, source, length, priority, deadline) == TIMED_OUT) {
                return attemptSend(source, length, priority);
            }
            return true;
        }
        if (attemptSend(source, length, priority)) {
            return true;
        }
        long deadline = PollSet.deadline(timeoutNanos);
        InterruptFd interrupt = InterruptFd.current();
        interrupt.arm();
        try {
            while (awaitReady(poll_h.POLLOUT(), interrupt, deadline)) {
                if (attemptSend(source, length, priority)) {
                    return true;
                }
            }
            return attemptSend(source, length, priority);
        } finally {
            interrupt.disarm();
        }
    }

    private boolean attemptSend(MemorySegment source, long length, int priority) {
        if (mqueue_h.mq_send(mqd, source, length, priority) == 0) {
            return true;
        }
        int errno = Errno.last();
        if (errno == errno_h.EAGAIN()) {
            return false;
        }
        if (errno == errno_h.EMSGSIZE()) {
            throw tooLong(length);
        }
        throw Errors.fromErrno(errno, "send to message queue", name);
    }

    // ---------------------------------------------------------------------------------------------
    // receiving

    /**
     * Receives the oldest message of the highest priority, waiting while the queue is empty.
     *
     * @throws InterruptedException if the thread is interrupted before or while waiting; no
     *         message is then taken
     * @throws IllegalStateException if the queue is closed, or opened {@link Access#WRITE_ONLY}
     */
    public Message receive() throws InterruptedException {
        checkInterrupt();
        return receiveMessage(FOREVER);
    }

    /**
     * Receives as {@link #receive()} does if a message is there.
     *
     * @return the message, or {@code null} if the queue is empty
     */
    public Message tryReceive() {
        try {
            return receiveMessage(0);
        } catch (InterruptedException cannotHappen) {
            throw new AssertionError("a try does not wait", cannotHappen);
        }
    }

    /**
     * Receives as {@link #receive()} does, waiting at most {@code timeout}.
     *
     * @return the message, or {@code null} if none came in time
     */
    public Message receive(Duration timeout) throws InterruptedException {
        checkInterrupt();
        return receiveMessage(Timeouts.toNanos(timeout));
    }

    /**
     * Receives the oldest message of the highest priority into {@code into} from offset 0, waiting
     * while the queue is empty. No allocation.
     *
     * @return the message's length and priority packed in one value: take them apart with
     *         {@link #lengthOf(long)} and {@link #priorityOf(long)}
     * @throws IllegalArgumentException if {@code into} is shorter than {@link #maxMessageSize()} (the
     *         kernel's rule: any message must fit) or read-only
     * @throws InterruptedException as {@link #receive()}
     */
    public long receive(MemorySegment into) throws InterruptedException {
        checkInterrupt();
        return receiveSegment(into, FOREVER);
    }

    /**
     * Receives as {@link #receive(MemorySegment)} does if a message is there.
     *
     * @return the length and priority packed as {@link #receive(MemorySegment)} returns them, or {@link #NO_MESSAGE} if the queue is empty
     */
    public long tryReceive(MemorySegment into) {
        try {
            return receiveSegment(into, 0);
        } catch (InterruptedException cannotHappen) {
            throw new AssertionError("a try does not wait", cannotHappen);
        }
    }

    /**
     * Receives as {@link #receive(MemorySegment)} does, waiting at most {@code timeout}.
     *
     * @return the length and priority packed as {@link #receive(MemorySegment)} returns them, or {@link #NO_MESSAGE} if none came in time
     */
    public long receive(MemorySegment into, Duration timeout) throws InterruptedException {
        checkInterrupt();
        return receiveSegment(into, Timeouts.toNanos(timeout));
    }

    /**
     * Receives the oldest message of the highest priority into {@code into} at its position,
     * advancing the position by the message's length, waiting while the queue is empty. No
     * allocation.
     *
     * @return the message's length and priority packed in one value, as {@link #receive(MemorySegment)}
     * @throws IllegalArgumentException if fewer than {@link #maxMessageSize()} bytes remain in
     *         {@code into}, or it is read-only
     * @throws InterruptedException as {@link #receive()}
     */
    public long receive(ByteBuffer into) throws InterruptedException {
        checkInterrupt();
        return receiveBuffer(into, FOREVER);
    }

    /**
     * Receives as {@link #receive(ByteBuffer)} does if a message is there.
     *
     * @return the length and priority packed as {@link #receive(MemorySegment)} returns them, or {@link #NO_MESSAGE} if the queue is empty
     */
    public long tryReceive(ByteBuffer into) {
        try {
            return receiveBuffer(into, 0);
        } catch (InterruptedException cannotHappen) {
            throw new AssertionError("a try does not wait", cannotHappen);
        }
    }

    /**
     * Receives as {@link #receive(ByteBuffer)} does, waiting at most {@code timeout}.
     *
     * @return the length and priority packed as {@link #receive(MemorySegment)} returns them, or {@link #NO_MESSAGE} if none came in time
     */
    public long receive(ByteBuffer into, Duration timeout) throws InterruptedException {
        checkInterrupt();
        return receiveBuffer(into, Timeouts.toNanos(timeout));
    }

    /** {@return the length of a message from the value a receive returned} */
    public static int lengthOf(long received) {
        checkReceived(received);
        return (int) received;
    }

    /** {@return the priority of a message from the value a receive returned} */
    public static int priorityOf(long received) {
        checkReceived(received);
        return (int) (received >>> Integer.SIZE);
    }

    private static void checkReceived(long received) {
        if (received < 0) {
            throw new IllegalArgumentException("received=" + received + " is NO_MESSAGE: no message came");
        }
    }

    private static long pack(long length, int priority) {
        return ((long) priority << Integer.SIZE) | length;
    }

    private Message receiveMessage(long timeoutNanos) throws InterruptedException {
        checkReceive();
        beginOp();
        try {
            MemorySegment buffer = Scratch.current().buffer(maxMessageSize);
            long received = receiveNative(buffer, timeoutNanos);
            if (received == NO_MESSAGE) {
                return null;
            }
            byte[] payload = buffer.asSlice(0, lengthOf(received)).toArray(ValueLayout.JAVA_BYTE);
            return new Message(payload, priorityOf(received));
        } finally {
            endOp();
        }
    }

    private long receiveSegment(MemorySegment into, long timeoutNanos) throws InterruptedException {
        Objects.requireNonNull(into, "into");
        checkReceive();
        if (into.byteSize() < maxMessageSize) {
            throw new IllegalArgumentException("into byteSize=" + into.byteSize() + " is less than maxMessageSize="
                    + maxMessageSize + " of message queue " + name + ": a message might not fit");
        }
        if (into.isReadOnly()) {
            throw new IllegalArgumentException("into is read-only");
        }
        beginOp();
        try {
            if (into.isNative()) {
                return receiveNative(into, timeoutNanos);
            }
            MemorySegment buffer = Scratch.current().buffer(maxMessageSize);
            long received = receiveNative(buffer, timeoutNanos);
            if (received != NO_MESSAGE) {
                MemorySegment.copy(buffer, 0, into, 0, lengthOf(received));
            }
            return received;
        } finally {
            endOp();
        }
    }

    private long receiveBuffer(ByteBuffer into, long timeoutNanos) throws InterruptedException {
        Objects.requireNonNull(into, "into");
        checkReceive();
        if (into.remaining() < maxMessageSize) {
            throw new IllegalArgumentException("into remaining=" + into.remaining() + " is less than maxMessageSize="
                    + maxMessageSize + " of message queue " + name + ": a message might not fit");
        }
        if (into.isReadOnly()) {
            throw new IllegalArgumentException("into is read-only");
        }
        beginOp();
        try {
            Scratch scratch = Scratch.current();
            long received = receiveNative(scratch.buffer(maxMessageSize), timeoutNanos);
            if (received != NO_MESSAGE) {
                into.put(scratch.view(lengthOf(received)));
            }
            return received;
        } finally {
            endOp();
        }
    }

    /**
     * For {@link TypedMessageQueue}: receives into this thread's scratch buffer, which holds the
     * message until the thread's next call. Returns as the receives do.
     */
    long receiveToScratch(long timeoutNanos) throws InterruptedException {
        checkReceive();
        beginOp();
        try {
            return receiveNative(Scratch.current().buffer(maxMessageSize), timeoutNanos);
        } finally {
            endOp();
        }
    }

    private void checkReceive() {
        if (!access.canReceive()) {
            throw new IllegalStateException("message queue " + name + " is open " + access + ": it cannot receive");
        }
    }

    private long receiveNative(MemorySegment target, long timeoutNanos) throws InterruptedException {
        return timeoutNanos <= 0 ? attemptReceive(target) : receiveWaiting(target, timeoutNanos);
    }

    private long receiveWaiting(MemorySegment target, long timeoutNanos) throws InterruptedException {
        // only a wait without a timeout blocks in the kernel's call: its deadline is on the wall clock
        int blocking = timeoutNanos == FOREVER ? blockingDescriptor() : UNAVAILABLE;
        if (blocking >= 0) {
            long deadline = PollSet.deadline(timeoutNanos);
            long length = transferBlocking(blocking, false, target, target.byteSize(), 0, deadline);
            if (length == TIMED_OUT) {
                return attemptReceive(target);
            }
            return pack(length, Scratch.current().priority.get(ValueLayout.JAVA_INT, 0));
        }
        long received = attemptReceive(target);
        if (received != NO_MESSAGE) {
            return received;
        }
        long deadline = PollSet.deadline(timeoutNanos);
        InterruptFd interrupt = InterruptFd.current();
        interrupt.arm();
        try {
            while (awaitReady(poll_h.POLLIN(), interrupt, deadline)) {
                received = attemptReceive(target);
                if (received != NO_MESSAGE) {
                    return received;
                }
            }
            return attemptReceive(target);
        } finally {
            interrupt.disarm();
        }
    }

    private long attemptReceive(MemorySegment target) {
        MemorySegment priority = Scratch.current().priority;
        long length = mqueue_h.mq_receive(mqd, target, target.byteSize(), priority);
        if (length >= 0) {
            return pack(length, priority.get(ValueLayout.JAVA_INT, 0));
        }
        int errno = Errno.last();
        if (errno == errno_h.EAGAIN()) {
            return NO_MESSAGE;
        }
        throw Errors.fromErrno(errno, "receive from message queue", name);
    }

    // ---------------------------------------------------------------------------------------------
    // waiting

    /**
     * Sends ({@code send}) or receives on the blocking descriptor, in {@code mq_timedsend} /
     * {@code mq_timedreceive} calls of at most {@link #SLICE_NANOS} each, until the transfer is
     * done, the deadline passes, the thread is interrupted, or the queue is closed. An interrupt or
     * {@code close()} ends the call in progress with {@code EINTR} through {@link InterruptSignal}.
     * The kernel hands a message straight to a receiver blocked in the call, as it does for C peers.
     *
     * @return what the call returned (a received message's length; 0 for a send), or
     *         {@link #TIMED_OUT} once the deadline has passed (the caller then tries once more)
     */
    private long transferBlocking(int blocking, boolean send, MemorySegment buffer, long length, int priority,
                                  long deadline) throws InterruptedException {
        Scratch scratch = Scratch.current();
        InterruptFd interrupt = InterruptFd.current();
        interrupt.arm();
        blocked.add(interrupt);
        try {
            while (true) {
                long slice = SLICE_NANOS;
                if (deadline != FOREVER) {
                    long remaining = deadline - MonotonicClock.nanos();
                    if (remaining <= 0) {
                        return TIMED_OUT;
                    }
                    slice = Math.min(slice, remaining);
                }
                MemorySegment sliceEnd = scratch.realtimeAfter(slice);
                long rc;
                interrupt.enterBlockingCall();
                try {
                    checkWakeUps();
                    rc = send
                            ? mqueue_h.mq_timedsend(blocking, buffer, length, priority, sliceEnd)
                            : mqueue_h.mq_timedreceive(blocking, buffer, length, scratch.priority, sliceEnd);
                } finally {
                    interrupt.exitBlockingCall();
                }
                if (rc >= 0) {
                    return rc;
                }
                int errno = Errno.last();
                if (errno != errno_h.EINTR() && errno != errno_h.ETIMEDOUT()) {
                    if (send && errno == errno_h.EMSGSIZE()) {
                        throw tooLong(length);
                    }
                    throw Errors.fromErrno(errno, send ? "send to message queue" : "receive from message queue", name);
                }
            }
        } finally {
            blocked.remove(interrupt);
            interrupt.disarm();
        }
    }

    /** Throws if the thread is interrupted (clearing the status) or the queue closed, interrupt first. */
    private void checkWakeUps() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (isClosed()) {
            throw new IllegalStateException("message queue " + name + " was closed while waiting");
        }
    }

    /**
     * {@return the blocking descriptor, opened on first use, or {@link #UNAVAILABLE}} Unavailable
     * when the signal cannot be used ({@link InterruptSignal#usable()}), or the name no longer
     * leads to this queue (unlinked, replaced by another queue, or no longer permitted): the second
     * descriptor is opened by name, and used only if {@code fstat} shows the same queue.
     */
    private int blockingDescriptor() {
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
            int fd = mqueue_h.mq_open(arena.allocateFrom(name), access.flags());
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

    /**
     * Waits in {@code poll(2)} until the queue reports {@code events}, the deadline passes, the
     * thread is interrupted, or the queue is closed. Returns {@code false} once the deadline has
     * passed (the caller then tries once more), {@code true} to try again.
     */
    private boolean awaitReady(short events, InterruptFd interrupt, long deadline) throws InterruptedException {
        if (PollSet.passed(deadline)) {
            return false;
        }
        PollSet fds = Scratch.current().waitSet;
        fds.set(0, mqd, events);
        fds.set(1, interrupt.fd(), poll_h.POLLIN());
        fds.set(2, closeSignal.fd(), poll_h.POLLIN());
        fds.poll(Scratch.WAIT_FDS, deadline, "wait for message queue", name);
        if (fds.revents(1) != 0) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            interrupt.clearStale();
        }
        if (fds.revents(2) != 0 || isClosed()) {
            throw new IllegalStateException("message queue " + name + " was closed while waiting");
        }
        return true;
    }

    private static void checkInterrupt() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // attributes

    /** {@return the queue's name, such as {@code "/orders"}} */
    public String name() {
        return name;
    }

    /** {@return how this queue is opened} */
    public Access access() {
        return access;
    }

    /** {@return whether this call created the queue (rather than opening an existing one)} */
    public boolean created() {
        return created;
    }

    /** {@return how many messages the queue holds at most ({@code mq_maxmsg})} */
    public int maxMessages() {
        return maxMessages;
    }

    /** {@return the longest message the queue takes, in bytes ({@code mq_msgsize})} */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * {@return how many messages are in the queue now ({@code mq_curmsgs})} Other processes may
     * change it at any moment.
     */
    public int messageCount() {
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

    /** {@return the queue's permission bits now, such as {@code 0600}} */
    public int mode() {
        beginOp();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = stat.allocate(arena);
            if (stat_h.fstat(mqd, st) != 0) {
                throw Errors.lastError("read the mode of message queue", name);
            }
            return stat.st_mode(st) & ALL_PERMISSION_BITS;
        } finally {
            endOp();
        }
    }

    /**
     * {@return a view of this queue that sends and receives values of type {@code T} through
     * {@code codec}} The view shares this queue's descriptor; closing either closes both.
     */
    public <T> TypedMessageQueue<T> typed(Codec<T> codec) {
        return new TypedMessageQueue<>(this, codec);
    }

    // ---------------------------------------------------------------------------------------------
    // notification

    /**
     * Asks the kernel to call {@code callback} once, when a message arrives in this queue while it is
     * empty ({@code mq_notify} with {@code SIGEV_THREAD}).
     *
     * {@snippet lang=java :
     * queue.notifyOnArrival(new Consumer<MessageQueue>() {
     *     public void accept(MessageQueue q) {
     *         q.notifyOnArrival(this);             // one-shot: register again first, then drain
     *         Message m;
     *         while ((m = q.tryReceive()) != null) {
     *             handle(m);
     *         }
     *     }
     * });
     * }
     *
     * <p>What the kernel promises, and so what this promises:
     * <ul>
     * <li>The notification is <b>one-shot</b>: after it fires, the registration is gone; register
     *     again to hear of the next arrival. Register before draining, or a message that arrives
     *     between draining and registering goes unnoticed until the next empty-to-non-empty change.
     * <li>It fires only when a message arrives in an <b>empty</b> queue: registering on a queue that
     *     holds messages fires nothing until it has been emptied and a message arrives again.
     * <li>It does not fire if some thread, of any process, is blocked in {@code mq_receive} on the
     *     queue at that moment: that thread gets the message instead. That includes threads of this
     *     class blocked in a receive (they wait in {@code mq_timedreceive}), unless they wait in
     *     the {@code poll(2)} fallback.
     * <li>Only one process at a time may be registered for a queue.
     * </ul>
     *
     * <p><b>The thread:</b> the C library starts a new native thread for each notification
     * ({@code SIGEV_THREAD}); the JVM attaches it for the call, so {@code callback} runs on a
     * thread of its own that is neither the registering thread nor any thread of an executor.
     * Keep the callback short or hand the work to an executor. An exception the callback throws
     * goes to the default uncaught exception handler (or is printed), never further.
     *
     * @throws IllegalStateException if this queue already has a notification pending (see
     *         {@link #cancelNotification()}), or is closed
     * @throws IpcException if another process, or another descriptor of this one, is registered for
     *         the queue ({@code EBUSY})
     */
    public void notifyOnArrival(Consumer<? super MessageQueue> callback) {
        Objects.requireNonNull(callback, "callback");
        beginOp();
        try {
            Notifications.register(this, mqd, callback);
        } finally {
            endOp();
        }
    }

    /**
     * Withdraws a pending {@link #notifyOnArrival} registration.
     *
     * @return whether there was one
     */
    public boolean cancelNotification() {
        beginOp();
        try {
            return Notifications.cancel(this, mqd);
        } finally {
            endOp();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // life cycle

    /** Removes this queue's name (see {@link #unlink(String)}); this descriptor stays usable. */
    public void unlink() {
        unlink(name);
    }

    /** {@return whether {@link #close()} has been called} */
    public boolean isClosed() {
        return ((long) STATE.getVolatile(this) & CLOSED) != 0;
    }

    /**
     * Closes this descriptor. Threads blocked on the queue (or in a {@link MessageQueueSelector})
     * wake and throw {@link IllegalStateException}; the descriptor is closed when the last of them
     * has left. A pending {@link #notifyOnArrival} registration is withdrawn. The queue itself
     * remains until unlinked. Calling it again does nothing.
     */
    @Override
    public void close() {
        long s;
        do {
            s = (long) STATE.getVolatile(this);
            if ((s & CLOSED) != 0) {
                return;
            }
            // close counts as a call in progress itself: the descriptors it signals stay open (and
            // their numbers unused) until it is done, even if the last other call ends meanwhile
        } while (!STATE.compareAndSet(this, s, (s | CLOSED) + 1));
        Notifications.forget(this);
        closeSignal.signal();
        blocked.wakeAll();
        endOp();
    }

    /** Marks a call in progress, so the descriptor stays open (and its number unused) until {@link #endOp()}. */
    void beginOp() {
        long s;
        do {
            s = (long) STATE.getVolatile(this);
            if ((s & CLOSED) != 0) {
                throw new IllegalStateException("message queue " + name + " is closed");
            }
        } while (!STATE.compareAndSet(this, s, s + 1));
    }

    void endOp() {
        long before = (long) STATE.getAndAdd(this, -1L);
        if (before == (CLOSED | 1)) {
            release();
        }
    }

    private void release() {
        mqueue_h.mq_close(mqd);
        int blocking = blockingMqd;
        if (blocking >= 0) {
            mqueue_h.mq_close(blocking);
        }
        closeSignal.close();
    }

    /** {@return the descriptor, for a selector's poll set; valid between {@link #beginOp()} and {@link #endOp()}} */
    int descriptor() {
        return mqd;
    }

    /** {@return the close eventfd, for a selector's poll set} */
    int closeDescriptor() {
        return closeSignal.fd();
    }

    @Override
    public String toString() {
        return "MessageQueue[" + name + ", " + access + ", maxMessages=" + maxMessages + ", maxMessageSize="
                + maxMessageSize + (isClosed() ? ", closed" : "") + "]";
    }
}
