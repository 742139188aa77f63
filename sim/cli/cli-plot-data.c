/* Reading a run's results for `pagesim plot` (see cli-plot.h).
 *
 * Invariants:
 *  1. providers and workers have the same length, in summary.json's order;
 *  2. the timeline, when there is one, covers [trace_start, trace_end) in
 *     intervals of a 1-2-5 length, at most CLI_PLOT_INTERVALS of them.
 */
#include <jansson.h>
#include <string.h>

#include "sim/cli/cli-plot.h"
#include "sim/report/rep-histogram-io.h"
#include "sim/report/rep-timeline-io.h"

void cli_run_results_free(CliRunResults *r) {
    if (r == NULL)
        return;
    g_free(r->dir);
    g_free(r->scenario);
    g_free(r->policy);
    if (r->providers)
        g_ptr_array_unref(r->providers);
    if (r->workers)
        g_array_unref(r->workers);
    rep_histogram_free(r->latency);
    g_free(r->events_path);
    rep_timeline_free(r->timeline);
    g_free(r);
}

static uint64_t get_u64(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) && json_integer_value(v) > 0 ? (uint64_t)json_integer_value(v) : 0;
}

static void read_providers(CliRunResults *r, json_t *list) {
    size_t i;
    json_t *p;
    json_array_foreach(list, i, p) {
        const char *name = json_string_value(json_object_get(p, "name"));
        guint workers = (guint)get_u64(p, "workers");
        g_ptr_array_add(r->providers, g_strdup(name ? name : "?"));
        g_array_append_val(r->workers, workers);
    }
}

/* The traced window of summary.json's "trace" object, if it has one. */
static void read_window(CliRunResults *r, json_t *trace) {
    json_t *win = json_object_get(trace, "window_ns");
    r->trace_start = 0;
    r->trace_end = r->sim_time_ns;
    if (json_array_size(win) == 2) {
        json_t *a = json_array_get(win, 0), *b = json_array_get(win, 1);
        r->trace_start = json_is_integer(a) ? (uint64_t)json_integer_value(a) : 0;
        r->trace_end = json_is_integer(b) ? (uint64_t)json_integer_value(b) : r->sim_time_ns;
    }
}

static gboolean read_summary(CliRunResults *r, GError **error) {
    g_autofree char *path = g_build_filename(r->dir, "summary.json", NULL);
    json_error_t jerr;
    json_auto_t *o = json_load_file(path, 0, &jerr);
    if (o == NULL || !json_is_object(o)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                    "%s: %s (is %s the output directory of 'pagesim run'?)", path,
                    o ? "not a JSON object" : jerr.text, r->dir);
        return FALSE;
    }
    const char *scenario = json_string_value(json_object_get(o, "scenario"));
    const char *policy = json_string_value(json_object_get(o, "policy"));
    r->scenario = g_strdup(scenario ? scenario : "?");
    r->policy = g_strdup(policy ? policy : "?");
    r->seed = get_u64(o, "seed");
    r->sim_time_ns = get_u64(o, "sim_time_ns");
    read_providers(r, json_object_get(o, "providers"));
    read_window(r, json_object_get(o, "trace"));
    return TRUE;
}

typedef struct {
    RepTimeline *timeline; /* fed every event */
    RepHistogram *latency; /* nullable: fed fault latencies */
} Feed;

static void feed(const RepEvent *e, gpointer data) {
    Feed *f = data;
    rep_timeline_feed(e, f->timeline);
    uint64_t fault = 0, latency = 0;
    if (f->latency && (e->ev == REP_EV_DONE) && rep_event_get_u64(e, REP_KEY_FAULT, &fault) &&
        fault && rep_event_get_u64(e, REP_KEY_LATENCY_NS, &latency))
        rep_histogram_record(f->latency, latency);
}

/* Folds events.jsonl into a timeline (and the histogram when it is missing). */
static gboolean read_events(CliRunResults *r, GError **error) {
    uint64_t length = r->trace_end > r->trace_start ? r->trace_end - r->trace_start : 0;
    if (length == 0)
        return TRUE;
    uint64_t interval = rep_timeline_nice_interval(length, CLI_PLOT_INTERVALS);
    guint n = (guint)((length + interval - 1) / interval);
    r->timeline = rep_timeline_new(r->trace_start, interval, n);
    for (guint i = 0; i < r->providers->len; i++)
        rep_timeline_add_provider(r->timeline, g_ptr_array_index(r->providers, i),
                                  g_array_index(r->workers, guint, i));
    Feed f = {r->timeline, NULL};
    if (r->latency == NULL) {
        r->latency = f.latency = rep_histogram_new();
        r->latency_from_events = TRUE;
    }
    if (!rep_event_read_file(r->events_path, feed, &f, error))
        return FALSE;
    rep_timeline_finish(r->timeline, r->trace_end);
    return TRUE;
}

CliRunResults *cli_run_results_load(const char *dir, GError **error) {
    g_autoptr(CliRunResults) r = g_new0(CliRunResults, 1);
    r->dir = g_strdup(dir);
    r->providers = g_ptr_array_new_with_free_func(g_free);
    r->workers = g_array_new(FALSE, FALSE, sizeof(guint));
    if (!read_summary(r, error))
        return NULL;
    g_autofree char *hist = g_build_filename(dir, "latency-histogram.tsv", NULL);
    if (g_file_test(hist, G_FILE_TEST_EXISTS) &&
        (r->latency = rep_histogram_read_buckets(hist, error)) == NULL)
        return NULL;
    r->events_path = g_build_filename(dir, "events.jsonl", NULL);
    if (!g_file_test(r->events_path, G_FILE_TEST_EXISTS)) { /* --gzip-events */
        g_free(r->events_path);
        r->events_path = g_build_filename(dir, "events.jsonl.gz", NULL);
    }
    if (!g_file_test(r->events_path, G_FILE_TEST_EXISTS))
        g_clear_pointer(&r->events_path, g_free);
    g_autofree char *tl_path = g_build_filename(dir, "timeline.tsv", NULL);
    g_autoptr(RepTimeline) tl = NULL;
    if (g_file_test(tl_path, G_FILE_TEST_EXISTS) &&
        (tl = rep_timeline_read(tl_path, error)) == NULL)
        return NULL;
    if ((tl == NULL || r->latency == NULL) && r->events_path && !read_events(r, error))
        return NULL;
    if (tl) { /* made during the run: the whole run, whatever the trace covers */
        rep_timeline_free(r->timeline);
        r->timeline = g_steal_pointer(&tl);
        r->trace_start = 0;
        r->trace_end = r->sim_time_ns;
        r->timeline_from_run = TRUE;
    }
    return g_steal_pointer(&r);
}
