/*
 * pipc_bench.h - what the C benchmark peers (mq_bench, ring_bench) share with each other and with
 * the Java harness's format: the CPUs this process may use, the watchdog, exact percentiles of
 * sorted samples, and the RESULT line of a round-trip run.
 */
#ifndef PIPC_BENCH_H
#define PIPC_BENCH_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Sorts the n round-trip samples and prints BenchPeer's RESULT line for them. */
static inline void pipc_bench_print_rtt(const char *transport, long size, long long *samples, long n,
                                        const char *cpus) {
    double sum = 0;
    for (long i = 0; i < n; i++) sum += (double) samples[i];
    qsort(samples, (size_t) n, sizeof *samples, pipc_bench_cmp);
    printf("RESULT transport=%s mode=rtt size=%ld count=%ld p50=%lld p90=%lld p99=%lld p999=%lld max=%lld"
           " mean=%.0f cpus=%s\n", transport, size, n, pipc_bench_pct(samples, n, 50), pipc_bench_pct(samples, n, 90),
           pipc_bench_pct(samples, n, 99), pipc_bench_pct(samples, n, 99.9), samples[n - 1], sum / (double) n, cpus);
}

#endif /* PIPC_BENCH_H */
