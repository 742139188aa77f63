/* Provenance: summary.json says which pagesim (version, git revision), which
 * command line and which --set overrides produced it, and every run directory
 * holds scenario.json, the resolved scenario, from which
 * `pagesim run DIR/scenario.json --seed S` repeats the run byte for byte
 * (events.jsonl, and summary.json but for wall_s and the provenance itself).
 * Also: the fields issue 9 added are in the summary.json of every shipped
 * scenario, and their splits add up to the totals. Runs $PAGESIM.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <jansson.h>
#include <string.h>

#include "../plot/plot-test-util.h"

static char *tmpdir;

static json_t *load(const char *dir, const char *name) {
    g_autofree char *path = g_build_filename(dir, name, NULL);
    json_error_t jerr;
    json_t *o = json_load_file(path, 0, &jerr);
    if (o == NULL)
        g_error("%s: %s", path, jerr.text);
    return o;
}

/* Runs pagesim run with @args (NULL-terminated) and asserts that it succeeded. */
static void run_ok(const char *const *args) {
    g_auto(PtRun) r = pt_run(args, NULL);
    if (r.status != 0)
        g_error("pagesim %s exited %d: %s", args[1], r.status, r.err);
}

static gboolean same_file(const char *a, const char *b) {
    g_autofree char *ta = NULL, *tb = NULL;
    gsize la = 0, lb = 0;
    g_assert_true(g_file_get_contents(a, &ta, &la, NULL));
    g_assert_true(g_file_get_contents(b, &tb, &lb, NULL));
    return la == lb && memcmp(ta, tb, la) == 0;
}

static void test_summary_provenance(void) {
    g_autofree char *src = pt_scenario("flaky-pager");
    g_autofree char *out = g_build_filename(tmpdir, "prov", NULL);
    const char *args[] = {"run",      src,
                          "--seed",   "7",
                          "--policy", "readahead:4",
                          "--set",    "providers[0].workers=3",
                          "--set",    "stop.time=20ms",
                          "--out",    out,
                          "--quiet",  NULL};
    run_ok(args);
    json_auto_t *s = load(out, "summary.json");
    json_t *p = json_object_get(s, "provenance");
    g_assert_cmpstr(json_string_value(json_object_get(p, "version")), ==, PAGESIM_VERSION);
    const char *rev = json_string_value(json_object_get(p, "revision"));
    g_assert_nonnull(rev);
    g_assert_cmpuint(strlen(rev), >, 0);
    g_assert_cmpstr(json_string_value(json_object_get(p, "source")), ==, src);
    g_assert_cmpstr(json_string_value(json_object_get(p, "resolved")), ==, "scenario.json");
    json_t *cmd = json_object_get(p, "command");
    g_assert_cmpuint(json_array_size(cmd), ==, G_N_ELEMENTS(args)); /* the program, then args */
    for (size_t i = 0; args[i]; i++)
        g_assert_cmpstr(json_string_value(json_array_get(cmd, i + 1)), ==, args[i]);
    json_t *ov = json_object_get(p, "overrides");
    g_assert_cmpuint(json_array_size(ov), ==, 2);
    g_assert_cmpstr(json_string_value(json_array_get(ov, 0)), ==, "providers[0].workers=3");
    g_assert_cmpstr(json_string_value(json_array_get(ov, 1)), ==, "stop.time=20ms");
    /* scenario.json: the overrides, --seed and --policy applied, defaults filled in. */
    json_auto_t *sc = load(out, "scenario.json");
    g_assert_cmpint(json_integer_value(json_object_get(sc, "seed")), ==, 7);
    g_assert_cmpstr(json_string_value(json_object_get(sc, "policy")), ==, "readahead:4");
    json_t *prov = json_array_get(json_object_get(sc, "providers"), 0);
    g_assert_cmpint(json_integer_value(json_object_get(prov, "workers")), ==, 3);
    g_assert_cmpint(json_integer_value(json_object_get(json_object_get(sc, "stop"), "time")), ==,
                    20000000);
    g_assert_nonnull(json_object_get(json_object_get(sc, "kernel"), "pager_timeout"));
}

/* summary.json without its wall-clock and provenance fields. */
static json_t *comparable(const char *dir) {
    json_t *s = load(dir, "summary.json");
    json_object_del(s, "wall_s");
    json_object_del(s, "provenance");
    return s;
}

/* Runs @file with @extra arguments into A, then A/scenario.json into B, both
 * with seed @seed, and checks that B repeats A. */
static void check_reproduces(const char *file, const char *seed, const char *extra) {
    g_autofree char *a = g_build_filename(tmpdir, "a", NULL);
    g_autofree char *b = g_build_filename(tmpdir, "b", NULL);
    g_autofree char *resolved = g_build_filename(a, "scenario.json", NULL);
    const char *first[] = {"run", file, "--seed", seed, "--out", a, "--quiet", extra, NULL};
    const char *again[] = {"run", resolved, "--seed", seed, "--out", b, "--quiet", NULL};
    run_ok(first);
    run_ok(again);
    json_auto_t *sa = comparable(a);
    json_auto_t *sb = comparable(b);
    if (!json_equal(sa, sb))
        g_error("%s: the summary.json of the run from scenario.json differs", file);
    g_autofree char *ea = g_build_filename(a, "events.jsonl", NULL);
    g_autofree char *eb = g_build_filename(b, "events.jsonl", NULL);
    g_assert_true(same_file(ea, eb));
    g_autofree char *rb = g_build_filename(b, "scenario.json", NULL);
    g_assert_true(same_file(resolved, rb)); /* a fixed point */
    pt_rmtree(a);
    pt_rmtree(b);
}

static void test_reproduce(void) {
    g_autofree char *src = pt_scenario("flaky-pager");
    check_reproduces(src, "7", "--set=providers[0].workers=3");
}

/* Every conformance case (scripted providers, raw fails, every action) and every
 * shipped scenario (cut to 200,000 events) repeats itself from scenario.json. */
static void test_reproduce_every_case(void) {
    const char *dirs[] = {"tests/conformance", "scenarios"};
    for (size_t d = 0; d < G_N_ELEMENTS(dirs); d++) {
        g_autofree char *dir = g_build_filename(g_getenv("PAGESIM_SOURCE_ROOT"), dirs[d], NULL);
        g_autoptr(GDir) it = g_dir_open(dir, 0, NULL);
        g_assert_nonnull(it);
        const char *name;
        guint n = 0;
        while ((name = g_dir_read_name(it)) != NULL) {
            if (!g_str_has_suffix(name, ".json"))
                continue;
            g_autofree char *file = g_build_filename(dir, name, NULL);
            check_reproduces(file, "3", d == 0 ? NULL : "--set=stop.events=200000");
            n++;
        }
        g_assert_cmpuint(n, >=, d == 0 ? 30 : 9);
    }
}

static guint64 sum_key(json_t *obj_or_array, const char *key) {
    guint64 n = 0;
    size_t i;
    const char *k;
    json_t *e;
    if (json_is_array(obj_or_array)) {
        json_array_foreach(obj_or_array, i, e) n +=
            (guint64)json_integer_value(json_object_get(e, key));
    } else {
        json_object_foreach(obj_or_array, k, e) n +=
            (guint64)json_integer_value(json_object_get(e, key));
    }
    return n;
}

static void check_latency(json_t *l) {
    g_assert_true(json_is_integer(json_object_get(l, "count")));
    const char *keys[] = {"min", "mean", "p50", "p99", "p999", "max"};
    gboolean empty = json_integer_value(json_object_get(l, "count")) == 0;
    for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
        g_assert_true(empty ? json_is_null(json_object_get(l, keys[i]))
                            : json_is_number(json_object_get(l, keys[i])));
}

static void check_new_fields(json_t *s, const char *name) {
    g_test_message("%s", name);
    guint64 accesses = (guint64)json_integer_value(json_object_get(s, "accesses"));
    g_assert_cmpuint(json_array_size(json_object_get(s, "window_ns")), ==, 2);
    const char *counts[] = {"accesses_failed", "pages_accessed", "bytes_accessed"};
    for (size_t i = 0; i < G_N_ELEMENTS(counts); i++)
        g_assert_true(json_is_integer(json_object_get(s, counts[i])));
    const char *rates[] = {"accesses_per_s", "faults_per_s", "pages_per_s", "bytes_per_s"};
    for (size_t i = 0; i < G_N_ELEMENTS(rates); i++)
        g_assert_true(json_is_number(json_object_get(json_object_get(s, "throughput"), rates[i])));
    g_assert_nonnull(json_object_get(s, "makespan_ns"));
    check_latency(json_object_get(s, "access_latency_ns"));
    check_latency(json_object_get(s, "latency_ns"));
    json_t *st = json_object_get(s, "statuses"), *wl = json_object_get(s, "workloads");
    g_assert_cmpuint(sum_key(st, "accesses"), ==, accesses);
    g_assert_cmpuint(sum_key(wl, "accesses"), ==, accesses);
    g_assert_cmpuint(json_array_size(wl), >, 0);
    size_t i;
    json_t *e;
    json_array_foreach(wl, i, e) {
        const char *keys[] = {"name",       "kind",        "access",   "faults",
                              "throughput", "makespan_ns", "by_status"};
        for (size_t k = 0; k < G_N_ELEMENTS(keys); k++)
            g_assert_nonnull(json_object_get(e, keys[k]));
        check_latency(json_object_get(e, "latency_ns"));
        check_latency(json_object_get(e, "access_latency_ns"));
    }
    json_array_foreach(json_object_get(s, "providers"), i, e) {
        g_assert_true(json_is_integer(json_object_get(e, "alive_ns")));
        g_assert_true(json_is_integer(json_object_get(e, "busy_alive_ns")));
        g_assert_true(json_is_number(json_object_get(e, "utilization_alive")));
    }
    g_assert_true(json_is_object(json_object_get(s, "provenance")));
}

static void test_new_fields_everywhere(void) {
    g_autofree char *dir = g_build_filename(g_getenv("PAGESIM_SOURCE_ROOT"), "scenarios", NULL);
    g_autoptr(GDir) it = g_dir_open(dir, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name(it)) != NULL) {
        if (!g_str_has_suffix(name, ".json"))
            continue;
        g_autofree char *file = g_build_filename(dir, name, NULL);
        g_autofree char *out = g_build_filename(tmpdir, "fields", NULL);
        const char *args[] = {"run", file, "--out", out, "--quiet", "--trace", "none", NULL};
        run_ok(args);
        json_auto_t *s = load(out, "summary.json");
        check_new_fields(s, name);
        pt_rmtree(out);
    }
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("pagesim-prov-XXXXXX", NULL);
    g_test_add_func("/provenance/summary", test_summary_provenance);
    g_test_add_func("/provenance/reproduce", test_reproduce);
    g_test_add_func("/provenance/reproduce-every-case", test_reproduce_every_case);
    g_test_add_func("/summary/new-fields-in-every-scenario", test_new_fields_everywhere);
    int rc = g_test_run();
    pt_rmtree(tmpdir);
    g_free(tmpdir);
    return rc;
}
