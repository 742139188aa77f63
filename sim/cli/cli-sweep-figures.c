/* The figures of a sweep, computed here and drawn by gnuplot scripts that only
 * draw (scripts/fig-sweep-metric.gp, scripts/fig-sweep-cdf.gp):
 *
 *  - sweep-METRIC (each metric of the table marked `figure` that applies to the
 *    sweep's runs: rep-metrics.c): the mean against
 *    the first varying --set parameter (or the policy when only policies vary),
 *    one line per combination of the other varying values and policy, with
 *    bars from the low to the high end of the 95% interval. The x axis is
 *    categorical: values in the order given;
 *  - sweep-cdf: one fault latency CDF per point, over all its runs (their
 *    latency-histogram.tsv files merged), overlaid.
 *
 * Invariant: each line of a metric figure holds the points that agree on
 * everything but the x parameter, in the order of its values.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/cli/cli-plot.h"
#include "sim/cli/cli-sweep.h"
#include "sim/report/rep-histogram-io.h"
#include "sim/report/rep-plot-data.h"

/* The dimension on the x axis: a parameter index, params->len for the policy,
 * or G_MAXUINT when nothing varies. */
static guint x_dim(const CliSweepPlan *p) {
    for (guint i = 0; i <= p->params->len; i++)
        if (cli__sweep_varies(p, i))
            return i;
    return G_MAXUINT;
}

/* The value of point @pt in dimension @d, as text (borrowed). */
static const char *dim_value(const CliSweepPlan *p, const CliSweepPoint *pt, guint d) {
    if (d == p->params->len)
        return pt->policy;
    const CliSweepParam *prm = g_ptr_array_index(p->params, d);
    return g_ptr_array_index(prm->values, pt->index[d]);
}

/* The title of the line of @pt: its values in every varying dimension but @x. */
static char *series_title(const CliSweepPlan *p, const CliSweepPoint *pt, guint x) {
    GString *s = g_string_new(NULL);
    for (guint d = 0; d <= p->params->len; d++) {
        if (d == x || !cli__sweep_varies(p, d))
            continue;
        const char *label = d == p->params->len
                                ? "policy"
                                : ((CliSweepParam *)g_ptr_array_index(p->params, d))->label;
        g_string_append_printf(s, "%s%s=%s", s->len ? "," : "", label, dim_value(p, pt, d));
    }
    if (s->len == 0)
        g_string_append(s, p->name);
    g_strdelimit(s->str, " \t", '_');
    return g_string_free(s, FALSE);
}

/* The position of @pt on the x axis: the index of its value. */
static guint x_pos(const CliSweepPlan *p, const CliSweepPoint *pt, guint x) {
    if (x == G_MAXUINT)
        return 0;
    if (x < p->params->len)
        return pt->index[x];
    for (guint k = 0; k < p->policies->len; k++)
        if (strcmp(g_ptr_array_index(p->policies, k), pt->policy) == 0)
            return k;
    return 0;
}

/* Writes the data of metric @m: a block per line (blank-line separated), rows
 * "x_position x_label mean low high" in display units (points the metric does
 * not apply to are left out). Titles go to @titles. */
static void write_metric_data(const CliSweepPlan *p, const CliSweepStats *st, guint m, double unit,
                              FILE *f, GString *titles) {
    guint nm = st->rows->len, x = x_dim(p);
    g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GHashTable) lines = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint k = 0; k < p->points->len; k++) {
        char *t = series_title(p, g_ptr_array_index(p->points, k), x);
        if (g_hash_table_contains(lines, t)) {
            g_free(t);
            continue;
        }
        g_hash_table_add(lines, t);
        g_ptr_array_add(order, t);
    }
    fprintf(f, "# x_position\tx_label\tmean\tlow\thigh (95%% interval)\n");
    for (guint l = 0; l < order->len; l++) {
        const char *title = g_ptr_array_index(order, l);
        g_string_append_printf(titles, "%s%s", l ? " " : "", title);
        fprintf(f, "%s", l ? "\n\n" : "");
        for (guint k = 0; k < p->points->len; k++) {
            const CliSweepPoint *pt = g_ptr_array_index(p->points, k);
            g_autofree char *t = series_title(p, pt, x);
            if (strcmp(t, title) != 0 || !st->applies[k * nm + m])
                continue;
            const RepStatsSample *s = &st->stats[k * nm + m];
            double ci = isfinite(s->ci95) ? s->ci95 : 0.0;
            fprintf(f, "%u\t%s\t%.10g\t%.10g\t%.10g\n", x_pos(p, pt, x),
                    x == G_MAXUINT ? "all" : dim_value(p, pt, x), s->mean / unit,
                    (s->mean - ci) / unit, (s->mean + ci) / unit);
        }
    }
}

/* One gnuplot drawing to do. */
typedef struct {
    char *script; /* the script's path */
    char *vars;   /* its -e assignments */
} Drawing;

static void drawing_free(gpointer data) {
    Drawing *d = data;
    g_free(d->script);
    g_free(d->vars);
    g_free(d);
}

/* Reserves NAME.png and NAME.svg in @out and queues @script with @vars plus
 * them into @todo. */
static gboolean draw(CliFiles *out, const char *name, const char *script, GString *vars,
                     GPtrArray *todo, GError **error) {
    g_autofree char *png_name = g_strdup_printf("%s.png", name);
    g_autofree char *svg_name = g_strdup_printf("%s.svg", name);
    const char *png = cli_files_reserve(out, png_name, error);
    const char *svg = png ? cli_files_reserve(out, svg_name, error) : NULL;
    if (svg == NULL)
        return FALSE;
    cli__gnuplot_assign(vars, "pngfile", png);
    cli__gnuplot_assign(vars, "svgfile", svg);
    Drawing *d = g_new0(Drawing, 1);
    d->script = g_build_filename(cli__scripts_dir(), script, NULL);
    d->vars = g_strdup(vars->str);
    g_ptr_array_add(todo, d);
    return TRUE;
}

/* What the drawing threads share: gnuplot, and the first error. */
typedef struct {
    const char *gnuplot;
    GMutex lock;
    GError *error;
} Painter;

static void paint(gpointer data, gpointer user_data) {
    Drawing *d = data;
    Painter *pt = user_data;
    GError *error = NULL;
    if (cli__run_gnuplot(pt->gnuplot, d->script, d->vars, &error))
        return;
    g_mutex_lock(&pt->lock);
    if (pt->error == NULL)
        pt->error = error;
    else
        g_error_free(error);
    g_mutex_unlock(&pt->lock);
}

/* Runs the drawings of @todo, @jobs gnuplot processes at a time. */
static gboolean paint_all(GPtrArray *todo, guint jobs, GError **error) {
    g_autofree char *gnuplot = todo->len ? cli__find_gnuplot(error) : NULL;
    if (todo->len && gnuplot == NULL)
        return FALSE;
    Painter pt = {gnuplot, {0}, NULL};
    g_mutex_init(&pt.lock);
    GThreadPool *pool = g_thread_pool_new(paint, &pt, (gint)MAX(jobs, 1), FALSE, NULL);
    for (guint i = 0; i < todo->len; i++)
        g_thread_pool_push(pool, todo->pdata[i], NULL);
    g_thread_pool_free(pool, FALSE, TRUE); /* waits for every drawing */
    g_mutex_clear(&pt.lock);
    if (pt.error) {
        g_propagate_error(error, pt.error);
        return FALSE;
    }
    return TRUE;
}

/* A data file @name in @out, written by the caller into the returned stream. */
static FILE *open_data(CliFiles *out, const char *name, GError **error) {
    return cli_files_open(out, name, error);
}

static char *subtitle(const CliSweepPlan *p, const char *what) {
    return g_strdup_printf("%s, %u seeds (%" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT "), %s",
                           p->name, p->seeds->len, g_array_index(p->seeds, guint64, 0),
                           g_array_index(p->seeds, guint64, p->seeds->len - 1), what);
}

static gboolean metric_figure(const CliSweepPlan *p, const CliSweepStats *st, guint m,
                              CliFiles *out, GPtrArray *todo, GError **error) {
    guint nm = st->rows->len, x = x_dim(p);
    const RepMetric *metric = st->rows->pdata[m];
    gboolean ns = metric->unit == REP_METRIC_DURATION;
    RepUnit lu = {1.0, ""};
    for (guint k = 0; ns && k < p->points->len && lu.label[0] == '\0'; k++)
        if (isfinite(st->stats[k * nm + m].mean))
            lu = rep_plot_latency_unit((uint64_t)st->stats[k * nm + m].mean);
    g_autofree char *name = g_strdup_printf("sweep-%s", metric->key);
    g_autofree char *tsv = g_strdup_printf("%s.tsv", name);
    g_autoptr(GString) titles = g_string_new(NULL), vars = g_string_new(NULL);
    FILE *f = open_data(out, tsv, error);
    if (f == NULL)
        return FALSE;
    write_metric_data(p, st, m, ns ? lu.ns : 1.0, f, titles);
    if (fflush(f) != 0)
        return FALSE;
    g_autofree char *ylabel =
        ns ? g_strdup_printf("%s (%s)", metric->what, lu.label) : g_strdup(metric->what);
    const char *xlabel = x == G_MAXUINT ? ""
                         : x == p->params->len
                             ? "policy"
                             : ((CliSweepParam *)g_ptr_array_index(p->params, x))->path;
    g_autofree char *sub = subtitle(p, "mean and 95% interval");
    cli__gnuplot_assign(vars, "datafile", cli_files_temp_path(out, tsv));
    cli__gnuplot_assign(vars, "titles", titles->str);
    cli__gnuplot_assign(vars, "xlabel", xlabel);
    cli__gnuplot_assign(vars, "ylabel", ylabel);
    cli__gnuplot_assign(vars, "subtitle", sub);
    return draw(out, name, "fig-sweep-metric.gp", vars, todo, error);
}

/* The runs of point @pt merged into one histogram (transfer full). */
static RepHistogram *point_latency(const CliSweepPlan *p, const CliSweepPoint *pt, GError **error) {
    g_autoptr(RepHistogram) h = rep_histogram_new();
    for (guint s = 0; s < p->seeds->len; s++) {
        g_autofree char *dir = cli__sweep_run_dir(p, pt, g_array_index(p->seeds, guint64, s));
        if (!cli__sweep_run_complete(dir))
            continue;
        g_autofree char *path = g_build_filename(dir, "latency-histogram.tsv", NULL);
        g_autoptr(RepHistogram) one = rep_histogram_read_buckets(path, error);
        if (one == NULL)
            return NULL;
        rep_histogram_merge(h, one);
    }
    return g_steal_pointer(&h);
}

static gboolean cdf_figure(const CliSweepPlan *p, CliFiles *out, GPtrArray *todo, GError **error) {
    g_autoptr(GPtrArray) hists = g_ptr_array_new_with_free_func((GDestroyNotify)rep_histogram_free);
    RepUnit lu = {0};
    for (guint k = 0; k < p->points->len; k++) {
        RepHistogram *h = point_latency(p, g_ptr_array_index(p->points, k), error);
        if (h == NULL)
            return FALSE;
        g_ptr_array_add(hists, h);
        if (lu.label == NULL && h->count > 0)
            lu = rep_plot_latency_unit(rep_histogram_quantile(h, 0.5));
    }
    if (lu.label == NULL)
        return TRUE; /* no fault anywhere: nothing to draw */
    g_autoptr(GString) files = g_string_new(NULL), titles = g_string_new(NULL);
    g_autoptr(GString) vars = g_string_new(NULL);
    for (guint k = 0; k < p->points->len; k++) {
        const CliSweepPoint *pt = g_ptr_array_index(p->points, k);
        g_autofree char *tsv = g_strdup_printf("sweep-cdf-%s.tsv", pt->dir);
        FILE *f = open_data(out, tsv, error);
        if (f == NULL || !rep_plot_write_cdf(g_ptr_array_index(hists, k), lu, f, error) ||
            fflush(f) != 0)
            return FALSE;
        g_string_append_printf(files, "%s%s", k ? " " : "", cli_files_temp_path(out, tsv));
        g_string_append_printf(titles, "%s%s", k ? " " : "", pt->dir);
    }
    g_autofree char *sub = subtitle(p, "each point's runs merged");
    cli__gnuplot_assign(vars, "datafiles", files->str);
    cli__gnuplot_assign(vars, "titles", titles->str);
    cli__gnuplot_assign(vars, "subtitle", sub);
    cli__gnuplot_assign(vars, "lunit", lu.label);
    return draw(out, "sweep-cdf", "fig-sweep-cdf.gp", vars, todo, error);
}

gboolean cli__sweep_figures(const CliSweepPlan *p, const CliSweepStats *st, guint jobs,
                            CliFiles *out, GError **error) {
    g_autoptr(GPtrArray) todo = g_ptr_array_new_with_free_func(drawing_free);
    for (guint m = 0; m < st->rows->len; m++)
        if (((RepMetric *)st->rows->pdata[m])->figure && !metric_figure(p, st, m, out, todo, error))
            return FALSE;
    return cdf_figure(p, out, todo, error) && paint_all(todo, jobs, error);
}
