/* trace.json of real runs: every scenario of scenarios/ is run by pagesim with
 * --trace perfetto (stopped at 20 ms of simulated time where the scenario has a
 * stop time) and its trace.json must pass the structural checks Perfetto's
 * importer relies on (trace-check.h); then the window, gzip, --trace both, the
 * summary's "trace" object, determinism, and the option errors. */
#include <glib/gstdio.h>
#include <jansson.h>
#include <string.h>

#include "plot-test-util.h"
#include "trace-check.h"

/* Whether the scenario at @path has a stop time (which --set can then shorten). */
static gboolean has_stop_time(const char *path) {
    json_auto_t *sc = json_load_file(path, 0, NULL);
    g_assert_nonnull(sc);
    return json_object_get(json_object_get(sc, "stop"), "time") != NULL;
}

static void check_trace(const char *path, TraceCheckStats *st) {
    g_autoptr(GError) err = NULL;
    json_auto_t *doc = trace_check_load(path, &err);
    g_assert_no_error(err);
    g_autofree char *problem = trace_check(doc, st);
    g_assert_cmpstr(problem, ==, NULL);
    g_assert_cmpuint(trace_check_count(doc, 'M', "process_name"), ==, 3);
}

static void test_scenario(gconstpointer data) {
    const char *path = data;
    g_autofree char *dir = g_dir_make_tmp("trace-json-XXXXXX", NULL);
    g_autofree char *out = g_build_filename(dir, "run", NULL);
    gboolean cut = has_stop_time(path);
    const char *args[] = {"run",
                          path,
                          "--out",
                          out,
                          "--trace",
                          "perfetto",
                          "--quiet",
                          cut ? "--set" : NULL,
                          "stop.time=20ms",
                          NULL};
    g_auto(PtRun) r = pt_run(args, NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_cmpstr(r.err, ==, "");
    g_autofree char *trace = g_build_filename(out, "trace.json", NULL);
    TraceCheckStats st;
    check_trace(trace, &st);
    g_assert_cmpuint(st.slices, >, 0);
    g_assert_cmpuint(st.flows_ended, >, 0);
    g_assert_cmpfloat(st.ts_min, >=, 0.0);
    /* Only the finished results are left: no events.jsonl, no temporaries;
     * .pagesim-files lists what the run wrote. */
    g_autoptr(GDir) d = g_dir_open(out, 0, NULL);
    const char *name;
    guint n = 0;
    while ((name = g_dir_read_name(d)) != NULL) {
        if (strcmp(name, ".pagesim-files") == 0)
            continue;
        g_assert_false(name[0] == '.');
        g_assert_cmpstr(name, !=, "events.jsonl");
        n++;
    }
    /* summary.json, scenario.json, summary.csv, trace.json,
     * latency-{spectrum,histogram,splits}.tsv, latency.hgrm, timeline.tsv */
    g_assert_cmpuint(n, ==, 9);
    pt_rmtree(dir);
}

/* --trace both with a window and a gzip name: both traces keep to the window. */
static void test_window_gzip_both(void) {
    g_autofree char *sc = pt_scenario("default");
    g_autofree char *dir = g_dir_make_tmp("trace-json-XXXXXX", NULL);
    const char *args[] = {"run",
                          sc,
                          "--out",
                          dir,
                          "--trace",
                          "both",
                          "--trace-window",
                          "5ms:10ms",
                          "--perfetto-out",
                          "t.json.gz",
                          "--set",
                          "stop.time=20ms",
                          "--quiet",
                          NULL};
    g_auto(PtRun) r = pt_run(args, NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_autofree char *trace = g_build_filename(dir, "t.json.gz", NULL);
    TraceCheckStats st;
    check_trace(trace, &st);
    g_assert_cmpfloat(st.ts_min, >=, 5000.0);
    g_assert_cmpfloat(st.ts_max, <=, 10000.0);
    g_assert_cmpuint(st.flows_ended, >, 0);
    g_autofree char *events = g_build_filename(dir, "events.jsonl", NULL);
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(events, &text, NULL, NULL));
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    g_assert_cmpuint(g_strv_length(lines), >, 100);
    for (guint i = 0; lines[i][0]; i++) {
        guint64 t = g_ascii_strtoull(lines[i] + 5, NULL, 10); /* {"t":N */
        g_assert_cmpuint(t, >=, 5000000);
        g_assert_cmpuint(t, <, 10000000);
    }
    g_autofree char *summary = g_build_filename(dir, "summary.json", NULL);
    json_auto_t *s = json_load_file(summary, 0, NULL);
    json_t *tr = json_object_get(s, "trace");
    g_assert_cmpstr(json_string_value(json_object_get(tr, "perfetto")), ==, "t.json.gz");
    g_assert_cmpstr(json_string_value(json_object_get(tr, "native")), ==, "events.jsonl");
    json_t *win = json_object_get(tr, "window_ns");
    g_assert_cmpint(json_integer_value(json_array_get(win, 0)), ==, 5000000);
    g_assert_cmpint(json_integer_value(json_array_get(win, 1)), ==, 10000000);
    pt_rmtree(dir);
}

/* A device's reads: one async slice each on the device's track, as many as
 * the native trace's device_read lines (hdd-many-workers: device "disk"). */
static void test_device_track(void) {
    g_autofree char *sc = pt_scenario("hdd-many-workers");
    g_autofree char *dir = g_dir_make_tmp("trace-json-XXXXXX", NULL);
    const char *args[] = {"run",     sc,      "--out",           dir, "--trace", "both",
                          "--quiet", "--set", "stop.time=100ms", NULL};
    g_auto(PtRun) r = pt_run(args, NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_autofree char *events = g_build_filename(dir, "events.jsonl", NULL);
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(events, &text, NULL, NULL));
    guint reads = 0;
    for (const char *s = text; (s = strstr(s, "\"ev\":\"device_read\"")) != NULL; s++)
        reads++;
    g_assert_cmpuint(reads, >, 30); /* 32 workers queue at once */
    g_autofree char *trace = g_build_filename(dir, "trace.json", NULL);
    TraceCheckStats st;
    check_trace(trace, &st);
    g_autoptr(GError) err = NULL;
    json_auto_t *doc = trace_check_load(trace, &err);
    g_assert_cmpuint(trace_check_count(doc, 'b', "disk"), ==, reads);
    g_assert_cmpuint(trace_check_count(doc, 'e', "disk"), ==, reads);
    pt_rmtree(dir);
}

/* The same run gives the same trace.json, byte for byte. */
static void test_deterministic(void) {
    g_autofree char *sc = pt_scenario("hot-pages-storm");
    g_autofree char *dir = g_dir_make_tmp("trace-json-XXXXXX", NULL);
    g_autofree char *a = g_build_filename(dir, "a", NULL);
    g_autofree char *b = g_build_filename(dir, "b", NULL);
    const char *args_a[] = {"run",     sc,      "--out",         a,   "--trace", "perfetto",
                            "--quiet", "--set", "stop.time=5ms", NULL};
    const char *args_b[] = {"run",     sc,      "--out",         b,   "--trace", "perfetto",
                            "--quiet", "--set", "stop.time=5ms", NULL};
    g_auto(PtRun) ra = pt_run(args_a, NULL);
    g_auto(PtRun) rb = pt_run(args_b, NULL);
    g_assert_cmpint(ra.status + rb.status, ==, 0);
    g_autofree char *ta = g_build_filename(a, "trace.json", NULL);
    g_autofree char *tb = g_build_filename(b, "trace.json", NULL);
    g_autofree char *ca = NULL, *cb = NULL;
    g_assert_true(g_file_get_contents(ta, &ca, NULL, NULL));
    g_assert_true(g_file_get_contents(tb, &cb, NULL, NULL));
    g_assert_cmpstr(ca, ==, cb);
    pt_rmtree(dir);
}

static void test_bad_options(void) {
    static const char *const bad[][3] = {
        {"--trace-window", "10ms", "is not START:END"},
        {"--trace-window", "5ms:1ms", "END must come after START"},
        {"--trace-window", "5parsecs:", "--trace-window:"},
        {"--perfetto-out", "a/b.json", "must be a file name"},
        {"--perfetto-out", "t.json", "needs --trace perfetto or --trace both"},
        {"--trace", "chrome", "is not one of native, perfetto, both, none"},
    };
    g_autofree char *sc = pt_scenario("default");
    g_autofree char *dir = g_dir_make_tmp("trace-json-XXXXXX", NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        const char *args[] = {"run", sc, "--out", dir, bad[i][0], bad[i][1], NULL};
        g_auto(PtRun) r = pt_run(args, NULL);
        g_assert_cmpint(r.status, ==, 2);
        g_assert_nonnull(strstr(r.err, bad[i][2]));
    }
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    g_assert_null(g_dir_read_name(d)); /* nothing was written */
    pt_rmtree(dir);
}

static int cmp_names(gconstpointer a, gconstpointer b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Open-loop arrivals share lanes: tests/policy/crn.json's 100 arrivals draw on
 * as many "arr lane K" tracks as arrivals were in flight at once (counted here
 * from events.jsonl, access to done), the slices still nest on each lane, and
 * the document carries the run's identity in otherData. */
static void test_arrival_lanes(void) {
    g_autofree char *src = g_strdup(g_getenv("PAGESIM_SOURCE_ROOT"));
    g_autofree char *sc = g_build_filename(src, "tests", "policy", "crn.json", NULL);
    g_autofree char *dir = g_dir_make_tmp("trace-json-XXXXXX", NULL);
    const char *args[] = {"run", sc, "--out", dir, "--trace", "both", "--quiet", NULL};
    g_auto(PtRun) r = pt_run(args, NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_autofree char *events = g_build_filename(dir, "events.jsonl", NULL);
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(events, &text, NULL, NULL));
    guint in_flight = 0, most = 0, arrivals = 0;
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (guint i = 0; lines[i]; i++) {
        if (strstr(lines[i], "\"ev\":\"access\",\"thread\":\"arr#")) {
            arrivals++;
            in_flight++;
            most = MAX(most, in_flight);
        } else if (strstr(lines[i], "\"ev\":\"done\",\"thread\":\"arr#")) {
            in_flight--;
        }
    }
    g_assert_cmpuint(arrivals, ==, 100);
    g_assert_cmpuint(most, <, 20);
    g_autofree char *trace = g_build_filename(dir, "trace.json", NULL);
    TraceCheckStats st;
    check_trace(trace, &st);
    json_auto_t *doc = trace_check_load(trace, NULL);
    guint lanes = 0;
    size_t i;
    json_t *ev;
    json_array_foreach(json_object_get(doc, "traceEvents"), i, ev) {
        const char *name = json_string_value(json_object_get(json_object_get(ev, "args"), "name"));
        if (name && g_str_has_prefix(name, "arr lane "))
            lanes++;
        g_assert_false(name && g_str_has_prefix(name, "arr#"));
    }
    g_assert_cmpuint(lanes, ==, most);
    json_t *meta = json_object_get(doc, "otherData");
    g_assert_cmpstr(json_string_value(json_object_get(meta, "scenario")), ==, "crn");
    g_assert_cmpstr(json_string_value(json_object_get(meta, "policy")), ==, "fuchsia");
    g_assert_cmpint(json_integer_value(json_object_get(meta, "seed")), ==, 1);
    g_assert_nonnull(json_string_value(json_object_get(meta, "pagesim_version")));
    pt_rmtree(dir);
}

/* --trace-max on trace.json: the converter stops at the limit, ends the slices
 * still open, and the file is still a valid trace, a little over the limit at
 * most (the closing events); summary.json says where it was cut. */
static void test_trace_max(void) {
    /* A scenario without a device: a device read's slice is traced when it is
     * submitted and ends later, past the cut. */
    g_autofree char *sc = pt_scenario("default");
    g_autofree char *dir = g_dir_make_tmp("trace-json-XXXXXX", NULL);
    const char *args[] = {
        "run",     sc,      "--out",          dir,           "--trace", "perfetto",
        "--quiet", "--set", "stop.time=20ms", "--trace-max", "200KiB",  NULL};
    g_auto(PtRun) r = pt_run(args, NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_nonnull(strstr(r.err, "reached --trace-max 200KiB"));
    g_autofree char *trace = g_build_filename(dir, "trace.json", NULL);
    GStatBuf st_buf;
    g_assert_cmpint(g_stat(trace, &st_buf), ==, 0);
    g_assert_cmpint(st_buf.st_size, >=, 200 * 1024);
    g_assert_cmpint(st_buf.st_size, <, 220 * 1024);
    TraceCheckStats st;
    check_trace(trace, &st);
    g_assert_cmpfloat(st.ts_max, <, 20000.0);
    g_autofree char *summary_path = g_build_filename(dir, "summary.json", NULL);
    json_auto_t *summary = json_load_file(summary_path, 0, NULL);
    json_t *cut = json_object_get(json_object_get(summary, "trace"), "truncated_at");
    g_assert_true(json_is_integer(cut));
    g_assert_cmpfloat((double)json_integer_value(cut) / 1000.0, >=, st.ts_max);
    pt_rmtree(dir);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_autofree char *any = pt_scenario("default");
    g_autofree char *dir = g_path_get_dirname(any);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    while ((name = g_dir_read_name(d)) != NULL)
        if (g_str_has_suffix(name, ".json"))
            g_ptr_array_add(names, g_strndup(name, strlen(name) - 5));
    g_ptr_array_sort(names, cmp_names);
    for (guint i = 0; i < names->len; i++) {
        const char *n = g_ptr_array_index(names, i);
        g_autofree char *test = g_strdup_printf("/plot/trace-json/scenario/%s", n);
        g_test_add_data_func_full(test, pt_scenario(n), test_scenario, g_free);
    }
    g_test_add_func("/plot/trace-json/window-gzip-both", test_window_gzip_both);
    g_test_add_func("/plot/trace-json/deterministic", test_deterministic);
    g_test_add_func("/plot/trace-json/device-track", test_device_track);
    g_test_add_func("/plot/trace-json/bad-options", test_bad_options);
    g_test_add_func("/plot/trace-json/arrival-lanes", test_arrival_lanes);
    g_test_add_func("/plot/trace-json/trace-max", test_trace_max);
    return g_test_run();
}
