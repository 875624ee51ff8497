/*
 * pipc_ring_sender.h - a sender endpoint of a ring channel: claim, commit, abort, for one sender
 * (SPSC: the tail is the sender's own) or many (MPSC, MPMC: a published claim, then a
 * compare-and-set on the tail). See pipc_ring_ops.h; the Java twins are SoleSender and ConcurrentSender (with SenderEndpoint).
 */
#ifndef PIPC_RING_SENDER_H
#define PIPC_RING_SENDER_H

#include "pipc_ring_channel.h"

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
 * Zeroes what a dead single sender may have left past position, where a new one resumes: at most
 * one unpublished record (payload and header are written before the tag), never past the end of
 * the records (padding is published first) nor past the free space. Else a shorter new record
 * would end inside those bytes and the receiver would take them for the next record. The word at
 * position, which a receiver may be reading, is cleared with one whole-word store; the receiver
 * reads the rest only after acquiring the tag this sender later stores there with release. Twin
 * of SoleSender.clearDeadClaim.
 */
static inline void pipc_sender_clear_dead_claim(const struct pipc_ring *ring, int64_t position) {
    int64_t index = position & ring->mask;
    int64_t end = index + pipc_record_length(ring->max_message_length);
    if (end > ring->capacity) {
        end = ring->capacity;
    }
    int64_t free_end = index + pipc_load_acquire(&ring->channel->head) + ring->capacity - position;
    if (end > free_end) {
        end = free_end;
    }
    if (end <= index) {
        return;
    }
    pipc_store_relaxed(&pipc_record_at(ring, position)->tag, 0);
    if (end > index + 8) {
        memset(ring->records + index + 8, 0, (size_t) (end - index - 8));
    }
}

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
        if (!pipc_header_fits(ring, position)) {
            return pipc_fail(PIPC_ERR_CORRUPT, message, size, "record at position %lld starts too close to the end of the ring",
                             (long long) position);
        }
        int32_t length = pipc_record_at(ring, position)->length;
        if (length < 0 || length > ring->max_message_length
                || (position & ring->mask) + pipc_record_length(length) > ring->capacity) {
            return pipc_fail(PIPC_ERR_CORRUPT, message, size, "record at position %lld has length %d",
                             (long long) position, length);
        }
        position += pipc_record_length(length);
    }
    pipc_sender_clear_dead_claim(ring, position);
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
        /* publish the claim before making it, so a receiver can tell it from a dead sender's; the
         * seq_cst CAS below releases both stores to whoever reads the tail past them */
        pipc_store_relaxed(&slot->claim_end, end);
        pipc_store_release(&slot->claim_start, position);
        published = true;
        if (pipc_cas_i64(&ring->channel->tail, position, end)) {
            /* won: say so before anything else, so a repair after our death tells this claim from
               one that lost at the same position */
            pipc_store_relaxed(&slot->claim_end, end | PIPC_CLAIM_WON);
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
    /* no counters in shared memory: what was sent is what was received plus what is in the ring
       (ChannelCounters.snapshot), so a send costs no stores beyond the record, the tag and the tail */
    sender->messages++;
    sender->bytes += sender->claim_length;
    pipc_signal_data(sender->ring);
    return committed;
}

/* Gives the claimed space up: receivers pass over it, and it uses no sequence number. */
static inline void pipc_sender_abort(struct pipc_sender *sender) {
    pipc_sender_publish(sender, PIPC_RECORD_SKIP);
    pipc_signal_data(sender->ring);
}

/* the longest span: what is left of it must fit one skip record, whose length is an int32_t */
#define PIPC_MAX_SPAN ((((int64_t) INT32_MAX) + (int64_t) sizeof(struct pipc_record_header)) & -(int64_t) 8)

/*
 * Sizes a span of the records of lengths[0, count) at position: the first after padding if it
 * does not fit before the lap's end, the others after it, as many as fit before the lap's end and
 * in the room the head leaves (read again once if the head last read leaves records out), at most
 * PIPC_MAX_SPAN bytes. Returns the first record's position, or PIPC_NO_POSITION if the first does
 * not fit; *records and *end say how many and where they end. Twin of SenderEndpoint.span.
 */
static inline int64_t pipc_span(struct pipc_sender *sender, int64_t position, const int32_t *lengths, int count,
                                int *records, int64_t *end) {
    const struct pipc_ring *ring = sender->ring;
    int64_t first = pipc_record_length(lengths[0]);
    int64_t start = position + pipc_padding(ring, position, first);
    if (start + first - sender->head_cache > ring->capacity) {
        sender->head_cache = pipc_load_acquire(&ring->channel->head);
        if (start + first - sender->head_cache > ring->capacity) {
            return PIPC_NO_POSITION;
        }
    }
    int64_t lap_rest = ring->capacity - (start & ring->mask);
    int64_t room = sender->head_cache + ring->capacity - start;
    int64_t limit = room < lap_rest ? room : lap_rest;
    limit = limit < PIPC_MAX_SPAN ? limit : PIPC_MAX_SPAN;
    bool head_read = false;
    int64_t size = first;
    int n = 1;
    while (n < count) {
        int64_t next = size + pipc_record_length(lengths[n]);
        if (next > limit) {
            if (head_read || next > lap_rest) {
                break;
            }
            head_read = true;
            sender->head_cache = pipc_load_acquire(&ring->channel->head);
            room = sender->head_cache + ring->capacity - start;
            limit = room < lap_rest ? room : lap_rest;
            limit = limit < PIPC_MAX_SPAN ? limit : PIPC_MAX_SPAN;
            if (next > limit) {
                break;
            }
        }
        size = next;
        n++;
    }
    *records = n;
    *end = start + size;
    return start;
}

/*
 * Takes room for a span of records at once (see pipc_span): a single sender moves its own tail;
 * many senders publish the claim [position, end) and take it with one compare-and-set, as for one
 * record, so a repair after their death passes over the records of the span they had not
 * written. Writes the padding, if any. Returns the first record's position or PIPC_NO_POSITION.
 * Twin of SoleSender.reserveSpan and ConcurrentSender.reserveSpan.
 */
static inline int64_t pipc_claim_span(struct pipc_sender *sender, const int32_t *lengths, int count,
                                      int *records, int64_t *end) {
    const struct pipc_ring *ring = sender->ring;
    if (sender->single) {
        int64_t position = sender->tail;
        int64_t start = pipc_span(sender, position, lengths, count, records, end);
        if (start < 0) {
            return PIPC_NO_POSITION;
        }
        if (start != position) {
            pipc_store_release(&pipc_record_at(ring, position)->tag, pipc_tag(position, PIPC_RECORD_PADDING));
        }
        sender->tail = *end;
        return start;
    }
    struct pipc_endpoint *slot = sender->slot;
    while (true) {
        int64_t position = pipc_load_seq_cst(&ring->channel->tail);
        int64_t start = pipc_span(sender, position, lengths, count, records, end);
        if (start < 0) {
            /* a claim published by a lost compare-and-set must not stay (see pipc_claim_many) */
            pipc_store_release(&slot->claim_start, PIPC_NO_POSITION);
            return PIPC_NO_POSITION;
        }
        pipc_store_relaxed(&slot->claim_end, *end);
        pipc_store_release(&slot->claim_start, position);     /* as in the single claim */
        if (pipc_cas_i64(&ring->channel->tail, position, *end)) {
            pipc_store_relaxed(&slot->claim_end, *end | PIPC_CLAIM_WON);
            if (start != position) {
                pipc_store_release(&pipc_record_at(ring, position)->tag, pipc_tag(position, PIPC_RECORD_PADDING));
            }
            return start;
        }
    }
}

/* Writes one record of a span at position, published by its tag; returns the next position. */
static inline int64_t pipc_sender_write_record(struct pipc_sender *sender, int64_t position, int32_t type,
                                               const uint8_t *message, int32_t length) {
    struct pipc_record_header *record = pipc_record_at(sender->ring, position);
    memcpy(record + 1, message, (size_t) length);
    record->length = length;
    record->type = type;
    record->source = sender->id;
    record->reserved = 0;
    record->sequence = sender->sequence++;
    pipc_store_release(&record->tag, pipc_tag(position, PIPC_RECORD_COMMITTED));
    sender->messages++;
    sender->bytes += length;
    return position + pipc_record_length(length);
}

/*
 * Sends up to count messages (messages[i], lengths[i] bytes, each 0..max_message_length, of type
 * types[i], or all of type types[0] when all_one_type: the Java twin takes one type per batch),
 * in order, as many as there is room for now; returns how many went (0 if none fits). Room is
 * taken span by span (pipc_claim_span: one compare-and-set for many senders), each record's tag
 * is stored after the rest of it; a single sender publishes the tail once for the batch, many
 * withdraw their claim once per span, and a receiver asleep is woken once. No claim may be open.
 * The Java twin is SenderEndpoint.sendBatchNow.
 */
static inline int pipc_sender_try_send_batch(struct pipc_sender *sender, const int32_t *types, bool all_one_type,
                                             const uint8_t *const *messages, const int32_t *lengths, int count) {
    const struct pipc_ring *ring = sender->ring;
    int sent = 0;
    while (sent < count) {
        int records;
        int64_t end;
        int64_t position = pipc_claim_span(sender, lengths + sent, count - sent, &records, &end);
        if (position < 0) {
            sender->pending_size = pipc_record_length(lengths[sent]);
            break;
        }
        for (int k = 0; k < records; k++, sent++) {
            position = pipc_sender_write_record(sender, position, types[all_one_type ? 0 : sent], messages[sent],
                                                lengths[sent]);
        }
        if (!sender->single) {
            pipc_store_release(&sender->slot->claim_start, PIPC_NO_POSITION);
        }
    }
    if (sent > 0) {
        if (sender->single) {
            pipc_store_release(&ring->channel->tail, sender->tail);
        }
        pipc_signal_data(ring);
    }
    return sent;
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
    pipc_store_relaxed(&sender->slot->sequence, sender->sequence);
    pipc_endpoint_retire(sender->ring, sender->id, false);
    sender->ring = NULL;
}

#endif /* PIPC_RING_SENDER_H */
