/* Axis ticks (see rep-plot-ticks.h).
 *
 * Candidates are tried from the densest to the sparsest; the first whose
 * labels do not overlap wins. On a log axis a candidate is a set of mantissas
 * per decade, or one tick every k decades; on a linear axis (and on a log axis
 * narrower than a factor of 4, where decades give too few ticks) a candidate
 * is a step of 1, 2 or 5 x 10^k.
 *
 * Invariants: ticks rise strictly and lie in [lo, hi]; no two labels overlap
 * under the rule of rep_plot_tick_label_px() unless only the fallback is left.
 */
#include "sim/report/rep-plot-ticks.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_TICKS 12

void rep_plot_format_ns(double ns, char *buf, gsize size) {
    static const struct {
        double ns;
        const char *name;
    } units[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "µs"}, {1, "ns"}};
    size_t u = 0;
    while (u + 1 < G_N_ELEMENTS(units) && fabs(ns) < units[u].ns * 0.9995)
        u++;
    g_snprintf(buf, size, "%.3g %s", ns / units[u].ns, units[u].name);
}

double rep_plot_tick_label_px(const char *label) {
    return REP_TICK_CHAR_PX * (double)g_utf8_strlen(label, -1);
}

static void label_of(double v, double ns_per_unit, char *buf, gsize size) {
    static const struct {
        double at, from;
        const char *suffix;
    } si[] = {{1e9, 1e9, "G"}, {1e6, 1e6, "M"}, {1e3, 1e4, "k"}};
    if (ns_per_unit > 0) {
        rep_plot_format_ns(v * ns_per_unit, buf, size);
        return;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(si); i++)
        if (fabs(v) >= si[i].from) { /* 20k, 5M: short labels for rates */
            g_snprintf(buf, size, "%.3g%s", v / si[i].at, si[i].suffix);
            return;
        }
    g_snprintf(buf, size, "%.4g", v);
}

static double pos(double v, double lo, double hi, gboolean log_axis, double width) {
    return log_axis ? width * log(v / lo) / log(hi / lo) : width * (v - lo) / (hi - lo);
}

/* Whether @t fits: 2 to MAX_TICKS ticks, labels apart. */
static gboolean fits(const GArray *t, double lo, double hi, gboolean log_axis, double width,
                     gboolean vertical) {
    if (t->len < 2 || t->len > MAX_TICKS)
        return FALSE;
    for (guint i = 1; i < t->len; i++) {
        const RepTick *a = &g_array_index(t, RepTick, i - 1), *b = &g_array_index(t, RepTick, i);
        double room =
            pos(b->value, lo, hi, log_axis, width) - pos(a->value, lo, hi, log_axis, width);
        double need =
            vertical ? REP_TICK_LINE_PX
                     : (rep_plot_tick_label_px(a->label) + rep_plot_tick_label_px(b->label)) / 2;
        if (room < need + REP_TICK_GAP_PX)
            return FALSE;
    }
    return TRUE;
}

static void add(GArray *t, double v, double ns_per_unit) {
    RepTick k = {.value = v};
    label_of(v, ns_per_unit, k.label, sizeof k.label);
    g_array_append_val(t, k);
}

/* Log candidate: mantissas @m (n of them) in every @every-th decade. */
static GArray *log_set(double lo, double hi, const double *m, guint n, int every, double npu) {
    GArray *t = g_array_new(FALSE, FALSE, sizeof(RepTick));
    int d0 = (int)floor(log10(lo)), d1 = (int)ceil(log10(hi));
    for (int d = d0; d <= d1 && t->len <= MAX_TICKS; d++) {
        if (((d % every) + every) % every)
            continue;
        for (guint i = 0; i < n; i++) {
            char b[32];
            g_snprintf(b, sizeof b, "%.6g", m[i] * pow(10.0, d));
            double v = g_ascii_strtod(b, NULL); /* the decimal value, not pow's rounding */
            if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9))
                add(t, v, npu);
        }
    }
    return t;
}

/* Linear candidate: multiples of @step in [lo, hi]. */
static GArray *lin_set(double lo, double hi, double step, double npu) {
    GArray *t = g_array_new(FALSE, FALSE, sizeof(RepTick));
    for (double k = ceil(lo / step - 1e-9); k * step <= hi * (1 + 1e-12) && t->len <= MAX_TICKS;
         k++)
        if (k * step > 0 || lo <= 0)
            add(t, k * step, npu);
    return t;
}

static GArray *fallback(double lo, double hi, double npu) {
    GArray *t = g_array_new(FALSE, FALSE, sizeof(RepTick));
    add(t, lo, npu);
    add(t, hi, npu);
    return t;
}

GArray *rep_plot_ticks(double lo, double hi, gboolean log_axis, double npu, double width,
                       gboolean vertical) {
    static const double m6[] = {1, 1.5, 2, 3, 5, 7}, m4[] = {1, 2, 3, 5}, m3[] = {1, 2, 5},
                        m2[] = {1, 3}, m1[] = {1};
    static const struct {
        const double *m;
        guint n;
    } sets[] = {{m6, 6}, {m4, 4}, {m3, 3}, {m2, 2}, {m1, 1}};
    if (!(hi > lo) || (log_axis && !(lo > 0)))
        return fallback(lo, hi, npu);
    if (log_axis && hi / lo >= 4) {
        for (size_t i = 0; i < G_N_ELEMENTS(sets); i++) {
            GArray *t = log_set(lo, hi, sets[i].m, sets[i].n, 1, npu);
            if (fits(t, lo, hi, TRUE, width, vertical))
                return t;
            g_array_unref(t);
        }
        for (int every = 2; every <= 6; every++) {
            GArray *t = log_set(lo, hi, m1, 1, every, npu);
            if (fits(t, lo, hi, TRUE, width, vertical))
                return t;
            g_array_unref(t);
        }
        return fallback(lo, hi, npu);
    }
    double p = pow(10.0, floor(log10(hi - lo)) - 1);
    static const double steps[] = {1, 2, 5, 10, 20, 50, 100};
    for (size_t i = 0; i < G_N_ELEMENTS(steps); i++) {
        GArray *t = lin_set(lo, hi, steps[i] * p, npu);
        if (fits(t, lo, hi, log_axis, width, vertical))
            return t;
        g_array_unref(t);
    }
    return fallback(lo, hi, npu);
}

char *rep_plot_ticks_gnuplot(const GArray *ticks) {
    GString *s = g_string_new("(");
    for (guint i = 0; i < ticks->len; i++) {
        const RepTick *k = &g_array_index(ticks, RepTick, i);
        g_string_append_printf(s, "%s\"%s\" %.10g", i ? ", " : "", k->label, k->value);
    }
    g_string_append_c(s, ')');
    return g_string_free(s, FALSE);
}
