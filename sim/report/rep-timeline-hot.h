/* The part of a timeline that the inline calls of rep-timeline-direct.h work
 * on: RepTimelineHot, the first member of RepTimeline. Internal to sim/report/
 * (the types are here only so that those calls can be inline in the model).
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "sim/report/rep-hist-paged.h"
#include "sim/report/rep-timeline.h"

/* A gauge of the active interval (see rep-timeline-direct.c), its value and
 * interval i's figures in integers. The fields a change stores (v, since, area,
 * max) are kept apart by ones it only reads, so that the compiler stores each
 * with one plain move rather than pairing two in a vector register. */
typedef struct {
    uint64_t v;        /* the value */
    uint64_t bound;    /* values below it are kept here; 0: none (not active, not known,
                          or held since before lo: the slow path credits that first) */
    uint64_t since;    /* when v began (>= lo while bound != 0) */
    uint64_t known_ns; /* known_ns[i] when since was since0 */
    uint64_t area;     /* area[i] so far, value x ns */
    uint64_t since0;   /* so known_ns[i] is now known_ns + since - since0 */
    uint64_t max;      /* largest value held for a positive time in i since activation */
} RepTimelineLazy;

/* A provider's worker, as the busy figures follow it. A declared provider's
 * workers stay where rep_timeline_add_provider() put them until the timeline
 * is freed, so a caller may keep one's address (rep_timeline_worker_ref). */
typedef struct {
    uint64_t start;   /* when the service began */
    int prov;         /* index in provs; -1 not declared */
    gboolean serving; /* in a service (between start and last: a dequeue stores
                         each of the three with a plain move, none paired) */
    uint64_t last;    /* its last supply or fail (read only without served lines) */
    uint64_t busy_ns; /* a declared provider's worker: its served time in the active
                         interval not yet added to the provider's *busy_i
                         (rep_timeline__busy_sync); 0 otherwise */
} RepTimelineWorker;

/* A declared provider, for direct feeding: its workers by index and its busy
 * figures (the address of Prov.busy, which moves when the intervals grow), and
 * while an interval is active the address of its busy figure there (kept by
 * rep_timeline__hot_busy when it is made active or the arrays move). */
typedef struct {
    RepTimelineWorker *ws;
    guint n_ws;
    double **busy;
    double *busy_i; /* &(*busy)[i] while active; NULL otherwise */
} RepTimelineProvRef;

/* Direct feeding's state, first in RepTimeline. */
typedef struct {
    uint64_t lo, hi;               /* the active interval [lo, hi); hi 0: none */
    uint64_t len;                  /* hi - lo (0: none), so t - lo < len is "in it" */
    guint i;                       /* its index */
    guint n_vmos;                  /* VMOs declared */
    uint64_t *vmo_parts;           /* outstanding, port, resident per VMO */
    gint64 direct_waiting;         /* threads counted as waiting (stale while
                                      g[WAITING] is kept: invariant 2) */
    gboolean memory;               /* resident pages are folded (set_memory) */
    gboolean saw_served;           /* a served line (call) was folded */
    guint huge_parts;              /* vmo_parts above 2^52 (none while active) */
    guint single;                  /* 1: one VMO, parts may lag (rep-timeline-direct.c),
                                      so vmo < single is that case; else 0 */
    uint64_t bound;                /* the bound of the active interval's gauges */
    RepHistPaged *lat;             /* its latency histogram, made when it became active */
    uint64_t failed;               /* its failed faults not yet in failed[i] */
    uint32_t *stage;               /* lat's bucket counts not yet in it, dense, 32 bits
                                      (rep_timeline__stage), then its line map; 0 while
                                      none is active */
    uint64_t stage_min, stage_max; /* their samples' extremes (UINT64_MAX, 0: none) */
    uint64_t lat_count;            /* lat's count and sum while active (stale there) */
    double lat_sum;
    RepTimelineLazy g[REP_TL_SERIES_COUNT]; /* the gauges */
    uint64_t span_lo, span_hi;              /* [lo, hi): interval span_i, in use; hi 0: none */
    guint span_i;                           /* the interval add_span used last */
    guint n_provs;                          /* providers declared */
    RepTimelineProvRef *provs;              /* them, by index */
} RepTimelineHot;

/* Gauge @l, held since since = @t - @dt, takes value @v at @t: its area gains the value held times
 * dt, and its max the value held, if it was held for a positive time. */
static inline void rep_timeline__lazy_set(RepTimelineLazy *l, uint64_t t, uint64_t dt, uint64_t v) {
    l->area += l->v * dt;
    if (l->v > l->max && dt) /* only a value held for a positive time counts */
        l->max = l->v;
    l->since = t;
    l->v = v;
}

/* Gauge @s of the active interval takes value @v at @t (< hi): what
 * add_span(since, t, v) does, in integers (rep-timeline-direct.c). FALSE,
 * nothing done, when the slow path must do it: @v not below the bound (a
 * gauge not kept has bound 0). known_ns[i] grows by t - since, which the
 * flush adds up as since - since0. Calls come in time order (as the lines of
 * rep_timeline_feed() do), so a kept gauge's since (the time of an earlier
 * call, or lo <= t) is never after @t: dt is not checked. */
static inline gboolean rep_timeline__hot_step(RepTimelineHot *h, RepTimelineSeries s, uint64_t t,
                                              uint64_t v) {
    RepTimelineLazy *l = &h->g[s];
    uint64_t dt = t - l->since;
    if (G_UNLIKELY(v >= l->bound))
        return FALSE;
    rep_timeline__lazy_set(l, t, dt, v);
    return TRUE;
}

/* The stage (64-byte aligned): REP_HIST_BUCKETS counts, then a byte per line
 * of REP_TL_STAGE_LINE of them, non-zero when a count of the line may be (so
 * the flush reads only the lines the samples touched). */
#define REP_TL_STAGE_LINE  16
#define REP_TL_STAGE_LINES (REP_HIST_BUCKETS / REP_TL_STAGE_LINE)
#define REP_TL_STAGE_BYTES (REP_HIST_BUCKETS * sizeof(uint32_t) + REP_TL_STAGE_LINES)
G_STATIC_ASSERT(REP_HIST_BUCKETS % (8 * REP_TL_STAGE_LINE) == 0);

/* (internal) The slow case of rep_timeline__stage (rep-timeline-direct.c):
 * a @v beyond the range, recorded into lat itself (with count and sum here). */
void rep_timeline__stage_clamped(RepTimelineHot *h, uint64_t v);

/* A fault's latency @v recorded in the active interval's histogram, as
 * rep_hist_paged_record(lat, v) records it once the flush has folded the
 * stage in (rep_timeline__lazy_flush): the bucket count goes to the dense
 * stage, which is the same memory for every interval (so its lines stay in
 * the cache, and 32-bit counts take half of them), the extremes to
 * stage_min/max, count and sum (in the same order of additions) here. */
static inline void rep_timeline__stage(RepTimelineHot *h, uint64_t v) {
    if (G_UNLIKELY(v >> (REP_HIST_MAX_EXP + 1))) {
        rep_timeline__stage_clamped(h, v);
        return;
    }
    size_t b = rep_hist_paged__index(v);
    if (G_UNLIKELY(++h->stage[b] == 0)) /* wrapped: 2^32 carried into lat's bucket */
        rep_hist_paged__carry(h->lat, b);
    ((uint8_t *)(h->stage + REP_HIST_BUCKETS))[b / REP_TL_STAGE_LINE] = 1;
    if (G_UNLIKELY(v < h->stage_min)) /* (rarely a new extreme: a branch, not a store each time) */
        h->stage_min = v;
    if (G_UNLIKELY(v > h->stage_max))
        h->stage_max = v;
    h->lat_count++;
    h->lat_sum += (double)(int64_t)v; /* v < 2^43: the double of (double)v, converted signed */
}

/* rep_timeline__busy_sync: (internal) adds the sum of each provider's
 * workers' busy_ns to its *busy_i (before the arrays move or the interval
 * ends). */
void rep_timeline__busy_sync(RepTimelineHot *h);

/* Provider @prov has a worker @wk (both declared). */
static inline gboolean rep_timeline__has_worker(const RepTimelineHot *h, guint prov, guint wk) {
    return prov < h->n_provs && wk < h->provs[prov].n_ws;
}
/* The slow paths of a worker's calls in rep-timeline-direct.h. */
void rep_timeline__dequeue_slow(RepTimeline *tl, uint64_t t, guint prov, guint worker,
                                gboolean read);
void rep_timeline__served_slow(RepTimeline *tl, uint64_t t, guint prov, guint worker);
void rep_timeline__worker_op_slow(RepTimeline *tl, uint64_t t, guint prov, guint worker);

/* rep_timeline_worker_ref: worker @worker of provider @prov as direct feeding
 * keeps it, or NULL when not declared. Its address holds while the timeline
 * lives, so a caller may resolve it once for the _at calls of
 * rep-timeline-direct.h. */
static inline RepTimelineWorker *rep_timeline_worker_ref(RepTimeline *tl, guint prov,
                                                         guint worker) {
    RepTimelineHot *h = (RepTimelineHot *)tl;
    return rep_timeline__has_worker(h, prov, worker) ? &h->provs[prov].ws[worker] : NULL;
}
