/* summary.json (see rep-summary.h). The document is built once as JSON; the
 * writer dumps it and the number getter walks it, so a summary read back from
 * a file answers exactly as the one just built.
 */
#include "sim/report/rep-summary.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

struct _RepSummary {
    json_t *doc; /* a JSON object (owned) */
};

static json_t *u64(uint64_t v) { return json_integer((json_int_t)v); }

/* A number that may not exist: NAN and REP_FIGURES_NONE are null. */
static json_t *real_or_null(double v) { return isnan(v) ? json_null() : json_real(v); }
static json_t *time_or_null(uint64_t v) { return v == REP_FIGURES_NONE ? json_null() : u64(v); }

/* count, min, mean, percentiles and max of @h; all but count are null when it
 * holds no sample. */
static json_t *latency_json(const RepHistogram *h) {
    static const struct {
        const char *key;
        double q;
    } qs[] = {{"p50", 0.5}, {"p90", 0.9}, {"p99", 0.99}, {"p999", 0.999}, {"p9999", 0.9999}};
    gboolean any = h->count > 0;
    double q[G_N_ELEMENTS(qs)];
    uint64_t v[G_N_ELEMENTS(qs)];
    for (size_t i = 0; i < G_N_ELEMENTS(qs); i++)
        q[i] = qs[i].q;
    rep_histogram_quantiles(h, q, G_N_ELEMENTS(qs), v); /* (growing: one walk) */
    json_t *o = json_object();
    json_object_set_new(o, "count", u64(h->count));
    json_object_set_new(o, "min", any ? u64(h->min) : json_null());
    json_object_set_new(o, "mean", any ? json_real(rep_histogram_mean(h)) : json_null());
    for (size_t i = 0; i < G_N_ELEMENTS(qs); i++)
        json_object_set_new(o, qs[i].key, any ? u64(v[i]) : json_null());
    json_object_set_new(o, "max", any ? u64(h->max) : json_null());
    return o;
}

/* Accesses, faults, pages and bytes per simulated second of the window. */
static json_t *throughput_json(const RepFigures *f, const RepSplit *s) {
    json_t *o = json_object();
    json_object_set_new(o, "accesses_per_s",
                        real_or_null(rep_figures_rate(f, (double)s->accesses)));
    json_object_set_new(o, "faults_per_s", real_or_null(rep_figures_rate(f, (double)s->faults)));
    json_object_set_new(o, "pages_per_s", real_or_null(rep_figures_rate(f, (double)s->pages)));
    json_object_set_new(o, "bytes_per_s",
                        real_or_null(rep_figures_rate(f, (double)s->pages * 4096.0)));
    return o;
}

/* The counts and both latency summaries of a split. */
static void put_split(json_t *o, const RepSplit *s) {
    json_object_set_new(o, "accesses", u64(s->accesses));
    json_object_set_new(o, "faults", u64(s->faults));
    json_object_set_new(o, "pages", u64(s->pages));
    json_object_set_new(o, "latency_ns", latency_json(s->latency));
    json_object_set_new(o, "access_latency_ns", latency_json(s->access_latency));
}

static json_t *by_status_json(const RepFigures *f) {
    json_t *o = json_object();
    for (guint i = 0; i < f->statuses->len; i++) {
        const RepStatusFigures *s = &g_array_index(f->statuses, RepStatusFigures, i);
        json_object_set_new(o, s->name, u64(s->split.accesses));
    }
    return o;
}

static json_t *statuses_json(const RepFigures *f) {
    json_t *o = json_object();
    for (guint i = 0; i < f->statuses->len; i++) {
        const RepStatusFigures *s = &g_array_index(f->statuses, RepStatusFigures, i);
        json_t *e = json_object();
        put_split(e, &s->split);
        json_object_set_new(o, s->name, e);
    }
    return o;
}

static json_t *workload_json(const RepFigures *f, const RepWorkloadFigures *w) {
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(w->name ? w->name : "?"));
    json_object_set_new(o, "kind", json_string(w->kind ? w->kind : "?"));
    json_object_set_new(o, "access", json_string(w->access ? w->access : "?"));
    put_split(o, &w->split);
    json_object_set_new(o, "throughput", throughput_json(f, &w->split));
    json_object_set_new(o, "makespan_ns", time_or_null(w->makespan_ns));
    json_t *st = json_object();
    for (guint i = 0; i < w->statuses->len; i++) {
        const RepStatusCount *c = &g_array_index(w->statuses, RepStatusCount, i);
        json_object_set_new(st, c->name, u64(c->count));
    }
    json_object_set_new(o, "by_status", st);
    return o;
}

static json_t *workloads_json(const RepFigures *f) {
    json_t *a = json_array();
    for (guint i = 0; i < f->n_workloads; i++)
        json_array_append_new(a, workload_json(f, &f->workloads[i]));
    return a;
}

static json_t *providers_json(const RepFigures *f) {
    json_t *a = json_array();
    for (guint i = 0; i < f->n_providers; i++) {
        const RepProviderFigures *p = &f->providers[i];
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(p->name ? p->name : "?"));
        json_object_set_new(o, "kind", json_string(p->kind ? p->kind : "?"));
        json_object_set_new(o, "workers", json_integer(p->workers));
        json_object_set_new(o, "requests", u64(p->requests));
        json_object_set_new(o, "busy_ns", u64(p->busy_ns));
        json_object_set_new(o, "utilization", json_real(p->utilization));
        json_object_set_new(o, "alive_ns", u64(p->alive_ns));
        json_object_set_new(o, "busy_alive_ns", u64(p->busy_alive_ns));
        json_object_set_new(o, "utilization_alive", json_real(p->utilization_alive));
        json_array_append_new(a, o);
    }
    return a;
}

/* The devices' figures; only scenarios with devices have the key. */
static json_t *devices_json(const RepFigures *f) {
    json_t *a = json_array();
    for (guint i = 0; i < f->n_devices; i++) {
        const RepDeviceFigures *d = &f->devices[i];
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(d->name ? d->name : "?"));
        json_object_set_new(o, "kind", json_string(d->kind ? d->kind : "?"));
        json_object_set_new(o, "queue_depth", json_integer(d->queue_depth));
        json_object_set_new(o, "reads", u64(d->requests));
        json_object_set_new(o, "bytes", u64(d->bytes));
        json_object_set_new(o, "sequential", u64(d->sequential));
        json_object_set_new(o, "utilization", json_real(d->utilization));
        json_object_set_new(o, "queue", json_real(d->queue));
        json_object_set_new(o, "in_service", json_real(d->in_service));
        json_object_set_new(o, "iops", json_real(d->iops));
        json_object_set_new(o, "mbps", json_real(d->mbps));
        json_array_append_new(a, o);
    }
    return a;
}

/* A distribution of counts or times: count, mean and three percentiles. */
static json_t *dist_json(const RepHistogram *h) {
    json_t *o = json_object();
    json_object_set_new(o, "count", u64(h->count));
    json_object_set_new(o, "mean", json_real(rep_histogram_mean(h)));
    json_object_set_new(o, "p50", u64(rep_histogram_quantile(h, 0.5)));
    json_object_set_new(o, "p90", u64(rep_histogram_quantile(h, 0.9)));
    json_object_set_new(o, "p99", u64(rep_histogram_quantile(h, 0.99)));
    json_object_set_new(o, "max", u64(h->max));
    return o;
}

/* The "memory" object: the memory pressure figures of a run whose scenario has
 * a "memory" section (scenarios/README.md lists the fields). */
static json_t *memory_json(const RepMemoryFigures *m) {
    json_t *o = json_object();
    json_object_set_new(o, "reclaim", json_string(m->reclaim));
    json_object_set_new(o, "capacity_pages", u64(m->capacity_pages));
    json_object_set_new(o, "high_pages", u64(m->high_pages));
    json_object_set_new(o, "low_pages", u64(m->low_pages));
    json_object_set_new(o, "resident_max", u64(m->resident_max));
    json_object_set_new(o, "resident_end", u64(m->resident_end));
    json_object_set_new(o, "resident_mean", json_real(m->resident_mean));
    json_object_set_new(o, "evictions", u64(m->evictions));
    json_t *by = json_object();
    json_object_set_new(by, "reclaimer", u64(m->evicted_by[0]));
    json_object_set_new(by, "direct", u64(m->evicted_by[1]));
    json_object_set_new(by, "insert", u64(m->evicted_by[2]));
    json_object_set_new(o, "evicted_by", by);
    json_object_set_new(o, "evicted_unused", u64(m->evicted_unused));
    json_object_set_new(o, "refaults", u64(m->refaults));
    json_object_set_new(o, "refault_distance", dist_json(m->refault_distance));
    json_object_set_new(o, "readahead_refaults", u64(m->readahead_refaults));
    json_object_set_new(o, "shadow_limit_pages", u64(m->shadow_limit));
    json_object_set_new(o, "shadows_max", u64(m->shadows_max));
    json_object_set_new(o, "shadows_dropped", u64(m->shadows_dropped));
    json_object_set_new(o, "reclaimer_wakeups", u64(m->reclaimer_wakeups));
    json_object_set_new(o, "reclaimer_busy_ns", u64(m->reclaimer_busy_ns));
    json_t *d = dist_json(m->direct_latency);
    json_object_set_new(d, "total_ns", u64(m->direct_ns));
    json_object_set_new(o, "direct_reclaim_ns", d);
    json_object_set_new(o, "agings", u64(m->agings));
    return o;
}

/* The "locks" array: one object per VMO lock, with a VMO lock cost only. */
static json_t *locks_json(const RepFigures *f) {
    json_t *a = json_array();
    uint64_t window = f->sim_time_ns > f->window_start_ns ? f->sim_time_ns - f->window_start_ns : 0;
    for (guint i = 0; i < f->n_locks; i++) {
        const RepLockFigures *l = &f->locks[i];
        json_t *o = json_object();
        json_object_set_new(o, "vmo", json_string(l->vmo));
        json_object_set_new(o, "acquisitions", u64(l->acquisitions));
        json_object_set_new(o, "contended", u64(l->contended));
        json_object_set_new(o, "wait_ns", u64(l->wait_ns));
        json_object_set_new(o, "hold_ns", u64(l->hold_ns));
        json_object_set_new(o, "held_fraction",
                            json_real(window ? (double)l->hold_ns / (double)window : 0.0));
        json_object_set_new(o, "wait", dist_json(l->wait));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *trace_json(const RepTraceFiles *t, uint64_t end) {
    json_t *o = json_object();
    json_object_set_new(o, "native", t->native ? json_string(t->native) : json_null());
    json_object_set_new(o, "perfetto", t->perfetto ? json_string(t->perfetto) : json_null());
    json_t *win = json_array();
    json_array_append_new(win, u64(MIN(t->window_start, end)));
    json_array_append_new(win, u64(MIN(t->window_end, end)));
    json_object_set_new(o, "window_ns", win);
    if (t->truncated) /* --trace-max cut the traces here */
        json_object_set_new(o, "truncated_at", u64(t->truncated_at));
    return o;
}

static json_t *strv_json(const char *const *v) {
    json_t *a = json_array();
    for (; v && *v; v++)
        json_array_append_new(a, json_string(*v));
    return a;
}

static json_t *provenance_json(const RepProvenance *p) {
    json_t *o = json_object();
    json_object_set_new(o, "version", json_string(p->version ? p->version : "?"));
    json_object_set_new(o, "revision", json_string(p->revision ? p->revision : "?"));
    json_object_set_new(o, "source", p->source ? json_string(p->source) : json_null());
    json_object_set_new(o, "command", strv_json(p->command));
    json_object_set_new(o, "overrides", strv_json(p->overrides));
    json_object_set_new(o, "resolved", p->resolved ? json_string(p->resolved) : json_null());
    return o;
}

/* The fields of the user contract (README.md) and their first companions, in their historical
 * order. */
static void put_counts(json_t *o, const RepFigures *f) {
    const RepSplit *ok = rep_figures_find_status(f, "ZX_OK");
    json_object_set_new(o, "accesses", u64(f->all.accesses));
    json_object_set_new(o, "faults", u64(f->all.faults));
    json_object_set_new(o, "faults_failed", u64(f->all.faults_failed));
    json_object_set_new(o, "accesses_failed", u64(f->all.accesses - (ok ? ok->accesses : 0)));
    json_object_set_new(o, "pages_accessed", u64(f->all.pages));
    json_object_set_new(o, "bytes_accessed", u64(f->all.pages * 4096));
    json_object_set_new(o, "throughput", throughput_json(f, &f->all));
    json_object_set_new(o, "makespan_ns", time_or_null(f->makespan_ns));
    json_t *req = json_object();
    json_object_set_new(req, "sent", u64(f->requests_sent));
    json_object_set_new(req, "pages", u64(f->requests_pages));
    json_object_set_new(req, "coalesced", u64(f->requests_coalesced));
    json_object_set_new(req, "cancelled", u64(f->requests_cancelled));
    json_object_set_new(o, "requests", req);
    json_object_set_new(o, "supplied_pages", u64(f->supplied_pages));
    json_object_set_new(o, "pages_unused", u64(f->unused_pages));
    json_object_set_new(o, "waits", u64(f->waits));
    json_object_set_new(o, "mean_wait_ns", json_real(rep_figures_mean_wait(f)));
    json_object_set_new(o, "overtime_waits", u64(f->overtime_waits));
}

RepSummary *rep_summary_new(const RepRunInfo *info, const RepFigures *f) {
    json_t *o = json_object();
    json_object_set_new(o, "scenario", json_string(info->scenario));
    json_object_set_new(o, "seed", u64(info->seed));
    json_object_set_new(o, "policy", json_string(info->policy));
    json_object_set_new(o, "sim_time_ns", u64(f->sim_time_ns));
    json_object_set_new(o, "events", u64(f->events));
    json_object_set_new(o, "stop", json_string(f->stop_reason ? f->stop_reason : "?"));
    if (f->interrupted) /* a signal stopped the run: these are the figures so far */
        json_object_set_new(o, "interrupted", json_true());
    json_object_set_new(o, "wall_s", json_real(info->wall_s));
    json_t *win = json_array();
    json_array_append_new(win, u64(MIN(f->window_start_ns, f->sim_time_ns)));
    json_array_append_new(win, u64(f->sim_time_ns));
    json_object_set_new(o, "window_ns", win);
    put_counts(o, f);
    if (f->arrivals_dropped) /* open workloads past max_in_flight */
        json_object_set_new(o, "arrivals_dropped", u64(f->arrivals_dropped));
    json_object_set_new(o, "latency_ns", latency_json(f->all.latency));
    json_object_set_new(o, "access_latency_ns", latency_json(f->all.access_latency));
    json_object_set_new(o, "by_status", by_status_json(f));
    json_object_set_new(o, "statuses", statuses_json(f));
    json_object_set_new(o, "workloads", workloads_json(f));
    json_object_set_new(o, "providers", providers_json(f));
    if (f->n_devices)
        json_object_set_new(o, "devices", devices_json(f));
    if (f->memory)
        json_object_set_new(o, "memory", memory_json(f->memory));
    if (f->locks)
        json_object_set_new(o, "locks", locks_json(f));
    if (info->trace)
        json_object_set_new(o, "trace", trace_json(info->trace, f->sim_time_ns));
    json_object_set_new(o, "checked", json_boolean(f->checked));
    if (f->violation)
        json_object_set_new(o, "violation", json_string(f->violation));
    if (info->provenance)
        json_object_set_new(o, "provenance", provenance_json(info->provenance));
    RepSummary *s = g_new0(RepSummary, 1);
    s->doc = o;
    return s;
}

RepSummary *rep_summary_load(const char *path, GError **error) {
    json_error_t jerr;
    json_t *o = json_load_file(path, 0, &jerr);
    if (o == NULL || !json_is_object(o)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: %s", path,
                    o ? "not a JSON object" : jerr.text);
        json_decref(o);
        return NULL;
    }
    RepSummary *s = g_new0(RepSummary, 1);
    s->doc = o;
    return s;
}

void rep_summary_free(RepSummary *s) {
    if (s == NULL)
        return;
    json_decref(s->doc);
    g_free(s);
}

gboolean rep_summary_write(const RepSummary *s, FILE *out, GError **error) {
    if (json_dumpf(s->doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(9)) !=
            0 ||
        fputc('\n', out) == EOF) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "cannot write summary.json");
        return FALSE;
    }
    return TRUE;
}

static gboolean max_over(json_t *a, const char *rest, double *out);

/* The value at @path under @v: keys joined by '.', a decimal key indexing an
 * array. NULL if there is none. */
static json_t *value_at(json_t *v, const char *path) {
    g_auto(GStrv) keys = g_strsplit(path, ".", -1);
    for (char **k = keys; v && *k; k++) {
        guint64 i;
        if (json_is_array(v) && g_ascii_string_to_unsigned(*k, 10, 0, G_MAXINT, &i, NULL))
            v = json_array_get(v, (size_t)i);
        else
            v = json_is_object(v) ? json_object_get(v, *k) : NULL;
    }
    return v;
}

static gboolean number_at(json_t *v, const char *path, double *out) {
    const char *mark = path ? strstr(path, "[]") : NULL;
    if (mark) {
        g_autofree char *head = g_strndup(path, (gsize)(mark - path));
        const char *rest = mark[2] == '.' ? mark + 3 : NULL;
        return max_over(value_at(v, head), rest, out);
    }
    json_t *x = path && *path ? value_at(v, path) : v;
    if (!json_is_number(x))
        return FALSE;
    *out = json_number_value(x);
    return TRUE;
}

/* The largest number at @rest in the elements of the array @a. */
static gboolean max_over(json_t *a, const char *rest, double *out) {
    size_t i;
    json_t *e;
    gboolean any = FALSE;
    json_array_foreach(a, i, e) {
        double x;
        if (number_at(e, rest, &x) && (!any || x > *out)) {
            *out = x;
            any = TRUE;
        }
    }
    return any;
}

gboolean rep_summary_get_number(const RepSummary *s, const char *path, double *out) {
    return number_at(s->doc, path, out);
}

const char *rep_summary_get_string(const RepSummary *s, const char *path) {
    return json_string_value(value_at(s->doc, path));
}

gboolean rep_summary_get_integer(const RepSummary *s, const char *path, gint64 *out) {
    json_t *v = value_at(s->doc, path);
    if (!json_is_integer(v))
        return FALSE;
    *out = json_integer_value(v);
    return TRUE;
}

guint rep_summary_get_length(const RepSummary *s, const char *path) {
    return (guint)json_array_size(value_at(s->doc, path));
}
