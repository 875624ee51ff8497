package org.panamaipc.channel;

/**
 * The layout of one record in a ring channel: a 32-byte header, then the payload, padded to a
 * multiple of 8 bytes. Mirrored by {@code struct pipc_record_header} in
 * {@code native/include/pipc_ring.h}.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  tag: position | state (64)                   |  0
 *  +---------------------------------------------------------------+
 *  |                     payload length (32)                       |  8
 *  +---------------------------------------------------------------+
 *  |                       message type (32)                       | 12
 *  +---------------------------------------------------------------+
 *  |                source: sender's endpoint id (32)              | 16
 *  +---------------------------------------------------------------+
 *  |                        reserved (32)                          | 20
 *  +---------------------------------------------------------------+
 *  |              sequence number, per sender (64)                 | 24
 *  +---------------------------------------------------------------+
 *  |                     payload ... (length)                      | 32
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p><b>The tag</b> says whether a record is there at all: it holds the record's position in the
 * stream (a multiple of 8, so the low 3 bits are free) with the state in those low bits, and a
 * reader at position {@code p} trusts a record only when {@code tag & ~7 == p}. A tag left from an
 * earlier lap of the ring holds an older position, so the buffer is never zeroed and a stale
 * record is never mistaken for a new one. The sender writes every other field first and publishes
 * the record with a release store of the tag.
 *
 * <p><b>States</b>: {@link #COMMITTED} (a message), {@link #PADDING} (the rest of the buffer up to
 * its end is unused: the next record starts at the beginning; only the tag is written, so padding
 * fits in 8 bytes), {@link #SKIP} (a record of {@code length} payload bytes to pass over: an
 * aborted claim, or space that a dead sender had claimed).
 */
public final class RecordDescriptor {

    /** Offset of the tag. */
    public static final int TAG_OFFSET = 0;
    /** Offset of the payload length. */
    public static final int LENGTH_OFFSET = TAG_OFFSET + Long.BYTES;
    /** Offset of the message type. */
    public static final int TYPE_OFFSET = LENGTH_OFFSET + Integer.BYTES;
    /** Offset of the sender's endpoint id. */
    public static final int SOURCE_OFFSET = TYPE_OFFSET + Integer.BYTES;
    /** Offset of the sender's sequence number. */
    public static final int SEQUENCE_OFFSET = SOURCE_OFFSET + 2 * Integer.BYTES;
    /** The header's size: where the payload starts. */
    public static final int HEADER_LENGTH = SEQUENCE_OFFSET + Long.BYTES;
    /** Records start at multiples of this. */
    public static final int ALIGNMENT = 8;

    /** Mask of the state bits of a tag. */
    public static final long STATE_MASK = ALIGNMENT - 1;
    /** A message. */
    public static final int COMMITTED = 1;
    /** The buffer's remainder is unused; the stream continues at the next lap's start. */
    public static final int PADDING = 2;
    /** A record to pass over; its length field says how long. */
    public static final int SKIP = 3;

    private RecordDescriptor() {
    }

    /** {@return the bytes a record with {@code length} payload bytes takes, header and padding included} */
    public static int recordLength(int length) {
        return align(HEADER_LENGTH + length);
    }

    /**
     * {@return the bytes a record with {@code length} payload bytes takes, in 64 bits} For lengths
     * read from shared memory, which may be anything: no overflow for any {@code int}.
     */
    public static long recordLength(long length) {
        return (HEADER_LENGTH + length + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /** {@return {@code value} rounded up to {@link #ALIGNMENT}} */
    public static int align(int value) {
        return (value + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /** {@return the tag of a record in {@code state} at {@code position}} */
    public static long tag(long position, int state) {
        return position | state;
    }

    // the tag protocol: what a reader at a position concludes from the tag it finds there

    /**
     * {@return whether {@code tag}, read with acquire at stream position {@code position}, says a
     * record is there} Its position part must be {@code position} (a tag of an earlier lap holds an
     * older one) and its state must not be 0 (a tag never written, or one from a zero-filled ring).
     */
    public static boolean isRecordAt(long tag, long position) {
        return (tag & ~STATE_MASK) == position && (tag & STATE_MASK) != 0;
    }

    /** {@return the state bits of {@code tag}: {@link #COMMITTED}, {@link #PADDING}, {@link #SKIP}, or anything a broken writer left} */
    public static int state(long tag) {
        return (int) (tag & STATE_MASK);
    }

    /** {@return whether {@code value} can be a stream position: a multiple of {@link #ALIGNMENT}} Negative values are not refused here. */
    public static boolean isPosition(long value) {
        return (value & STATE_MASK) == 0;
    }

    /**
     * {@return whether a record of state {@code state} at {@code index} of a ring of {@code capacity}
     * bytes can hold {@code length} payload bytes} Not negative; at most {@code maxMessageLength},
     * except for a {@link #SKIP}, which a repair may make longer; and not crossing the ring's end.
     * In 64 bits: a length near {@code Integer.MAX_VALUE} must not wrap into a small size.
     */
    public static boolean isPlausibleLength(int length, int state, long index, long capacity, int maxMessageLength) {
        return length >= 0 && (length <= maxMessageLength || state == SKIP)
                && index + recordLength((long) length) <= capacity;
    }

    /** {@return whether a record's header fits at {@code index} of a ring of {@code capacity} bytes: past that only padding may start} */
    public static boolean headerFits(long index, long capacity) {
        return index <= capacity - HEADER_LENGTH;
    }
}
