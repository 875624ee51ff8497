/*
 * typed_peer - a C peer that exchanges typed records with Java through a ring channel: the record
 * is the struct that RecordCodec.cHeader() emits for MessageRecords.Tick (the test writes it as
 * Tick.h next to this file), carried in a ring record's payload after the envelope of
 * pipc_message.h (pid, send time, reply-to), sent and received with pipc_ring_ops.h. Built by
 * TypedChannelTest with testkit's CCompiler.
 *
 *   typed_peer send NAME COUNT TYPE    sends ticks 1..COUNT as messages of TYPE
 *   typed_peer recv NAME COUNT TYPE    receives COUNT ticks and checks each (and that its parent sent them)
 *
 * Tick n: sequence n, price n * 0.25, quantity n % 1000, producer 1 (Java) or 2 (C).
 * Exit: 0 done, 2 cannot open or attach, 5 a record differs (stderr says how), 6 deadline (60 s).
 */
#include "Tick.h"
#include "pipc_message.h"
#include "pipc_ring_ops.h"

#include <sched.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>

#define DEADLINE_NS INT64_C(60000000000)

static int64_t deadline;

static void check_deadline(void) {
    if (pipc_monotonic_ns() > deadline) {
        fprintf(stderr, "typed_peer: deadline passed\n");
        exit(6);
    }
}

struct verify {
    int32_t type;
    int32_t sender_pid;
    int64_t next;
    int failed;
};

static void on_tick(void *context, const struct pipc_record_header *header, const uint8_t *payload) {
    struct verify *v = context;
    struct pipc_envelope envelope;
    struct Tick tick;
    memcpy(&envelope, payload, sizeof envelope);
    memcpy(&tick, payload + sizeof envelope, sizeof tick);
    int64_t n = v->next++;
    if (v->failed) {
        return;
    }
    if (header->type != v->type || header->length != (int32_t) (sizeof envelope + sizeof(struct Tick))
            || envelope.magic != PIPC_ENVELOPE_MAGIC || envelope.source_pid != v->sender_pid
            || envelope.send_time <= 0 || envelope.send_time > pipc_monotonic_ns() || envelope.reply_to != PIPC_NO_REPLY
            || tick.sequence != n || tick.price != (double) n * 0.25 || tick.quantity != (int32_t) (n % 1000)
            || tick.producer != 1) {
        fprintf(stderr, "typed_peer: tick %lld: type %d length %d magic %x pid %d send time %lld reply-to %lld"
                " sequence %lld price %f quantity %d producer %d\n",
                (long long) n, header->type, header->length, envelope.magic, envelope.source_pid,
                (long long) envelope.send_time, (long long) envelope.reply_to, (long long) tick.sequence, tick.price,
                tick.quantity, tick.producer);
        v->failed = 1;
    }
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: typed_peer send|recv NAME COUNT TYPE\n");
        return 1;
    }
    const char *name = argv[2];
    int64_t count = atoll(argv[3]);
    int32_t type = atoi(argv[4]);
    deadline = pipc_monotonic_ns() + DEADLINE_NS;
    char message[512];
    struct pipc_mapping mapping;
    struct pipc_ring ring;
    if (pipc_segment_open(name, PIPC_KIND_CHANNEL, PIPC_CHANNEL_LAYOUT_VERSION, sizeof(struct pipc_channel),
                          INT64_C(5000000000), &mapping, message, sizeof message) != PIPC_OK
            || pipc_ring_attach(&ring, pipc_body(&mapping), mapping.header->body_size, message, sizeof message) != PIPC_OK) {
        fprintf(stderr, "typed_peer: %s\n", message);
        return 2;
    }
    if (strcmp(argv[1], "send") == 0) {
        struct pipc_sender sender;
        if (pipc_sender_open(&sender, &ring, false, message, sizeof message) != PIPC_OK) {
            fprintf(stderr, "typed_peer: %s\n", message);
            return 2;
        }
        for (int64_t n = 1; n <= count; n++) {
            uint8_t *payload;
            while ((payload = pipc_sender_try_claim(&sender, type, (int32_t) (sizeof(struct pipc_envelope) + sizeof(struct Tick)))) == NULL) {
                check_deadline();
                sched_yield();
            }
            struct pipc_envelope envelope = { .magic = PIPC_ENVELOPE_MAGIC, .source_pid = (int32_t) getpid(),
                                              .send_time = pipc_monotonic_ns(), .reply_to = PIPC_NO_REPLY };
            struct Tick tick = { .sequence = n, .price = (double) n * 0.25, .quantity = (int32_t) (n % 1000), .producer = 2 };
            memcpy(payload, &envelope, sizeof envelope);
            memcpy(payload + sizeof envelope, &tick, sizeof tick);
            pipc_sender_commit(&sender);
        }
        pipc_sender_close(&sender);
        printf("sent %lld ticks of %zu bytes\n", (long long) count, sizeof(struct Tick));
    } else {
        struct pipc_receiver receiver;
        if (pipc_receiver_open(&receiver, &ring, false, message, sizeof message) != PIPC_OK) {
            fprintf(stderr, "typed_peer: %s\n", message);
            return 2;
        }
        struct verify v = { .type = type, .sender_pid = (int32_t) getppid(), .next = 1, .failed = 0 };
        while (v.next <= count) {
            int polled = pipc_receiver_poll(&receiver, on_tick, &v, 64);
            if (polled < 0) {
                fprintf(stderr, "typed_peer: corrupt record\n");
                return 8;
            }
            if (polled == 0) {
                check_deadline();
                sched_yield();
            }
        }
        pipc_receiver_close(&receiver);
        if (v.failed) {
            return 5;
        }
        printf("received %lld ticks of %zu bytes\n", (long long) count, sizeof(struct Tick));
    }
    pipc_segment_unmap(&mapping);
    return 0;
}
