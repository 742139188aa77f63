/* The axes of `pagesim plot`'s figures: ranges and tick lists computed from the
 * data (rep-plot-ticks.h), handed to the gnuplot scripts as variables so that
 * the scripts only draw.
 *
 *  - latency CDF: x from the 0.1th percentile (the minimum when there are fewer
 *    than 1000 faults) to the maximum, so a few low outliers do not take half
 *    the width; the cut is said in the figure;
 *  - spectrum: x from 0% to the last sample (1/(1-p) = count), log y from the
 *    minimum to the maximum; sparse_x marks where fewer than 10 faults remain;
 *  - histogram: x over the bins; heat map: y over the faults' latencies (not
 *    padded to decades) and a colour bar with several labels;
 *  - timeline: the latency panel's y range and ticks.
 */
#include <math.h>

#include "sim/cli/cli-plot.h"
#include "sim/report/rep-plot-ticks.h"

#define PLOT_WIDTH_PX  800.0 /* the plot area of a 1000 px wide figure */
#define PLOT_HEIGHT_PX 420.0 /* ... and of a 600 px high one */

/* A vertical axis is given by its height: PLOT_HEIGHT_PX or less. */
static void assign_ticks(GString *s, const char *key, double lo, double hi, gboolean log_axis,
                         double npu, double px) {
    g_autoptr(GArray) t = rep_plot_ticks(lo, hi, log_axis, npu, px, px <= PLOT_HEIGHT_PX);
    g_autofree char *spec = rep_plot_ticks_gnuplot(t);
    cli__gnuplot_assign(s, key, spec);
}

static void assign_num(GString *s, const char *key, double v) {
    g_string_append_printf(s, "%s=%.10g; ", key, v);
}

/* [lo, hi] widened a little on a log axis so the extremes are not on the frame. */
static void log_pad(double *lo, double *hi) {
    if (*hi <= *lo)
        *hi = *lo * 1.5;
    double f = pow(*hi / *lo, 0.02);
    *lo /= f;
    *hi *= f;
}

static void latency_axes(GString *s, const CliRunResults *r, RepUnit lu) {
    const RepHistogram *h = r->latency;
    double lo =
        (double)MAX(h->count >= 1000 ? rep_histogram_quantile(h, 0.001) : h->min, 1) / lu.ns;
    double hi = (double)MAX(h->max, 1) / lu.ns;
    double lo_all = (double)MAX(h->min, 1) / lu.ns;
    log_pad(&lo, &hi);
    log_pad(&lo_all, &hi);
    assign_num(s, "xlo", lo);
    assign_num(s, "xhi", hi);
    assign_ticks(s, "xticks", lo, hi, TRUE, lu.ns, PLOT_WIDTH_PX);
    assign_num(s, "hlo", lo_all);
    assign_ticks(s, "hticks", lo_all, hi, TRUE, lu.ns, PLOT_WIDTH_PX);
    g_autofree char *note =
        h->count >= 1000 && h->min < rep_histogram_quantile(h, 0.001)
            ? g_strdup("x axis from the 0.1th percentile; the curve starts at 0.1%")
            : g_strdup("");
    cli__gnuplot_assign(s, "xnote", note);
    /* Spectrum. */
    double ylo = lo_all, yhi = hi;
    assign_num(s, "ylo", ylo);
    assign_num(s, "yhi", yhi);
    assign_ticks(s, "yticks", ylo, yhi, TRUE, lu.ns, PLOT_HEIGHT_PX);
    assign_num(s, "xmax", (double)MAX(h->count, 2));
    assign_num(s, "maxv", (double)MAX(h->max, 1) / lu.ns);
    char buf[32];
    rep_plot_format_ns((double)h->max, buf, sizeof buf);
    g_autofree char *maxlabel = g_strdup_printf("maximum: %s", buf);
    cli__gnuplot_assign(s, "maxlabel", maxlabel);
    assign_num(s, "sparse_x", h->count > 10 ? (double)h->count / 10.0 : 1.0);
    /* gnuplot reads tick labels as formats: %% is a percent sign. */
    static const char *const pct[] = {"0%%",     "90%%",     "99%%",      "99.9%%",
                                      "99.99%%", "99.999%%", "99.9999%%", "99.99999%%"};
    GString *t = g_string_new("(");
    for (guint k = 0; k < G_N_ELEMENTS(pct) && pow(10, k) <= (double)MAX(h->count, 2); k++)
        g_string_append_printf(t, "%s\"%s\" %g", k ? ", " : "", pct[k], pow(10, k));
    g_string_append_c(t, ')');
    cli__gnuplot_assign(s, "pticks", t->str);
    g_string_free(t, TRUE);
}

static void time_axes(GString *s, const CliRunResults *r, RepUnit lu) {
    const RepTimeline *tl = r->timeline;
    uint64_t mn = UINT64_MAX, mx = 0;
    for (guint i = 0; tl && i < rep_timeline_n(tl); i++) {
        const RepHistogram *h = rep_timeline_latency(tl, i);
        if (h->count) {
            mn = MIN(mn, MAX(h->min, 1));
            mx = MAX(mx, h->max);
        }
    }
    double lo = mn == UINT64_MAX ? 1 : (double)mn / lu.ns, hi = mx ? (double)mx / lu.ns : 10;
    log_pad(&lo, &hi);
    assign_num(s, "tlo", lo);
    assign_num(s, "thi", hi);
    assign_ticks(s, "tticks", lo, hi, TRUE, lu.ns, PLOT_HEIGHT_PX);
    assign_ticks(s, "tticks_small", lo, hi, TRUE, lu.ns, PLOT_HEIGHT_PX / 2.5);
    double clo = 0, chi = 0;
    if (tl)
        rep_plot_heatmap_range(tl, &clo, &chi);
    if (chi <= clo)
        chi = clo * 10 + 1;
    clo = MAX(clo, 1e-9);
    assign_num(s, "cblo", clo);
    assign_num(s, "cbhi", chi);
    assign_ticks(s, "cbticks", clo, chi, TRUE, 0, PLOT_HEIGHT_PX);
}

char *cli__plot_axes(const CliRunResults *r, RepUnit lu) {
    GString *s = g_string_new(NULL);
    if (r->latency && r->latency->count)
        latency_axes(s, r, lu);
    time_axes(s, r, lu);
    return g_string_free(s, FALSE);
}
