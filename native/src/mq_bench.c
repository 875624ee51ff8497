/*
 * mq_bench - the C side of the harness's message-queue benchmark: the same ping-pong and burst
 * as org.panamaipc.bench.BenchPeer over the same two POSIX message queues, in C, as the floor the
 * Java binding is compared with.
 *
 *   mq_bench ping|pong SPEC ID rtt|tput SIZE WARMUP COUNT
 *
 * The queues /pipc-bench-ID-mq-a (ping to pong) and /pipc-bench-ID-mq-b (pong to ping) exist
 * already (the harness creates them). pong prints "READY cpus=..." when it has opened them; ping
 * prints one RESULT line in BenchPeer's format. Exit 0 on success, 1 on an error, 9 from the
 * watchdog (alarm) after 300 s.
 */
#include "panama_ipc.h"
#include "pipc_bench.h"

#define MAX_SIZE 65536

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}




static void die(const char *what) {
    perror(what);
    exit(1);
}


int main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: mq_bench ping|pong SPEC ID rtt|tput SIZE WARMUP COUNT\n");
        return 1;
    }
    pipc_bench_watchdog(300);
    int ping = strcmp(argv[1], "ping") == 0;
    const char *id = argv[3];
    int rtt = strcmp(argv[4], "rtt") == 0;
    long size = atol(argv[5]), warmup = atol(argv[6]), count = atol(argv[7]);
    if (size < 0 || size > MAX_SIZE) {
        fprintf(stderr, "size %ld out of range\n", size);
        return 1;
    }
    char a[300], b[300];
    snprintf(a, sizeof a, "/pipc-bench-%s-mq-a", id);
    snprintf(b, sizeof b, "/pipc-bench-%s-mq-b", id);
    mqd_t out = mq_open(ping ? a : b, O_WRONLY);
    mqd_t in = mq_open(ping ? b : a, O_RDONLY);
    if (out == (mqd_t) -1 || in == (mqd_t) -1) die("mq_open");
    static char msg[MAX_SIZE], buf[MAX_SIZE];
    char where[256];
    pipc_bench_cpus(where, sizeof where);
    unsigned prio;
    if (!ping) {
        printf("READY cpus=%s\n", where);
        fflush(stdout);
        if (rtt) {
            for (long i = 0; i < warmup + count; i++) {
                ssize_t n = mq_receive(in, buf, sizeof buf, &prio);
                if (n < 0) die("mq_receive");
                if (mq_send(out, buf, (size_t) n, 0) != 0) die("mq_send");
            }
        } else {
            for (int phase = 0; phase < 2; phase++) {
                long k = phase == 0 ? warmup : count;
                for (long i = 0; i < k; i++) {
                    if (mq_receive(in, buf, sizeof buf, &prio) < 0) die("mq_receive");
                }
                if (mq_send(out, buf, 8, 0) != 0) die("mq_send");
            }
        }
        return 0;
    }
    if (rtt) {
        long long *t = malloc(sizeof(long long) * (size_t) count);
        if (!t) die("malloc");
        for (long i = 0; i < warmup + count; i++) {
            if (size >= 8) memcpy(msg, &i, sizeof i);
            long long start = now_ns();
            if (mq_send(out, msg, (size_t) size, 0) != 0) die("mq_send");
            ssize_t n = mq_receive(in, buf, sizeof buf, &prio);
            long long ns = now_ns() - start;
            if (n != size || (size >= 8 && memcmp(buf, &i, sizeof i) != 0)) {
                fprintf(stderr, "round trip %ld came back wrong\n", i);
                return 1;
            }
            if (i >= warmup) {
                t[i - warmup] = ns;
            }
        }
        pipc_bench_print_rtt("c-mq", size, t, count, where);
        free(t);
    } else {
        long long start = 0;
        for (int phase = 0; phase < 2; phase++) {
            long k = phase == 0 ? warmup : count;
            if (phase == 1) start = now_ns();
            for (long i = 0; i < k; i++) {
                if (size >= 8) memcpy(msg, &i, sizeof i);
                if (mq_send(out, msg, (size_t) size, 0) != 0) die("mq_send");
            }
            if (mq_receive(in, buf, sizeof buf, &prio) < 0) die("mq_receive");
        }
        long long ns = now_ns() - start;
        printf("RESULT transport=c-mq mode=tput size=%ld count=%ld nanos=%lld msgs_per_s=%.0f cpus=%s\n",
               size, count, ns, (double) count / ((double) ns / 1e9), where);
    }
    return 0;
}
