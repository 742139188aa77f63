/* pagesim compare SCENARIO.json --policy A --policy B ...: runs one workload under
 * several batching policies and tabulates what each costs.
 *
 * Every policy runs the same scenario with the same seed, so every named random
 * stream (arrivals, think times, patterns, pager latencies) starts from the same
 * state: the runs differ only where the policy makes them differ (common random
 * numbers). Runs are sequential. Each policy's summary.json goes to its own
 * subdirectory; compare.json, compare.csv and compare.md hold the table.
 */
#include <stdio.h>
#include <string.h>

#include "sim/cli/cli-plot.h"
#include "sim/cli/cli-run-data.h"
#include "sim/cli/cli-sweep.h"
#include "sim/cli/cli.h"
#include "sim/model/mdl-estimate.h"
#include "sim/report/rep-histogram-io.h"
#include "sim/report/rep-metrics.h"
#include "sim/report/rep-plot-data.h"

typedef struct {
    char *out;       /* --out */
    char *seed;      /* --seed */
    char **sets;     /* --set */
    char **policies; /* --policy, at least two */
    char *trace;     /* --trace: native or none (default) */
    gboolean quiet;  /* --quiet */
    char *runs;      /* --runs: replications, run as a sweep (cli-sweep.c) */
} CompareArgs;

static void compare_args_clear(CompareArgs *a) {
    g_free(a->out);
    g_free(a->seed);
    g_strfreev(a->sets);
    g_strfreev(a->policies);
    g_free(a->trace);
    g_free(a->runs);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CompareArgs, compare_args_clear)

/* One policy's run: its figures, kept for the table and the plots. */
typedef struct {
    char *policy;                 /* the spec as given */
    char *dir;                    /* its subdirectory name */
    RepHistogram *latency;        /* fault latency (owned copy) */
    RepHistogram *access_latency; /* latency of every access (owned copy) */
    RepSummary *summary;          /* its summary.json, for the table (owned) */
    RepOutput *out;               /* its files, committed with the comparison (owned) */
} PolicyRun;

static void policy_run_clear(PolicyRun *r) {
    rep_output_free(r->out);
    g_free(r->policy);
    g_free(r->dir);
    rep_histogram_free(r->latency);
    rep_histogram_free(r->access_latency);
    rep_summary_free(r->summary);
}

/* A directory name for a policy spec: characters other than letters, digits,
 * '-' and '.' become '_' ("readahead:8+cluster:32KiB" -> "readahead_8_cluster_32KiB"). */
static char *policy_dir(const char *spec) {
    char *s = g_strdup(spec);
    for (char *p = s; *p; p++)
        if (!g_ascii_isalnum(*p) && *p != '-' && *p != '.')
            *p = '_';
    return s;
}

/* Loads the scenario with the user's overrides and @policy, as run would.
 * Returns NULL with an error (exit 2) for a bad scenario, seed or policy. */
static ScnScenario *load(const CompareArgs *a, const char *path, const char *policy,
                         GError **error) {
    g_autoptr(ScnScenario) sc = scn_scenario_load_file(path, (const char *const *)a->sets, error);
    if (sc == NULL)
        return NULL;
    if (a->seed) {
        guint64 seed;
        if (!g_ascii_string_to_unsigned(a->seed, 10, 0, G_MAXUINT64, &seed, NULL)) {
            g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                        "--seed: \"%s\" is not an unsigned 64-bit integer", a->seed);
            return NULL;
        }
        sc->seed = seed;
    }
    uint64_t max_memory;
    if (!scn_scenario_set_policy(sc, policy, error) || !cli_max_memory(NULL, &max_memory, error) ||
        !mdl_estimate_check(sc, max_memory, error))
        return NULL;
    return g_steal_pointer(&sc);
}

/* Runs @sc (whose policy is run->policy) and writes its summary.json and
 * scenario.json (and events.jsonl when @native) into its subdirectory of @out,
 * committed with the comparison; the table is made from the same summary.
 * Returns FALSE with @error on a failure, or when a signal interrupted the run
 * (nothing of an interrupted comparison is kept). */
static gboolean run_policy(const ScnScenario *sc, RepOutput *out, gboolean native, char **sets,
                           PolicyRun *run, GError **error) {
    run->out = rep_output_sub(out, run->dir);
    FILE *events = NULL;
    if (native && (events = rep_output_open(run->out, "events.jsonl", error)) == NULL)
        return FALSE;
    g_autoptr(RepTrace) trace = rep_trace_new(events);
    g_autoptr(CliRunData) data = cli_run_data_new(sc, 0);
    cli_run_data_attach(data, trace, NULL, CLI_TRACE_MAX_DEFAULT);
    MdlOptions opt = {.trace = trace, .timeline = cli_run_data_timeline(data), .check = FALSE};
    g_autoptr(MdlWorld) w = mdl_world_new(sc, &opt, error);
    if (w == NULL)
        return FALSE;
    gint64 t0 = g_get_monotonic_time();
    cli_signals_watch(w);
    mdl_world_run(w);
    cli_signals_watch(NULL);
    double wall_s = (double)(g_get_monotonic_time() - t0) / 1e6;
    const MdlStats *s = mdl_world_get_stats(w);
    cli_run_data_detach(data);
    if (cli_signals_caught()) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INTR,
                    "interrupted by signal %d while running %s; nothing written",
                    cli_signals_caught(), run->policy);
        return FALSE;
    }
    rep_trace_flush(trace); /* a failed write is reported below, with its reason */
    FILE *hist = NULL;
    /* Each policy's directory is a run's: `pagesim plot` draws it. */
    if (!cli_write_summary(run->out, sc, s, wall_s, NULL, sets, TRUE, &run->summary, error) ||
        !cli_write_resolved(run->out, sc, error) ||
        (hist = rep_output_open(run->out, "latency-histogram.tsv", error)) == NULL ||
        !rep_histogram_write_buckets(s->all.latency, "fault latency", hist, error) ||
        !cli_run_data_write(data, sc, s, run->out, error) || !rep_output_flush(out, NULL, error))
        return FALSE;
    run->latency = rep_histogram_new();
    rep_histogram_merge(run->latency, s->all.latency);
    run->access_latency = rep_histogram_new();
    rep_histogram_merge(run->access_latency, s->all.access_latency);
    return TRUE;
}

typedef gboolean (*PlotWriteFn)(const RepHistogram *h, RepUnit lu, FILE *out, GError **error);

/* The smallest sample of @h that is not 0 (the low end of its bucket), or 0. */
static uint64_t smallest_nonzero(const RepHistogram *h) {
    for (size_t b = 1; b < REP_HIST_BUCKETS; b++)
        if (h->counts[b])
            return rep_histogram_bucket_low(b);
    return 0;
}

/* For the access CDF: a left edge just below every policy's smallest latency
 * that is not 0, so that hits do not stretch the log axis down to 1 ns. */
static void put_xmin(GArray *runs, RepUnit lu, GString *vars) {
    uint64_t lo = 0;
    for (guint r = 0; r < runs->len; r++) {
        uint64_t v = smallest_nonzero(g_array_index(runs, PolicyRun, r).access_latency);
        if (v && (lo == 0 || v < lo))
            lo = v;
    }
    if (lo == 0)
        return;
    g_autofree char *x = g_strdup_printf("%.6g", 0.8 * (double)lo / lu.ns);
    cli__gnuplot_assign(vars, "xmin", x);
}

/* What an overlaid figure shows: its name, its script (fig-compare-SCRIPT.gp),
 * and whether it draws every access rather than faults only. */
typedef struct {
    const char *name, *script;
    gboolean access;
} Overlay;

/* Draws one overlaid figure of every policy's @write data into @out. */
static gboolean draw_overlay(GArray *runs, const Overlay *ov, PlotWriteFn write, RepUnit lu,
                             const char *subtitle, const char *axes, const char *gnuplot,
                             RepOutput *out, GError **error) {
    const char *name = ov->name;
    g_autoptr(GString) files = g_string_new(NULL), titles = g_string_new(NULL);
    for (guint r = 0; r < runs->len; r++) {
        PolicyRun *run = &g_array_index(runs, PolicyRun, r);
        g_autofree char *tsv = g_strdup_printf("%s-%s.tsv", name, run->dir);
        FILE *f = rep_output_open(out, tsv, error);
        const RepHistogram *h = ov->access ? run->access_latency : run->latency;
        if (f == NULL || !write(h, lu, f, error) || !rep_output_flush(out, tsv, error))
            return FALSE;
        g_string_append_printf(files, "%s%s", r ? " " : "", rep_output_temp_path(out, tsv));
        g_string_append_printf(titles, "%s%s", r ? " " : "", run->policy);
    }
    g_autofree char *png_name = g_strdup_printf("compare-%s.png", name);
    g_autofree char *svg_name = g_strdup_printf("compare-%s.svg", name);
    const char *png = rep_output_reserve(out, png_name, error);
    const char *svg = png ? rep_output_reserve(out, svg_name, error) : NULL;
    if (svg == NULL)
        return FALSE;
    g_autoptr(GString) vars = g_string_new(NULL);
    cli__gnuplot_assign(vars, "datafiles", files->str);
    cli__gnuplot_assign(vars, "titles", titles->str);
    cli__gnuplot_assign(vars, "pngfile", png);
    cli__gnuplot_assign(vars, "svgfile", svg);
    cli__gnuplot_assign(vars, "subtitle", subtitle);
    cli__gnuplot_assign(vars, "lunit", lu.label);
    if (ov->access)
        put_xmin(runs, lu, vars); /* its own script sets its axes */
    else
        g_string_append(vars, axes);
    g_autofree char *base = g_strdup_printf("fig-compare-%s.gp", ov->script);
    g_autofree char *script = g_build_filename(cli__scripts_dir(), base, NULL);
    return cli__run_gnuplot(gnuplot, script, vars->str, error);
}

/* The comparison table of @runs, the first being the baseline. */
static RepMetricTable table_of(GArray *runs, const char **labels, RepSummary **sums) {
    for (guint r = 0; r < runs->len; r++) {
        labels[r] = g_array_index(runs, PolicyRun, r).policy;
        sums[r] = g_array_index(runs, PolicyRun, r).summary;
    }
    return (RepMetricTable){labels, sums, runs->len};
}

static const char md_note[] =
    "\nEach cell after the first policy's gives its change against the first (the "
    "baseline). Rates are per simulated second of the measured window; `makespan` is when "
    "the last workload finished (`-` for workloads that run until the run stops); access "
    "latency covers every access, hits included, and ZX_OK fault latency the accesses that "
    "found a page missing and succeeded; `failed accesses` ended with another status; "
    "`mean wait` is the mean time a thread spent blocked in PageRequest::Wait; `pages "
    "unused` counts pages supplied but never touched by an access; `busiest provider "
    "util.` is the busiest provider's utilisation. `-`: no value (no samples); `n/a`: the "
    "metric does not apply to that run (no `memory` section, no such device). README.md lists "
    "every metric.\n";

/* The overlaid figures, or a note saying they were skipped without gnuplot. */
static gboolean draw_overlays(const ScnScenario *sc, GArray *runs, const char *gnuplot,
                              RepOutput *out, GError **error) {
    if (gnuplot == NULL) {
        fprintf(stderr, "pagesim compare: figures skipped (compare-cdf, compare-spectrum, "
                        "compare-access-cdf): gnuplot "
                        "is not installed (apt-get install gnuplot-nox); the tables are written\n");
        return TRUE;
    }
    g_autoptr(RepHistogram) all = rep_histogram_new();
    for (guint r = 0; r < runs->len; r++)
        rep_histogram_merge(all, g_array_index(runs, PolicyRun, r).latency);
    if (all->count == 0) {
        fprintf(stderr, "pagesim compare: figures skipped (compare-cdf, compare-spectrum, "
                        "compare-access-cdf): no "
                        "policy's run had a fault\n");
        return TRUE;
    }
    RepUnit lu = rep_plot_latency_unit(rep_histogram_quantile(all, 0.5));
    CliRunResults all_runs = {.latency = all};
    g_autofree char *axes = cli__plot_axes(&all_runs, lu);
    g_autofree char *sub = g_strdup_printf("scenario %s, seed %" G_GUINT64_FORMAT
                                           ", the same random numbers for every policy",
                                           sc->name, sc->seed);
    g_autofree char *asub = g_strdup_printf("scenario %s, seed %" G_GUINT64_FORMAT ", every access",
                                            sc->name, sc->seed);
    static const Overlay cdf = {"cdf", "cdf", FALSE}, spectrum = {"spectrum", "spectrum", FALSE},
                         acdf = {"access-cdf", "access-cdf", TRUE};
    return draw_overlay(runs, &cdf, rep_plot_write_cdf, lu, sub, axes, gnuplot, out, error) &&
           draw_overlay(runs, &spectrum, rep_plot_write_spectrum, lu, sub, axes, gnuplot, out,
                        error) &&
           draw_overlay(runs, &acdf, rep_plot_write_cdf, lu, asub, axes, gnuplot, out, error);
}

/* Writes compare.json, compare.csv, compare.md and the overlaid figures. */
static gboolean write_comparison(const ScnScenario *sc, GArray *runs, const char *gnuplot,
                                 RepOutput *out, GError **error) {
    g_autofree const char **labels = g_new0(const char *, runs->len);
    g_autofree RepSummary **sums = g_new0(RepSummary *, runs->len);
    RepMetricTable t = table_of(runs, labels, sums);
    FILE *fj = rep_output_open(out, "compare.json", error);
    FILE *fc = fj ? rep_output_open(out, "compare.csv", error) : NULL;
    FILE *fm = fc ? rep_output_open(out, "compare.md", error) : NULL;
    if (fm == NULL)
        return FALSE;
    if (!rep_metrics_write_json(&t, "policy", "policies", sc->name, sc->seed, fj)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "cannot write compare.json");
        return FALSE;
    }
    rep_metrics_write_csv(&t, "policy", fc);
    fprintf(fm, "# %s: batching policies compared (seed %" G_GUINT64_FORMAT ")\n\n", sc->name,
            sc->seed);
    rep_metrics_write_text(&t, TRUE, fm);
    fputs(md_note, fm);
    if (!rep_output_flush(out, NULL, error))
        return FALSE;
    return draw_overlays(sc, runs, gnuplot, out, error);
}

static int compare(const CompareArgs *a, const char *path) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) scs = g_ptr_array_new_with_free_func((GDestroyNotify)scn_scenario_free);
    for (char **p = a->policies; *p; p++) {
        ScnScenario *sc = load(a, path, *p, &error);
        if (sc == NULL)
            return cli_fail(CLI_EXIT_USAGE, error);
        g_ptr_array_add(scs, sc);
    }
    /* The figures need gnuplot; the tables do not. */
    g_autofree char *gnuplot = cli__find_gnuplot(NULL);
    const ScnScenario *sc0 = g_ptr_array_index(scs, 0);
    g_autofree char *name = g_strdup_printf("%s-compare", sc0->name);
    g_autofree char *top = a->out ? g_strdup(a->out) : g_build_filename("results", name, NULL);
    g_autoptr(RepOutput) out = rep_output_new(top, &error);
    if (out == NULL)
        return cli_fail(CLI_EXIT_RUNTIME, error);
    g_autoptr(GArray) runs = g_array_new(FALSE, TRUE, sizeof(PolicyRun));
    g_array_set_clear_func(runs, (GDestroyNotify)policy_run_clear);
    gboolean native = a->trace && strcmp(a->trace, "native") == 0;
    for (guint i = 0; i < scs->len; i++) {
        PolicyRun run = {
            g_strdup(a->policies[i]), policy_dir(a->policies[i]), NULL, NULL, NULL, NULL};
        g_array_append_val(runs, run);
        if (!a->quiet)
            fprintf(stderr, "pagesim compare: running %s (%u of %u)\n", run.policy, i + 1,
                    scs->len);
        if (!run_policy(g_ptr_array_index(scs, i), out, native, a->sets,
                        &g_array_index(runs, PolicyRun, i), &error))
            return cli_fail_output(out, error);
    }
    if (!write_comparison(sc0, runs, gnuplot, out, &error))
        return cli_fail_output(out, error);
    /* Nothing is in place until every run and figure succeeded: one commit. */
    if (!rep_output_commit(out, &error))
        return cli_fail_output(out, error);
    if (!a->quiet) {
        g_autofree const char **labels = g_new0(const char *, runs->len);
        g_autofree RepSummary **sums = g_new0(RepSummary *, runs->len);
        RepMetricTable t = table_of(runs, labels, sums);
        rep_metrics_write_text(&t, FALSE, stdout);
        printf("comparison in %s/ (compare.md, compare.csv, compare.json, compare-cdf.png, "
               "compare-spectrum.png, compare-access-cdf.png; one directory per policy)\n",
               top);
    }
    return CLI_EXIT_OK;
}

/* The canonical spelling of a policy, so that equivalent specs
 * ("cluster:32KiB+readahead:8", "readahead:08+cluster:32768B") compare equal;
 * NULL for a spec that does not parse (load() reports it). "fuchsia" is the base
 * that readahead:N and adaptive replace, so "fuchsia+readahead:4" is "readahead:4". */
static char *canonical(const char *spec) {
    ScnPolicy p = {0};
    if (!scn_policy_parse(spec, &p, NULL))
        return NULL;
    GString *s = g_string_new(p.none ? "none" : p.adaptive ? "adaptive" : NULL);
    if (p.readahead_pages)
        g_string_append_printf(s, "%sreadahead:%" G_GUINT64_FORMAT, s->len ? "+" : "",
                               p.readahead_pages);
    if (s->len == 0)
        g_string_append(s, "fuchsia");
    if (p.cluster_bytes)
        g_string_append_printf(s, "+cluster:%" G_GUINT64_FORMAT, p.cluster_bytes);
    scn_policy_clear(&p);
    return g_string_free(s, FALSE);
}

/* There must be at least two policies, and no two may mean the same (or share a
 * directory name). */
static gboolean check_policies(char **policies, GError **error) {
    guint n = policies ? g_strv_length(policies) : 0;
    if (n < 2) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "compare needs at least two --policy options, got %u", n);
        return FALSE;
    }
    for (guint i = 0; i < n; i++)
        for (guint j = 0; j < i; j++) {
            g_autofree char *ca = canonical(policies[i]), *cb = canonical(policies[j]);
            g_autofree char *da = policy_dir(policies[i]), *db = policy_dir(policies[j]);
            if ((ca && cb && strcmp(ca, cb) == 0) || strcmp(da, db) == 0) {
                g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                            "--policy %s and --policy %s are the same policy", policies[j],
                            policies[i]);
                return FALSE;
            }
        }
    return TRUE;
}

int cli_compare(int argc, char **argv) {
    g_auto(CompareArgs) a = {0};
    GOptionEntry entries[] = {
        {"policy", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a.policies,
         "A batching policy to run (repeat: at least two)", "SPEC"},
        {"out", 'o', 0, G_OPTION_ARG_FILENAME, &a.out,
         "Output directory (default results/<scenario name>-compare)", "DIR"},
        {"seed", 0, 0, G_OPTION_ARG_STRING, &a.seed, "Override the scenario's seed", "N"},
        {"set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a.sets,
         "Override a value of the scenario (repeatable)", "PATH=VALUE"},
        {"trace", 0, 0, G_OPTION_ARG_STRING, &a.trace,
         "Per-policy trace: none (default) or native (events.jsonl)", "MODE"},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &a.quiet, "Print nothing but errors", NULL},
        {"runs", 0, 0, G_OPTION_ARG_STRING, &a.runs,
         "Replicate over N seeds from --seed: sweep tables with 95% intervals", "N"},
        G_OPTION_ENTRY_NULL,
    };
    g_auto(GStrv) args = NULL;
    if (!cli_parse_options(&argc, &argv, "compare", "SCENARIO.json", entries, &args, 1))
        return CLI_EXIT_USAGE;
    g_autoptr(GError) error = NULL;
    if (a.trace && strcmp(a.trace, "native") != 0 && strcmp(a.trace, "none") != 0)
        g_set_error(&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--trace: \"%s\" is not one of native, none", a.trace);
    guint64 runs = 0;
    if (a.runs && !g_ascii_string_to_unsigned(a.runs, 10, 1, 100000, &runs, NULL))
        g_set_error(&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--runs: \"%s\" is not a whole number from 1 to 100000", a.runs);
    if (!error && a.runs && a.trace && strcmp(a.trace, "native") == 0)
        g_set_error(&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--runs: replicated runs keep no trace (--trace native)");
    if (error || !check_policies(a.policies, &error))
        return cli_fail(CLI_EXIT_USAGE, error);
    if (a.runs)
        return cli__compare_runs(args[0], a.sets, a.policies, a.seed, (guint)runs, a.out, a.quiet);
    return compare(&a, args[0]);
}
