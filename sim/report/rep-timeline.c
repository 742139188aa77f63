/* Per-interval figures (see rep-timeline.h).
 *
 * A step function is folded in as spans: when a value changes at t, the old value
 * is credited to every interval that [since, t) overlaps, in proportion to the
 * overlap. Busy workers are credited the same way, one span per service, which
 * also works when a service's end is only learnt later (traces without
 * `served`).
 *
 * Invariants:
 *  1. for every interval, known_ns <= interval and area <= max * known_ns;
 *  2. a gauge that is known has been credited up to `since`, and holds `cur`
 *     from then on;
 *  3. the waiting set holds exactly the threads between request/coalesce and
 *     wake/cancel/done, and its size is the waiting gauge's value.
 */
#include "sim/report/rep-timeline-private.h"

#include <string.h>

static const char *const series_names[REP_TL_SERIES_COUNT] = {
    [REP_TL_WAITING] = "waiting",
    [REP_TL_OUTSTANDING] = "outstanding",
    [REP_TL_PORT] = "queued",
    [REP_TL_RESIDENT] = "resident",
};

const char *rep_timeline_series_name(RepTimelineSeries s) {
    g_return_val_if_fail((guint)s < REP_TL_SERIES_COUNT, NULL);
    return series_names[s];
}

uint64_t rep_timeline_nice_interval(uint64_t length, guint target) {
    uint64_t want = MAX((uint64_t)1, (length + target - 1) / MAX(target, 1u));
    for (uint64_t decade = 1;; decade *= 10) {
        static const uint64_t steps[] = {1, 2, 5};
        for (size_t i = 0; i < G_N_ELEMENTS(steps); i++)
            if (steps[i] * decade >= want)
                return steps[i] * decade;
        if (decade > UINT64_MAX / 100)
            return want;
    }
}

static void prov_free(gpointer v) {
    Prov *p = v;
    g_free(p->name);
    g_free(p->busy);
    g_free(p->ws);
    g_free(p);
}

/* Makes room for @cap intervals (new ones empty). */
void rep_timeline__grow(RepTimeline *tl, guint cap) {
    if (cap <= tl->cap)
        return;
    cap = MAX(cap, tl->cap * 2);
    guint old = tl->cap;
    rep_timeline__busy_sync(&tl->hot); /* (before the busy arrays move) */
    tl->latency = g_renew(RepHistPaged *, tl->latency, cap);
    tl->failed = g_renew(uint64_t, tl->failed, cap);
    for (int s = 0; s < REP_TL_SERIES_COUNT; s++) {
        tl->gauges[s].area = g_renew(double, tl->gauges[s].area, cap);
        tl->gauges[s].known_ns = g_renew(double, tl->gauges[s].known_ns, cap);
        tl->gauges[s].max = g_renew(double, tl->gauges[s].max, cap);
    }
    for (guint p = 0; p < tl->provs->len; p++) {
        Prov *pr = g_ptr_array_index(tl->provs, p);
        pr->busy = g_renew(double, pr->busy, cap);
    }
    for (guint i = old; i < cap; i++) {
        tl->latency[i] = NULL;
        tl->failed[i] = 0;
        for (int s = 0; s < REP_TL_SERIES_COUNT; s++)
            tl->gauges[s].area[i] = tl->gauges[s].known_ns[i] = tl->gauges[s].max[i] = 0;
        for (guint p = 0; p < tl->provs->len; p++)
            ((Prov *)g_ptr_array_index(tl->provs, p))->busy[i] = 0;
    }
    rep_timeline__res_grow(tl, old, cap);
    tl->cap = cap;
    rep_timeline__hot_busy(tl); /* the busy arrays moved */
}

RepTimeline *rep_timeline_new(uint64_t start, uint64_t interval, guint n) {
    g_return_val_if_fail(interval > 0 && n > 0, NULL);
    RepTimeline *tl = g_new0(RepTimeline, 1);
    tl->pages = rep_hist_page_pool_new();
    tl->hot.stage = g_aligned_alloc0(1, REP_TL_STAGE_BYTES, 64);
    tl->hot.stage_min = UINT64_MAX;
    tl->start = start;
    tl->interval = interval;
    tl->provs = g_ptr_array_new_with_free_func(prov_free);
    rep_timeline__res_init(tl);
    tl->view = rep_histogram_new();
    rep_timeline__grow(tl, n);
    tl->n = n;
    tl->gauges[REP_TL_WAITING].known = TRUE;
    tl->gauges[REP_TL_WAITING].since = start;
    tl->waiting = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    tl->outstanding = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    tl->port = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    tl->workers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    for (guint ev = 0; ev < REP_EV_COUNT; ev++)
        tl->has_counters[ev] = rep_schema_field_index(ev, REP_KEY_OUTSTANDING) >= 0 ||
                               rep_schema_field_index(ev, REP_KEY_PORT) >= 0 ||
                               rep_schema_field_index(ev, REP_KEY_RESIDENT) >= 0;
    return tl;
}

void rep_timeline_set_max(RepTimeline *tl, guint max_n) { tl->max_n = max_n; }

/* Merges every @f neighbouring intervals into one (the interval grows @f times). */
static void coarsen(RepTimeline *tl, guint f) {
    rep_timeline__lazy_flush(tl);
    guint n = (tl->n + f - 1) / f;
    for (guint j = 0; j < n; j++)
        for (guint k = j * f; k < MIN(j * f + f, tl->n); k++) {
            if (k == j)
                continue;
            if (tl->latency[k] && tl->latency[j] == NULL) {
                tl->latency[j] = g_steal_pointer(&tl->latency[k]); /* moved, as merged */
            } else if (tl->latency[k]) {
                rep_hist_paged_absorb(tl->latency[j], g_steal_pointer(&tl->latency[k]));
            }
            tl->failed[j] += tl->failed[k];
            tl->failed[k] = 0;
            for (int s = 0; s < REP_TL_SERIES_COUNT; s++) {
                Gauge *g = &tl->gauges[s];
                g->area[j] += g->area[k];
                g->known_ns[j] += g->known_ns[k];
                g->max[j] = MAX(g->max[j], g->max[k]);
                g->area[k] = g->known_ns[k] = g->max[k] = 0;
            }
            for (guint p = 0; p < tl->provs->len; p++) {
                Prov *pr = g_ptr_array_index(tl->provs, p);
                pr->busy[j] += pr->busy[k];
                pr->busy[k] = 0;
            }
            rep_timeline__res_merge(tl, j, k);
        }
    tl->n = MAX(n, 1u);
    tl->interval *= f;
    tl->hot.span_lo = tl->hot.span_hi = 0; /* intervals moved */
}

guint rep_timeline__reach(RepTimeline *tl, uint64_t t) {
    for (;;) {
        uint64_t i = (t - tl->start) / tl->interval;
        if (tl->max_n == 0 || i < tl->max_n) {
            rep_timeline__grow(tl, (guint)i + 1);
            tl->n = MAX(tl->n, (guint)i + 1);
            return (guint)i;
        }
        uint64_t lead = tl->interval;
        while (lead >= 10 && lead % 10 == 0)
            lead /= 10;
        coarsen(tl, lead == 2 ? 5 : 2); /* 1, 2, 10, 20, 100, ... x 10^k stay so */
    }
}

void rep_timeline_free(RepTimeline *tl) {
    if (tl == NULL)
        return;
    for (guint i = 0; i < tl->cap; i++) {
        if (tl->latency[i])
            tl->latency[i]->pool = NULL; /* its pages freed, not cleared for reuse */
        rep_hist_paged_free(tl->latency[i]);
    }
    g_free(tl->latency);
    rep_hist_page_pool_free(tl->pages); /* (after the histograms, which give pages back) */
    rep_histogram_free(tl->view);
    g_aligned_free(tl->hot.stage);
    g_free(tl->failed);
    for (int s = 0; s < REP_TL_SERIES_COUNT; s++) {
        g_free(tl->gauges[s].area);
        g_free(tl->gauges[s].known_ns);
        g_free(tl->gauges[s].max);
    }
    g_hash_table_unref(tl->waiting);
    g_free(tl->hot.vmo_parts);
    g_free(tl->hot.provs);
    g_hash_table_unref(tl->outstanding);
    g_hash_table_unref(tl->port);
    g_free(tl->last_vmo);
    g_ptr_array_unref(tl->provs);
    g_hash_table_unref(tl->workers);
    rep_timeline__res_free(tl);
    g_free(tl);
}

guint rep_timeline_add_provider(RepTimeline *tl, const char *name, guint workers) {
    rep_timeline__lazy_flush(tl); /* (invariant 7 is checked when an interval becomes active) */
    Prov *p = g_new0(Prov, 1);
    p->name = g_strdup(name);
    p->workers = workers;
    p->busy = g_new0(double, tl->cap);
    p->ws = g_new0(Worker, workers);
    for (guint i = 0; i < workers; i++)
        p->ws[i].prov = (int)tl->provs->len;
    tl->hot.provs = g_renew(RepTimelineProvRef, tl->hot.provs, tl->provs->len + 1);
    tl->hot.provs[tl->provs->len] = (RepTimelineProvRef){p->ws, workers, &p->busy, NULL};
    tl->hot.n_provs = tl->provs->len + 1;
    rep_timeline__hot_busy(tl);
    g_ptr_array_add(tl->provs, p);
    return tl->provs->len - 1;
}

void rep_timeline__add_span(RepTimeline *tl, double **area, double **known_ns, double **max,
                            uint64_t a, uint64_t b, double v) {
    a = MAX(a, tl->start);
    if (b <= a)
        return;
    if (a < tl->hot.span_lo || b > tl->hot.span_hi) { /* not within the last interval used */
        uint64_t i = (a - tl->start) / tl->interval;
        tl->hot.span_i = (guint)MIN(i, (uint64_t)G_MAXUINT);
        tl->hot.span_lo = tl->start + i * tl->interval;
        tl->hot.span_hi = i < tl->n ? tl->hot.span_lo + tl->interval : 0; /* 0: not one in use */
    }
    if (a >= tl->hot.span_lo && b <= tl->hot.span_hi) {
        /* within one interval in use (most spans): what the loop below does */
        rep_timeline__credit(area, known_ns, max, tl->hot.span_i, b - a, v);
        return;
    }
    guint last = rep_timeline__reach(tl, b - 1); /* may coarsen: index after it */
    for (uint64_t i = (a - tl->start) / tl->interval; i <= last; i++) {
        uint64_t lo = MAX(a, tl->start + i * tl->interval);
        uint64_t hi = MIN(b, tl->start + (i + 1) * tl->interval);
        rep_timeline__credit(area, known_ns, max, i, hi - lo, v);
    }
}

/* Credits the value held since `since` up to @t. */
static void gauge_credit(RepTimeline *tl, Gauge *g, uint64_t t) {
    rep_timeline__add_span(tl, &g->area, &g->known_ns, &g->max, g->since, t, g->cur);
    g->since = t;
}

/* @name's part in @parts, allocated once per VMO and updated in place. */
static uint64_t *part_of(GHashTable *parts, const char *name) {
    uint64_t *part = g_hash_table_lookup(parts, name);
    if (part == NULL) {
        part = g_new0(uint64_t, 1);
        g_hash_table_insert(parts, g_strdup(name), part);
    }
    return part;
}

/* The waiting gauge follows the size of the waiting set(s). */
void rep_timeline__waiting_changed(RepTimeline *tl, uint64_t t) {
    rep_timeline__gauge_set(tl, REP_TL_WAITING, t,
                            (double)tl->named_waiting + (double)tl->hot.direct_waiting);
}

/* A wake or cancel of a thread not known to wait ends a wait that began before
 * the trace (--trace-window): it is credited from the trace's start. */
void rep_timeline__wait_unknown(RepTimeline *tl, uint64_t t) {
    Gauge *g = &tl->gauges[REP_TL_WAITING];
    rep_timeline__lazy_flush(tl);
    rep_timeline__add_span(tl, &g->area, NULL, NULL, tl->start, t, 1.0);
}

/* A thread starts or stops waiting. */
static void set_waiting(RepTimeline *tl, const RepEvent *e, gboolean waiting) {
    const char *thread = rep_event_get_str(e, REP_KEY_THREAD);
    if (thread == NULL)
        return;
    if (waiting && !g_hash_table_contains(tl->waiting, thread)) {
        g_hash_table_add(tl->waiting, g_strdup(thread));
        tl->named_waiting++;
    } else if (!waiting && g_hash_table_remove(tl->waiting, thread)) {
        tl->named_waiting--; /* it stopped waiting */
    } else {
        if (!waiting && e->ev != REP_EV_DONE)
            rep_timeline__wait_unknown(tl, e->t);
        return;
    }
    rep_timeline__waiting_changed(tl, e->t);
}

static Worker *get_worker(RepTimeline *tl, const RepEvent *e) {
    const char *by = rep_event_get_str(e, REP_KEY_BY);
    if (by == NULL || strcmp(by, "action") == 0)
        return NULL;
    Worker *w = g_hash_table_lookup(tl->workers, by);
    if (w == NULL) {
        w = g_new0(Worker, 1);
        w->prov = -1;
        g_hash_table_insert(tl->workers, g_strdup(by), w);
    }
    const char *prov = rep_event_get_str(e, REP_KEY_PROVIDER);
    for (guint i = 0; prov && w->prov < 0 && i < tl->provs->len; i++)
        if (strcmp(((Prov *)g_ptr_array_index(tl->provs, i))->name, prov) == 0)
            w->prov = (int)i;
    return w;
}

static void on_worker(RepTimeline *tl, const RepEvent *e) {
    Worker *w = get_worker(tl, e);
    if (w == NULL)
        return;
    const char *cmd = e->ev == REP_EV_DEQUEUE ? rep_event_get_str(e, REP_KEY_CMD) : NULL;
    rep_timeline__worker_step(tl, w, e->ev, e->t, cmd == NULL || strcmp(cmd, "READ") == 0);
}

/* A fault that finished at @t after @latency ns. */
void rep_timeline__latency(RepTimeline *tl, uint64_t t, uint64_t latency, gboolean failed) {
    if (t < tl->start)
        return;
    /* the interval add_span used last (in use) or the one reach() finds */
    guint i =
        t >= tl->hot.span_lo && t < tl->hot.span_hi ? tl->hot.span_i : rep_timeline__reach(tl, t);
    if (tl->latency[i] == NULL)
        tl->latency[i] = rep_hist_paged_new_pooled(tl->pages);
    rep_hist_paged_record(tl->latency[i], latency);
    if (failed)
        tl->failed[i]++;
}

static void on_done(RepTimeline *tl, const RepEvent *e) {
    set_waiting(tl, e, FALSE);
    uint64_t fault = 0, latency = 0;
    if (!rep_event_get_u64(e, REP_KEY_FAULT, &fault) || !fault ||
        !rep_event_get_u64(e, REP_KEY_LATENCY_NS, &latency))
        return;
    const char *status = rep_event_get_str(e, REP_KEY_STATUS);
    rep_timeline__latency(tl, e->t, latency, status && strcmp(status, "ZX_OK") != 0);
}

/* The counters a line carries, found in one pass over its fields. */
static void on_counters(RepTimeline *tl, const RepEvent *e) {
    const char *vmo = NULL;
    uint64_t out = 0, port = 0, res = 0;
    gboolean has_out = FALSE, has_port = FALSE, has_res = FALSE;
    for (guint i = 0; i < e->n_fields; i++) {
        const RepField *f = &e->fields[i];
        if (f->key == REP_KEY_VMO)
            vmo = f->s;
        else if (f->key == REP_KEY_OUTSTANDING)
            has_out = TRUE, out = f->u;
        else if (f->key == REP_KEY_PORT)
            has_port = TRUE, port = f->u;
        else if (f->key == REP_KEY_RESIDENT)
            has_res = tl->memory, res = f->u;
    }
    if (vmo == NULL || !(has_out || has_port || has_res))
        return;
    if (tl->last_vmo == NULL ||
        strcmp(tl->last_vmo, vmo) != 0) { /* lines of one VMO come in runs */
        g_free(tl->last_vmo);
        tl->last_vmo = g_strdup(vmo);
        tl->last_parts[0] = part_of(tl->outstanding, vmo);
        tl->last_parts[1] = part_of(tl->port, vmo);
        tl->last_parts[2] = part_of(tl->resident, vmo);
    }
    if (has_out)
        rep_timeline__update_sum(tl, tl->last_parts[0], REP_TL_OUTSTANDING, out, e->t);
    if (has_port)
        rep_timeline__update_sum(tl, tl->last_parts[1], REP_TL_PORT, port, e->t);
    if (has_res)
        rep_timeline__update_sum(tl, tl->last_parts[2], REP_TL_RESIDENT, res, e->t);
}

/* Dispatches on the event (rep-schema.h). */
void rep_timeline_feed(const RepEvent *e, gpointer self) {
    RepTimeline *tl = self;
    tl->events++;
    rep_timeline__lazy_flush(tl); /* (only direct feeding makes one active) */
    switch (e->ev) {
        case REP_EV_DONE:
            on_done(tl, e);
            break;
        case REP_EV_DEQUEUE:
        case REP_EV_SERVED:
            on_worker(tl, e);
            break;
        case REP_EV_REQUEST:
        case REP_EV_COALESCE:
            set_waiting(tl, e, TRUE);
            break;
        case REP_EV_CANCEL:
        case REP_EV_WAKE:
            set_waiting(tl, e, FALSE);
            break;
        case REP_EV_DEVICE_READ:
            rep_timeline__on_device_read(tl, e);
            break;
        case REP_EV_RECLAIM:
            rep_timeline__on_memory(tl, e);
            break;
        case REP_EV_LOCK_WAIT:
            rep_timeline__on_lock_wait(tl, e);
            break;
        case REP_EV_SUPPLY:
        case REP_EV_FAIL:
            /* A supply or fail only marks a service's end in traces without `served`. */
            if (!tl->hot.saw_served)
                on_worker(tl, e);
            break;
        default:
            break;
    }
    if (tl->has_counters[e->ev])
        on_counters(tl, e);
}

void rep_timeline_finish(RepTimeline *tl, uint64_t end) {
    rep_timeline__lazy_flush(tl);
    for (int s = 0; s < REP_TL_SERIES_COUNT; s++)
        if (tl->gauges[s].known)
            gauge_credit(tl, &tl->gauges[s], MAX(end, tl->gauges[s].since));
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, tl->workers);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        Worker *w = v;
        rep_timeline__end_service(tl, w, tl->hot.saw_served ? MAX(end, w->start) : w->last);
    }
    for (guint p = 0; p < tl->provs->len; p++) {
        Prov *pr = g_ptr_array_index(tl->provs, p);
        for (guint i = 0; i < pr->workers; i++)
            rep_timeline__end_service(
                tl, &pr->ws[i], tl->hot.saw_served ? MAX(end, pr->ws[i].start) : pr->ws[i].last);
    }
    if (end > tl->start)
        rep_timeline__reach(tl, end - 1);
    tl->end = MAX(end, tl->start + 1);
    /* Nothing happens after the end but the tail of a device read (clipped at the
     * horizon), so the intervals are those the run covers. */
    tl->n = MAX((guint)((tl->end - tl->start + tl->interval - 1) / tl->interval), 1u);
    tl->hot.span_lo = tl->hot.span_hi = 0;
}

uint64_t rep_timeline_span(const RepTimeline *tl, guint i) {
    uint64_t lo = rep_timeline_start(tl, i);
    if (tl->end == 0 || tl->end >= lo + tl->interval)
        return tl->interval;
    return tl->end > lo ? tl->end - lo : 0;
}

guint rep_timeline_n(const RepTimeline *tl) { return tl->n; }
uint64_t rep_timeline_interval(const RepTimeline *tl) { return tl->interval; }
uint64_t rep_timeline_start(const RepTimeline *tl, guint i) {
    return tl->start + (uint64_t)i * tl->interval;
}
const RepHistogram *rep_timeline_latency(const RepTimeline *tl, guint i) {
    if (tl->latency[i])
        rep_hist_paged_expand(tl->latency[i], tl->view);
    else
        rep_histogram_reset(tl->view);
    return tl->view;
}
uint64_t rep_timeline_failed(const RepTimeline *tl, guint i) { return tl->failed[i]; }
guint rep_timeline_n_providers(const RepTimeline *tl) { return tl->provs->len; }
const char *rep_timeline_provider(const RepTimeline *tl, guint p) {
    return ((const Prov *)g_ptr_array_index(tl->provs, p))->name;
}
guint rep_timeline_workers(const RepTimeline *tl, guint p) {
    return ((const Prov *)g_ptr_array_index(tl->provs, p))->workers;
}
double rep_timeline_busy(const RepTimeline *tl, guint p, guint i) {
    uint64_t span = rep_timeline_span(tl, i);
    return span ? ((const Prov *)g_ptr_array_index(tl->provs, p))->busy[i] / (double)span : 0.0;
}
guint64 rep_timeline_events(const RepTimeline *tl) { return tl->events; }

RepTimelineGauge rep_timeline_gauge(const RepTimeline *tl, RepTimelineSeries s, guint i) {
    const Gauge *g = &tl->gauges[s];
    RepTimelineGauge r = {.known = g->known_ns[i] > 0};
    if (r.known) {
        r.mean = g->area[i] / g->known_ns[i];
        r.max = g->max[i];
    }
    return r;
}

void rep_timeline__set_n(RepTimeline *tl, guint n, uint64_t end) {
    rep_timeline__lazy_flush(tl);
    rep_timeline__grow(tl, n);
    tl->n = n;
    tl->end = end;
    tl->hot.span_lo = tl->hot.span_hi = 0;
}

void rep_timeline_rebin(RepTimeline *tl, guint factor) {
    if (factor > 1)
        coarsen(tl, factor);
}
