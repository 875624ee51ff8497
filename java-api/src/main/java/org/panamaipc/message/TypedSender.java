package org.panamaipc.message;

import org.panamaipc.Outcome;
import org.panamaipc.PeerGoneException;
import org.panamaipc.channel.Sender;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Objects;

/**
 * Sends values of type {@code T} through a ring channel's {@link Sender}, each encoded by a
 * {@link org.panamaipc.codec.Codec} straight into the ring: a record is written in place into the
 * claimed record, field by field, so a steady stream of records allocates nothing. Every message
 * carries the same message {@link #type()}. The payload is exactly the encoding (a record as the C
 * struct {@link org.panamaipc.codec.RecordCodec#cHeader()} declares), so a C peer reads it with the
 * ring's operations and that header.
 *
 * {@snippet lang=java :
 * record Tick(long instrument, double price, int quantity) {}
 * static final RecordCodec<Tick> TICKS = Codec.ofRecord(Tick.class);
 *
 * try (RingChannel ring = RingChannel.open("/ticks");
 *      TypedSender<Tick> ticks = TypedSender.of(ring.sender(), TICKS, TICK_TYPE)) {
 *     ticks.send(new Tick(7, 101.5, 300));             // encoded in place
 *     long index = ticks.tryClaim();                    // or field by field, no record at all
 *     if (index >= 0) {
 *         TICKS.field("instrument").setLong(ticks.buffer(), index, 7);
 *         TICKS.field("price").setDouble(ticks.buffer(), index, 101.5);
 *         TICKS.field("quantity").setInt(ticks.buffer(), index, 300);
 *         ticks.commit(index);
 *     }
 * }
 * }
 *
 * <p>Sends come in the three forms of every sender, with the results of {@link Sender}: the
 * sequence number ({@code >= 0}), {@link #FULL} or {@link #CLOSED} from {@link #trySend} and
 * {@link #send(Object, Duration)}; {@link #send(Object)} waits as long as it takes and throws
 * {@link PeerGoneException} when the receivers have gone. If the codec throws while encoding
 * (a string longer than its bound, say), the claim is aborted, receivers pass over it, and the
 * exception reaches the caller. A value whose codec tells its size before encoding it (a record,
 * a byte array, a string: {@link org.panamaipc.codec.Codec#encodedSize}) is encoded in place;
 * others are encoded into a buffer of this sender first and copied. Like the sender, this is used by one
 * thread at a time; {@link #close()} closes the sender.
 *
 * @param <T> the type of the values
 */
public final class TypedSender<T> implements AutoCloseable {

    /** No room in the ring (now, or within the timeout): {@link Outcome#FULL}. */
    public static final long FULL = Outcome.FULL;
    /** The ring is full and its receivers have gone: {@link Outcome#CLOSED}. */
    public static final long CLOSED = Outcome.CLOSED;

    private static final String SEND = "send to";

    private final Sender sender;
    private final Values<T> values;
    private final int type;
    private final Arena arena;
    /** Where variable-size encodings are made: {@code maxMessageLength} bytes; null for fixed sizes. */
    private final MemorySegment scratch;

    private TypedSender(Sender sender, Values<T> values, int type) {
        this.sender = sender;
        this.values = values;
        this.type = type;
        if (values.fixed()) {
            if (values.fixedSize > sender.maxMessageLength()) {
                throw new IllegalArgumentException("codec=" + values.codec + " encodes " + values.fixedSize
                        + " bytes, more than maxMessageLength=" + sender.maxMessageLength() + " of " + sender);
            }
            arena = null;
            scratch = null;
        } else {
            arena = Arena.ofShared();
            scratch = arena.allocate(Math.max(1, sender.maxMessageLength()), Long.BYTES)
                    .asSlice(0, sender.maxMessageLength());
        }
    }

    /**
     * {@return a typed sender over {@code sender} that sends every value as a message of
     * {@code type}} It takes over the sender: closing it closes the sender.
     *
     * @throws IllegalArgumentException if the codec's encodings are longer than the channel's
     *         longest message
     * @throws NullPointerException if {@code sender} or {@code codec} is null
     */
    public static <T> TypedSender<T> of(Sender sender, org.panamaipc.codec.Codec<T> codec, int type) {
        Objects.requireNonNull(sender, "sender");
        return new TypedSender<>(sender, new Values<>(codec), type);
    }

    /**
     * Sends {@code value} if there is room now. {@return the sequence number, or {@link #FULL} or
     * {@link #CLOSED}}
     *
     * @throws org.panamaipc.MessageTooLongException if the value's encoding is longer than the
     *         channel's longest message; nothing is sent
     * @throws NullPointerException if {@code value} is null
     */
    public long trySend(T value) {
        long size = checkedSize(value);
        if (size >= 0) {
            long index = sender.tryClaim(type, (int) size);
            return index < 0 ? index : encodeAndCommit(value, index, size);
        }
        return sender.trySend(type, scratch, 0, encodeToScratch(value));
    }

    /** {@return the encoding's size if the codec tells it before encoding, else -1} */
    private long checkedSize(T value) {
        long size = values.sizeOf(value);
        if (size > sender.maxMessageLength()) {
            throw Values.tooLong(SEND, sender.toString(), size, sender.maxMessageLength());
        }
        return size;
    }

    /**
     * Sends {@code value}, waiting for room as long as it takes. {@return the sequence number}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws PeerGoneException if every receiver has gone while the ring is full
     * @throws org.panamaipc.MessageTooLongException as {@link #trySend(Object)}
     */
    public long send(T value) throws InterruptedException {
        long size = checkedSize(value);
        if (size >= 0) {
            long index = sender.tryClaim(type, (int) size);
            return encodeAndCommit(value, index >= 0 ? index : sender.claim(type, (int) size), size);
        }
        return sender.send(type, scratch, 0, encodeToScratch(value));
    }

    /**
     * Sends {@code value}, waiting at most {@code timeout} for room. {@return the sequence number,
     * or {@link #FULL} on timeout, or {@link #CLOSED}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws org.panamaipc.MessageTooLongException as {@link #trySend(Object)}
     * @throws NullPointerException if {@code value} or {@code timeout} is null
     */
    public long send(T value, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        long size = checkedSize(value);
        if (size >= 0) {
            long index = sender.tryClaim(type, (int) size);
            if (index == FULL) {
                index = sender.claim(type, (int) size, timeout);
            }
            return index < 0 ? index : encodeAndCommit(value, index, size);
        }
        int length = encodeToScratch(value);
        long sent = sender.trySend(type, scratch, 0, length);
        return sent == FULL ? sender.send(type, scratch, 0, length, timeout) : sent;
    }

    private long encodeAndCommit(T value, long index, long size) {
        try {
            values.encodeSized(value, sender.buffer(), index, size);
        } catch (RuntimeException | Error e) {
            sender.abort(index);
            throw e;
        }
        return sender.commit(index);
    }

    private int encodeToScratch(T value) {
        return values.encode(value, scratch, 0, SEND, sender.toString());
    }

    /**
     * Claims room for one encoding of a fixed-size codec if there is room now, to be written in
     * place (through {@link org.panamaipc.codec.RecordField}s) into {@link #buffer()} at the index
     * returned, then {@link #commit(long) committed} or {@link #abort(long) aborted}.
     * {@return the index, or {@link #FULL} or {@link #CLOSED}}
     *
     * @throws IllegalStateException if the codec's encodings differ in size, or a claim is open
     */
    public long tryClaim() {
        return sender.tryClaim(type, fixedSize());
    }

    /**
     * Claims as {@link #tryClaim()}, waiting as long as it takes. {@return the index}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws PeerGoneException if every receiver has gone while the ring is full
     */
    public long claim() throws InterruptedException {
        return sender.claim(type, fixedSize());
    }

    /**
     * Claims as {@link #tryClaim()}, waiting at most {@code timeout}. {@return the index, or
     * {@link #FULL} on timeout, or {@link #CLOSED}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public long claim(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return sender.claim(type, fixedSize(), timeout);
    }

    private int fixedSize() {
        if (!values.fixed()) {
            throw new IllegalStateException("codec=" + values.codec + " has encodings of different sizes:"
                    + " only a fixed-size codec (a record's) can be written in place");
        }
        return values.fixedSize;
    }

    /** {@return the ring's records, where a claimed encoding is written} */
    public MemorySegment buffer() {
        return sender.buffer();
    }

    /** Publishes the claimed encoding. {@return its sequence number} */
    public long commit(long index) {
        return sender.commit(index);
    }

    /** Gives the claim up: receivers pass over it. */
    public void abort(long index) {
        sender.abort(index);
    }

    /** {@return the message type of every message this sends} */
    public int type() {
        return type;
    }

    /** {@return the codec} */
    public org.panamaipc.codec.Codec<T> codec() {
        return values.codec;
    }

    /** {@return the ring sender underneath} */
    public Sender sender() {
        return sender;
    }

    /** Closes the sender; idempotent. */
    @Override
    public void close() {
        sender.close();
        if (arena != null && arena.scope().isAlive()) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "TypedSender[" + sender + ", " + values.codec + ", type " + type + "]";
    }
}
