/*
 * pipc_rendezvous.h - C mirror of panama-ipc's rendezvous layout
 * (org.panamaipc.rendezvous.RendezvousDescriptor). A rendezvous is a segment (struct
 * pipc_segment_header, kind PIPC_KIND_RENDEZVOUS) whose body is a struct pipc_rendezvous, then
 * sender_slots struct pipc_rendezvous_sender, then, at receivers_offset, receiver_slots receiver
 * slots of receiver_slot_length bytes: a struct pipc_rendezvous_receiver and room for one message.
 * The ABI probe prints every offset below; a Java test holds them equal to the descriptor.
 *
 * The protocol, for a C peer (the Java descriptor's Javadoc has the whole of it). Every hand-over
 * is decided by compare-and-sets on a receiver slot's exchange word: code | sender << 8.
 *  - a receiver in a receive: CAS exchange IDLE -> WAITING; then, if senders_sleeping != 0, add
 *    1 to ready_signal and FUTEX_WAKE it with INT_MAX. At its deadline: CAS WAITING -> IDLE (if
 *    that fails a sender has claimed it: go on); CLAIMED|s -> IDLE may also be taken back;
 *  - a sender: find a WAITING receiver, CAS WAITING -> CLAIMED|s; write ticket, sequence, length,
 *    type, source = s and the payload into the receiver's slot; CAS CLAIMED|s -> FILLED|s (if it
 *    fails the receiver left: offer elsewhere); if the receiver's sleeping != 0, FUTEX_WAKE its
 *    exchange word;
 *  - the receiver takes: CAS FILLED|s -> TAKING|s; copy the payload out; store the ticket into
 *    sender s's ack (seq_cst); add 1 to its events; if its sleeping != 0, FUTEX_WAKE events;
 *    store exchange = IDLE. A message too long for the caller: store IDLE and wake s (handed back);
 *  - the sender's deadline: CAS FILLED|s -> WAITING withdraws the offer. It and the take are
 *    compare-and-sets from the same value: exactly one succeeds. The message is taken when
 *    ack == its ticket; if the exchange holds neither FILLED|s nor TAKING|s and no ack came,
 *    the message came back: offer it again;
 *  - liveness: a sender waiting for a take checks the receiver's pid and start time after 20 us
 *    and every 5 ms; a dead one's exchange goes to NONE by CAS and the message is offered again.
 *    A receiver seeing CLAIMED|s checks sender s every 5 ms; dead: CAS back to WAITING;
 *  - tickets: generation << 40 | count, generation counted per registration of the sender slot;
 *  - sleeping: a sender waiting for a receiver adds 1 to senders_offering (and sets offering)
 *    while it waits, and before each sleep adds 1 to senders_sleeping, sets sleeping = 2, looks
 *    at the receivers once more and FUTEX_WAITs on ready_signal (shared, at most 5 ms); waiting
 *    for a take it sets sleeping = 1 and waits on its events word. A receiver sets its sleeping,
 *    reads its exchange again and waits on it (at most 100 ms, 5 ms while CLAIMED);
 *  - slots are taken, left and retired under lock (a pipc_mutex): FREE -> REGISTERING by CAS,
 *    pid, start time, counters, (receivers) exchange = IDLE, (senders) generation + 1, add 1 to
 *    *_ever, raise *_slots_in_use, state ACTIVE. Freeing: state REGISTERING, a receiver's
 *    exchange swapped to NONE (an offer it held handed back: the sender's events moved and
 *    woken), a sender's offering and sleeping taken off their counts, pid 0, state FREE, add 1 to
 *    *_left, wake the other side.
 */
#ifndef PIPC_RENDEZVOUS_H
#define PIPC_RENDEZVOUS_H

#include <stdint.h>
#include <stddef.h>
#include "pipc_segment.h"

#define PIPC_KIND_RENDEZVOUS 11
/* the version of this layout in the segment header (org.panamaipc.shm.SegmentKind.RENDEZVOUS) */
#define PIPC_RENDEZVOUS_LAYOUT_VERSION 1

enum pipc_rendezvous_state { PIPC_RV_FREE = 0, PIPC_RV_REGISTERING = 1, PIPC_RV_ACTIVE = 2 };
enum pipc_rendezvous_exchange {
    PIPC_RV_NONE = 0, PIPC_RV_IDLE = 1, PIPC_RV_WAITING = 2, PIPC_RV_CLAIMED = 3, PIPC_RV_FILLED = 4, PIPC_RV_TAKING = 5,
};
#define PIPC_RV_CODE_MASK 0xFF
#define PIPC_RV_SENDER_SHIFT 8
#define PIPC_RV_GENERATION_SHIFT 40
/* a sender's sleeping word */
#define PIPC_RV_SLEEPING_ON_EVENTS 1
#define PIPC_RV_SLEEPING_ON_READY 2

/* 128 bytes, at senders[] */
struct pipc_rendezvous_sender {
    uint32_t state;               /* enum pipc_rendezvous_state */
    uint32_t events;              /* futex: moved by a receiver that took or handed back its message */
    int32_t  pid;
    uint32_t sleeping;            /* 0, PIPC_RV_SLEEPING_ON_EVENTS or PIPC_RV_SLEEPING_ON_READY */
    uint64_t start_time;          /* clock ticks after boot, field 22 of /proc/<pid>/stat */
    int64_t  ack;                 /* the ticket of the message a receiver took last */
    int64_t  generation;          /* registrations of this slot */
    int64_t  sent;                /* messages taken from this sender */
    int64_t  withdrawn;           /* offers withdrawn at a deadline */
    uint32_t offering;            /* 1 while counted in senders_offering */
    uint32_t reserved0;
    uint8_t  reserved[64];
};

/* 128 bytes at the start of each receiver slot; the payload follows */
struct pipc_rendezvous_receiver {
    uint32_t state;               /* enum pipc_rendezvous_state */
    uint32_t exchange;            /* futex: enum pipc_rendezvous_exchange | sender << 8 */
    int32_t  pid;
    uint32_t sleeping;
    uint64_t start_time;
    int64_t  taken;
    uint8_t  reserved0[32];
    /* the message, written by the sender that claimed the slot */
    int64_t  ticket;
    int64_t  sequence;            /* per sender, from 1 */
    int32_t  length;
    int32_t  type;
    int32_t  source;              /* the sender's slot id */
    uint32_t reserved1;
    uint8_t  reserved2[32];
    uint8_t  payload[];
};

struct pipc_rendezvous {
    /* configuration */
    int32_t  max_message_length;
    int32_t  sender_slots;
    int32_t  receiver_slots;
    int32_t  receiver_slot_length; /* pipc_rendezvous_receiver_slot_length(max_message_length) */
    uint64_t senders_offset;      /* sizeof(struct pipc_rendezvous) */
    uint64_t receivers_offset;    /* pipc_rendezvous_receivers_offset(sender_slots) */
    uint8_t  pad0[128 - 32];
    uint32_t ready_signal;        /* futex: senders sleep on it while no receiver waits */
    uint32_t senders_offering;
    uint32_t senders_sleeping;
    uint8_t  pad1[128 - 12];
    int32_t  senders_ever;
    int32_t  senders_left;
    int32_t  receivers_ever;
    int32_t  receivers_left;
    int32_t  sender_slots_in_use;
    int32_t  receiver_slots_in_use;
    int64_t  retired_taken;
    int64_t  dropped;             /* offers handed back because their receiver died or left */
    uint8_t  pad2[64 - 40];
    struct pipc_mutex lock;
    struct pipc_rendezvous_sender senders[]; /* sender_slots of them, then the receiver slots */
};

_Static_assert(sizeof(struct pipc_rendezvous_sender) == 128, "sender slot is two cache lines");
_Static_assert(sizeof(struct pipc_rendezvous_receiver) == 128, "receiver slot header is two cache lines");
_Static_assert(offsetof(struct pipc_rendezvous, ready_signal) == 128, "ready signal");
_Static_assert(offsetof(struct pipc_rendezvous, lock) == 320, "registration lock");
_Static_assert(sizeof(struct pipc_rendezvous) == 384, "sender slots start at 384");

static inline uint32_t pipc_rendezvous_exchange_word(uint32_t code, uint32_t sender) {
    return code | sender << PIPC_RV_SENDER_SHIFT;
}

/* the bytes of a receiver slot for payloads of up to max_message_length */
static inline uint32_t pipc_rendezvous_receiver_slot_length(uint32_t max_message_length) {
    return (uint32_t) (sizeof(struct pipc_rendezvous_receiver) + ((max_message_length + 63u) & ~63u));
}

/* where the receiver slots start after `sender_slots` sender slots: on a 128-byte boundary */
static inline uint64_t pipc_rendezvous_receivers_offset(uint32_t sender_slots) {
    uint64_t end = sizeof(struct pipc_rendezvous) + (uint64_t) sender_slots * sizeof(struct pipc_rendezvous_sender);
    return (end + 127) & ~UINT64_C(127);
}

/* receiver slot `id` */
static inline struct pipc_rendezvous_receiver *pipc_rendezvous_receiver_slot(struct pipc_rendezvous *r, uint32_t id) {
    return (struct pipc_rendezvous_receiver *) ((uint8_t *) r + r->receivers_offset
            + (uint64_t) id * (uint64_t) r->receiver_slot_length);
}

#endif /* PIPC_RENDEZVOUS_H */
