package org.panamaipc.message;

import org.panamaipc.Outcome;
import org.panamaipc.PeerGoneException;
import org.panamaipc.channel.Sender;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Objects;

import static org.panamaipc.message.EnvelopeDescriptor.LENGTH;

/**
 * Sends values of type {@code T} through a ring channel's {@link Sender}, each encoded by a
 * {@link org.panamaipc.codec.Codec} straight into the ring: a record is written in place into the
 * claimed record, field by field, so a steady stream of records allocates nothing. Every message
 * carries the same message {@link #type()}. The payload is the envelope of
 * {@link EnvelopeDescriptor} (this process's pid and the send time, which the ring's record header
 * lacks, so that a {@link TypedReceiver} tells them in its {@link Header}), then the encoding (a
 * record as the C struct {@link org.panamaipc.codec.RecordCodec#cHeader()} declares), so a C peer
 * reads it with the ring's operations, {@code struct pipc_envelope} of {@code pipc_message.h} and
 * that header. A value may take the channel's longest message less the
 * {@value EnvelopeDescriptor#LENGTH} bytes of the envelope (the whole of it without the envelope,
 * below).
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
 * <p><b>Without the envelope.</b> {@link #withoutEnvelope} makes a sender of bare values: the
 * record is the encoding alone, with neither the pid nor the send time, and sending reads no
 * clock. It is the fastest typed path, for a stream whose receivers need no more than the ring's
 * record header (type, sending endpoint, length, sequence); receive it with
 * {@link TypedReceiver#withoutEnvelope}. At 32 bytes a record and the ring's 32-byte record header
 * then fill one cache line when the record starts on one, as in a stream of records of one size,
 * where the envelope makes them two (see the README's messaging figures). Only codecs of one
 * encoding size (records, primitives) may be sent bare, so that a decoding receiver of the other
 * kind refuses these records (by their length, or for lack of the envelope's magic); a handler is
 * handed each record as it is (see {@link TypedReceiver}).
 *
 * @param <T> the type of the values
 */
public final class TypedSender<T> implements AutoCloseable {

    /** No room in the ring (now, or within the timeout): {@link Outcome#FULL}. */
    public static final long FULL = Outcome.FULL;
    /** The ring is full and its receivers have gone: {@link Outcome#CLOSED}. */
    public static final long CLOSED = Outcome.CLOSED;

    private static final String SEND = "send to";
    private static final long NO_CLAIM = -1;

    private final Sender sender;
    private final Values<T> values;
    private final int type;
    /** The longest encoding: the channel's longest message less the envelope. */
    private final int maxValueLength;
    private final Arena arena;
    /** Envelope and variable-size encoding: {@code maxMessageLength} bytes; null for fixed sizes. */
    private final MemorySegment scratch;
    /** The ring's index of the open claim (where its envelope goes), or {@link #NO_CLAIM}. */
    private long openClaim = NO_CLAIM;
    /** When the open claim was made: its send time. */
    private long claimTime;
    /** Whether each record starts with the envelope; else it is the bare encoding. */
    private final boolean enveloped;
    /** Bytes before the value: {@link EnvelopeDescriptor#LENGTH}, or 0 without the envelope. */
    private final int envelope;

    private TypedSender(Sender sender, Values<T> values, int type, boolean enveloped) {
        this.sender = sender;
        this.values = values;
        this.type = type;
        this.enveloped = enveloped;
        this.envelope = enveloped ? LENGTH : 0;
        if (!enveloped && !values.fixed()) {
            throw new IllegalArgumentException("codec=" + values.codec + " has encodings of different sizes:"
                    + " only a fixed-size codec (a record's, a primitive's) can be sent without the envelope");
        }
        this.maxValueLength = sender.maxMessageLength() - envelope;
        if (maxValueLength < 0) {
            throw new IllegalArgumentException("maxMessageLength=" + sender.maxMessageLength() + " of " + sender
                    + " cannot hold the " + LENGTH + "-byte envelope of a typed message");
        }
        if (values.fixed()) {
            if (values.fixedSize > maxValueLength) {
                throw new IllegalArgumentException("codec=" + values.codec + " encodes " + values.fixedSize
                        + " bytes, more than the " + maxValueLength + " that maxMessageLength="
                        + sender.maxMessageLength() + " of " + sender + " leaves after the envelope, if any");
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
     * @throws IllegalArgumentException if the codec's encodings and the envelope are longer than
     *         the channel's longest message
     * @throws NullPointerException if {@code sender} or {@code codec} is null
     */
    public static <T> TypedSender<T> of(Sender sender, org.panamaipc.codec.Codec<T> codec, int type) {
        Objects.requireNonNull(sender, "sender");
        return new TypedSender<>(sender, new Values<>(codec), type, true);
    }

    /**
     * {@return a sender of bare values of {@code codec} through {@code sender}: records without the
     * envelope, so without the sending pid and the send time (see "Without the envelope" above)}
     * Receive them with {@link TypedReceiver#withoutEnvelope}; a {@link TypedReceiver#of} receiver
     * refuses them.
     *
     * @param type the message type of every message
     * @throws IllegalArgumentException if the codec's encodings differ in size, or do not fit in
     *         the channel's longest message
     */
    public static <T> TypedSender<T> withoutEnvelope(Sender sender, org.panamaipc.codec.Codec<T> codec, int type) {
        Objects.requireNonNull(sender, "sender");
        return new TypedSender<>(sender, new Values<>(codec), type, false);
    }

    /** {@return whether each message starts with the envelope (pid and send time): false for {@link #withoutEnvelope}} */
    public boolean enveloped() {
        return enveloped;
    }

    /**
     * Sends {@code value} if there is room now. {@return the sequence number, or {@link #FULL} or
     * {@link #CLOSED}}
     *
     * @throws org.panamaipc.MessageTooLongException if the value's encoding is longer than the
     *         channel's longest message less the envelope; nothing is sent
     * @throws NullPointerException if {@code value} is null
     */
    public long trySend(T value) {
        long size = checkedSize(value);
        long sendTime = sendTime();
        if (size >= 0) {
            long index = sender.tryClaim(type, envelope + (int) size);
            return index < 0 ? index : encodeAndCommit(value, index, size, sendTime);
        }
        return sender.trySend(type, scratch, 0, encodeToScratch(value, sendTime));
    }

    /** {@return the encoding's size if the codec tells it before encoding, else -1} */
    private long checkedSize(T value) {
        long size = values.sizeOf(value);
        if (size > maxValueLength) {
            throw Values.tooLong(SEND, sender.toString(), size, maxValueLength);
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
        long sendTime = sendTime();
        if (size >= 0) {
            long index = sender.tryClaim(type, envelope + (int) size);
            return encodeAndCommit(value, index >= 0 ? index : sender.claim(type, envelope + (int) size), size, sendTime);
        }
        return sender.send(type, scratch, 0, encodeToScratch(value, sendTime));
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
        long sendTime = sendTime();
        if (size >= 0) {
            long index = sender.tryClaim(type, envelope + (int) size);
            if (index == FULL) {
                index = sender.claim(type, envelope + (int) size, timeout);
            }
            return index < 0 ? index : encodeAndCommit(value, index, size, sendTime);
        }
        int length = encodeToScratch(value, sendTime);
        long sent = sender.trySend(type, scratch, 0, length);
        return sent == FULL ? sender.send(type, scratch, 0, length, timeout) : sent;
    }

    /** Encodes {@code value} after the envelope of the ring's claim at {@code index}, writes the envelope, and commits. */
    private long encodeAndCommit(T value, long index, long size, long sendTime) {
        MemorySegment buffer = sender.buffer();
        try {
            values.encodeSized(value, buffer, index + envelope, size);
        } catch (RuntimeException | Error e) {
            sender.abort(index);
            throw e;
        }
        if (enveloped) {
            RingEnvelope.write(buffer, index, sendTime, Header.NO_REPLY);
        }
        return sender.commit(index);
    }

    /** Encodes {@code value} into the scratch memory after its envelope. {@return the length of both} */
    private int encodeToScratch(T value, long sendTime) {
        int length = values.encode(value, scratch, envelope, SEND, sender.toString());
        if (enveloped) {
            RingEnvelope.write(scratch, 0, sendTime, Header.NO_REPLY);
        }
        return envelope + length;
    }

    /**
     * Claims room for one encoding of a fixed-size codec if there is room now, to be written in
     * place (through {@link org.panamaipc.codec.RecordField}s) into {@link #buffer()} at the index
     * returned, then {@link #commit(long) committed} or {@link #abort(long) aborted}. The send
     * time the receivers read is the time of the claim.
     * {@return the index, or {@link #FULL} or {@link #CLOSED}}
     *
     * @throws IllegalStateException if the codec's encodings differ in size, or a claim is open
     */
    public long tryClaim() {
        int length = claimLength();
        long sendTime = sendTime();
        return claimed(sender.tryClaim(type, length), sendTime);
    }

    /**
     * Claims as {@link #tryClaim()}, waiting as long as it takes. {@return the index}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws PeerGoneException if every receiver has gone while the ring is full
     */
    public long claim() throws InterruptedException {
        int length = claimLength();
        long sendTime = sendTime();
        return claimed(sender.claim(type, length), sendTime);
    }

    /**
     * Claims as {@link #tryClaim()}, waiting at most {@code timeout}. {@return the index, or
     * {@link #FULL} on timeout, or {@link #CLOSED}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public long claim(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        int length = claimLength();
        long sendTime = sendTime();
        return claimed(sender.claim(type, length, timeout), sendTime);
    }

    /** {@return the length of a claim: the envelope and the fixed-size encoding} */
    private int claimLength() {
        if (!values.fixed()) {
            throw new IllegalStateException("codec=" + values.codec + " has encodings of different sizes:"
                    + " only a fixed-size codec (a record's) can be written in place");
        }
        return envelope + values.fixedSize;
    }

    /** {@return the send time of a message sent now, or 0 without the envelope (no clock is read)} */
    private long sendTime() {
        return enveloped ? MessageClock.nanos() : 0;
    }

    /** Keeps the ring's claim at {@code index}. {@return where its encoding goes, or {@code index} if negative} */
    private long claimed(long index, long sendTime) {
        if (index < 0) {
            return index;
        }
        openClaim = index;
        claimTime = sendTime;
        return index + envelope;
    }

    /** {@return the ring's index of the claim whose encoding is at {@code index}} */
    private long openClaim(long index) {
        if (openClaim == NO_CLAIM || index != openClaim + envelope) {
            throw new IllegalStateException("index=" + index + " is not the open claim"
                    + (openClaim == NO_CLAIM ? " (none is open)" : " (that is at " + (openClaim + envelope) + ")"));
        }
        return openClaim;
    }

    /** {@return the ring's records, where a claimed encoding is written} */
    public MemorySegment buffer() {
        return sender.buffer();
    }

    /**
     * Publishes the claimed encoding, after the envelope that says its sender and send time.
     * {@return its sequence number}
     *
     * @throws IllegalStateException if {@code index} is not the open claim's, or this is closed
     */
    public long commit(long index) {
        long claim = openClaim(index);
        if (enveloped) {
            RingEnvelope.write(sender.buffer(), claim, claimTime, Header.NO_REPLY);
        }
        long sequence = sender.commit(claim);
        openClaim = NO_CLAIM;
        return sequence;
    }

    /**
     * Gives the claim up: receivers pass over it.
     *
     * @throws IllegalStateException if {@code index} is not the open claim's, or this is closed
     */
    public void abort(long index) {
        long claim = openClaim(index);
        sender.abort(claim);
        openClaim = NO_CLAIM;
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
