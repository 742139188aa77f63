/* pagesim diff DIR_A DIR_B: compares two results directories metric by metric
 * (the metric table of cli-metrics.c): A, B, the difference and the change in
 * percent, and, when both sides have replications, Welch's t-test at 95%.
 *
 * A directory is read as, in this order:
 *  - a sweep (sweep.json, also written by compare --runs): one row per point,
 *    with every run's value; a point named "policy=SPEC" alone is named as
 *    compare names that policy's directory, so the two pair up;
 *  - a run (summary.json): one row, one value per metric;
 *  - a comparison (subdirectories holding summary.json): one row per
 *    subdirectory.
 * Rows are paired by name; two directories of one row each are paired whatever
 * their names. Prints to stdout and writes nothing.
 *
 * Invariant: a metric's A and B are the means of exactly the values that the
 * Welch test uses.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/cli/cli-metrics.h"
#include "sim/cli/cli-sweep.h"
#include "sim/cli/cli.h"

/* One row: a name and, per metric, its values (GArray of double). */
typedef struct {
    char *name;
    GPtrArray *values;
} Row;

static void row_free(gpointer data) {
    Row *r = data;
    g_free(r->name);
    g_ptr_array_unref(r->values);
    g_free(r);
}

static Row *row_new(const char *name) {
    guint nm;
    cli_metrics(&nm);
    Row *r = g_new0(Row, 1);
    r->name = g_strdup(name);
    r->values = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
    for (guint m = 0; m < nm; m++)
        g_ptr_array_add(r->values, g_array_new(FALSE, FALSE, sizeof(double)));
    return r;
}

static gboolean rows_from_summary(const char *path, const char *name, GPtrArray *rows,
                                  GError **error) {
    guint nm;
    cli_metrics(&nm);
    g_autofree double *v = g_new(double, nm);
    if (!cli_metrics_read_summary(path, v, error))
        return FALSE;
    Row *r = row_new(name);
    for (guint m = 0; m < nm; m++)
        if (!isnan(v[m]))
            g_array_append_val(g_ptr_array_index(r->values, m), v[m]);
    g_ptr_array_add(rows, r);
    return TRUE;
}

static gboolean rows_from_sweep(const char *path, GPtrArray *rows, GError **error) {
    guint nm;
    const CliMetric *metrics = cli_metrics(&nm);
    json_error_t jerr;
    json_auto_t *doc = json_load_file(path, 0, &jerr);
    json_t *points = json_object_get(doc, "points"), *pt;
    size_t i, j;
    if (!json_is_array(points)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: %s", path,
                    doc ? "no \"points\" array" : jerr.text);
        return FALSE;
    }
    json_array_foreach(points, i, pt) {
        json_t *name = json_object_get(pt, "point"), *x;
        const char *n = json_is_string(name) ? json_string_value(name) : "?";
        /* A point that only names a policy pairs with compare's directory for it. */
        if (g_str_has_prefix(n, "policy=") && strchr(n, ',') == NULL)
            n += strlen("policy=");
        Row *r = row_new(n);
        g_ptr_array_add(rows, r);
        for (guint m = 0; m < nm; m++) {
            json_t *vals = json_object_get(
                json_object_get(json_object_get(pt, "metrics"), metrics[m].name), "values");
            json_array_foreach(vals, j, x) {
                double v = json_number_value(x);
                g_array_append_val(g_ptr_array_index(r->values, m), v);
            }
        }
    }
    return TRUE;
}

static gint by_name(gconstpointer a, gconstpointer b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The rows of @dir (transfer full), or NULL with @error. */
static GPtrArray *load_rows(const char *dir, GError **error) {
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func(row_free);
    g_autofree char *sweep = g_build_filename(dir, "sweep.json", NULL);
    g_autofree char *summary = g_build_filename(dir, "summary.json", NULL);
    if (g_file_test(sweep, G_FILE_TEST_IS_REGULAR))
        return rows_from_sweep(sweep, rows, error) ? g_steal_pointer(&rows) : NULL;
    if (g_file_test(summary, G_FILE_TEST_IS_REGULAR))
        return rows_from_summary(summary, "run", rows, error) ? g_steal_pointer(&rows) : NULL;
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
        if (g_file_test(s, G_FILE_TEST_IS_REGULAR) && !rows_from_summary(s, n, rows, error))
            return NULL;
    }
    if (rows->len == 0) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                    "%s: no results (no sweep.json, summary.json, or subdirectory with one)", dir);
        return NULL;
    }
    return g_steal_pointer(&rows);
}

/* A number exactly enough to recompute from: "%.10g", "-" for NAN. */
static char *num(double v) { return isnan(v) ? g_strdup("-") : g_strdup_printf("%.10g", v); }

/* Prints the metrics of @a against @b; returns how many differ significantly. */
static guint print_pair(const Row *a, const Row *b) {
    guint nm, significant = 0;
    const CliMetric *metrics = cli_metrics(&nm);
    printf("%-16s %16s %16s %16s %9s %9s %s\n", "metric", "A", "B", "B-A", "change", "p", "");
    for (guint m = 0; m < nm; m++) {
        GArray *va = g_ptr_array_index(a->values, m), *vb = g_ptr_array_index(b->values, m);
        RepStatsSample sa, sb;
        rep_stats_summarize((const double *)va->data, va->len, &sa);
        rep_stats_summarize((const double *)vb->data, vb->len, &sb);
        double delta = sb.mean - sa.mean;
        g_autofree char *ta = num(sa.mean), *tb = num(sb.mean), *td = num(delta);
        g_autofree char *change = isnan(delta) ? g_strdup("-")
                                  : sa.mean != 0.0
                                      ? g_strdup_printf("%+.2f%%", 100.0 * delta / sa.mean)
                                  : delta == 0.0 ? g_strdup("+0.00%")
                                                 : g_strdup("new");
        RepStatsWelch w;
        gboolean tested = rep_stats_welch(&sa, &sb, &w);
        g_autofree char *p = tested ? g_strdup_printf("%.4f", w.p) : g_strdup("-");
        significant += tested && w.significant;
        printf("%-16s %16s %16s %16s %9s %9s %s\n", metrics[m].name, ta, tb, td, change, p,
               !tested         ? ""
               : w.significant ? "significant"
                               : "not significant");
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
    g_autoptr(GPtrArray) a = load_rows(dir_a, &error);
    g_autoptr(GPtrArray) b = a ? load_rows(dir_b, &error) : NULL;
    if (b == NULL)
        return cli_fail(CLI_EXIT_USAGE, error);
    printf("A: %s\nB: %s\n", dir_a, dir_b);
    if (a->len == 1 && b->len == 1) {
        print_pair(g_ptr_array_index(a, 0), g_ptr_array_index(b, 0));
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
        print_pair(ra, rb);
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
