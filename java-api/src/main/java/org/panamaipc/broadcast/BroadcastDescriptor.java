package org.panamaipc.broadcast;

import org.panamaipc.shm.SegmentHeaderDescriptor;
import org.panamaipc.sync.MutexDescriptor;

/**
 * The layout of a broadcast's body (after the segment header of {@link SegmentHeaderDescriptor}).
 * Mirrored by {@code struct pipc_broadcast} in {@code native/include/pipc_broadcast.h}.
 *
 * <pre>
 *  +----------------------------+ 0
 *  | configuration              |   capacity, slot length, max message length, policy, subscriber slots
 *  +----------------------------+ 128
 *  | tail: next sequence number |   written by the publisher after each message, alone on two cache lines
 *  +----------------------------+ 256
 *  | publisher: state, pid, start time, times full, sleeping; written by the publisher
 *  +----------------------------+ 384
 *  | data signal (futex), subscribers waiting
 *  +----------------------------+ 512
 *  | space signal (futex), publisher waiting, wake-at cursor  (BLOCK only)
 *  +----------------------------+ 640
 *  | counts: publishers and subscribers ever and left, slots in use, retired counters
 *  +----------------------------+ 704
 *  | registration lock (an IpcMutex): serialises joining, leaving and retiring the dead
 *  +----------------------------+ 768 (SUBSCRIBERS_OFFSET)
 *  | subscriber slot 0          |   128 bytes each: state, pid, start time, cursor, counters,
 *  | subscriber slot 1 ...      |   written by the subscriber (and by whoever retires it dead)
 *  +----------------------------+ recordsOffset (a multiple of 128)
 *  | records                    |   capacity slots of slotLength bytes (a multiple of 64)
 *  +----------------------------+
 * </pre>
 *
 * Configuration (offset 0):
 * <pre>
 *  +---------------------------------------------------------------+
 *  |              capacity: record slots, a power of two (64)      |  0
 *  +---------------------------------------------------------------+
 *  |               records offset in the body (64)                 |  8
 *  +---------------------------------------------------------------+
 *  |     slot length (32)          |    max message length (32)    | 16
 *  +---------------------------------------------------------------+
 *  |  policy: 1 BLOCK, 2 LOSSY (32)|    subscriber slots (32)      | 24
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Subscriber slot (128 bytes, at {@code SUBSCRIBERS_OFFSET + id * SUBSCRIBER_LENGTH}):
 * <pre>
 *  +---------------------------------------------------------------+
 *  | state: 0 free, 1 registering, 2 active (32) | sleeping (32)   |  0
 *  +---------------------------------------------------------------+
 *  |            pid (32)                         | reserved (32)   |  8
 *  +---------------------------------------------------------------+
 *  |                  process start time (64)                      | 16
 *  +---------------------------------------------------------------+
 *  |           cursor: the next sequence it reads (64)             | 24
 *  +---------------------------------------------------------------+
 *  |                  messages received (64)                       | 32
 *  +---------------------------------------------------------------+
 *  |                  messages lost (64)                           | 40
 *  +---------------------------------------------------------------+
 *  |                  times slept (64)                             | 48
 *  +---------------------------------------------------------------+
 *  |                  reserved (576)                               | 56
 *  +---------------------------------------------------------------+ 128
 * </pre>
 *
 * Record (one per slot, {@code slotLength} bytes, at {@code recordsOffset + (sequence & (capacity - 1)) * slotLength}):
 * <pre>
 *  +---------------------------------------------------------------+
 *  |         tag: sequence &lt;&lt; 1 | WRITING (64)                  |  0
 *  +---------------------------------------------------------------+
 *  |     payload length (32)       |      message type (32)        |  8
 *  +---------------------------------------------------------------+
 *  |                  payload ... (up to max message length)       | 16
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p><b>Publishing.</b> Messages are numbered from 1; message {@code s} goes in record slot
 * {@code s & (capacity - 1)}, every slot the same size, so a reader finds any message without
 * walking the ones before it. The publisher first stores the tag {@code s << 1 | WRITING}, then
 * (after a store-store fence) the length, type and payload, then release-stores the tag
 * {@code s << 1}, then stores the tail {@code s + 1} with a full fence, and then reads the
 * wake-needed word: if it is 1, it swaps it to 0 and, if that swap returned 1, adds 1 to the data
 * signal and wakes every sleeper. A subscriber that goes to sleep sets the word again, so the
 * publisher makes one system call per sleep, not one per message while a sleeper is waking.
 *
 * <p><b>Reading.</b> A subscriber whose cursor is {@code c} reads the tag with acquire: {@code c << 1}
 * means the message is there; it reads length and type, copies the payload, makes a load-load
 * fence, and reads the tag again: unchanged, the copy is whole; changed, the publisher overwrote
 * the slot meanwhile (a seqlock). A tag for a sequence before {@code c}, or {@code c << 1 | WRITING},
 * means "not yet". A tag for a later sequence means the subscriber was lapped: it reads the tail
 * {@code t} and continues at {@code max(c + 1, t - capacity)} (the oldest message that can still be
 * whole; if the publisher is overwriting it, the next look says so), and the messages it passed
 * over are counted as lost, exactly. A tag can never name a sequence beyond the tail: one that does is
 * corruption.
 *
 * <p><b>Slow subscribers.</b> Under {@link SlowSubscriberPolicy#BLOCK} the publisher may write
 * message {@code s} only while {@code s - capacity} is below the cursor of every active subscriber
 * and below its own tail as it was when it last looked; it caches that limit, and looks again
 * (a full fence, then every active slot's cursor, up to the slots-in-use mark) only when the
 * limit is reached. A publisher that must wait stores the wake-at cursor ({@code s - capacity + 1}
 * and a quarter of the ring more, at most 256) and the publisher-waiting word with full fences,
 * looks at the cursors once more, and sleeps. A subscriber that moves its cursor stores it with a
 * full fence, then reads the publisher-waiting word, and if it is set wakes the publisher when its
 * cursor has just reached the wake-at value (so a publisher held back wakes once per quarter ring,
 * not once per message; between wake-ups it looks again at every liveness check). Under
 * {@link SlowSubscriberPolicy#LOSSY} the publisher never reads a cursor.
 *
 * <p><b>Joining.</b> Under the registration lock, a subscriber takes a free slot (compare-and-set
 * free to registering), writes pid and start time, stores the tail it reads as its cursor, stores
 * {@code ACTIVE} with a full fence, reads the tail again and stores that as its cursor: it receives
 * every message from there on. (Either the publisher's next look sees the slot, or the tail
 * it stored before that look is what the subscriber reads: it never overwrites the message the
 * subscriber starts at.) Leaving, or being retired as dead (by whoever finds the owner's pid and
 * start time dead: the publisher waiting for it, or a subscriber joining), frees the slot under
 * the lock: its counters go to the retired totals, a sleep it was killed in comes off the waiting
 * count, the subscribers-left count goes up, and the publisher is woken.
 *
 * <p><b>Sleepers.</b> A subscriber reads the data signal, adds 1 to the subscribers-waiting count
 * (kept for statistics and taken off again when a slot killed asleep is retired), sets its slot's
 * sleeping word, stores 1 in the wake-needed word (a full fence), looks at its record and at the
 * publishers-left count once more, and sleeps on the signal word as it read it. The publisher sleeps on the space signal the same
 * way, with the publisher-waiting word. Each side sleeps in slices and checks the other's liveness
 * between them.
 */
public final class BroadcastDescriptor {

    /** Bytes in a cache line. */
    public static final int CACHE_LINE = SegmentHeaderDescriptor.CACHE_LINE;

    /** Offset of the number of record slots. */
    public static final int CAPACITY_OFFSET = 0;
    /** Offset of where the records start, in the body. */
    public static final int RECORDS_OFFSET_OFFSET = 8;
    /** Offset of the bytes per record slot. */
    public static final int SLOT_LENGTH_OFFSET = 16;
    /** Offset of the longest payload. */
    public static final int MAX_MESSAGE_LENGTH_OFFSET = 20;
    /** Offset of the slow-subscriber policy ({@link SlowSubscriberPolicy#code()}). */
    public static final int POLICY_OFFSET = 24;
    /** Offset of the number of subscriber slots. */
    public static final int SUBSCRIBER_SLOTS_OFFSET = 28;

    /** Offset of the tail: the sequence number the publisher writes next. */
    public static final int TAIL_OFFSET = 2 * CACHE_LINE;

    /** Offset of the publisher's state ({@link #FREE} or {@link #ACTIVE}). */
    public static final int PUBLISHER_STATE_OFFSET = 4 * CACHE_LINE;
    /** Offset of the publisher's pid. */
    public static final int PUBLISHER_PID_OFFSET = PUBLISHER_STATE_OFFSET + 4;
    /** Offset of the publisher's process start time. */
    public static final int PUBLISHER_START_TIME_OFFSET = PUBLISHER_STATE_OFFSET + 8;
    /** Offset of the times the publisher found the ring full (BLOCK). */
    public static final int PUBLISHER_FULL_OFFSET = PUBLISHER_STATE_OFFSET + 16;

    /** Offset of the data signal, the futex subscribers sleep on. */
    public static final int DATA_SIGNAL_OFFSET = 6 * CACHE_LINE;
    /** Offset of the number of subscribers sleeping or about to. */
    public static final int SUBSCRIBERS_WAITING_OFFSET = DATA_SIGNAL_OFFSET + 4;
    /**
     * Offset of the word a subscriber sets to 1 before it sleeps, and the publisher swaps back to 0
     * when it wakes the sleepers: one wake-up per sleep, not one per message.
     */
    public static final int WAKE_NEEDED_OFFSET = DATA_SIGNAL_OFFSET + 8;

    /** Offset of the space signal, the futex the publisher sleeps on when a subscriber holds it back. */
    public static final int SPACE_SIGNAL_OFFSET = 8 * CACHE_LINE;
    /** Offset of the word that is 1 while the publisher sleeps or is about to. */
    public static final int PUBLISHER_WAITING_OFFSET = SPACE_SIGNAL_OFFSET + 4;
    /**
     * Offset of the cursor value at which a subscriber wakes the sleeping publisher: the one that
     * leaves it room for a quarter of the ring (at most 256 messages) past the message it waits to
     * write.
     */
    public static final int PUBLISHER_WAKE_AT_OFFSET = SPACE_SIGNAL_OFFSET + 8;

    /** Offset of the number of publishers that ever attached. */
    public static final int PUBLISHERS_EVER_OFFSET = 10 * CACHE_LINE;
    /** Offset of the number of times a publisher left (closed, or replaced as dead): subscribers watch it. */
    public static final int PUBLISHERS_LEFT_OFFSET = PUBLISHERS_EVER_OFFSET + 4;
    /** Offset of the number of subscribers that ever joined. */
    public static final int SUBSCRIBERS_EVER_OFFSET = PUBLISHERS_EVER_OFFSET + 8;
    /** Offset of the number of subscriber slots freed (left, or retired as dead). */
    public static final int SUBSCRIBERS_LEFT_OFFSET = PUBLISHERS_EVER_OFFSET + 12;
    /** Offset of the slots-in-use mark: one past the highest slot ever taken; the publisher looks no further. */
    public static final int SLOTS_IN_USE_OFFSET = PUBLISHERS_EVER_OFFSET + 16;
    /** Offset of the messages received by subscribers that have left. */
    public static final int RETIRED_RECEIVED_OFFSET = PUBLISHERS_EVER_OFFSET + 24;
    /** Offset of the messages lost by subscribers that have left. */
    public static final int RETIRED_LOST_OFFSET = PUBLISHERS_EVER_OFFSET + 32;

    /** Offset of the registration lock, an {@link org.panamaipc.sync.IpcMutex} region. */
    public static final int LOCK_OFFSET = 11 * CACHE_LINE;

    /** Offset of the first subscriber slot. */
    public static final int SUBSCRIBERS_OFFSET = 12 * CACHE_LINE;
    /** Bytes per subscriber slot. */
    public static final int SUBSCRIBER_LENGTH = 2 * CACHE_LINE;

    /** Slot field: state. */
    public static final int SUB_STATE_OFFSET = 0;
    /** Slot field: 1 while the subscriber is counted among the sleepers. */
    public static final int SUB_SLEEPING_OFFSET = 4;
    /** Slot field: the owner's pid. */
    public static final int SUB_PID_OFFSET = 8;
    /** Slot field: the owner's process start time. */
    public static final int SUB_START_TIME_OFFSET = 16;
    /** Slot field: the next sequence number the subscriber reads. */
    public static final int SUB_CURSOR_OFFSET = 24;
    /** Slot field: messages received. */
    public static final int SUB_RECEIVED_OFFSET = 32;
    /** Slot field: messages lost (lapped, LOSSY). */
    public static final int SUB_LOST_OFFSET = 40;
    /** Slot field: times slept. */
    public static final int SUB_SLEEPS_OFFSET = 48;

    /** Record field: the tag. */
    public static final int RECORD_TAG_OFFSET = 0;
    /** Record field: the payload length. */
    public static final int RECORD_LENGTH_OFFSET = 8;
    /** Record field: the message type. */
    public static final int RECORD_TYPE_OFFSET = 12;
    /** Record field: the payload. */
    public static final int RECORD_HEADER_LENGTH = 16;
    /** Record slots are multiples of this, so that two never share a cache line. */
    public static final int RECORD_ALIGNMENT = CACHE_LINE;
    /** The tag bit set while the publisher writes the record. */
    public static final long WRITING = 1;

    /** Slot or publisher state: free. */
    public static final int FREE = 0;
    /** Slot state: being taken, left or retired (under the lock). */
    public static final int REGISTERING = 1;
    /** Slot or publisher state: in use. */
    public static final int ACTIVE = 2;

    /** The fewest record slots. */
    public static final long MIN_CAPACITY = 2;
    /** The most record slots. */
    public static final long MAX_CAPACITY = 1L << 30;
    /** The longest payload a broadcast may be created for: 16 MiB. */
    public static final int MAX_MESSAGE_LENGTH = 1 << 24;
    /** The most subscriber slots. */
    public static final int MAX_SUBSCRIBER_SLOTS = 1024;

    private BroadcastDescriptor() {
    }

    /** {@return the bytes of a record slot that holds payloads of up to {@code maxMessageLength}} */
    public static int slotLength(int maxMessageLength) {
        return (RECORD_HEADER_LENGTH + maxMessageLength + RECORD_ALIGNMENT - 1) & -RECORD_ALIGNMENT;
    }

    /** {@return where the records start in a body with {@code slots} subscriber slots} */
    public static long recordsOffset(int slots) {
        long end = SUBSCRIBERS_OFFSET + (long) slots * SUBSCRIBER_LENGTH;
        return (end + 2 * CACHE_LINE - 1) & -(2L * CACHE_LINE);
    }

    /** {@return the offset of subscriber slot {@code id}} */
    public static long subscriberOffset(int id) {
        return SUBSCRIBERS_OFFSET + (long) id * SUBSCRIBER_LENGTH;
    }

    /** {@return the bytes a body needs} */
    public static long bodySize(long capacity, int maxMessageLength, int slots) {
        return recordsOffset(slots) + capacity * slotLength(maxMessageLength);
    }

    /** {@return the tag of message {@code sequence} once written} */
    public static long tag(long sequence) {
        return sequence << 1;
    }

    // validators: each returns null if the value can be right, else what is wrong, in words

    /** {@return null if {@code capacity} is a power of two in range, else the problem} */
    public static String checkCapacity(long capacity) {
        return capacity >= MIN_CAPACITY && capacity <= MAX_CAPACITY && Long.bitCount(capacity) == 1 ? null
                : "its capacity " + capacity + " is not a power of two from " + MIN_CAPACITY + " to 2^30";
    }

    /** {@return null if {@code maxMessageLength} is in range, else the problem} */
    public static String checkMaxMessageLength(int maxMessageLength) {
        return maxMessageLength >= 0 && maxMessageLength <= MAX_MESSAGE_LENGTH ? null
                : "its max message length " + maxMessageLength + " is outside 0.." + MAX_MESSAGE_LENGTH;
    }

    /** {@return null if {@code slotLength} is the slot length for {@code maxMessageLength}, else the problem} */
    public static String checkSlotLength(int slotLength, int maxMessageLength) {
        return slotLength == slotLength(maxMessageLength) ? null
                : "its slot length " + slotLength + " should be " + slotLength(maxMessageLength)
                + " for max message length " + maxMessageLength;
    }

    /** {@return null if {@code code} is a policy, else the problem} */
    public static String checkPolicy(int code) {
        return SlowSubscriberPolicy.ofCode(code) != null ? null
                : "its slow-subscriber policy is " + code + ", expected 1 (BLOCK) or 2 (LOSSY)";
    }

    /** {@return null if {@code slots} is a possible subscriber slot count, else the problem} */
    public static String checkSlots(int slots) {
        return slots >= 1 && slots <= MAX_SUBSCRIBER_SLOTS ? null
                : "its subscriber slot count " + slots + " is outside 1.." + MAX_SUBSCRIBER_SLOTS;
    }

    /** {@return null if the records start where {@code slots} slots end, else the problem} */
    public static String checkRecordsOffset(long recordsOffset, int slots) {
        return recordsOffset == recordsOffset(slots) ? null
                : "its records offset " + recordsOffset + " should be " + recordsOffset(slots) + " for " + slots + " slots";
    }

    /** {@return null if the body holds exactly the records, else the problem} */
    public static String checkBodySize(long bodySize, long capacity, int maxMessageLength, int slots) {
        long expected = bodySize(capacity, maxMessageLength, slots);
        return bodySize == expected ? null : "its body is " + bodySize + " bytes, expected " + expected;
    }

    /** {@return null if {@code tail} can be a tail, else the problem} */
    public static String checkTail(long tail) {
        return tail >= 1 && tail < (1L << 62) ? null : "its tail " + tail + " is not a sequence number (1 to 2^62)";
    }

    static {
        if (LOCK_OFFSET + MutexDescriptor.SIZE > SUBSCRIBERS_OFFSET) {
            throw new AssertionError("the registration lock overlaps the subscriber slots");
        }
    }
}
