package org.panamaipc.codec;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Turns values of type {@code T} into the bytes of a message and back, writing straight into the
 * transport's buffer (a message queue's send buffer, a ring channel's slot) rather than through an
 * intermediate array. Codecs know nothing of the transport.
 *
 * {@snippet lang=java :
 * record Tick(long instrument, double price, int quantity) {}
 *
 * Codec<Tick> codec = Codec.ofRecord(Tick.class);       // 24 bytes, laid out as a C struct
 * long written = codec.encode(new Tick(7, 101.5, 300), segment, 0);
 * Tick back = codec.decode(segment.asSlice(0, written));
 * }
 *
 * <p>The implementations here: {@link #bytes()}, {@link #utf8()} and {@link #ofRecord(Class)}.
 * All are immutable and safe for use by many threads; {@link #encode} allocates nothing for byte
 * arrays, strings, or records. A record codec also reads and writes single fields in place
 * ({@link RecordCodec#field(String)}), so that a receiver need not create the record at all.
 *
 * @param <T> the type of the values
 */
public interface Codec<T> {

    /**
     * Writes {@code value} into {@code target} from {@code offset} on. If the value needs more room
     * than there is, writes nothing meaningful (the bytes from {@code offset} on may have changed)
     * and returns the negative of the number of bytes it needs, so that a transport can say both
     * lengths; this is a value, not an exception, because a value too long for a message is an
     * expected outcome on the hot path.
     *
     * @param value  the value
     * @param target where to write
     * @param offset where in {@code target} the encoding starts
     * @return the number of bytes written, at most {@code target.byteSize() - offset}; or, if the
     *         value does not fit, minus the number of bytes it needs
     * @throws NullPointerException if {@code value} is null and the codec does not encode null
     */
    long encode(T value, MemorySegment target, long offset);

    /**
     * {@return the value whose encoding is all of {@code source}} The source is read only during the
     * call; the value does not refer to it.
     *
     * @throws MalformedMessageException if the bytes are not an encoding this codec can read
     */
    T decode(MemorySegment source);

    /** {@return the size of every encoding, if all have the same size (as records do); empty otherwise} */
    default OptionalLong fixedSize() {
        return OptionalLong.empty();
    }

    /**
     * {@return the length of {@code value}'s encoding in bytes if the codec can tell it before
     * encoding, or -1} A transport that knows it claims exactly that much room and encodes the
     * value in place, rather than into a buffer of its own that it then copies. The default is
     * {@link #fixedSize()}, or -1, and refuses {@code null} (a codec that encodes {@code null}
     * overrides it); byte arrays and strings know theirs.
     *
     * @throws NullPointerException if {@code value} is null and the codec does not encode null
     */
    default long encodedSize(T value) {
        Objects.requireNonNull(value, "value");
        OptionalLong fixed = fixedSize();
        return fixed.isPresent() ? fixed.getAsLong() : -1;
    }

    /** {@return a codec whose values are byte arrays, copied as they are} */
    static Codec<byte[]> bytes() {
        return BytesCodec.INSTANCE;
    }

    /** {@return a codec whose values are strings, encoded as UTF-8 without a terminator} */
    static Codec<String> utf8() {
        return Utf8Codec.INSTANCE;
    }

    /**
     * {@return a codec for records of primitives, primitive arrays of a fixed {@link Length},
     * strings of a {@link MaxLength} and records of those, laid out as a C struct} See
     * {@link RecordCodec}.
     *
     * @throws IllegalArgumentException if the record cannot be laid out; the message names the
     *         component
     */
    static <R extends Record> RecordCodec<R> ofRecord(Class<R> type) {
        return RecordCodec.of(type);
    }
}
