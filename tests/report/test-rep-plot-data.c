/* The figure data, checked on its numbers rather than on pixels: the histogram's
 * density is flat for a log-uniform sample, the spectrum ends at the exact
 * maximum, tick labels never overlap over any span, a partial last interval is
 * normalised by its span, and a bounded timeline merges intervals without losing
 * anything. */
#include <math.h>
#include <string.h>

#include "sim/report/rep-plot-data.h"
#include "sim/report/rep-plot-ticks.h"
#include "sim/report/rep-timeline.h"

static const RepUnit us = {1e3, "µs"};

/* The data rows (not '#') of what @fn writes, split into fields. */
static GPtrArray *rows_of(FILE *f) {
    GPtrArray *rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    char line[512];
    rewind(f);
    while (fgets(line, sizeof line, f))
        if (line[0] != '#')
            g_ptr_array_add(rows, g_strsplit(g_strchomp(line), "\t", -1));
    fclose(f);
    return rows;
}

static double field(GPtrArray *rows, guint r, guint c) {
    char **row = g_ptr_array_index(rows, r);
    g_assert_cmpuint(g_strv_length(row), >, c);
    return g_ascii_strtod(row[c], NULL);
}

/* 100,000 samples spread uniformly in log latency over 10 octaves (1 us to
 * 1.024 ms): every bin inside the range has the same density, 100 % over
 * 10 log10(2) decades = 33.22 % per decade, although the bins' counts differ
 * with their widths. */
static void test_flat_density(void) {
    g_autoptr(RepHistogram) h = rep_histogram_new();
    const guint n = 100000;
    for (guint i = 0; i < n; i++)
        rep_histogram_record(h, (uint64_t)llround(1024.0 * exp2(10.0 * (i + 0.5) / n)));
    FILE *f = tmpfile();
    g_assert_true(rep_plot_write_histogram(h, us, f, NULL));
    g_autoptr(GPtrArray) rows = rows_of(f);
    g_assert_cmpuint(rows->len, ==, 10 * REP_PLOT_BINS_PER_OCTAVE);
    double expect = 100.0 / (10.0 * log10(2.0)), total = 0;
    for (guint r = 0; r < rows->len; r++) {
        total += field(rows, r, 3);
        g_assert_cmpfloat(fabs(field(rows, r, 5) / expect - 1.0), <, 0.01);
    }
    g_assert_cmpfloat(total, ==, (double)n);
}

/* The spectrum's last row is the exact maximum, at 1/(1-p) = count. */
static void test_spectrum_ends_at_max(void) {
    g_autoptr(RepHistogram) h = rep_histogram_new();
    for (uint64_t v = 1; v <= 1000; v++)
        rep_histogram_record(h, v * 1000);
    rep_histogram_record(h, 2933123);
    FILE *f = tmpfile();
    g_assert_true(rep_plot_write_spectrum(h, us, f, NULL));
    g_autoptr(GPtrArray) rows = rows_of(f);
    guint last = rows->len - 1;
    g_assert_cmpfloat(field(rows, last, 0), ==, 1001.0);
    g_assert_cmpfloat(field(rows, last, 1), ==, 2933.12); /* %.6g of 2933.123 us */
    for (guint r = 1; r < rows->len; r++) {
        g_assert_cmpfloat(field(rows, r, 0), >=, field(rows, r - 1, 0));
        g_assert_cmpfloat(field(rows, r, 1), >=, field(rows, r - 1, 1));
    }
    /* the level before stops at 1 ms, within a bucket (0.4 %) */
    g_assert_cmpfloat(field(rows, last - 1, 1), <=, 1000.0 * 1.004);
}

/* Ticks over spans from 1.2x to 10^8 x: 2 to 12 ticks inside the range, rising,
 * with labels that leave REP_TICK_GAP_PX between them at 800 px (positions and
 * label widths computed here, one character 7 px). */
static void check_ticks(double lo, double hi, gboolean log_axis) {
    g_autoptr(GArray) t = rep_plot_ticks(lo, hi, log_axis, 1.0, 800, FALSE);
    g_assert_cmpuint(t->len, >=, 2);
    g_assert_cmpuint(t->len, <=, 12);
    double prev_right = -1e9;
    for (guint i = 0; i < t->len; i++) {
        const RepTick *k = &g_array_index(t, RepTick, i);
        g_assert_cmpfloat(k->value, >=, lo * (1 - 1e-9));
        g_assert_cmpfloat(k->value, <=, hi * (1 + 1e-9));
        double x =
            log_axis ? 800 * log(k->value / lo) / log(hi / lo) : 800 * (k->value - lo) / (hi - lo);
        double half = 7.0 * (double)g_utf8_strlen(k->label, -1) / 2;
        g_assert_cmpfloat(x - half, >=, prev_right + 10.0 - 1e-6);
        prev_right = x + half;
    }
}

static void test_ticks(void) {
    static const double los[] = {1, 3.7, 60, 999, 1234567};
    static const double spans[] = {1.2, 1.5, 2, 2.33, 3, 5, 10, 30, 100, 1e3, 1e4, 1e6, 1e8};
    for (size_t i = 0; i < G_N_ELEMENTS(los); i++)
        for (size_t j = 0; j < G_N_ELEMENTS(spans); j++) {
            check_ticks(los[i], los[i] * spans[j], TRUE);
            check_ticks(los[i], los[i] * spans[j], FALSE);
        }
    /* 1 us to 20 ms: each label carries its unit. */
    g_autoptr(GArray) t = rep_plot_ticks(1000, 2e7, TRUE, 1.0, 800, FALSE);
    g_assert_cmpstr(g_array_index(t, RepTick, 0).label, ==, "1 µs");
    g_assert_cmpstr(g_array_index(t, RepTick, t->len - 1).label, ==, "10 ms");
    /* 60-140 us on a log axis: linear steps, several labels. */
    g_autoptr(GArray) narrow = rep_plot_ticks(60, 140, TRUE, 1e3, 800, FALSE);
    g_assert_cmpuint(narrow->len, >=, 4);
    /* A vertical axis 168 px high over 59.5-138 us: labels 14 px high fit 4 steps of 20 us. */
    g_autoptr(GArray) v = rep_plot_ticks(59.5, 138, TRUE, 1e3, 168, TRUE);
    g_assert_cmpuint(v->len, ==, 4);
    g_assert_cmpstr(g_array_index(v, RepTick, 0).label, ==, "60 µs");
    /* Rates: 10 to 3 million per second, plain numbers with k and M. */
    g_autoptr(GArray) r = rep_plot_ticks(10, 3e6, TRUE, 0, 420, TRUE);
    g_assert_cmpstr(g_array_index(r, RepTick, 0).label, ==, "10");
    g_assert_cmpstr(g_array_index(r, RepTick, r->len - 1).label, ==, "3M");
    g_autofree char *gp = rep_plot_ticks_gnuplot(t);
    g_assert_true(g_str_has_prefix(gp, "(\"1 µs\" 1000, "));
}

/* A run that ends at 2.5 us with intervals of 1 us: the last interval covers
 * 0.5 us; a worker busy throughout is 100 % busy in it (not 50 %), and two faults
 * in it are 4 million per second. */
static void test_partial_interval(void) {
    static const char ev[] =
        "{\"t\":0,\"ev\":\"dequeue\",\"provider\":\"p\",\"by\":\"p/w0\",\"cmd\":\"READ\"}\n"
        "{\"t\":2100,\"ev\":\"done\",\"thread\":\"A\",\"status\":\"ZX_OK\",\"latency_ns\":900,"
        "\"fault\":1}\n"
        "{\"t\":2200,\"ev\":\"done\",\"thread\":\"B\",\"status\":\"ZX_OK\",\"latency_ns\":700,"
        "\"fault\":1}\n"
        "{\"t\":2500,\"ev\":\"served\",\"provider\":\"p\",\"by\":\"p/w0\",\"status\":\"ZX_OK\"}\n";
    g_autoptr(RepTimeline) tl = rep_timeline_new(0, 1000, 1);
    rep_timeline_add_provider(tl, "p", 1);
    FILE *in = tmpfile();
    fputs(ev, in);
    rewind(in);
    g_assert_true(rep_event_read_stream(in, "t", rep_timeline_feed, tl, NULL));
    fclose(in);
    rep_timeline_finish(tl, 2500);
    g_assert_cmpuint(rep_timeline_n(tl), ==, 3);
    g_assert_cmpuint(rep_timeline_span(tl, 2), ==, 500);
    g_assert_cmpfloat_with_epsilon(rep_timeline_busy(tl, 0, 2), 1.0, 1e-12);
    FILE *f = tmpfile();
    g_assert_true(rep_plot_write_timeline(tl, us, us, f, NULL));
    g_autoptr(GPtrArray) rows = rows_of(f);
    g_assert_cmpuint(rows->len, ==, 3);
    g_assert_cmpfloat(field(rows, 2, 1), ==, 2.25); /* the middle of [2, 2.5) us */
    g_assert_cmpfloat(field(rows, 2, 14), ==, 4e6);
    g_assert_cmpfloat(field(rows, 2, 17), ==, 0.5);
    g_assert_cmpfloat(field(rows, 0, 14), ==, 0.0);
    g_assert_true(isnan(field(rows, 2, 6))); /* p99 of 2 faults is not drawn */
    /* p50 of {700, 900} ns: the middle of the bucket [700, 703] */
    g_assert_cmpfloat(field(rows, 2, 5), ==, 0.701);
}

/* At most 4 intervals: faults at 0.1, 1.5, 4.5 and 9.5 us with 1 us intervals
 * merge to 2 us (4.5 us is interval 2) and then to 10 us (9.5 us would be 4). */
static void test_bounded(void) {
    g_autoptr(RepTimeline) tl = rep_timeline_new(0, 1000, 1);
    rep_timeline_set_max(tl, 4);
    static const uint64_t at[] = {100, 1500, 4500, 9500};
    for (size_t i = 0; i < G_N_ELEMENTS(at); i++) {
        RepEvent e = {.t = at[i], .ev = REP_EV_DONE, .n_fields = 3};
        e.fields[0] = (RepField){.key = REP_KEY_FAULT, .type = REP_FIELD_U64, .u = 1};
        e.fields[1] =
            (RepField){.key = REP_KEY_LATENCY_NS, .type = REP_FIELD_U64, .u = 10 * (i + 1)};
        e.fields[2] = (RepField){.key = REP_KEY_STATUS, .type = REP_FIELD_STR, .s = "ZX_ERR_IO"};
        rep_timeline_feed(&e, tl);
        if (i == 2) {
            g_assert_cmpuint(rep_timeline_interval(tl), ==, 2000);
            g_assert_cmpuint(rep_timeline_n(tl), ==, 3);
            g_assert_cmpuint(rep_timeline_latency(tl, 0)->count, ==, 2);
        }
    }
    rep_timeline_finish(tl, 9600);
    g_assert_cmpuint(rep_timeline_interval(tl), ==, 10000);
    g_assert_cmpuint(rep_timeline_n(tl), ==, 1);
    g_assert_cmpuint(rep_timeline_span(tl, 0), ==, 9600);
    g_assert_cmpuint(rep_timeline_latency(tl, 0)->count, ==, 4);
    g_assert_cmpuint(rep_timeline_latency(tl, 0)->max, ==, 40);
    g_assert_cmpuint(rep_timeline_failed(tl, 0), ==, 4);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rep/plot-data/flat-density", test_flat_density);
    g_test_add_func("/rep/plot-data/spectrum-ends-at-max", test_spectrum_ends_at_max);
    g_test_add_func("/rep/plot-data/ticks", test_ticks);
    g_test_add_func("/rep/plot-data/partial-interval", test_partial_interval);
    g_test_add_func("/rep/plot-data/bounded", test_bounded);
    return g_test_run();
}
