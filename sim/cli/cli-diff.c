/* pagesim diff DIR_A DIR_B: compares two results directories metric by metric
 * (the metric table of sim/report/rep-metrics.c): A, B, the difference and the
 * change in percent, and, when both sides have replications, Welch's t-test at
 * 95%.
 *
 * A directory is read as, in this order:
 *  - a sweep (sweep.json, also written by compare --runs): one row per point,
 *    with every run's value; a point named "policy=SPEC" alone is named as
 *    compare names that policy's directory, so the two pair up;
 *  - a run (summary.json): one row, one value per metric;
 *  - a comparison (subdirectories holding summary.json): one row per
 *    subdirectory.
 * Rows are paired by name; two directories of one row each are paired whatever
 * their names. The metrics are those that apply to either side; a metric that
 * applies to one side only shows "n/a" on the other, and one that applies to
 * neither row of a pair is left out of that pair. Prints to stdout and writes
 * nothing.
 *
 * Invariant: a metric's A and B are the means of exactly the values that the
 * Welch test uses.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/cli/cli-sweep.h"
#include "sim/cli/cli.h"

/* One row: a name and, per metric key that applies to it, its values (GArray
 * of double; empty when it applies without a value). */
typedef struct {
    char *name;
    GHashTable *values; /* key (owned) -> GArray of double */
} Row;

static void row_free(gpointer data) {
    Row *r = data;
    g_free(r->name);
    g_hash_table_unref(r->values);
    g_free(r);
}

static Row *row_new(const char *name) {
    Row *r = g_new0(Row, 1);
    r->name = g_strdup(name);
    r->values =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_array_unref);
    return r;
}

/* The values of @key in @r, created (applying, empty) if @create. */
static GArray *row_values(Row *r, const char *key, gboolean create) {
    GArray *v = g_hash_table_lookup(r->values, key);
    if (v == NULL && create) {
        v = g_array_new(FALSE, FALSE, sizeof(double));
        g_hash_table_insert(r->values, g_strdup(key), v);
    }
    return v;
}

/* Reads the summary.json at @path as row @name; adds its metrics to @metrics. */
static gboolean rows_from_summary(const char *path, const char *name, GPtrArray *rows,
                                  GPtrArray *metrics, GError **error) {
    g_autoptr(RepSummary) s = rep_summary_load(path, error);
    if (s == NULL)
        return FALSE;
    rep_metrics_add_summary(metrics, s);
    g_autoptr(GPtrArray) mine = rep_metrics_for_runs(&s, 1);
    Row *r = row_new(name);
    for (guint m = 0; m < mine->len; m++) {
        const RepMetric *metric = mine->pdata[m];
        GArray *v = row_values(r, metric->key, TRUE);
        double x;
        if (rep_metric_value(metric, s, &x))
            g_array_append_val(v, x);
    }
    g_ptr_array_add(rows, r);
    return TRUE;
}

/* Point @pt of a sweep.json as a row: every metric that is not null. */
static Row *row_from_point(json_t *pt, GPtrArray *metrics) {
    json_t *name = json_object_get(pt, "point"), *stats, *x;
    const char *n = json_is_string(name) ? json_string_value(name) : "?";
    /* A point that only names a policy pairs with compare's directory for it. */
    if (g_str_has_prefix(n, "policy=") && strchr(n, ',') == NULL)
        n += strlen("policy=");
    Row *r = row_new(n);
    const char *key;
    size_t j;
    json_object_foreach(json_object_get(pt, "metrics"), key, stats) {
        if (!json_is_object(stats) || !rep_metrics_add_key(metrics, key))
            continue; /* null: the metric does not apply to the point */
        GArray *v = row_values(r, key, TRUE);
        json_array_foreach(json_object_get(stats, "values"), j, x) {
            double d = json_number_value(x);
            g_array_append_val(v, d);
        }
    }
    return r;
}

static gboolean rows_from_sweep(const char *path, GPtrArray *rows, GPtrArray *metrics,
                                GError **error) {
    json_error_t jerr;
    json_auto_t *doc = json_load_file(path, 0, &jerr);
    json_t *points = json_object_get(doc, "points"), *pt;
    size_t i;
    if (!json_is_array(points)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: %s", path,
                    doc ? "no \"points\" array" : jerr.text);
        return FALSE;
    }
    json_array_foreach(points, i, pt) g_ptr_array_add(rows, row_from_point(pt, metrics));
    return TRUE;
}

static gint by_name(gconstpointer a, gconstpointer b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The rows of @dir (transfer full), or NULL with @error; their metrics are
 * added to @metrics. */
static GPtrArray *load_rows(const char *dir, GPtrArray *metrics, GError **error) {
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func(row_free);
    g_autofree char *sweep = g_build_filename(dir, "sweep.json", NULL);
    g_autofree char *summary = g_build_filename(dir, "summary.json", NULL);
    if (g_file_test(sweep, G_FILE_TEST_IS_REGULAR))
        return rows_from_sweep(sweep, rows, metrics, error) ? g_steal_pointer(&rows) : NULL;
    if (g_file_test(summary, G_FILE_TEST_IS_REGULAR))
        return rows_from_summary(summary, "run", rows, metrics, error) ? g_steal_pointer(&rows)
                                                                       : NULL;
    g_autoptr(GDir) d = g_dir_open(dir, 0, error);
    if (d == NULL)
        return NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    for (const char *n; (n = g_dir_read_name(d)) != NULL;)
        g_ptr_array_add(names, g_strdup(n));
    g_ptr_array_sort(names, by_name);
    for (guint i = 0; i < names->len; i++) {
        const char *n = g_ptr_array_index(names, i);
        g_autofree char *s = g_build_filename(dir, n, "summary.json", NULL);
        if (g_file_test(s, G_FILE_TEST_IS_REGULAR) &&
            !rows_from_summary(s, n, rows, metrics, error))
            return NULL;
    }
    if (rows->len == 0) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                    "%s: no results (no sweep.json, summary.json, or subdirectory with one)", dir);
        return NULL;
    }
    return g_steal_pointer(&rows);
}

/* A number exactly enough to recompute from: "%.10g", "-" for NAN, "n/a" when
 * the metric does not apply (@values NULL). */
static char *num(GArray *values, double v) {
    if (values == NULL)
        return g_strdup("n/a");
    return isnan(v) ? g_strdup("-") : g_strdup_printf("%.10g", v);
}

/* The change from @a to @b as text: "+1.50%", "+0.00%", "new" (from 0), "-". */
static char *change_text(double a, double b) {
    double delta = b - a;
    if (isnan(delta))
        return g_strdup("-");
    if (a != 0.0)
        return g_strdup_printf("%+.2f%%", 100.0 * delta / a);
    return g_strdup(delta == 0.0 ? "+0.00%" : "new");
}

/* The mean of @v (NAN if empty). */
static double mean_of(GArray *v) {
    RepStatsSample st;
    rep_stats_summarize((const double *)v->data, v->len, &st);
    return st.mean;
}

/* Prints metric @key (in a column @w wide) of @a against @b; returns whether it
 * differs significantly. */
static gboolean print_metric(int w, const char *key, GArray *va, GArray *vb) {
    if (va == NULL || vb == NULL) {
        g_autofree char *ta = num(va, va ? mean_of(va) : NAN);
        g_autofree char *tb = num(vb, vb ? mean_of(vb) : NAN);
        printf("%-*s %16s %16s %16s %9s %9s %s\n", w, key, ta, tb, "-", "-", "-", "");
        return FALSE;
    }
    RepStatsSample sa, sb;
    rep_stats_summarize((const double *)va->data, va->len, &sa);
    rep_stats_summarize((const double *)vb->data, vb->len, &sb);
    g_autofree char *ta = num(va, sa.mean), *tb = num(vb, sb.mean);
    g_autofree char *td = num(va, sb.mean - sa.mean), *change = change_text(sa.mean, sb.mean);
    RepStatsWelch wt;
    gboolean tested = rep_stats_welch(&sa, &sb, &wt);
    g_autofree char *p = tested ? g_strdup_printf("%.4f", wt.p) : g_strdup("-");
    printf("%-*s %16s %16s %16s %9s %9s %s\n", w, key, ta, tb, td, change, p,
           !tested          ? ""
           : wt.significant ? "significant"
                            : "not significant");
    return tested && wt.significant;
}

/* Prints the metrics of @a against @b; returns how many differ significantly. */
static guint print_pair(GPtrArray *metrics, const Row *a, const Row *b) {
    guint significant = 0;
    int w = 16;
    for (guint m = 0; m < metrics->len; m++)
        w = MAX(w, (int)strlen(((RepMetric *)metrics->pdata[m])->key));
    printf("%-*s %16s %16s %16s %9s %9s %s\n", w, "metric", "A", "B", "B-A", "change", "p", "");
    for (guint m = 0; m < metrics->len; m++) {
        const char *key = ((RepMetric *)metrics->pdata[m])->key;
        GArray *va = row_values((Row *)a, key, FALSE), *vb = row_values((Row *)b, key, FALSE);
        if (va || vb)
            significant += print_metric(w, key, va, vb);
    }
    return significant;
}

static const Row *find_row(GPtrArray *rows, const char *name) {
    for (guint i = 0; i < rows->len; i++) {
        const Row *r = g_ptr_array_index(rows, i);
        if (strcmp(r->name, name) == 0)
            return r;
    }
    return NULL;
}

static int diff(const char *dir_a, const char *dir_b) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) metrics = rep_metrics_new();
    g_autoptr(GPtrArray) a = load_rows(dir_a, metrics, &error);
    g_autoptr(GPtrArray) b = a ? load_rows(dir_b, metrics, &error) : NULL;
    if (b == NULL)
        return cli_fail(CLI_EXIT_USAGE, error);
    printf("A: %s\nB: %s\n", dir_a, dir_b);
    if (a->len == 1 && b->len == 1) {
        print_pair(metrics, g_ptr_array_index(a, 0), g_ptr_array_index(b, 0));
        return CLI_EXIT_OK;
    }
    guint pairs = 0;
    for (guint i = 0; i < a->len; i++) {
        const Row *ra = g_ptr_array_index(a, i), *rb = find_row(b, ra->name);
        if (rb == NULL) {
            printf("\n== %s: only in A\n", ra->name);
            continue;
        }
        printf("\n== %s\n", ra->name);
        print_pair(metrics, ra, rb);
        pairs++;
    }
    for (guint i = 0; i < b->len; i++) {
        const Row *rb = g_ptr_array_index(b, i);
        if (find_row(a, rb->name) == NULL)
            printf("\n== %s: only in B\n", rb->name);
    }
    if (pairs == 0) {
        fprintf(stderr, "pagesim diff: %s and %s have no point or policy in common\n", dir_a,
                dir_b);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

int cli_diff(int argc, char **argv) {
    GOptionEntry entries[] = {G_OPTION_ENTRY_NULL};
    g_auto(GStrv) args = NULL;
    if (!cli_parse_options(&argc, &argv, "diff", "DIR_A DIR_B", entries, &args, 2))
        return CLI_EXIT_USAGE;
    return diff(args[0], args[1]);
}
