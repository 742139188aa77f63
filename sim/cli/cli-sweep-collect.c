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

#include "sim/cli/cli-sweep.h"
#include "sim/cli/cli.h"

/* What was collected. */
typedef struct {
    CliSweepStats st;   /* the metrics and their statistics */
    GPtrArray *done;    /* per point, (GPtrArray of char *) the summary.json of its complete runs */
    json_t *points;     /* sweep.json's "points" (owned) */
    GPtrArray *missing; /* (char *) "POINT/seed-S" of runs not complete */
    guint complete;     /* runs read */
} Collected;

static void collected_clear(Collected *c) {
    g_clear_pointer(&c->st.rows, g_ptr_array_unref);
    g_free(c->st.stats);
    g_free(c->st.applies);
    g_clear_pointer(&c->done, g_ptr_array_unref);
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

/* First pass over point @k: finds its complete runs (into c->done), lists the
 * others as missing, and adds the metrics that apply to any of them to the
 * rows. Each summary is read and dropped, so memory does not grow with runs. */
static void scan_point(const CliSweepPlan *p, guint k, Collected *c) {
    const CliSweepPoint *pt = g_ptr_array_index(p->points, k);
    GPtrArray *done = g_ptr_array_new_with_free_func(g_free);
    json_t *missing = json_array();
    for (guint s = 0; s < p->seeds->len; s++) {
        guint64 seed = g_array_index(p->seeds, guint64, s);
        g_autofree char *dir = cli__sweep_run_dir(p, pt, seed);
        g_autofree char *path = g_build_filename(dir, "summary.json", NULL);
        g_autoptr(GError) error = NULL;
        g_autoptr(RepSummary) sum =
            cli__sweep_run_complete(dir) ? rep_summary_load(path, &error) : NULL;
        if (sum == NULL) {
            if (error)
                fprintf(stderr, "pagesim sweep: %s\n", error->message);
            g_ptr_array_add(c->missing,
                            g_strdup_printf("%s/seed-%" G_GUINT64_FORMAT, pt->dir, seed));
            json_array_append_new(missing, json_integer((json_int_t)seed));
            continue;
        }
        rep_metrics_add_summary(c->st.rows, sum);
        g_ptr_array_add(done, g_steal_pointer(&path));
    }
    json_t *o = point_json(p, pt);
    json_object_set_new(o, "runs", json_integer(done->len));
    json_object_set_new(o, "missing_seeds", missing);
    json_array_append_new(c->points, o);
    g_ptr_array_add(c->done, done);
    c->complete += done->len;
}

/* Second pass over point @k: the values of every metric in its complete runs,
 * their statistics into c->st and sweep.json ("metrics": null for a metric
 * that applies to none of them). */
static void collect_point(guint k, Collected *c) {
    GPtrArray *rows = c->st.rows, *done = g_ptr_array_index(c->done, k);
    g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
    for (guint m = 0; m < rows->len; m++)
        g_ptr_array_add(values, g_array_new(FALSE, FALSE, sizeof(double)));
    gboolean *applies = &c->st.applies[k * rows->len];
    for (guint r = 0; r < done->len; r++) {
        g_autoptr(RepSummary) sum = rep_summary_load(g_ptr_array_index(done, r), NULL);
        for (guint m = 0; sum && m < rows->len; m++) {
            double v;
            RepMetricState state = rep_metric_get(rows->pdata[m], sum, &v);
            applies[m] |= state != REP_METRIC_NA;
            if (state == REP_METRIC_VALUE)
                g_array_append_val(g_ptr_array_index(values, m), v);
        }
    }
    json_t *mj = json_object();
    for (guint m = 0; m < rows->len; m++) {
        GArray *v = g_ptr_array_index(values, m);
        RepStatsSample *st = &c->st.stats[k * rows->len + m];
        rep_stats_summarize((const double *)v->data, v->len, st);
        json_object_set_new(mj, ((RepMetric *)rows->pdata[m])->key,
                            applies[m] ? metric_json(st, v) : json_null());
    }
    json_object_set_new(json_array_get(c->points, k), "metrics", mj);
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
    GPtrArray *rows = c->st.rows;
    g_autoptr(GPtrArray) head = g_ptr_array_new_with_free_func(g_free);
    identity(p, NULL, head);
    fprintf(f, "point");
    for (guint i = 0; i < head->len; i++)
        fprintf(f, ",%s", (const char *)g_ptr_array_index(head, i));
    fprintf(f, ",runs");
    for (guint m = 0; m < rows->len; m++) {
        const char *key = ((RepMetric *)rows->pdata[m])->key;
        fprintf(f, ",%s_mean,%s_ci95", key, key);
    }
    fputc('\n', f);
    for (guint k = 0; k < p->points->len; k++) {
        const CliSweepPoint *pt = g_ptr_array_index(p->points, k);
        g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func(g_free);
        identity(p, pt, cells);
        fprintf(f, "\"%s\"", pt->dir);
        for (guint i = 0; i < cells->len; i++)
            fprintf(f, ",\"%s\"", (const char *)g_ptr_array_index(cells, i));
        const RepStatsSample *row = &c->st.stats[k * rows->len];
        fprintf(f, ",%u", ((GPtrArray *)g_ptr_array_index(c->done, k))->len);
        for (guint m = 0; m < rows->len; m++) {
            csv_number(f, row[m].mean);
            csv_number(f, row[m].ci95);
        }
        fputc('\n', f);
    }
}

/* "mean ± ci" of one cell in @sc; "n/a" where the metric applies to no run. */
static char *md_cell(const Collected *c, guint k, guint m, RepMetricScale sc) {
    guint nm = c->st.rows->len;
    const RepMetric *metric = c->st.rows->pdata[m];
    const RepStatsSample *s = &c->st.stats[k * nm + m];
    if (!c->st.applies[k * nm + m])
        return g_strdup("n/a");
    g_autofree char *mean = rep_metric_format_scaled(metric, sc, s->mean);
    if (!isfinite(s->ci95))
        return g_steal_pointer(&mean);
    g_autofree char *ci = rep_metric_format_scaled(metric, sc, s->ci95);
    return g_strdup_printf("%s ± %s", mean, ci);
}

/* The display unit of metric @m's column: by its largest mean. */
static RepMetricScale column_scale(const CliSweepPlan *p, const Collected *c, guint m) {
    guint nm = c->st.rows->len;
    double largest = NAN;
    for (guint k = 0; k < p->points->len; k++) {
        double v = fabs(c->st.stats[k * nm + m].mean);
        if (isfinite(v) && !(v <= largest))
            largest = v;
    }
    return rep_metric_scale(c->st.rows->pdata[m], largest);
}

/* The heading of metric @m's column, with its unit ("fault p99 (us)"). */
static char *column_heading(const RepMetric *m, RepMetricScale sc) {
    return sc.label[0] ? g_strdup_printf("%s (%s)", m->heading, sc.label) : g_strdup(m->heading);
}

static const char md_note[] =
    "\nEach cell is the mean over the point's runs ± the half-width of its 95% confidence "
    "interval (Student t with runs - 1 degrees of freedom); durations are in the column's unit. "
    "The metrics are those of `pagesim compare` (README.md, \"Batching policies and pagesim "
    "compare\"). `-`: no value in any run (no samples); `n/a`: the metric does not apply to "
    "the point's runs (no `memory` section, no such device).\n";

static void write_md(const CliSweepPlan *p, const Collected *c, FILE *f) {
    GPtrArray *rows = c->st.rows;
    guint64 s0 = g_array_index(p->seeds, guint64, 0);
    guint64 s1 = g_array_index(p->seeds, guint64, p->seeds->len - 1);
    fprintf(f, "# %s: sweep over seeds %" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT "\n\n", p->name,
            s0, s1);
    g_autoptr(GPtrArray) head = g_ptr_array_new_with_free_func(g_free);
    identity(p, NULL, head);
    g_autofree RepMetricScale *scales = g_new(RepMetricScale, rows->len);
    fputc('|', f);
    for (guint i = 0; i < head->len; i++)
        fprintf(f, " %s |", (const char *)g_ptr_array_index(head, i));
    fprintf(f, " runs |");
    for (guint m = 0; m < rows->len; m++) {
        scales[m] = column_scale(p, c, m);
        g_autofree char *h = column_heading(rows->pdata[m], scales[m]);
        fprintf(f, " %s |", h);
    }
    fprintf(f, "\n|");
    for (guint i = 0; i < head->len + 1 + rows->len; i++)
        fprintf(f, i < head->len ? " --- |" : " ---: |");
    fputc('\n', f);
    for (guint k = 0; k < p->points->len; k++) {
        g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func(g_free);
        identity(p, g_ptr_array_index(p->points, k), cells);
        fputc('|', f);
        for (guint i = 0; i < cells->len; i++)
            fprintf(f, " %s |", (const char *)g_ptr_array_index(cells, i));
        fprintf(f, " %u |", ((GPtrArray *)g_ptr_array_index(c->done, k))->len);
        for (guint m = 0; m < rows->len; m++) {
            g_autofree char *t = md_cell(c, k, m, scales[m]);
            fprintf(f, " %s |", t);
        }
        fputc('\n', f);
    }
    fputs(md_note, f);
}

/* sweep.json's "metrics": what each key of the points' "metrics" is. */
static json_t *metrics_json(GPtrArray *rows) {
    json_t *a = json_array();
    for (guint m = 0; m < rows->len; m++) {
        const RepMetric *metric = rows->pdata[m];
        g_autofree char *path = rep_metric_json_path(metric);
        json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s}", "key", metric->key, "heading",
                                           metric->heading, "unit",
                                           rep_metric_unit_name(metric->unit), "path", path));
    }
    return a;
}

static gboolean write_json(const CliSweepPlan *p, const Collected *c, FILE *f) {
    json_auto_t *doc = json_object();
    json_t *seeds = json_array(), *missing = json_array();
    json_object_set_new(doc, "scenario", json_string(p->name));
    for (guint i = 0; i < p->seeds->len; i++)
        json_array_append_new(seeds, json_integer((json_int_t)g_array_index(p->seeds, guint64, i)));
    json_object_set_new(doc, "seeds", seeds);
    json_object_set_new(doc, "metrics", metrics_json(c->st.rows));
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
    GPtrArray *rows = c->st.rows;
    guint width = 5;
    for (guint k = 0; k < p->points->len; k++)
        width = MAX(width, (guint)strlen(((CliSweepPoint *)g_ptr_array_index(p->points, k))->dir));
    printf("%-*s", (int)width, "point");
    g_autofree RepMetricScale *scales = g_new(RepMetricScale, rows->len);
    for (guint m = 0; m < rows->len; m++) {
        scales[m] = column_scale(p, c, m);
        g_autofree char *h = column_heading(rows->pdata[m], scales[m]);
        if (((RepMetric *)rows->pdata[m])->figure)
            printf("  %24s", h);
    }
    putchar('\n');
    for (guint k = 0; k < p->points->len; k++) {
        printf("%-*s", (int)width, ((CliSweepPoint *)g_ptr_array_index(p->points, k))->dir);
        for (guint m = 0; m < rows->len; m++) {
            if (!((RepMetric *)rows->pdata[m])->figure)
                continue;
            g_autofree char *t = md_cell(c, k, m, scales[m]);
            printf("  %*s", 24 + (strstr(t, "±") ? 1 : 0), t);
        }
        putchar('\n');
    }
}

int cli__sweep_collect(const CliSweepPlan *p, guint jobs, gboolean quiet) {
    g_auto(Collected) c = {{rep_metrics_new(), NULL, NULL},
                           g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref),
                           json_array(),
                           g_ptr_array_new_with_free_func(g_free),
                           0};
    for (guint k = 0; k < p->points->len; k++)
        scan_point(p, k, &c);
    gsize cells = (gsize)p->points->len * c.st.rows->len;
    c.st.stats = g_new0(RepStatsSample, cells);
    c.st.applies = g_new0(gboolean, cells);
    for (guint k = 0; k < p->points->len; k++)
        collect_point(k, &c);
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
    if (!write_json(p, &c, fj) || !cli__sweep_figures(p, &c.st, jobs, out, &error) ||
        !cli_files_commit(out, &error))
        return error ? cli_fail(CLI_EXIT_RUNTIME, error) : CLI_EXIT_RUNTIME;
    if (!quiet) {
        print_headline(p, &c);
        printf("%u runs collected into %s/ (sweep.md, sweep.csv, sweep.json, sweep-*.png)\n",
               c.complete, p->out);
    }
    return CLI_EXIT_OK;
}
