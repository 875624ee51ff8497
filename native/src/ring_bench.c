/*
 * ring_bench - the C side of the harness's ring benchmark: the ping-pong and burst of
 * org.panamaipc.bench.BenchPeer (the loops are in pipc_bench.h) over the same two SPSC ring
 * channels, with the same algorithm in C (pipc_ring_ops.h), busy-spinning: the hardware's limit
 * for panama-ipc's rings.
 *
 *   ring_bench ping|pong SPEC ID rtt|tput SIZE WARMUP_MS MEASURE ITERATIONS
 *
 * The channels /pipc-bench-ID-a (ping to pong) and /pipc-bench-ID-b exist already (the harness
 * creates them). Like BenchPeer, each message is copied into the ring and out of it. pong prints
 * "READY cpus=..."; ping prints one RESULT line. Exit 0, 1 on an error, 9 after 300 s. With
 * RING_BENCH_COUNTERS set, each side prints to stderr how often it found the ring full (sending)
 * or empty (receiving): which side waited for the other.
 */
#include "pipc_ring_ops.h"
#include "pipc_bench.h"

struct channel {
    struct pipc_mapping mapping;
    struct pipc_ring ring;
};

struct endpoints {
    struct pipc_sender sender;
    struct pipc_receiver receiver;
    long full_tries;
    long empty_polls;
};

struct copy_out {
    uint8_t *buffer;
    int32_t length;
};

static void attach(struct channel *c, const char *name) {
    char message[512];
    if (pipc_segment_open(name, PIPC_KIND_CHANNEL, PIPC_CHANNEL_LAYOUT_VERSION, sizeof(struct pipc_channel),
                          5000000000LL, &c->mapping, message, sizeof message) != PIPC_OK) {
        pipc_bench_fail(message);
    }
    if (pipc_ring_attach(&c->ring, pipc_body(&c->mapping), c->mapping.header->body_size, message,
                         sizeof message) != PIPC_OK) {
        pipc_bench_fail(message);
    }
}

static void send_copy(void *context, const uint8_t *message, int32_t size) {
    struct endpoints *e = context;
    uint8_t *p;
    while ((p = pipc_sender_try_claim(&e->sender, 1, size)) == NULL) {
        e->full_tries++;
        __builtin_ia32_pause();
    }
    memcpy(p, message, (size_t) size);
    pipc_sender_commit(&e->sender);
}

static void on_message(void *context, const struct pipc_record_header *header, const uint8_t *payload) {
    struct copy_out *out = context;
    memcpy(out->buffer, payload, (size_t) header->length);
    out->length = header->length;
}

static void send_batch(void *context, const uint8_t *const *messages, int count, int32_t size) {
    struct endpoints *e = context;
    int32_t lengths[PIPC_BENCH_MAX_BATCH];
    int32_t type = 1;
    for (int k = 0; k < count; k++) lengths[k] = size;
    int sent = 0;
    while (sent < count) {
        int n = pipc_sender_try_send_batch(&e->sender, &type, true, messages + sent, lengths + sent, count - sent);
        if (n == 0) {
            e->full_tries++;
            __builtin_ia32_pause();
        }
        sent += n;
    }
}

static int receive_batch(void *context, uint8_t *buffer, int limit) {
    struct endpoints *e = context;
    struct copy_out out = {buffer, -1};
    int n;
    while ((n = pipc_receiver_poll(&e->receiver, on_message, &out, limit)) == 0) {
        e->empty_polls++;
        __builtin_ia32_pause();
    }
    if (n < 0) pipc_bench_fail("corrupt record");
    return n;
}

static int32_t receive_copy(void *context, uint8_t *buffer) {
    struct endpoints *e = context;
    struct copy_out out = {buffer, -1};
    int n;
    while ((n = pipc_receiver_poll(&e->receiver, on_message, &out, 1)) == 0) {
        e->empty_polls++;
        __builtin_ia32_pause();
    }
    if (n < 0) pipc_bench_fail("corrupt record");
    return out.length;
}

int main(int argc, char **argv) {
    if (argc != 9) {
        fprintf(stderr, "usage: ring_bench ping|pong SPEC ID rtt|tput SIZE WARMUP_MS MEASURE ITERATIONS\n");
        return 1;
    }
    pipc_bench_watchdog(300);
    int ping = strcmp(argv[1], "ping") == 0;
    char a[300], b[300];
    snprintf(a, sizeof a, "/pipc-bench-%s-a", argv[3]);
    snprintf(b, sizeof b, "/pipc-bench-%s-b", argv[3]);
    static struct channel out_channel, in_channel;
    attach(&out_channel, ping ? a : b);
    attach(&in_channel, ping ? b : a);
    static struct endpoints e;
    char message[512];
    if (pipc_sender_open(&e.sender, &out_channel.ring, false, message, sizeof message) != PIPC_OK) {
        pipc_bench_fail(message);
    }
    if (pipc_receiver_open(&e.receiver, &in_channel.ring, false, message, sizeof message) != PIPC_OK) {
        pipc_bench_fail(message);
    }
    struct pipc_bench_ops ops = {"c-ring", &e, send_copy, receive_copy, send_batch, receive_batch};
    int status = pipc_bench_main(&ops, ping, argc, argv);
    if (getenv("RING_BENCH_COUNTERS") != NULL) {
        fprintf(stderr, "%s: full_tries=%ld empty_polls=%ld\n", ping ? "ping" : "pong", e.full_tries, e.empty_polls);
    }
    pipc_sender_close(&e.sender);
    pipc_receiver_close(&e.receiver);
    return status;
}
