/* pagesim plot: every figure of real runs is a valid, non-empty PNG (signature
 * and IHDR size) and SVG (XML with an <svg> root); runs without events.jsonl or
 * without latency-histogram.tsv; the errors (no gnuplot, no scripts, not a run's
 * directory); and the text of the progress line. gnuplot is required (scripts/test
 * installs gnuplot-nox). */
#include <glib/gstdio.h>
#include <string.h>

#include "plot-test-util.h"
#include "sim/cli/cli-progress.h"

static const char *const all_figures[] = {
    "latency-cdf", "latency-spectrum", "latency-histogram", "latency-heatmap", "timeline", NULL};

static void check_png(const char *path) {
    g_autofree guchar *data = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(path, (char **)&data, &len, NULL));
    static const guchar sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    g_assert_cmpuint(len, >, 1000);
    g_assert_cmpint(memcmp(data, sig, 8), ==, 0);
    g_assert_cmpint(memcmp(data + 12, "IHDR", 4), ==, 0);
    guint32 w = (guint32)data[16] << 24 | data[17] << 16 | data[18] << 8 | data[19];
    guint32 h = (guint32)data[20] << 24 | data[21] << 16 | data[22] << 8 | data[23];
    g_assert_cmpuint(w, >=, 600);
    g_assert_cmpuint(h, >=, 400);
}

static void svg_start(GMarkupParseContext *ctx, const char *element, const char **names,
                      const char **values, gpointer data, GError **error) {
    char **root = data;
    if (*root == NULL)
        *root = g_strdup(element);
}

static void check_svg(const char *path) {
    g_autofree char *text = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(path, &text, &len, NULL));
    g_assert_cmpuint(len, >, 1000);
    g_autofree char *root = NULL;
    GMarkupParser parser = {.start_element = svg_start};
    g_autoptr(GMarkupParseContext) ctx = g_markup_parse_context_new(&parser, 0, &root, NULL);
    g_autoptr(GError) err = NULL;
    g_assert_true(g_markup_parse_context_parse(ctx, text, (gssize)len, &err));
    g_assert_true(g_markup_parse_context_end_parse(ctx, &err));
    g_assert_no_error(err);
    g_assert_cmpstr(root, ==, "svg");
}

/* Checks that @figures (NULL-terminated) were drawn in DIR/plots and the others not. */
static void check_figures(const char *dir, const char *const *figures) {
    for (guint i = 0; all_figures[i]; i++) {
        gboolean want = g_strv_contains(figures, all_figures[i]);
        g_autofree char *png = g_strdup_printf("%s/plots/%s.png", dir, all_figures[i]);
        g_autofree char *svg = g_strdup_printf("%s/plots/%s.svg", dir, all_figures[i]);
        g_autofree char *tsv = g_strdup_printf("%s/plots/%s.tsv", dir, all_figures[i]);
        g_assert_cmpint(g_file_test(png, G_FILE_TEST_EXISTS), ==, want);
        g_assert_cmpint(g_file_test(tsv, G_FILE_TEST_EXISTS), ==, want);
        if (want) {
            check_png(png);
            check_svg(svg);
        }
    }
}

/* Runs @scenario (cut to @stop when not NULL) with @trace, then plots it. */
static char *run_and_plot(const char *scenario, const char *stop, const char *trace, PtRun *plot) {
    g_autofree char *sc = pt_scenario(scenario);
    char *dir = g_dir_make_tmp("plot-XXXXXX", NULL);
    g_autofree char *set = stop ? g_strdup_printf("stop.time=%s", stop) : NULL;
    const char *args[] = {
        "run", sc, "--out", dir, "--quiet", "--trace", trace, set ? "--set" : NULL, set, NULL};
    g_auto(PtRun) r = pt_run(args, NULL);
    g_assert_cmpint(r.status, ==, 0);
    const char *pargs[] = {"plot", dir, NULL};
    *plot = pt_run(pargs, NULL);
    g_assert_cmpint(plot->status, ==, 0);
    g_assert_cmpstr(plot->err, ==, ""); /* gnuplot had nothing to complain about */
    return dir;
}

static void test_scenario_figures(gconstpointer data) {
    const char *const *spec = data; /* scenario, stop time */
    g_auto(PtRun) plot = {0};
    g_autofree char *dir = run_and_plot(spec[0], spec[1], "native", &plot);
    check_figures(dir, all_figures);
    g_assert_nonnull(strstr(plot.out, "figures in "));
    pt_rmtree(dir);
}

/* --trace none: every figure is drawn from timeline.tsv, made during the run. */
static void test_no_events(void) {
    g_auto(PtRun) plot = {0};
    g_autofree char *dir = run_and_plot("pager-death", NULL, "none", &plot);
    check_figures(dir, all_figures);
    pt_rmtree(dir);
}

/* Without timeline.tsv nor events.jsonl the figures over time are skipped; with
 * neither the histogram, nothing can be drawn and plot fails (exit 1). */
static void test_nothing_to_draw(void) {
    g_autofree char *sc = pt_scenario("pager-death");
    g_autofree char *dir = g_dir_make_tmp("plot-XXXXXX", NULL);
    const char *args[] = {"run", sc, "--out", dir, "--quiet", "--trace", "none", NULL};
    g_auto(PtRun) r = pt_run(args, NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_autofree char *tl = g_build_filename(dir, "timeline.tsv", NULL);
    g_assert_cmpint(g_unlink(tl), ==, 0);
    const char *pargs[] = {"plot", dir, NULL};
    g_auto(PtRun) a = pt_run(pargs, NULL);
    g_assert_cmpint(a.status, ==, 0);
    const char *const drawn[] = {"latency-cdf", "latency-spectrum", "latency-histogram", NULL};
    check_figures(dir, drawn);
    g_assert_nonnull(strstr(a.out, "timeline: not drawn: needs timeline.tsv"));
    g_autofree char *hist = g_build_filename(dir, "latency-histogram.tsv", NULL);
    g_assert_cmpint(g_unlink(hist), ==, 0);
    g_auto(PtRun) b = pt_run(pargs, NULL);
    g_assert_cmpint(b.status, ==, 1);
    g_assert_nonnull(strstr(b.err, "nothing to draw"));
    pt_rmtree(dir);
}

static char *read_text(const char *dir, const char *name) {
    g_autofree char *path = g_build_filename(dir, name, NULL);
    char *text = NULL;
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    return text;
}

/* The timeline made during the run gives the same figure data as the one
 * folded from events.jsonl afterwards, at the same interval (500 us is what
 * plot picks for 50 ms from events: 100 intervals). */
static void test_run_timeline_matches_events(void) {
    g_autofree char *sc = pt_scenario("default");
    g_autofree char *dir = g_dir_make_tmp("plot-XXXXXX", NULL);
    const char *args[] = {"run",        sc,      "--out", dir, "--quiet", "--set", "stop.time=50ms",
                          "--interval", "500us", NULL};
    g_auto(PtRun) r = pt_run(args, NULL);
    g_assert_cmpint(r.status, ==, 0);
    const char *pargs[] = {"plot", dir, NULL};
    g_auto(PtRun) a = pt_run(pargs, NULL);
    g_assert_cmpint(a.status, ==, 0);
    g_autofree char *from_run = read_text(dir, "plots/timeline.tsv");
    g_autofree char *heat_run = read_text(dir, "plots/latency-heatmap.tsv");
    g_autofree char *tl = g_build_filename(dir, "timeline.tsv", NULL);
    g_assert_cmpint(g_unlink(tl), ==, 0);
    g_auto(PtRun) b = pt_run(pargs, NULL);
    g_assert_cmpint(b.status, ==, 0);
    g_autofree char *from_events = read_text(dir, "plots/timeline.tsv");
    g_autofree char *heat_events = read_text(dir, "plots/latency-heatmap.tsv");
    g_assert_cmpuint(strlen(from_run), >, 1000);
    g_assert_cmpstr(from_run, ==, from_events);
    g_assert_cmpstr(heat_run, ==, heat_events);
    pt_rmtree(dir);
}

/* --gzip-events: events.jsonl.gz holds exactly the lines of events.jsonl, and
 * plot reads it (the figures over time drawn from it match timeline.tsv's). */
static void test_gzip_events(void) {
    g_autofree char *sc = pt_scenario("default");
    g_autofree char *dir = g_dir_make_tmp("plot-XXXXXX", NULL);
    g_autofree char *plain = g_build_filename(dir, "plain", NULL);
    g_autofree char *gz = g_build_filename(dir, "gz", NULL);
    const char *a1[] = {"run",        sc,      "--out", plain, "--quiet", "--set", "stop.time=20ms",
                        "--interval", "200us", NULL};
    const char *a2[] = {
        "run",        sc,      "--out",         gz,  "--quiet", "--set", "stop.time=20ms",
        "--interval", "200us", "--gzip-events", NULL};
    g_auto(PtRun) r1 = pt_run(a1, NULL);
    g_auto(PtRun) r2 = pt_run(a2, NULL);
    g_assert_cmpint(r1.status, ==, 0);
    g_assert_cmpint(r2.status, ==, 0);
    g_autofree char *cmd = g_strdup_printf("gzip -dc %s/events.jsonl.gz", gz);
    g_autofree char *unzipped = NULL;
    int status = 0;
    g_assert_true(g_spawn_command_line_sync(cmd, &unzipped, NULL, &status, NULL));
    g_assert_cmpint(status, ==, 0);
    g_autofree char *events = read_text(plain, "events.jsonl");
    g_assert_cmpuint(strlen(events), >, 100000);
    g_assert_cmpstr(unzipped, ==, events);
    g_autofree char *summary = read_text(gz, "summary.json");
    g_assert_nonnull(strstr(summary, "\"native\": \"events.jsonl.gz\""));
    const char *pargs[] = {"plot", gz, NULL};
    g_auto(PtRun) p1 = pt_run(pargs, NULL);
    g_assert_cmpint(p1.status, ==, 0);
    g_autofree char *from_run = read_text(gz, "plots/timeline.tsv");
    g_autofree char *tl = g_build_filename(gz, "timeline.tsv", NULL);
    g_assert_cmpint(g_unlink(tl), ==, 0);
    g_auto(PtRun) p2 = pt_run(pargs, NULL);
    g_assert_cmpint(p2.status, ==, 0);
    g_autofree char *from_gz = read_text(gz, "plots/timeline.tsv");
    g_assert_cmpstr(from_gz, ==, from_run);
    pt_rmtree(dir);
}

/* Bad --interval and --trace-max values are bad usage and write nothing. */
static void test_bad_values(void) {
    g_autofree char *sc = pt_scenario("default");
    g_autofree char *dir = g_dir_make_tmp("plot-XXXXXX", NULL);
    g_autofree char *out = g_build_filename(dir, "out", NULL);
    static const char *const bad[][3] = {
        {"--interval", "0s", "must be longer than 0"},
        {"--interval", "0", "--interval: duration \"0\" has no unit"},
        {"--interval", "2s", "longer than the run"},
        {"--trace-max", "0B", "more than 0 bytes"},
        {"--trace-max", "lots", "--trace-max"}};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        const char *args[] = {"run", sc, "--out", out, "--quiet", bad[i][0], bad[i][1], NULL};
        g_auto(PtRun) r = pt_run(args, NULL);
        g_assert_cmpint(r.status, ==, 2);
        g_assert_nonnull(strstr(r.err, bad[i][2]));
        g_assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
    }
    pt_rmtree(dir);
}

/* --trace-max 100KiB: events.jsonl stops at whole lines within 100 KiB, with a
 * warning and trace.truncated_at in summary.json; the figures still cover the
 * whole run. */
static void test_trace_max(void) {
    g_autofree char *sc = pt_scenario("default");
    g_autofree char *dir = g_dir_make_tmp("plot-XXXXXX", NULL);
    const char *args[] = {"run",     sc,      "--out",          dir,
                          "--quiet", "--set", "stop.time=50ms", "--trace-max",
                          "100KiB",  NULL};
    g_auto(PtRun) r = pt_run(args, NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_nonnull(strstr(r.err, "warning: the trace reached --trace-max 100KiB"));
    g_autofree char *events = read_text(dir, "events.jsonl");
    gsize n = strlen(events);
    g_assert_cmpuint(n, <=, 100 * 1024);
    g_assert_cmpuint(n, >, 99 * 1024); /* lines are short: it stops within one line */
    g_assert_cmpint(events[n - 1], ==, '\n');
    const char *last = g_strrstr_len(events, (gssize)n - 1, "\n") + 1;
    guint64 t_last = g_ascii_strtoull(last + 5, NULL, 10); /* {"t":T */
    g_autofree char *summary = read_text(dir, "summary.json");
    const char *cut = strstr(summary, "\"truncated_at\": ");
    g_assert_nonnull(cut);
    guint64 t_cut = g_ascii_strtoull(cut + 16, NULL, 10);
    g_assert_cmpuint(t_cut, >=, t_last);
    g_assert_cmpuint(t_cut, <, 50000000);
    pt_rmtree(dir);
}

/* Without latency-histogram.tsv the latency figures come from events.jsonl. */
static void test_no_histogram(void) {
    g_autofree char *sc = pt_scenario("hot-pages-storm");
    g_autofree char *dir = g_dir_make_tmp("plot-XXXXXX", NULL);
    const char *args[] = {"run", sc, "--out", dir, "--quiet", "--set", "stop.time=5ms", NULL};
    g_auto(PtRun) r = pt_run(args, NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_autofree char *hist = g_build_filename(dir, "latency-histogram.tsv", NULL);
    g_assert_cmpint(g_unlink(hist), ==, 0);
    const char *pargs[] = {"plot", dir, NULL};
    g_auto(PtRun) plot = pt_run(pargs, NULL);
    g_assert_cmpint(plot.status, ==, 0);
    g_assert_nonnull(strstr(plot.out, "latency-histogram.tsv is missing"));
    check_figures(dir, all_figures);
    pt_rmtree(dir);
}

static void test_errors(void) {
    g_autofree char *dir = g_dir_make_tmp("plot-XXXXXX", NULL);
    const char *args[] = {"plot", dir, NULL};
    const char *no_gnuplot[] = {"PAGESIM_GNUPLOT=/nonexistent/gnuplot", NULL};
    g_auto(PtRun) a = pt_run(args, no_gnuplot);
    g_assert_cmpint(a.status, ==, 1);
    g_assert_nonnull(strstr(a.err, "gnuplot-nox"));
    const char *no_scripts[] = {"PAGESIM_SCRIPTS=/nonexistent", NULL};
    g_auto(PtRun) b = pt_run(args, no_scripts);
    g_assert_cmpint(b.status, ==, 1);
    g_assert_nonnull(strstr(b.err, "PAGESIM_SCRIPTS"));
    g_auto(PtRun) c = pt_run(args, NULL);
    g_assert_cmpint(c.status, ==, 2);
    g_assert_nonnull(strstr(c.err, "summary.json"));
    const char *none[] = {"plot", NULL};
    g_auto(PtRun) d = pt_run(none, NULL);
    g_assert_cmpint(d.status, ==, 2);
    g_autofree char *plots = g_build_filename(dir, "plots", NULL);
    g_assert_false(g_file_test(plots, G_FILE_TEST_EXISTS));
    pt_rmtree(dir);
}

static void test_progress_format(void) {
    g_autofree char *a = cli_progress_format(412000000, 2000000, 2.0, 1000000000, 0);
    g_assert_cmpstr(a, ==,
                    "pagesim: simulated 412 ms of 1 s (41%), 1.00 M events/s, about 3 s left");
    g_autofree char *b = cli_progress_format(1500, 10, 1.0, UINT64_MAX, 0);
    g_assert_cmpstr(b, ==, "pagesim: simulated 1.5 us, 0.00 M events/s");
    g_autofree char *c = cli_progress_format(5000000000, 500, 60.0, UINT64_MAX, 1000);
    g_assert_cmpstr(c, ==, "pagesim: simulated 5 s, 0.00 M events/s, about 60 s left");
    g_autoptr(CliProgress) p = cli_progress_new(FALSE, 1000, 0);
    g_assert_false(cli_progress_active(p));
    cli_progress_update(p, 10, 10);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    static const char *const specs[][2] = {{"default", "50ms"},
                                           {"pager-death", NULL},
                                           {"hot-pages-storm", NULL},
                                           {"nvme-random-4k", "20ms"}};
    for (size_t i = 0; i < G_N_ELEMENTS(specs); i++) {
        g_autofree char *name = g_strdup_printf("/plot/figures/%s", specs[i][0]);
        g_test_add_data_func(name, specs[i], test_scenario_figures);
    }
    g_test_add_func("/plot/figures/no-events", test_no_events);
    g_test_add_func("/plot/figures/no-histogram", test_no_histogram);
    g_test_add_func("/plot/figures/nothing-to-draw", test_nothing_to_draw);
    g_test_add_func("/plot/timeline/run-matches-events", test_run_timeline_matches_events);
    g_test_add_func("/plot/run/bad-values", test_bad_values);
    g_test_add_func("/plot/run/gzip-events", test_gzip_events);
    g_test_add_func("/plot/run/trace-max", test_trace_max);
    g_test_add_func("/plot/errors", test_errors);
    g_test_add_func("/plot/progress/format", test_progress_format);
    return g_test_run();
}
