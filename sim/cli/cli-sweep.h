/* pagesim sweep: the plan of a parameter sweep, shared by the files that make it
 * (cli-sweep-plan.c), run it (cli-sweep.c, cli-sweep-exec.c), tabulate it
 * (cli-sweep-collect.c) and draw it (cli-sweep-figures.c); `compare --runs` is a
 * sweep of policies.
 *
 * A sweep is the cross product of every --set PATH=V1,V2,... list and every
 * --policy, each point replicated over the same seeds (common random numbers).
 * Run (point, seed) is the self-contained command
 *
 *   pagesim run SCENARIO --seed S [--policy P] [--set PATH=V]... --trace none
 *               --quiet --out DIR/POINT/seed-S
 *
 * and is complete when its directory holds latency-histogram.tsv and a
 * summary.json that parses and does not say "interrupted": true (a run stopped
 * by a signal may write the results it has so far). DIR/sweep-plan.json
 * records the plan so that --collect and diff can rebuild it without the
 * command line.
 */
#pragma once

#include <glib.h>

#include "sim/cli/cli-sweep-files.h"
#include "sim/report/rep-metrics.h"
#include "sim/report/rep-stats.h"

/* One --set: a path and the values it takes. */
typedef struct {
    char *path;        /* PATH as given */
    char *label;       /* its name in directory names and tables */
    GPtrArray *values; /* (char *) the values, at least one */
} CliSweepParam;

/* One point of the cross product. */
typedef struct {
    char *dir;    /* its directory name under DIR */
    char *policy; /* (nullable) --policy for it; NULL: the scenario's own */
    guint *index; /* the value of each parameter, as an index into its values */
} CliSweepPoint;

typedef struct {
    char *scenario;      /* the scenario file, absolute */
    char *name;          /* the scenario's name */
    char *out;           /* DIR, absolute */
    char *exe;           /* the pagesim binary the commands name, absolute */
    guint64 base_seed;   /* the scenario's own seed (with the first point's values) */
    GPtrArray *params;   /* (CliSweepParam *) in command-line order */
    GPtrArray *policies; /* (char *) --policy values; empty: the scenario's */
    GArray *seeds;       /* (guint64) the replications' seeds, ascending */
    GPtrArray *points;   /* (CliSweepPoint *) policies vary fastest, then the last --set */
} CliSweepPlan;

void cli_sweep_plan_free(CliSweepPlan *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CliSweepPlan, cli_sweep_plan_free)

/* cli__sweep_plan_new: (transfer full) the plan from parsed options: @sets are
 * "PATH=V1,V2,..." strings, @policies (nullable) the --policy values, @out
 * (nullable) DIR, by default results/<scenario name>-sweep. Loads the scenario
 * once per point with its values and policy, so a bad path or value is found
 * before anything runs. The caller fills p->seeds.
 * Returns NULL with @error (exit 2) for bad input; nothing is written. */
CliSweepPlan *cli__sweep_plan_new(const char *scenario, char **sets, char **policies,
                                  const char *out, GError **error);

/* cli__sweep_plan_save: writes DIR/sweep-plan.json and DIR/jobs.txt (the
 * commands of the runs not yet complete). Returns FALSE with @error on I/O. */
gboolean cli__sweep_plan_save(const CliSweepPlan *p, GError **error);

/* cli__sweep_plan_load: (transfer full) the plan saved in @dir. Returns NULL with
 * @error (G_FILE_ERROR) if sweep-plan.json is missing or malformed. */
CliSweepPlan *cli__sweep_plan_load(const char *dir, GError **error);

/* cli__sweep_varies: whether the point name and tables show parameter @i
 * (it has more than one value), or the policy for @i == params->len. */
gboolean cli__sweep_varies(const CliSweepPlan *p, guint i);

/* cli__sweep_run_dir: (transfer full) DIR/POINT/seed-S for point @pt and seed @seed. */
char *cli__sweep_run_dir(const CliSweepPlan *p, const CliSweepPoint *pt, guint64 seed);

/* cli__sweep_run_complete: whether the run in @dir finished (see above). */
gboolean cli__sweep_run_complete(const char *dir);

/* cli__sweep_run_argv: (transfer full) the argv of the run of @pt with @seed. */
char **cli__sweep_run_argv(const CliSweepPlan *p, const CliSweepPoint *pt, guint64 seed);

/* cli__sweep_collect: builds sweep.csv, sweep.json, sweep.md and the figures in
 * p->out from the complete runs (figures drawn @jobs at a time), and prints the
 * missing ones to stderr (all but a count with @quiet). Returns the exit status
 * (1 on I/O or gnuplot failure or when no run is complete). */
int cli__sweep_collect(const CliSweepPlan *p, guint jobs, gboolean quiet);

/* cli__sweep_execute: runs the missing runs of @p, @jobs at a time, as child
 * processes, then collects. Returns the exit status. */
int cli__sweep_execute(const CliSweepPlan *p, guint jobs, gboolean quiet);

/* What a sweep's tables show: the metrics that apply to any complete run, and
 * per point and metric the mean and interval over the point's runs. */
typedef struct {
    GPtrArray *rows;       /* (RepMetric *) the metrics, in table order */
    RepStatsSample *stats; /* points x rows, row-major */
    gboolean *applies;     /* points x rows: the metric applies to a run of the point */
} CliSweepStats;

/* cli__sweep_figures: draws into @out the sweep-METRIC figures (each figure
 * metric of @st against the first varying parameter, a line per combination
 * of the others, with 95% bars), and the overlaid latency CDFs of the points
 * (sweep-cdf), each point's runs merged, from their latency-histogram.tsv.
 * Up to @jobs gnuplot processes draw at once. Returns FALSE with @error if
 * gnuplot or a file fails. */
gboolean cli__sweep_figures(const CliSweepPlan *p, const CliSweepStats *st, guint jobs,
                            CliFiles *out, GError **error);

/* pagesim sweep and pagesim diff. */
int cli_sweep(int argc, char **argv);
int cli_diff(int argc, char **argv);

/* cli__compare_runs: compare --runs N: the policies of @policies over the seeds
 * @seed .. @seed + @runs - 1, as a sweep into @out (nullable: the default
 * results/<scenario>-compare). */
int cli__compare_runs(const char *scenario, char **sets, char **policies, const char *seed,
                      guint runs, const char *out, gboolean quiet);
