/* Feeding a run's timeline directly: the model calls these typed functions at
 * the points where it would trace the matching native event, with integer ids
 * (VMO, provider, worker and device indices) and an opaque thread identity
 * instead of names, so no trace record is built when nothing is traced.
 *
 * Each call folds exactly what rep_timeline_feed() folds from the matching
 * line (rep-timeline.h), in the same order, so a run's timeline.tsv is the
 * one `pagesim plot` folds from the same run's events.jsonl. A timeline is fed
 * either way, never both: declare its VMOs (rep_timeline_direct_init) first.
 * As lines, calls come in simulated-time order (@t never decreases): the
 * inline paths rely on it and do not check it.
 *
 * Threads: the model keeps, per thread, whether the timeline counts it as
 * waiting (a name in the fold's set of waiting threads) and reports the
 * changes of that count. A thread that ends while counted stays counted, as
 * its name would (names are never reused).
 *
 * The calls made per fault (waiting, counters, a worker's dequeue and served,
 * and a fault's end) are inline: their common case works on RepTimelineHot
 * (rep-timeline-hot.h), the first member of the timeline, and the rest goes to
 * rep-timeline-direct.c, which explains the arithmetic.
 */
#pragma once

#include "sim/report/rep-timeline.h"

#include "sim/report/rep-timeline-hot.h"

/* The slow paths of the inline calls below (rep-timeline-direct.c). */
void rep_timeline__waiting_slow(RepTimeline *tl, uint64_t t, int delta);
void rep_timeline__counter_slow(RepTimeline *tl, uint64_t *part, RepTimelineSeries s, uint64_t v,
                                uint64_t t);
void rep_timeline__counters_slow(RepTimeline *tl, uint64_t t, guint vmo, guint mask, uint64_t out,
                                 uint64_t port, uint64_t res);
void rep_timeline__fault_done_slow(RepTimeline *tl, uint64_t t, uint64_t latency, gboolean failed);

/* rep_timeline_direct_init: the run has @n_vmos VMOs (indices of the calls). */
void rep_timeline_direct_init(RepTimeline *tl, guint n_vmos);

/* A thread became counted as waiting (@delta +1: a request or coalesce line
 * of a thread not counted) or stopped (-1: its wake, cancel or done line).
 * While the gauge is kept in the active interval its value is the count
 * (rep-timeline-direct.c, invariant 2), else the new value is refused (not
 * below a bound of 0) and the slow path counts it. Below 0 the value is huge
 * as a uint64_t: refused too. */
static inline void rep_timeline_waiting_add(RepTimeline *tl, uint64_t t, int delta) {
    RepTimelineHot *h = (RepTimelineHot *)tl;
    uint64_t v = h->g[REP_TL_WAITING].v + (uint64_t)(int64_t)delta;
    if (G_LIKELY(t < h->hi && rep_timeline__hot_step(h, REP_TL_WAITING, t, v)))
        return;
    rep_timeline__waiting_slow(tl, t, delta);
}
/* A wake or cancel line of a thread not counted as waiting: its wait began
 * before the timeline's start and is credited from there. */
void rep_timeline_wait_unknown(RepTimeline *tl, uint64_t t);
/* A done line that ended an access with a fault: its @latency, and whether its
 * status is not ZX_OK. */
static inline void rep_timeline_fault_done(RepTimeline *tl, uint64_t t, uint64_t latency,
                                           gboolean failed) {
    RepTimelineHot *h = (RepTimelineHot *)tl;
    if (G_LIKELY(t - h->lo < h->len)) { /* (then h->lat is its histogram) */
        rep_timeline__stage(h, latency);
        if (G_UNLIKELY(failed)) /* (rare: a branch, not an add of 0 each time) */
            h->failed++;
        return;
    }
    rep_timeline__fault_done_slow(tl, t, latency, failed);
}

/* The counters a line carries, for VMO @vmo: the fields present are those of
 * @mask (REP_TL_HAS_*). */
enum { REP_TL_HAS_OUT = 1, REP_TL_HAS_PORT = 2, REP_TL_HAS_RES = 4 };

/* A VMO's @part of the sum behind series @s of the active interval (@t < hi
 * known) becomes @v: what rep_timeline__hot_step(sum - part + v) does, or
 * nothing for an unchanged part of a known series. FALSE, nothing done, when
 * the slow path must do it. While active every part is at most 2^52 and the
 * sum at most 2^52, so with v and the new sum below the bound (checked as
 * their bitwise or, at least as large as either) the new sum computed in
 * integers is the double one. */
static inline gboolean rep_timeline__hot_counter(RepTimelineHot *h, uint64_t *part,
                                                 RepTimelineSeries s, uint64_t v, uint64_t t) {
    RepTimelineLazy *l = &h->g[s];
    uint64_t old = *part;
    if (v == old)
        return l->bound != 0; /* an unchanged part of a known series changes nothing */
    uint64_t sum = l->v - old + v, dt = t - l->since;
    if (G_UNLIKELY((v | sum) >= l->bound)) /* (dt >= 0: rep_timeline__hot_step) */
        return FALSE;
    rep_timeline__lazy_set(l, t, dt, sum);
    *part = v;
    return TRUE;
}

/* rep_timeline__hot_counter() while hot.single (a run with one VMO): the sum
 * is its part, so the new value is @v and the part is not kept while its gauge
 * is (invariant 6 of rep-timeline-direct.c). */
static inline gboolean rep_timeline__hot_single(RepTimelineHot *h, RepTimelineSeries s, uint64_t v,
                                                uint64_t t) {
    if (v == h->g[s].v)
        return h->g[s].bound != 0; /* unchanged (when kept: the part is the value) */
    return rep_timeline__hot_step(h, s, t, v);
}

/* The active interval's check is made once for all the counters of a call; from
 * the first one the hot path cannot do, the slow path does the rest in order.
 * @mask is a constant at every call (kept so: the slow path, not this, leaves
 * out resident pages in runs without memory, which fold none), so resident
 * pages cost a look at hot.memory only where they are given; a one-VMO run's
 * index (0, below hot.single) is the one compare that picks its path. */
G_ALWAYS_INLINE static inline void rep_timeline_counters(RepTimeline *tl, uint64_t t, guint vmo,
                                                         guint mask, uint64_t out, uint64_t port,
                                                         uint64_t res) {
    RepTimelineHot *h = (RepTimelineHot *)tl;
    if (G_UNLIKELY(t >= h->hi))
        goto slow;
    if (G_LIKELY(vmo < h->single)) {
        if ((mask & REP_TL_HAS_OUT) && !rep_timeline__hot_single(h, REP_TL_OUTSTANDING, out, t))
            goto slow;
        mask &= ~(guint)REP_TL_HAS_OUT;
        if ((mask & REP_TL_HAS_PORT) && !rep_timeline__hot_single(h, REP_TL_PORT, port, t))
            goto slow;
        mask &= ~(guint)REP_TL_HAS_PORT;
        if ((mask & REP_TL_HAS_RES) && h->memory &&
            !rep_timeline__hot_single(h, REP_TL_RESIDENT, res, t))
            goto slow;
        return;
    }
    if (G_UNLIKELY(vmo >= h->n_vmos))
        goto slow;
    uint64_t *parts = &h->vmo_parts[3 * (gsize)vmo];
    if ((mask & REP_TL_HAS_OUT) &&
        !rep_timeline__hot_counter(h, &parts[0], REP_TL_OUTSTANDING, out, t))
        goto slow;
    mask &= ~(guint)REP_TL_HAS_OUT;
    if ((mask & REP_TL_HAS_PORT) && !rep_timeline__hot_counter(h, &parts[1], REP_TL_PORT, port, t))
        goto slow;
    mask &= ~(guint)REP_TL_HAS_PORT;
    if ((mask & REP_TL_HAS_RES) && h->memory &&
        !rep_timeline__hot_counter(h, &parts[2], REP_TL_RESIDENT, res, t))
        goto slow;
    return;
slow:
    rep_timeline__counters_slow(tl, t, vmo, mask, out, port, res);
}

/* Worker @worker of provider @prov: a dequeue line (a READ or a COMPLETE), a
 * served line, and a supply or fail line it made. The _at calls take it as
 * @w, rep_timeline_worker_ref(tl, @prov, @worker) (rep-timeline-hot.h; NULL:
 * the slow path), resolved once by the caller. A dequeue is inline when the
 * worker was not in a service (nothing to credit). */
static inline void rep_timeline_dequeue_at(RepTimeline *tl, RepTimelineWorker *w, uint64_t t,
                                           guint prov, guint worker, gboolean read) {
    if (G_LIKELY(w != NULL && !w->serving)) {
        w->serving = read;
        w->start = w->last = t;
        return;
    }
    rep_timeline__dequeue_slow(tl, t, prov, worker, read);
}
static inline void rep_timeline_dequeue(RepTimeline *tl, uint64_t t, guint prov, guint worker,
                                        gboolean read) {
    rep_timeline_dequeue_at(tl, rep_timeline_worker_ref(tl, prov, worker), t, prov, worker, read);
}
/* A served call is inline when the service lies within the active interval
 * (in use, <= 2^52 ns): its busy time, as rep_timeline__span() credits it (1.0
 * x d is d), goes to the worker's busy_ns until rep_timeline__busy_sync adds
 * it to the double, which stays below 2^53 (invariant 7 of
 * rep-timeline-direct.c): exact either way. [start, t) is non-empty and in [lo,
 * lo + len] when start - lo < t - lo <= len (unsigned). `last` is left: once
 * saw_served, nothing reads it before the next dequeue sets it. */
static inline void rep_timeline_served_at(RepTimeline *tl, RepTimelineWorker *w, uint64_t t,
                                          guint prov, guint worker) {
    RepTimelineHot *h = (RepTimelineHot *)tl;
    uint64_t d = t - h->lo;
    if (G_LIKELY(w != NULL && w->serving && w->start - h->lo < d && d <= h->len)) {
        w->busy_ns += t - w->start;
        w->serving = FALSE;
        h->saw_served = TRUE;
        return;
    }
    rep_timeline__served_slow(tl, t, prov, worker);
}
static inline void rep_timeline_served(RepTimeline *tl, uint64_t t, guint prov, guint worker) {
    rep_timeline_served_at(tl, rep_timeline_worker_ref(tl, prov, worker), t, prov, worker);
}
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
