package org.panamaipc.message;

import org.panamaipc.MessageTooLongException;
import org.panamaipc.codec.Codec;
import org.panamaipc.codec.MalformedMessageException;
import org.panamaipc.codec.RecordCodec;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A codec as the senders and receivers of this package use it: the fixed size of its encodings if
 * it has one (a record's), so that a value is encoded straight into a claimed record, and a decode
 * that reads a record in place without slicing the segment.
 */
final class Values<T> {

    final Codec<T> codec;
    /** The codec as a record codec, or null. */
    private final RecordCodec<?> records;
    /** The size of every encoding, or -1 if they differ. */
    final int fixedSize;

    Values(Codec<T> codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.records = codec instanceof RecordCodec<?> r ? r : null;
        OptionalLong size = codec.fixedSize();
        if (size.isPresent() && size.getAsLong() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("codec=" + codec + " has encodings of " + size.getAsLong()
                    + " bytes, more than a message can hold");
        }
        this.fixedSize = size.isPresent() ? (int) size.getAsLong() : -1;
    }

    boolean fixed() {
        return fixedSize >= 0;
    }

    /**
     * {@return the length of {@code value}'s encoding if known before encoding (a record's, a byte
     * array's, a string's), or -1}
     *
     * @throws NullPointerException if {@code value} is null
     */
    long sizeOf(T value) {
        if (value == null) {
            throw new NullPointerException("value");
        }
        return fixedSize >= 0 ? fixedSize : codec.encodedSize(value);
    }

    /**
     * Encodes {@code value}, whose encoding the codec said is {@code size} bytes, at {@code offset}
     * of {@code target}, where the room was claimed.
     *
     * @throws IllegalStateException if the codec wrote another length than it said
     */
    void encodeSized(T value, MemorySegment target, long offset, long size) {
        long written = codec.encode(value, target, offset);
        if (written != size) {
            throw new IllegalStateException("codec=" + codec + " said the encoding of a value is " + size
                    + " bytes, then wrote " + written);
        }
    }

    /**
     * {@return the value encoded in {@code length} bytes of {@code segment} from {@code offset}}
     *
     * @throws MalformedMessageException if a record's encoding has another length
     */
    @SuppressWarnings("unchecked")
    T decode(MemorySegment segment, long offset, int length) {
        if (records != null) {
            if (length != fixedSize) {
                throw new MalformedMessageException(codec.toString(), "its length " + length
                        + " differs from the record's size " + fixedSize);
            }
            return (T) records.decode(segment, offset);
        }
        return codec.decode(segment.asSlice(offset, length));
    }

    /**
     * Encodes {@code value} into {@code target} from {@code offset} up to its end, which is the
     * most a message may hold. {@return the length}
     *
     * @throws MessageTooLongException if the encoding needs more room than that
     */
    int encode(T value, MemorySegment target, long offset, String action, String object) {
        if (value == null) {
            throw new NullPointerException("value");
        }
        long written = codec.encode(value, target, offset);
        if (written < 0) {
            throw new MessageTooLongException(action, object, -written, target.byteSize() - offset);
        }
        return (int) written;
    }

    /** {@return the refusal of a value of {@code length} bytes where at most {@code max} fit} */
    static MessageTooLongException tooLong(String action, String object, long length, long max) {
        return new MessageTooLongException(action, object, length, max);
    }
}
