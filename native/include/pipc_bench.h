/*
 * pipc_bench.h - what the C benchmark peers (mq_bench, ring_bench) share with each other and with
 * the Java harness: the CPUs this process may use, the watchdog, exact percentiles of sorted
 * samples, and the ping and pong loops of org.panamaipc.bench.BenchPeer's protocol, written once
 * over a transport's send and receive. Both peers take the arguments
 *
 *   PROGRAM ping|pong SPEC ID MODE SIZE WARMUP_MS MEASURE ITERATIONS
 *
 * MODE is rtt, tput, rtt-paceNus (the ping spins N microseconds on the clock before each timed
 * round trip) or tput-batchN (N messages per send and up to N per receive, through the
 * transport's send_batch and receive_batch where it has them).
 * and do what BenchPeer does with them (see its Javadoc): every message is at least 8 bytes and
 * starts with the ping's message number or a control word (PIPC_BENCH_ACK_REQUEST,
 * PIPC_BENCH_STOP); warm-up is by time; rtt times MEASURE round trips, tput ITERATIONS runs of
 * MEASURE milliseconds each and reports the median.
 */
#ifndef PIPC_BENCH_H
#define PIPC_BENCH_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "pipc_segment_ops.h"

/* Copies the Cpus_allowed_list of /proc/self/status into out, or "?". */
static inline void pipc_bench_cpus(char *out, size_t n) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    snprintf(out, n, "?");
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "Cpus_allowed_list:", 18) == 0) {
            char *v = line + 18;
            while (*v == ' ' || *v == '\t') v++;
            v[strcspn(v, "\n")] = 0;
            snprintf(out, n, "%s", v);
        }
    }
    fclose(f);
}

static inline void pipc_bench_on_alarm(int sig) {
    (void) sig;
    static const char msg[] = "watchdog: still running after the deadline\n";
    if (write(1, msg, sizeof msg - 1) < 0) { /* nothing more to do */ }
    _exit(9);
}

/* Ends the process with exit code 9 after seconds, whatever it is doing. */
static inline void pipc_bench_watchdog(unsigned seconds) {
    signal(SIGALRM, pipc_bench_on_alarm);
    alarm(seconds);
}

static inline int pipc_bench_cmp(const void *a, const void *b) {
    long long x = *(const long long *) a, y = *(const long long *) b;
    return (x > y) - (x < y);
}

/* the p-th percentile of n sorted samples (nearest rank) */
static inline long long pipc_bench_pct(const long long *sorted, long n, double p) {
    long i = (long) (p / 100.0 * (double) n + 0.5) - 1;
    if (i < 0) i = 0;
    if (i >= n) i = n - 1;
    return sorted[i];
}

#define PIPC_BENCH_ACK_REQUEST (-1LL)
#define PIPC_BENCH_STOP (-2LL)
#define PIPC_BENCH_CHUNK 1024
#define PIPC_BENCH_MAX_SIZE 65536

/* A transport as the loops below use it; both functions wait as long as it takes, and exit(1) on an error. */
struct pipc_bench_ops {
    const char *transport;
    void *context;
    void (*send)(void *context, const uint8_t *message, int32_t size);
    int32_t (*receive)(void *context, uint8_t *buffer); /* the length received */
    /* optional (NULL: one at a time): sends count messages of size bytes in order; receives 1..limit,
       each copied to buffer in turn, and returns how many */
    void (*send_batch)(void *context, const uint8_t *const *messages, int count, int32_t size);
    int (*receive_batch)(void *context, uint8_t *buffer, int limit);
};

#define PIPC_BENCH_MAX_BATCH 1024


static inline void pipc_bench_fail(const char *what) {
    fprintf(stderr, "bench: %s\n", what);
    exit(1);
}

static inline long long pipc_bench_word(const uint8_t *message) {
    long long word;
    memcpy(&word, message, sizeof word);
    return word;
}

/* The pong: echoes every message (rtt) or answers the control words (tput), until STOP. */
static inline __attribute__((always_inline)) void pipc_bench_pong(const struct pipc_bench_ops *ops, int echo,
                                                                   uint8_t *buffer, int batch) {
    while (1) {
        int32_t length;
        if (batch > 1 && ops->receive_batch != NULL) {
            ops->receive_batch(ops->context, buffer, batch); /* a control word is the last of its batch */
            length = 8;
        } else {
            length = ops->receive(ops->context, buffer);
        }
        long long word = pipc_bench_word(buffer);
        if (echo) {
            ops->send(ops->context, buffer, length);
        } else if (word == PIPC_BENCH_ACK_REQUEST || word == PIPC_BENCH_STOP) {
            ops->send(ops->context, buffer, 8);
        }
        if (word == PIPC_BENCH_STOP) {
            return;
        }
    }
}

/* Sends a control word and waits for the answer. */
static inline __attribute__((always_inline)) void pipc_bench_control(const struct pipc_bench_ops *ops,
        uint8_t *message, uint8_t *buffer, int32_t size, long long word) {
    memcpy(message, &word, sizeof word);
    ops->send(ops->context, message, size);
    ops->receive(ops->context, buffer);
    if (pipc_bench_word(buffer) != word) pipc_bench_fail("the pong answered a control word wrongly");
}

static inline __attribute__((always_inline)) long long pipc_bench_round_trip(const struct pipc_bench_ops *ops,
        uint8_t *message, uint8_t *buffer, int32_t size, long long i) {
    memcpy(message, &i, sizeof i);
    long long start = pipc_monotonic_ns();
    ops->send(ops->context, message, size);
    int32_t n = ops->receive(ops->context, buffer);
    long long ns = pipc_monotonic_ns() - start;
    if (n != size || pipc_bench_word(buffer) != i) pipc_bench_fail("a round trip came back wrong");
    return ns;
}

/* Sends for at least nanos, then waits for the acknowledgement; returns the messages sent, the request included. */
static inline __attribute__((always_inline)) long long pipc_bench_blast(const struct pipc_bench_ops *ops,
        uint8_t *message, uint8_t *buffer, int32_t size, long long nanos, long long first, int batch,
        uint8_t *const *messages) {
    long long start = pipc_monotonic_ns();
    long long i = first;
    do {
        if (batch > 1) {
            for (int k = 0; k < PIPC_BENCH_CHUNK; k += batch) {
                int n = PIPC_BENCH_CHUNK - k < batch ? PIPC_BENCH_CHUNK - k : batch;
                for (int m = 0; m < n; m++) {
                    memcpy(messages[m], &i, sizeof i);
                    i++;
                }
                if (ops->send_batch != NULL) {
                    ops->send_batch(ops->context, (const uint8_t *const *) messages, n, size);
                } else {
                    for (int m = 0; m < n; m++) ops->send(ops->context, messages[m], size);
                }
            }
        } else {
            for (int k = 0; k < PIPC_BENCH_CHUNK; k++) {
                memcpy(message, &i, sizeof i);
                i++;
                ops->send(ops->context, message, size);
            }
        }
    } while (pipc_monotonic_ns() - start < nanos);
    pipc_bench_control(ops, message, buffer, size, PIPC_BENCH_ACK_REQUEST);
    return i - first + 1;
}

static inline int pipc_bench_cmp_double(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

/*
 * Runs one peer: parses argv (see the top of this file), prints READY (pong) or the RESULT line
 * (ping), and returns the exit code. Inlined into each program, so the calls through ops are direct.
 */
static inline __attribute__((always_inline)) int pipc_bench_main(const struct pipc_bench_ops *ops, int ping,
                                                                  int argc, char **argv) {
    const char *mode = argv[4];
    long size = atol(argv[5]), warmup_ms = atol(argv[6]), measure = atol(argv[7]), iterations = atol(argv[8]);
    (void) argc;
    if (size < 8 || size > PIPC_BENCH_MAX_SIZE) pipc_bench_fail("size out of range 8..65536");
    if (measure < 1) pipc_bench_fail("MEASURE must be at least 1");
    static uint8_t message[PIPC_BENCH_MAX_SIZE], buffer[PIPC_BENCH_MAX_SIZE];
    char where[256];
    pipc_bench_cpus(where, sizeof where);
    int rtt = strncmp(mode, "rtt", 3) == 0;
    long long pace_ns = strncmp(mode, "rtt-pace", 8) == 0 ? atoll(mode + 8) * 1000LL : 0;
    int batch = strncmp(mode, "tput-batch", 10) == 0 ? atoi(mode + 10) : 1;
    if (batch < 1 || batch > PIPC_BENCH_MAX_BATCH) pipc_bench_fail("batch out of range 1..1024");
    if (!ping) {
        printf("READY cpus=%s\n", where);
        fflush(stdout);
        pipc_bench_pong(ops, rtt, buffer, batch);
        return 0;
    }
    uint8_t **messages = malloc(sizeof(uint8_t *) * (size_t) batch);
    uint8_t *all = malloc((size_t) size * (size_t) batch);
    if (!messages || !all) pipc_bench_fail("out of memory");
    for (int k = 0; k < batch; k++) messages[k] = all + (size_t) k * (size_t) size;
    long long warmup_ns = (long long) warmup_ms * 1000000LL;
    if (rtt) {
        long long *t = malloc(sizeof(long long) * (size_t) measure);
        if (!t) pipc_bench_fail("out of memory");
        long long i = 0, start = pipc_monotonic_ns();
        while (pipc_monotonic_ns() - start < warmup_ns) {
            pipc_bench_round_trip(ops, message, buffer, (int32_t) size, i++);
        }
        long long warmups = i;
        for (long k = 0; k < measure; k++) {
            if (pace_ns > 0) {
                long long until = pipc_monotonic_ns() + pace_ns;
                while (pipc_monotonic_ns() - until < 0) __builtin_ia32_pause();
            }
            t[k] = pipc_bench_round_trip(ops, message, buffer, (int32_t) size, i++);
        }
        pipc_bench_control(ops, message, buffer, (int32_t) size, PIPC_BENCH_STOP);
        double sum = 0;
        for (long k = 0; k < measure; k++) sum += (double) t[k];
        qsort(t, (size_t) measure, sizeof *t, pipc_bench_cmp);
        printf("RESULT transport=%s mode=%s size=%ld count=%ld warmup=%lld p50=%lld p90=%lld p99=%lld p999=%lld"
               " max=%lld mean=%.0f cpus=%s\n", ops->transport, mode, size, measure, warmups, pipc_bench_pct(t, measure, 50),
               pipc_bench_pct(t, measure, 90), pipc_bench_pct(t, measure, 99), pipc_bench_pct(t, measure, 99.9),
               t[measure - 1], sum / (double) measure, where);
        free(t);
    } else {
        if (iterations < 1 || iterations > 100) pipc_bench_fail("iterations out of range 1..100");
        double rates[100], sorted[100];
        long long warmups = pipc_bench_blast(ops, message, buffer, (int32_t) size, warmup_ns, 0, batch, messages);
        long long sequence = warmups;
        for (long k = 0; k < iterations; k++) {
            long long start = pipc_monotonic_ns();
            long long sent = pipc_bench_blast(ops, message, buffer, (int32_t) size, measure * 1000000LL, sequence, batch,
                                              messages);
            long long ns = pipc_monotonic_ns() - start;
            sequence += sent;
            rates[k] = (double) sent / ((double) ns / 1e9);
            sorted[k] = rates[k];
        }
        pipc_bench_control(ops, message, buffer, (int32_t) size, PIPC_BENCH_STOP);
        qsort(sorted, (size_t) iterations, sizeof *sorted, pipc_bench_cmp_double);
        printf("RESULT transport=%s mode=%s size=%ld count=%lld warmup=%lld msgs_per_s=%.0f msgs_per_s_min=%.0f"
               " msgs_per_s_max=%.0f iterations=", ops->transport, mode, size, sequence - warmups, warmups,
               sorted[iterations / 2], sorted[0], sorted[iterations - 1]);
        for (long k = 0; k < iterations; k++) printf("%s%.0f", k == 0 ? "" : ",", rates[k]);
        printf(" cpus=%s\n", where);
    }
    free(messages);
    free(all);
    fflush(stdout);
    return 0;
}

#endif /* PIPC_BENCH_H */
