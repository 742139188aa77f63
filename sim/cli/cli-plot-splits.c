/* The per-status and per-workload fault latency CDFs of `pagesim plot` (see
 * cli-plot.h): one figure per kind of split that has more than one split with
 * faults, each split's CDF normalised to its own faults and overlaid.
 */
#include <inttypes.h>

#include "sim/cli/cli-plot.h"

static const struct {
    RepSplitKind kind;
    const char *name; /* the figure: plots/NAME.{png,svg}, NAME-I.tsv */
    const char *what; /* for the title and legend */
} kinds[] = {
    {REP_SPLIT_STATUS, "latency-cdf-status", "final status"},
    {REP_SPLIT_WORKLOAD, "latency-cdf-workload", "workload"},
};

/* Writes split @s's CDF as @tsv, with a header row naming it. */
static const char *write_split(const RepSplitHist *s, RepUnit lu, RepOutput *out, const char *tsv,
                               GError **error) {
    FILE *f = rep_output_open(out, tsv, error);
    if (f == NULL)
        return NULL;
    fprintf(f, "latency\t%s (%" PRIu64 " faults)\n", s->name, s->latency->count);
    if (!rep_plot_write_cdf(s->latency, lu, f, error) || !rep_output_flush(out, tsv, error))
        return NULL;
    return rep_output_temp_path(out, tsv);
}

/* The figure of kind @k: its data files and gnuplot assignments. */
static CliSplitFigure *one_figure(const CliRunResults *r, guint k, RepUnit lu, const char *base,
                                  RepOutput *out, GError **error) {
    g_autoptr(GString) files = g_string_new(NULL);
    guint n = 0;
    for (guint i = 0; i < r->splits->len; i++) {
        const RepSplitHist *s = g_ptr_array_index(r->splits, i);
        if (s->kind != kinds[k].kind || s->latency->count == 0)
            continue;
        g_autofree char *tsv = g_strdup_printf("%s-%u.tsv", kinds[k].name, ++n);
        const char *path = write_split(s, lu, out, tsv, error);
        if (path == NULL)
            return NULL;
        g_string_append_printf(files, "%s%s", files->len ? " " : "", path);
    }
    g_autofree char *png_name = g_strdup_printf("%s.png", kinds[k].name);
    g_autofree char *svg_name = g_strdup_printf("%s.svg", kinds[k].name);
    const char *png = rep_output_reserve(out, png_name, error);
    const char *svg = png ? rep_output_reserve(out, svg_name, error) : NULL;
    if (svg == NULL)
        return NULL;
    CliSplitFigure *fig = g_new0(CliSplitFigure, 1);
    fig->name = kinds[k].name;
    GString *vars = g_string_new(base);
    cli__gnuplot_assign(vars, "datafiles", files->str);
    cli__gnuplot_assign(vars, "what", kinds[k].what);
    cli__gnuplot_assign(vars, "pngfile", png);
    cli__gnuplot_assign(vars, "svgfile", svg);
    fig->vars = g_string_free(vars, FALSE);
    return fig;
}

GPtrArray *cli__split_figures(const CliRunResults *r, RepUnit lu, const char *base, RepOutput *out,
                              GError **error) {
    g_autoptr(GPtrArray) figs = g_ptr_array_new_with_free_func(cli__split_figure_free);
    for (guint k = 0; k < G_N_ELEMENTS(kinds); k++) {
        if (rep_splits_with_faults(r->splits, kinds[k].kind) < 2)
            continue;
        CliSplitFigure *fig = one_figure(r, k, lu, base, out, error);
        if (fig == NULL)
            return NULL;
        g_ptr_array_add(figs, fig);
    }
    return g_steal_pointer(&figs);
}

void cli__split_figure_free(gpointer p) {
    CliSplitFigure *f = p;
    g_free(f->vars);
    g_free(f);
}
