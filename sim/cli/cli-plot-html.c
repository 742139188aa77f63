/* DIR/report.html: one self-contained page per run or comparison, written by
 * `pagesim plot` after its figures: the headline figures, summary.json in full
 * (so provenance fields such as the version and command line show when the run
 * recorded them), the figures as inline SVG, and the resolved scenario
 * (scenario.json) when the directory has one. A comparison's page holds its
 * table (compare.json) and its overlaid figures.
 *
 * Invariants: the page loads nothing (no src or href to another file, no
 * script but the one below), so it opens anywhere, offline; every text taken
 * from a file is escaped. The one script reports a resource that fails to load
 * on the console, which the browser test watches.
 */
#include <jansson.h>
#include <string.h>

#include "sim/cli/cli-plot-html.h"
#include "sim/cli/cli-plot.h"
#include "sim/report/rep-output.h"
#include "sim/report/rep-plot-ticks.h"

static const char style[] =
    "body{font-family:DejaVu Sans,Arial,sans-serif;margin:2em auto;max-width:1100px;"
    "color:#222;background:#fff}h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em}"
    "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;"
    "text-align:right;vertical-align:top}th{background:#f2f2f2}td.k{text-align:left}"
    "pre{background:#f7f7f7;padding:1em;overflow:auto;font-size:.85em}"
    "figure{margin:1em 0}figure svg{max-width:100%;height:auto}";

static const char watch[] =
    "window.addEventListener('error',function(e){var t=e.target;"
    "if(t&&t!==window)console.error('report.html: resource failed to load: '+"
    "(t.src||t.href||t.tagName));},true);";

void cli__html_esc(GString *s, const char *text) {
    g_autofree char *e = g_markup_escape_text(text, -1);
    g_string_append(s, e);
}

static void esc(GString *s, const char *text) { cli__html_esc(s, text); }

static void head(GString *s, const char *title) {
    g_string_append(s, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                       "<meta name=\"viewport\" content=\"width=device-width\"><title>");
    esc(s, title);
    g_string_append_printf(s, "</title><style>%s</style><script>%s</script></head><body>\n", style,
                           watch);
}

/* A JSON value as HTML: objects as two-column tables, arrays of objects as
 * tables with a column per key, scalars as text. */
static void json_html(GString *s, json_t *v);

static void array_html(GString *s, json_t *a) {
    json_t *first = json_array_get(a, 0);
    if (!json_is_object(first)) {
        g_autofree char *text = json_dumps(a, JSON_COMPACT | JSON_ENCODE_ANY);
        esc(s, text ? text : "");
        return;
    }
    g_string_append(s, "<table><tr>");
    const char *key;
    json_t *x;
    json_object_foreach(first, key, x) {
        g_string_append(s, "<th>");
        esc(s, key);
        g_string_append(s, "</th>");
    }
    g_string_append(s, "</tr>");
    size_t i;
    json_t *row;
    json_array_foreach(a, i, row) {
        g_string_append(s, "<tr>");
        json_object_foreach(first, key, x) {
            g_string_append(s, "<td>");
            json_html(s, json_object_get(row, key));
            g_string_append(s, "</td>");
        }
        g_string_append(s, "</tr>");
    }
    g_string_append(s, "</table>");
}

static void json_html(GString *s, json_t *v) {
    if (json_is_object(v)) {
        g_string_append(s, "<table>");
        const char *key;
        json_t *x;
        json_object_foreach(v, key, x) {
            g_string_append(s, "<tr><td class=\"k\">");
            esc(s, key);
            g_string_append(s, "</td><td>");
            json_html(s, x);
            g_string_append(s, "</td></tr>");
        }
        g_string_append(s, "</table>");
    } else if (json_is_array(v)) {
        array_html(s, v);
    } else if (json_is_string(v)) {
        esc(s, json_string_value(v));
    } else if (v) {
        g_autofree char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(6));
        esc(s, text ? text : "");
    }
}

/* The SVG file @path inline (from its <svg element on), or a note. */
static void inline_svg(GString *s, const char *title, const char *path) {
    g_autofree char *text = NULL;
    const char *svg = NULL;
    if (g_file_get_contents(path, &text, NULL, NULL))
        svg = strstr(text, "<svg");
    g_string_append(s, "<figure><h2>");
    esc(s, title);
    g_string_append(s, "</h2>\n");
    if (svg)
        g_string_append(s, svg);
    else
        g_string_append(s, "<p>(figure missing)</p>");
    g_string_append(s, "</figure>\n");
}

/* A file of @dir shown as preformatted text, when it exists. */
static void text_file(GString *s, const char *dir, const char *name, const char *title) {
    g_autofree char *path = g_build_filename(dir, name, NULL);
    g_autofree char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, NULL))
        return;
    g_string_append(s, "<h2>");
    esc(s, title);
    g_string_append(s, "</h2><details open><summary>");
    esc(s, name);
    g_string_append(s, "</summary><pre>");
    esc(s, text);
    g_string_append(s, "</pre></details>\n");
}

static gboolean commit(const char *dir, GString *s, GError **error) {
    g_autoptr(RepOutput) out = rep_output_new_update(dir, error); /* beside the run's files */
    FILE *f = out ? rep_output_open(out, "report.html", error) : NULL;
    if (f == NULL)
        return FALSE;
    g_string_append(s, "</body></html>\n");
    if (fwrite(s->str, 1, s->len, f) != s->len) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "cannot write report.html");
        return FALSE;
    }
    return rep_output_commit(out, error);
}

static void headline(GString *s, const CliRunResults *r) {
    const RepHistogram *h = r->latency;
    g_string_append(s, "<h2>Fault latency</h2><table><tr>");
    static const struct {
        const char *name;
        double q;
    } qs[] = {{"min", 0}, {"p50", .5}, {"p90", .9}, {"p99", .99}, {"p99.9", .999}, {"max", 1}};
    for (size_t i = 0; i < G_N_ELEMENTS(qs); i++)
        g_string_append_printf(s, "<th>%s</th>", qs[i].name);
    g_string_append(s, "<th>faults</th></tr><tr>");
    for (size_t i = 0; i < G_N_ELEMENTS(qs); i++) {
        char buf[32] = "-";
        if (h && h->count)
            rep_plot_format_ns((double)rep_histogram_quantile(h, qs[i].q), buf, sizeof buf);
        g_string_append(s, "<td>");
        esc(s, buf);
        g_string_append(s, "</td>");
    }
    g_string_append_printf(s, "<td>%" G_GUINT64_FORMAT "</td></tr></table>\n",
                           h ? (guint64)h->count : 0);
}

gboolean cli__write_run_report(const CliRunResults *r, const char *subtitle,
                               const char *const *figures, GError **error) {
    g_autoptr(GString) s = g_string_new(NULL);
    g_autofree char *title = g_strdup_printf("pagesim: %s", r->scenario);
    head(s, title);
    g_string_append(s, "<h1>");
    esc(s, title);
    g_string_append(s, "</h1><p>");
    esc(s, subtitle);
    g_string_append(s, "</p>\n");
    headline(s, r);
    g_autofree char *sum_path = g_build_filename(r->dir, "summary.json", NULL);
    json_auto_t *sum = json_load_file(sum_path, 0, NULL);
    cli__html_split_tables(s, sum_path);
    for (guint i = 0; figures[i]; i++) {
        g_autofree char *name = g_strdup_printf("%s.svg", figures[i]);
        g_autofree char *path = g_build_filename(r->dir, "plots", name, NULL);
        inline_svg(s, figures[i], path);
    }
    g_string_append(s, "<h2>Summary (summary.json)</h2>\n");
    json_html(s, sum);
    text_file(s, r->dir, "scenario.json", "Resolved scenario");
    return commit(r->dir, s, error);
}

/* load_table: @dir/@name parsed, or NULL with @error naming the file. */
static json_t *load_table(const char *dir, const char *name, GError **error) {
    g_autofree char *path = g_build_filename(dir, name, NULL);
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    if (doc == NULL)
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: %s", path, jerr.text);
    return doc;
}

gboolean cli__write_compare_report(const char *dir, GError **error) {
    json_auto_t *doc = load_table(dir, "compare.json", error);
    if (doc == NULL)
        return FALSE;
    const char *scenario = json_string_value(json_object_get(doc, "scenario"));
    g_autofree char *title =
        g_strdup_printf("pagesim: %s, batching policies compared", scenario ? scenario : "?");
    g_autoptr(GString) s = g_string_new(NULL);
    head(s, title);
    g_string_append(s, "<h1>");
    esc(s, title);
    g_string_append(s, "</h1><h2>Comparison (compare.json)</h2>\n");
    json_html(s, json_object_get(doc, "policies"));
    static const char *const figs[] = {"compare-cdf", "compare-spectrum", "compare-access-cdf"};
    for (size_t i = 0; i < G_N_ELEMENTS(figs); i++) {
        g_autofree char *name = g_strdup_printf("%s.svg", figs[i]);
        g_autofree char *svg = g_build_filename(dir, name, NULL);
        if (g_file_test(svg, G_FILE_TEST_EXISTS))
            inline_svg(s, figs[i], svg);
    }
    text_file(s, dir, "compare.md", "The table as Markdown");
    return commit(dir, s, error);
}

static gint by_name(gconstpointer a, gconstpointer b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sweep-*.svg figures of @dir, metric figures first (by name), sweep-cdf last. */
static GPtrArray *sweep_figures(const char *dir) {
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d)))
        if (g_str_has_prefix(name, "sweep-") && g_str_has_suffix(name, ".svg") &&
            strcmp(name, "sweep-cdf.svg") != 0)
            g_ptr_array_add(names, g_strndup(name, strlen(name) - 4));
    g_ptr_array_sort(names, by_name);
    g_autofree char *cdf = g_build_filename(dir, "sweep-cdf.svg", NULL);
    if (g_file_test(cdf, G_FILE_TEST_EXISTS))
        g_ptr_array_add(names, g_strdup("sweep-cdf"));
    return names;
}

gboolean cli__write_sweep_report(const char *dir, GError **error) {
    json_auto_t *doc = load_table(dir, "sweep.json", error);
    if (doc == NULL)
        return FALSE;
    g_autofree char *path = g_build_filename(dir, "sweep.json", NULL);
    const char *scenario = json_string_value(json_object_get(doc, "scenario"));
    g_autofree char *title = g_strdup_printf("pagesim: %s, sweep", scenario ? scenario : "?");
    g_autoptr(GString) s = g_string_new(NULL);
    head(s, title);
    g_string_append(s, "<h1>");
    esc(s, title);
    g_string_append(s, "</h1><p>seeds ");
    json_t *seeds = json_object_get(doc, "seeds");
    g_autofree char *seed_text = json_dumps(seeds, JSON_COMPACT | JSON_ENCODE_ANY);
    esc(s, seed_text ? seed_text : "?");
    g_string_append(s, "</p>\n");
    cli__html_sweep(s, path);
    g_autoptr(GPtrArray) figs = sweep_figures(dir);
    for (guint i = 0; i < figs->len; i++) {
        const char *fig = g_ptr_array_index(figs, i);
        g_autofree char *name = g_strdup_printf("%s.svg", fig);
        g_autofree char *svg = g_build_filename(dir, name, NULL);
        inline_svg(s, fig, svg);
    }
    text_file(s, dir, "sweep.md", "The table as Markdown");
    return commit(dir, s, error);
}
