/* bench-engine-queue.c: schedule+pop throughput of the engine's event queue.
 *
 * The hold model: pre-fill N pending events at random times, run N pairs to reach
 * the steady state, then time windows of "pop the minimum, schedule a new event
 * at now + a random delay", which keeps exactly N pending. Delays are exponential
 * with mean N x 1 us (so about 1 us of simulated time passes per pop), drawn from
 * a small quantile table so the generator costs a few ns. Each size reports
 * the median of several windows for SimQueue (the radix heap) and for a plain
 * binary heap of (time, seq) written here as the baseline, and the queue's
 * memory (sim_queue_get_memory) per pending event. A last line times the
 * same hold model through SimEngine (a handler that reschedules itself).
 * Rates are per second of this process's CPU time (user + system), which moves
 * far less than wall time when other processes share the machine. Clocks are
 * read here only; the figures are printed, never asserted.
 *
 * Usage: bench-engine-queue [--quick] [--no-heap] [--windows N] [--pairs N]
 *        [--sizes N,N,...] */
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sim/engine/sim-engine.h"
#include "sim/engine/sim-queue.h"
#include "sim/engine/sim-rng.h"

#define TABLE_BITS 10
#define TABLE_SIZE (1u << TABLE_BITS)
#define FRAC_BITS  16 /* (bin width) * 2^16 stays below 2^64 even for the last bin at 10M. */

typedef struct {
    SimRng rng;                    /* Picks table entries. */
    SimTime table[TABLE_SIZE + 1]; /* Exponential quantiles at i / TABLE_SIZE. */
} Delays;

typedef struct {
    uint64_t key; /* Event time. */
    uint64_t seq; /* Tie-breaker. */
} HeapItem;

typedef struct {
    HeapItem *v;  /* 0-based binary heap. */
    size_t len;   /* Items held. */
    size_t cap;   /* Items allocated. */
    uint64_t seq; /* Next seq. */
} Heap;

static double cpu_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Why: a libm log() per draw would cost as much as the queue operations being
 * measured, so delays come from an 8 KB table of exponential quantiles with
 * linear interpolation inside each bin (the last bin is cut at p = 1 - 2^-20). */
static void delays_init(Delays *d, uint64_t pending) {
    double mean = (double)pending * (double)SIM_USEC;
    sim_rng_init(&d->rng, 42, "bench");
    for (unsigned i = 0; i < TABLE_SIZE; i++)
        d->table[i] = (SimTime)llround(-mean * log1p(-(double)i / TABLE_SIZE));
    d->table[TABLE_SIZE] = (SimTime)llround(mean * 20 * log(2.0));
}

static inline SimTime delay_next(Delays *d) {
    uint64_t r = sim_rng_next_u64(&d->rng);
    unsigned i = (unsigned)(r >> (64 - TABLE_BITS));
    uint64_t frac = (r >> (64 - TABLE_BITS - FRAC_BITS)) & ((1u << FRAC_BITS) - 1);
    return d->table[i] + (((d->table[i + 1] - d->table[i]) * frac) >> FRAC_BITS);
}

static inline int heap_less(const HeapItem *a, const HeapItem *b) {
    return a->key < b->key || (a->key == b->key && a->seq < b->seq);
}

static void heap_push(Heap *h, uint64_t key) {
    if (h->len == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 64;
        h->v = g_renew(HeapItem, h->v, h->cap);
    }
    HeapItem it = {key, h->seq++};
    size_t i = h->len++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!heap_less(&it, &h->v[p]))
            break;
        h->v[i] = h->v[p];
        i = p;
    }
    h->v[i] = it;
}

static uint64_t heap_pop(Heap *h) {
    uint64_t top = h->v[0].key;
    HeapItem last = h->v[--h->len];
    size_t i = 0, n = h->len;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && heap_less(&h->v[c + 1], &h->v[c]))
            c++;
        if (!heap_less(&h->v[c], &last))
            break;
        h->v[i] = h->v[c];
        i = c;
    }
    h->v[i] = last;
    return top;
}

static void dummy_fn(SimEngine *engine, gpointer data) {
    (void)engine;
    (void)data;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, unsigned n) {
    qsort(v, n, sizeof *v, cmp_double);
    return v[n / 2];
}

static uint64_t sink;

static void radix_pairs(SimQueue *q, Delays *d, uint64_t pairs) {
    SimTime t;
    SimEventFn fn;
    gpointer data;
    GDestroyNotify destroy;
    for (uint64_t i = 0; i < pairs; i++) {
        sim_queue_pop(q, SIM_TIME_INVALID, &t, &fn, &data, &destroy);
        sink += t;
        sim_queue_push(q, t + delay_next(d), dummy_fn, NULL, NULL);
    }
}

/* Runs the hold model on SimQueue; returns pairs per second (median window) and
 * stores the queue's bytes per pending event at the end in *@bytes. */
static double bench_radix(uint64_t pending, uint64_t pairs, unsigned windows, double *bytes) {
    g_autofree Delays *d = g_new(Delays, 1);
    g_autoptr(SimQueue) q = sim_queue_new();
    double rates[16];
    delays_init(d, pending);
    for (uint64_t i = 0; i < pending; i++)
        sim_queue_push(q, delay_next(d), dummy_fn, NULL, NULL);
    radix_pairs(q, d, MIN(pending, pairs));
    for (unsigned w = 0; w < windows; w++) {
        double t0 = cpu_s();
        radix_pairs(q, d, pairs);
        rates[w] = (double)pairs / (cpu_s() - t0);
    }
    *bytes = (double)sim_queue_get_memory(q) / (double)pending;
    return median(rates, windows);
}

static void heap_pairs(Heap *h, Delays *d, uint64_t pairs) {
    for (uint64_t i = 0; i < pairs; i++) {
        uint64_t t = heap_pop(h);
        sink += t;
        heap_push(h, t + delay_next(d));
    }
}

static double bench_heap(uint64_t pending, uint64_t pairs, unsigned windows) {
    g_autofree Delays *d = g_new(Delays, 1);
    Heap h = {0};
    double rates[16];
    delays_init(d, pending);
    for (uint64_t i = 0; i < pending; i++)
        heap_push(&h, delay_next(d));
    heap_pairs(&h, d, MIN(pending, pairs));
    for (unsigned w = 0; w < windows; w++) {
        double t0 = cpu_s();
        heap_pairs(&h, d, pairs);
        rates[w] = (double)pairs / (cpu_s() - t0);
    }
    g_free(h.v);
    return median(rates, windows);
}

/* The engine variant: every handler reschedules itself after a random delay. */
static void engine_fn(SimEngine *engine, gpointer data) {
    Delays *d = data;
    sim_engine_schedule_in(engine, delay_next(d), engine_fn, d, NULL);
}

static double bench_engine(uint64_t pending, uint64_t pairs) {
    g_autofree Delays *d = g_new(Delays, 1);
    g_autoptr(SimEngine) e = sim_engine_new();
    delays_init(d, pending);
    for (uint64_t i = 0; i < pending; i++)
        sim_engine_schedule(e, delay_next(d), engine_fn, d, NULL);
    sim_engine_run(e, SIM_TIME_INVALID, MIN(pending, pairs));
    double t0 = cpu_s();
    sim_engine_run(e, SIM_TIME_INVALID, pairs);
    return (double)pairs / (cpu_s() - t0);
}

static gboolean parse_sizes(const char *arg, uint64_t *sizes, unsigned *n) {
    g_auto(GStrv) parts = g_strsplit(arg, ",", 8);
    *n = 0;
    for (unsigned i = 0; parts[i] != NULL && i < 8; i++) {
        sizes[i] = g_ascii_strtoull(parts[i], NULL, 10);
        if (sizes[i] == 0)
            return FALSE;
        (*n)++;
    }
    return *n > 0;
}

int main(int argc, char **argv) {
    uint64_t sizes[8] = {1000, 100000, 10000000};
    unsigned n_sizes = 3, windows = 3;
    uint64_t pairs = 5000000;
    gboolean heap = TRUE;
    double radix_rate[8], heap_rate[8], bytes[8];
    for (int i = 1; i < argc; i++) {
        if (g_str_equal(argv[i], "--quick")) {
            pairs = 1000000;
            windows = 1;
        } else if (g_str_equal(argv[i], "--no-heap")) {
            heap = FALSE;
        } else if (g_str_equal(argv[i], "--windows") && i + 1 < argc) {
            int w = atoi(argv[++i]);
            windows = (unsigned)CLAMP(w, 1, 15);
        } else if (g_str_equal(argv[i], "--pairs") && i + 1 < argc) {
            pairs = g_ascii_strtoull(argv[++i], NULL, 10);
        } else if (!(g_str_equal(argv[i], "--sizes") && i + 1 < argc &&
                     parse_sizes(argv[++i], sizes, &n_sizes))) {
            fprintf(stderr,
                    "usage: %s [--quick] [--no-heap] [--windows N] [--pairs N] "
                    "[--sizes N,N,...]\n",
                    argv[0]);
            return 2;
        }
    }
    printf("# hold model: exponential delays, mean = pending x 1 us; rates per CPU second; "
           "%" G_GUINT64_FORMAT " pairs per window, median of %u windows\n",
           pairs, windows);
    printf("%-10s %22s %26s %18s\n", "pending", "radix heap (M pairs/s)", "binary heap (M pairs/s)",
           "radix bytes/event");
    for (unsigned i = 0; i < n_sizes; i++) {
        radix_rate[i] = bench_radix(sizes[i], pairs, windows, &bytes[i]);
        heap_rate[i] = heap ? bench_heap(sizes[i], pairs, windows) : 0;
        printf("%-10" G_GUINT64_FORMAT " %22.2f %26.2f %18.1f\n", sizes[i], radix_rate[i] / 1e6,
               heap_rate[i] / 1e6, bytes[i]);
        fflush(stdout);
    }
    printf("ratio %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT ": radix %.2fx slower, "
           "binary heap %.2fx slower\n",
           sizes[n_sizes - 1], sizes[0], radix_rate[0] / radix_rate[n_sizes - 1],
           heap ? heap_rate[0] / heap_rate[n_sizes - 1] : 0.0);
    printf("targets: >= 15M pairs/s at %" G_GUINT64_FORMAT ": %s; ratio <= 3: %s\n", sizes[0],
           radix_rate[0] >= 15e6 ? "met" : "NOT met",
           radix_rate[0] / radix_rate[n_sizes - 1] <= 3.0 ? "met" : "NOT met");
    printf("engine run loop (handler reschedules itself), %" G_GUINT64_FORMAT
           " pending: %.2f M events/s\n",
           sizes[0], bench_engine(sizes[0], pairs) / 1e6);
    printf("# checksum %" G_GUINT64_FORMAT "\n", sink);
    return 0;
}
