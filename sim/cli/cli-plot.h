/* What `pagesim plot` reads from a run's results directory (cli-plot-data.c),
 * for the figure drawing of cli-plot.c.
 *
 * A run's directory holds summary.json (required), latency-histogram.tsv (the
 * exact fault latency histogram), timeline.tsv (the per-interval series, made
 * during the run) and, unless the run used --trace none or perfetto,
 * events.jsonl. The latency figures need the histogram, taken from
 * latency-histogram.tsv or, failing that, rebuilt from the `done` lines of
 * events.jsonl; the heat map and the timeline need timeline.tsv or, for runs
 * made before it existed, events.jsonl (read in full, which is slow).
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "sim/report/rep-histogram.h"
#include "sim/report/rep-output.h"
#include "sim/report/rep-plot-data.h"
#include "sim/report/rep-plot-splits.h"
#include "sim/report/rep-timeline.h"

#define CLI_PLOT_INTERVALS 100 /* the timeline cuts the traced time into about this many */

typedef struct {
    char *dir;            /* the results directory */
    char *scenario;       /* summary.json "scenario" */
    char *policy;         /* summary.json "policy" */
    guint64 seed;         /* summary.json "seed" */
    uint64_t sim_time_ns; /* summary.json "sim_time_ns" */
    uint64_t trace_start; /* what events.jsonl covers: [trace_start, trace_end) */
    uint64_t trace_end;
    GPtrArray *providers;         /* provider names (char *), summary.json order */
    GArray *workers;              /* their worker counts (guint) */
    GPtrArray *devices;           /* device names (char *), summary.json order */
    GArray *depths;               /* their queue depths (guint) */
    gboolean memory;              /* summary.json has a "memory" object */
    RepHistogram *latency;        /* fault latency; NULL if neither file has it */
    gboolean latency_from_events; /* rebuilt from events.jsonl */
    char *events_path;            /* events.jsonl, or NULL when the run has none */
    GPtrArray *splits;            /* RepSplitHist from latency-splits.tsv; NULL without it */
    RepTimeline *timeline;        /* per-interval figures: timeline.tsv, else events.jsonl */
    gboolean timeline_from_run;   /* from timeline.tsv */
} CliRunResults;

/* cli_run_results_load: reads the results in @dir. Returns NULL with @error
 * (G_FILE_ERROR) if summary.json is missing or unreadable, or a file is bad. */
CliRunResults *cli_run_results_load(const char *dir, GError **error);
void cli_run_results_free(CliRunResults *r);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(CliRunResults, cli_run_results_free)

/* cli__plot_rebin: merges @r's timeline to the interval @text (--interval; a
 * duration that is a multiple of the recorded interval and at most the
 * timeline's length). FALSE with G_OPTION_ERROR_BAD_VALUE (exit 2) otherwise
 * (cli-plot-interval.c). */
gboolean cli__plot_rebin(CliRunResults *r, const char *text, GError **error);

/* A per-status or per-workload CDF figure (cli-plot-splits.c). */
typedef struct {
    const char *name; /* plots/NAME.{png,svg} (static) */
    char *vars;       /* its gnuplot assignments for scripts/fig-latency-cdf-split.gp */
} CliSplitFigure;

/* cli__split_figures: (transfer full) the split figures @r can have (a kind with
 * at least two splits with faults), their data files written into @out;
 * @base holds the assignments they share (subtitle, axes). NULL with @error. */
GPtrArray *cli__split_figures(const CliRunResults *r, RepUnit lu, const char *base, RepOutput *out,
                              GError **error);
void cli__split_figure_free(gpointer p);

/* Shared with pagesim compare. */

/* cli__find_gnuplot: (transfer full) gnuplot's path ($PAGESIM_GNUPLOT, else PATH);
 * NULL with an error naming the package gnuplot-nox. */
char *cli__find_gnuplot(GError **error);

/* cli__scripts_dir: (transfer none) $PAGESIM_SCRIPTS, else the source tree's
 * scripts/ directory. */
const char *cli__scripts_dir(void);

/* cli__gnuplot_assign: appends the gnuplot assignment KEY='VALUE'; to @s. */
void cli__gnuplot_assign(GString *s, const char *key, const char *value);

/* cli__plot_axes: (transfer full) gnuplot assignments of the figures' ranges
 * and tick lists for @r, latencies in @lu (cli-plot-axes.c). */
char *cli__plot_axes(const CliRunResults *r, RepUnit lu);

/* cli__write_run_report: DIR/report.html of a run whose figures @figures
 * (NULL-terminated names, drawn in DIR/plots) exist (cli-plot-html.c). */
gboolean cli__write_run_report(const CliRunResults *r, const char *subtitle,
                               const char *const *figures, GError **error);

/* cli__write_sweep_report: DIR/report.html of a `pagesim sweep` directory:
 * sweep.json's table and the sweep figures. */
gboolean cli__write_sweep_report(const char *dir, GError **error);

/* cli__write_compare_report: DIR/report.html of a `pagesim compare` directory. */
gboolean cli__write_compare_report(const char *dir, GError **error);

/* cli__run_gnuplot: runs gnuplot on @script with the assignments @vars. */
gboolean cli__run_gnuplot(const char *gnuplot, const char *script, const char *vars,
                          GError **error);
