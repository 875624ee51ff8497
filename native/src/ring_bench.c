/*
 * ring_bench - the C side of the harness's ring benchmark: the same ping-pong and burst as
 * org.panamaipc.bench.BenchPeer over the same two SPSC ring channels, with the same algorithm in C
 * (pipc_ring_ops.h), busy-spinning: the hardware's limit for panama-ipc's rings.
 *
 *   ring_bench ping|pong SPEC ID rtt|tput SIZE WARMUP COUNT
 *
 * The channels /pipc-bench-ID-a (ping to pong) and /pipc-bench-ID-b exist already (the harness
 * creates them). Like BenchPeer, each message is copied into the ring and out of it. pong prints
 * "READY cpus=..."; ping prints one RESULT line. Exit 0, 1 on an error, 9 after 300 s.
 */
#include "pipc_ring_ops.h"
#include "pipc_bench.h"

#define MAX_SIZE 65536

struct channel {
    struct pipc_mapping mapping;
    struct pipc_ring ring;
};

struct copy_out {
    uint8_t *buffer;
    int32_t length;
};

static void fail(const char *what) {
    fprintf(stderr, "ring_bench: %s\n", what);
    exit(1);
}


static void attach(struct channel *c, const char *name) {
    char message[512];
    if (pipc_segment_open(name, PIPC_KIND_CHANNEL, PIPC_CHANNEL_LAYOUT_VERSION, sizeof(struct pipc_channel),
                          5000000000LL, &c->mapping, message, sizeof message) != PIPC_OK) {
        fail(message);
    }
    if (pipc_ring_attach(&c->ring, pipc_body(&c->mapping), c->mapping.header->body_size, message,
                         sizeof message) != PIPC_OK) {
        fail(message);
    }
}

static void send_copy(struct pipc_sender *s, const uint8_t *message, int32_t size) {
    uint8_t *p;
    while ((p = pipc_sender_try_claim(s, 1, size)) == NULL) {
        __builtin_ia32_pause();
    }
    memcpy(p, message, (size_t) size);
    pipc_sender_commit(s);
}

static void on_message(void *context, const struct pipc_record_header *header, const uint8_t *payload) {
    struct copy_out *out = context;
    memcpy(out->buffer, payload, (size_t) header->length);
    out->length = header->length;
}

static int32_t receive_copy(struct pipc_receiver *r, uint8_t *buffer) {
    struct copy_out out = {buffer, -1};
    int n;
    while ((n = pipc_receiver_poll(r, on_message, &out, 1)) == 0) {
        __builtin_ia32_pause();
    }
    if (n < 0) fail("corrupt record");
    return out.length;
}




int main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: ring_bench ping|pong SPEC ID rtt|tput SIZE WARMUP COUNT\n");
        return 1;
    }
    pipc_bench_watchdog(300);
    int ping = strcmp(argv[1], "ping") == 0;
    const char *id = argv[3];
    int rtt = strcmp(argv[4], "rtt") == 0;
    long size = atol(argv[5]), warmup = atol(argv[6]), count = atol(argv[7]);
    if (size < 0 || size > MAX_SIZE) fail("size out of range");
    char a[300], b[300];
    snprintf(a, sizeof a, "/pipc-bench-%s-a", id);
    snprintf(b, sizeof b, "/pipc-bench-%s-b", id);
    static struct channel out_channel, in_channel;
    attach(&out_channel, ping ? a : b);
    attach(&in_channel, ping ? b : a);
    struct pipc_sender sender;
    struct pipc_receiver receiver;
    char message[512];
    if (pipc_sender_open(&sender, &out_channel.ring, false, message, sizeof message) != PIPC_OK) fail(message);
    if (pipc_receiver_open(&receiver, &in_channel.ring, false, message, sizeof message) != PIPC_OK) fail(message);
    static uint8_t msg[MAX_SIZE], buf[MAX_SIZE];
    char where[256];
    pipc_bench_cpus(where, sizeof where);
    if (!ping) {
        printf("READY cpus=%s\n", where);
        fflush(stdout);
        if (rtt) {
            for (long i = 0; i < warmup + count; i++) {
                int32_t n = receive_copy(&receiver, buf);
                send_copy(&sender, buf, n);
            }
        } else {
            for (int phase = 0; phase < 2; phase++) {
                long k = phase == 0 ? warmup : count;
                for (long i = 0; i < k; i++) receive_copy(&receiver, buf);
                send_copy(&sender, buf, 8);
            }
        }
    } else if (rtt) {
        long long *t = malloc(sizeof(long long) * (size_t) count);
        if (!t) fail("out of memory");
        for (long i = 0; i < warmup + count; i++) {
            if (size >= 8) memcpy(msg, &i, sizeof i);
            long long start = pipc_monotonic_ns();
            send_copy(&sender, msg, (int32_t) size);
            int32_t n = receive_copy(&receiver, buf);
            long long ns = pipc_monotonic_ns() - start;
            if (n != size || (size >= 8 && memcmp(buf, &i, sizeof i) != 0)) fail("round trip came back wrong");
            if (i >= warmup) {
                t[i - warmup] = ns;
            }
        }
        pipc_bench_print_rtt("c-ring", size, t, count, where);
        free(t);
    } else {
        long long start = 0;
        for (int phase = 0; phase < 2; phase++) {
            long k = phase == 0 ? warmup : count;
            if (phase == 1) start = pipc_monotonic_ns();
            for (long i = 0; i < k; i++) {
                if (size >= 8) memcpy(msg, &i, sizeof i);
                send_copy(&sender, msg, (int32_t) size);
            }
            receive_copy(&receiver, buf);
        }
        long long ns = pipc_monotonic_ns() - start;
        printf("RESULT transport=c-ring mode=tput size=%ld count=%ld nanos=%lld msgs_per_s=%.0f cpus=%s\n",
               size, count, ns, (double) count / ((double) ns / 1e9), where);
    }
    fflush(stdout);
    pipc_sender_close(&sender);
    pipc_receiver_close(&receiver);
    return 0;
}
