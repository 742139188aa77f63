/* The timeline's devices and memory (see rep-timeline.h): per device, reads
 * submitted, the service union and the time-weighted reads in service and
 * waiting; with memory, the pages reclaim evicted per interval (resident pages
 * are a step series of rep-timeline.c).
 *
 * Invariants:
 *  1. a `device_read` line tells the whole future of its read (queued_ns, then
 *     service_ns), so its spans are credited at once, clipped at the horizon;
 *  2. busy_until only grows: a read's service adds to the union only the part
 *     after it (mdl-device.c measures utilisation the same way);
 *  3. a `lock_wait` line (at the grant) tells its whole wait, [t - waited_ns,
 *     t), credited at once to the intervals it spans: a waiter that leaves the
 *     queue without a grant (a kill or suspend) has no line and is not counted.
 */
#include <string.h>

#include "sim/report/rep-timeline-private.h"

static void dev_free(gpointer v) {
    Dev *d = v;
    g_free(d->name);
    g_free(d->reads);
    g_free(d->busy);
    g_free(d->service);
    g_free(d->queued);
    g_free(d);
}

void rep_timeline__res_init(RepTimeline *tl) {
    tl->devs = g_ptr_array_new_with_free_func(dev_free);
    tl->resident = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    tl->horizon = UINT64_MAX;
}

void rep_timeline__res_free(RepTimeline *tl) {
    g_ptr_array_unref(tl->devs);
    g_hash_table_unref(tl->resident);
    g_free(tl->reclaimed);
    g_free(tl->lockwait);
}

static void dev_grow(Dev *d, guint old, guint cap) {
    d->reads = g_renew(uint64_t, d->reads, cap);
    d->busy = g_renew(double, d->busy, cap);
    d->service = g_renew(double, d->service, cap);
    d->queued = g_renew(double, d->queued, cap);
    for (guint i = old; i < cap; i++) {
        d->reads[i] = 0;
        d->busy[i] = d->service[i] = d->queued[i] = 0;
    }
}

void rep_timeline__res_grow(RepTimeline *tl, guint old, guint cap) {
    tl->reclaimed = g_renew(uint64_t, tl->reclaimed, cap);
    tl->lockwait = g_renew(double, tl->lockwait, cap);
    for (guint i = old; i < cap; i++) {
        tl->reclaimed[i] = 0;
        tl->lockwait[i] = 0;
    }
    for (guint k = 0; k < tl->devs->len; k++)
        dev_grow(g_ptr_array_index(tl->devs, k), old, cap);
}

void rep_timeline__res_merge(RepTimeline *tl, guint j, guint k) {
    tl->reclaimed[j] += tl->reclaimed[k];
    tl->lockwait[j] += tl->lockwait[k];
    tl->lockwait[k] = 0;
    tl->reclaimed[k] = 0;
    for (guint x = 0; x < tl->devs->len; x++) {
        Dev *d = g_ptr_array_index(tl->devs, x);
        d->reads[j] += d->reads[k];
        d->busy[j] += d->busy[k];
        d->service[j] += d->service[k];
        d->queued[j] += d->queued[k];
        d->reads[k] = 0;
        d->busy[k] = d->service[k] = d->queued[k] = 0;
    }
}

guint rep_timeline_add_device(RepTimeline *tl, const char *name, guint queue_depth) {
    Dev *d = g_new0(Dev, 1);
    d->name = g_strdup(name);
    d->depth = queue_depth;
    dev_grow(d, 0, tl->cap);
    g_ptr_array_add(tl->devs, d);
    return tl->devs->len - 1;
}

void rep_timeline_set_memory(RepTimeline *tl, gboolean memory) {
    tl->memory = memory;
    tl->hot.memory = memory;
}
gboolean rep_timeline_has_memory(const RepTimeline *tl) { return tl->memory; }
void rep_timeline_set_horizon(RepTimeline *tl, uint64_t t) { tl->horizon = t; }

void rep_timeline__on_device_read(RepTimeline *tl, const RepEvent *e) {
    const char *name = rep_event_get_str(e, REP_KEY_DEVICE);
    uint64_t queued = 0, service = 0;
    if (name == NULL || !rep_event_get_u64(e, REP_KEY_QUEUED_NS, &queued) ||
        !rep_event_get_u64(e, REP_KEY_SERVICE_NS, &service) || e->t < tl->start)
        return;
    for (guint k = 0; k < tl->devs->len; k++) {
        Dev *d = g_ptr_array_index(tl->devs, k);
        if (strcmp(d->name, name) == 0) {
            rep_timeline__dev_read(tl, d, e->t, queued, service);
            return;
        }
    }
}

/* A read submitted to @d at @t (>= start). */
void rep_timeline__dev_read(RepTimeline *tl, Dev *d, uint64_t t, uint64_t queued,
                            uint64_t service) {
    guint i = rep_timeline__reach(tl, t);
    d->reads[i]++;
    uint64_t start = MIN(t + queued, tl->horizon);
    uint64_t end = MIN(t + queued + service, tl->horizon);
    rep_timeline__add_span(tl, &d->queued, NULL, NULL, t, start, 1.0);
    rep_timeline__add_span(tl, &d->service, NULL, NULL, start, end, 1.0);
    if (end > d->busy_until) {
        rep_timeline__add_span(tl, &d->busy, NULL, NULL, MAX(start, d->busy_until), end, 1.0);
        d->busy_until = end;
    }
}

void rep_timeline__on_memory(RepTimeline *tl, const RepEvent *e) {
    uint64_t pages = 0;
    if (!tl->memory || !rep_event_get_u64(e, REP_KEY_PAGES, &pages) || e->t < tl->start)
        return;
    guint i = rep_timeline__reach(tl, e->t); /* may move the array */
    tl->reclaimed[i] += pages;
}

guint rep_timeline_n_devices(const RepTimeline *tl) { return tl->devs->len; }
const char *rep_timeline_device(const RepTimeline *tl, guint d) {
    return ((const Dev *)g_ptr_array_index(tl->devs, d))->name;
}
guint rep_timeline_device_depth(const RepTimeline *tl, guint d) {
    return ((const Dev *)g_ptr_array_index(tl->devs, d))->depth;
}
uint64_t rep_timeline_reclaimed(const RepTimeline *tl, guint i) { return tl->reclaimed[i]; }

RepTimelineDeviceIo rep_timeline_device_io(const RepTimeline *tl, guint d, guint i) {
    const Dev *dv = g_ptr_array_index(tl->devs, d);
    RepTimelineDeviceIo io = {.reads = dv->reads[i]};
    uint64_t span = rep_timeline_span(tl, i);
    if (span) {
        io.busy = dv->busy[i] / (double)span;
        io.in_service = dv->service[i] / (double)span;
        io.queued = dv->queued[i] / (double)span;
    }
    return io;
}

void rep_timeline__lock_wait(RepTimeline *tl, uint64_t t, uint64_t waited) {
    tl->lock = TRUE;
    rep_timeline__add_span(tl, &tl->lockwait, NULL, NULL, t - MIN(waited, t), t, 1.0);
}

void rep_timeline__on_lock_wait(RepTimeline *tl, const RepEvent *e) {
    uint64_t waited = 0;
    if (rep_event_get_u64(e, REP_KEY_WAITED_NS, &waited))
        rep_timeline__lock_wait(tl, e->t, waited);
}

gboolean rep_timeline_has_lock(const RepTimeline *tl) { return tl->lock; }
double rep_timeline_lock_waiting(const RepTimeline *tl, guint i) {
    uint64_t span = rep_timeline_span(tl, i);
    return span ? tl->lockwait[i] / (double)span : 0.0;
}
