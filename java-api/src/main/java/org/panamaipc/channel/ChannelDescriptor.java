package org.panamaipc.channel;

import org.panamaipc.shm.SegmentHeaderDescriptor;

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
 *  |                   reserved (448)                              | 72
 *  +---------------------------------------------------------------+ 128
 * </pre>
 *
 * <p>A sender that claims with a compare-and-set on the tail (MPSC, MPMC) first publishes the
 * range it is about to claim in its slot and clears it once the record's tag is written. That is
 * what lets a receiver stuck on a position whose tag never appears tell a slow sender (its claim
 * is published, and it is alive) from a dead one, and pass over exactly the space the dead one
 * had claimed.
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
}
