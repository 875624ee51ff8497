/*
 * pipc_ring_ops.h - the ring channel protocol in C: the same algorithm as the Java endpoints
 * (org.panamaipc.channel.RingSender, RingReceiver, ChannelMemory) over the layout of pipc_ring.h,
 * as static inline functions. It is what the C peer (src/ring_peer.c) speaks to Java, and the C
 * reference the benchmarks measure Java against.
 *
 *   struct pipc_ring      a mapped channel: validated configuration and pointers into it
 *   pipc_ring_*           create the body, attach to a mapped body, signals
 *   pipc_endpoint_*       register in a slot, retire, liveness of the other endpoints
 *   pipc_sender_*         claim, commit, abort: one sender (SPSC) or many (MPSC, MPMC)
 *   pipc_receiver_*       poll: one receiver (SPSC, MPSC) or many (MPMC)
 *
 * Memory ordering follows the Java side one for one: a record is published by a release store of
 * its tag and read after an acquire load of it; positions are release-stored (one writer) or
 * compare-and-set (many); the signal check after a commit or a consume is ordered after it by a
 * full fence, which pairs with the sleeper's atomic increment of the waiter count.
 *
 * Not here (the Java receiver has it): passing over the space a dead sender claimed but never
 * committed. A C receiver waits for such a gap until its own deadline.
 *
 * One deliberate difference from the Java sender: a many-sender claim whose compare-and-set lost
 * and which then finds the ring full withdraws the claim it had published (claim_start = -1);
 * left there, it would cover another sender's record and stop a receiver from passing over it
 * should that sender die. And one shared weakness: registration checks for another single-role
 * endpoint, then claims a slot; two processes attaching an SPSC sender at the same moment can
 * both pass the check.
 */
#ifndef PIPC_RING_OPS_H
#define PIPC_RING_OPS_H

#include "pipc_ring.h"
#include "pipc_segment_ops.h"

#define PIPC_CHANNEL_LAYOUT_VERSION 1
#define PIPC_CHANNEL_MIN_CAPACITY 1024
#define PIPC_CHANNEL_MAX_SLOTS 1024
#define PIPC_NO_POSITION INT64_C(-1)

struct pipc_ring {
    struct pipc_channel *channel;
    uint8_t *records;
    int64_t capacity;
    int64_t mask;
    int32_t max_message_length;
    int32_t type;
    int32_t slots;
};

/* ---- records ---- */

/* the bytes a record of length payload bytes takes, header and padding included; 64-bit, so that
   a length read from shared memory near INT32_MAX cannot wrap it negative */
static inline int64_t pipc_record_length(int32_t length) {
    return ((int64_t) sizeof(struct pipc_record_header) + length + PIPC_RECORD_ALIGNMENT - 1)
           & ~(int64_t) (PIPC_RECORD_ALIGNMENT - 1);
}

static inline uint64_t pipc_tag(int64_t position, uint32_t state) {
    return (uint64_t) position | state;
}

static inline struct pipc_record_header *pipc_record_at(const struct pipc_ring *ring, int64_t position) {
    return (struct pipc_record_header *) (ring->records + (position & ring->mask));
}

/* the state of the record at position if it is there (its tag holds this position), else 0 */
static inline uint32_t pipc_record_state(const struct pipc_ring *ring, int64_t position) {
    uint64_t tag = pipc_load_acquire(&pipc_record_at(ring, position)->tag);
    return (tag & ~PIPC_RECORD_STATE_MASK) == (uint64_t) position ? (uint32_t) (tag & PIPC_RECORD_STATE_MASK) : 0;
}

/* ---- the channel ---- */

static inline uint64_t pipc_channel_body_size(int32_t slots, int64_t capacity) {
    return pipc_records_offset((uint32_t) slots) + (uint64_t) capacity;
}

/* Checks options as ChannelOptions does; returns PIPC_OK or PIPC_ERR_REFUSED with a message. */
static inline int pipc_channel_check_options(int32_t type, int64_t capacity, int32_t max_message_length,
                                             int32_t slots, char *message, size_t size) {
    if (type < PIPC_CHANNEL_SPSC || type > PIPC_CHANNEL_MPMC) {
        return pipc_fail(PIPC_ERR_REFUSED, message, size, "type=%d must be 1 (SPSC), 2 (MPSC) or 3 (MPMC)", type);
    }
    if (capacity < PIPC_CHANNEL_MIN_CAPACITY || capacity > (INT64_C(1) << 62) || (capacity & (capacity - 1)) != 0) {
        return pipc_fail(PIPC_ERR_REFUSED, message, size, "capacity=%lld must be a power of two from %d to 2^62",
                         (long long) capacity, PIPC_CHANNEL_MIN_CAPACITY);
    }
    int64_t largest = capacity / 2 - (int64_t) sizeof(struct pipc_record_header);
    if (max_message_length < 0 || max_message_length > largest) {
        return pipc_fail(PIPC_ERR_REFUSED, message, size, "maxMessageLength=%d must be from 0 to %lld for capacity=%lld",
                         max_message_length, (long long) largest, (long long) capacity);
    }
    if (slots < 2 || slots > PIPC_CHANNEL_MAX_SLOTS) {
        return pipc_fail(PIPC_ERR_REFUSED, message, size, "endpointSlots=%d must be from 2 to %d",
                         slots, PIPC_CHANNEL_MAX_SLOTS);
    }
    return PIPC_OK;
}

/* Writes the configuration of a new channel into a zero-filled body (before the segment is published). */
static inline void pipc_channel_init(struct pipc_channel *channel, int32_t type, int64_t capacity,
                                     int32_t max_message_length, int32_t slots) {
    channel->capacity = (uint64_t) capacity;
    channel->records_offset = pipc_records_offset((uint32_t) slots);
    channel->max_message_length = max_message_length;
    channel->channel_type = type;
    channel->endpoint_slots = slots;
    for (int32_t id = 0; id < slots; id++) {
        channel->endpoints[id].claim_start = PIPC_NO_POSITION;
    }
    /* the records stay zero: a zero tag matches no position but 0, and at 0 it holds no state */
}

/*
 * Attaches to the body of a validated channel segment of body_size bytes, checking everything
 * that sizes or places something, as ChannelMemory does.
 */
static inline int pipc_ring_attach(struct pipc_ring *ring, void *body, uint64_t body_size, char *message, size_t size) {
    struct pipc_channel *channel = body;
    if (body_size < sizeof(struct pipc_channel)) {
        return pipc_fail(PIPC_ERR_INVALID, message, size, "its body of %llu bytes is shorter than the channel header",
                         (unsigned long long) body_size);
    }
    int64_t capacity = (int64_t) channel->capacity;
    int32_t type = channel->channel_type;
    int32_t max_length = channel->max_message_length;
    int32_t slots = channel->endpoint_slots;
    uint64_t records_offset = channel->records_offset;
    if (type < PIPC_CHANNEL_SPSC || type > PIPC_CHANNEL_MPMC) {
        return pipc_fail(PIPC_ERR_INVALID, message, size,
                         "its channel type is %d, expected 1 (SPSC), 2 (MPSC) or 3 (MPMC)", type);
    }
    if (capacity < PIPC_CHANNEL_MIN_CAPACITY || (capacity & (capacity - 1)) != 0) {
        return pipc_fail(PIPC_ERR_INVALID, message, size, "its capacity %lld is not a power of two of at least %d",
                         (long long) capacity, PIPC_CHANNEL_MIN_CAPACITY);
    }
    if (max_length < 0 || max_length > capacity / 2 - (int64_t) sizeof(struct pipc_record_header)) {
        return pipc_fail(PIPC_ERR_INVALID, message, size, "its max message length %d does not fit capacity %lld",
                         max_length, (long long) capacity);
    }
    if (slots < 2 || slots > PIPC_CHANNEL_MAX_SLOTS) {
        return pipc_fail(PIPC_ERR_INVALID, message, size, "its endpoint slot count %d is outside 2..%d",
                         slots, PIPC_CHANNEL_MAX_SLOTS);
    }
    if (records_offset != pipc_records_offset((uint32_t) slots)) {
        return pipc_fail(PIPC_ERR_INVALID, message, size, "its records offset %llu should be %llu",
                         (unsigned long long) records_offset, (unsigned long long) pipc_records_offset((uint32_t) slots));
    }
    if (records_offset + (uint64_t) capacity != body_size) {
        return pipc_fail(PIPC_ERR_INVALID, message, size, "its body is %llu bytes, expected records offset %llu + capacity %lld",
                         (unsigned long long) body_size, (unsigned long long) records_offset, (long long) capacity);
    }
    ring->channel = channel;
    ring->records = (uint8_t *) body + records_offset;
    ring->capacity = capacity;
    ring->mask = capacity - 1;
    ring->max_message_length = max_length;
    ring->type = type;
    ring->slots = slots;
    return PIPC_OK;
}

static inline const char *pipc_channel_type_name(int32_t type) {
    switch (type) {
        case PIPC_CHANNEL_SPSC: return "SPSC";
        case PIPC_CHANNEL_MPSC: return "MPSC";
        case PIPC_CHANNEL_MPMC: return "MPMC";
        default: return "unknown";
    }
}

/* ---- signals ---- */

/* After a commit: wakes a receiver if one may be asleep (ChannelMemory.signalData). */
static inline void pipc_signal_data(const struct pipc_ring *ring) {
    struct pipc_channel *channel = ring->channel;
    if (pipc_load_relaxed(&channel->blocking_receivers) != 0) {
        pipc_full_fence(); /* the commit before, the waiter count after: pairs with the sleeper's increment */
        if (pipc_load_seq_cst(&channel->receivers_waiting) != 0) {
            pipc_fetch_add(&channel->data_signal, 1);
            pipc_futex_wake(&channel->data_signal, 1);
        }
    }
}

/* After the head moved: wakes the senders if one may be asleep on a full ring (ChannelMemory.signalSpace). */
static inline void pipc_signal_space(const struct pipc_ring *ring) {
    struct pipc_channel *channel = ring->channel;
    if (pipc_load_relaxed(&channel->blocking_senders) != 0) {
        pipc_full_fence();
        if (pipc_load_seq_cst(&channel->senders_waiting) != 0) {
            pipc_fetch_add(&channel->space_signal, 1);
            pipc_futex_wake(&channel->space_signal, INT32_MAX);
        }
    }
}

/*
 * The sleeping half of a blocking wait (ChannelMemoryWait.sleep): count yourself among the
 * waiters, look once more, then sleep on the signal word as it was before the look. A peer that
 * makes progress after the look bumps the word, so the sleep does not start or is woken.
 */
static inline void pipc_sleep_on(uint32_t *signal, uint32_t *waiters, bool (*ready)(void *), void *context,
                                 int64_t nanos) {
    uint32_t seen = pipc_load_seq_cst(signal);
    pipc_fetch_add(waiters, 1);
    if (!ready(context)) {
        pipc_futex_wait(signal, seen, nanos);
    }
    pipc_fetch_add(waiters, (uint32_t) -1);
}

/* ---- endpoints ---- */

static inline struct pipc_endpoint *pipc_endpoint_at(const struct pipc_ring *ring, int32_t id) {
    return &ring->channel->endpoints[id];
}

static inline bool pipc_endpoint_owner_alive(const struct pipc_endpoint *endpoint) {
    return pipc_process_alive(pipc_load_relaxed(&endpoint->pid), pipc_load_relaxed(&endpoint->start_time));
}

/*
 * Frees slot id, adding its counters to the retired totals. only_if_dead: another process's slot,
 * taken over only if its owner is confirmed dead (the compare-and-set makes one process do it).
 */
static inline void pipc_endpoint_retire(const struct pipc_ring *ring, int32_t id, bool only_if_dead) {
    struct pipc_channel *channel = ring->channel;
    struct pipc_endpoint *endpoint = pipc_endpoint_at(ring, id);
    if (only_if_dead) {
        if (!pipc_cas_u32(&endpoint->state, PIPC_EP_ACTIVE, PIPC_EP_REGISTERING)) {
            return;
        }
        if (pipc_endpoint_owner_alive(endpoint)) {
            pipc_store_release(&endpoint->state, PIPC_EP_ACTIVE); /* alive after all: not ours */
            return;
        }
    } else {
        pipc_store_release(&endpoint->state, PIPC_EP_REGISTERING);
    }
    bool sender = endpoint->role == PIPC_ROLE_SENDER;
    pipc_fetch_add(sender ? &channel->retired_sent : &channel->retired_received, pipc_load_relaxed(&endpoint->messages));
    pipc_fetch_add(sender ? &channel->retired_sent_bytes : &channel->retired_received_bytes,
                   pipc_load_relaxed(&endpoint->bytes));
    pipc_fetch_add(sender ? &channel->retired_full : &channel->retired_sleeps, pipc_load_relaxed(&endpoint->waits));
    if ((endpoint->flags & PIPC_EP_FLAG_BLOCKING) != 0) {
        pipc_fetch_add(sender ? &channel->blocking_senders : &channel->blocking_receivers, (uint32_t) -1);
    }
    pipc_store_relaxed(&endpoint->messages, 0);
    pipc_store_relaxed(&endpoint->bytes, 0);
    pipc_store_relaxed(&endpoint->waits, 0);
    pipc_store_release(&endpoint->claim_start, PIPC_NO_POSITION);
    pipc_store_release(&endpoint->state, PIPC_EP_FREE);
}

/* how many endpoints of role are attached and alive */
static inline int pipc_endpoints_live(const struct pipc_ring *ring, uint32_t role) {
    int live = 0;
    for (int32_t id = 0; id < ring->slots; id++) {
        struct pipc_endpoint *endpoint = pipc_endpoint_at(ring, id);
        if (pipc_load_acquire(&endpoint->state) == PIPC_EP_ACTIVE && endpoint->role == role
                && pipc_endpoint_owner_alive(endpoint)) {
            live++;
        }
    }
    return live;
}

/* whether endpoints of role attached once and none is alive now */
static inline bool pipc_endpoints_all_gone(const struct pipc_ring *ring, uint32_t role) {
    int32_t *ever = role == PIPC_ROLE_SENDER ? &ring->channel->senders_ever : &ring->channel->receivers_ever;
    return pipc_load_seq_cst(ever) > 0 && pipc_endpoints_live(ring, role) == 0;
}

/*
 * Registers this process as an endpoint of role; returns its slot id, or PIPC_ERR_REFUSED with a
 * message. Slots of dead processes are retired first; a second live sender on SPSC, or receiver on
 * SPSC or MPSC, is refused. blocking: this endpoint may sleep on the channel's futex, so the other
 * side must signal it.
 */
static inline int pipc_endpoint_register(const struct pipc_ring *ring, uint32_t role, bool blocking,
                                         char *message, size_t size) {
    struct pipc_channel *channel = ring->channel;
    bool single = role == PIPC_ROLE_SENDER ? ring->type == PIPC_CHANNEL_SPSC : ring->type != PIPC_CHANNEL_MPMC;
    const char *what = role == PIPC_ROLE_SENDER ? "sender" : "receiver";
    for (int32_t id = 0; id < ring->slots; id++) {
        struct pipc_endpoint *endpoint = pipc_endpoint_at(ring, id);
        if (pipc_load_acquire(&endpoint->state) == PIPC_EP_ACTIVE && !pipc_endpoint_owner_alive(endpoint)) {
            pipc_endpoint_retire(ring, id, true);
        }
    }
    if (single) {
        for (int32_t id = 0; id < ring->slots; id++) {
            struct pipc_endpoint *endpoint = pipc_endpoint_at(ring, id);
            if (pipc_load_acquire(&endpoint->state) == PIPC_EP_ACTIVE && endpoint->role == role) {
                return pipc_fail(PIPC_ERR_REFUSED, message, size, "channel is %s and already has a %s: endpoint %d of pid %d",
                                 pipc_channel_type_name(ring->type), what, id, endpoint->pid);
            }
        }
    }
    pid_t me = getpid();
    uint64_t start_time = pipc_process_start_time(me);
    for (int32_t id = 0; id < ring->slots; id++) {
        struct pipc_endpoint *endpoint = pipc_endpoint_at(ring, id);
        if (pipc_cas_u32(&endpoint->state, PIPC_EP_FREE, PIPC_EP_REGISTERING)) {
            endpoint->role = role;
            endpoint->pid = me;
            endpoint->flags = blocking ? PIPC_EP_FLAG_BLOCKING : 0;
            endpoint->start_time = start_time;
            endpoint->claim_end = PIPC_NO_POSITION;
            endpoint->claim_start = PIPC_NO_POSITION;
            endpoint->sequence = 1;
            endpoint->messages = 0;
            endpoint->bytes = 0;
            endpoint->waits = 0;
            if (blocking) {
                pipc_fetch_add(role == PIPC_ROLE_SENDER ? &channel->blocking_senders : &channel->blocking_receivers, 1);
            }
            pipc_fetch_add(role == PIPC_ROLE_SENDER ? &channel->senders_ever : &channel->receivers_ever, 1);
            pipc_store_release(&endpoint->state, PIPC_EP_ACTIVE);
            return id;
        }
    }
    return pipc_fail(PIPC_ERR_REFUSED, message, size, "all %d endpoint slots are in use by live processes", ring->slots);
}

/* ---- sending ---- */

struct pipc_sender {
    const struct pipc_ring *ring;
    struct pipc_endpoint *slot;
    int32_t id;
    bool single;           /* SPSC: the tail is ours, kept here and published after each commit */
    int64_t tail;          /* single sender only */
    int64_t head_cache;    /* the head as last read: the space is free up to head_cache + capacity */
    int64_t sequence;      /* of the next message, from 1 */
    int64_t messages;
    int64_t bytes;
    int64_t full;          /* claims that found the ring full */
    int64_t claim_position; /* of the open claim, or PIPC_NO_POSITION */
    int32_t claim_length;
    int64_t pending_size;  /* the record size of the last claim that found the ring full */
};

/*
 * A new single sender resumes where the last one committed: the published tail, moved past
 * records committed after it was last published (a sender that died between commit and publish).
 */
static inline int pipc_sender_recover_tail(struct pipc_sender *sender, char *message, size_t size) {
    const struct pipc_ring *ring = sender->ring;
    int64_t position = pipc_load_acquire(&ring->channel->tail);
    int64_t limit = pipc_load_acquire(&ring->channel->head) + ring->capacity;
    while (position < limit) {
        uint32_t state = pipc_record_state(ring, position);
        if (state == 0) {
            break;
        }
        if (state == PIPC_RECORD_PADDING) {
            position += ring->capacity - (position & ring->mask);
            continue;
        }
        int32_t length = pipc_record_at(ring, position)->length;
        if (length < 0 || length > ring->max_message_length) {
            return pipc_fail(PIPC_ERR_CORRUPT, message, size, "record at position %lld has length %d",
                             (long long) position, length);
        }
        position += pipc_record_length(length);
    }
    pipc_store_release(&ring->channel->tail, position);
    sender->tail = position;
    return PIPC_OK;
}

/* Registers a sender; returns PIPC_OK, or a negative status with a message. */
static inline int pipc_sender_open(struct pipc_sender *sender, const struct pipc_ring *ring, bool blocking,
                                   char *message, size_t size) {
    memset(sender, 0, sizeof *sender);
    int id = pipc_endpoint_register(ring, PIPC_ROLE_SENDER, blocking, message, size);
    if (id < 0) {
        return id;
    }
    sender->ring = ring;
    sender->id = id;
    sender->slot = pipc_endpoint_at(ring, id);
    sender->single = ring->type == PIPC_CHANNEL_SPSC;
    sender->sequence = 1;
    sender->claim_position = PIPC_NO_POSITION;
    sender->head_cache = pipc_load_acquire(&ring->channel->head);
    if (sender->single) {
        int status = pipc_sender_recover_tail(sender, message, size);
        if (status != PIPC_OK) {
            pipc_endpoint_retire(ring, id, false);
            return status;
        }
    }
    return PIPC_OK;
}

/* the bytes of padding a record of size needs at position to stay in one piece: 0 or the rest of the lap */
static inline int64_t pipc_padding(const struct pipc_ring *ring, int64_t position, int64_t size) {
    int64_t index = position & ring->mask;
    return index + size > ring->capacity ? ring->capacity - index : 0;
}

static inline int64_t pipc_claim_single(struct pipc_sender *sender, int64_t size) {
    const struct pipc_ring *ring = sender->ring;
    int64_t position = sender->tail;
    int64_t pad = pipc_padding(ring, position, size);
    if (position + pad + size - sender->head_cache > ring->capacity) {
        sender->head_cache = pipc_load_acquire(&ring->channel->head);
        if (position + pad + size - sender->head_cache > ring->capacity) {
            return PIPC_NO_POSITION;
        }
    }
    if (pad > 0) {
        pipc_store_release(&pipc_record_at(ring, position)->tag, pipc_tag(position, PIPC_RECORD_PADDING));
        position += pad;
    }
    sender->tail = position + size;
    return position;
}

static inline int64_t pipc_claim_many(struct pipc_sender *sender, int64_t size) {
    const struct pipc_ring *ring = sender->ring;
    struct pipc_endpoint *slot = sender->slot;
    bool published = false;
    while (true) {
        int64_t position = pipc_load_seq_cst(&ring->channel->tail);
        int64_t pad = pipc_padding(ring, position, size);
        int64_t end = position + pad + size;
        if (end - sender->head_cache > ring->capacity) {
            sender->head_cache = pipc_load_acquire(&ring->channel->head);
            if (end - sender->head_cache > ring->capacity) {
                if (published) {
                    /* a claim published by a lost compare-and-set must not stay: it would make a
                       receiver take another (perhaps dead) sender's record for ours */
                    pipc_store_release(&slot->claim_start, PIPC_NO_POSITION);
                }
                return PIPC_NO_POSITION;
            }
        }
        /* publish the claim before making it, so a receiver can tell it from a dead sender's */
        pipc_store_relaxed(&slot->claim_end, end);
        pipc_store_seq_cst(&slot->claim_start, position);
        published = true;
        if (pipc_cas_i64(&ring->channel->tail, position, end)) {
            if (pad > 0) {
                pipc_store_release(&pipc_record_at(ring, position)->tag, pipc_tag(position, PIPC_RECORD_PADDING));
            }
            return position + pad;
        }
    }
}

/*
 * Claims room for a message of length bytes and writes its header (all but the tag). Returns
 * where to write the payload, or NULL if the ring is full. One claim at a time; length must be
 * 0..max_message_length. Follow with pipc_sender_commit() or pipc_sender_abort().
 */
static inline uint8_t *pipc_sender_try_claim(struct pipc_sender *sender, int32_t type, int32_t length) {
    int64_t size = pipc_record_length(length);
    int64_t position = sender->single ? pipc_claim_single(sender, size) : pipc_claim_many(sender, size);
    if (position < 0) {
        sender->pending_size = size;
        return NULL;
    }
    struct pipc_record_header *record = pipc_record_at(sender->ring, position);
    record->length = length;
    record->type = type;
    record->source = sender->id;
    record->reserved = 0;
    record->sequence = sender->sequence;
    sender->claim_position = position;
    sender->claim_length = length;
    return (uint8_t *) (record + 1);
}

/* whether the record of the last claim that found the ring full would fit now */
static inline bool pipc_sender_ready(void *context) {
    struct pipc_sender *sender = context;
    const struct pipc_ring *ring = sender->ring;
    int64_t position = sender->single ? sender->tail : pipc_load_seq_cst(&ring->channel->tail);
    int64_t pad = pipc_padding(ring, position, sender->pending_size);
    return position + pad + sender->pending_size - pipc_load_acquire(&ring->channel->head) <= ring->capacity;
}

static inline void pipc_sender_publish(struct pipc_sender *sender, uint32_t state) {
    const struct pipc_ring *ring = sender->ring;
    int64_t position = sender->claim_position;
    pipc_store_release(&pipc_record_at(ring, position)->tag, pipc_tag(position, state));
    if (sender->single) {
        pipc_store_release(&ring->channel->tail, sender->tail);
    } else {
        pipc_store_release(&sender->slot->claim_start, PIPC_NO_POSITION);
    }
    sender->claim_position = PIPC_NO_POSITION;
}

/* Publishes the claimed message; returns its sequence number. */
static inline int64_t pipc_sender_commit(struct pipc_sender *sender) {
    pipc_sender_publish(sender, PIPC_RECORD_COMMITTED);
    int64_t committed = sender->sequence++;
    sender->messages++;
    sender->bytes += sender->claim_length;
    pipc_store_relaxed(&sender->slot->sequence, sender->sequence);
    pipc_store_relaxed(&sender->slot->messages, sender->messages);
    pipc_store_relaxed(&sender->slot->bytes, sender->bytes);
    pipc_signal_data(sender->ring);
    return committed;
}

/* Gives the claimed space up: receivers pass over it, and it uses no sequence number. */
static inline void pipc_sender_abort(struct pipc_sender *sender) {
    pipc_sender_publish(sender, PIPC_RECORD_SKIP);
    pipc_signal_data(sender->ring);
}

/* Counts one wait on a full ring (a claim, however often retried, counts once): "times full". */
static inline void pipc_sender_count_full(struct pipc_sender *sender) {
    sender->full++;
    pipc_store_relaxed(&sender->slot->waits, sender->full);
}

static inline void pipc_sender_close(struct pipc_sender *sender) {
    if (sender->ring == NULL) {
        return;
    }
    if (sender->claim_position != PIPC_NO_POSITION) {
        pipc_sender_abort(sender);
    }
    pipc_endpoint_retire(sender->ring, sender->id, false);
    sender->ring = NULL;
}

/* ---- receiving ---- */

/* called once per message; the payload is valid only during the call */
typedef void (*pipc_message_handler)(void *context, const struct pipc_record_header *header, const uint8_t *payload);

struct pipc_receiver {
    const struct pipc_ring *ring;
    struct pipc_endpoint *slot;
    int32_t id;
    bool single;        /* SPSC, MPSC: the head is ours, read in place and published after each poll */
    int64_t head;
    int64_t messages;
    int64_t bytes;
    int64_t sleeps;
    uint8_t *scratch;   /* many receivers: a message is copied out before it is taken */
};

/* Registers a receiver; returns PIPC_OK, or a negative status with a message. */
static inline int pipc_receiver_open(struct pipc_receiver *receiver, const struct pipc_ring *ring, bool blocking,
                                     char *message, size_t size) {
    memset(receiver, 0, sizeof *receiver);
    receiver->single = ring->type != PIPC_CHANNEL_MPMC;
    if (!receiver->single) {
        receiver->scratch = malloc((size_t) ring->max_message_length + 1);
        if (receiver->scratch == NULL) {
            return pipc_fail(PIPC_ERR_OS, message, size, "out of memory for a %d-byte message", ring->max_message_length);
        }
    }
    int id = pipc_endpoint_register(ring, PIPC_ROLE_RECEIVER, blocking, message, size);
    if (id < 0) {
        free(receiver->scratch);
        receiver->scratch = NULL;
        return id;
    }
    receiver->ring = ring;
    receiver->id = id;
    receiver->slot = pipc_endpoint_at(ring, id);
    receiver->head = pipc_load_acquire(&ring->channel->head);
    return PIPC_OK;
}

/* the record's length if it is plausible for its state and place, else -1 */
static inline int32_t pipc_checked_length(const struct pipc_ring *ring, int64_t position, uint32_t state,
                                          int32_t length) {
    int64_t index = position & ring->mask;
    if (length < 0 || (length > ring->max_message_length && state != PIPC_RECORD_SKIP)
            || index + pipc_record_length(length) > ring->capacity) {
        return -1;
    }
    return length;
}

static inline void pipc_receiver_advance(struct pipc_receiver *receiver, int64_t position, int count) {
    receiver->head = position;
    pipc_store_release(&receiver->ring->channel->head, position);
    receiver->messages += count;
    pipc_store_relaxed(&receiver->slot->messages, receiver->messages);
    pipc_store_relaxed(&receiver->slot->bytes, receiver->bytes);
    pipc_signal_space(receiver->ring);
}

/* one receiver: read in place, publish the head once after the batch */
static inline int pipc_poll_single(struct pipc_receiver *receiver, pipc_message_handler handler, void *context,
                                   int limit) {
    const struct pipc_ring *ring = receiver->ring;
    int64_t position = receiver->head;
    int count = 0;
    int status = PIPC_OK;
    while (count < limit) {
        uint32_t state = pipc_record_state(ring, position);
        if (state == 0) {
            break;
        }
        if (state == PIPC_RECORD_PADDING) {
            position += ring->capacity - (position & ring->mask);
            continue;
        }
        const struct pipc_record_header *record = pipc_record_at(ring, position);
        int32_t length = pipc_checked_length(ring, position, state, record->length);
        if (length < 0 || (state != PIPC_RECORD_COMMITTED && state != PIPC_RECORD_SKIP)) {
            status = PIPC_ERR_CORRUPT;
            break;
        }
        position += pipc_record_length(length);
        if (state == PIPC_RECORD_COMMITTED) {
            count++;
            receiver->bytes += length;
            handler(context, record, (const uint8_t *) (record + 1));
        }
    }
    if (position != receiver->head) {
        pipc_receiver_advance(receiver, position, count);
    }
    return status == PIPC_OK ? count : status;
}

/*
 * Many receivers: copy the record out, then take it with a compare-and-set on the head; a record
 * another receiver took first is discarded, never delivered twice. Returns 1, 0 if there is
 * nothing, or PIPC_ERR_CORRUPT.
 */
static inline int pipc_take_many(struct pipc_receiver *receiver, struct pipc_record_header *header) {
    const struct pipc_ring *ring = receiver->ring;
    int64_t *head = &ring->channel->head;
    while (true) {
        int64_t position = pipc_load_seq_cst(head);
        uint32_t state = pipc_record_state(ring, position);
        if (state == 0) {
            receiver->head = position;
            return 0;
        }
        if (state == PIPC_RECORD_PADDING) {
            if (pipc_cas_i64(head, position, position + ring->capacity - (position & ring->mask))) {
                pipc_signal_space(ring);
            }
            continue;
        }
        /* the fields may change under us if another receiver takes the record and a sender
           reuses the space: read them once, and let the compare-and-set below decide */
        struct pipc_record_header *record = pipc_record_at(ring, position);
        header->length = pipc_load_relaxed(&record->length);
        header->type = pipc_load_relaxed(&record->type);
        header->source = pipc_load_relaxed(&record->source);
        header->sequence = pipc_load_relaxed(&record->sequence);
        int32_t length = pipc_checked_length(ring, position, state, header->length);
        if (length < 0 || (state != PIPC_RECORD_COMMITTED && state != PIPC_RECORD_SKIP)) {
            if (pipc_load_seq_cst(head) != position) {
                continue; /* taken meanwhile: read again */
            }
            return PIPC_ERR_CORRUPT;
        }
        if (state == PIPC_RECORD_COMMITTED) {
            memcpy(receiver->scratch, record + 1, (size_t) length);
        }
        int64_t next = position + pipc_record_length(length);
        if (!pipc_cas_i64(head, position, next)) {
            continue; /* another receiver took it first: what we copied is discarded */
        }
        pipc_signal_space(ring);
        receiver->head = next;
        if (state == PIPC_RECORD_SKIP) {
            continue;
        }
        receiver->messages++;
        receiver->bytes += length;
        pipc_store_relaxed(&receiver->slot->messages, receiver->messages);
        pipc_store_relaxed(&receiver->slot->bytes, receiver->bytes);
        return 1;
    }
}

/*
 * Delivers up to limit messages to handler; returns how many, or PIPC_ERR_CORRUPT if a record at
 * the head cannot be right (the messages before it are delivered and consumed).
 */
static inline int pipc_receiver_poll(struct pipc_receiver *receiver, pipc_message_handler handler, void *context,
                                     int limit) {
    if (receiver->single) {
        return pipc_poll_single(receiver, handler, context, limit);
    }
    int count = 0;
    struct pipc_record_header header;
    while (count < limit) {
        int taken = pipc_take_many(receiver, &header);
        if (taken <= 0) {
            return taken < 0 ? taken : count;
        }
        count++;
        handler(context, &header, receiver->scratch);
    }
    return count;
}

/* whether a record waits at the head */
static inline bool pipc_receiver_ready(void *context) {
    struct pipc_receiver *receiver = context;
    const struct pipc_ring *ring = receiver->ring;
    int64_t position = receiver->single ? receiver->head : pipc_load_seq_cst(&ring->channel->head);
    return pipc_record_state(ring, position) != 0;
}

/* whether every sender that attached has gone and nothing is left to receive */
static inline bool pipc_receiver_senders_gone(struct pipc_receiver *receiver) {
    const struct pipc_ring *ring = receiver->ring;
    if (pipc_receiver_ready(receiver)) {
        return false;
    }
    int64_t head = receiver->single ? receiver->head : pipc_load_seq_cst(&ring->channel->head);
    return pipc_endpoints_all_gone(ring, PIPC_ROLE_SENDER) && pipc_load_seq_cst(&ring->channel->tail) == head;
}

static inline void pipc_receiver_close(struct pipc_receiver *receiver) {
    if (receiver->ring == NULL) {
        return;
    }
    pipc_store_relaxed(&receiver->slot->waits, receiver->sleeps);
    pipc_endpoint_retire(receiver->ring, receiver->id, false);
    free(receiver->scratch);
    receiver->scratch = NULL;
    receiver->ring = NULL;
}

#endif /* PIPC_RING_OPS_H */
