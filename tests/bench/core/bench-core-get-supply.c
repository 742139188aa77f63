/* tests/bench/core/bench-core-get-supply.c: the cost of one GetPage plus the
 * OnPagesSupplied that completes it, with 1,000 and with 1,000,000 other
 * outstanding requests in the tree. Target: the second within 2x of the first.
 *
 * The other requests are one-page heads on the odd pages; the measured
 * request faults an even page (a gap), so every operation inserts a head next
 * to existing ones, finds it again and erases it. The outstanding tree is a
 * 64-way radix tree over end pages (core/request-tree.c): 2 levels for 1,000
 * heads (end pages below 4,096), 4 for 1,000,000 (below 2^24). Four orders of
 * gaps:
 * - same: one gap in the middle, again and again; everything stays in L1, so
 *   this isolates the algorithmic cost (two more levels per descent);
 * - hot64: 64 gaps spread over the whole key space, cycled; 64 paths of 4
 *   nodes, in L1 or L2;
 * - sequential: every gap in turn, as a sequential reader faults; each
 *   operation touches a request never touched in the last million operations
 *   (a compulsory miss, streamed by the prefetcher) and a new leaf every 32;
 * - random: uniformly random gaps. GetPage asks whether the fault lies in the
 *   head after the gap (core/README.md §2.3) only as far as the longest head
 *   could reach (one page here), so it no longer reads that head, a random
 *   request among 1,000,000 (144 MB); the leaves it walks (18 MB) and the
 *   supply, which reads and completes the measured request, still miss to
 *   DRAM (at 1,000 everything sits in L2). This order is reported, not held
 *   to the target.
 * Two providers: a no-op stub, and the real PagerProxy + port (the measured
 * request then waits in a FIFO behind the others and is unlinked on supply).
 * Prints figures, then one summary line per order (the worse of the two
 * providers) saying whether the 2x target is met; it never fails on timings.
 */
#include <stdio.h>
#include <time.h>

#include "core/page-source.h"
#include "core/pager-proxy.h"

static void nop_async(gpointer ctx, CoreReadRequest *r) {}

static void nop_pair(gpointer ctx, CoreReadRequest *a, CoreReadRequest *b) {}

static void nop(gpointer ctx) {}

static void nop_change(gpointer ctx, CorePageRequest *req) {}
static void nop_signal(gpointer ctx, CorePageRequest *req, CoreStatus status) {}

static const CorePageProviderOps stub_ops = {
    .get_page_async = nop_async,
    .clear_async_request = nop_async,
    .swap_request = nop_pair,
    .on_detach = nop,
    .on_close = nop,
    .on_dispatcher_close = nop,
};

static const CoreObserverOps events = {
    .on_sent = nop_change, .on_coalesced = nop_change, .on_signalled = nop_signal};

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

typedef enum { ORDER_SAME, ORDER_HOT64, ORDER_SEQUENTIAL, ORDER_RANDOM, ORDER_COUNT } Order;

static const char *const order_names[ORDER_COUNT] = {"same", "hot64", "sequential", "random"};

/* The gap of operation @i. */
static inline guint64 next_gap(Order order, guint64 n_others, guint64 i, guint64 *state) {
    switch (order) {
        case ORDER_SAME:
            return n_others / 2;
        case ORDER_HOT64:
            return (i % 64) * (n_others / 64) + n_others / 128;
        case ORDER_SEQUENTIAL:
            return i % n_others;
        default:
            *state ^= *state << 13;
            *state ^= *state >> 7;
            *state ^= *state << 17;
            return *state % n_others;
    }
}

/* Runs @iters operations on gaps in @order among @n_others outstanding heads;
 * returns ns per operation. */
static double run(CorePageSource *src, guint64 n_others, Order order, guint64 iters) {
    CorePageRequest req;
    guint64 state = 0x9e3779b97f4a7c15ull;
    core_page_request_construct(&req, FALSE);
    double start = now_ns();
    for (guint64 i = 0; i < iters; i++) {
        guint64 k = next_gap(order, n_others, i, &state);
        guint64 offset = 2 * k * CORE_PAGE_SIZE;
        if (core_page_source_get_page(src, offset, &req) != CORE_ERR_SHOULD_WAIT)
            g_error("GetPage did not ask to wait");
        core_page_source_on_pages_supplied(src, offset, CORE_PAGE_SIZE);
    }
    double elapsed = now_ns() - start;
    if (core_page_request_get_state(&req) != CORE_PAGE_REQUEST_INACTIVE)
        g_error("the supply did not complete the request");
    core_page_request_destroy(&req);
    return elapsed / (double)iters;
}

/* Measures one configuration: best of three runs, after a warm-up. */
static double measure(gboolean proxy, guint64 n_others, Order order) {
    g_autoptr(CorePort) port = core_port_new(NULL, NULL);
    CorePagerProxy *pp = proxy ? core_pager_proxy_new(port, 1) : NULL;
    CorePageSource *src = proxy
                              ? core_page_source_new(core_pager_proxy_get_ops(), pp, &events, NULL)
                              : core_page_source_new(&stub_ops, NULL, &events, NULL);
    CorePageRequest *others = g_new(CorePageRequest, n_others);
    const guint64 iters = 3000000;
    double best = G_MAXDOUBLE;

    for (guint64 i = 0; i < n_others; i++) {
        core_page_request_construct(&others[i], FALSE);
        core_page_source_get_page(src, (2 * i + 1) * CORE_PAGE_SIZE, &others[i]);
    }
    run(src, n_others, order, iters / 10);
    for (guint r = 0; r < 3; r++)
        best = MIN(best, run(src, n_others, order, iters));
    if (core_page_source_get_head_count(src) != n_others)
        g_error("the other requests did not stay outstanding");
    core_page_source_close(src);
    for (guint64 i = 0; i < n_others; i++)
        core_page_request_destroy(&others[i]);
    g_free(others);
    core_page_source_free(src);
    core_pager_proxy_free(pp);
    return best;
}

/* With no argument, every configuration; "stub|proxy ORDER N" measures one
 * (for profiling). */
int main(int argc, char **argv) {
    static const guint64 sizes[2] = {1000, 1000000};
    if (argc == 4) {
        Order order = ORDER_SAME;
        while (order < ORDER_RANDOM && !g_str_equal(argv[2], order_names[order]))
            order++;
        guint64 n = MAX(g_ascii_strtoull(argv[3], NULL, 10), 128);
        printf("%s %s %" G_GUINT64_FORMAT ": %.1f ns/op\n", argv[1], order_names[order], n,
               measure(g_str_equal(argv[1], "proxy"), n, order));
        return 0;
    }
    printf("core-get-supply: GetPage + the OnPagesSupplied that completes it (ns/op, best of 3)\n");
    printf("%-8s %-10s %10s %12s %8s\n", "provider", "order", "1,000", "1,000,000", "ratio");
    double worst[ORDER_COUNT] = {0};
    for (guint p = 0; p < 2; p++) {
        for (Order o = 0; o < ORDER_COUNT; o++) {
            double ns[2];
            for (guint s = 0; s < 2; s++)
                ns[s] = measure(p == 1, sizes[s], o);
            worst[o] = MAX(worst[o], ns[1] / ns[0]);
            printf("%-8s %-10s %10.1f %12.1f %7.2fx\n", p == 1 ? "proxy" : "stub", order_names[o],
                   ns[0], ns[1], ns[1] / ns[0]);
        }
    }
    printf("summary: 1,000,000 within 2x of 1,000 (worse provider per order; random is "
           "memory-bound, reported only)\n");
    for (Order o = 0; o < ORDER_COUNT; o++) {
        printf("  %-10s %6.2fx  %s\n", order_names[o], worst[o],
               worst[o] <= 2.0 ? "target met" : "target NOT met");
    }
    return 0;
}
