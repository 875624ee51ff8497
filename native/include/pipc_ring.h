/*
 * pipc_ring.h - C mirror of panama-ipc's ring channel layout (org.panamaipc.channel.ChannelDescriptor
 * and RecordDescriptor). A channel is a segment (struct pipc_segment_header, kind PIPC_KIND_CHANNEL)
 * whose body is a struct pipc_channel followed, at records_offset, by capacity bytes of records.
 * The ABI probe prints every offset below; a Java test holds them equal to the descriptors.
 *
 * Protocol in brief (the Java descriptors' Javadoc has the whole of it):
 *  - a record at stream position p starts at byte (p & (capacity - 1)) of the records; it is there
 *    when its tag, read with acquire, equals p | state with state != 0;
 *  - a sender writes length, type, source, sequence and payload, then release-stores the tag
 *    p | PIPC_RECORD_COMMITTED; PIPC_RECORD_PADDING means "continue at the next lap's start";
 *    PIPC_RECORD_SKIP means "pass over header + length bytes";
 *  - one sender (SPSC) keeps the tail itself and release-stores it after each commit; many senders
 *    publish [claim_start, claim_end) in their endpoint slot, then CAS the tail, then set
 *    PIPC_CLAIM_WON in claim_end, then write;
 *  - receivers release-store the head after consuming (one receiver) or CAS it (many);
 *  - after a commit, if blocking_receivers != 0: full fence, and if receivers_waiting != 0, add 1
 *    to data_signal and FUTEX_WAKE it; after moving the head, the same with the space_* fields.
 *    The read of blocking_* comes before the fence: an endpoint that registers as blocking calls
 *    membarrier(MEMBARRIER_CMD_GLOBAL) after adding itself, which orders every earlier commit.
 *
 * In more detail (what a second implementation needs; native/include/pipc_ring_ops.h is one):
 *  - a record never wraps: index + record length <= capacity. A sender whose record does not fit
 *    before the end writes PADDING at its position when it claims (before committing) and takes
 *    the space from the next lap's start; padding is only a tag, so it fits in 8 bytes;
 *  - record length = header + length rounded up to 8, computed without overflow; a receiver
 *    refuses length < 0, length > max_message_length (except for SKIP, which a repair may make
 *    longer), a record that would cross the end, and states other than 1..3;
 *  - a claim in the endpoint slot: claim_end is written first, then claim_start (at least a
 *    release store: the tail's compare-and-set after it releases both, so a repair that reads the
 *    tail past the claim, with acquire, sees them), then the tail is compare-and-set (seq_cst);
 *    on success claim_end | PIPC_CLAIM_WON is stored
 *    before the padding tag; after the record's tag, claim_start goes back to -1 with release.
 *    A batch claims many records at once (pipc_claim_span: one claim, one CAS, within one lap
 *    after the padding), writes them in order, each published by its tag, and sets claim_start
 *    back to -1 after the last. Space is free while end - head <= capacity;
 *  - a new single sender (SPSC) starts at the published tail moved past records committed after
 *    it (a sender that died between commit and publishing the tail), and before its first write
 *    zeroes what a dead sender's one unpublished record may have left there: from that position
 *    to the least of one record of max_message_length further, the end of the records and the end
 *    of the free space (head + capacity); the word at the position with one whole-word store, as
 *    a receiver may be reading its tag. A receiver reads past a position only after acquiring a
 *    tag there, which the sender stores with release after these stores;
 *  - registration: CAS a slot's state FREE -> REGISTERING, write role, pid, flags, start time,
 *    claim_end = claim_start = -1, sequence = 1, zero counters; if the endpoint may sleep on the
 *    futex (PIPC_EP_FLAG_BLOCKING) add 1 to blocking_senders / blocking_receivers; add 1 to
 *    senders_ever / receivers_ever; release-store ACTIVE. A slot ACTIVE whose owner (pid and start
 *    time) is dead is taken by CAS ACTIVE -> REGISTERING and retired, except a sender's whose claim
 *    is open (claim_start >= 0) and not passed by the head: that slot is the only record of what
 *    the dead sender claimed, and stays until a repair (the Java receiver's) has passed over it.
 *    Retiring: REGISTERING, add the slot's counters to retired_*, undo the blocking count, take 1
 *    off the waiter count if `sleeping` is set, claim_start = -1, FREE, add 1 to senders_left or
 *    receivers_left, and wake every sleeper of the other side;
 *  - "every sender (receiver) has gone" means senders_ever (receivers_ever) > 0 and no ACTIVE slot
 *    of that role has a live owner: also true between one endpoint leaving and the next arriving;
 *  - a sleeper reads the signal word, adds 1 to the waiter count, sets its slot's `sleeping`,
 *    looks once more (the Java side also at senders_left / receivers_left), then FUTEX_WAITs on
 *    the value it read, with a timeout (the Java side: 250 ms for receivers, 10 ms for senders),
 *    clears `sleeping` and subtracts 1; the futex is the shared form, never FUTEX_PRIVATE_FLAG;
 *  - a receiver that finds no record at the head while the tail is beyond it for 10 ms takes
 *    repair_lock and passes over the claims of dead senders (org.panamaipc.channel.DeadSenders):
 *    the claim that covers the head is the one marked PIPC_CLAIM_WON, else the only one that
 *    starts there; while its sender lives it waits; once it is dead it writes SKIP over the
 *    record's space (and PADDING at the claim's start if the record was to follow the lap's end
 *    and the padding is missing), never reading the dead record's bytes, and adds 1 to skipped.
 *    In a claim of many records (a batch) it walks the records whose tags are there, by their
 *    lengths, and writes one SKIP from the first missing one to the claim's end.
 */
#ifndef PIPC_RING_H
#define PIPC_RING_H

#include <stdint.h>
#include "pipc_segment.h"

#define PIPC_KIND_CHANNEL 5

enum pipc_channel_type {
    PIPC_CHANNEL_SPSC = 1,
    PIPC_CHANNEL_MPSC = 2,
    PIPC_CHANNEL_MPMC = 3,
};

enum pipc_record_state {
    PIPC_RECORD_COMMITTED = 1,
    PIPC_RECORD_PADDING = 2,
    PIPC_RECORD_SKIP = 3,
};

#define PIPC_RECORD_STATE_MASK UINT64_C(7)
#define PIPC_RECORD_ALIGNMENT 8

/* the version of this layout in the segment header (org.panamaipc.shm.SegmentKind.CHANNEL) */
#define PIPC_CHANNEL_LAYOUT_VERSION 2
/* set in claim_end once the claim's compare-and-set on the tail succeeded */
#define PIPC_CLAIM_WON 1

enum pipc_endpoint_state { PIPC_EP_FREE = 0, PIPC_EP_REGISTERING = 1, PIPC_EP_ACTIVE = 2 };
enum pipc_endpoint_role { PIPC_ROLE_SENDER = 1, PIPC_ROLE_RECEIVER = 2 };
#define PIPC_EP_FLAG_BLOCKING 1

/* 32 bytes, then the payload, padded to a multiple of 8 */
struct pipc_record_header {
    uint64_t tag;        /* position | state */
    int32_t  length;     /* payload bytes */
    int32_t  type;
    int32_t  source;     /* sender's endpoint id */
    int32_t  reserved;
    int64_t  sequence;   /* per sender, from 1 */
};

/* 128 bytes, at endpoints[] */
struct pipc_endpoint {
    uint32_t state;
    uint32_t role;
    int32_t  pid;
    uint32_t flags;
    uint64_t start_time;  /* clock ticks after boot, field 22 of /proc/<pid>/stat */
    int64_t  claim_start; /* -1 when no claim is in progress */
    int64_t  claim_end;
    int64_t  sequence;    /* next sequence number (senders), written when a sender closes */
    int64_t  messages;    /* received (receivers); senders count nothing per message: 0 */
    int64_t  bytes;       /* payload bytes received (receivers); 0 for senders */
    int64_t  waits;       /* times full (senders), times slept (receivers) */
    uint32_t sleeping;    /* 1 while counted among its side's sleepers */
    uint32_t reserved0;
    uint8_t  reserved[48];
};

struct pipc_channel {
    /* configuration, line 0 */
    uint64_t capacity;
    uint64_t records_offset;   /* from the start of this struct */
    int32_t  max_message_length;
    int32_t  channel_type;
    int32_t  endpoint_slots;
    uint8_t  pad0[128 - 28];
    /* two cache lines each */
    int64_t  tail;
    uint8_t  pad1[120];
    int64_t  head;
    uint8_t  pad2[120];
    uint32_t data_signal;       /* futex */
    uint32_t receivers_waiting;
    uint32_t blocking_receivers;
    uint8_t  pad3[128 - 12];
    uint32_t space_signal;      /* futex */
    uint32_t senders_waiting;
    uint32_t blocking_senders;
    uint8_t  pad4[128 - 12];
    /* statistics */
    int64_t  skipped;
    int64_t  retired_sent;       /* 0: sent = received + what is in the ring (ChannelCounters.snapshot) */
    int64_t  retired_sent_bytes; /* 0, likewise */
    int64_t  retired_full;
    int64_t  retired_received;
    int64_t  retired_received_bytes;
    int64_t  retired_sleeps;
    int32_t  senders_ever;
    int32_t  receivers_ever;
    /* its own cache line: read by a sleeper's last look, written when an endpoint leaves */
    int32_t  senders_left;       /* sender slots retired (closed, or found dead) */
    int32_t  receivers_left;     /* receiver slots retired */
    uint8_t  pad5[56];
    struct pipc_mutex repair_lock;
    struct pipc_endpoint endpoints[]; /* endpoint_slots of them, then records at records_offset */
};

_Static_assert(sizeof(struct pipc_record_header) == 32, "record header is 32 bytes");
_Static_assert(sizeof(struct pipc_endpoint) == 128, "endpoint slot is two cache lines");

/* where the records start for a channel with `slots` endpoint slots: after them, on a 128-byte boundary */
static inline uint64_t pipc_records_offset(uint32_t slots) {
    uint64_t end = sizeof(struct pipc_channel) + (uint64_t) slots * sizeof(struct pipc_endpoint);
    return (end + 127) & ~UINT64_C(127);
}

#endif /* PIPC_RING_H */
