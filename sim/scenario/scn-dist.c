/* Descriptions and summaries of scenario distributions (see scn-dist.h for the
 * meaning of each kind). Sampling belongs to the model and the engine.
 *
 * Invariant: a ScnDist owns only its points array, so copy and clear are the
 * whole of its memory management.
 */
#include "sim/scenario/scn-dist.h"

#include "sim/scenario/scn-units.h"

#include <math.h>

static const char *const kind_names[SCN_DIST_KIND_COUNT] = {
    "constant", "uniform", "exponential", "normal", "lognormal", "pareto", "empirical",
};

/* The spellings of the "dist" key, which scn-parse-dist.c lists in the same
 * order. */
const char *scn_dist_kind_to_string(ScnDistKind kind) {
    g_return_val_if_fail(kind < SCN_DIST_KIND_COUNT, "?");
    return kind_names[kind];
}

ScnDist scn_dist_constant(uint64_t ns) {
    ScnDist d = {.kind = SCN_DIST_CONSTANT, .value_ns = ns};
    return d;
}

/* The mean of normal(mu, s) conditioned on X >= 0: mu + s * phi(a) / (1 - Phi(a))
 * with a = -mu / s. */
static double truncated_normal_mean(double mu, double s) {
    double a, tail;

    if (s <= 0.0)
        return mu;
    a = -mu / s;
    tail = 0.5 * erfc(a / G_SQRT2);
    if (tail <= 0.0)
        return 0.0;
    return mu + s * (exp(-0.5 * a * a) / sqrt(2.0 * G_PI)) / tail;
}

/* The mean of the piecewise-linear inverse CDF: each segment contributes its
 * probability width times the average of its two ends. */
static double empirical_mean(const ScnDist *d) {
    double sum = 0.0;

    for (guint i = 0; i + 1 < d->n_points; i++) {
        double w = d->points[i + 1].p - d->points[i].p;
        sum += w * ((double)d->points[i].ns + (double)d->points[i + 1].ns) / 2.0;
    }
    return sum;
}

/* Means are for display and sanity checks (describe prints them next to the
 * parameters so a user sees what a p99 or a sigma implies). */
double scn_dist_mean_ns(const ScnDist *d) {
    g_return_val_if_fail(d != NULL, 0.0);
    switch (d->kind) {
        case SCN_DIST_CONSTANT:
            return (double)d->value_ns;
        case SCN_DIST_UNIFORM:
            return ((double)d->min_ns + (double)d->max_ns) / 2.0;
        case SCN_DIST_EXPONENTIAL:
            return (double)d->mean_ns;
        case SCN_DIST_NORMAL:
            return truncated_normal_mean((double)d->mean_ns, (double)d->stddev_ns);
        case SCN_DIST_LOGNORMAL:
            return (double)d->median_ns * exp(d->sigma * d->sigma / 2.0);
        case SCN_DIST_PARETO:
            return d->shape <= 1.0 ? INFINITY : d->shape * (double)d->scale_ns / (d->shape - 1.0);
        case SCN_DIST_EMPIRICAL:
            return empirical_mean(d);
        case SCN_DIST_KIND_COUNT:
        default:
            break;
    }
    g_return_val_if_reached(0.0);
}

/* Appends @ns to @out in the shortest exact unit. */
static void append_ns(GString *out, uint64_t ns) {
    g_autofree char *s = scn_format_duration(ns);
    g_string_append(out, s);
}

/* Appends @v with up to 4 significant digits, independent of the locale. */
static void append_double(GString *out, double v) {
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    g_string_append(out, g_ascii_formatd(buf, sizeof buf, "%.4g", v));
}

/* Appends the parameters of @d as "name value, name value". */
/* Appends the parameters of @d in the file's own words, so a description can
 * be checked against the scenario by eye. */
static void append_params(GString *out, const ScnDist *d) {
    switch (d->kind) {
        case SCN_DIST_CONSTANT:
            append_ns(out, d->value_ns);
            break;
        case SCN_DIST_UNIFORM:
            append_ns(out, d->min_ns);
            g_string_append(out, "..");
            append_ns(out, d->max_ns);
            break;
        case SCN_DIST_EXPONENTIAL:
        case SCN_DIST_NORMAL:
            g_string_append(out, "mean ");
            append_ns(out, d->mean_ns);
            if (d->kind == SCN_DIST_NORMAL) {
                g_string_append(out, ", stddev ");
                append_ns(out, d->stddev_ns);
            }
            break;
        case SCN_DIST_LOGNORMAL:
            g_string_append(out, "median ");
            append_ns(out, d->median_ns);
            if (d->p99_ns != 0) {
                g_string_append(out, ", p99 ");
                append_ns(out, d->p99_ns);
            }
            g_string_append(out, ", sigma ");
            append_double(out, d->sigma);
            break;
        case SCN_DIST_PARETO:
            g_string_append(out, "scale ");
            append_ns(out, d->scale_ns);
            g_string_append(out, ", shape ");
            append_double(out, d->shape);
            break;
        case SCN_DIST_EMPIRICAL:
            for (guint i = 0; i < d->n_points; i++) {
                g_string_append(out, i == 0 ? "" : ", ");
                append_double(out, d->points[i].p);
                g_string_append_c(out, ' ');
                append_ns(out, d->points[i].ns);
            }
            break;
        case SCN_DIST_KIND_COUNT:
        default:
            g_assert_not_reached();
    }
}

char *scn_dist_to_string(const ScnDist *d) {
    GString *out;
    double mean;

    g_return_val_if_fail(d != NULL, NULL);
    out = g_string_new(scn_dist_kind_to_string(d->kind));
    g_string_append_c(out, '(');
    append_params(out, d);
    if (d->kind != SCN_DIST_CONSTANT && d->kind != SCN_DIST_EXPONENTIAL) {
        mean = scn_dist_mean_ns(d);
        g_string_append(out, "; mean ");
        if (isinf(mean))
            g_string_append(out, "infinite");
        else
            append_ns(out, (uint64_t)llround(mean));
    }
    g_string_append_c(out, ')');
    return g_string_free(out, FALSE);
}

void scn_dist_copy(ScnDist *dst, const ScnDist *src) {
    g_return_if_fail(dst != NULL && src != NULL);
    *dst = *src;
    if (src->points != NULL)
        dst->points = g_memdup2(src->points, sizeof *src->points * src->n_points);
}

void scn_dist_clear(ScnDist *d) {
    if (d == NULL)
        return;
    g_free(d->points);
    *d = scn_dist_constant(0);
}
