package org.panamaipc.message;

import org.panamaipc.Outcome;
import org.panamaipc.PeerGoneException;
import org.panamaipc.channel.MessageHandler;
import org.panamaipc.channel.MessageHeader;
import org.panamaipc.channel.Receiver;
import org.panamaipc.codec.Codec;
import org.panamaipc.codec.MalformedMessageException;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Objects;

import static org.panamaipc.message.EnvelopeDescriptor.LENGTH;

/**
 * Receives values of type {@code T} from a ring channel's {@link Receiver}, either decoded into a
 * new value ({@link #tryReceive()}, {@link #receive()}, {@link #receive(Duration)}) or in place,
 * handed to a {@link RecordHandler} that reads the fields it needs through
 * {@link org.panamaipc.codec.RecordField}s without creating the value at all, so that a steady
 * stream allocates nothing ({@link #poll}, {@link #receive(RecordHandler, int)},
 * {@link #receive(RecordHandler, int, Duration)}).
 *
 * {@snippet lang=java :
 * static final RecordCodec<Tick> TICKS = Codec.ofRecord(Tick.class);
 * static final RecordField PRICE = TICKS.field("price");
 *
 * try (RingChannel ring = RingChannel.open("/ticks");
 *      TypedReceiver<Tick> ticks = TypedReceiver.of(ring.receiver(), TICKS)) {
 *     Tick tick = ticks.receive(Duration.ofSeconds(1));                      // decoded, or null
 *     ticks.receive((header, segment, offset, length) ->                    // in place
 *             total += PRICE.getDouble(segment, offset), 64, Duration.ofSeconds(1));
 * }
 * }
 *
 * <p>The results are the ring receiver's, as {@link Receiver} says: decoding receives return
 * {@code null} when nothing came (now or within the timeout) and throw {@link PeerGoneException}
 * when every sender has gone and nothing is left; the in-place forms return how many they handed
 * over ({@code >= 1}), {@link #EMPTY} or {@link #CLOSED}, never 0. A receiver made with
 * {@link org.panamaipc.channel.RingChannel#receiver(org.panamaipc.channel.WaitStrategy, boolean)
 * receiver(strategy, false)} is never told that its senders have gone. A message without the
 * envelope of a {@link TypedSender} ({@link EnvelopeDescriptor}), or one a record codec cannot
 * read (another length), is a {@link org.panamaipc.codec.MalformedMessageException}, and is
 * consumed. The {@link Header} (of the message last received, {@link #lastHeader()}, or a
 * handler's argument: the same object) has the ring's type, source and sequence, the length of
 * the value, and from the envelope the sending process and the send time (see {@link Header}).
 * Used by one thread at a time; {@link #close()} closes the receiver.
 *
 * <p>A receiver made by {@link #withoutEnvelope} reads the bare records of a
 * {@link TypedSender#withoutEnvelope} sender: its header has the ring's type, source, sequence
 * and length, and 0 for the sending pid and the send time, which such records do not carry. The
 * decoding forms of each kind refuse the other kind's records (a
 * {@link org.panamaipc.codec.MalformedMessageException}: the bare one by their length, the other for
 * lack of the envelope's magic, unless a bare value happens to start with it). A handler is handed
 * every record with its length, as it comes, except that a bare receiver's refuses a record of
 * the codec's size plus the envelope that starts with the envelope's magic: a handler of a
 * receiver of the other kind would read an envelope as value bytes, or value bytes as an envelope.
 *
 * @param <T> the type of the values
 */
public final class TypedReceiver<T> implements AutoCloseable {

    /** Nothing to receive (now, or within the timeout): {@link Outcome#EMPTY}. */
    public static final int EMPTY = Outcome.EMPTY;
    /** Every sender has gone and nothing is left (unless the receiver asked not to be told): {@link Outcome#CLOSED}. */
    public static final int CLOSED = Outcome.CLOSED;

    private final Receiver receiver;
    private final Values<T> values;
    /** The header of the message last received: a handler's argument, and {@link #lastHeader()}. */
    private final Header header = new Header();
    private final MessageHandler decoder;
    private final MessageHandler forwarder;
    private final boolean enveloped;
    private RecordHandler handler;
    private T value;

    private TypedReceiver(Receiver receiver, Values<T> values, boolean enveloped) {
        this.receiver = receiver;
        this.values = values;
        this.enveloped = enveloped;
        if (!enveloped && !values.fixed()) {
            throw new IllegalArgumentException("codec=" + values.codec + " has encodings of different sizes:"
                    + " only a fixed-size codec (a record's, a primitive's) can be received without the envelope");
        }
        this.decoder = enveloped ? this::decodeOne : this::decodeBare;
        this.forwarder = enveloped ? this::forwardOne : this::forwardBare;
    }

    /**
     * {@return a typed receiver over {@code receiver}} It takes over the receiver: closing it
     * closes the receiver.
     *
     * @throws NullPointerException if an argument is null
     */
    public static <T> TypedReceiver<T> of(Receiver receiver, Codec<T> codec) {
        Objects.requireNonNull(receiver, "receiver");
        return new TypedReceiver<>(receiver, new Values<>(codec), true);
    }

    /**
     * {@return a receiver of the bare records of a {@link TypedSender#withoutEnvelope} sender over
     * {@code receiver}} Its headers say 0 for the sending pid and the send time. It takes over the
     * receiver: closing it closes the receiver.
     *
     * @throws IllegalArgumentException if the codec's encodings differ in size
     * @throws NullPointerException if an argument is null
     */
    public static <T> TypedReceiver<T> withoutEnvelope(Receiver receiver, Codec<T> codec) {
        Objects.requireNonNull(receiver, "receiver");
        return new TypedReceiver<>(receiver, new Values<>(codec), false);
    }

    /** {@return whether the records received start with the envelope: false for {@link #withoutEnvelope}} */
    public boolean enveloped() {
        return enveloped;
    }

    private void decodeOne(MessageHeader ring, MemorySegment buffer, long offset, int length) {
        RingEnvelope.read(header, ring, buffer, offset, length, values.codec, receiver);
        value = values.decode(buffer, offset + LENGTH, length - LENGTH);
    }

    private void forwardOne(MessageHeader ring, MemorySegment buffer, long offset, int length) {
        RingEnvelope.read(header, ring, buffer, offset, length, values.codec, receiver);
        handler.onRecord(header, buffer, offset + LENGTH, length - LENGTH);
    }

    private void decodeBare(MessageHeader ring, MemorySegment buffer, long offset, int length) {
        header.set(ring.type(), ring.source(), 0, length, ring.sequence(), 0, 0, Header.NO_REPLY);
        if (length != values.fixedSize) {
            throw new MalformedMessageException(values.codec.toString(), "a record of " + length + " bytes from endpoint "
                    + ring.source() + " in " + receiver + ", where the codec's are " + values.fixedSize + " bytes"
                    + (length == values.fixedSize + LENGTH ? " (the length of an enveloped record: a TypedSender.of"
                    + " sent it; receive it with TypedReceiver.of)" : ""));
        }
        value = values.decode(buffer, offset, length);
    }

    private void forwardBare(MessageHeader ring, MemorySegment buffer, long offset, int length) {
        if (length == values.fixedSize + LENGTH
                && buffer.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, offset) == EnvelopeDescriptor.MAGIC) {
            throw new MalformedMessageException(values.codec.toString(), "a record of " + length + " bytes from endpoint "
                    + ring.source() + " in " + receiver + " starts with a message envelope: a TypedSender.of sent it;"
                    + " receive it with TypedReceiver.of");
        }
        header.set(ring.type(), ring.source(), 0, length, ring.sequence(), 0, 0, Header.NO_REPLY);
        handler.onRecord(header, buffer, offset, length);
    }

    /**
     * {@return the next value if one is there now, or {@code null}}
     *
     * @throws PeerGoneException if every sender has gone and nothing is left
     */
    public T tryReceive() {
        return decoded(receiver.poll(decoder, 1));
    }

    /**
     * {@return the next value, waiting as long as it takes}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws PeerGoneException if every sender has gone and nothing is left
     */
    public T receive() throws InterruptedException {
        return decoded(receiver.receive(decoder, 1));
    }

    /**
     * {@return the next value, waiting at most {@code timeout}, or {@code null}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws PeerGoneException if every sender has gone and nothing is left
     */
    public T receive(Duration timeout) throws InterruptedException {
        return decoded(receiver.receive(decoder, 1, Objects.requireNonNull(timeout, "timeout")));
    }

    private T decoded(int count) {
        if (count == CLOSED) {
            throw new PeerGoneException("receive from", receiver.toString(), "its senders have all gone and it is empty");
        }
        T result = value;
        value = null;
        return result;
    }

    /**
     * Hands up to {@code limit} waiting messages to {@code handler} in place, without waiting.
     * {@return how many ({@code >= 1}), or {@link #EMPTY} or {@link #CLOSED}}
     */
    public int poll(RecordHandler handler, int limit) {
        this.handler = Objects.requireNonNull(handler, "handler");
        try {
            return receiver.poll(forwarder, limit);
        } finally {
            this.handler = null;
        }
    }

    /**
     * Waits until a message is there, then hands up to {@code limit} to {@code handler} in place.
     * {@return how many ({@code >= 1}), or {@link #CLOSED}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public int receive(RecordHandler handler, int limit) throws InterruptedException {
        this.handler = Objects.requireNonNull(handler, "handler");
        try {
            return receiver.receive(forwarder, limit);
        } finally {
            this.handler = null;
        }
    }

    /**
     * Waits at most {@code timeout} for a message, then hands up to {@code limit} to
     * {@code handler} in place. {@return how many ({@code >= 1}), or {@link #EMPTY} on timeout, or {@link #CLOSED}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public int receive(RecordHandler handler, int limit, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        this.handler = Objects.requireNonNull(handler, "handler");
        try {
            return receiver.receive(forwarder, limit, timeout);
        } finally {
            this.handler = null;
        }
    }

    /** {@return the header of the message last received} */
    public Header lastHeader() {
        return header;
    }

    /** {@return the codec} */
    public Codec<T> codec() {
        return values.codec;
    }

    /** {@return the ring receiver underneath} */
    public Receiver receiver() {
        return receiver;
    }

    /** Closes the receiver; idempotent. */
    @Override
    public void close() {
        receiver.close();
    }

    @Override
    public String toString() {
        return "TypedReceiver[" + receiver + ", " + values.codec + "]";
    }
}
