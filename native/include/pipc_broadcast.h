/*
 * pipc_broadcast.h - C mirror of panama-ipc's broadcast layout (org.panamaipc.broadcast.BroadcastDescriptor).
 * A broadcast is a segment (struct pipc_segment_header, kind PIPC_KIND_BROADCAST) whose body is a
 * struct pipc_broadcast, then subscriber_slots struct pipc_broadcast_subscriber, then, at
 * records_offset, capacity record slots of slot_length bytes each. The ABI probe prints every
 * offset below; a Java test holds them equal to the descriptor.
 *
 * The protocol, for a C peer (the Java descriptor's Javadoc has the whole of it):
 *  - messages are numbered from 1; message s lives in record slot (s & (capacity - 1)), at
 *    records_offset + slot * slot_length; every slot has room for max_message_length bytes;
 *  - publishing s: store the tag s << 1 | PIPC_BROADCAST_WRITING, a store-store fence (release),
 *    the length, type and payload, then release-store the tag s << 1, then store tail = s + 1
 *    with a full fence (seq_cst), then, if wake_needed != 0 and an atomic exchange of it with 0
 *    returns 1, add 1 to data_signal and FUTEX_WAKE it with INT_MAX;
 *  - reading at cursor c: acquire-load the tag; c << 1 means the message is there: read length
 *    (0..max_message_length, else corruption) and type, copy the payload, an acquire fence, and
 *    load the tag again: changed means the copy may be torn (the publisher lapped the reader).
 *    A tag below c << 1, or c << 1 | WRITING, means "not yet". A tag for a later message means
 *    lapped: load tail t (t <= c is corruption) and continue at max(c + 1, t - capacity),
 *    counting what was passed over as lost;
 *  - PIPC_BROADCAST_BLOCK: the publisher writes s only while s - capacity is below min(its own
 *    tail, the cursor of every ACTIVE subscriber slot below slots_in_use); before it sleeps it
 *    stores publisher_wake_at = s - capacity + 1 + min(capacity / 4, 256) and publisher_waiting = 1
 *    (seq_cst) and looks at the cursors once more; a subscriber stores its cursor with seq_cst
 *    after each message and then, if publisher_waiting != 0 and its cursor has just reached
 *    publisher_wake_at (old < wake_at <= new), adds 1 to space_signal and wakes it.
 *    PIPC_BROADCAST_LOSSY: the publisher never looks at cursors;
 *  - joining, under lock (a pipc_mutex, see pipc_segment.h and docs/futex-protocol.md): retire
 *    the slots of dead owners; CAS a slot's state FREE -> REGISTERING; write pid, start time,
 *    zero the counters and sleeping; store cursor = tail; add 1 to subscribers_ever; raise
 *    slots_in_use to id + 1; store state ACTIVE (seq_cst); load tail again and store it as cursor;
 *  - leaving or retiring a dead slot (under lock): state REGISTERING, counters into retired_*,
 *    if sleeping was set subtract 1 from subscribers_waiting, pid and start time to 0, state FREE,
 *    add 1 to subscribers_left, wake the publisher as after a cursor move;
 *  - a sleeping subscriber reads data_signal, adds 1 to subscribers_waiting, sets its sleeping,
 *    stores wake_needed = 1 (seq_cst), looks at its record and at publishers_left once more, FUTEX_WAITs (shared futex) on the value
 *    it read for at most 100 ms, then clears sleeping and subtracts 1. The publisher sleeps on
 *    space_signal with publisher_waiting = 1 the same way, for at most 10 ms, and checks the
 *    liveness (pid and start time) of the subscribers holding it back every 10 ms;
 *  - one publisher at a time: attaching (under lock) is refused while publisher_state is ACTIVE
 *    with a live owner; a dead one is replaced (add 1 to publishers_left); the new publisher
 *    continues at tail, moved past a message whose tag is already (tail << 1).
 */
#ifndef PIPC_BROADCAST_H
#define PIPC_BROADCAST_H

#include <stdint.h>
#include <stddef.h>
#include "pipc_segment.h"

#define PIPC_KIND_BROADCAST 10
/* the version of this layout in the segment header (org.panamaipc.shm.SegmentKind.BROADCAST) */
#define PIPC_BROADCAST_LAYOUT_VERSION 1

enum pipc_broadcast_policy { PIPC_BROADCAST_BLOCK = 1, PIPC_BROADCAST_LOSSY = 2 };
/* states of a subscriber slot and of the publisher */
enum pipc_broadcast_state { PIPC_BROADCAST_FREE = 0, PIPC_BROADCAST_REGISTERING = 1, PIPC_BROADCAST_ACTIVE = 2 };
/* set in a record's tag while the publisher writes it */
#define PIPC_BROADCAST_WRITING 1
/* record slots are multiples of a cache line */
#define PIPC_BROADCAST_RECORD_ALIGNMENT 64

/* 16 bytes, then the payload */
struct pipc_broadcast_record_header {
    uint64_t tag;                 /* sequence << 1 | PIPC_BROADCAST_WRITING while being written */
    int32_t  length;              /* payload bytes */
    int32_t  type;
};

/* 128 bytes, at subscribers[] */
struct pipc_broadcast_subscriber {
    uint32_t state;               /* enum pipc_broadcast_state */
    uint32_t sleeping;            /* 1 while counted in subscribers_waiting */
    int32_t  pid;
    uint32_t reserved0;
    uint64_t start_time;          /* clock ticks after boot, field 22 of /proc/<pid>/stat */
    int64_t  cursor;              /* the next sequence it reads */
    int64_t  received;
    int64_t  lost;
    int64_t  sleeps;
    uint8_t  reserved[72];
};

struct pipc_broadcast {
    /* configuration */
    uint64_t capacity;            /* record slots, a power of two */
    uint64_t records_offset;      /* from the start of this struct */
    int32_t  slot_length;         /* pipc_broadcast_slot_length(max_message_length) */
    int32_t  max_message_length;
    int32_t  policy;              /* enum pipc_broadcast_policy */
    int32_t  subscriber_slots;
    uint8_t  pad0[128 - 32];
    /* written by the publisher, two cache lines */
    int64_t  tail;                /* the sequence number the publisher writes next */
    uint8_t  pad1[120];
    uint32_t publisher_state;     /* FREE or ACTIVE */
    int32_t  publisher_pid;
    uint64_t publisher_start_time;
    int64_t  publisher_full;      /* times a send found no room */
    uint8_t  pad2[128 - 24];
    uint32_t data_signal;         /* futex: subscribers sleep on it */
    uint32_t subscribers_waiting; /* statistics: sleeping now */
    uint32_t wake_needed;         /* 1: a subscriber went to sleep since the last wake-up */
    uint8_t  pad3[128 - 12];
    uint32_t space_signal;        /* futex: the publisher sleeps on it (BLOCK) */
    uint32_t publisher_waiting;   /* 1 while it sleeps or is about to */
    int64_t  publisher_wake_at;   /* the cursor at which a subscriber wakes it */
    uint8_t  pad4[128 - 16];
    /* counts, one cache line */
    int32_t  publishers_ever;
    int32_t  publishers_left;
    int32_t  subscribers_ever;
    int32_t  subscribers_left;
    int32_t  slots_in_use;        /* one past the highest slot ever taken */
    uint32_t reserved0;
    int64_t  retired_received;
    int64_t  retired_lost;
    uint8_t  pad5[64 - 40];
    struct pipc_mutex lock;       /* joining, leaving, retiring the dead, attaching the publisher */
    struct pipc_broadcast_subscriber subscribers[]; /* subscriber_slots of them, then the records */
};

_Static_assert(sizeof(struct pipc_broadcast_record_header) == 16, "record header is 16 bytes");
_Static_assert(sizeof(struct pipc_broadcast_subscriber) == 128, "subscriber slot is two cache lines");
_Static_assert(offsetof(struct pipc_broadcast, tail) == 128, "tail on its own two lines");
_Static_assert(offsetof(struct pipc_broadcast, data_signal) == 384, "data signal");
_Static_assert(offsetof(struct pipc_broadcast, space_signal) == 512, "space signal");
_Static_assert(offsetof(struct pipc_broadcast, lock) == 704, "registration lock");
_Static_assert(sizeof(struct pipc_broadcast) == 768, "subscriber slots start at 768");

/* the bytes of a record slot for payloads of up to max_message_length */
static inline uint32_t pipc_broadcast_slot_length(uint32_t max_message_length) {
    return (uint32_t) ((sizeof(struct pipc_broadcast_record_header) + max_message_length
            + PIPC_BROADCAST_RECORD_ALIGNMENT - 1) & ~(uint64_t) (PIPC_BROADCAST_RECORD_ALIGNMENT - 1));
}

/* where the records start after `slots` subscriber slots: on a 128-byte boundary */
static inline uint64_t pipc_broadcast_records_offset(uint32_t slots) {
    uint64_t end = sizeof(struct pipc_broadcast) + (uint64_t) slots * sizeof(struct pipc_broadcast_subscriber);
    return (end + 127) & ~UINT64_C(127);
}

/* the record of message `sequence` */
static inline struct pipc_broadcast_record_header *pipc_broadcast_record(struct pipc_broadcast *b, int64_t sequence) {
    return (struct pipc_broadcast_record_header *) ((uint8_t *) b + b->records_offset
            + (uint64_t) (sequence & (int64_t) (b->capacity - 1)) * (uint64_t) b->slot_length);
}

#endif /* PIPC_BROADCAST_H */
