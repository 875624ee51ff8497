package org.panamaipc.unbounded;

import org.panamaipc.shm.SegmentHeaderDescriptor;

/**
 * The layouts of an unbounded link: the body of its control segment (kind
 * {@link org.panamaipc.shm.SegmentKind#UNBOUNDED}) and the body of each spill segment (kind
 * {@link org.panamaipc.shm.SegmentKind#SPILL}), each after the segment header of
 * {@link SegmentHeaderDescriptor}. Mirrored by {@code struct pipc_unbounded} and
 * {@code struct pipc_spill} in {@code native/include/pipc_unbounded.h}.
 *
 * <p>A link named {@code /jobs} is three kinds of object in {@code /dev/shm}: the control segment
 * {@code /jobs}, the ring channel {@code /jobs.ring} (SPSC, a {@link org.panamaipc.channel.RingChannel}
 * of its own layout), and the spill segments {@code /jobs.spill.1}, {@code /jobs.spill.2}, ...
 * that exist only while messages wait in them.
 *
 * Control segment body:
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                  ring capacity in bytes (64)                  |   0
 *  +---------------------------------------------------------------+
 *  |     max message length (32)   |  mode of spill segments (32)  |   8
 *  +---------------------------------------------------------------+
 *  |                  spill segment size in bytes (64)             |  16
 *  +---------------------------------------------------------------+
 *  |                  memory cap in bytes (64)                     |  24
 *  +---------------------------------------------------------------+ 128
 *  |   write position: segment &lt;&lt; 32 | offset (64)               | 128   CAS by the sender (append, move on)
 *  +---------------------------------------------------------------+       and by the receiver (seal)
 *  |                  messages sent (64)                           | 136
 *  |                  messages spilled (64)                        | 144
 *  |                  spill segments created (64)                  | 152
 *  +---------------------------------------------------------------+ 256
 *  |   read position: segment &lt;&lt; 32 | offset (64)                | 256   the receiver's
 *  +---------------------------------------------------------------+
 *  |                  messages received (64)                       | 264
 *  |                  spill segments removed (64)                  | 272
 *  |                  spilled messages received (64)               | 280
 *  |                  receiver waiting (64)                        | 288   set by the receiver before it waits
 *  +---------------------------------------------------------------+ 384   on the ring, taken by the sender (BODY_SIZE)
 * </pre>
 *
 * Spill segment body:
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                  index of this segment (64)                   |   0
 *  +---------------------------------------------------------------+
 *  |    end: where its records end, or OPEN (-1) (64)              |   8
 *  +---------------------------------------------------------------+  64 (RECORDS_OFFSET)
 *  |  record: length (32) | type (32) | payload, padded to 8 ...   |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p><b>Order.</b> The sender writes to the ring only while the spill is drained (read position
 * equal to write position); when the ring has no room it appends to the spill, and goes on
 * appending while anything is left there. So every message in the ring precedes every message in
 * the spill. The receiver takes from the ring first; when the ring is empty and the spill is not,
 * it looks at the ring once more (a message the sender put there before the spilled one may have
 * become visible meanwhile) and then takes the spilled message.
 *
 * <p><b>Spilling.</b> Positions count bytes from {@code RECORDS_OFFSET} in segment
 * {@code index}; segments are numbered from 1. The sender writes a record at the write position
 * and publishes it by compare-and-set of the write position to the record's end (a release: the
 * record is whole once the position says so). A record that does not fit: the sender stores the
 * segment's end (release) and moves the write position to {@code (index + 1, 0)} by
 * compare-and-set; it creates segment {@code index + 1} when it first writes there (removing a
 * leftover of that name first: nothing was published in it), and refuses to when the segments from
 * the read position's to the new one would take more than the memory cap.
 *
 * <p><b>Consuming.</b> The receiver reads records up to the write position's offset in its
 * segment, or, if the write position is in a later segment, up to that segment's end. After each
 * record it stores the read position past it. At the end of a finished segment it stores the read
 * position {@code (index + 1, 0)} and then removes the segment. When it has taken the last spilled
 * message (read position equal to write position, offset above 0), it seals the segment: a
 * compare-and-set of the write position from that value to {@code (index + 1, 0)}, then the read
 * position likewise, then removes it; a sender whose append loses that race writes its record
 * again in the next segment. A segment whose end is still {@code OPEN} when the write position is
 * past it was sealed at the read position.
 *
 * <p><b>Waking.</b> A receiver that finds nothing waits on the ring, and only something put into
 * the ring wakes it (or the ring's sender leaving or dying). So that a message appended to the spill
 * meanwhile also does, the receiver stores 1 in the receiver-waiting word (a volatile store), then
 * looks at the ring and the spill once more (reading the write position with a volatile load), then
 * waits on the ring as long as its timeout allows, and stores 0 once it wakes. The sender, after
 * each append (its compare-and-set of the write position is volatile), reads the word (a volatile
 * load), and if it is not 0 takes it (compare-and-set to 0) and puts a doorbell into the ring with
 * a send that does not wait: a record of {@link #DOORBELL_TYPE} with no payload. These four
 * accesses are sequentially consistent, so they fall in one order: either the receiver's second
 * look comes after the append and finds it, or the sender's read comes after the receiver's store
 * and rings; a receiver never sleeps on the ring past a message in the spill. A ring too full for
 * the doorbell holds records the receiver takes before it waits again, looking at the spill first.
 * The receiver passes over doorbells wherever it finds them and goes on reading the ring: it never
 * delivers or counts one, and a message sent to the ring after one still comes before everything
 * spilled after it. A message of {@link #DOORBELL_TYPE} with no payload is therefore always
 * appended to the spill, never put into the ring. A receiver that dies while waiting leaves the
 * word set: the sender's next append rings a doorbell nobody needs and takes the word, which does
 * no harm. A sender that dies between an append and its doorbell leaves the ring without a sender,
 * which wakes the receiver as any sender's death does; it then finds the spilled message.
 */
public final class UnboundedDescriptor {

    /** Bytes in a cache line. */
    public static final int CACHE_LINE = SegmentHeaderDescriptor.CACHE_LINE;

    /** Offset of the ring's capacity. */
    public static final int RING_CAPACITY_OFFSET = 0;
    /** Offset of the longest payload. */
    public static final int MAX_MESSAGE_LENGTH_OFFSET = 8;
    /** Offset of the permission bits the spill segments are created with. */
    public static final int MODE_OFFSET = 12;
    /** Offset of the size of a spill segment (header included). */
    public static final int SPILL_SEGMENT_SIZE_OFFSET = 16;
    /** Offset of the memory cap: the most bytes of spill segments that may exist at once. */
    public static final int MEMORY_CAP_OFFSET = 24;

    /** Offset of the write position. */
    public static final int WRITE_POSITION_OFFSET = 2 * CACHE_LINE;
    /** Offset of the count of messages sent. */
    public static final int SENT_OFFSET = WRITE_POSITION_OFFSET + 8;
    /** Offset of the count of messages that went to the spill. */
    public static final int SPILLED_OFFSET = WRITE_POSITION_OFFSET + 16;
    /** Offset of the count of spill segments created. */
    public static final int SEGMENTS_CREATED_OFFSET = WRITE_POSITION_OFFSET + 24;

    /** Offset of the read position. */
    public static final int READ_POSITION_OFFSET = 4 * CACHE_LINE;
    /** Offset of the count of messages received. */
    public static final int RECEIVED_OFFSET = READ_POSITION_OFFSET + 8;
    /** Offset of the count of spill segments removed. */
    public static final int SEGMENTS_REMOVED_OFFSET = READ_POSITION_OFFSET + 16;
    /** Offset of the count of spilled messages received. */
    public static final int SPILL_TAKEN_OFFSET = READ_POSITION_OFFSET + 24;

    /** Offset of the word that says the receiver waits on the ring (not 0) or not (0). */
    public static final int RECEIVER_WAITING_OFFSET = READ_POSITION_OFFSET + 32;

    /**
     * The message type of a doorbell: a record with no payload that the sender puts into the ring
     * to wake a waiting receiver after appending to the spill. The receiver never delivers one; a
     * message of this type with no payload travels through the spill.
     */
    public static final int DOORBELL_TYPE = Integer.MIN_VALUE;

    /** Bytes of the control segment's body. */
    public static final int BODY_SIZE = 6 * CACHE_LINE;

    /** Offset, in a spill segment's body, of its index. */
    public static final int SPILL_INDEX_OFFSET = 0;
    /** Offset, in a spill segment's body, of where its records end. */
    public static final int SPILL_END_OFFSET = 8;
    /** Offset, in a spill segment's body, of its first record. */
    public static final int RECORDS_OFFSET = CACHE_LINE;
    /** A spill segment's end while the sender may still append to it. */
    public static final long OPEN = -1;

    /** Offset of a record's payload length. */
    public static final int RECORD_LENGTH_OFFSET = 0;
    /** Offset of a record's message type. */
    public static final int RECORD_TYPE_OFFSET = 4;
    /** Bytes of a record's header. */
    public static final int RECORD_HEADER_LENGTH = 8;
    /** Records start at multiples of this. */
    public static final int RECORD_ALIGNMENT = 8;

    /** The bits of a position that hold the offset. */
    public static final long OFFSET_MASK = 0xFFFF_FFFFL;
    /** The shift of a position's segment index. */
    public static final int SEGMENT_SHIFT = 32;
    /** The position where a new link starts: segment 1, offset 0. */
    public static final long FIRST_POSITION = 1L << SEGMENT_SHIFT;

    /** The smallest spill segment. */
    public static final long MIN_SPILL_SEGMENT_SIZE = 4096;
    /** The largest spill segment (an offset must fit in 31 bits). */
    public static final long MAX_SPILL_SEGMENT_SIZE = 1L << 30;
    /** The longest payload. */
    public static final int MAX_MESSAGE_LENGTH = 1 << 24;

    private UnboundedDescriptor() {
    }

    /** {@return the position of {@code offset} in segment {@code index}} */
    public static long position(long index, long offset) {
        return index << SEGMENT_SHIFT | offset;
    }

    /** {@return the segment index of {@code position}} */
    public static long segmentOf(long position) {
        return position >>> SEGMENT_SHIFT;
    }

    /** {@return the offset of {@code position} in its segment} */
    public static long offsetOf(long position) {
        return position & OFFSET_MASK;
    }

    /** {@return the bytes a record of a {@code length}-byte payload takes} */
    public static long recordLength(int length) {
        return (RECORD_HEADER_LENGTH + (long) length + RECORD_ALIGNMENT - 1) & -RECORD_ALIGNMENT;
    }

    /** {@return the bytes of records a spill segment of {@code segmentSize} bytes (header included) holds} */
    public static long recordsCapacity(long segmentSize) {
        return segmentSize - SegmentHeaderDescriptor.HEADER_SIZE - RECORDS_OFFSET;
    }

    /** {@return the name of spill segment {@code index} of link {@code name}} */
    public static String spillName(String name, long index) {
        return name + ".spill." + index;
    }

    /** {@return the name of the ring channel of link {@code name}} */
    public static String ringName(String name) {
        return name + ".ring";
    }

    /** {@return null if the configuration can be right, else the problem} */
    public static String checkConfiguration(long ringCapacity, int maxMessageLength, long spillSegmentSize,
                                            long memoryCap) {
        if (maxMessageLength < 0 || maxMessageLength > MAX_MESSAGE_LENGTH) {
            return "its max message length " + maxMessageLength + " is outside 0.." + MAX_MESSAGE_LENGTH;
        }
        if (spillSegmentSize < MIN_SPILL_SEGMENT_SIZE || spillSegmentSize > MAX_SPILL_SEGMENT_SIZE) {
            return "its spill segment size " + spillSegmentSize + " is outside " + MIN_SPILL_SEGMENT_SIZE + ".."
                    + MAX_SPILL_SEGMENT_SIZE;
        }
        if (recordLength(maxMessageLength) > recordsCapacity(spillSegmentSize)) {
            return "its spill segments of " + spillSegmentSize + " bytes cannot hold a message of "
                    + maxMessageLength + " bytes";
        }
        if (memoryCap < spillSegmentSize) {
            return "its memory cap " + memoryCap + " is less than one spill segment of " + spillSegmentSize + " bytes";
        }
        if (ringCapacity <= 0 || Long.bitCount(ringCapacity) != 1) {
            return "its ring capacity " + ringCapacity + " is not a power of two";
        }
        return null;
    }
}
