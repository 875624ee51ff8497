/*
 * pipc_unbounded.h - C mirror of panama-ipc's unbounded link layouts
 * (org.panamaipc.unbounded.UnboundedDescriptor). A link NAME is a control segment (struct
 * pipc_segment_header, kind PIPC_KIND_UNBOUNDED, body struct pipc_unbounded), a ring channel
 * NAME.ring (pipc_ring.h, SPSC), and while messages wait in the spill, segments NAME.spill.N
 * (kind PIPC_KIND_SPILL, body struct pipc_spill then records). The ABI probe prints every offset
 * below; a Java test holds them equal to the descriptor.
 *
 * The protocol, for a C peer (the Java descriptor's Javadoc has the whole of it). A position is
 * segment << 32 | offset, offsets counted from the first record of that segment, segments from 1.
 *  - the sender writes to the ring only while read_position == write_position (the spill is
 *    drained); when the ring has no room it appends to the spill, and goes on appending while
 *    anything is left there, so every message in the ring precedes every spilled one;
 *  - appending at (k, off): write length, type and payload at off in segment k, then
 *    CAS write_position (k, off) -> (k, off + record length) (seq_cst). If the CAS fails the
 *    receiver sealed k: write the record again at (k + 1, 0). A record that does not fit: store
 *    the segment's end = off (release), CAS (k, off) -> (k + 1, 0). Segment k + 1 is created
 *    (exclusive, after removing a leftover of that name) when first written at offset 0, unless
 *    the segments from read_position's to it would exceed memory_cap bytes;
 *  - the receiver takes from the ring first. When the ring is empty and read != write, it reads
 *    write_position (acquire), looks at the ring once more, then reads spilled records up to that
 *    position (or, in an earlier segment, up to its end; an end still PIPC_SPILL_OPEN means the
 *    segment was sealed where the reader stands), storing read_position past each (release);
 *  - at the end of a finished segment the receiver stores read_position (k + 1, 0) and then
 *    shm_unlinks NAME.spill.k; after taking the last spilled message (read == write, offset > 0)
 *    it seals: CAS write_position (k, off) -> (k + 1, 0), then read_position likewise, then unlinks;
 *  - waking (layout version 2). Only a record put into the ring (or the ring's sender leaving or
 *    dying) wakes a receiver waiting on the ring. So a receiver about to wait stores
 *    receiver_waiting = 1 (seq_cst), looks at the ring and the spill once more (write_position
 *    loaded seq_cst), waits on the ring for as long as its timeout allows, and stores 0 when it
 *    wakes. A sender, after every successful append CAS (seq_cst), loads receiver_waiting
 *    (seq_cst); if it is not 0 it CASes it to 0 and, if that succeeds, sends a doorbell to the ring
 *    without waiting (a full ring needs none: the receiver takes its records and looks at the spill
 *    before it waits again): a record of type PIPC_UNBOUNDED_DOORBELL_TYPE and length 0. All four
 *    accesses are seq_cst, so either the receiver's second look sees the append or the sender's
 *    load sees the 1 (a Dekker pair). A receiver passes over doorbells wherever it reads the ring
 *    and reads the ring on (it never delivers or counts one, and never takes the spill because of
 *    one while the ring holds records). A sender never puts a message of that type and length 0
 *    into the ring: such a message is always appended to the spill. A stale 1 left by a dead
 *    receiver costs one needless doorbell.
 */
#ifndef PIPC_UNBOUNDED_H
#define PIPC_UNBOUNDED_H

#include <stdint.h>
#include <stddef.h>
#include "pipc_segment.h"

#define PIPC_KIND_UNBOUNDED 12
#define PIPC_KIND_SPILL 13
/* the versions of these layouts in the segment header (org.panamaipc.shm.SegmentKind) */
#define PIPC_UNBOUNDED_LAYOUT_VERSION 2
#define PIPC_SPILL_LAYOUT_VERSION 1
/* a spill segment's end while the sender may still append to it */
#define PIPC_SPILL_OPEN (-1)
#define PIPC_SPILL_SEGMENT_SHIFT 32
#define PIPC_SPILL_RECORD_ALIGNMENT 8
/* the type of a doorbell: a ring record of length 0 that wakes a receiver after a spill append */
#define PIPC_UNBOUNDED_DOORBELL_TYPE INT32_MIN

/* the control segment's body: 384 bytes */
struct pipc_unbounded {
    uint64_t ring_capacity;        /* bytes of NAME.ring */
    int32_t  max_message_length;
    uint32_t mode;                 /* permission bits of the spill segments */
    uint64_t spill_segment_size;   /* bytes of each spill segment, header included */
    uint64_t memory_cap;           /* the most bytes of spill segments at once */
    uint8_t  pad0[96];
    uint64_t write_position;       /* 128: segment << 32 | offset; CAS by sender and receiver */
    int64_t  sent;
    int64_t  spilled;
    int64_t  segments_created;
    uint8_t  pad1[96];
    uint64_t read_position;        /* 256: the receiver's */
    int64_t  received;
    int64_t  segments_removed;
    int64_t  spill_taken;
    int64_t  receiver_waiting;     /* 288: not 0 while the receiver waits on the ring; see waking */
    uint8_t  pad2[88];
};

/* a spill segment's body: this, then records from offset 64 */
struct pipc_spill {
    int64_t  index;                /* the N of NAME.spill.N */
    int64_t  end;                  /* where its records end, or PIPC_SPILL_OPEN */
    uint8_t  pad0[48];
};

/* 8 bytes, then the payload, the whole padded to PIPC_SPILL_RECORD_ALIGNMENT */
struct pipc_spill_record_header {
    int32_t  length;
    int32_t  type;
};

_Static_assert(sizeof(struct pipc_unbounded) == 384, "control body is six cache lines");
_Static_assert(offsetof(struct pipc_unbounded, write_position) == 128, "write position on its own lines");
_Static_assert(offsetof(struct pipc_unbounded, read_position) == 256, "read position on its own lines");
_Static_assert(offsetof(struct pipc_unbounded, receiver_waiting) == 288, "receiver waiting with the read position");
_Static_assert(sizeof(struct pipc_spill) == 64, "records start at 64");
_Static_assert(sizeof(struct pipc_spill_record_header) == 8, "record header");

#endif
