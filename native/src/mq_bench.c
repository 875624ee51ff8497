/*
 * mq_bench - the C side of the harness's message-queue benchmark: the ping-pong and burst of
 * org.panamaipc.bench.BenchPeer (the loops are in pipc_bench.h) over the same two POSIX message
 * queues, in C, as the floor the Java binding is compared with.
 *
 *   mq_bench ping|pong SPEC ID rtt|tput SIZE WARMUP_MS MEASURE ITERATIONS
 *
 * The queues /pipc-bench-ID-mq-a (ping to pong) and /pipc-bench-ID-mq-b (pong to ping) exist
 * already (the harness creates them). pong prints "READY cpus=..." when it has opened them; ping
 * prints one RESULT line in BenchPeer's format. Exit 0 on success, 1 on an error, 9 from the
 * watchdog (alarm) after 300 s.
 */
#include "panama_ipc.h"
#include "pipc_bench.h"

struct queues {
    mqd_t out;
    mqd_t in;
};

static void die(const char *what) {
    perror(what);
    exit(1);
}

static void send_message(void *context, const uint8_t *message, int32_t size) {
    struct queues *q = context;
    if (mq_send(q->out, (const char *) message, (size_t) size, 0) != 0) die("mq_send");
}

static int32_t receive_message(void *context, uint8_t *buffer) {
    struct queues *q = context;
    unsigned prio;
    ssize_t n = mq_receive(q->in, (char *) buffer, PIPC_BENCH_MAX_SIZE, &prio);
    if (n < 0) die("mq_receive");
    return (int32_t) n;
}

int main(int argc, char **argv) {
    if (argc != 9) {
        fprintf(stderr, "usage: mq_bench ping|pong SPEC ID rtt|tput SIZE WARMUP_MS MEASURE ITERATIONS\n");
        return 1;
    }
    pipc_bench_watchdog(300);
    int ping = strcmp(argv[1], "ping") == 0;
    char a[300], b[300];
    snprintf(a, sizeof a, "/pipc-bench-%s-mq-a", argv[3]);
    snprintf(b, sizeof b, "/pipc-bench-%s-mq-b", argv[3]);
    struct queues q = {mq_open(ping ? a : b, O_WRONLY), mq_open(ping ? b : a, O_RDONLY)};
    if (q.out == (mqd_t) -1 || q.in == (mqd_t) -1) die("mq_open");
    struct pipc_bench_ops ops = {"c-mq", &q, send_message, receive_message, NULL, NULL};
    return pipc_bench_main(&ops, ping, argc, argv);
}
