package org.panamaipc.mq;

import org.panamaipc.MessageTooLongException;
import org.panamaipc.codec.Codec;
import org.panamaipc.codec.MalformedMessageException;
import org.panamaipc.internal.Timeouts;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link MessageQueue} that sends and receives values of type {@code T} through a
 * {@link Codec}. The codec writes each value straight into the thread's send buffer, so sending a
 * record or a string allocates nothing; receiving allocates the value the codec returns.
 *
 * {@snippet lang=java :
 * record Order(long id, int quantity, double limit) {}
 *
 * // process A
 * try (TypedMessageQueue<Order> orders = TypedMessageQueue.create("/orders", 10, Codec.ofRecord(Order.class))) {
 *     orders.send(new Order(1, 100, 99.5), 0);
 * }
 * // process B
 * try (TypedMessageQueue<Order> orders = TypedMessageQueue.open("/orders", Codec.ofRecord(Order.class))) {
 *     Order order = orders.receive();
 * }
 * }
 *
 * <p>Sends and receives come in the three forms of {@link MessageQueue}, with its results: a send
 * returns 0 or {@link org.panamaipc.Outcome#FULL}, a receive the value or {@code null}, and
 * {@link #lastHeader()} the length and priority of the message last received. Timeouts,
 * interrupts, threads and closing behave as in {@link MessageQueue}; this is a view of one,
 * sharing its descriptor: {@link #close()} closes the queue. A value whose encoding is longer than
 * the queue's {@linkplain MessageQueue#maxMessageLength() longest message} is refused with
 * {@link MessageTooLongException} before anything is sent. A received message the codec cannot
 * read (a record of the wrong length) throws {@link MalformedMessageException}; it has been taken
 * from the queue. The lifecycle is the queue's: {@link #create}, {@link #open}, {@link #openOrCreate},
 * {@link #unlink(String)}, {@link #unlinkIfExists}, {@link #exists}.
 *
 * @param <T> the type of the values
 */
public final class TypedMessageQueue<T> implements AutoCloseable {

    private final MessageQueue queue;
    private final Codec<T> codec;

    TypedMessageQueue(MessageQueue queue, Codec<T> codec) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /**
     * Creates a queue for {@code maxMessages} values of a codec whose encodings all have the same
     * size (such as a {@link org.panamaipc.codec.RecordCodec}), with messages of exactly that size
     * and mode {@code 0600}; see {@link MessageQueue#create}.
     *
     * @throws IllegalArgumentException if the codec's encodings differ in size
     */
    public static <T> TypedMessageQueue<T> create(String name, int maxMessages, Codec<T> codec) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(codec, "codec");
        return create(name, QueueOptions.of(maxMessages, fixedSize(codec)), codec);
    }

    /**
     * Creates a queue as {@code options} say (see {@link MessageQueue#create}) for values of
     * {@code codec}.
     */
    public static <T> TypedMessageQueue<T> create(String name, QueueOptions options, Codec<T> codec) {
        Objects.requireNonNull(codec, "codec");
        return MessageQueue.create(name, options).typed(codec);
    }

    /** Opens the existing queue {@code name} (see {@link MessageQueue#open(String)}) for values of {@code codec}. */
    public static <T> TypedMessageQueue<T> open(String name, Codec<T> codec) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(codec, "codec");
        return MessageQueue.open(name).typed(codec);
    }

    /**
     * Opens {@code name} if it exists, or else creates it as {@code options} say (see
     * {@link MessageQueue#openOrCreate}), for values of {@code codec}; {@link #created()} says which.
     */
    public static <T> TypedMessageQueue<T> openOrCreate(String name, QueueOptions options, Codec<T> codec) {
        Objects.requireNonNull(codec, "codec");
        return MessageQueue.openOrCreate(name, options).typed(codec);
    }

    /** Removes the name {@code name}; see {@link MessageQueue#unlink(String)}. */
    public static void unlink(String name) {
        MessageQueue.unlink(name);
    }

    /** {@return whether the name existed and was removed}; see {@link MessageQueue#unlinkIfExists(String)} */
    public static boolean unlinkIfExists(String name) {
        return MessageQueue.unlinkIfExists(name);
    }

    /** {@return whether a queue named {@code name} exists now} */
    public static boolean exists(String name) {
        return MessageQueue.exists(name);
    }

    private static int fixedSize(Codec<?> codec) {
        long size = codec.fixedSize().orElseThrow(() -> new IllegalArgumentException(
                "codec=" + codec + " has no fixed size; give the longest message: TypedMessageQueue.create(name,"
                        + " QueueOptions.of(maxMessages, maxMessageLength), codec)"));
        return (int) Math.max(1, size);
    }

    /** {@return the queue this is a view of} */
    public MessageQueue queue() {
        return queue;
    }

    /** {@return the codec} */
    public Codec<T> codec() {
        return codec;
    }

    /**
     * Sends {@code value} with {@code priority}, waiting while the queue is full. {@return 0}
     *
     * @throws MessageTooLongException if its encoding is longer than the queue takes
     * @throws InterruptedException if the thread is interrupted before or while waiting
     * @see MessageQueue#send(byte[], int)
     */
    public long send(T value, int priority) throws InterruptedException {
        QueueTransfer.checkInterrupt();
        long length = queue.buffers.stageEncoded(codec, value, priority);
        return queue.transfer.send(queue.buffers.scratch(), length, priority, Timeouts.FOREVER);
    }

    /** Sends as {@link #send(Object, int)} does if there is room now. {@return 0, or {@link org.panamaipc.Outcome#FULL}} */
    public long trySend(T value, int priority) {
        long length = queue.buffers.stageEncoded(codec, value, priority);
        return queue.transfer.trySend(queue.buffers.scratch(), length, priority);
    }

    /**
     * Sends as {@link #send(Object, int)} does, waiting at most {@code timeout}.
     * {@return 0, or {@link org.panamaipc.Outcome#FULL} if the queue stayed full}
     */
    public long send(T value, int priority, Duration timeout) throws InterruptedException {
        long timeoutNanos = Timeouts.toNanos(timeout);
        QueueTransfer.checkInterrupt();
        long length = queue.buffers.stageEncoded(codec, value, priority);
        return queue.transfer.send(queue.buffers.scratch(), length, priority, timeoutNanos);
    }

    /**
     * Receives the value of the oldest message of the highest priority, waiting while the queue is
     * empty.
     *
     * @throws MalformedMessageException if the codec cannot decode the message
     * @throws InterruptedException if the thread is interrupted before or while waiting
     */
    public T receive() throws InterruptedException {
        QueueTransfer.checkInterrupt();
        MemorySegment buffer = queue.buffers.prepareScratch();
        return decode(buffer, queue.transfer.receive(buffer, Timeouts.FOREVER));
    }

    /** Receives as {@link #receive()} does if a message is there. {@return the value, or {@code null} if the queue is empty} */
    public T tryReceive() {
        MemorySegment buffer = queue.buffers.prepareScratch();
        return decode(buffer, queue.transfer.tryReceive(buffer));
    }

    /** Receives as {@link #receive()} does, waiting at most {@code timeout}. {@return the value, or {@code null} if none came in time} */
    public T receive(Duration timeout) throws InterruptedException {
        long timeoutNanos = Timeouts.toNanos(timeout);
        QueueTransfer.checkInterrupt();
        MemorySegment buffer = queue.buffers.prepareScratch();
        return decode(buffer, queue.transfer.receive(buffer, timeoutNanos));
    }

    private T decode(MemorySegment buffer, int length) {
        if (queue.buffers.noted(length) < 0) {
            return null;
        }
        return codec.decode(buffer.asSlice(0, length));
    }

    /** {@return the length and priority of the message the calling thread last received; see {@link MessageQueue#lastHeader()}} */
    public QueueMessageHeader lastHeader() {
        return queue.lastHeader();
    }

    /** {@return whether the call that returned the queue created it} */
    public boolean created() {
        return queue.created();
    }

    /** Removes the queue's name; see {@link MessageQueue#unlink()}. */
    public void unlink() {
        queue.unlink();
    }

    /** Closes the queue (see {@link MessageQueue#close()}). */
    @Override
    public void close() {
        queue.close();
    }

    @Override
    public String toString() {
        return "TypedMessageQueue[" + queue + ", " + codec + "]";
    }
}
