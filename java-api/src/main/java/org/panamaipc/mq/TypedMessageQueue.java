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
 * try (TypedMessageQueue<Order> orders = MessageQueue.open("/orders").typed(Codec.ofRecord(Order.class))) {
 *     Order order = orders.receive();
 * }
 * }
 *
 * <p>Sends, receives, timeouts, interrupts, threads and closing behave as in {@link MessageQueue};
 * this is a view of one, sharing its descriptor: {@link #close()} closes the queue. A value whose
 * encoding is longer than the queue's {@linkplain MessageQueue#maxMessageSize() maximum message
 * size} is refused with {@link MessageTooLongException} before anything is sent. A received
 * message the codec cannot read (a record of the wrong length) throws
 * {@link MalformedMessageException}; it has been taken from the queue.
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
     * size (such as a {@link org.panamaipc.codec.RecordCodec}), with messages of exactly that size;
     * see {@link MessageQueue#create(String, int, int)}.
     *
     * @throws IllegalArgumentException if the codec's encodings differ in size
     */
    public static <T> TypedMessageQueue<T> create(String name, int maxMessages, Codec<T> codec) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(codec, "codec");
        long size = codec.fixedSize().orElseThrow(() -> new IllegalArgumentException(
                "codec=" + codec + " has no fixed size; give the message size: MessageQueue.create(name, "
                        + maxMessages + ", size).typed(codec)"));
        return MessageQueue.create(name, maxMessages, (int) Math.max(1, size)).typed(codec);
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
     * Sends {@code value} with {@code priority}, waiting while the queue is full.
     *
     * @throws MessageTooLongException if its encoding is longer than the queue takes
     * @throws InterruptedException if the thread is interrupted before or while waiting
     * @see MessageQueue#send(byte[], int)
     */
    public void send(T value, int priority) throws InterruptedException {
        checkInterrupt();
        queue.sendEncoded(codec, value, priority, PollSet.FOREVER);
    }

    /**
     * Sends as {@link #send(Object, int)} does if there is room now.
     *
     * @return {@code true} if the message was sent, {@code false} if the queue is full
     */
    public boolean trySend(T value, int priority) {
        try {
            return queue.sendEncoded(codec, value, priority, 0);
        } catch (InterruptedException cannotHappen) {
            throw new AssertionError("a try does not wait", cannotHappen);
        }
    }

    /**
     * Sends as {@link #send(Object, int)} does, waiting at most {@code timeout}.
     *
     * @return {@code true} if the message was sent, {@code false} if the queue stayed full
     */
    public boolean send(T value, int priority, Duration timeout) throws InterruptedException {
        checkInterrupt();
        return queue.sendEncoded(codec, value, priority, Timeouts.toNanos(timeout));
    }

    /**
     * Receives the value of the oldest message of the highest priority, waiting while the queue is
     * empty.
     *
     * @throws MalformedMessageException if the codec cannot decode the message
     * @throws InterruptedException if the thread is interrupted before or while waiting
     */
    public T receive() throws InterruptedException {
        checkInterrupt();
        return decode(queue.receiveToScratch(PollSet.FOREVER));
    }

    /**
     * Receives as {@link #receive()} does if a message is there.
     *
     * @return the message, or {@code null} if the queue is empty
     */
    public T tryReceive() {
        try {
            return decode(queue.receiveToScratch(0));
        } catch (InterruptedException cannotHappen) {
            throw new AssertionError("a try does not wait", cannotHappen);
        }
    }

    /**
     * Receives as {@link #receive()} does, waiting at most {@code timeout}.
     *
     * @return the message, or {@code null} if none came in time
     */
    public T receive(Duration timeout) throws InterruptedException {
        checkInterrupt();
        return decode(queue.receiveToScratch(Timeouts.toNanos(timeout)));
    }

    private T decode(long received) {
        if (received == MessageQueue.NO_MESSAGE) {
            return null;
        }
        MemorySegment buffer = Scratch.current().buffer(queue.maxMessageSize());
        return codec.decode(buffer.asSlice(0, MessageQueue.lengthOf(received)));
    }

    private static void checkInterrupt() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
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
