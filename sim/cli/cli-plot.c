/* pagesim plot DIR: draws the figures of a run's results with gnuplot.
 *
 * For each figure, pagesim writes the data file (all computation happens here:
 * sim/report/rep-plot-data.c), then runs `gnuplot -e "datafile='...'; ..."
 * scripts/fig-NAME.gp`, which only draws, once for PNG and SVG together. Data
 * files and figures go to DIR/plots/ (NAME.tsv, NAME.png, NAME.svg) through
 * temporary names renamed only when every figure was drawn.
 *
 * Scripts are found in $PAGESIM_SCRIPTS, else where `meson install` put them
 * (PAGESIM_SCRIPTS_REL from the executable's directory: DATADIR/pagesim/scripts
 * of its prefix), else in the source tree pagesim was built from
 * (PAGESIM_SCRIPTS_DIR); gnuplot in $PAGESIM_GNUPLOT, else on PATH.
 *
 * Invariants:
 *  1. a figure is drawn only when its data exists: the latency figures need at
 *     least one fault, the heat map and timeline need events.jsonl; the others
 *     are reported as skipped, with the reason, and the command still succeeds;
 *  2. gnuplot gets every value as a quoted gnuplot string, with quotes doubled.
 */
#include <stdio.h>
#include <string.h>

#include "sim/cli/cli-plot.h"
#include "sim/cli/cli.h"
#include "sim/report/rep-plot-data.h"
#include "sim/report/rep-plot-ticks.h"
#include "sim/scenario/scn-units.h"

#ifndef PAGESIM_SCRIPTS_DIR
#define PAGESIM_SCRIPTS_DIR "scripts"
#endif

typedef struct {
    const CliRunResults *r; /* the run */
    RepUnit lu;             /* latency unit */
    RepUnit tu;             /* time unit */
    guint util_columns;     /* providers with workers (timeline) */
    char *axes;             /* the figures' ranges and ticks (gnuplot assignments) */
} Ctx;

typedef gboolean (*WriteFn)(Ctx *c, FILE *out, GError **error);

static gboolean w_cdf(Ctx *c, FILE *out, GError **error) {
    return rep_plot_write_cdf(c->r->latency, c->lu, out, error);
}
static gboolean w_spectrum(Ctx *c, FILE *out, GError **error) {
    return rep_plot_write_spectrum(c->r->latency, c->lu, out, error);
}
static gboolean w_histogram(Ctx *c, FILE *out, GError **error) {
    return rep_plot_write_histogram(c->r->latency, c->lu, out, error);
}
static gboolean w_heatmap(Ctx *c, FILE *out, GError **error) {
    return rep_plot_write_heatmap(c->r->timeline, c->tu, c->lu, out, error);
}
static gboolean w_timeline(Ctx *c, FILE *out, GError **error) {
    return rep_plot_write_timeline(c->r->timeline, c->tu, c->lu, out, error);
}
static gboolean w_utilization(Ctx *c, FILE *out, GError **error) {
    return rep_plot_write_utilization(c->r->timeline, c->tu, out, &c->util_columns, error);
}
static gboolean w_devices(Ctx *c, FILE *out, GError **error) {
    return rep_plot_write_devices(c->r->timeline, c->tu, out, error);
}

typedef struct {
    const char *name;      /* scripts/fig-NAME.gp, plots/NAME.{tsv,png,svg} */
    gboolean needs_events; /* drawn from events.jsonl */
    WriteFn write;         /* its data file */
    WriteFn write2;        /* nullable: a second data file ("datafile2") */
    const char *name2;     /* its name: NAME-NAME2.tsv */
    WriteFn write3;        /* nullable: a third ("datafile3"), written when the run has devices */
    const char *name3;     /* its name: NAME-NAME3.tsv */
} Figure;

/* The figures of every run. The per-status and per-workload CDFs, drawn only
 * when a run has several statuses or workloads with faults, come from
 * latency-splits.tsv through cli-plot-splits.c (add_split_jobs). */
static const Figure figures[] = {
    {"latency-cdf", FALSE, w_cdf, NULL, NULL, NULL, NULL},
    {"latency-spectrum", FALSE, w_spectrum, NULL, NULL, NULL, NULL},
    {"latency-histogram", FALSE, w_histogram, NULL, NULL, NULL, NULL},
    {"latency-heatmap", TRUE, w_heatmap, NULL, NULL, NULL, NULL}, /* "needs_events": timeline */
    {"timeline", TRUE, w_timeline, w_utilization, "utilization", w_devices, "devices"},
};

char *cli__find_gnuplot(GError **error) {
    const char *env = g_getenv("PAGESIM_GNUPLOT");
    char *path = env ? g_strdup(env) : g_find_program_in_path("gnuplot");
    if (path && g_file_test(path, G_FILE_TEST_IS_EXECUTABLE))
        return path;
    g_free(path);
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                "gnuplot is not installed%s%s; install the Debian package gnuplot-nox "
                "(apt-get install gnuplot-nox) and run the command again",
                env ? " at PAGESIM_GNUPLOT=" : "", env ? env : "");
    return NULL;
}

/* The installed scripts, relative to the running executable, if they are there. */
static char *installed_scripts(void) {
#ifdef PAGESIM_SCRIPTS_REL
    g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
    if (exe == NULL)
        return NULL;
    g_autofree char *bin = g_path_get_dirname(exe);
    g_autofree char *dir = g_build_filename(bin, PAGESIM_SCRIPTS_REL, NULL);
    g_autofree char *probe = g_build_filename(dir, "fig-latency-cdf.gp", NULL);
    if (g_file_test(probe, G_FILE_TEST_IS_REGULAR))
        return g_canonicalize_filename(dir, NULL);
#endif
    return NULL;
}

/* $PAGESIM_SCRIPTS, else the installed scripts, else the source tree's. */
const char *cli__scripts_dir(void) {
    static char *found;
    const char *env = g_getenv("PAGESIM_SCRIPTS");
    if (env && env[0])
        return env;
    if (found == NULL)
        found = installed_scripts();
    if (found == NULL)
        found = g_strdup(PAGESIM_SCRIPTS_DIR);
    return found;
}

static char *find_scripts(GError **error) {
    const char *dir = cli__scripts_dir();
    for (size_t i = 0; i < G_N_ELEMENTS(figures); i++) {
        g_autofree char *base = g_strdup_printf("fig-%s.gp", figures[i].name);
        g_autofree char *path = g_build_filename(dir, base, NULL);
        if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                        "cannot find the gnuplot script %s; set PAGESIM_SCRIPTS to the "
                        "scripts/ directory of pagesim's source tree",
                        path);
            return NULL;
        }
    }
    return g_strdup(dir);
}

/* Appends the gnuplot assignment KEY='VALUE'; with quotes doubled. */
void cli__gnuplot_assign(GString *s, const char *key, const char *value) {
    g_autofree char *esc = NULL;
    g_auto(GStrv) parts = g_strsplit(value, "'", -1);
    esc = g_strjoinv("''", parts);
    g_string_append_printf(s, "%s='%s'; ", key, esc);
}

/* A duration rounded for a title: "5.96 s", "20 ms". */
static char *short_duration(uint64_t ns) {
    char buf[32];
    rep_plot_format_ns((double)ns, buf, sizeof buf);
    return g_strdup(buf);
}

static char *subtitle(const Ctx *c) {
    const CliRunResults *r = c->r;
    uint64_t faults = r->latency ? r->latency->count : 0;
    g_autofree char *length = short_duration(r->sim_time_ns);
    g_autofree char *window = NULL;
    if (!r->timeline_from_run && (r->trace_start > 0 || r->trace_end < r->sim_time_ns)) {
        g_autofree char *from = short_duration(r->trace_start);
        g_autofree char *to = short_duration(r->trace_end);
        window = g_strdup_printf(" (traced from %s to %s)", from, to);
    }
    return g_strdup_printf("scenario %s, seed %" G_GUINT64_FORMAT ", policy %s: %" G_GUINT64_FORMAT
                           " faults in %s of simulated time%s",
                           r->scenario, r->seed, r->policy, faults, length, window ? window : "");
}

/* The headline percentiles, for the spectrum figure. */
static char *percentiles(const Ctx *c) {
    static const struct {
        const char *name;
        double q;
    } qs[] = {{"p50", 0.5}, {"p90", 0.9}, {"p99", 0.99}, {"p99.9", 0.999}, {"p99.99", 0.9999}};
    const RepHistogram *h = c->r->latency;
    GString *s = g_string_new(NULL);
    for (size_t i = 0; h && h->count && i < G_N_ELEMENTS(qs); i++)
        g_string_append_printf(s, "%s %.4g %s    ", qs[i].name,
                               (double)rep_histogram_quantile(h, qs[i].q) / c->lu.ns, c->lu.label);
    if (h && h->count)
        g_string_append_printf(s, "max %.4g %s", (double)h->max / c->lu.ns, c->lu.label);
    return g_string_free(s, FALSE);
}

/* Whether series @s of the timeline is known in any interval. */
static gboolean series_known(const RepTimeline *tl, RepTimelineSeries s) {
    for (guint i = 0; tl && i < rep_timeline_n(tl); i++)
        if (rep_timeline_gauge(tl, s, i).known)
            return TRUE;
    return FALSE;
}

/* Removes from @text (in place) gnuplot's warnings that an axis range is empty,
 * which it gives for a run with a single latency or interval and then fixes. */
static void drop_benign(char *text) {
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    GString *kept = g_string_new(NULL);
    for (guint i = 0; lines[i]; i++)
        if (!g_str_has_prefix(lines[i], "Warning: empty ") && lines[i][0])
            g_string_append_printf(kept, "%s\n", lines[i]);
    strcpy(text, kept->str); /* never longer than @text */
    g_string_free(kept, TRUE);
}

/* Runs gnuplot on @script with the assignments @vars. What gnuplot prints on
 * stderr is passed on as a warning (it succeeded) or as the error (it failed). */
gboolean cli__run_gnuplot(const char *gnuplot, const char *script, const char *vars,
                          GError **error) {
    const char *argv[] = {gnuplot, "-e", vars, script, NULL};
    g_autofree char *err_text = NULL;
    int status = 0;
    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                      &err_text, &status, error))
        return FALSE;
    gboolean ok = g_spawn_check_wait_status(status, NULL);
    if (ok)
        drop_benign(err_text);
    g_strchomp(err_text);
    if (ok && err_text[0])
        fprintf(stderr, "pagesim plot: gnuplot said, drawing %s:\n%s\n", script, err_text);
    if (!ok)
        g_set_error(error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "gnuplot failed on %s:\n%s", script,
                    err_text);
    return ok;
}

/* Writes the data file @name into @out with @fn; returns its temporary path. */
static const char *write_data(Ctx *c, RepOutput *out, const char *name, WriteFn fn,
                              GError **error) {
    FILE *f = rep_output_open(out, name, error);
    if (f == NULL || !fn(c, f, error) || !rep_output_flush(out, name, error))
        return NULL;
    return rep_output_temp_path(out, name);
}

/* The gnuplot assignments for a figure whose data files are @data and @data2. */
static char *gnuplot_vars(const Ctx *c, const char *data, const char *data2, const char *data3,
                          const char *png, const char *svg) {
    GString *s = g_string_new(NULL);
    g_autofree char *sub = subtitle(c);
    g_autofree char *stats = percentiles(c);
    const RepTimeline *tl = c->r->timeline;
    g_autofree char *interval = NULL;
    if (tl)
        interval = short_duration(rep_timeline_interval(tl));
    cli__gnuplot_assign(s, "datafile", data);
    cli__gnuplot_assign(s, "datafile2", data2 ? data2 : "");
    cli__gnuplot_assign(s, "datafile3", data3 ? data3 : "");
    cli__gnuplot_assign(s, "pngfile", png);
    cli__gnuplot_assign(s, "svgfile", svg);
    cli__gnuplot_assign(s, "subtitle", sub);
    cli__gnuplot_assign(s, "stats", stats);
    cli__gnuplot_assign(s, "lunit", c->lu.label);
    cli__gnuplot_assign(s, "tunit", c->tu.label);
    cli__gnuplot_assign(s, "interval", interval ? interval : "");
    cli__gnuplot_assign(s, "out_title",
                        series_known(tl, REP_TL_OUTSTANDING)
                            ? "outstanding requests"
                            : "outstanding requests (not in trace)");
    cli__gnuplot_assign(s, "queued_title",
                        series_known(tl, REP_TL_PORT)
                            ? "requests queued for the pager"
                            : "requests queued for the pager (not in trace)");
    g_string_append(s, c->axes);
    /* The time axis spans what the timeline covers, not just intervals with data. */
    g_string_append_printf(s, "xbegin=%.10g; xend=%.10g; ", (double)c->r->trace_start / c->tu.ns,
                           (double)c->r->trace_end / c->tu.ns);
    g_string_append_printf(s, "ndev=%u; memory=%d; ", data3 && tl ? rep_timeline_n_devices(tl) : 0,
                           tl && rep_timeline_has_memory(tl));
    g_string_append_printf(s, "lock=%d; ", tl && rep_timeline_has_lock(tl));
    g_string_append_printf(s, "ncols=%u", c->util_columns);
    return g_string_free(s, FALSE);
}

/* One gnuplot run; figures are drawn in parallel, each by its own gnuplot. */
typedef struct {
    const char *gnuplot; /* borrowed */
    char *script;        /* scripts/fig-NAME.gp */
    char *vars;          /* its assignments */
    GError *error;       /* set by a failed run */
} Job;

static void job_free(gpointer p) {
    Job *j = p;
    g_free(j->script);
    g_free(j->vars);
    g_clear_error(&j->error);
    g_free(j);
}

static gpointer run_job(gpointer data) {
    Job *j = data;
    cli__run_gnuplot(j->gnuplot, j->script, j->vars, &j->error);
    return NULL;
}

/* Runs @jobs at once; returns FALSE with the first one's error. */
static gboolean run_jobs(GPtrArray *jobs, GError **error) {
    g_autoptr(GPtrArray) threads = g_ptr_array_new();
    for (guint i = 0; i < jobs->len; i++)
        g_ptr_array_add(threads, g_thread_new("gnuplot", run_job, g_ptr_array_index(jobs, i)));
    for (guint i = 0; i < threads->len; i++)
        g_thread_join(g_ptr_array_index(threads, i));
    for (guint i = 0; i < jobs->len; i++) {
        Job *j = g_ptr_array_index(jobs, i);
        if (j->error) {
            g_propagate_error(error, g_steal_pointer(&j->error));
            return FALSE;
        }
    }
    return TRUE;
}

/* Writes @fig's data files and adds the gnuplot run that draws it to @jobs. */
static gboolean draw(Ctx *c, const Figure *fig, const char *gnuplot, const char *scripts,
                     RepOutput *out, GPtrArray *jobs, GError **error) {
    g_autofree char *tsv = g_strdup_printf("%s.tsv", fig->name);
    g_autofree char *tsv2 = g_strdup_printf("%s-%s.tsv", fig->name, fig->name2 ? fig->name2 : "");
    g_autofree char *png_name = g_strdup_printf("%s.png", fig->name);
    g_autofree char *svg_name = g_strdup_printf("%s.svg", fig->name);
    const char *data = write_data(c, out, tsv, fig->write, error);
    const char *data2 = NULL, *data3 = NULL;
    if (data && fig->write2 && (data2 = write_data(c, out, tsv2, fig->write2, error)) == NULL)
        return FALSE;
    g_autofree char *tsv3 = g_strdup_printf("%s-%s.tsv", fig->name, fig->name3 ? fig->name3 : "");
    if (data && fig->write3 && rep_timeline_n_devices(c->r->timeline) > 0 &&
        (data3 = write_data(c, out, tsv3, fig->write3, error)) == NULL)
        return FALSE;
    const char *png = data ? rep_output_reserve(out, png_name, error) : NULL;
    const char *svg = png ? rep_output_reserve(out, svg_name, error) : NULL;
    if (svg == NULL)
        return FALSE;
    g_autofree char *base = g_strdup_printf("fig-%s.gp", fig->name);
    Job *j = g_new0(Job, 1);
    j->gnuplot = gnuplot;
    j->script = g_build_filename(scripts, base, NULL);
    j->vars = gnuplot_vars(c, data, data2, data3, png, svg);
    g_ptr_array_add(jobs, j);
    return TRUE;
}

/* Adds the per-status and per-workload CDF figures @c's run has to @jobs. */
static gboolean add_split_jobs(Ctx *c, const char *scripts, const char *gnuplot, RepOutput *out,
                               GPtrArray *jobs, GString *drawn, GPtrArray *names, GError **error) {
    if (c->r->splits == NULL || c->r->latency == NULL || c->r->latency->count == 0)
        return TRUE;
    g_autoptr(GString) base = g_string_new(NULL);
    g_autofree char *sub = subtitle(c);
    cli__gnuplot_assign(base, "subtitle", sub);
    cli__gnuplot_assign(base, "lunit", c->lu.label);
    g_string_append(base, c->axes);
    g_autoptr(GPtrArray) figs = cli__split_figures(c->r, c->lu, base->str, out, error);
    if (figs == NULL)
        return FALSE;
    for (guint i = 0; i < figs->len; i++) {
        CliSplitFigure *f = g_ptr_array_index(figs, i);
        Job *j = g_new0(Job, 1);
        j->gnuplot = gnuplot;
        j->script = g_build_filename(scripts, "fig-latency-cdf-split.gp", NULL);
        j->vars = g_steal_pointer(&f->vars);
        g_ptr_array_add(jobs, j);
        g_string_append_printf(drawn, " %s", f->name);
        g_ptr_array_add(names, (gpointer)f->name);
    }
    return TRUE;
}

/* Why @fig cannot be drawn from @r, or NULL if it can. */
static const char *missing(const Figure *fig, const CliRunResults *r) {
    if (fig->needs_events && r->timeline == NULL && r->events_path == NULL)
        return "needs timeline.tsv (written by pagesim run) or the native trace events.jsonl";
    if (fig->needs_events && r->timeline == NULL)
        return "the run took no simulated time";
    if (r->latency == NULL)
        return "the run has neither latency-histogram.tsv nor events.jsonl";
    if (r->latency->count == 0 && !fig->needs_events)
        return "the run had no faults, so there is no fault latency to show";
    return NULL;
}

/* Draws every figure it can; prints what it drew and what it skipped. */
static int draw_all(const CliRunResults *r, const char *gnuplot, const char *scripts) {
    g_autoptr(GError) error = NULL;
    g_autofree char *dir = g_build_filename(r->dir, "plots", NULL);
    g_autoptr(RepOutput) out = rep_output_new(dir, &error);
    if (out == NULL)
        return cli_fail(CLI_EXIT_RUNTIME, error);
    uint64_t typical =
        r->latency && r->latency->count ? rep_histogram_quantile(r->latency, 0.5) : 1000;
    RepUnit lu = rep_plot_latency_unit(typical);
    g_autofree char *axes = cli__plot_axes(r, lu);
    Ctx c = {r, lu, rep_plot_time_unit(r->trace_end - r->trace_start), 0, axes};
    g_autoptr(GString) drawn = g_string_new(NULL);
    g_autoptr(GString) skipped = g_string_new(NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func(job_free);
    for (size_t i = 0; i < G_N_ELEMENTS(figures); i++) {
        const char *why = missing(&figures[i], r);
        if (why) {
            g_string_append_printf(skipped, "  %s: not drawn: %s\n", figures[i].name, why);
            continue;
        }
        if (!draw(&c, &figures[i], gnuplot, scripts, out, jobs, &error))
            return cli_fail_output(out, error);
        g_string_append_printf(drawn, " %s", figures[i].name);
        g_ptr_array_add(names, (gpointer)figures[i].name);
    }
    if (drawn->len && !add_split_jobs(&c, scripts, gnuplot, out, jobs, drawn, names, &error))
        return cli_fail_output(out, error);
    g_ptr_array_add(names, NULL);
    if (drawn->len == 0) {
        fprintf(stderr, "pagesim plot: nothing to draw in %s:\n%s", r->dir, skipped->str);
        return CLI_EXIT_RUNTIME;
    }
    g_autofree char *sub = subtitle(&c);
    if (!run_jobs(jobs, &error) || !rep_output_commit(out, &error) ||
        !cli__write_run_report(r, sub, (const char *const *)names->pdata, &error))
        return cli_fail_output(out, error);
    if (drawn->len)
        printf("figures in %s/ (.png and .svg):%s\n  (gnuplot scripts from %s)\nreport: "
               "%s/report.html\n",
               dir, drawn->str, cli__scripts_dir(), r->dir);
    if (r->latency_from_events)
        printf(
            "  (latency-histogram.tsv is missing: the latency figures come from events.jsonl)\n");
    fputs(skipped->str, stdout);
    return CLI_EXIT_OK;
}

int cli_plot(int argc, char **argv) {
    g_autofree char *interval = NULL;
    GOptionEntry entries[] = {
        {"interval", 0, 0, G_OPTION_ARG_STRING, &interval,
         "Draw the timeline and heat map at this interval, a multiple of the one recorded "
         "(default: as recorded)",
         "DURATION"},
        G_OPTION_ENTRY_NULL};
    g_auto(GStrv) args = NULL;
    if (!cli_parse_options(&argc, &argv, "plot", "DIR", entries, &args, 1))
        return CLI_EXIT_USAGE;
    g_autoptr(GError) error = NULL;
    g_autofree char *gnuplot = cli__find_gnuplot(&error);
    if (gnuplot == NULL)
        return cli_fail(CLI_EXIT_RUNTIME, error);
    g_autofree char *scripts = find_scripts(&error);
    if (scripts == NULL)
        return cli_fail(CLI_EXIT_RUNTIME, error);
    g_autofree char *cmp = g_build_filename(args[0], "compare.json", NULL);
    g_autofree char *sum = g_build_filename(args[0], "summary.json", NULL);
    if (g_file_test(cmp, G_FILE_TEST_EXISTS) && !g_file_test(sum, G_FILE_TEST_EXISTS)) {
        /* A comparison: its figures were drawn by compare; the page gathers them. */
        if (!cli__write_compare_report(args[0], &error))
            return cli_fail(CLI_EXIT_RUNTIME, error);
        printf("report: %s/report.html\n", args[0]);
        return CLI_EXIT_OK;
    }
    g_autofree char *sweep = g_build_filename(args[0], "sweep.json", NULL);
    if (g_file_test(sweep, G_FILE_TEST_EXISTS) && !g_file_test(sum, G_FILE_TEST_EXISTS)) {
        /* A sweep: its figures were drawn by sweep; the page gathers them. */
        if (!cli__write_sweep_report(args[0], &error))
            return cli_fail(CLI_EXIT_RUNTIME, error);
        printf("report: %s/report.html\n", args[0]);
        return CLI_EXIT_OK;
    }
    g_autoptr(CliRunResults) r = cli_run_results_load(args[0], &error);
    /* A directory that holds no run's summary.json is bad input (exit 2). */
    if (r == NULL)
        return cli_fail(g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ? CLI_EXIT_USAGE
                                                                                 : CLI_EXIT_RUNTIME,
                        error);
    if (interval && !cli__plot_rebin(r, interval, &error))
        return cli_fail(CLI_EXIT_USAGE, error);
    return draw_all(r, gnuplot, scripts);
}
