/* Feeding a run's timeline directly: the model calls these typed functions at
 * the points where it would trace the matching native event, with integer ids
 * (VMO, provider, worker and device indices) and an opaque thread identity
 * instead of names, so no trace record is built when nothing is traced.
 *
 * Each call folds exactly what rep_timeline_feed() folds from the matching
 * line (rep-timeline.h), in the same order, so a run's timeline.tsv is the
 * one `pagesim plot` folds from the same run's events.jsonl. A timeline is fed
 * either way, never both: declare its VMOs (rep_timeline_direct_init) first.
 *
 * Threads: the model keeps, per thread, whether the timeline counts it as
 * waiting (a name in the fold's set of waiting threads) and reports the
 * changes of that count. A thread that ends while counted stays counted, as
 * its name would (names are never reused).
 *
 * The calls made per fault (waiting, counters and a fault's end) are inline:
 * their common case works on RepTimelineHot, the first member of the
 * timeline, and the rest goes to rep-timeline-direct.c, which explains the
 * arithmetic.
 */
#pragma once

#include "sim/report/rep-timeline.h"

/* Internal to sim/report/: a gauge of the active interval (see
 * rep-timeline-direct.c), its value and interval i's figures in integers. */
typedef struct {
    uint64_t v;        /* the value */
    uint64_t since;    /* when v began (>= lo while bound != 0) */
    uint64_t area;     /* area[i] so far, value x ns */
    uint64_t max;      /* largest value held for a positive time in i since activation */
    uint64_t bound;    /* values below it are kept here; 0: none (not active, not known,
                          or held since before lo: the slow path credits that first) */
    uint64_t known_ns; /* known_ns[i] when since was since0 */
    uint64_t since0;   /* so known_ns[i] is now known_ns + since - since0 */
} RepTimelineLazy;

/* Internal to sim/report/: direct feeding's state, first in RepTimeline. */
typedef struct {
    uint64_t lo, hi;                        /* the active interval [lo, hi); hi 0: none */
    guint i;                                /* its index */
    guint n_vmos;                           /* VMOs declared */
    uint64_t *vmo_parts;                    /* outstanding, port, resident per VMO */
    gint64 direct_waiting;                  /* threads counted as waiting */
    gboolean memory;                        /* resident pages are folded (set_memory) */
    gboolean saw_served;                    /* a served line (call) was folded */
    guint huge_parts;                       /* vmo_parts above 2^52 (none while active) */
    uint64_t bound;                         /* the bound of the active interval's gauges */
    RepHistPaged *lat;                      /* its latency histogram; NULL: not made yet */
    uint64_t failed;                        /* its failed faults not yet in failed[i] */
    RepTimelineLazy g[REP_TL_SERIES_COUNT]; /* the gauges */
} RepTimelineHot;

/* The slow paths of the inline calls below (rep-timeline-direct.c). */
void rep_timeline__waiting_slow(RepTimeline *tl, uint64_t t);
void rep_timeline__counter_slow(RepTimeline *tl, uint64_t *part, RepTimelineSeries s, uint64_t v,
                                uint64_t t);
void rep_timeline__counters_slow(RepTimeline *tl, uint64_t t, guint vmo, guint mask, uint64_t out,
                                 uint64_t port, uint64_t res);
void rep_timeline__fault_done_slow(RepTimeline *tl, uint64_t t, uint64_t latency, gboolean failed);

/* Gauge @s of the active interval takes value @v at @t (< hi): what
 * add_span(since, t, v) does, in integers (rep-timeline-direct.c). FALSE,
 * nothing done, when the slow path must do it: @v not below the bound (a
 * gauge not kept has bound 0) or @t before since. known_ns[i] grows by t -
 * since, which the flush adds up as since - since0. */
static inline gboolean rep_timeline__hot_step(RepTimelineHot *h, RepTimelineSeries s, uint64_t t,
                                              uint64_t v) {
    RepTimelineLazy *l = &h->g[s];
    uint64_t dt = t - l->since;
    if (G_UNLIKELY(v >= l->bound || (int64_t)dt < 0))
        return FALSE;
    l->area += l->v * dt;
    uint64_t held = dt ? l->v : 0; /* only a value held for a positive time counts */
    l->max = held > l->max ? held : l->max;
    l->since = t;
    l->v = v;
    return TRUE;
}

/* rep_timeline_direct_init: the run has @n_vmos VMOs (indices of the calls). */
void rep_timeline_direct_init(RepTimeline *tl, guint n_vmos);

/* A thread became counted as waiting (@delta +1: a request or coalesce line
 * of a thread not counted) or stopped (-1: its wake, cancel or done line). */
static inline void rep_timeline_waiting_add(RepTimeline *tl, uint64_t t, int delta) {
    RepTimelineHot *h = (RepTimelineHot *)tl;
    h->direct_waiting += delta; /* (below 0 it is huge as a uint64_t: the slow path) */
    if (G_LIKELY(t < h->hi &&
                 rep_timeline__hot_step(h, REP_TL_WAITING, t, (uint64_t)h->direct_waiting)))
        return;
    rep_timeline__waiting_slow(tl, t);
}
/* A wake or cancel line of a thread not counted as waiting: its wait began
 * before the timeline's start and is credited from there. */
void rep_timeline_wait_unknown(RepTimeline *tl, uint64_t t);
/* A done line that ended an access with a fault: its @latency, and whether its
 * status is not ZX_OK. */
static inline void rep_timeline_fault_done(RepTimeline *tl, uint64_t t, uint64_t latency,
                                           gboolean failed) {
    RepTimelineHot *h = (RepTimelineHot *)tl;
    if (G_LIKELY(t >= h->lo && t < h->hi && h->lat)) {
        rep_hist_paged_record(h->lat, latency);
        h->failed += (uint64_t)(failed != FALSE);
        return;
    }
    rep_timeline__fault_done_slow(tl, t, latency, failed);
}

/* The counters a line carries, for VMO @vmo: the fields present are those of
 * @mask (REP_TL_HAS_*). */
enum { REP_TL_HAS_OUT = 1, REP_TL_HAS_PORT = 2, REP_TL_HAS_RES = 4 };

/* A VMO's @part of the sum behind series @s becomes @v. While active, every
 * part is at most 2^52 and v below the bound, so the new sum computed in
 * integers is the double one, or huge (negative) and refused. */
static inline void rep_timeline__hot_counter(RepTimeline *tl, uint64_t *part, RepTimelineSeries s,
                                             uint64_t v, uint64_t t) {
    RepTimelineHot *h = (RepTimelineHot *)tl;
    uint64_t bound = h->g[s].bound;
    if (v == *part && bound)
        return; /* an unchanged part of a known series changes nothing */
    if (G_LIKELY(t < h->hi && v < bound &&
                 rep_timeline__hot_step(h, s, t, h->g[s].v - *part + v))) {
        *part = v;
        return;
    }
    rep_timeline__counter_slow(tl, part, s, v, t);
}

static inline void rep_timeline_counters(RepTimeline *tl, uint64_t t, guint vmo, guint mask,
                                         uint64_t out, uint64_t port, uint64_t res) {
    RepTimelineHot *h = (RepTimelineHot *)tl;
    if (G_UNLIKELY(vmo >= h->n_vmos)) {
        rep_timeline__counters_slow(tl, t, vmo, mask, out, port, res);
        return;
    }
    uint64_t *parts = &h->vmo_parts[3 * (gsize)vmo];
    if (mask & REP_TL_HAS_OUT)
        rep_timeline__hot_counter(tl, &parts[0], REP_TL_OUTSTANDING, out, t);
    if (mask & REP_TL_HAS_PORT)
        rep_timeline__hot_counter(tl, &parts[1], REP_TL_PORT, port, t);
    if ((mask & REP_TL_HAS_RES) && h->memory) /* only runs with memory fold it */
        rep_timeline__hot_counter(tl, &parts[2], REP_TL_RESIDENT, res, t);
}

/* Worker @worker of provider @prov: a dequeue line (a READ or a COMPLETE), a
 * served line, and a supply or fail line it made. */
void rep_timeline_dequeue(RepTimeline *tl, uint64_t t, guint prov, guint worker, gboolean read);
void rep_timeline_served(RepTimeline *tl, uint64_t t, guint prov, guint worker);
void rep_timeline__worker_op_slow(RepTimeline *tl, uint64_t t, guint prov, guint worker);
static inline void rep_timeline_worker_op(RepTimeline *tl, uint64_t t, guint prov, guint worker) {
    if (!((RepTimelineHot *)tl)->saw_served) /* marks a service's end only without `served` */
        rep_timeline__worker_op_slow(tl, t, prov, worker);
}

/* A device_read line of device @dev (the index of rep_timeline_add_device). */
void rep_timeline_device_read(RepTimeline *tl, uint64_t t, guint dev, uint64_t queued,
                              uint64_t service);

/* A lock_wait line: a grant at @t after @waited ns in the queue. */
void rep_timeline_lock_wait(RepTimeline *tl, uint64_t t, uint64_t waited);

/* A reclaim line: @pages evicted (its resident field goes to rep_timeline_counters). */
void rep_timeline_reclaim(RepTimeline *tl, uint64_t t, uint64_t pages);
