/* tests/bench/report/bench-report-record.c: what sim/report costs per fault
 * with the trace off: the calls the model makes for one fault, in its order,
 * on a run-time timeline (from 1 us, coarsened to stay within 500 intervals
 * as a run's is; 8 pager workers, one VMO)
 * and on the run's figures (one workload): the request (waiting +1,
 * outstanding and queued), the dequeue (queued), the supply (outstanding,
 * queued unchanged), the served line, the wake (waiting -1), the fault's
 * latency in its interval and the access in the figures. Faults follow one
 * another (the calls' times never go back), with latencies of 1 to 131 us and
 * 1 us between them.
 * Prints ns per fault for 10^7 faults (best of 3); never fails on timings.
 */
#include <stdio.h>
#include <time.h>

#include "sim/report/rep-figures.h"
#include "sim/report/rep-timeline-direct.h"

enum { FAULTS = 10000000, WORKERS = 8 };

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One run; returns the seconds it took and adds a checksum to *@sum. */
static double run_once(uint64_t *sum) {
    RepTimeline *tl = rep_timeline_new(0, 1000, 1);
    rep_timeline_set_max(tl, 500); /* as a run does (cli-run-data.c) */
    guint prov = rep_timeline_add_provider(tl, "pager", WORKERS);
    rep_timeline_direct_init(tl, 1);
    RepFigures f = {0};
    rep_figures_init(&f, 1, 1);
    uint64_t x = 88172645463325252ull, out = 0, t = 0;
    double t0 = now_s();
    for (uint64_t k = 0; k < FAULTS; k++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        uint64_t lat = 1000 + (x & 0x1ffff);
        guint wk = (guint)(k % WORKERS);
        rep_timeline_waiting_add(tl, t, +1);
        rep_timeline_counters(tl, t, 0, REP_TL_HAS_OUT | REP_TL_HAS_PORT, ++out, 1, 0);
        rep_timeline_dequeue(tl, t + 10, prov, wk, TRUE);
        rep_timeline_counters(tl, t + 10, 0, REP_TL_HAS_PORT, 0, 0, 0);
        rep_timeline_counters(tl, t + lat, 0, REP_TL_HAS_OUT | REP_TL_HAS_PORT, --out, 0, 0);
        rep_timeline_served(tl, t + lat, prov, wk);
        rep_timeline_waiting_add(tl, t + lat, -1);
        rep_timeline_fault_done(tl, t + lat, lat, FALSE);
        rep_figures_record_access(&f, 0, "ZX_OK", TRUE, TRUE, 1, lat, t + lat);
        t += lat + 1000;
    }
    double took = now_s() - t0;
    rep_timeline_finish(tl, t);
    rep_figures_finish(&f, t, TRUE);
    *sum += f.all.faults + (uint64_t)rep_timeline_gauge(tl, REP_TL_WAITING, 7).max;
    rep_figures_clear(&f);
    rep_timeline_free(tl);
    return took;
}

int main(void) {
    uint64_t sum = 0;
    double best = 1e9;
    for (int r = 0; r < 3; r++) {
        double s = run_once(&sum);
        best = s < best ? s : best;
    }
    printf("report-record: %.1f ns per fault (timeline and figures, trace off; best of 3 runs "
           "of %d faults; checksum %" G_GUINT64_FORMAT ")\n",
           best * 1e9 / FAULTS, FAULTS, sum);
    return 0;
}
