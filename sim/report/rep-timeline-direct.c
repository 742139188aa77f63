/* Direct feeding of a run's timeline (see rep-timeline-direct.h).
 *
 * The gauges (waiting, outstanding, queued, resident) change a few times per
 * fault. rep_timeline_feed() credits each change with add_span in doubles;
 * here, while the run is within one interval (the active one), each change
 * adds its span in integers to the interval's figures held in tl->hot, and
 * they are written back when the run leaves the interval (or anything else
 * needs the arrays: rep_timeline__lazy_flush). That gives the same doubles:
 * values are counts, so every term v * (b - a), every known_ns piece and
 * every sum is an integer, and while they are below 2^53 each double
 * operation of add_span is exact and equals the integer one, in any grouping.
 * An interval is made active only when that holds throughout: it is at most
 * 2^52 ns, its figures so far are integers below 2^52 and the values stay at
 * most limit = 2^52 / interval (so an interval's credit is at most 2^52
 * more); a value beyond, a series not known yet or anything else ends the
 * active interval and takes the double path of rep_timeline_feed().
 *
 * Invariants:
 *  1. each call does what rep_timeline_feed() does for the matching line (the
 *     doubles it leaves are the same, by the above);
 *  2. the waiting gauge is the threads the model counts as waiting (those a
 *     set of names would hold): hot.g[WAITING].v while that gauge is kept in
 *     the active interval (bound != 0: then direct_waiting is stale, written
 *     back by the flush), else direct_waiting;
 *  3. while hot.hi != 0: [lo, hi) is interval i, in use; for each known gauge
 *     hot.g holds its value (< limit + 1), since (<= the time of the last
 *     call; below lo when held from before i, and then bound is 0 until the
 *     slow path credits the intervals before i and makes since lo) and interval
 *     i's area and known_ns (< 2^53: known_ns + since - since0) and the largest
 *     value held since the activation; bound is limit + 1 (hot.bound) for the
 *     others; Gauge.cur/since, totals[] and the arrays at i are stale. A gauge
 *     not known, or any while none is active, has bound 0;
 *  4. while active, hot.lat is latency[i] (made when i is made active: an
 *     empty histogram is written as none), and failed[i] lacks hot.failed
 *     (written back by the flush); its count and sum are hot.lat_count and
 *     lat_sum, and the samples recorded since the activation have their
 *     bucket counts (less carries of 2^32 made into lat) in hot.stage and
 *     their extremes in stage_min/max, not in lat (folded in by the flush);
 *     hot.stage is all 0 while none is active;
 *  5. huge_parts counts the vmo_parts above 2^52, and is 0 while one is active
 *     (so every part and every value below the bound is at most 2^52, and the
 *     new sum of rep_timeline__hot_counter is exact or refused);
 *  6. while hot.single (one VMO, and each known counter's value was its part
 *     when the interval became active: the double sums of the fold can drift
 *     from the parts after huge values), the part of a gauge kept in the active
 *     interval (bound != 0) is its value hot.g[s].v and vmo_parts may lag:
 *     sync_parts writes them back before anything reads them (the slow path of
 *     counters and the flush). The integer steps keep value == part, and
 *     single ends (after a sync) when the slow path would keep a gauge whose
 *     value is not its part;
 *  7. while active, interval i's busy figure of each provider (*busy_i + its
 *     workers' busy_ns: each worker's services overlap the interval by at most its
 *     length) stays at most workers x len < 2^53, an integer, so adding its
 *     integer credits in any grouping gives the same double.
 */
#include "sim/report/rep-timeline-direct.h"

#include <string.h>

#include "sim/report/rep-timeline-private.h"

#define EXACT_HALF ((uint64_t)1 << 52)

/* @x is an integer below @lim. */
static gboolean exact_below(double x, uint64_t lim) {
    return x >= 0 && x < (double)lim && x == (double)(uint64_t)x;
}

/* The series of vmo_parts[3 * vmo + k]. */
static const RepTimelineSeries of_part[3] = {REP_TL_OUTSTANDING, REP_TL_PORT, REP_TL_RESIDENT};

/* Invariant 6: the parts of a one-VMO run's kept gauges, written back. */
static void sync_parts(RepTimelineHot *h) {
    if (!h->single)
        return;
    for (int k = 0; k < 3; k++)
        if (h->g[of_part[k]].bound != 0)
            h->vmo_parts[k] = h->g[of_part[k]].v;
}

/* Adds the counts of the stage's line @l into @lat and zeroes them. */
static void stage_fold_line(uint32_t *stage, RepHistPaged *lat, size_t l) {
    for (size_t b = l * REP_TL_STAGE_LINE; b < (l + 1) * REP_TL_STAGE_LINE; b++) {
        uint32_t c = stage[b];
        if (c == 0)
            continue;
        uint32_t *slot = &rep_hist_paged__page(lat, b)[b & (((size_t)1 << REP_HIST_SUB_BITS) - 1)];
        if (G_UNLIKELY((*slot += c) < c)) /* wrapped */
            rep_hist_paged__carry(lat, b);
        stage[b] = 0;
    }
}

/* Invariant 4: the stage folded into hot.lat (only the lines its map marks
 * can hold counts), and emptied with its map. */
static void stage_fold(RepTimelineHot *h) {
    RepHistPaged *lat = h->lat;
    lat->count = h->lat_count;
    lat->sum = h->lat_sum;
    if (h->stage_min > h->stage_max)
        return;
    uint8_t *map = (uint8_t *)(h->stage + REP_HIST_BUCKETS);
    for (size_t w = 0; w < REP_TL_STAGE_LINES; w += 8) {
        uint64_t bytes;
        memcpy(&bytes, map + w, 8);
        bytes = GUINT64_FROM_LE(bytes);   /* line w + k's byte is bits 8k.. (a no-op on x86) */
        for (; bytes; bytes &= bytes - 1) /* (a marked line's byte is 1: its lowest bit) */
            stage_fold_line(h->stage, lat, w + (size_t)__builtin_ctzll(bytes) / 8);
        memset(map + w, 0, 8);
    }
    lat->min = MIN(lat->min, h->stage_min);
    lat->max = MAX(lat->max, h->stage_max);
    h->stage_min = UINT64_MAX;
    h->stage_max = 0;
}

void rep_timeline__stage_clamped(RepTimelineHot *h, uint64_t v) {
    rep_hist_paged__place_clamped(h->lat, v);
    h->lat_count++;
    h->lat_sum += (double)v;
}

void rep_timeline__lazy_flush(RepTimeline *tl) {
    RepTimelineHot *h = &tl->hot;
    if (h->hi == 0)
        return;
    sync_parts(h);
    if (h->g[REP_TL_WAITING].bound != 0) /* invariant 2 */
        h->direct_waiting = (gint64)h->g[REP_TL_WAITING].v;
    for (int s = 0; s < REP_TL_SERIES_COUNT; s++) {
        Gauge *g = &tl->gauges[s];
        RepTimelineLazy *l = &h->g[s];
        l->bound = 0;
        if (!g->known)
            continue;
        g->area[h->i] = (double)l->area;
        g->known_ns[h->i] = (double)(l->known_ns + (l->since - l->since0));
        g->max[h->i] = MAX(g->max[h->i], (double)l->max);
        g->cur = (double)l->v;
        g->since = l->since;
        tl->totals[s] = (double)l->v; /* the sum update_sum keeps (unused for waiting) */
    }
    tl->failed[h->i] += h->failed;
    h->failed = 0;
    stage_fold(h);
    h->lat = NULL;
    h->lo = h->hi = h->len = 0;
    rep_timeline__hot_busy(tl);
}

/* A provider's pending time is the sum of its workers' (an integer sum, so
 * the one addition to the double is the one a single counter would make). */
void rep_timeline__busy_sync(RepTimelineHot *h) {
    for (guint p = 0; p < h->n_provs; p++) {
        uint64_t busy_ns = 0;
        for (guint k = 0; k < h->provs[p].n_ws; k++) {
            busy_ns += h->provs[p].ws[k].busy_ns;
            h->provs[p].ws[k].busy_ns = 0;
        }
        if (busy_ns)
            *h->provs[p].busy_i += (double)busy_ns; /* exact: invariant 7 */
    }
}

void rep_timeline__hot_busy(RepTimeline *tl) {
    RepTimelineHot *h = &tl->hot;
    rep_timeline__busy_sync(h);
    for (guint p = 0; p < h->n_provs; p++)
        h->provs[p].busy_i = h->hi ? &(*h->provs[p].busy)[h->i] : NULL;
}

/* Makes the interval of @t active if it is in use (so that intervals are
 * added, and coarsened, when rep_timeline_feed() would) and the conditions of
 * exactness hold. */
static gboolean lazy_start(RepTimeline *tl, uint64_t t) {
    RepTimelineHot *h = &tl->hot;
    if (t < tl->start || tl->interval > EXACT_HALF || tl->named_waiting != 0 || h->huge_parts)
        return FALSE;
    uint64_t i = (t - tl->start) / tl->interval, limit = EXACT_HALF / tl->interval;
    if (i >= tl->n)
        return FALSE;
    /* invariant 7: interval < floor(2^53 / workers) (the division rounds
     * down, which refuses a few intervals that would do: harmless) */
    for (guint p = 0; p < h->n_provs; p++)
        if (h->provs[p].n_ws && tl->interval >= 2 * EXACT_HALF / h->provs[p].n_ws)
            return FALSE;
    for (int s = 0; s < REP_TL_SERIES_COUNT; s++) {
        const Gauge *g = &tl->gauges[s];
        if (g->known &&
            (!exact_below(g->cur, limit + 1) || g->since > t ||
             !exact_below(g->area[i], EXACT_HALF) || !exact_below(g->known_ns[i], EXACT_HALF)))
            return FALSE;
    }
    h->i = (guint)i;
    h->lo = tl->start + i * tl->interval;
    h->hi = h->lo + tl->interval;
    h->len = tl->interval;
    rep_timeline__hot_busy(tl);
    if (tl->latency[i] == NULL)
        tl->latency[i] = rep_hist_paged_new_pooled(tl->pages);
    h->lat = tl->latency[i];
    h->lat_count = h->lat->count;
    h->lat_sum = h->lat->sum;
    h->bound = limit + 1;
    for (int s = 0; s < REP_TL_SERIES_COUNT; s++) {
        const Gauge *g = &tl->gauges[s];
        h->g[s] = (RepTimelineLazy){0};
        if (g->known)
            h->g[s] = (RepTimelineLazy){.v = (uint64_t)g->cur,
                                        .since = g->since,
                                        .since0 = g->since,
                                        .area = (uint64_t)g->area[i],
                                        .known_ns = (uint64_t)g->known_ns[i],
                                        .bound = g->since >= h->lo ? h->bound : 0};
    }
    h->single = tl->hot.n_vmos == 1;
    for (int k = 0; k < 3; k++)
        if (tl->gauges[of_part[k]].known && h->g[of_part[k]].v != h->vmo_parts[k])
            h->single = FALSE;
    return TRUE;
}

/* TRUE when @t lies in the active interval (made so if it can be). */
static gboolean lazy_ready(RepTimeline *tl, uint64_t t) {
    if (t >= tl->hot.lo && t < tl->hot.hi)
        return TRUE;
    rep_timeline__lazy_flush(tl);
    return lazy_start(tl, t);
}

/* rep_timeline__hot_step(), also for a value held since before the active
 * interval: add_span(since, t) credits the intervals before it as here (the
 * same additions, at the same time) and the active one from its start. */
static gboolean lazy_step(RepTimeline *tl, RepTimelineSeries s, uint64_t t, uint64_t v) {
    RepTimelineHot *h = &tl->hot;
    RepTimelineLazy *l = &h->g[s];
    if (l->bound == 0 && tl->gauges[s].known && l->since < h->lo) {
        if (v >= h->bound || l->since > t)
            return FALSE;
        Gauge *g = &tl->gauges[s];
        rep_timeline__add_span(tl, &g->area, &g->known_ns, &g->max, l->since, h->lo,
                               (double)l->v); /* touches intervals before i only */
        l->since = l->since0 = h->lo;
        l->bound = h->bound;
    }
    return rep_timeline__hot_step(h, s, t, v);
}

void rep_timeline_direct_init(RepTimeline *tl, guint n_vmos) {
    g_free(tl->hot.vmo_parts);
    tl->hot.vmo_parts = g_new0(uint64_t, 3 * (gsize)MAX(n_vmos, 1u));
    tl->hot.n_vmos = n_vmos;
}

/* The count becomes @n only once the flush (if any) wrote back the old one. */
void rep_timeline__waiting_slow(RepTimeline *tl, uint64_t t, int delta) {
    RepTimelineHot *h = &tl->hot;
    const RepTimelineLazy *l = &h->g[REP_TL_WAITING];
    gint64 n = (l->bound != 0 ? (gint64)l->v : h->direct_waiting) + delta;
    if (n >= 0 && lazy_ready(tl, t) && lazy_step(tl, REP_TL_WAITING, t, (uint64_t)n))
        return; /* (kept: n is hot.g's value) */
    rep_timeline__lazy_flush(tl);
    h->direct_waiting = n;
    rep_timeline__waiting_changed(tl, t);
}

void rep_timeline__counter_slow(RepTimeline *tl, uint64_t *part, RepTimelineSeries s, uint64_t v,
                                uint64_t t) {
    if (v == *part && tl->gauges[s].known)
        return; /* an unchanged part changes nothing */
    if (v <= EXACT_HALF && lazy_ready(tl, t)) {
        if (tl->hot.g[s].v != *part)
            tl->hot.single = FALSE; /* (parts are in sync here) */
        if (lazy_step(tl, s, t, tl->hot.g[s].v - *part + v)) {
            *part = v;
            return;
        }
    }
    rep_timeline__lazy_flush(tl);
    tl->hot.huge_parts += (guint)(v > EXACT_HALF) - (guint)(*part > EXACT_HALF);
    rep_timeline__update_sum(tl, part, s, v, t);
}

void rep_timeline__counters_slow(RepTimeline *tl, uint64_t t, guint vmo, guint mask, uint64_t out,
                                 uint64_t port, uint64_t res) {
    g_return_if_fail(vmo < tl->hot.n_vmos);
    sync_parts(&tl->hot);
    uint64_t *parts = &tl->hot.vmo_parts[3 * (gsize)vmo];
    if (mask & REP_TL_HAS_OUT)
        rep_timeline__counter_slow(tl, &parts[0], REP_TL_OUTSTANDING, out, t);
    if (mask & REP_TL_HAS_PORT)
        rep_timeline__counter_slow(tl, &parts[1], REP_TL_PORT, port, t);
    if ((mask & REP_TL_HAS_RES) && tl->hot.memory)
        rep_timeline__counter_slow(tl, &parts[2], REP_TL_RESIDENT, res, t);
}

void rep_timeline_wait_unknown(RepTimeline *tl, uint64_t t) { rep_timeline__wait_unknown(tl, t); }

/* Outside the active interval: recorded as rep_timeline__latency() does. */
void rep_timeline__fault_done_slow(RepTimeline *tl, uint64_t t, uint64_t latency, gboolean failed) {
    rep_timeline__latency(tl, t, latency, failed); /* (another interval than hot.i) */
}

static Worker *worker(RepTimeline *tl, guint prov, guint worker) {
    if (prov >= tl->provs->len)
        return NULL;
    Prov *p = g_ptr_array_index(tl->provs, prov);
    return worker < p->workers ? &p->ws[worker] : NULL;
}

void rep_timeline__dequeue_slow(RepTimeline *tl, uint64_t t, guint prov, guint wk, gboolean read) {
    Worker *w = worker(tl, prov, wk);
    if (w)
        rep_timeline__worker_step(tl, w, REP_EV_DEQUEUE, t, read);
}

/* The common slow case: service [start, @t) of @w began in the interval before
 * the active one and ends in it. add_span(start, t) would credit lo - start to
 * that interval, then t - lo to the active one (both in use, so nothing is
 * added or coarsened), each as 1.0 x d, which is d: done here directly. */
static gboolean served_across(RepTimeline *tl, Worker *w, uint64_t t) {
    const RepTimelineHot *h = &tl->hot;
    if (!w->serving || w->prov < 0 || h->hi == 0 || h->i == 0 || t <= h->lo || t > h->hi ||
        w->start >= h->lo || w->start < h->lo - tl->interval)
        return FALSE;
    double *busy = ((Prov *)g_ptr_array_index(tl->provs, w->prov))->busy;
    busy[h->i - 1] += (double)(h->lo - w->start);
    busy[h->i] += (double)(t - h->lo);
    return TRUE;
}

void rep_timeline__served_slow(RepTimeline *tl, uint64_t t, guint prov, guint wk) {
    Worker *w = worker(tl, prov, wk);
    if (w == NULL)
        return;
    if (!served_across(tl, w, t)) {
        rep_timeline__worker_step(tl, w, REP_EV_SERVED, t, FALSE);
        return;
    }
    w->serving = FALSE; /* and the rest of rep_timeline__worker_step's SERVED */
    tl->hot.saw_served = TRUE;
    w->last = t;
}

void rep_timeline__worker_op_slow(RepTimeline *tl, uint64_t t, guint prov, guint wk) {
    Worker *w = worker(tl, prov, wk);
    if (w && !tl->hot.saw_served)
        rep_timeline__worker_step(tl, w, REP_EV_SUPPLY, t, FALSE);
}

void rep_timeline_device_read(RepTimeline *tl, uint64_t t, guint dev, uint64_t queued,
                              uint64_t service) {
    if (dev < tl->devs->len && t >= tl->start)
        rep_timeline__dev_read(tl, g_ptr_array_index(tl->devs, dev), t, queued, service);
}

void rep_timeline_reclaim(RepTimeline *tl, uint64_t t, uint64_t pages) {
    if (!tl->memory || t < tl->start)
        return;
    guint i = rep_timeline__reach(tl, t);
    tl->reclaimed[i] += pages;
}

void rep_timeline_lock_wait(RepTimeline *tl, uint64_t t, uint64_t waited) {
    rep_timeline__lock_wait(tl, t, waited);
}
