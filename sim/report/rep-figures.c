/* The figures of one run (see rep-figures.h).
 *
 * Invariants:
 *  1. the status splits and the workload splits each partition the accesses
 *     of the window; all is the sum of the status splits, made at the end;
 *  2. status names are compared by pointer first: they are static strings, and
 *     a run usually sees one or two.
 */
#include "sim/report/rep-figures.h"

#include "sim/report/rep-figures-cells.h"
#include "sim/report/rep-hist-paged.h"

#include <math.h>
#include <string.h>

static void split_init(RepSplit *s) {
    s->latency = rep_histogram_new();
    s->access_latency = rep_histogram_new();
}

static void split_clear(RepSplit *s) {
    g_clear_pointer(&s->latency, rep_histogram_free);
    g_clear_pointer(&s->access_latency, rep_histogram_free);
}

static void split_reset(RepSplit *s) {
    s->accesses = s->faults = s->faults_failed = s->pages = 0;
    rep_histogram_reset(s->latency);
    rep_histogram_reset(s->access_latency);
}

static void split_record(RepSplit *s, gboolean ok, gboolean fault, uint64_t pages,
                         uint64_t latency) {
    s->accesses++;
    s->pages += pages;
    rep_histogram_record(s->access_latency, latency);
    if (!fault)
        return;
    s->faults++;
    if (!ok)
        s->faults_failed++;
    rep_histogram_record(s->latency, latency);
}

static void status_figures_clear(gpointer p) { split_clear(&((RepStatusFigures *)p)->split); }

void rep_figures_init(RepFigures *f, guint n_workloads, guint n_providers) {
    split_init(&f->all);
    f->statuses = g_array_new(FALSE, TRUE, sizeof(RepStatusFigures));
    g_array_set_clear_func(f->statuses, status_figures_clear);
    f->n_workloads = n_workloads;
    f->workloads = g_new0(RepWorkloadFigures, n_workloads);
    for (guint i = 0; i < n_workloads; i++) {
        split_init(&f->workloads[i].split);
        f->workloads[i].cell = &rep_figures__no_cell;
        f->workloads[i].statuses = g_array_new(FALSE, TRUE, sizeof(RepStatusCount));
        f->workloads[i].makespan_ns = REP_FIGURES_NONE;
    }
    f->n_providers = n_providers;
    f->providers = g_new0(RepProviderFigures, n_providers);
    for (guint i = 0; i < n_providers; i++)
        f->providers[i].closed_at_ns = REP_FIGURES_NONE;
    f->makespan_ns = REP_FIGURES_NONE;
    f->exact_room = REP_FIGURES_EXACT;
}

void rep_figures_clear(RepFigures *f) {
    if (f == NULL)
        return;
    split_clear(&f->all);
    g_clear_pointer(&f->statuses, g_array_unref);
    for (guint i = 0; f->workloads && i < f->n_workloads; i++) {
        g_free(f->workloads[i].name);
        split_clear(&f->workloads[i].split);
        g_clear_pointer(&f->workloads[i].statuses, g_array_unref);
        g_clear_pointer(&f->workloads[i].cells, g_ptr_array_unref);
    }
    g_clear_pointer(&f->workloads, g_free);
    for (guint i = 0; f->providers && i < f->n_providers; i++)
        g_free(f->providers[i].name);
    for (guint i = 0; f->devices && i < f->n_devices; i++)
        g_free(f->devices[i].name);
    g_clear_pointer(&f->devices, g_free);
    g_clear_pointer(&f->providers, g_free);
    g_clear_pointer(&f->violation, g_free);
}

void rep_figures_set_workload(RepFigures *f, guint i, const char *name, const char *kind,
                              const char *access, uint64_t total) {
    g_return_if_fail(i < f->n_workloads);
    RepWorkloadFigures *w = &f->workloads[i];
    g_free(w->name);
    w->name = g_strdup(name);
    w->kind = kind;
    w->access = access;
    w->total = total;
}

static gboolean same_name(const char *a, const char *b) { return a == b || strcmp(a, b) == 0; }

RepSplit *rep_figures__status_split(RepFigures *f, const char *status) {
    for (guint i = 0; i < f->statuses->len; i++) {
        RepStatusFigures *s = &g_array_index(f->statuses, RepStatusFigures, i);
        if (same_name(s->name, status))
            return &s->split;
    }
    RepStatusFigures s = {.name = status};
    split_init(&s.split);
    g_array_append_val(f->statuses, s);
    return &g_array_index(f->statuses, RepStatusFigures, f->statuses->len - 1).split;
}

RepSplit *rep_figures_status_split(RepFigures *f, const char *status) {
    return rep_figures__status_split(f, status);
}

void rep_figures__count_status(GArray *counts, const char *status, uint64_t n) {
    for (guint i = 0; i < counts->len; i++) {
        RepStatusCount *c = &g_array_index(counts, RepStatusCount, i);
        if (same_name(c->name, status)) {
            c->count += n;
            return;
        }
    }
    RepStatusCount c = {status, n};
    g_array_append_val(counts, c);
}

/* An access recorded into the splits one by one (once the cells are full). */
static void record_direct(RepFigures *f, RepWorkloadFigures *w, const char *status, gboolean ok,
                          gboolean fault, uint64_t pages, uint64_t latency_ns) {
    if (f->exact_room)
        rep_figures__cells_spill(f);
    split_record(rep_figures__status_split(f, status), ok, fault, pages, latency_ns);
    split_record(&w->split, ok, fault, pages, latency_ns);
    rep_figures__count_status(w->statuses, status, 1);
}

/* Counted in its cell (rep-figures-cells.h) while the sums stay exact. */
void rep_figures_record_access(RepFigures *f, guint workload, const char *status, gboolean ok,
                               gboolean fault, uint64_t pages, uint64_t latency_ns,
                               uint64_t now_ns) {
    /* first, so that it dominates: the timeline's record of the same latency
     * right after (rep_timeline_fault_done) reuses it once both are inlined */
    size_t bucket = rep_hist_paged__index(latency_ns);
    g_return_if_fail(workload < f->n_workloads);
    RepWorkloadFigures *w = &f->workloads[workload];
    w->finished++;
    w->last_done_ns = now_ns;
    if (G_UNLIKELY(latency_ns >= f->exact_room)) {
        record_direct(f, w, status, ok, fault, pages, latency_ns);
        return;
    }
    f->exact_room -= latency_ns;
    RepFiguresCell *c = w->cell; /* never NULL: at worst rep_figures__no_cell */
    if (G_UNLIKELY(c->status != status))
        c = rep_figures__cell(w, status);
    c->pages += pages;
    if (fault) {
        c->faults++;
        if (G_UNLIKELY(!ok)) /* (rare: a branch, not an add of 0 each time) */
            c->faults_failed++;
        c->faulted_ns += latency_ns;
        /* count and sum: the cell's faults and integer sum, set by the fold */
        rep_figures__place32(c->faulted32, c->faulted, latency_ns, bucket);
    } else {
        if (G_UNLIKELY(c->hit == NULL)) {
            c->hit = rep_histogram_new();
            c->hit32 = g_new0(uint32_t, REP_HIST_BUCKETS);
        }
        c->hits++;
        c->hit_ns += latency_ns;
        rep_figures__place32(c->hit32, c->hit, latency_ns, bucket);
    }
}

void rep_figures_start_window(RepFigures *f, uint64_t start_ns) {
    f->window_start_ns = start_ns;
    rep_figures__cells_reset(f);
    split_reset(&f->all);
    g_array_set_size(f->statuses, 0);
    for (guint i = 0; i < f->n_workloads; i++) {
        split_reset(&f->workloads[i].split);
        g_array_set_size(f->workloads[i].statuses, 0);
    }
    f->requests_sent = f->requests_pages = f->requests_coalesced = f->requests_cancelled = 0;
    f->supplied_pages = f->unused_pages = f->waits = f->wait_ns = 0;
    for (guint i = 0; i < f->n_providers; i++)
        f->providers[i].requests = f->providers[i].busy_ns = f->providers[i].busy_alive_ns = 0;
}

static int cmp_status(gconstpointer a, gconstpointer b) {
    return strcmp(((const RepStatusFigures *)a)->name, ((const RepStatusFigures *)b)->name);
}

static int cmp_count(gconstpointer a, gconstpointer b) {
    return strcmp(((const RepStatusCount *)a)->name, ((const RepStatusCount *)b)->name);
}

static void finish_provider(RepProviderFigures *p, uint64_t start, uint64_t end) {
    uint64_t len = end > start ? end - start : 0;
    uint64_t until = MIN(p->closed_at_ns, end);
    p->alive_ns = until > start ? until - start : 0;
    p->utilization =
        p->workers && len ? (double)p->busy_ns / ((double)p->workers * (double)len) : 0;
    p->utilization_alive =
        p->workers && p->alive_ns
            ? (double)p->busy_alive_ns / ((double)p->workers * (double)p->alive_ns)
            : 0;
}

/* The run's totals are the sum of its status splits (one record per access
 * fewer on the hot path). Latency sums are exact: they are whole nanoseconds
 * below 2^53. */
static void sum_statuses(RepFigures *f) {
    split_reset(&f->all);
    for (guint i = 0; i < f->statuses->len; i++) {
        const RepSplit *s = &g_array_index(f->statuses, RepStatusFigures, i).split;
        f->all.accesses += s->accesses;
        f->all.faults += s->faults;
        f->all.faults_failed += s->faults_failed;
        f->all.pages += s->pages;
        rep_histogram_merge(f->all.latency, s->latency);
        rep_histogram_merge(f->all.access_latency, s->access_latency);
    }
}

void rep_figures_finish(RepFigures *f, uint64_t end_ns, gboolean all_done) {
    f->sim_time_ns = end_ns;
    rep_figures__cells_spill(f);
    g_array_sort(f->statuses, cmp_status);
    sum_statuses(f);
    gboolean all_finite = f->n_workloads > 0;
    uint64_t makespan = 0;
    for (guint i = 0; i < f->n_workloads; i++) {
        RepWorkloadFigures *w = &f->workloads[i];
        g_array_sort(w->statuses, cmp_count);
        gboolean done = w->total && (all_done || w->finished >= w->total);
        w->makespan_ns = done ? w->last_done_ns : REP_FIGURES_NONE;
        all_finite = all_finite && done;
        if (done)
            makespan = MAX(makespan, w->last_done_ns);
    }
    f->makespan_ns = all_finite ? makespan : REP_FIGURES_NONE;
    for (guint i = 0; i < f->n_providers; i++)
        finish_provider(&f->providers[i], MIN(f->window_start_ns, end_ns), end_ns);
}

uint64_t rep_figures_window_ns(const RepFigures *f) {
    return f->sim_time_ns > f->window_start_ns ? f->sim_time_ns - f->window_start_ns : 0;
}

double rep_figures_rate(const RepFigures *f, double count) {
    uint64_t len = rep_figures_window_ns(f);
    return len ? count * 1e9 / (double)len : NAN;
}

double rep_figures_mean_wait(const RepFigures *f) {
    return f->waits ? (double)f->wait_ns / (double)f->waits : 0.0;
}

const RepSplit *rep_figures_find_status(const RepFigures *f, const char *status) {
    for (guint i = 0; f->statuses && i < f->statuses->len; i++) {
        const RepStatusFigures *s = &g_array_index(f->statuses, RepStatusFigures, i);
        if (strcmp(s->name, status) == 0)
            return &s->split;
    }
    return NULL;
}
