/*
 * pipc_ring_channel.h - the part of the ring channel protocol both sides share: a mapped channel
 * (struct pipc_ring), records, creating and attaching to a channel's body, the data and space
 * signals, and endpoint slots (register, retire, liveness). See pipc_ring_ops.h.
 */
#ifndef PIPC_RING_CHANNEL_H
#define PIPC_RING_CHANNEL_H

#include "pipc_ring.h"
#include "pipc_segment_ops.h"

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

/* whether a record's header fits at position before the end of the records: only padding starts after that */
static inline bool pipc_header_fits(const struct pipc_ring *ring, int64_t position) {
    return (position & ring->mask) <= ring->capacity - (int64_t) sizeof(struct pipc_record_header);
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
 * that sizes or places something, as ChannelDescriptor.check does.
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
    /* the positions, as ChannelDescriptor.checkPositions: multiples of 8, not negative, less than a
       lap apart (the tail may lie behind the head where a single sender died after its padding) */
    int64_t head = pipc_load_seq_cst(&channel->head);
    int64_t tail = pipc_load_seq_cst(&channel->tail);
    const char *which = head < 0 || (head & 7) != 0 ? "head" : tail < 0 || (tail & 7) != 0 ? "tail" : NULL;
    if (which != NULL) {
        return pipc_fail(PIPC_ERR_INVALID, message, size, "its %s %lld is not a position (a multiple of %d, at least 0)",
                         which, (long long) (which[0] == 'h' ? head : tail), PIPC_RECORD_ALIGNMENT);
    }
    if (tail - head > capacity || head - tail >= capacity) {
        return pipc_fail(PIPC_ERR_INVALID, message, size, "its head %lld and tail %lld are more than the capacity %lld apart",
                         (long long) head, (long long) tail, (long long) capacity);
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

/*
 * After a commit: wakes a receiver if one may be asleep (ChannelMemory.signalData). The blocking
 * count is read without a fence (see pipc_order_every_thread); the compiler barrier keeps the
 * read after the commit's stores in the program.
 */
static inline void pipc_signal_data(const struct pipc_ring *ring) {
    struct pipc_channel *channel = ring->channel;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
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
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    if (pipc_load_relaxed(&channel->blocking_senders) != 0) {
        pipc_full_fence();
        if (pipc_load_seq_cst(&channel->senders_waiting) != 0) {
            pipc_fetch_add(&channel->space_signal, 1);
            pipc_futex_wake(&channel->space_signal, INT32_MAX);
        }
    }
}

/* Wakes every sleeper on a signal word, if any may be asleep (a peer left: they look at who is left). */
static inline void pipc_wake_all(uint32_t *blocking, uint32_t *waiters, uint32_t *signal) {
    if (pipc_load_relaxed(blocking) != 0) {
        pipc_full_fence();
        if (pipc_load_seq_cst(waiters) != 0) {
            pipc_fetch_add(signal, 1);
            pipc_futex_wake(signal, INT32_MAX);
        }
    }
}

/*
 * The sleeping half of a blocking wait (WaitLoop.sleep): count yourself among the
 * waiters, mark your slot as sleeping, look once more, then sleep on the signal word as it was
 * before the look. A peer that makes progress after the look bumps the word, so the sleep does
 * not start or is woken. The mark lets whoever retires the slot of an endpoint killed asleep take
 * its count off again.
 */
static inline void pipc_sleep_on(uint32_t *signal, uint32_t *waiters, uint32_t *sleeping, bool (*ready)(void *),
                                 void *context, int64_t nanos) {
    uint32_t seen = pipc_load_seq_cst(signal);
    pipc_fetch_add(waiters, 1);
    pipc_store_relaxed(sleeping, 1);
    if (!ready(context)) {
        pipc_futex_wait(signal, seen, nanos);
    }
    pipc_store_relaxed(sleeping, 0);
    pipc_fetch_add(waiters, (uint32_t) -1);
}

/*
 * Makes every thread of every process pass a full memory barrier, so that a commit made before
 * it is visible and a commit made after it reads what this process stored before it (a blocking
 * count). Returns whether the kernel did it (Linux 4.16 and later, no seccomp filter against it).
 */
static inline bool pipc_order_every_thread(void) {
    return syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0) == 0;
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
    if (pipc_load_seq_cst(&endpoint->sleeping) != 0) {
        /* killed asleep: its 1 would stay in the waiter count for good */
        pipc_fetch_add(sender ? &channel->senders_waiting : &channel->receivers_waiting, (uint32_t) -1);
        pipc_store_release(&endpoint->sleeping, 0);
    }
    pipc_store_relaxed(&endpoint->messages, 0);
    pipc_store_relaxed(&endpoint->bytes, 0);
    pipc_store_relaxed(&endpoint->waits, 0);
    pipc_store_release(&endpoint->claim_start, PIPC_NO_POSITION);
    pipc_store_release(&endpoint->state, PIPC_EP_FREE);
    pipc_fetch_add(sender ? &channel->senders_left : &channel->receivers_left, 1);
    if (sender) {
        pipc_wake_all(&channel->blocking_receivers, &channel->receivers_waiting, &channel->data_signal);
    } else {
        pipc_wake_all(&channel->blocking_senders, &channel->senders_waiting, &channel->space_signal);
    }
}

/*
 * Whether the slot of a dead sender must stay: its claim is open and the head has not passed it,
 * so the slot is the only record of what it claimed (a Java receiver's repair passes over it).
 */
static inline bool pipc_endpoint_holds_open_claim(const struct pipc_ring *ring, const struct pipc_endpoint *endpoint) {
    if (endpoint->role != PIPC_ROLE_SENDER) {
        return false;
    }
    int64_t start = pipc_load_acquire(&endpoint->claim_start);
    int64_t end = pipc_load_relaxed(&endpoint->claim_end) & ~(int64_t) PIPC_CLAIM_WON;
    return start >= 0 && end - pipc_load_seq_cst(&ring->channel->head) > 0;
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
/*
 * The channel's repair lock, held while registering: the protocol of org.panamaipc.sync.IpcMutex
 * (struct pipc_mutex). The word is 0 when free, else the owner's pid, with FUTEX_WAITERS once
 * someone sleeps on it; a waiter that sees the same owner for 10 ms checks it is alive and takes
 * the lock over from a dead one. Returns whether it got the lock within timeout_ns.
 */
static inline bool pipc_mutex_lock(struct pipc_mutex *mutex, int64_t timeout_ns) {
    uint32_t me = (uint32_t) getpid();
    int64_t deadline = pipc_monotonic_ns() + timeout_ns;
    uint32_t watched = 0;
    int64_t watched_since = 0;
    for (;;) {
        uint32_t seen = pipc_load_acquire(&mutex->word);
        if (seen == 0) {
            if (pipc_cas_u32(&mutex->word, 0, me | FUTEX_WAITERS)) {
                break;
            }
            continue;
        }
        uint32_t owner = seen & FUTEX_TID_MASK;
        int64_t now = pipc_monotonic_ns();
        if (owner != watched) {
            watched = owner;
            watched_since = now;
        } else if (now - watched_since >= 10000000LL) {
            watched_since = now;
            int32_t recorded = pipc_load_acquire(&mutex->owner_pid);
            uint64_t start = recorded == (int32_t) owner ? pipc_load_acquire(&mutex->owner_start_time) : 0;
            if (!pipc_process_alive((pid_t) owner, start)) {
                if (pipc_cas_u32(&mutex->word, seen, me | (seen & FUTEX_WAITERS))) {
                    pipc_fetch_add(&mutex->takeovers, 1);
                    break;
                }
                continue;
            }
        }
        if ((seen & FUTEX_WAITERS) == 0 && !pipc_cas_u32(&mutex->word, seen, seen | FUTEX_WAITERS)) {
            continue;
        }
        if (now >= deadline) {
            return false;
        }
        int64_t slice = deadline - now < 10000000LL ? deadline - now : 10000000LL;
        pipc_futex_wait(&mutex->word, seen | FUTEX_WAITERS, slice);
    }
    mutex->owner_died = 0;
    mutex->owner_thread = 0;
    pipc_store_release(&mutex->owner_start_time, pipc_process_start_time((pid_t) me));
    pipc_store_release(&mutex->owner_pid, (int32_t) me);
    mutex->acquisitions++;
    return true;
}

static inline void pipc_mutex_unlock(struct pipc_mutex *mutex) {
    pipc_store_release(&mutex->owner_pid, 0);
    if (__atomic_exchange_n(&mutex->word, 0, __ATOMIC_SEQ_CST) & FUTEX_WAITERS) {
        pipc_futex_wake(&mutex->word, 1);
    }
}

static inline int pipc_endpoint_register0(const struct pipc_ring *ring, uint32_t role, bool blocking,
                                          char *message, size_t size);

/* Registers under the channel's repair lock, as Java does, so two processes cannot both pass the
   "only one" check of SPSC and MPSC. */
static inline int pipc_endpoint_register(const struct pipc_ring *ring, uint32_t role, bool blocking,
                                         char *message, size_t size) {
    if (!pipc_mutex_lock(&ring->channel->repair_lock, 10000000000LL)) {
        return pipc_fail(PIPC_ERR_REFUSED, message, size, "the channel is busy: its lock was not free within 10 s");
    }
    int id = pipc_endpoint_register0(ring, role, blocking, message, size);
    pipc_mutex_unlock(&ring->channel->repair_lock);
    if (id >= 0 && blocking) {
        /* commits that read the blocking count before we raised it are now visible to our first look;
           if the kernel refuses, a wake-up may come late, bounded by the sleep's timeout */
        pipc_order_every_thread();
    }
    return id;
}

static inline int pipc_endpoint_register0(const struct pipc_ring *ring, uint32_t role, bool blocking,
                                          char *message, size_t size) {
    struct pipc_channel *channel = ring->channel;
    bool single = role == PIPC_ROLE_SENDER ? ring->type == PIPC_CHANNEL_SPSC : ring->type != PIPC_CHANNEL_MPMC;
    const char *what = role == PIPC_ROLE_SENDER ? "sender" : "receiver";
    for (int32_t id = 0; id < ring->slots; id++) {
        struct pipc_endpoint *endpoint = pipc_endpoint_at(ring, id);
        if (pipc_load_acquire(&endpoint->state) == PIPC_EP_ACTIVE && !pipc_endpoint_owner_alive(endpoint)
                && !pipc_endpoint_holds_open_claim(ring, endpoint)) {
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
            endpoint->sleeping = 0;
            if (blocking) {
                pipc_fetch_add(role == PIPC_ROLE_SENDER ? &channel->blocking_senders : &channel->blocking_receivers, 1);
            }
            pipc_fetch_add(role == PIPC_ROLE_SENDER ? &channel->senders_ever : &channel->receivers_ever, 1);
            pipc_store_release(&endpoint->state, PIPC_EP_ACTIVE);
            if (role == PIPC_ROLE_SENDER) {
                /* a receiver asleep without a slice (Java's quiet sleep) learns to watch the new sender */
                pipc_wake_all(&channel->blocking_receivers, &channel->receivers_waiting, &channel->data_signal);
            }
            return id;
        }
    }
    return pipc_fail(PIPC_ERR_REFUSED, message, size, "all %d endpoint slots are in use by live processes", ring->slots);
}

#endif /* PIPC_RING_CHANNEL_H */
