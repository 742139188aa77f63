/* Direct feeding of a run's timeline (see rep-timeline-direct.h).
 *
 * Invariants:
 *  1. each call does what rep_timeline_feed() does for the matching line, in
 *     the same order (the span arithmetic is then the same, step for step);
 *  2. the waiting gauge is direct_waiting, the threads the model counts as
 *     waiting (those a set of names would hold).
 */
#include "sim/report/rep-timeline-direct.h"

#include "sim/report/rep-timeline-private.h"

void rep_timeline_direct_init(RepTimeline *tl, guint n_vmos) {
    g_free(tl->vmo_parts);
    tl->vmo_parts = g_new0(uint64_t, 3 * (gsize)MAX(n_vmos, 1u));
    tl->n_vmos = n_vmos;
}

void rep_timeline_waiting_add(RepTimeline *tl, uint64_t t, int delta) {
    tl->direct_waiting += delta;
    /* rep_timeline__waiting_changed(), inline */
    rep_timeline__gauge_set(tl, REP_TL_WAITING, t,
                            (double)tl->named_waiting + (double)tl->direct_waiting);
}

void rep_timeline_wait_unknown(RepTimeline *tl, uint64_t t) { rep_timeline__wait_unknown(tl, t); }

void rep_timeline_fault_done(RepTimeline *tl, uint64_t t, uint64_t latency, gboolean failed) {
    rep_timeline__latency(tl, t, latency, failed);
}

void rep_timeline_counters(RepTimeline *tl, uint64_t t, guint vmo, guint mask, uint64_t out,
                           uint64_t port, uint64_t res) {
    g_return_if_fail(vmo < tl->n_vmos);
    uint64_t *parts = &tl->vmo_parts[3 * (gsize)vmo];
    if (!tl->memory)
        mask &= ~(guint)REP_TL_HAS_RES;
    if (mask & REP_TL_HAS_OUT)
        rep_timeline__update_sum(tl, &parts[0], REP_TL_OUTSTANDING, out, t);
    if (mask & REP_TL_HAS_PORT)
        rep_timeline__update_sum(tl, &parts[1], REP_TL_PORT, port, t);
    if (mask & REP_TL_HAS_RES)
        rep_timeline__update_sum(tl, &parts[2], REP_TL_RESIDENT, res, t);
}

static Worker *worker(RepTimeline *tl, guint prov, guint worker) {
    if (prov >= tl->provs->len)
        return NULL;
    Prov *p = g_ptr_array_index(tl->provs, prov);
    return worker < p->workers ? &p->ws[worker] : NULL;
}

void rep_timeline_dequeue(RepTimeline *tl, uint64_t t, guint prov, guint wk, gboolean read) {
    Worker *w = worker(tl, prov, wk);
    if (w)
        rep_timeline__worker_step(tl, w, REP_EV_DEQUEUE, t, read);
}

void rep_timeline_served(RepTimeline *tl, uint64_t t, guint prov, guint wk) {
    Worker *w = worker(tl, prov, wk);
    if (w)
        rep_timeline__worker_step(tl, w, REP_EV_SERVED, t, FALSE);
}

void rep_timeline_worker_op(RepTimeline *tl, uint64_t t, guint prov, guint wk) {
    Worker *w = worker(tl, prov, wk);
    if (w && !tl->saw_served) /* only marks a service's end in traces without `served` */
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
