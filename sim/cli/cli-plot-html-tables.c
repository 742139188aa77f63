/* The tables of report.html read from summary.json and sweep.json (see
 * cli-plot-html.c): fault latency per final status and per workload, and a
 * sweep's means with their 95% intervals. Everything taken from a file is
 * escaped; a missing value shows as "-".
 */
#include <jansson.h>
#include <string.h>

#include "sim/cli/cli-plot-html.h"
#include "sim/report/rep-plot-ticks.h"

/* The latency percentiles shown per split (keys of a latency_ns object). */
static const char *const lat_keys[] = {"p50", "p90", "p99", "p999", "max"};
static const char *const lat_heads[] = {"p50", "p90", "p99", "p99.9", "max"};

static void cell_int(GString *s, json_t *v) {
    if (json_is_integer(v))
        g_string_append_printf(s, "<td>%" JSON_INTEGER_FORMAT "</td>", json_integer_value(v));
    else
        g_string_append(s, "<td>-</td>");
}

static void cell_ns(GString *s, json_t *v) {
    char buf[32] = "-";
    if (json_is_number(v))
        rep_plot_format_ns(json_number_value(v), buf, sizeof buf);
    g_string_append(s, "<td>");
    cli__html_esc(s, buf);
    g_string_append(s, "</td>");
}

static void split_head(GString *s, const char *first) {
    g_string_append(s, "<table><tr><th>");
    cli__html_esc(s, first);
    g_string_append(s, "</th><th>accesses</th><th>faults</th>");
    for (size_t i = 0; i < G_N_ELEMENTS(lat_heads); i++)
        g_string_append_printf(s, "<th>fault %s</th>", lat_heads[i]);
    g_string_append(s, "</tr>\n");
}

/* One row: @name, then the accesses, faults and fault latency of split @o. */
static void split_row(GString *s, const char *name, json_t *o) {
    g_string_append(s, "<tr><td class=\"k\">");
    cli__html_esc(s, name);
    g_string_append(s, "</td>");
    cell_int(s, json_object_get(o, "accesses"));
    cell_int(s, json_object_get(o, "faults"));
    json_t *lat = json_object_get(o, "latency_ns");
    gboolean any = json_integer_value(json_object_get(lat, "count")) > 0;
    for (size_t i = 0; i < G_N_ELEMENTS(lat_keys); i++)
        cell_ns(s, any ? json_object_get(lat, lat_keys[i]) : NULL);
    g_string_append(s, "</tr>\n");
}

void cli__html_split_tables(GString *s, const char *summary_path) {
    json_auto_t *summary = json_load_file(summary_path, 0, NULL);
    json_t *statuses = json_object_get(summary, "statuses");
    if (json_is_object(statuses) && json_object_size(statuses) > 0) {
        g_string_append(s, "<h2>By final status</h2>\n");
        split_head(s, "status");
        const char *key;
        json_t *v;
        json_object_foreach(statuses, key, v) split_row(s, key, v);
        g_string_append(s, "</table>\n");
    }
    json_t *wls = json_object_get(summary, "workloads");
    if (json_is_array(wls) && json_array_size(wls) > 0) {
        g_string_append(s, "<h2>By workload</h2>\n");
        split_head(s, "workload");
        size_t i;
        json_t *w;
        json_array_foreach(wls, i, w) {
            const char *name = json_string_value(json_object_get(w, "name"));
            split_row(s, name ? name : "?", w);
        }
        g_string_append(s, "</table>\n");
    }
}

/* The table of a sweep: a row per metric (in the order of the first point), a
 * column per point. */
static void sweep_table(GString *s, json_t *points) {
    json_t *first = json_object_get(json_array_get(points, 0), "metrics");
    g_string_append(s, "<table><tr><th>metric</th>");
    size_t i;
    json_t *pt;
    json_array_foreach(points, i, pt) {
        const char *name = json_string_value(json_object_get(pt, "point"));
        const char *policy = json_string_value(json_object_get(pt, "policy"));
        g_string_append(s, "<th>");
        cli__html_esc(s, name ? name : "?");
        if (policy) {
            g_string_append(s, "<br>");
            cli__html_esc(s, policy);
        }
        g_string_append_printf(s, "<br>%" JSON_INTEGER_FORMAT " runs</th>",
                               json_integer_value(json_object_get(pt, "runs")));
    }
    g_string_append(s, "</tr>\n");
    const char *metric;
    json_t *unused;
    json_object_foreach(first, metric, unused) {
        g_string_append(s, "<tr><td class=\"k\">");
        cli__html_esc(s, metric);
        g_string_append(s, "</td>");
        json_array_foreach(points, i, pt) {
            json_t *m = json_object_get(json_object_get(pt, "metrics"), metric);
            json_t *mean = json_object_get(m, "mean"), *ci = json_object_get(m, "ci95");
            if (json_is_number(mean) && json_is_number(ci))
                g_string_append_printf(s, "<td>%.6g &plusmn; %.3g</td>", json_number_value(mean),
                                       json_number_value(ci));
            else if (json_is_number(mean))
                g_string_append_printf(s, "<td>%.6g</td>", json_number_value(mean));
            else
                g_string_append(s, "<td>-</td>");
        }
        g_string_append(s, "</tr>\n");
    }
    g_string_append(s, "</table>\n");
}

void cli__html_sweep(GString *s, const char *sweep_path) {
    json_auto_t *doc = json_load_file(sweep_path, 0, NULL);
    json_t *points = json_object_get(doc, "points");
    g_string_append(s, "<h2>Means over the runs of each point, with their 95% intervals "
                       "(sweep.json)</h2>\n");
    if (json_is_array(points) && json_array_size(points) > 0)
        sweep_table(s, points);
    else
        g_string_append(s, "<p>(no point has finished runs)</p>\n");
    json_t *missing = json_object_get(doc, "missing");
    if (json_is_array(missing) && json_array_size(missing) > 0) {
        g_string_append(s, "<h2>Runs missing</h2>\n<p>");
        g_autofree char *text = json_dumps(missing, JSON_COMPACT | JSON_ENCODE_ANY);
        cli__html_esc(s, text ? text : "?");
        g_string_append(s, "</p>\n");
    }
}
