package org.panamaipc.channel;

import org.panamaipc.shm.SegmentHeaderDescriptor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The layout of a ring channel's body (after the segment header of {@link SegmentHeaderDescriptor}).
 * Mirrored by {@code struct pipc_channel} in {@code native/include/pipc_ring.h}.
 *
 * <pre>
 *  +----------------------------+ 0
 *  | configuration              |   capacity, max message length, type, endpoints, offsets
 *  +----------------------------+ 128
 *  | tail: claim position       |   written by senders (CAS for many), alone on two cache lines
 *  +----------------------------+ 256
 *  | head: consume position     |   written by receivers (CAS for many), alone on two cache lines
 *  +----------------------------+ 384
 *  | data signal (futex), receivers waiting, blocking receivers
 *  +----------------------------+ 512
 *  | space signal (futex), senders waiting, blocking senders
 *  +----------------------------+ 640
 *  | statistics: skipped records, retired endpoints' counters, endpoints ever attached
 *  +----------------------------+ 704
 *  | endpoints that left (closed, or retired as dead), per role: a sleeper's last look reads them
 *  +----------------------------+ 768
 *  | repair lock (an IpcMutex)  |   serialises registration of endpoints, and the rare repair of a
 *  |                            |   gap left by a dead sender; robust, so a dead holder blocks nothing
 *  +----------------------------+ 832 (ENDPOINTS_OFFSET)
 *  | endpoint 0                 |   128 bytes each: pid, start time, role, claim in progress,
 *  | endpoint 1 ...             |   sequence and counters, written only by the endpoint's owner
 *  +----------------------------+ recordsOffset (a multiple of 128)
 *  | records                    |   capacity bytes, a power of two; see RecordDescriptor
 *  +----------------------------+
 * </pre>
 *
 * Configuration (offset 0):
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                       capacity (64)                           |  0
 *  +---------------------------------------------------------------+
 *  |                 records offset in the body (64)               |  8
 *  +---------------------------------------------------------------+
 *  |                  max message length (32)                      | 16
 *  +---------------------------------------------------------------+
 *  |                 channel type: 1 SPSC, 2 MPSC, 3 MPMC (32)     | 20
 *  +---------------------------------------------------------------+
 *  |                  endpoint slots (32)                          | 24
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Endpoint slot (128 bytes, at {@code ENDPOINTS_OFFSET + id * ENDPOINT_LENGTH}):
 * <pre>
 *  +---------------------------------------------------------------+
 *  |  state: 0 free, 1 registering, 2 active (32) |  role (32)     |  0
 *  +---------------------------------------------------------------+
 *  |            pid (32)                          |  flags (32)    |  8
 *  +---------------------------------------------------------------+
 *  |                   process start time (64)                     | 16
 *  +---------------------------------------------------------------+
 *  |          claim start: position being claimed, or -1 (64)      | 24
 *  +---------------------------------------------------------------+
 *  |                      claim end (64)                           | 32
 *  +---------------------------------------------------------------+
 *  |          next sequence number (senders) (64)                  | 40
 *  +---------------------------------------------------------------+
 *  |          messages sent or received (64)                       | 48
 *  +---------------------------------------------------------------+
 *  |          bytes sent or received (64)                          | 56
 *  +---------------------------------------------------------------+
 *  |   times found full (senders) / times slept (receivers) (64)   | 64
 *  +---------------------------------------------------------------+
 *  |  sleeping: 1 while on the futex (32)         | reserved (32)  | 72
 *  +---------------------------------------------------------------+
 *  |                   reserved (384)                              | 80
 *  +---------------------------------------------------------------+ 128
 * </pre>
 *
 * <p><b>Claims.</b> A sender that claims with a compare-and-set on the tail (MPSC, MPMC) first
 * publishes the range [claim start, claim end) it is about to claim in its slot (end first, then
 * start), makes the compare-and-set, and on success sets {@link #CLAIM_WON} in the claim end
 * before anything else (the padding tag, the header); it sets claim start back to -1 once the
 * record's tag is written. A batch claims the room of many records in one claim (one lap at
 * most after the padding), writes them in order, each published by its tag, and sets claim start
 * back to -1 after the last: a dead sender's claim then holds the records it wrote, then space
 * it did not, and a repair passes over only the latter (walking the former by their tags and
 * lengths). A claim whose compare-and-set lost is published again or withdrawn.
 * So a position whose tag never appears is covered by its writer's claim: alive, it is still
 * writing; dead, the space it claimed, and nothing more, is passed over. A dead sender's claim
 * without {@link #CLAIM_WON} is taken as the one that won only if the tail has moved past its
 * start and no other claim starts there (it died between the compare-and-set and the mark); two
 * such claims at one position cannot be told apart, and nothing is passed over then rather than
 * a guess. Whoever retires a dead sender's slot (a receiver's
 * repair, another endpoint's registration) first passes over what it claimed, or keeps the slot
 * until that can be decided: the slot is the only record of the claim's extent.
 *
 * <p><b>Sleepers.</b> An endpoint that sleeps on a signal adds 1 to its side's waiter count, then
 * sets its slot's sleeping word, and clears the word before taking the 1 off again; whoever
 * retires the slot of an endpoint killed asleep takes its 1 off the waiter count (one killed in
 * the two stores between the add and the mark leaves its 1: commits then make a system call
 * each, which costs time, never a message). A commit (or
 * a head move) reads the blocking count without a fence; an endpoint that registers as blocking
 * makes that safe with {@code membarrier(MEMBARRIER_CMD_GLOBAL)} after adding itself to the
 * count, which orders every other thread's earlier commits before its own first look.
 * Retiring a slot adds 1 to the left count of its role and wakes the other side's sleepers; a
 * sleeper's last look before the futex wait reads that count, so a close is never missed.
 */
public final class ChannelDescriptor {

    /** Bytes in a cache line. */
    public static final int CACHE_LINE = SegmentHeaderDescriptor.CACHE_LINE;

    /** Offset of the ring's capacity in bytes. */
    public static final int CAPACITY_OFFSET = 0;
    /** Offset of the records' offset within the body. */
    public static final int RECORDS_OFFSET_OFFSET = 8;
    /** Offset of the longest payload accepted. */
    public static final int MAX_MESSAGE_LENGTH_OFFSET = 16;
    /** Offset of the channel type ({@link ChannelType#code()}). */
    public static final int CHANNEL_TYPE_OFFSET = 20;
    /** Offset of the number of endpoint slots. */
    public static final int ENDPOINT_SLOTS_OFFSET = 24;

    /** Offset of the tail, the position up to which senders have claimed. */
    public static final int TAIL_OFFSET = 2 * CACHE_LINE;
    /** Offset of the head, the position up to which receivers have consumed. */
    public static final int HEAD_OFFSET = 4 * CACHE_LINE;

    /** Offset of the data signal, the futex receivers sleep on. */
    public static final int DATA_SIGNAL_OFFSET = 6 * CACHE_LINE;
    /** Offset of the number of receivers sleeping or about to. */
    public static final int RECEIVERS_WAITING_OFFSET = DATA_SIGNAL_OFFSET + 4;
    /** Offset of the number of receivers whose wait strategy may sleep. */
    public static final int BLOCKING_RECEIVERS_OFFSET = DATA_SIGNAL_OFFSET + 8;

    /** Offset of the space signal, the futex senders sleep on when the ring is full. */
    public static final int SPACE_SIGNAL_OFFSET = 8 * CACHE_LINE;
    /** Offset of the number of senders sleeping or about to. */
    public static final int SENDERS_WAITING_OFFSET = SPACE_SIGNAL_OFFSET + 4;
    /** Offset of the number of senders whose wait strategy may sleep. */
    public static final int BLOCKING_SENDERS_OFFSET = SPACE_SIGNAL_OFFSET + 8;

    /** Offset of the count of records skipped because their sender died. */
    public static final int SKIPPED_OFFSET = 10 * CACHE_LINE;
    /**
     * Offset of the messages sent by endpoints that have gone: always 0, as senders count nothing
     * in shared memory (what was sent is what was received plus what is in the ring); kept in the
     * layout.
     */
    public static final int RETIRED_SENT_OFFSET = SKIPPED_OFFSET + 8;
    /** Offset of the bytes sent by endpoints that have gone: always 0, like {@link #RETIRED_SENT_OFFSET}. */
    public static final int RETIRED_SENT_BYTES_OFFSET = SKIPPED_OFFSET + 16;
    /** Offset of the times endpoints that have gone found the ring full. */
    public static final int RETIRED_FULL_OFFSET = SKIPPED_OFFSET + 24;
    /** Offset of the messages received by endpoints that have gone. */
    public static final int RETIRED_RECEIVED_OFFSET = SKIPPED_OFFSET + 32;
    /** Offset of the bytes received by endpoints that have gone. */
    public static final int RETIRED_RECEIVED_BYTES_OFFSET = SKIPPED_OFFSET + 40;
    /** Offset of the times endpoints that have gone slept. */
    public static final int RETIRED_SLEEPS_OFFSET = SKIPPED_OFFSET + 48;
    /** Offset of the number of senders that ever attached. */
    public static final int SENDERS_EVER_OFFSET = SKIPPED_OFFSET + 56;
    /** Offset of the number of receivers that ever attached. */
    public static final int RECEIVERS_EVER_OFFSET = SKIPPED_OFFSET + 60;
    /** Offset of the number of sender slots retired (closed, or found dead): receivers watch it. */
    public static final int SENDERS_LEFT_OFFSET = SKIPPED_OFFSET + CACHE_LINE;
    /** Offset of the number of receiver slots retired (closed, or found dead): senders watch it. */
    public static final int RECEIVERS_LEFT_OFFSET = SENDERS_LEFT_OFFSET + 4;

    /** Offset of the repair lock, an {@link org.panamaipc.sync.IpcMutex} region. */
    public static final int REPAIR_LOCK_OFFSET = 12 * CACHE_LINE;

    /** Offset of the first endpoint slot. */
    public static final int ENDPOINTS_OFFSET = 13 * CACHE_LINE;
    /** Bytes per endpoint slot. */
    public static final int ENDPOINT_LENGTH = 2 * CACHE_LINE;

    /** Slot field: state (free, registering, active). */
    public static final int EP_STATE_OFFSET = 0;
    /** Slot field: role ({@link #ROLE_SENDER} or {@link #ROLE_RECEIVER}). */
    public static final int EP_ROLE_OFFSET = 4;
    /** Slot field: the owner's pid. */
    public static final int EP_PID_OFFSET = 8;
    /** Slot field: flags ({@link #FLAG_BLOCKING}). */
    public static final int EP_FLAGS_OFFSET = 12;
    /** Slot field: the owner's process start time. */
    public static final int EP_START_TIME_OFFSET = 16;
    /** Slot field: start of the claim in progress, or -1. */
    public static final int EP_CLAIM_START_OFFSET = 24;
    /** Slot field: end of the claim in progress. */
    public static final int EP_CLAIM_END_OFFSET = 32;
    /** Slot field: the sender's next sequence number. */
    public static final int EP_SEQUENCE_OFFSET = 40;
    /** Slot field: messages received (a receiver); 0 for a sender, which counts nothing per message. */
    public static final int EP_MESSAGES_OFFSET = 48;
    /** Slot field: payload bytes received (a receiver); 0 for a sender. */
    public static final int EP_BYTES_OFFSET = 56;
    /** Slot field: times found full (sender) or times slept (receiver). */
    public static final int EP_WAITS_OFFSET = 64;
    /** Slot field: 1 while the endpoint is counted among its side's sleepers, else 0. */
    public static final int EP_SLEEPING_OFFSET = 72;

    /** Slot state: free. */
    public static final int EP_FREE = 0;
    /** Slot state: being registered. */
    public static final int EP_REGISTERING = 1;
    /** Slot state: in use. */
    public static final int EP_ACTIVE = 2;
    /** Role of a sending endpoint. */
    public static final int ROLE_SENDER = 1;
    /** Role of a receiving endpoint. */
    public static final int ROLE_RECEIVER = 2;
    /** Endpoint flag: its wait strategy may sleep on a futex. */
    public static final int FLAG_BLOCKING = 1;
    /** Set in a claim end once the claim's compare-and-set on the tail succeeded. */
    public static final long CLAIM_WON = 1;

    /** The largest number of endpoint slots a channel may have. */
    public static final int MAX_ENDPOINT_SLOTS = 1024;

    private ChannelDescriptor() {
    }

    /** {@return where the records start in a body with {@code slots} endpoint slots} */
    public static long recordsOffset(int slots) {
        long end = ENDPOINTS_OFFSET + (long) slots * ENDPOINT_LENGTH;
        return (end + 2 * CACHE_LINE - 1) & -(2L * CACHE_LINE);
    }

    /** {@return the offset of endpoint slot {@code id}} */
    public static long endpointOffset(int id) {
        return ENDPOINTS_OFFSET + (long) id * ENDPOINT_LENGTH;
    }

    // validators: each returns null if the value can be right, else what is wrong, in words

    /**
     * {@return null if {@code body} can be the body of a channel, else the first problem, in
     * words} Every field that sizes or places something is checked before anything is sliced or
     * read by it: the body's length, the type, the endpoint slots, the records offset, the capacity
     * (which must fill the body), the longest message, and the head and tail (read with acquire).
     * What {@code RingChannel.open} checks, for a named channel and for memory received from
     * another process alike.
     */
    public static String check(MemorySegment body) {
        long bodySize = body.byteSize();
        if (bodySize < ENDPOINTS_OFFSET) {
            return "its body of " + bodySize + " bytes is shorter than the channel header";
        }
        return check(bodySize, body.get(ValueLayout.JAVA_INT, CHANNEL_TYPE_OFFSET),
                body.get(ValueLayout.JAVA_INT, ENDPOINT_SLOTS_OFFSET), body.get(ValueLayout.JAVA_LONG, RECORDS_OFFSET_OFFSET),
                body.get(ValueLayout.JAVA_LONG, CAPACITY_OFFSET), body.get(ValueLayout.JAVA_INT, MAX_MESSAGE_LENGTH_OFFSET),
                (long) POSITION.getAcquire(body, (long) HEAD_OFFSET), (long) POSITION.getAcquire(body, (long) TAIL_OFFSET));
    }

    /**
     * {@return null if a channel of these values, read once from a body of {@code bodySize} bytes,
     * can be right, else the first problem, in words} As {@link #check(MemorySegment)}, for a
     * caller that keeps the values it checked: another process may change the body meanwhile.
     */
    public static String check(long bodySize, int typeCode, int slots, long recordsOffset, long capacity,
                               int maxMessageLength, long head, long tail) {
        if (bodySize < ENDPOINTS_OFFSET) {
            return "its body of " + bodySize + " bytes is shorter than the channel header";
        }
        String problem = checkType(typeCode);
        if (problem == null) {
            problem = checkSlots(slots);
        }
        if (problem == null) {
            problem = checkRecordsOffset(recordsOffset, slots);
        }
        if (problem == null) {
            problem = checkCapacity(capacity, recordsOffset, bodySize);
        }
        if (problem == null) {
            problem = checkMaxMessageLength(maxMessageLength, capacity);
        }
        if (problem == null) {
            problem = checkPositions(head, tail, capacity);
        }
        return problem;
    }

    private static final java.lang.invoke.VarHandle POSITION = ValueLayout.JAVA_LONG.varHandle();

    /** {@return null if {@code code} is a channel type, else the problem} */
    public static String checkType(int code) {
        return ChannelType.ofCode(code) != null ? null
                : "its channel type is " + code + ", expected 1 (SPSC), 2 (MPSC) or 3 (MPMC)";
    }

    /** {@return null if {@code slots} is a possible endpoint slot count, else the problem} */
    public static String checkSlots(int slots) {
        return slots >= 2 && slots <= MAX_ENDPOINT_SLOTS ? null
                : "its endpoint slot count " + slots + " is outside 2.." + MAX_ENDPOINT_SLOTS;
    }

    /** {@return null if the records start where {@code slots} slots end, else the problem} */
    public static String checkRecordsOffset(long recordsOffset, int slots) {
        return recordsOffset == recordsOffset(slots) ? null
                : "its records offset " + recordsOffset + " should be " + recordsOffset(slots) + " for " + slots + " slots";
    }

    /**
     * {@return null if {@code capacity} is a power of two of at least {@code ChannelOptions.MIN_CAPACITY}
     * that fills a body of {@code bodySize} bytes after the records offset, else the problem}
     */
    public static String checkCapacity(long capacity, long recordsOffset, long bodySize) {
        if (capacity < ChannelOptions.MIN_CAPACITY || capacity > (1L << 62) || Long.bitCount(capacity) != 1) {
            return "its capacity " + capacity + " is not a power of two from " + ChannelOptions.MIN_CAPACITY + " to 2^62";
        }
        if (bodySize - recordsOffset != capacity) {
            return "its body is " + bodySize + " bytes, expected records offset " + recordsOffset + " + capacity " + capacity;
        }
        return null;
    }

    /** {@return null if a record of {@code maxMessageLength} payload bytes fits half of {@code capacity}, else the problem} */
    public static String checkMaxMessageLength(int maxMessageLength, long capacity) {
        return maxMessageLength >= 0 && maxMessageLength <= capacity / 2 - RecordDescriptor.HEADER_LENGTH ? null
                : "its max message length " + maxMessageLength + " does not fit capacity " + capacity
                + " (at most capacity / 2 - " + RecordDescriptor.HEADER_LENGTH + ")";
    }

    /**
     * {@return null if {@code head} and {@code tail} can be positions of a ring of {@code capacity}
     * bytes, else the problem} Both are multiples of {@link RecordDescriptor#ALIGNMENT}, not
     * negative, and at most a lap apart; the tail may lie behind the head, by less than a lap,
     * where a single sender died between writing padding and publishing its tail.
     */
    public static String checkPositions(long head, long tail, long capacity) {
        if (head < 0 || !RecordDescriptor.isPosition(head)) {
            return "its head " + head + " is not a position (a multiple of " + RecordDescriptor.ALIGNMENT + ", at least 0)";
        }
        if (tail < 0 || !RecordDescriptor.isPosition(tail)) {
            return "its tail " + tail + " is not a position (a multiple of " + RecordDescriptor.ALIGNMENT + ", at least 0)";
        }
        if (tail - head > capacity || head - tail >= capacity) {
            return "its head " + head + " and tail " + tail + " are more than the capacity " + capacity + " apart";
        }
        return null;
    }
}
