/* summary.json: the figures of one run, as DESIGN.md fixes them, and which
 * traces it wrote ("trace": {"native", "perfetto", "window_ns"}). Keys are
 * written in a fixed order and statuses sorted by name, so the same run gives
 * the same bytes (wall_s aside). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli/cli.h"

static json_t *latency_json(const RepHistogram *h) {
    json_t *o = json_object();
    json_object_set_new(o, "count", json_integer((json_int_t)h->count));
    json_object_set_new(o, "min", json_integer((json_int_t)(h->count ? h->min : 0)));
    json_object_set_new(o, "mean", json_real(rep_histogram_mean(h)));
    static const struct {
        const char *key;
        double q;
    } qs[] = {{"p50", 0.5}, {"p90", 0.9}, {"p99", 0.99}, {"p999", 0.999}, {"p9999", 0.9999}};
    for (size_t i = 0; i < G_N_ELEMENTS(qs); i++)
        json_object_set_new(o, qs[i].key,
                            json_integer((json_int_t)rep_histogram_quantile(h, qs[i].q)));
    json_object_set_new(o, "max", json_integer((json_int_t)h->max));
    return o;
}

#define SET_U64(o, k, v) json_object_set_new(o, k, json_integer((json_int_t)(v)))

static json_t *dist_json(const RepHistogram *h) {
    json_t *o = json_object();
    SET_U64(o, "count", h->count);
    json_object_set_new(o, "mean", json_real(rep_histogram_mean(h)));
    SET_U64(o, "p50", rep_histogram_quantile(h, 0.5));
    SET_U64(o, "p90", rep_histogram_quantile(h, 0.9));
    SET_U64(o, "p99", rep_histogram_quantile(h, 0.99));
    SET_U64(o, "max", h->max);
    return o;
}

/* summary.json's "memory" object: the memory pressure figures of a run whose
 * scenario has a "memory" section (scenarios/README.md lists the fields). */
static json_t *memory_json(const MdlMemoryStats *m) {
    json_t *o = json_object();
    json_object_set_new(o, "reclaim", json_string(m->reclaim));
    SET_U64(o, "capacity_pages", m->capacity_pages);
    SET_U64(o, "high_pages", m->high_pages);
    SET_U64(o, "low_pages", m->low_pages);
    SET_U64(o, "resident_max", m->resident_max);
    SET_U64(o, "resident_end", m->resident_end);
    SET_U64(o, "evictions", m->evictions);
    json_t *by = json_object();
    SET_U64(by, "reclaimer", m->evicted_by[0]);
    SET_U64(by, "direct", m->evicted_by[1]);
    SET_U64(by, "insert", m->evicted_by[2]);
    json_object_set_new(o, "evicted_by", by);
    SET_U64(o, "evicted_unused", m->evicted_unused);
    SET_U64(o, "refaults", m->refaults);
    json_object_set_new(o, "refault_distance", dist_json(m->refault_distance));
    SET_U64(o, "reclaimer_wakeups", m->reclaimer_wakeups);
    SET_U64(o, "reclaimer_busy_ns", m->reclaimer_busy_ns);
    json_t *d = dist_json(m->direct_latency);
    SET_U64(d, "total_ns", m->direct_ns);
    json_object_set_new(o, "direct_reclaim_ns", d);
    SET_U64(o, "agings", m->agings);
    return o;
}

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static json_t *by_status_json(GHashTable *by_status) {
    g_autofree gpointer *keys = g_hash_table_get_keys_as_array(by_status, NULL);
    guint n = g_hash_table_size(by_status);
    qsort(keys, n, sizeof(gpointer), cmp_names);
    json_t *o = json_object();
    for (guint i = 0; i < n; i++) {
        gsize count = GPOINTER_TO_SIZE(g_hash_table_lookup(by_status, keys[i]));
        json_object_set_new(o, keys[i], json_integer((json_int_t)count));
    }
    return o;
}

static json_t *providers_json(const MdlStats *s) {
    json_t *a = json_array();
    for (guint i = 0; i < s->n_providers; i++) {
        const MdlProviderStats *p = &s->providers[i];
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(p->name));
        json_object_set_new(o, "kind", json_string(p->kind));
        json_object_set_new(o, "workers", json_integer(p->workers));
        json_object_set_new(o, "requests", json_integer((json_int_t)p->requests));
        json_object_set_new(o, "busy_ns", json_integer((json_int_t)p->busy_ns));
        json_object_set_new(o, "utilization", json_real(p->utilization));
        json_array_append_new(a, o);
    }
    return a;
}

/* The devices' figures; only scenarios with devices have the key. */
static json_t *devices_json(const MdlStats *s) {
    json_t *a = json_array();
    for (guint i = 0; i < s->n_devices; i++) {
        const MdlDeviceStats *d = &s->devices[i];
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(d->name));
        json_object_set_new(o, "kind", json_string(d->kind));
        json_object_set_new(o, "queue_depth", json_integer(d->queue_depth));
        json_object_set_new(o, "reads", json_integer((json_int_t)d->requests));
        json_object_set_new(o, "bytes", json_integer((json_int_t)d->bytes));
        json_object_set_new(o, "sequential", json_integer((json_int_t)d->sequential));
        json_object_set_new(o, "utilization", json_real(d->utilization));
        json_object_set_new(o, "queue", json_real(d->queue));
        json_object_set_new(o, "in_service", json_real(d->in_service));
        json_object_set_new(o, "iops", json_real(d->iops));
        json_object_set_new(o, "mbps", json_real(d->mbps));
        json_array_append_new(a, o);
    }
    return a;
}

/* The traces written, and the simulated times they cover. */
static json_t *trace_json(const CliTraceSetup *ts, const MdlStats *s) {
    json_t *o = json_object();
    json_object_set_new(o, "native",
                        ts->native ? json_string(ts->native_name ? ts->native_name : "events.jsonl")
                                   : json_null());
    json_object_set_new(o, "perfetto", ts->perfetto ? json_string(ts->perfetto_name) : json_null());
    json_t *win = json_array();
    json_array_append_new(win, json_integer((json_int_t)MIN(ts->window_start, s->sim_time_ns)));
    json_array_append_new(win, json_integer((json_int_t)MIN(ts->window_end, s->sim_time_ns)));
    json_object_set_new(o, "window_ns", win);
    if (ts->truncated) /* --trace-max cut the traces here */
        json_object_set_new(o, "truncated_at", json_integer((json_int_t)ts->truncated_at));
    return o;
}

gboolean cli_write_summary(FILE *out, const ScnScenario *sc, const MdlStats *s, double wall_s,
                           GError **error) {
    return cli_write_run_summary(out, sc, s, wall_s, NULL, error);
}

gboolean cli_write_run_summary(FILE *out, const ScnScenario *sc, const MdlStats *s, double wall_s,
                               const CliTraceSetup *ts, GError **error) {
    json_auto_t *o = json_object();
    json_object_set_new(o, "scenario", json_string(sc->name));
    json_object_set_new(o, "seed", json_integer((json_int_t)sc->seed));
    json_object_set_new(o, "policy", json_string(sc->policy.spec));
    json_object_set_new(o, "sim_time_ns", json_integer((json_int_t)s->sim_time_ns));
    json_object_set_new(o, "events", json_integer((json_int_t)s->events));
    json_object_set_new(o, "stop", json_string(s->stop_reason));
    if (s->interrupted) /* a signal stopped the run: these are the figures so far */
        json_object_set_new(o, "interrupted", json_true());
    json_object_set_new(o, "wall_s", json_real(wall_s));
    json_object_set_new(o, "accesses", json_integer((json_int_t)s->accesses));
    json_object_set_new(o, "faults", json_integer((json_int_t)s->faults));
    json_object_set_new(o, "faults_failed", json_integer((json_int_t)s->faults_failed));
    json_t *req = json_object();
    json_object_set_new(req, "sent", json_integer((json_int_t)s->requests_sent));
    json_object_set_new(req, "pages", json_integer((json_int_t)s->requests_pages));
    json_object_set_new(req, "coalesced", json_integer((json_int_t)s->requests_coalesced));
    json_object_set_new(req, "cancelled", json_integer((json_int_t)s->requests_cancelled));
    json_object_set_new(o, "requests", req);
    json_object_set_new(o, "supplied_pages", json_integer((json_int_t)s->supplied_pages));
    json_object_set_new(o, "pages_unused", json_integer((json_int_t)s->unused_pages));
    if (s->arrivals_dropped) /* open workloads past max_in_flight */
        json_object_set_new(o, "arrivals_dropped", json_integer((json_int_t)s->arrivals_dropped));
    json_object_set_new(o, "waits", json_integer((json_int_t)s->waits));
    json_object_set_new(o, "mean_wait_ns", json_real(mdl_stats_mean_wait(s)));
    json_object_set_new(o, "latency_ns", latency_json(s->latency));
    json_object_set_new(o, "by_status", by_status_json(s->by_status));
    json_object_set_new(o, "providers", providers_json(s));
    if (s->n_devices)
        json_object_set_new(o, "devices", devices_json(s));
    if (s->memory)
        json_object_set_new(o, "memory", memory_json(s->memory));
    if (ts)
        json_object_set_new(o, "trace", trace_json(ts, s));
    json_object_set_new(o, "checked", json_boolean(s->checked));
    if (s->violation)
        json_object_set_new(o, "violation", json_string(s->violation));
    if (json_dumpf(o, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(9)) != 0 ||
        fputc('\n', out) == EOF) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "cannot write summary.json");
        return FALSE;
    }
    return TRUE;
}
