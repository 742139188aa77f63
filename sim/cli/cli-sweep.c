/* pagesim sweep SCENARIO.json [--set PATH=V1,V2,...]... [--policy SPEC]...
 *               [--runs N | --seeds A..B] [--jobs N] [--out DIR]
 *               [--emit parallel|slurm] [--quiet]
 * pagesim sweep --collect DIR
 *
 * Checks the whole plan first (every point's scenario loads), so bad input
 * exits 2 before anything is written. Then it either runs the runs that are not
 * yet complete as child processes of this same binary, --jobs at a time, and
 * collects; or (--emit) writes jobs.txt and, for Slurm, a job-array script for
 * another engine to run, and --collect gathers the results afterwards. A run
 * that finished is never run again, so a killed sweep resumes where it stopped.
 *
 * Invariant: nothing is written before the whole command line and every point
 * of the plan checked out (exit 2 otherwise).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sim/cli/cli-plot.h"
#include "sim/cli/cli-sweep.h"
#include "sim/cli/cli.h"
#include "sim/scenario/scn-scenario.h"

typedef struct {
    char **sets;     /* --set */
    char **policies; /* --policy */
    char *runs;      /* --runs */
    char *seeds;     /* --seeds A..B */
    char *jobs;      /* --jobs */
    char *out;       /* --out */
    char *emit;      /* --emit */
    char *collect;   /* --collect */
    gboolean quiet;  /* --quiet */
} SweepArgs;

static void sweep_args_clear(SweepArgs *a) {
    g_strfreev(a->sets);
    g_strfreev(a->policies);
    g_free(a->runs);
    g_free(a->seeds);
    g_free(a->jobs);
    g_free(a->out);
    g_free(a->emit);
    g_free(a->collect);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SweepArgs, sweep_args_clear)

static gboolean G_GNUC_PRINTF(2, 3) bad(GError **error, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error_literal(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, msg);
    return FALSE;
}

/* A whole number in [@min, @max] from option @opt. */
static gboolean parse_uint(const char *opt, const char *text, guint64 min, guint64 max, guint64 *v,
                           GError **error) {
    if (!g_ascii_string_to_unsigned(text, 10, min, max, v, NULL))
        return bad(error,
                   "%s: \"%s\" is not a whole number from %" G_GUINT64_FORMAT
                   " to %" G_GUINT64_FORMAT,
                   opt, text, min, max);
    return TRUE;
}

/* The seeds: --seeds A..B, or --runs N from the scenario's seed @base
 * (default 10 runs). */
static GArray *parse_seeds(const SweepArgs *a, guint64 base, GError **error) {
    guint64 first = base, n = 10, last;
    if (a->runs && a->seeds) {
        bad(error, "--runs and --seeds are exclusive");
        return NULL;
    }
    if (a->runs && !parse_uint("--runs", a->runs, 1, 100000, &n, error))
        return NULL;
    if (a->seeds) {
        const char *dots = strstr(a->seeds, "..");
        g_autofree char *lo = dots ? g_strndup(a->seeds, (gsize)(dots - a->seeds)) : NULL;
        if (dots == NULL || !parse_uint("--seeds", lo, 0, G_MAXINT64, &first, error) ||
            !parse_uint("--seeds", dots + 2, 0, G_MAXINT64, &last, error)) {
            if (error && *error == NULL)
                bad(error, "--seeds: \"%s\" is not A..B (e.g. 1..10)", a->seeds);
            return NULL;
        }
        if (last < first) {
            bad(error,
                "--seeds %s: the range runs backwards (%" G_GUINT64_FORMAT " > %" G_GUINT64_FORMAT
                ")",
                a->seeds, first, last);
            return NULL;
        }
        if (last - first >= 100000) {
            bad(error, "--seeds %s: more than 100000 seeds", a->seeds);
            return NULL;
        }
        n = last - first + 1;
    }
    if (first > (guint64)G_MAXINT64 - (n - 1)) {
        bad(error, "seeds %" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT " go beyond 2^63-1", first,
            first + (n - 1));
        return NULL;
    }
    GArray *seeds = g_array_new(FALSE, FALSE, sizeof(guint64));
    for (guint64 i = 0; i < n; i++) {
        guint64 s = first + i;
        g_array_append_val(seeds, s);
    }
    return seeds;
}

/* sweep.slurm: a job array, one task per line of jobs.txt. */
static gboolean write_slurm(const CliSweepPlan *p, guint n, GError **error) {
    g_autoptr(CliFiles) out = cli_files_new(p->out, error);
    FILE *f = out ? cli_files_open(out, "sweep.slurm", error) : NULL;
    if (f == NULL)
        return FALSE;
    g_autofree char *jobs = g_build_filename(p->out, "jobs.txt", NULL);
    g_autofree char *qjobs = g_shell_quote(jobs);
    fprintf(f,
            "#!/bin/bash\n"
            "# pagesim sweep of %s: one array task per line of jobs.txt (%u runs).\n"
            "# Submit: sbatch %s/sweep.slurm   Afterwards: pagesim sweep --collect %s\n"
            "#SBATCH --job-name=pagesim-sweep\n"
            "#SBATCH --array=1-%u\n"
            "#SBATCH --ntasks=1\n"
            "#SBATCH --cpus-per-task=1\n"
            "#SBATCH --output=%s/slurm-%%A_%%a.out\n"
            "set -eu\n"
            "line=$(sed -n \"${SLURM_ARRAY_TASK_ID}p\" %s)\n"
            "eval \"exec $line\"\n",
            p->name, n, p->out, p->out, n, p->out, qjobs);
    return cli_files_commit(out, error);
}

/* The number of runs of @p not yet complete. */
static guint runs_to_do(const CliSweepPlan *p) {
    guint n = 0;
    for (guint i = 0; i < p->points->len; i++)
        for (guint k = 0; k < p->seeds->len; k++) {
            g_autofree char *dir = cli__sweep_run_dir(p, g_ptr_array_index(p->points, i),
                                                      g_array_index(p->seeds, guint64, k));
            n += !cli__sweep_run_complete(dir);
        }
    return n;
}

/* --emit parallel|slurm: writes the plan, jobs.txt and sweep.slurm; runs nothing. */
static int emit(const CliSweepPlan *p, gboolean slurm, gboolean quiet) {
    g_autoptr(GError) error = NULL;
    guint n = runs_to_do(p);
    if (!cli__sweep_plan_save(p, &error) || (slurm && n > 0 && !write_slurm(p, n, &error)))
        return cli_fail(CLI_EXIT_RUNTIME, error);
    if (quiet)
        return CLI_EXIT_OK;
    printf("%u of %u runs to do, one command per line in %s/jobs.txt\n", n,
           p->points->len * p->seeds->len, p->out);
    if (n > 0 && slurm)
        printf("submit: sbatch %s/sweep.slurm\n", p->out);
    else if (n > 0)
        printf("run:    parallel -j N < %s/jobs.txt   (across hosts: --sshloginfile FILE)\n",
               p->out);
    printf("then:   pagesim sweep --collect %s\n", p->out);
    return CLI_EXIT_OK;
}

/* Checks the options that need no scenario. */
static gboolean check_args(const SweepArgs *a, guint64 *jobs, GError **error) {
    *jobs = g_get_num_processors();
    if (a->jobs && !parse_uint("--jobs", a->jobs, 1, 1024, jobs, error))
        return FALSE;
    if (a->emit && strcmp(a->emit, "parallel") != 0 && strcmp(a->emit, "slurm") != 0)
        return bad(error, "--emit: \"%s\" is not one of parallel, slurm", a->emit);
    return TRUE;
}

static int sweep(const SweepArgs *a, const char *scenario) {
    g_autoptr(GError) error = NULL;
    guint64 jobs;
    if (!check_args(a, &jobs, &error))
        return cli_fail(CLI_EXIT_USAGE, error);
    g_autoptr(GArray) probe = parse_seeds(a, 0, &error);
    if (probe == NULL)
        return cli_fail(CLI_EXIT_USAGE, error);
    g_autoptr(CliSweepPlan) p = cli__sweep_plan_new(scenario, a->sets, a->policies, a->out, &error);
    if (p == NULL)
        return cli_fail(CLI_EXIT_USAGE, error);
    g_autoptr(GArray) seeds = parse_seeds(a, p->base_seed, &error);
    if (seeds == NULL)
        return cli_fail(CLI_EXIT_USAGE, error);
    g_array_append_vals(p->seeds, seeds->data, seeds->len);
    if (a->emit)
        return emit(p, strcmp(a->emit, "slurm") == 0, a->quiet);
    /* The figures need gnuplot: find out before running anything. */
    g_autofree char *gnuplot = cli__find_gnuplot(&error);
    if (gnuplot == NULL || !cli__sweep_plan_save(p, &error))
        return cli_fail(CLI_EXIT_RUNTIME, error);
    return cli__sweep_execute(p, (guint)jobs, a->quiet);
}

static int collect(const SweepArgs *a) {
    g_autoptr(GError) error = NULL;
    if (a->sets || a->policies || a->runs || a->seeds || a->jobs || a->out || a->emit) {
        bad(&error, "--collect DIR takes no other option but --quiet (the plan is in DIR)");
        return cli_fail(CLI_EXIT_USAGE, error);
    }
    g_autoptr(CliSweepPlan) p = cli__sweep_plan_load(a->collect, &error);
    if (p == NULL)
        return cli_fail(CLI_EXIT_USAGE, error);
    return cli__sweep_collect(p, g_get_num_processors(), a->quiet);
}

/* Whether the arguments hold --collect, which takes the place of SCENARIO. */
static gboolean has_collect(int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--collect") == 0 || g_str_has_prefix(argv[i], "--collect="))
            return TRUE;
    return FALSE;
}

int cli_sweep(int argc, char **argv) {
    g_auto(SweepArgs) a = {0};
    GOptionEntry entries[] = {
        {"set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a.sets,
         "Sweep a value of the scenario over a list (repeatable; a cross product)",
         "PATH=V1,V2,..."},
        {"policy", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a.policies,
         "A batching policy (repeatable; default the scenario's)", "SPEC"},
        {"runs", 0, 0, G_OPTION_ARG_STRING, &a.runs,
         "Replications per point, seeds S..S+N-1 from the scenario's seed S (default 10)", "N"},
        {"seeds", 0, 0, G_OPTION_ARG_STRING, &a.seeds, "Replicate over the seeds A to B", "A..B"},
        {"jobs", 'j', 0, G_OPTION_ARG_STRING, &a.jobs,
         "Runs at a time on this machine (default: the number of cores)", "N"},
        {"out", 'o', 0, G_OPTION_ARG_FILENAME, &a.out,
         "Output directory (default results/<scenario name>-sweep)", "DIR"},
        {"emit", 0, 0, G_OPTION_ARG_STRING, &a.emit,
         "Write jobs.txt (and sweep.slurm) for GNU parallel or Slurm instead of running",
         "parallel|slurm"},
        {"collect", 0, 0, G_OPTION_ARG_FILENAME, &a.collect,
         "Build the tables and figures of the sweep in DIR from its finished runs", "DIR"},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &a.quiet, "Print nothing but errors", NULL},
        G_OPTION_ENTRY_NULL,
    };
    g_auto(GStrv) args = NULL;
    gboolean coll = has_collect(argc, argv);
    if (!cli_parse_options(&argc, &argv, "sweep", coll ? "--collect DIR" : "SCENARIO.json", entries,
                           &args, coll ? 0 : 1))
        return CLI_EXIT_USAGE;
    return coll ? collect(&a) : sweep(&a, args[0]);
}

int cli__compare_runs(const char *scenario, char **sets, char **policies, const char *seed,
                      guint runs, const char *out, gboolean quiet) {
    g_autoptr(GError) error = NULL;
    g_autoptr(CliSweepPlan) p = cli__sweep_plan_new(scenario, sets, policies, out, &error);
    if (p == NULL)
        return cli_fail(CLI_EXIT_USAGE, error);
    guint64 first = p->base_seed;
    if (seed && !parse_uint("--seed", seed, 0, G_MAXINT64, &first, &error))
        return cli_fail(CLI_EXIT_USAGE, error);
    if (first > (guint64)G_MAXINT64 - (runs - 1)) {
        bad(&error, "--runs %u from seed %" G_GUINT64_FORMAT " goes beyond 2^63-1", runs, first);
        return cli_fail(CLI_EXIT_USAGE, error);
    }
    if (out == NULL) {
        g_free(p->out);
        g_autofree char *def = g_strdup_printf("results/%s-compare", p->name);
        p->out = g_canonicalize_filename(def, NULL);
    }
    for (guint64 s = first; s < first + runs; s++)
        g_array_append_val(p->seeds, s);
    g_autofree char *gnuplot = cli__find_gnuplot(&error);
    if (gnuplot == NULL || !cli__sweep_plan_save(p, &error))
        return cli_fail(CLI_EXIT_RUNTIME, error);
    return cli__sweep_execute(p, g_get_num_processors(), quiet);
}
