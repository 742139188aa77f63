/* The timeline made during a run, beyond faults: device and memory series
 * whose totals are summary.json's (computed by the model on its own), the same
 * figure data from timeline.tsv as from events.jsonl, and `plot --interval`
 * re-binning (exact sums of the recorded intervals) and its bad values. */
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot-test-util.h"
#include "sim/report/rep-summary.h"

static char *read_text(const char *dir, const char *name) {
    g_autofree char *path = g_build_filename(dir, name, NULL);
    char *text = NULL;
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    return text;
}

/* Runs @scenario for @stop into a new directory (extra args @a1 @a2, nullable). */
static char *run(const char *scenario, const char *stop, const char *a1, const char *a2) {
    g_autofree char *sc = pt_scenario(scenario);
    char *dir = g_dir_make_tmp("plot-tl-XXXXXX", NULL);
    g_autofree char *set = g_strdup_printf("stop.time=%s", stop);
    const char *args[] = {"run", sc, "--out", dir, "--quiet", "--set", set, a1, a2, NULL};
    g_auto(PtRun) r = pt_run(args, NULL);
    g_assert_cmpint(r.status, ==, 0);
    return dir;
}

static double summary_number(const RepSummary *s, const char *path) {
    double v = NAN;
    g_assert_true(rep_summary_get_number(s, path, &v));
    return v;
}

/* Sums of the device and reclaim lines of timeline.tsv against summary.json:
 * reads, utilization (the union in service), mean in service and waiting. */
static void test_totals(gconstpointer data) {
    const char *scenario = data;
    g_autofree char *dir = run(scenario, "50ms", NULL, NULL);
    g_autofree char *text = read_text(dir, "timeline.tsv");
    g_autofree char *sum_path = g_build_filename(dir, "summary.json", NULL);
    g_autoptr(RepSummary) s = rep_summary_load(sum_path, NULL);
    g_assert_nonnull(s);
    double reads = 0, busy = 0, service = 0, queued = 0, reclaimed = 0;
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (guint i = 0; lines[i]; i++) {
        g_auto(GStrv) f = g_strsplit(lines[i], "\t", -1);
        if (f[0] == NULL)
            continue;
        if (strcmp(f[0], "io") == 0) {
            g_assert_cmpstr(f[2], ==, "0"); /* one device */
            reads += g_ascii_strtod(f[3], NULL);
            busy += g_ascii_strtod(f[4], NULL);
            service += g_ascii_strtod(f[5], NULL);
            queued += g_ascii_strtod(f[6], NULL);
        } else if (strcmp(f[0], "reclaimed") == 0) {
            reclaimed += g_ascii_strtod(f[2], NULL);
        }
    }
    double t = summary_number(s, "sim_time_ns");
    if (rep_summary_get_length(s, "devices") > 0) {
        g_assert_cmpfloat(reads, ==, summary_number(s, "devices.0.reads"));
        g_assert_cmpfloat(reads, >, 100);
        g_assert_cmpfloat_with_epsilon(busy / t, summary_number(s, "devices.0.utilization"), 1e-6);
        g_assert_cmpfloat_with_epsilon(service / t, summary_number(s, "devices.0.in_service"),
                                       1e-6 * MAX(1, service / t));
        g_assert_cmpfloat_with_epsilon(queued / t, summary_number(s, "devices.0.queue"),
                                       1e-6 * MAX(1, queued / t));
        g_assert_nonnull(strstr(text, "\ndevice\t"));
    } else {
        g_assert_null(strstr(text, "\nio\t"));
    }
    if (rep_summary_get_string(s, "memory.reclaim")) {
        g_assert_nonnull(strstr(text, "\nmemory\n"));
        g_assert_cmpfloat(reclaimed, ==, summary_number(s, "memory.evictions"));
        g_assert_cmpfloat(reclaimed, >, 100);
    } else {
        g_assert_null(strstr(text, "\nmemory\n"));
    }
    pt_rmtree(dir);
}

/* plot draws the same data (timeline, devices, heat map) from the run's
 * timeline.tsv as from events.jsonl at the interval plot would pick (500 us). */
static void test_run_matches_events(gconstpointer data) {
    const char *scenario = data;
    g_autofree char *dir = run(scenario, "50ms", "--interval", "500us");
    const char *pargs[] = {"plot", dir, NULL};
    g_auto(PtRun) a = pt_run(pargs, NULL);
    g_assert_cmpint(a.status, ==, 0);
    static const char *const files[] = {"plots/timeline.tsv", "plots/latency-heatmap.tsv",
                                        "plots/timeline-devices.tsv"};
    g_autofree char *dev = g_build_filename(dir, files[2], NULL);
    gboolean devices = g_file_test(dev, G_FILE_TEST_EXISTS);
    char *from_run[3] = {0};
    for (guint i = 0; i < 2u + devices; i++)
        from_run[i] = read_text(dir, files[i]);
    g_autofree char *tl = g_build_filename(dir, "timeline.tsv", NULL);
    g_assert_cmpint(g_unlink(tl), ==, 0);
    g_auto(PtRun) b = pt_run(pargs, NULL);
    g_assert_cmpint(b.status, ==, 0);
    for (guint i = 0; i < 2u + devices; i++) {
        g_autofree char *from_events = read_text(dir, files[i]);
        g_assert_cmpstr(from_run[i], ==, from_events);
        g_free(from_run[i]);
    }
    pt_rmtree(dir);
}

/* The rows of plots/timeline.tsv, split into fields. */
static GPtrArray *rows(const char *dir) {
    g_autofree char *text = read_text(dir, "plots/timeline.tsv");
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    for (guint i = 0; lines[i]; i++)
        if (lines[i][0] && lines[i][0] != '#')
            g_ptr_array_add(out, g_strsplit(lines[i], "\t", -1));
    return out;
}

static double col(GPtrArray *r, guint row, guint c) {
    return g_ascii_strtod(((char **)g_ptr_array_index(r, row))[c], NULL);
}

/* Recorded at 1 ms over 10.5 ms (11 intervals, the last 0.5 ms), drawn at 5 ms:
 * 3 intervals [0,5) [5,10) [10,10.5). Each coarse value is computed from the
 * fine rows: faults are summed, time-weighted means are span-weighted sums. */
static void test_interval(void) {
    g_autofree char *dir = run("default", "10500us", "--interval", "1ms");
    const char *fine_args[] = {"plot", dir, NULL};
    g_auto(PtRun) a = pt_run(fine_args, NULL);
    g_assert_cmpint(a.status, ==, 0);
    g_autoptr(GPtrArray) fine = rows(dir);
    g_assert_cmpuint(fine->len, ==, 11);
    const char *args[] = {"plot", dir, "--interval", "5ms", NULL};
    g_auto(PtRun) b = pt_run(args, NULL);
    g_assert_cmpint(b.status, ==, 0);
    g_autoptr(GPtrArray) coarse = rows(dir);
    g_assert_cmpuint(coarse->len, ==, 3);
    for (guint j = 0; j < 3; j++) {
        double faults = 0, failed = 0, span = 0, waiting = 0, busy_max = 0;
        for (guint i = 5 * j; i < MIN(5 * j + 5, 11); i++) {
            faults += col(fine, i, 2);
            failed += col(fine, i, 4);
            span += col(fine, i, 17);
            waiting += col(fine, i, 8) * col(fine, i, 17); /* waiting is always known */
            busy_max = MAX(busy_max, col(fine, i, 9));
        }
        g_assert_cmpfloat(col(coarse, j, 0), ==, 5.0 * j);
        g_assert_cmpfloat(col(coarse, j, 2), ==, faults);
        g_assert_cmpfloat(col(coarse, j, 4), ==, failed);
        g_assert_cmpfloat_with_epsilon(col(coarse, j, 17), span, 1e-9);
        /* printed with 6 significant digits */
        g_assert_cmpfloat_with_epsilon(col(coarse, j, 8), waiting / span, 1e-5 * waiting / span);
        g_assert_cmpfloat(col(coarse, j, 9), ==, busy_max);
        g_assert_cmpfloat_with_epsilon(col(coarse, j, 14), faults * 1e3 / span,
                                       1e-5 * faults * 1e3 / span);
    }
    g_assert_cmpfloat(col(coarse, 2, 17), ==, 0.5);
    g_assert_cmpfloat(col(coarse, 0, 2), >, 0);
    pt_rmtree(dir);
}

/* --interval of 0, not a multiple, longer than the run, or no duration: exit 2,
 * a message naming the option, nothing drawn. */
static void test_interval_errors(void) {
    g_autofree char *dir = run("default", "10ms", NULL, NULL); /* recorded at 50 us */
    static const char *const bad[][2] = {{"0s", "must be longer than 0"},
                                         {"75us", "not a multiple"},
                                         {"20ms", "longer than the run"},
                                         {"5", "no unit"}};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        const char *args[] = {"plot", dir, "--interval", bad[i][0], NULL};
        g_auto(PtRun) r = pt_run(args, NULL);
        g_assert_cmpint(r.status, ==, 2);
        g_assert_nonnull(strstr(r.err, "--interval"));
        g_assert_nonnull(strstr(r.err, bad[i][1]));
        g_autofree char *plots = g_build_filename(dir, "plots", NULL);
        g_assert_false(g_file_test(plots, G_FILE_TEST_EXISTS));
    }
    pt_rmtree(dir);
}

/* The per-status (flaky-pager: ZX_OK and ZX_ERR_IO) or per-workload (blobfs:
 * two workloads) CDF figure: one data file per split with faults, its header
 * naming the split and its fault count as summary.json has them, the curve
 * ending at exactly 1 at the split's maximum; the counts add up to all faults. */
static void test_splits(gconstpointer data) {
    const char *const *spec = data; /* scenario, figure, summary.json array or object */
    g_autofree char *dir = run(spec[0], "200ms", NULL, NULL);
    const char *pargs[] = {"plot", dir, NULL};
    g_auto(PtRun) p = pt_run(pargs, NULL);
    g_assert_cmpint(p.status, ==, 0);
    g_assert_nonnull(strstr(p.out, spec[1]));
    g_autofree char *sum_path = g_build_filename(dir, "summary.json", NULL);
    g_autoptr(RepSummary) s = rep_summary_load(sum_path, NULL);
    double faults = 0;
    guint n = 0;
    for (guint i = 1;; i++) {
        g_autofree char *name = g_strdup_printf("plots/%s-%u.tsv", spec[1], i);
        g_autofree char *path = g_build_filename(dir, name, NULL);
        if (!g_file_test(path, G_FILE_TEST_EXISTS))
            break;
        g_autofree char *text = read_text(dir, name);
        g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
        g_assert_true(g_str_has_prefix(lines[0], "latency\t"));
        char *split = lines[0] + strlen("latency\t");
        char *paren = strstr(split, " (");
        g_assert_nonnull(paren);
        *paren = '\0';
        g_autofree char *key = NULL;
        if (strcmp(spec[2], "statuses") == 0) {
            key = g_strdup_printf("statuses.%s.faults", split);
        } else {
            g_autofree char *wname = g_strdup_printf("workloads.%u.name", n);
            g_assert_cmpstr(rep_summary_get_string(s, wname), ==, split);
            key = g_strdup_printf("workloads.%u.faults", n);
        }
        double want = summary_number(s, key);
        g_autofree char *count = g_strdup_printf("(%.0f faults)", want);
        g_assert_cmpstr(paren + 1, ==, count);
        faults += want;
        guint last = g_strv_length(lines) - 1;
        while (last > 0 && lines[last][0] == '\0')
            last--;
        g_auto(GStrv) f = g_strsplit(lines[last], "\t", -1);
        g_assert_cmpfloat(g_ascii_strtod(f[1], NULL), ==, 1.0);
        n++;
    }
    g_assert_cmpuint(n, ==, 2);
    g_assert_cmpfloat(faults, ==, summary_number(s, "faults"));
    g_autofree char *png = g_strdup_printf("plots/%s.png", spec[1]);
    g_autofree char *png_path = g_build_filename(dir, png, NULL);
    g_assert_true(g_file_test(png_path, G_FILE_TEST_IS_REGULAR));
    pt_rmtree(dir);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    static const char *const totals[] = {"seq-reader", "memory-thrash", "default"};
    for (size_t i = 0; i < G_N_ELEMENTS(totals); i++) {
        g_autofree char *name = g_strdup_printf("/plot/timeline/totals/%s", totals[i]);
        g_test_add_data_func(name, totals[i], test_totals);
    }
    static const char *const match[] = {"seq-reader", "memory-thrash"};
    for (size_t i = 0; i < G_N_ELEMENTS(match); i++) {
        g_autofree char *name = g_strdup_printf("/plot/timeline/run-matches-events/%s", match[i]);
        g_test_add_data_func(name, match[i], test_run_matches_events);
    }
    static const char *const splits[][3] = {{"flaky-pager", "latency-cdf-status", "statuses"},
                                            {"blobfs", "latency-cdf-workload", "workloads"}};
    for (size_t i = 0; i < G_N_ELEMENTS(splits); i++) {
        g_autofree char *name = g_strdup_printf("/plot/splits/%s", splits[i][0]);
        g_test_add_data_func(name, splits[i], test_splits);
    }
    g_test_add_func("/plot/interval/rebin", test_interval);
    g_test_add_func("/plot/interval/errors", test_interval_errors);
    return g_test_run();
}
