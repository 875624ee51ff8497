/*
 * pipc_ring_receiver.h - a receiver endpoint of a ring channel: poll, in place for one receiver
 * (SPSC, MPSC), copied out and taken with a compare-and-set on the head for many (MPMC). See
 * pipc_ring_ops.h; the Java twins are SoleReceiver and ConcurrentReceiver (with ReceiverEndpoint).
 */
#ifndef PIPC_RING_RECEIVER_H
#define PIPC_RING_RECEIVER_H

#include "pipc_ring_channel.h"

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
    uint8_t *scratch;   /* many receivers: messages are copied out before they are taken */
    size_t scratch_size;
};

/* many receivers: the most messages one compare-and-set takes, and the scratch a batch needs at least */
#define PIPC_RECEIVE_BATCH 64
#define PIPC_RECEIVE_BATCH_SCRATCH 65536

/* Registers a receiver; returns PIPC_OK, or a negative status with a message. */
static inline int pipc_receiver_open(struct pipc_receiver *receiver, const struct pipc_ring *ring, bool blocking,
                                     char *message, size_t size) {
    memset(receiver, 0, sizeof *receiver);
    receiver->single = ring->type != PIPC_CHANNEL_MPMC;
    if (!receiver->single) {
        receiver->scratch_size = (size_t) ring->max_message_length > PIPC_RECEIVE_BATCH_SCRATCH
                ? (size_t) ring->max_message_length : PIPC_RECEIVE_BATCH_SCRATCH;
        receiver->scratch = malloc(receiver->scratch_size);
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
        if (!pipc_header_fits(ring, position)) {
            status = PIPC_ERR_CORRUPT;
            break;
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
        if (!pipc_header_fits(ring, position)) {
            if (pipc_load_seq_cst(head) != position) {
                continue; /* taken meanwhile: read again */
            }
            return PIPC_ERR_CORRUPT;
        }
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
 * Many receivers, a batch: copies up to limit committed records from the head on into the scratch
 * memory (while they are plausible and fit), then takes them all with one compare-and-set on the
 * head; if another receiver moved it first, the copies are discarded and it starts again. Returns
 * how many (headers[i] and offsets[i] say where each is), 0 if the head holds nothing or something
 * the careful path (pipc_take_many) must look at. The Java twin is ConcurrentReceiver.takeBatch.
 */
static inline int pipc_take_many_batch(struct pipc_receiver *receiver, struct pipc_record_header *headers,
                                       size_t *offsets, int limit) {
    const struct pipc_ring *ring = receiver->ring;
    int64_t *head = &ring->channel->head;
    while (true) {
        int64_t start = pipc_load_seq_cst(head);
        int64_t position = start;
        int n = 0;
        size_t used = 0;
        int64_t bytes = 0;
        while (n < limit) {
            uint32_t state = pipc_record_state(ring, position);
            if (state == 0) {
                break;
            }
            if (state == PIPC_RECORD_PADDING) {
                position += ring->capacity - (position & ring->mask);
                continue;
            }
            if (!pipc_header_fits(ring, position)) {
                break;
            }
            struct pipc_record_header *record = pipc_record_at(ring, position);
            int32_t length = pipc_checked_length(ring, position, state, pipc_load_relaxed(&record->length));
            if (length < 0 || (state != PIPC_RECORD_COMMITTED && state != PIPC_RECORD_SKIP)) {
                break;
            }
            if (state == PIPC_RECORD_COMMITTED) {
                if (used + (size_t) length > receiver->scratch_size) {
                    break;
                }
                memcpy(receiver->scratch + used, record + 1, (size_t) length);
                headers[n].length = length;
                headers[n].type = pipc_load_relaxed(&record->type);
                headers[n].source = pipc_load_relaxed(&record->source);
                headers[n].sequence = pipc_load_relaxed(&record->sequence);
                offsets[n] = used;
                used += ((size_t) length + 7) & ~(size_t) 7;
                bytes += length;
                n++;
            }
            position += pipc_record_length(length);
        }
        if (n == 0) {
            return 0;
        }
        if (!pipc_cas_i64(head, start, position)) {
            continue; /* another receiver took some first: what we copied is discarded */
        }
        pipc_signal_space(ring);
        receiver->head = position;
        receiver->messages += n;
        receiver->bytes += bytes;
        pipc_store_relaxed(&receiver->slot->messages, receiver->messages);
        pipc_store_relaxed(&receiver->slot->bytes, receiver->bytes);
        return n;
    }
}

/*
 * Delivers up to limit messages to handler; returns how many, or PIPC_ERR_CORRUPT if a record at
 * the head cannot be right (the messages before it are delivered and consumed). One receiver
 * publishes the head once for them all; many take up to PIPC_RECEIVE_BATCH with one
 * compare-and-set.
 */
static inline int pipc_receiver_poll(struct pipc_receiver *receiver, pipc_message_handler handler, void *context,
                                     int limit) {
    if (receiver->single) {
        return pipc_poll_single(receiver, handler, context, limit);
    }
    int count = 0;
    struct pipc_record_header headers[PIPC_RECEIVE_BATCH];
    size_t offsets[PIPC_RECEIVE_BATCH];
    while (count < limit) {
        int want = limit - count < PIPC_RECEIVE_BATCH ? limit - count : PIPC_RECEIVE_BATCH;
        int taken = want > 1 ? pipc_take_many_batch(receiver, headers, offsets, want) : 0;
        if (taken > 0) {
            for (int i = 0; i < taken; i++) {
                handler(context, &headers[i], receiver->scratch + offsets[i]);
            }
            count += taken;
            continue;
        }
        taken = pipc_take_many(receiver, &headers[0]);
        if (taken <= 0) {
            return taken < 0 ? taken : count;
        }
        count++;
        handler(context, &headers[0], receiver->scratch);
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

/*
 * Whether every sender that attached has gone and nothing is left to receive. With one sender the
 * tail may lie behind the head: a sender that died between writing padding and publishing the tail
 * of the record after it leaves the head past the padding.
 */
static inline bool pipc_receiver_senders_gone(struct pipc_receiver *receiver) {
    const struct pipc_ring *ring = receiver->ring;
    if (pipc_receiver_ready(receiver)) {
        return false;
    }
    int64_t head = receiver->single ? receiver->head : pipc_load_seq_cst(&ring->channel->head);
    return pipc_endpoints_all_gone(ring, PIPC_ROLE_SENDER) && pipc_load_seq_cst(&ring->channel->tail) - head <= 0;
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

#endif /* PIPC_RING_RECEIVER_H */
