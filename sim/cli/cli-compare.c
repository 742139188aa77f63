/* pagesim compare SCENARIO.json --policy A --policy B ...: runs one workload under
 * several batching policies and tabulates what each costs.
 *
 * Every policy runs the same scenario with the same seed, so every named random
 * stream (arrivals, think times, patterns, pager latencies) starts from the same
 * state: the runs differ only where the policy makes them differ (common random
 * numbers). Runs are sequential. Each policy's summary.json goes to its own
 * subdirectory; compare.json, compare.csv and compare.md hold the table.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "sim/cli/cli-plot.h"
#include "sim/cli/cli-run-data.h"
#include "sim/cli/cli.h"
#include "sim/model/mdl-estimate.h"
#include "sim/report/rep-histogram-io.h"
#include "sim/report/rep-plot-data.h"

typedef struct {
    char *out;       /* --out */
    char *seed;      /* --seed */
    char **sets;     /* --set */
    char **policies; /* --policy, at least two */
    char *trace;     /* --trace: native or none (default) */
    gboolean quiet;  /* --quiet */
} CompareArgs;

static void compare_args_clear(CompareArgs *a) {
    g_free(a->out);
    g_free(a->seed);
    g_strfreev(a->sets);
    g_strfreev(a->policies);
    g_free(a->trace);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CompareArgs, compare_args_clear)

/* One policy's run: its figures, kept for the table and the plots. */
typedef struct {
    char *policy;          /* the spec as given */
    char *dir;             /* its subdirectory name */
    RepHistogram *latency; /* fault latency (owned copy) */
    json_t *row;           /* its row of the table (owned) */
    RepOutput *out;        /* its part of the comparison's result (owned) */
} PolicyRun;

static void policy_run_clear(PolicyRun *r) {
    rep_output_free(r->out);
    g_free(r->policy);
    g_free(r->dir);
    rep_histogram_free(r->latency);
    json_decref(r->row);
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

static double max_utilization(const MdlStats *s) {
    double util = 0;
    for (guint i = 0; i < s->n_providers; i++)
        util = MAX(util, s->providers[i].utilization);
    return util;
}

/* The columns of the table, in order: key, heading, and whether it is a
 * latency in ns (shown in us in the printed table). */
static const struct {
    const char *key, *heading;
    gboolean ns;
} columns[] = {
    {"policy", "policy", FALSE},
    {"faults", "faults", FALSE},
    {"requests", "requests", FALSE},
    {"pages_requested", "pages req.", FALSE},
    {"pages_unused", "unused", FALSE},
    {"p50_ns", "p50 us", TRUE},
    {"p90_ns", "p90 us", TRUE},
    {"p99_ns", "p99 us", TRUE},
    {"p999_ns", "p99.9 us", TRUE},
    {"max_ns", "max us", TRUE},
    {"mean_wait_ns", "wait us", TRUE},
    {"utilization", "util.", FALSE},
    {"sim_time_ns", "sim s", FALSE},
    /* Only for scenarios with devices (shown when the first row has them):
     * the busiest device's utilisation, and reads/s, MB/s and mean queue
     * summed over the devices. */
    {"device_utilization", "dev. util.", FALSE},
    {"device_iops", "dev. IOPS", FALSE},
    {"device_mbps", "dev. MB/s", FALSE},
    {"device_queue", "dev. queue", FALSE},
    /* Only for scenarios with a "memory" section: evictions, refaults and
     * the time threads spent in direct reclaim. */
    {"evictions", "evicted", FALSE},
    {"refaults", "refaults", FALSE},
    {"direct_reclaim_ns", "stall us", TRUE},
};

/* Whether column @c is shown: the device columns only with devices. */
static gboolean shown(GArray *runs, size_t c) {
    return runs->len && json_object_get(g_array_index(runs, PolicyRun, 0).row, columns[c].key);
}

static void device_json(json_t *o, const MdlStats *s) {
    double util = 0, iops = 0, mbps = 0, queue = 0;
    for (guint i = 0; i < s->n_devices; i++) {
        util = MAX(util, s->devices[i].utilization);
        iops += s->devices[i].iops;
        mbps += s->devices[i].mbps;
        queue += s->devices[i].queue;
    }
    json_object_set_new(o, "device_utilization", json_real(util));
    json_object_set_new(o, "device_iops", json_real(iops));
    json_object_set_new(o, "device_mbps", json_real(mbps));
    json_object_set_new(o, "device_queue", json_real(queue));
}

static json_t *row_json(const char *policy, const MdlStats *s) {
    const RepHistogram *h = s->latency;
    json_t *o = json_object();
    json_object_set_new(o, "policy", json_string(policy));
    json_object_set_new(o, "faults", json_integer((json_int_t)s->faults));
    json_object_set_new(o, "requests", json_integer((json_int_t)s->requests_sent));
    json_object_set_new(o, "pages_requested", json_integer((json_int_t)s->requests_pages));
    json_object_set_new(o, "pages_unused", json_integer((json_int_t)s->unused_pages));
    static const double qs[] = {0.5, 0.9, 0.99, 0.999};
    for (size_t i = 0; i < G_N_ELEMENTS(qs); i++)
        json_object_set_new(o, columns[5 + i].key,
                            json_integer((json_int_t)rep_histogram_quantile(h, qs[i])));
    json_object_set_new(o, "max_ns", json_integer((json_int_t)h->max));
    json_object_set_new(o, "mean_wait_ns", json_real(mdl_stats_mean_wait(s)));
    json_object_set_new(o, "utilization", json_real(max_utilization(s)));
    json_object_set_new(o, "sim_time_ns", json_integer((json_int_t)s->sim_time_ns));
    if (s->n_devices)
        device_json(o, s);
    const MdlMemoryStats *m = s->memory;
    if (m) {
        json_object_set_new(o, "evictions", json_integer((json_int_t)m->evictions));
        json_object_set_new(o, "refaults", json_integer((json_int_t)m->refaults));
        json_object_set_new(o, "direct_reclaim_ns", json_integer((json_int_t)m->direct_ns));
    }
    return o;
}

/* One cell of the table as text, for the printed and the Markdown tables. */
static char *cell(json_t *row, size_t col) {
    json_t *v = json_object_get(row, columns[col].key);
    if (json_is_string(v))
        return g_strdup(json_string_value(v));
    double x = json_number_value(v);
    if (columns[col].ns)
        return g_strdup_printf("%.1f", x / 1e3);
    if (strcmp(columns[col].key, "utilization") == 0 ||
        strcmp(columns[col].key, "device_utilization") == 0)
        return g_strdup_printf("%.3f", x);
    if (strcmp(columns[col].key, "device_mbps") == 0 ||
        strcmp(columns[col].key, "device_queue") == 0)
        return g_strdup_printf("%.1f", x);
    if (strcmp(columns[col].key, "sim_time_ns") == 0)
        return g_strdup_printf("%.6f", x / 1e9);
    return g_strdup_printf("%.0f", x);
}

/* Writes the table as aligned text (@md FALSE) or Markdown (@md TRUE). */
static void write_table(FILE *out, GArray *runs, gboolean md) {
    size_t nc = G_N_ELEMENTS(columns);
    while (nc > 1 && !shown(runs, nc - 1))
        nc--;
    g_autofree int *width = g_new0(int, nc);
    for (size_t c = 0; c < nc; c++) {
        width[c] = (int)strlen(columns[c].heading);
        for (guint r = 0; r < runs->len; r++) {
            g_autofree char *t = cell(g_array_index(runs, PolicyRun, r).row, c);
            width[c] = MAX(width[c], (int)strlen(t));
        }
    }
    const char *sep = md ? " | " : "  ";
    for (size_t c = 0; c < nc; c++)
        fprintf(out, "%s%*s", c ? sep : (md ? "| " : ""), c ? width[c] : -width[c],
                columns[c].heading);
    fprintf(out, "%s\n", md ? " |" : "");
    if (md) {
        for (size_t c = 0; c < nc; c++)
            fprintf(out, "%s%s", c ? " | " : "| ", c ? "---:" : "---");
        fprintf(out, " |\n");
    }
    for (guint r = 0; r < runs->len; r++) {
        for (size_t c = 0; c < nc; c++) {
            g_autofree char *t = cell(g_array_index(runs, PolicyRun, r).row, c);
            fprintf(out, "%s%*s", c ? sep : (md ? "| " : ""), c ? width[c] : -width[c], t);
        }
        fprintf(out, "%s\n", md ? " |" : "");
    }
}

static void write_csv(FILE *out, GArray *runs) {
    size_t nc = G_N_ELEMENTS(columns);
    while (nc > 1 && !shown(runs, nc - 1))
        nc--;
    for (size_t c = 0; c < nc; c++)
        fprintf(out, "%s%s", c ? "," : "", columns[c].key);
    fputc('\n', out);
    for (guint r = 0; r < runs->len; r++) {
        json_t *row = g_array_index(runs, PolicyRun, r).row;
        for (size_t c = 0; c < nc; c++) {
            json_t *v = json_object_get(row, columns[c].key);
            if (json_is_string(v))
                fprintf(out, "%s\"%s\"", c ? "," : "", json_string_value(v));
            else if (json_is_real(v))
                fprintf(out, ",%.3f", json_real_value(v));
            else
                fprintf(out, ",%" JSON_INTEGER_FORMAT, json_integer_value(v));
        }
        fputc('\n', out);
    }
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

/* Runs @sc (whose policy is run->policy) and writes its summary.json (and
 * events.jsonl when @native) into its subdirectory of @out, committed with the
 * comparison. Returns FALSE with @error on a failure, or when a signal
 * interrupted the run (nothing of an interrupted comparison is kept). */
static gboolean run_policy(const ScnScenario *sc, RepOutput *out, gboolean native, PolicyRun *run,
                           GError **error) {
    run->out = rep_output_sub(out, run->dir);
    FILE *events = NULL;
    if (native && (events = rep_output_open(run->out, "events.jsonl", error)) == NULL)
        return FALSE;
    g_autoptr(RepTrace) trace = rep_trace_new(events);
    g_autoptr(CliRunData) data = cli_run_data_new(sc, 0);
    cli_run_data_attach(data, trace, NULL, CLI_TRACE_MAX_DEFAULT);
    MdlOptions opt = {.trace = trace, .check = FALSE};
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
    FILE *summary = NULL, *hist = NULL;
    /* Each policy's directory is a run's: `pagesim plot` draws it. */
    if ((summary = rep_output_open(run->out, "summary.json", error)) == NULL ||
        !cli_write_summary(summary, sc, s, wall_s, error) ||
        (hist = rep_output_open(run->out, "latency-histogram.tsv", error)) == NULL ||
        !rep_histogram_write_buckets(s->latency, "fault latency", hist, error) ||
        !cli_run_data_write(data, sc, s, run->out, error) || !rep_output_flush(out, NULL, error))
        return FALSE;
    run->latency = rep_histogram_new();
    rep_histogram_merge(run->latency, s->latency);
    run->row = row_json(run->policy, s);
    return TRUE;
}

typedef gboolean (*PlotWriteFn)(const RepHistogram *h, RepUnit lu, FILE *out, GError **error);

/* Draws one overlaid figure (scripts/fig-compare-@name.gp) of every policy's
 * @write data into @out. */
static gboolean draw_overlay(GArray *runs, const char *name, PlotWriteFn write, RepUnit lu,
                             const char *subtitle, const char *axes, const char *gnuplot,
                             RepOutput *out, GError **error) {
    g_autoptr(GString) files = g_string_new(NULL), titles = g_string_new(NULL);
    for (guint r = 0; r < runs->len; r++) {
        PolicyRun *run = &g_array_index(runs, PolicyRun, r);
        g_autofree char *tsv = g_strdup_printf("%s-%s.tsv", name, run->dir);
        FILE *f = rep_output_open(out, tsv, error);
        if (f == NULL || !write(run->latency, lu, f, error) || !rep_output_flush(out, tsv, error))
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
    g_string_append(vars, axes);
    g_autofree char *base = g_strdup_printf("fig-compare-%s.gp", name);
    g_autofree char *script = g_build_filename(cli__scripts_dir(), base, NULL);
    return cli__run_gnuplot(gnuplot, script, vars->str, error);
}

/* The two overlaid figures, or a note saying they were skipped without gnuplot. */
static gboolean draw_overlays(const ScnScenario *sc, GArray *runs, const char *gnuplot,
                              RepOutput *out, GError **error) {
    if (gnuplot == NULL) {
        fprintf(stderr, "pagesim compare: figures skipped (compare-cdf, compare-spectrum): gnuplot "
                        "is not installed (apt-get install gnuplot-nox); the tables are written\n");
        return TRUE;
    }
    g_autoptr(RepHistogram) all = rep_histogram_new();
    for (guint r = 0; r < runs->len; r++)
        rep_histogram_merge(all, g_array_index(runs, PolicyRun, r).latency);
    if (all->count == 0) {
        fprintf(stderr, "pagesim compare: figures skipped (compare-cdf, compare-spectrum): no "
                        "policy's run had a fault\n");
        return TRUE;
    }
    RepUnit lu = rep_plot_latency_unit(rep_histogram_quantile(all, 0.5));
    CliRunResults all_runs = {.latency = all};
    g_autofree char *axes = cli__plot_axes(&all_runs, lu);
    g_autofree char *sub = g_strdup_printf("scenario %s, seed %" G_GUINT64_FORMAT
                                           ", the same random numbers for every policy",
                                           sc->name, sc->seed);
    return draw_overlay(runs, "cdf", rep_plot_write_cdf, lu, sub, axes, gnuplot, out, error) &&
           draw_overlay(runs, "spectrum", rep_plot_write_spectrum, lu, sub, axes, gnuplot, out,
                        error);
}

/* Writes compare.json, compare.csv, compare.md and the two overlaid figures. */
static gboolean write_comparison(const ScnScenario *sc, GArray *runs, const char *gnuplot,
                                 RepOutput *out, GError **error) {
    json_auto_t *doc = json_object();
    json_object_set_new(doc, "scenario", json_string(sc->name));
    json_object_set_new(doc, "seed", json_integer((json_int_t)sc->seed));
    json_t *rows = json_array();
    for (guint r = 0; r < runs->len; r++)
        json_array_append(rows, g_array_index(runs, PolicyRun, r).row);
    json_object_set_new(doc, "policies", rows);
    FILE *fj = rep_output_open(out, "compare.json", error);
    FILE *fc = fj ? rep_output_open(out, "compare.csv", error) : NULL;
    FILE *fm = fc ? rep_output_open(out, "compare.md", error) : NULL;
    if (fm == NULL)
        return FALSE;
    /* a failed write leaves the stream's error set: rep_output_flush reports it */
    json_dumpf(doc, fj, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', fj);
    write_csv(fc, runs);
    fprintf(fm, "# %s: batching policies compared (seed %" G_GUINT64_FORMAT ")\n\n", sc->name,
            sc->seed);
    write_table(fm, runs, TRUE);
    fprintf(fm, "\nLatencies are of faults (accesses that found a page missing), in "
                "microseconds; `wait` is the mean time a thread spent blocked in "
                "PageRequest::Wait; `unused` counts pages supplied but never touched by an "
                "access; `util.` is the busiest provider's utilization; `evicted`, "
                "`refaults` and `stall` (time in direct reclaim) are memory pressure's, "
                "shown with a `memory` section.\n");
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
        PolicyRun run = {g_strdup(a->policies[i]), policy_dir(a->policies[i]), NULL, NULL, NULL};
        g_array_append_val(runs, run);
        if (!a->quiet)
            fprintf(stderr, "pagesim compare: running %s (%u of %u)\n", run.policy, i + 1,
                    scs->len);
        if (!run_policy(g_ptr_array_index(scs, i), out, native, &g_array_index(runs, PolicyRun, i),
                        &error))
            return cli_fail_output(out, error);
    }
    if (!write_comparison(sc0, runs, gnuplot, out, &error))
        return cli_fail_output(out, error);
    /* Nothing is in place until every run and figure succeeded: one commit. */
    if (!rep_output_commit(out, &error))
        return cli_fail_output(out, error);
    if (!a->quiet) {
        write_table(stdout, runs, FALSE);
        printf("comparison in %s/ (compare.md, compare.csv, compare.json, compare-cdf.png, "
               "compare-spectrum.png; one directory per policy)\n",
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
        G_OPTION_ENTRY_NULL,
    };
    g_auto(GStrv) args = NULL;
    if (!cli_parse_options(&argc, &argv, "compare", "SCENARIO.json", entries, &args, 1))
        return CLI_EXIT_USAGE;
    g_autoptr(GError) error = NULL;
    if (a.trace && strcmp(a.trace, "native") != 0 && strcmp(a.trace, "none") != 0)
        g_set_error(&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--trace: \"%s\" is not one of native, none", a.trace);
    if (error || !check_policies(a.policies, &error))
        return cli_fail(CLI_EXIT_USAGE, error);
    return compare(&a, args[0]);
}
