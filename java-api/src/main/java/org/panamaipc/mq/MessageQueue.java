package org.panamaipc.mq;

import org.panamaipc.Access;
import org.panamaipc.AlreadyExistsException;
import org.panamaipc.IpcException;
import org.panamaipc.MessageTooLongException;
import org.panamaipc.NotFoundException;
import org.panamaipc.Outcome;
import org.panamaipc.bindings.limits_h;
import org.panamaipc.codec.Codec;
import org.panamaipc.internal.Lifecycle;
import org.panamaipc.internal.Namespace;
import org.panamaipc.internal.PosixNames;
import org.panamaipc.internal.Timeouts;

import java.lang.foreign.MemorySegment;
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
 * try (MessageQueue queue = MessageQueue.create("/orders", QueueOptions.of(10, 512))) {
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
 * <h2>Three forms of every send and receive</h2>
 * Messages may be {@code byte[]}, {@link ByteBuffer} or {@link MemorySegment}; each send and
 * receive comes as {@code trySend}/{@code tryReceive} (returns at once), {@code send}/{@code receive}
 * (waits as long as it takes) and {@code send(..., Duration)}/{@code receive(..., Duration)} (waits
 * at most that long; zero or negative is the try form, too long to count in nanoseconds is as long
 * as it takes). "Nothing happened" is said as everywhere in panama-ipc ({@link Outcome}): a send
 * returns 0 when the message went and {@link Outcome#FULL} when there was no room; a receive into a
 * {@code MemorySegment} or {@code ByteBuffer} returns the length or {@link Outcome#EMPTY}, and
 * {@link #lastHeader()} then gives length and priority without allocation; a receive of a
 * {@link Message} returns {@code null}. A queue has no senders or receivers to lose, so nothing
 * returns {@link Outcome#CLOSED}. A {@code ByteBuffer} is read from, or written at, its position,
 * which then moves past the message, and stays when nothing happened.
 *
 * <p>A form without a timeout waits as a C program does, in {@code mq_timedreceive} /
 * {@code mq_timedsend}, so the kernel hands an arriving message straight to a blocked receiver; a
 * form with a timeout waits in {@code poll(2)} with the deadline on {@code CLOCK_MONOTONIC}, one
 * wake-up and one system call more per message (docs/message-queues.md has the measurements).
 *
 * <h2>Receiving without allocation</h2>
 * {@snippet lang=java :
 * MemorySegment buffer = arena.allocate(queue.maxMessageLength());
 * int length;
 * while ((length = queue.receive(buffer, Duration.ofSeconds(1))) != Outcome.EMPTY) {
 *     handle(buffer.asSlice(0, length), queue.lastHeader().priority());
 * }
 * }
 * Native segments at least {@link #maxMessageLength()} long go straight to the kernel; byte arrays,
 * heap segments and byte buffers are copied through a buffer that each thread allocates once. In
 * steady state no send or receive allocates, except those that return a {@link Message}.
 *
 * <h2>Interrupts, threads and closing</h2>
 * A thread interrupted in a send or receive throws {@link InterruptedException} within
 * microseconds; one interrupted before it calls a waiting form throws at once. Any number of
 * threads may share a queue; {@link #close()} from any of them wakes the others as it says. An
 * open queue holds two file descriptors, and a third once a form without a timeout has waited.
 *
 * <h2>Names, modes and lifetime</h2>
 * Names follow the POSIX rules (checked before any system call). Queues are created with mode
 * {@code 0600} unless the {@link QueueOptions} say otherwise, applied exactly whatever the umask.
 * A queue lives until it is unlinked ({@link #unlink(String)}) and the last descriptor closed; its
 * messages survive every process. Closing never unlinks.
 *
 * @see MessageQueueSelector
 * @see MessageQueueLimits
 * @see TypedMessageQueue
 */
public final class MessageQueue implements AutoCloseable {

    /** The mode queues are created with unless told otherwise: {@code 0600}, owner read and write. */
    public static final int DEFAULT_MODE = Lifecycle.DEFAULT_MODE;

    /** The highest priority a message may have: {@code MQ_PRIO_MAX - 1}, 32767 on Linux. */
    public static final int MAX_PRIORITY = limits_h.MQ_PRIO_MAX() - 1;

    static final String WHAT = "message queue";

    // package-private for TypedMessageQueue, MessageQueueSelector and Notifications
    final QueueHandle handle;
    final QueueTransfer transfer;
    final QueueBuffers buffers;

    private MessageQueue(QueueHandle handle) {
        this.handle = handle;
        this.transfer = new QueueTransfer(handle);
        this.buffers = new QueueBuffers(handle);
    }

    // creating, opening, removing

    /**
     * Creates the queue {@code name} as {@code options} say and opens it for sending and receiving.
     *
     * @throws AlreadyExistsException if a queue of that name exists
     * @throws org.panamaipc.InvalidNameException if the name breaks the POSIX rules
     * @throws org.panamaipc.LimitReachedException if a system limit forbids it; the exception names
     *         the limit ({@code fs.mqueue.msg_max}, {@code fs.mqueue.msgsize_max},
     *         {@code fs.mqueue.queues_max}, {@code RLIMIT_MSGQUEUE}), its value and how to raise it
     */
    public static MessageQueue create(String name, QueueOptions options) {
        PosixNames.check(name);
        Objects.requireNonNull(options, "options");
        return new MessageQueue(QueueHandle.create(name, options));
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
        return new MessageQueue(QueueHandle.open(name, access));
    }

    /**
     * Opens {@code name} for sending and receiving if it exists, or else creates it as
     * {@link #create} does; {@link #created()} tells which happened. An existing queue keeps its
     * own sizes: check {@link #maxMessages()} and {@link #maxMessageLength()}. Race-free: when
     * another process removes the name between this call's create and open, it tries again (a few
     * times).
     */
    public static MessageQueue openOrCreate(String name, QueueOptions options) {
        PosixNames.check(name);
        Objects.requireNonNull(options, "options");
        return Lifecycle.openOrCreate(() -> create(name, options), () -> open(name));
    }

    /**
     * Removes the name {@code name}. Processes that have the queue open keep using it; it is
     * destroyed, with any messages in it, when the last one closes it.
     *
     * @throws NotFoundException if no queue of that name exists
     */
    public static void unlink(String name) {
        Namespace.MESSAGE_QUEUE.unlink(name, WHAT);
    }

    /** {@return whether the name existed and was removed} Like {@link #unlink(String)}, without failing on a missing name. */
    public static boolean unlinkIfExists(String name) {
        return Namespace.MESSAGE_QUEUE.unlinkIfExists(name, WHAT);
    }

    /** {@return whether a queue named {@code name} exists now} */
    public static boolean exists(String name) {
        return Namespace.MESSAGE_QUEUE.exists(name, WHAT);
    }

    /**
     * A queue over {@code mqd}, a non-blocking descriptor received from another process, which it
     * owns from the call on (closed if this fails). {@code name} is what {@code /proc/self/fd}
     * shows; the blocking forms use it only if it still leads to this queue.
     */
    static MessageQueue adopt(String name, Access access, int mqd) {
        return new MessageQueue(QueueHandle.adopt(name, access, mqd));
    }

    // sending: 0 when the message went, Outcome.FULL when there was no room

    /**
     * Sends {@code message} with {@code priority}, waiting while the queue is full. {@return 0}
     *
     * @throws InterruptedException if the thread is interrupted before or while waiting; the
     *         message is then not sent
     * @throws MessageTooLongException if the message is longer than {@link #maxMessageLength()}
     *         (its {@code errno()} is {@code EMSGSIZE}); nothing is sent and the queue is unchanged
     * @throws IllegalArgumentException if {@code priority} is outside 0..{@link #MAX_PRIORITY}
     * @throws IllegalStateException if the queue is closed (also while this thread waits), or
     *         opened {@link Access#READ_ONLY}
     */
    public long send(byte[] message, int priority) throws InterruptedException {
        QueueTransfer.checkInterrupt();
        return transfer.send(buffers.stage(message, priority), message.length, priority, Timeouts.FOREVER);
    }

    /** Sends as {@link #send(byte[], int)} does if there is room now. {@return 0, or {@link Outcome#FULL}} */
    public long trySend(byte[] message, int priority) {
        return transfer.trySend(buffers.stage(message, priority), message.length, priority);
    }

    /**
     * Sends as {@link #send(byte[], int)} does, waiting at most {@code timeout} for room.
     * {@return 0, or {@link Outcome#FULL} if the queue stayed full}
     */
    public long send(byte[] message, int priority, Duration timeout) throws InterruptedException {
        long timeoutNanos = Timeouts.toNanos(timeout);
        QueueTransfer.checkInterrupt();
        return transfer.send(buffers.stage(message, priority), message.length, priority, timeoutNanos);
    }

    /**
     * Sends the bytes of {@code message} from its position to its limit with {@code priority},
     * waiting while the queue is full, and moves its position to its limit. {@return 0}
     *
     * @throws InterruptedException as {@link #send(byte[], int)}
     */
    public long send(ByteBuffer message, int priority) throws InterruptedException {
        QueueTransfer.checkInterrupt();
        MemorySegment source = buffers.stage(message, priority);
        return QueueBuffers.advanced(message, transfer.send(source, message.remaining(), priority, Timeouts.FOREVER));
    }

    /**
     * Sends as {@link #send(ByteBuffer, int)} does if there is room now; the position moves only
     * if the message went. {@return 0, or {@link Outcome#FULL}}
     */
    public long trySend(ByteBuffer message, int priority) {
        MemorySegment source = buffers.stage(message, priority);
        return QueueBuffers.advanced(message, transfer.trySend(source, message.remaining(), priority));
    }

    /**
     * Sends as {@link #send(ByteBuffer, int)} does, waiting at most {@code timeout}; the position
     * moves only if the message went. {@return 0, or {@link Outcome#FULL} if the queue stayed full}
     */
    public long send(ByteBuffer message, int priority, Duration timeout) throws InterruptedException {
        long timeoutNanos = Timeouts.toNanos(timeout);
        QueueTransfer.checkInterrupt();
        MemorySegment source = buffers.stage(message, priority);
        return QueueBuffers.advanced(message, transfer.send(source, message.remaining(), priority, timeoutNanos));
    }

    /**
     * Sends all of {@code message} with {@code priority}, waiting while the queue is full. A native
     * segment goes to the kernel without a copy. {@return 0}
     *
     * @throws InterruptedException as {@link #send(byte[], int)}
     */
    public long send(MemorySegment message, int priority) throws InterruptedException {
        QueueTransfer.checkInterrupt();
        return transfer.send(buffers.stage(message, priority), message.byteSize(), priority, Timeouts.FOREVER);
    }

    /** Sends as {@link #send(MemorySegment, int)} does if there is room now. {@return 0, or {@link Outcome#FULL}} */
    public long trySend(MemorySegment message, int priority) {
        return transfer.trySend(buffers.stage(message, priority), message.byteSize(), priority);
    }

    /**
     * Sends as {@link #send(MemorySegment, int)} does, waiting at most {@code timeout}.
     * {@return 0, or {@link Outcome#FULL} if the queue stayed full}
     */
    public long send(MemorySegment message, int priority, Duration timeout) throws InterruptedException {
        long timeoutNanos = Timeouts.toNanos(timeout);
        QueueTransfer.checkInterrupt();
        return transfer.send(buffers.stage(message, priority), message.byteSize(), priority, timeoutNanos);
    }

    // receiving: a Message or null; into the caller's memory, the length or Outcome.EMPTY

    /**
     * Receives the oldest message of the highest priority, waiting while the queue is empty.
     *
     * @throws InterruptedException if the thread is interrupted before or while waiting; no
     *         message is then taken
     * @throws IllegalStateException if the queue is closed (also while this thread waits), or
     *         opened {@link Access#WRITE_ONLY}
     */
    public Message receive() throws InterruptedException {
        QueueTransfer.checkInterrupt();
        MemorySegment buffer = buffers.prepareScratch();
        return buffers.toMessage(buffer, transfer.receive(buffer, Timeouts.FOREVER));
    }

    /** Receives as {@link #receive()} does if a message is there. {@return the message, or {@code null} if the queue is empty} */
    public Message tryReceive() {
        MemorySegment buffer = buffers.prepareScratch();
        return buffers.toMessage(buffer, transfer.tryReceive(buffer));
    }

    /** Receives as {@link #receive()} does, waiting at most {@code timeout}. {@return the message, or {@code null} if none came in time} */
    public Message receive(Duration timeout) throws InterruptedException {
        long timeoutNanos = Timeouts.toNanos(timeout);
        QueueTransfer.checkInterrupt();
        MemorySegment buffer = buffers.prepareScratch();
        return buffers.toMessage(buffer, transfer.receive(buffer, timeoutNanos));
    }

    /**
     * Receives the oldest message of the highest priority into {@code into} from offset 0, waiting
     * while the queue is empty; {@link #lastHeader()} then describes it. No allocation.
     * {@return the message's length}
     *
     * @throws IllegalArgumentException if {@code into} is shorter than {@link #maxMessageLength()}
     *         (the kernel's rule: any message must fit) or read-only
     * @throws InterruptedException as {@link #receive()}
     */
    public int receive(MemorySegment into) throws InterruptedException {
        QueueTransfer.checkInterrupt();
        MemorySegment target = buffers.prepare(into);
        return buffers.delivered(into, target, transfer.receive(target, Timeouts.FOREVER));
    }

    /** Receives as {@link #receive(MemorySegment)} does if a message is there. {@return its length, or {@link Outcome#EMPTY}} */
    public int tryReceive(MemorySegment into) {
        MemorySegment target = buffers.prepare(into);
        return buffers.delivered(into, target, transfer.tryReceive(target));
    }

    /**
     * Receives as {@link #receive(MemorySegment)} does, waiting at most {@code timeout}.
     * {@return its length, or {@link Outcome#EMPTY} if none came in time}
     */
    public int receive(MemorySegment into, Duration timeout) throws InterruptedException {
        long timeoutNanos = Timeouts.toNanos(timeout);
        QueueTransfer.checkInterrupt();
        MemorySegment target = buffers.prepare(into);
        return buffers.delivered(into, target, transfer.receive(target, timeoutNanos));
    }

    /**
     * Receives the oldest message of the highest priority into {@code into} at its position, and
     * moves the position past it, waiting while the queue is empty; {@link #lastHeader()} then
     * describes it. No allocation. {@return the message's length}
     *
     * @throws IllegalArgumentException if fewer than {@link #maxMessageLength()} bytes remain in
     *         {@code into}, or it is read-only
     * @throws InterruptedException as {@link #receive()}
     */
    public int receive(ByteBuffer into) throws InterruptedException {
        QueueTransfer.checkInterrupt();
        MemorySegment buffer = buffers.prepare(into);
        return buffers.delivered(into, transfer.receive(buffer, Timeouts.FOREVER));
    }

    /**
     * Receives as {@link #receive(ByteBuffer)} does if a message is there; the position stays when
     * none is. {@return its length, or {@link Outcome#EMPTY}}
     */
    public int tryReceive(ByteBuffer into) {
        MemorySegment buffer = buffers.prepare(into);
        return buffers.delivered(into, transfer.tryReceive(buffer));
    }

    /**
     * Receives as {@link #receive(ByteBuffer)} does, waiting at most {@code timeout}; the position
     * stays when none came. {@return its length, or {@link Outcome#EMPTY} if none came in time}
     */
    public int receive(ByteBuffer into, Duration timeout) throws InterruptedException {
        long timeoutNanos = Timeouts.toNanos(timeout);
        QueueTransfer.checkInterrupt();
        MemorySegment buffer = buffers.prepare(into);
        return buffers.delivered(into, transfer.receive(buffer, timeoutNanos));
    }

    /**
     * {@return the length and priority of the message the calling thread last received from this
     * queue} One instance per thread and queue, updated by each of that thread's receives (all
     * zero before the first); reading it allocates nothing.
     */
    public QueueMessageHeader lastHeader() {
        return buffers.lastHeader();
    }

    // attributes

    /** {@return the queue's name, such as {@code "/orders"}} */
    public String name() {
        return handle.name;
    }

    /** {@return how this queue is opened} */
    public Access access() {
        return handle.access;
    }

    /** {@return whether the call that returned this queue created it (rather than opening an existing one)} */
    public boolean created() {
        return handle.created;
    }

    /** {@return how many messages the queue holds at most ({@code mq_maxmsg})} */
    public int maxMessages() {
        return handle.maxMessages;
    }

    /** {@return the longest message the queue takes, in bytes ({@code mq_msgsize})} */
    public int maxMessageLength() {
        return handle.maxMessageLength;
    }

    /** {@return how many messages are in the queue now ({@code mq_curmsgs})} Other processes may change it at any moment. */
    public int messageCount() {
        return handle.messageCount();
    }

    /** {@return the queue's permission bits now, such as {@code 0600}} */
    public int mode() {
        return handle.mode();
    }

    /**
     * {@return a view of this queue that sends and receives values of type {@code T} through
     * {@code codec}} The view shares this queue's descriptor; closing either closes both.
     *
     * @throws IllegalStateException if the queue is closed
     */
    public <T> TypedMessageQueue<T> typed(Codec<T> codec) {
        if (isClosed()) {
            throw handle.closedException();
        }
        return new TypedMessageQueue<>(this, codec);
    }

    // notification

    /**
     * Asks the kernel to call {@code callback} once, on a thread of its own, when a message arrives
     * in this queue while it is empty ({@code mq_notify}, {@code SIGEV_THREAD}); one-shot: register
     * again, then drain. Not while a thread of any process is blocked in a receive on the queue (it
     * gets the message); one process at a time. docs/message-queues.md has the loop and the rules.
     *
     * @throws IllegalStateException if this queue already has a notification pending (see
     *         {@link #cancelNotification()}), or is closed
     * @throws IpcException if another process, or another descriptor of this one, is registered for
     *         the queue ({@code EBUSY})
     */
    public void notifyOnArrival(Consumer<? super MessageQueue> callback) {
        Objects.requireNonNull(callback, "callback");
        handle.beginOp();
        try {
            Notifications.register(this, handle.mqd, callback);
        } finally {
            handle.endOp();
        }
    }

    /** Withdraws a pending {@link #notifyOnArrival} registration. {@return whether there was one} */
    public boolean cancelNotification() {
        handle.beginOp();
        try {
            return Notifications.cancel(this, handle.mqd);
        } finally {
            handle.endOp();
        }
    }

    // life cycle

    /**
     * Removes this queue's name (see {@link #unlink(String)}); this descriptor stays usable.
     *
     * @throws NotFoundException if the name was removed already
     */
    public void unlink() {
        unlink(handle.name);
    }

    /** {@return whether {@link #close()} has been called} */
    public boolean isClosed() {
        return handle.isClosed();
    }

    /**
     * Closes this descriptor. Threads blocked on the queue (or in a {@link MessageQueueSelector})
     * wake at once and throw {@link IllegalStateException} naming it; this call returns once they
     * have left and the descriptors are closed. A pending {@link #notifyOnArrival} registration is
     * withdrawn. The queue itself remains until unlinked. Calling it again does nothing.
     */
    @Override
    public void close() {
        handle.close(() -> Notifications.forget(this));
    }

    @Override
    public String toString() {
        return "MessageQueue[" + handle.name + ", " + handle.access + ", maxMessages=" + handle.maxMessages
                + ", maxMessageLength=" + handle.maxMessageLength + (isClosed() ? ", closed" : "") + "]";
    }
}
