/* Collecting a sweep: reads the summary.json of every complete run, and writes
 * per point and metric the mean and 95% Student-t interval over the seeds into
 * sweep.json, sweep.csv and sweep.md, with the figures of cli-sweep-figures.c.
 * Runs not yet complete are listed (stderr and sweep.json "missing") and left
 * out, so a sweep can be collected while it is still running elsewhere.
 *
 * Invariant: a metric's interval uses exactly the runs whose summary.json holds
 * it; "n" says how many.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/cli/cli-metrics.h"
#include "sim/cli/cli-sweep.h"
#include "sim/cli/cli.h"

/* What was collected. */
typedef struct {
    RepStatsSample *stats; /* points x metrics, row-major */
    json_t *points;        /* sweep.json's "points" (owned) */
    GPtrArray *missing;    /* (char *) "POINT/seed-S" of runs not complete */
    guint complete;        /* runs read */
} Collected;

static void collected_clear(Collected *c) {
    g_free(c->stats);
    json_decref(c->points);
    g_clear_pointer(&c->missing, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Collected, collected_clear)

static json_t *real_or_null(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static json_t *metric_json(const RepStatsSample *s, GArray *values) {
    json_t *o = json_object(), *vals = json_array();
    json_object_set_new(o, "n", json_integer(s->n));
    json_object_set_new(o, "mean", real_or_null(s->mean));
    json_object_set_new(o, "sd", real_or_null(s->sd));
    json_object_set_new(o, "ci95", real_or_null(s->ci95));
    json_object_set_new(o, "low", real_or_null(s->mean - s->ci95));
    json_object_set_new(o, "high", real_or_null(s->mean + s->ci95));
    for (guint i = 0; i < values->len; i++)
        json_array_append_new(vals, json_real(g_array_index(values, double, i)));
    json_object_set_new(o, "values", vals);
    return o;
}

/* The identity of point @pt in sweep.json: its directory, policy and values. */
static json_t *point_json(const CliSweepPlan *p, const CliSweepPoint *pt) {
    json_t *o = json_object(), *vals = json_object();
    json_object_set_new(o, "point", json_string(pt->dir));
    json_object_set_new(o, "policy", pt->policy ? json_string(pt->policy) : json_null());
    for (guint i = 0; i < p->params->len; i++) {
        const CliSweepParam *prm = g_ptr_array_index(p->params, i);
        json_object_set_new(vals, prm->path,
                            json_string(g_ptr_array_index(prm->values, pt->index[i])));
    }
    json_object_set_new(o, "values", vals);
    return o;
}

/* Reads the runs of point @k into c->stats and c->points. */
static void collect_point(const CliSweepPlan *p, guint k, Collected *c) {
    guint nm;
    const CliMetric *metrics = cli_metrics(&nm);
    const CliSweepPoint *pt = g_ptr_array_index(p->points, k);
    g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
    for (guint m = 0; m < nm; m++)
        g_ptr_array_add(values, g_array_new(FALSE, FALSE, sizeof(double)));
    json_t *o = point_json(p, pt), *missing = json_array(), *mj = json_object();
    g_autofree double *row = g_new(double, nm);
    guint runs = 0;
    for (guint s = 0; s < p->seeds->len; s++) {
        guint64 seed = g_array_index(p->seeds, guint64, s);
        g_autofree char *dir = cli__sweep_run_dir(p, pt, seed);
        g_autofree char *summary = g_build_filename(dir, "summary.json", NULL);
        g_autoptr(GError) error = NULL;
        if (!cli__sweep_run_complete(dir) || !cli_metrics_read_summary(summary, row, &error)) {
            if (error)
                fprintf(stderr, "pagesim sweep: %s\n", error->message);
            g_ptr_array_add(c->missing,
                            g_strdup_printf("%s/seed-%" G_GUINT64_FORMAT, pt->dir, seed));
            json_array_append_new(missing, json_integer((json_int_t)seed));
            continue;
        }
        runs++;
        for (guint m = 0; m < nm; m++)
            if (!isnan(row[m]))
                g_array_append_val(g_ptr_array_index(values, m), row[m]);
    }
    for (guint m = 0; m < nm; m++) {
        GArray *v = g_ptr_array_index(values, m);
        RepStatsSample *st = &c->stats[k * nm + m];
        rep_stats_summarize((const double *)v->data, v->len, st);
        json_object_set_new(mj, metrics[m].name, metric_json(st, v));
    }
    c->complete += runs;
    json_object_set_new(o, "runs", json_integer(runs));
    json_object_set_new(o, "missing_seeds", missing);
    json_object_set_new(o, "metrics", mj);
    json_array_append_new(c->points, o);
}

/* The identity columns of point @pt: each varying parameter's value, then the
 * policy when --policy was given. With @pt NULL, the headings. */
static void identity(const CliSweepPlan *p, const CliSweepPoint *pt, GPtrArray *cells) {
    for (guint i = 0; i < p->params->len; i++) {
        const CliSweepParam *prm = g_ptr_array_index(p->params, i);
        if (cli__sweep_varies(p, i))
            g_ptr_array_add(
                cells, g_strdup(pt ? g_ptr_array_index(prm->values, pt->index[i]) : prm->label));
    }
    if (p->policies->len)
        g_ptr_array_add(cells, g_strdup(pt ? pt->policy : "policy"));
}

static void csv_number(FILE *f, double v) {
    if (isfinite(v))
        fprintf(f, ",%.10g", v);
    else
        fputc(',', f);
}

static void write_csv(const CliSweepPlan *p, const Collected *c, FILE *f) {
    guint nm;
    const CliMetric *metrics = cli_metrics(&nm);
    g_autoptr(GPtrArray) head = g_ptr_array_new_with_free_func(g_free);
    identity(p, NULL, head);
    fprintf(f, "point");
    for (guint i = 0; i < head->len; i++)
        fprintf(f, ",%s", (const char *)g_ptr_array_index(head, i));
    fprintf(f, ",runs");
    for (guint m = 0; m < nm; m++)
        fprintf(f, ",%s_mean,%s_ci95", metrics[m].name, metrics[m].name);
    fputc('\n', f);
    for (guint k = 0; k < p->points->len; k++) {
        const CliSweepPoint *pt = g_ptr_array_index(p->points, k);
        g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func(g_free);
        identity(p, pt, cells);
        fprintf(f, "\"%s\"", pt->dir);
        for (guint i = 0; i < cells->len; i++)
            fprintf(f, ",\"%s\"", (const char *)g_ptr_array_index(cells, i));
        const RepStatsSample *row = &c->stats[k * nm];
        guint runs =
            (guint)json_integer_value(json_object_get(json_array_get(c->points, k), "runs"));
        fprintf(f, ",%u", runs);
        for (guint m = 0; m < nm; m++) {
            csv_number(f, row[m].mean);
            csv_number(f, row[m].ci95);
        }
        fputc('\n', f);
    }
}

/* "mean ± ci" of one cell, in the metric's display unit. */
static char *md_cell(const CliMetric *m, const RepStatsSample *s) {
    g_autofree char *mean = cli_metric_format(m, s->mean);
    if (!isfinite(s->ci95))
        return g_steal_pointer(&mean);
    g_autofree char *ci = cli_metric_format(m, s->ci95);
    return g_strdup_printf("%s ± %s", mean, ci);
}

static void write_md(const CliSweepPlan *p, const Collected *c, FILE *f) {
    guint nm;
    const CliMetric *metrics = cli_metrics(&nm);
    guint64 s0 = g_array_index(p->seeds, guint64, 0);
    guint64 s1 = g_array_index(p->seeds, guint64, p->seeds->len - 1);
    fprintf(f, "# %s: sweep over seeds %" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT "\n\n", p->name,
            s0, s1);
    g_autoptr(GPtrArray) head = g_ptr_array_new_with_free_func(g_free);
    identity(p, NULL, head);
    fputc('|', f);
    for (guint i = 0; i < head->len; i++)
        fprintf(f, " %s |", (const char *)g_ptr_array_index(head, i));
    fprintf(f, " runs |");
    for (guint m = 0; m < nm; m++)
        fprintf(f, " %s |", metrics[m].heading);
    fprintf(f, "\n|");
    for (guint i = 0; i < head->len + 1 + nm; i++)
        fprintf(f, i < head->len ? " --- |" : " ---: |");
    fputc('\n', f);
    for (guint k = 0; k < p->points->len; k++) {
        g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func(g_free);
        identity(p, g_ptr_array_index(p->points, k), cells);
        fputc('|', f);
        for (guint i = 0; i < cells->len; i++)
            fprintf(f, " %s |", (const char *)g_ptr_array_index(cells, i));
        fprintf(f, " %" JSON_INTEGER_FORMAT " |",
                json_integer_value(json_object_get(json_array_get(c->points, k), "runs")));
        for (guint m = 0; m < nm; m++) {
            g_autofree char *t = md_cell(&metrics[m], &c->stats[k * nm + m]);
            fprintf(f, " %s |", t);
        }
        fputc('\n', f);
    }
    fprintf(f, "\nEach cell is the mean over the runs ± the half-width of its 95%% confidence "
               "interval (Student t with runs - 1 degrees of freedom). Latencies are of faults, "
               "in microseconds; `wait` is the mean time blocked in PageRequest::Wait; `util.` "
               "is the busiest provider's utilization; `sim s` the simulated time in seconds.\n");
}

static gboolean write_json(const CliSweepPlan *p, const Collected *c, FILE *f) {
    json_auto_t *doc = json_object();
    json_t *seeds = json_array(), *missing = json_array();
    json_object_set_new(doc, "scenario", json_string(p->name));
    for (guint i = 0; i < p->seeds->len; i++)
        json_array_append_new(seeds, json_integer((json_int_t)g_array_index(p->seeds, guint64, i)));
    json_object_set_new(doc, "seeds", seeds);
    json_object_set(doc, "points", c->points);
    for (guint i = 0; i < c->missing->len; i++)
        json_array_append_new(missing, json_string(g_ptr_array_index(c->missing, i)));
    json_object_set_new(doc, "missing", missing);
    if (json_dumpf(doc, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
        return FALSE;
    fputc('\n', f);
    return TRUE;
}

static void report_missing(const CliSweepPlan *p, const Collected *c, gboolean quiet) {
    guint total = p->points->len * p->seeds->len;
    if (c->missing->len == 0)
        return;
    fprintf(stderr, "pagesim sweep: %u of %u runs missing%s\n", c->missing->len, total,
            quiet ? "" : ":");
    for (guint i = 0; !quiet && i < c->missing->len; i++)
        fprintf(stderr, "  %s\n", (const char *)g_ptr_array_index(c->missing, i));
}

/* Prints the headline metrics (those drawn) per point: mean ± half-width. */
static void print_headline(const CliSweepPlan *p, const Collected *c) {
    guint nm, width = 5;
    const CliMetric *metrics = cli_metrics(&nm);
    for (guint k = 0; k < p->points->len; k++)
        width = MAX(width, (guint)strlen(((CliSweepPoint *)g_ptr_array_index(p->points, k))->dir));
    printf("%-*s", (int)width, "point");
    for (guint m = 0; m < nm; m++)
        if (metrics[m].figure)
            printf("  %20s", metrics[m].heading);
    putchar('\n');
    for (guint k = 0; k < p->points->len; k++) {
        printf("%-*s", (int)width, ((CliSweepPoint *)g_ptr_array_index(p->points, k))->dir);
        for (guint m = 0; m < nm; m++) {
            if (!metrics[m].figure)
                continue;
            g_autofree char *t = md_cell(&metrics[m], &c->stats[k * nm + m]);
            printf("  %*s", 20 + (strstr(t, "±") ? 1 : 0), t);
        }
        putchar('\n');
    }
}

int cli__sweep_collect(const CliSweepPlan *p, gboolean quiet) {
    guint nm;
    cli_metrics(&nm);
    g_auto(Collected) c = {g_new0(RepStatsSample, (gsize)p->points->len * nm), json_array(),
                           g_ptr_array_new_with_free_func(g_free), 0};
    for (guint k = 0; k < p->points->len; k++)
        collect_point(p, k, &c);
    report_missing(p, &c, quiet);
    g_autoptr(GError) error = NULL;
    if (c.complete == 0) {
        fprintf(stderr, "pagesim sweep: no run of the sweep in %s has finished\n", p->out);
        return CLI_EXIT_RUNTIME;
    }
    g_autoptr(CliFiles) out = cli_files_new(p->out, &error);
    FILE *fj = out ? cli_files_open(out, "sweep.json", &error) : NULL;
    FILE *fc = fj ? cli_files_open(out, "sweep.csv", &error) : NULL;
    FILE *fm = fc ? cli_files_open(out, "sweep.md", &error) : NULL;
    if (fm == NULL)
        return cli_fail(CLI_EXIT_RUNTIME, error);
    write_csv(p, &c, fc);
    write_md(p, &c, fm);
    if (!write_json(p, &c, fj) || !cli__sweep_figures(p, c.stats, out, &error) ||
        !cli_files_commit(out, &error))
        return error ? cli_fail(CLI_EXIT_RUNTIME, error) : CLI_EXIT_RUNTIME;
    if (!quiet) {
        print_headline(p, &c);
        printf("%u runs collected into %s/ (sweep.md, sweep.csv, sweep.json, sweep-*.png)\n",
               c.complete, p->out);
    }
    return CLI_EXIT_OK;
}
