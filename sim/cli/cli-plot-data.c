/* Reading a run's results for `pagesim plot` (see cli-plot.h).
 *
 * Invariants:
 *  1. providers and workers have the same length, in summary.json's order;
 *  2. the timeline, when there is one, covers [trace_start, trace_end) in
 *     intervals of a 1-2-5 length, at most CLI_PLOT_INTERVALS of them.
 */
#include <string.h>

#include "sim/cli/cli-plot.h"
#include "sim/report/rep-histogram-io.h"
#include "sim/report/rep-summary.h"
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
    if (r->devices)
        g_ptr_array_unref(r->devices);
    if (r->depths)
        g_array_unref(r->depths);
    rep_histogram_free(r->latency);
    g_free(r->events_path);
    rep_timeline_free(r->timeline);
    if (r->splits)
        g_ptr_array_unref(r->splits);
    g_free(r);
}

/* The integer at @path of @s as a count; 0 when absent or negative. */
static uint64_t get_u64(const RepSummary *s, const char *path) {
    gint64 v = 0;
    return rep_summary_get_integer(s, path, &v) && v > 0 ? (uint64_t)v : 0;
}

/* Each element of the summary's list @section: its name into @names ("?"
 * when missing) and its integer @field into @values. */
static void read_named(const RepSummary *s, const char *section, const char *field,
                       GPtrArray *names, GArray *values) {
    guint n = rep_summary_get_length(s, section);
    for (guint i = 0; i < n; i++) {
        g_autofree char *name_path = g_strdup_printf("%s.%u.name", section, i);
        g_autofree char *value_path = g_strdup_printf("%s.%u.%s", section, i, field);
        const char *name = rep_summary_get_string(s, name_path);
        guint value = (guint)get_u64(s, value_path);
        g_ptr_array_add(names, g_strdup(name ? name : "?"));
        g_array_append_val(values, value);
    }
}

static void read_providers(CliRunResults *r, const RepSummary *s) {
    read_named(s, "providers", "workers", r->providers, r->workers);
}

/* The devices (for the timeline's device panels) and whether there is memory. */
static void read_devices(CliRunResults *r, const RepSummary *s) {
    read_named(s, "devices", "queue_depth", r->devices, r->depths);
    r->memory = rep_summary_get_string(s, "memory.reclaim") != NULL;
}

/* The traced window of summary.json's "trace" object, if it has one. */
static void read_window(CliRunResults *r, const RepSummary *s) {
    gint64 start, end;
    r->trace_start = 0;
    r->trace_end = r->sim_time_ns;
    if (rep_summary_get_length(s, "trace.window_ns") != 2)
        return;
    r->trace_start = rep_summary_get_integer(s, "trace.window_ns.0", &start) ? (uint64_t)start : 0;
    r->trace_end =
        rep_summary_get_integer(s, "trace.window_ns.1", &end) ? (uint64_t)end : r->sim_time_ns;
}

/* Reads summary.json with report/'s reader, the one the comparison tables use. */
static gboolean read_summary(CliRunResults *r, GError **error) {
    g_autofree char *path = g_build_filename(r->dir, "summary.json", NULL);
    g_autoptr(GError) local = NULL;
    g_autoptr(RepSummary) s = rep_summary_load(path, &local);
    if (s == NULL) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                    "%s (is %s the output directory of 'pagesim run'?)", local->message, r->dir);
        return FALSE;
    }
    const char *scenario = rep_summary_get_string(s, "scenario");
    const char *policy = rep_summary_get_string(s, "policy");
    r->scenario = g_strdup(scenario ? scenario : "?");
    r->policy = g_strdup(policy ? policy : "?");
    r->seed = get_u64(s, "seed");
    r->sim_time_ns = get_u64(s, "sim_time_ns");
    read_providers(r, s);
    read_devices(r, s);
    read_window(r, s);
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
    for (guint i = 0; i < r->devices->len; i++)
        rep_timeline_add_device(r->timeline, g_ptr_array_index(r->devices, i),
                                g_array_index(r->depths, guint, i));
    rep_timeline_set_memory(r->timeline, r->memory);
    rep_timeline_set_horizon(r->timeline, r->sim_time_ns);
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
    r->devices = g_ptr_array_new_with_free_func(g_free);
    r->depths = g_array_new(FALSE, FALSE, sizeof(guint));
    if (!read_summary(r, error))
        return NULL;
    g_autofree char *hist = g_build_filename(dir, "latency-histogram.tsv", NULL);
    if (g_file_test(hist, G_FILE_TEST_EXISTS) &&
        (r->latency = rep_histogram_read_buckets(hist, error)) == NULL)
        return NULL;
    g_autofree char *splits = g_build_filename(dir, "latency-splits.tsv", NULL);
    if (g_file_test(splits, G_FILE_TEST_EXISTS) &&
        (r->splits = rep_splits_read(splits, error)) == NULL)
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
