/* Engine benchmark: N simulated threads that each sleep, wake and sleep again
 * (exponential sleeps with mean N x 1 us, so about one wake per simulated
 * microsecond whatever N), run through sim_thread_sleep. Prints engine events per
 * second of wall time and of CPU time at each N, and the ratio of the smallest N
 * to the largest: with 10 million threads every wake touches a thread that is
 * not in cache. The CPU-time rate is the figure to compare on a shared machine
 * (wall time moves with other processes' load); the last line gives the ratio
 * smallest/largest of it, which issue 14 wants at most 2. The last column is the
 * minor page faults of the timed run (fresh memory touched: 4 KiB each). Prints figures only;
 * it asserts nothing about timings.
 * Usage: bench-engine-threads [--sizes N,N,...] [--events N] */
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

#include "sim/engine/sim-engine.h"
#include "sim/engine/sim-thread.h"

typedef struct {
    uint64_t state; /* xorshift state */
    double mean_ns; /* mean sleep */
} Sleeper;

static double clock_s(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The minor page faults of the process so far. */
static long minor_faults(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_minflt;
}

static SimTime draw(Sleeper *s) {
    s->state ^= s->state << 13;
    s->state ^= s->state >> 7;
    s->state ^= s->state << 17;
    double u = ((double)(s->state >> 11) + 0.5) / 9007199254740992.0;
    return (SimTime)(-log(u) * s->mean_ns) + 1;
}

static void body(SimThread *thread, int32_t status, gpointer data) {
    (void)status;
    sim_thread_sleep(thread, draw(data));
}

/* Runs @events wakes with @n threads; returns events per CPU second. */
static double run(uint64_t n, uint64_t events) {
    g_autoptr(SimEngine) e = sim_engine_new();
    g_autofree Sleeper *s = g_new(Sleeper, 1);
    *s = (Sleeper){0x9E3779B97F4A7C15ULL, (double)n * 1000.0};
    for (uint64_t i = 0; i < n; i++)
        sim_thread_spawn(e, "t", body, s, NULL);
    /* Warm up: every thread starts and reaches its first sleep. */
    sim_engine_run(e, SIM_TIME_INVALID, n);
    long f0 = minor_faults();
    double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    sim_engine_run(e, SIM_TIME_INVALID, events);
    double wall = clock_s(CLOCK_MONOTONIC) - w0, cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    printf("%-10" G_GUINT64_FORMAT " %14.2f %14.2f %12ld\n", n, (double)events / wall / 1e6,
           (double)events / cpu / 1e6, minor_faults() - f0);
    fflush(stdout);
    return (double)events / cpu;
}

int main(int argc, char **argv) {
    uint64_t sizes[8] = {10000, 1000000, 10000000}, events = 5000000;
    unsigned n = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (g_str_equal(argv[i], "--events")) {
            events = g_ascii_strtoull(argv[i + 1], NULL, 10);
        } else if (g_str_equal(argv[i], "--sizes")) {
            g_auto(GStrv) parts = g_strsplit(argv[i + 1], ",", 8);
            for (n = 0; parts[n] != NULL; n++)
                sizes[n] = g_ascii_strtoull(parts[n], NULL, 10);
        }
    }
    printf("# sleeping threads: exponential sleeps, mean = threads x 1 us; %" G_GUINT64_FORMAT
           " events per size\n",
           events);
    printf("%-10s %14s %14s %12s\n", "threads", "M events/s", "M events/cpu-s", "minor faults");
    double first = 0, last = 0;
    for (unsigned i = 0; i < n; i++) {
        last = run(sizes[i], events);
        if (i == 0)
            first = last;
    }
    if (n > 1)
        printf("ratio %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT
               " threads: %.2fx slower per event (CPU time; target <= 2)\n",
               sizes[n - 1], sizes[0], first / last);
    return 0;
}
