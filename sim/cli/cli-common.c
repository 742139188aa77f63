/* Helpers shared by the subcommands: option parsing with one consistent usage
 * error, and printing a GError as the user sees it. */
#include <stdio.h>
#include <string.h>

#include "sim/cli/cli.h"
#include "sim/report/rep-metrics.h"

/* What each subcommand's --help says after its options. */
static const struct {
    const char *name, *text;
} descriptions[] = {
    {"run", "Runs the scenario and writes, into DIR (default results/<scenario name>/): "
            "summary.json, scenario.json (the resolved scenario: 'pagesim run "
            "DIR/scenario.json --seed N' repeats the run), summary.csv, latency-spectrum.tsv, "
            "latency-histogram.tsv, latency-splits.tsv, latency.hgrm, timeline.tsv, and by "
            "--trace events.jsonl "
            "(native, the default; events.jsonl.gz with --gzip-events) and/or trace.json "
            "(perfetto), each at most --trace-max bytes (default 1GiB). Durations in "
            "--trace-window take units (\"10ms:20ms\"). The result replaces DIR's earlier one "
            "at once (files pagesim did not write are kept). Exit status: 0 success, 1 I/O "
            "failure, 2 bad usage or scenario (or over --max-memory), 3 an invariant violation "
            "found by --check, 128+N after signal N (SIGINT, SIGTERM, SIGHUP: the results so "
            "far are written, marked \"interrupted\")."},
    {"compare", "Runs the scenario once per --policy (at least two) with the same seed and "
                "random streams, and writes compare.json, compare.csv, compare.md (each metric "
                "and its change against the first policy) and the overlaid compare-cdf, "
                "compare-spectrum and compare-access-cdf figures (skipped, with a note, "
                "without gnuplot) into DIR (default results/<scenario name>-compare/), with "
                "one subdirectory per policy that pagesim plot can draw. "
                "Policies: none, fuchsia, readahead:N, adaptive, cluster:BYTES, joined by '+'. "
                "With --runs N, each policy runs over N seeds from --seed as a sweep "
                "(see 'pagesim sweep --help'): sweep.csv, sweep.json, sweep.md with 95% "
                "intervals, one directory per policy and seed."},
    {"plot", "Draws latency-cdf, latency-spectrum, latency-histogram, latency-heatmap and "
             "timeline (PNG and SVG) from the results in DIR into DIR/plots/, with gnuplot "
             "(package gnuplot-nox), and writes DIR/report.html (self-contained, figures "
             "inline). For a compare directory, writes its report.html. Exit status 1 when "
             "nothing can be drawn."},
    {"validate", "Loads and checks SCENARIO.json exactly as run does and prints what it would "
                 "run, with every default filled in. Writes nothing. Exit status 2 if the "
                 "scenario is invalid."},
    {"sweep", "Runs the cross product of every --set list and --policy, each point over the "
              "same seeds, as 'pagesim run' child processes into DIR/POINT/seed-S/ (DIR default "
              "results/<scenario name>-sweep/), skipping runs already complete; then writes "
              "sweep.csv, sweep.json, sweep.md (mean and 95% Student-t interval per metric), "
              "sweep-METRIC and sweep-cdf figures. --emit writes sweep-plan.json and jobs.txt "
              "(and sweep.slurm) instead of running; --collect DIR builds the tables from the "
              "runs finished so far and lists the missing ones. Exit status: 0 success, 1 a "
              "run or I/O failed, 2 bad usage or scenario (nothing written)."},
    {"diff", "Compares two result directories (a run, a compare or a sweep) metric by metric: "
             "A, B, B-A and the change in percent; with replications on both sides, Welch's "
             "t-test (p < 0.05: significant). Points and policies are paired by name. Prints "
             "to stdout and writes nothing. Exit status 2 if a directory holds no results."},
};

gboolean cli_parse_options(int *argc, char ***argv, const char *name, const char *params,
                           const GOptionEntry *entries, char ***args, guint n_args) {
    g_autofree char *prgname = g_strdup_printf("pagesim %s", name);
    g_set_prgname(prgname); /* --help's "Usage: pagesim NAME ..." */
    g_autofree char *synopsis = g_strdup(params);
    g_autoptr(GOptionContext) ctx = g_option_context_new(synopsis);
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_help_enabled(ctx, TRUE);
    for (size_t i = 0; i < G_N_ELEMENTS(descriptions); i++)
        if (strcmp(descriptions[i].name, name) == 0)
            g_option_context_set_description(ctx, descriptions[i].text);
    g_autoptr(GError) error = NULL;
    /* GOption removes what it parsed from the array it is given without freeing
     * it, so it parses a view of the strings while @owned keeps them all. */
    g_auto(GStrv) owned = g_new0(char *, (gsize)*argc + 1);
    for (int i = 0; i < *argc; i++)
        owned[i] = g_strdup((*argv)[i]);
    g_autofree char **view = g_memdup2(owned, sizeof(char *) * ((gsize)*argc + 1));
    char **parsed = view;
    int n = *argc;
    if (!g_option_context_parse(ctx, &n, &parsed, &error)) {
        fprintf(stderr, "pagesim %s: %s\n", name, error->message);
        fprintf(stderr, "Usage: pagesim %s %s (see 'pagesim %s --help')\n", name, params, name);
        return FALSE;
    }
    guint got = (guint)(n - 1);
    if (got != n_args) {
        fprintf(stderr, "pagesim %s: expected %u argument%s, got %u\n", name, n_args,
                n_args == 1 ? "" : "s", got);
        fprintf(stderr, "Usage: pagesim %s %s (see 'pagesim %s --help')\n", name, params, name);
        return FALSE;
    }
    *args = g_new0(char *, n_args + 1);
    for (guint i = 0; i < n_args; i++)
        (*args)[i] = g_strdup(parsed[i + 1]);
    return TRUE;
}

int cli_fail_output(RepOutput *out, const GError *error) {
    g_autoptr(GError) why = NULL;
    /* a write that failed (a full disk): say which file, where, and why */
    if (out && !rep_output_flush(out, NULL, &why))
        return cli_fail(CLI_EXIT_RUNTIME, why);
    return cli_fail(CLI_EXIT_RUNTIME, error);
}

int cli_fail(int status, const GError *error) {
    g_return_val_if_fail(error != NULL, status); /* a caller forgot to set it: a bug */
    fprintf(stderr, "pagesim: %s\n", error->message);
    return status;
}

/* "ZX_ERR_IO 3, ZX_ERR_TIMED_OUT 1": the failed statuses and their counts. */
static char *failures_text(const MdlStats *s) {
    GString *t = g_string_new(NULL);
    for (guint i = 0; i < s->statuses->len; i++) {
        const RepStatusFigures *st = &g_array_index(s->statuses, RepStatusFigures, i);
        if (strcmp(st->name, "ZX_OK") != 0)
            g_string_append_printf(t, "%s%s %" G_GUINT64_FORMAT, t->len ? ", " : "", st->name,
                                   st->split.accesses);
    }
    return g_string_free(t, FALSE);
}

/* "p50 81.2 us, p99 100.0 us, max 5.0 ms", or "none" without samples. */
static char *latency_text(const RepHistogram *h) {
    if (h == NULL || h->count == 0)
        return g_strdup("none");
    g_autofree char *p50 = rep_format_duration((double)rep_histogram_quantile(h, 0.5));
    g_autofree char *p99 = rep_format_duration((double)rep_histogram_quantile(h, 0.99));
    g_autofree char *max = rep_format_duration((double)h->max);
    return g_strdup_printf("p50 %s, p99 %s, max %s", p50, p99, max);
}

/* Whether every workload commits: its accesses are not page faults. */
static gboolean all_commits(const MdlStats *s) {
    for (guint i = 0; i < s->n_workloads; i++)
        if (strcmp(s->workloads[i].access, "commit") != 0)
            return FALSE;
    return s->n_workloads > 0;
}

void cli_print_run(const ScnScenario *sc, const MdlStats *s, const char *dir, double wall_s) {
    const RepSplit *ok = rep_figures_find_status(s, "ZX_OK");
    const char *missed = all_commits(s) ? "commits that found pages missing" : "faults";
    g_autofree char *rate =
        rep_metric_format(REP_METRIC_RATE, rep_figures_rate(s, (double)s->all.accesses));
    g_autofree char *failed = failures_text(s);
    printf("%s: %" G_GUINT64_FORMAT " accesses (%s), %" G_GUINT64_FORMAT " %s (%" G_GUINT64_FORMAT
           " ZX_OK), %" G_GUINT64_FORMAT " failed%s%s%s; %" G_GUINT64_FORMAT
           " requests sent, %" G_GUINT64_FORMAT " coalesced\n",
           sc->name, s->all.accesses, s->all.accesses ? rate : "-", s->all.faults, missed,
           ok ? ok->faults : 0, s->all.accesses - (ok ? ok->accesses : 0), *failed ? " (" : "",
           failed, *failed ? ")" : "", s->requests_sent, s->requests_coalesced);
    g_autofree char *acc = latency_text(s->all.access_latency);
    g_autofree char *okf = latency_text(ok ? ok->latency : NULL);
    printf("access latency: %s; ZX_OK %s latency: %s\n", acc, all_commits(s) ? "commit" : "fault",
           okf);
    g_autofree char *start = rep_format_duration((double)MIN(s->window_start_ns, s->sim_time_ns));
    g_autofree char *end = rep_format_duration((double)s->sim_time_ns);
    g_autofree char *mk =
        s->makespan_ns == REP_FIGURES_NONE ? NULL : rep_format_duration((double)s->makespan_ns);
    printf("measured %s to %s of simulated time in %.2f s%s%s\n", start, end, wall_s,
           mk ? "; makespan " : "", mk ? mk : "");
    printf("results in %s/\n", dir);
}
