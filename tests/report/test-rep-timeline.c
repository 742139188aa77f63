/* Per-interval figures from native events, and the plot data files made from
 * them and from histograms. */
#include <math.h>
#include <string.h>

#include "sim/report/rep-plot-data.h"
#include "sim/report/rep-timeline-io.h"
#include "sim/report/rep-timeline.h"

static const char events[] =
    "{\"t\":100,\"ev\":\"request\",\"vmo\":\"v\",\"offset\":0,\"len\":4096,\"provider\":\"p\","
    "\"thread\":\"A\",\"outstanding\":1,\"port\":1}\n"
    "{\"t\":100,\"ev\":\"dequeue\",\"provider\":\"p\",\"by\":\"p/w0\",\"vmo\":\"v\","
    "\"cmd\":\"READ\",\"offset\":0,\"len\":4096,\"port\":0}\n"
    "{\"t\":2000,\"ev\":\"supply\",\"vmo\":\"v\",\"offset\":0,\"len\":4096,\"by\":\"p/w0\","
    "\"outstanding\":0}\n"
    "{\"t\":2100,\"ev\":\"wake\",\"thread\":\"A\",\"status\":\"ZX_OK\"}\n"
    "{\"t\":2100,\"ev\":\"done\",\"thread\":\"A\",\"kind\":\"fault\",\"status\":\"ZX_OK\","
    "\"latency_ns\":2000,\"fault\":1}\n"
    "{\"t\":2500,\"ev\":\"served\",\"provider\":\"p\",\"by\":\"p/w0\",\"vmo\":\"v\","
    "\"offset\":0,\"len\":4096,\"status\":\"ZX_OK\"}\n"
    "{\"t\":2600,\"ev\":\"done\",\"thread\":\"B\",\"kind\":\"fault\",\"status\":\"ZX_ERR_IO\","
    "\"latency_ns\":30,\"fault\":1}\n"
    "{\"t\":2700,\"ev\":\"done\",\"thread\":\"C\",\"kind\":\"fault\",\"status\":\"ZX_OK\","
    "\"latency_ns\":0,\"fault\":0}\n"
    "{\"t\":5000,\"ev\":\"dequeue\",\"provider\":\"q\",\"by\":\"q/w0\",\"vmo\":\"v\","
    "\"cmd\":\"READ\",\"offset\":0,\"len\":4096}\n";

/* Folds the native lines @text into @tl and finishes it at @end. */
static void feed_and_finish(RepTimeline *tl, const char *text, uint64_t end) {
    FILE *f = tmpfile();
    fputs(text, f);
    rewind(f);
    g_assert_true(rep_event_read_stream(f, "t", rep_timeline_feed, tl, NULL));
    fclose(f);
    rep_timeline_finish(tl, end);
}

static RepTimeline *fold(void) {
    RepTimeline *tl = rep_timeline_new(0, 1000, 10);
    g_assert_cmpuint(rep_timeline_add_provider(tl, "p", 2), ==, 0);
    g_assert_cmpuint(rep_timeline_add_provider(tl, "q", 1), ==, 1);
    g_assert_cmpuint(rep_timeline_add_provider(tl, "sync", 0), ==, 2);
    feed_and_finish(tl, events, 10000);
    return tl;
}

static void test_nice_interval(void) {
    g_assert_cmpuint(rep_timeline_nice_interval(1000000000, 100), ==, 10000000);
    g_assert_cmpuint(rep_timeline_nice_interval(20000000, 100), ==, 200000);
    g_assert_cmpuint(rep_timeline_nice_interval(30000000, 100), ==, 500000);
    g_assert_cmpuint(rep_timeline_nice_interval(150, 100), ==, 2);
    g_assert_cmpuint(rep_timeline_nice_interval(0, 100), ==, 1);
}

static void test_latency_and_gauges(void) {
    g_autoptr(RepTimeline) tl = fold();
    g_assert_cmpuint(rep_timeline_events(tl), ==, 9);
    g_assert_cmpuint(rep_timeline_latency(tl, 2)->count, ==, 2); /* the resident one is no fault */
    g_assert_cmpuint(rep_timeline_latency(tl, 2)->max, ==, 2000);
    g_assert_cmpuint(rep_timeline_failed(tl, 2), ==, 1);
    g_assert_cmpuint(rep_timeline_latency(tl, 0)->count, ==, 0);
    /* A waits over [100, 2100). */
    RepTimelineGauge w0 = rep_timeline_gauge(tl, REP_TL_WAITING, 0);
    g_assert_true(w0.known);
    g_assert_cmpfloat_with_epsilon(w0.mean, 0.9, 1e-9);
    g_assert_cmpfloat(w0.max, ==, 1.0);
    g_assert_cmpfloat_with_epsilon(rep_timeline_gauge(tl, REP_TL_WAITING, 2).mean, 0.1, 1e-9);
    g_assert_cmpfloat(rep_timeline_gauge(tl, REP_TL_WAITING, 5).mean, ==, 0.0);
    /* Outstanding is known from t = 100: 1 until 2000, then 0. */
    RepTimelineGauge o0 = rep_timeline_gauge(tl, REP_TL_OUTSTANDING, 0);
    g_assert_true(o0.known);
    g_assert_cmpfloat(o0.mean, ==, 1.0);
    g_assert_cmpfloat(rep_timeline_gauge(tl, REP_TL_OUTSTANDING, 2).mean, ==, 0.0);
    /* Queued for the pager: 1 at 100, 0 at the same time (the dequeue), so never held. */
    g_assert_cmpfloat(rep_timeline_gauge(tl, REP_TL_PORT, 0).max, ==, 0.0);
}

static void test_busy(void) {
    g_autoptr(RepTimeline) tl = fold();
    /* p/w0 serves [100, 2500): with served lines the service ends there. */
    g_assert_cmpfloat_with_epsilon(rep_timeline_busy(tl, 0, 0), 0.9, 1e-9);
    g_assert_cmpfloat_with_epsilon(rep_timeline_busy(tl, 0, 1), 1.0, 1e-9);
    g_assert_cmpfloat_with_epsilon(rep_timeline_busy(tl, 0, 2), 0.5, 1e-9);
    g_assert_cmpfloat(rep_timeline_busy(tl, 0, 3), ==, 0.0);
    /* q/w0 is still serving at the end of the trace, which has served lines. */
    g_assert_cmpfloat(rep_timeline_busy(tl, 1, 9), ==, 1.0);
    g_assert_cmpuint(rep_timeline_workers(tl, 0), ==, 2);
    g_assert_cmpstr(rep_timeline_provider(tl, 1), ==, "q");
}

/* A trace cut by --trace-window: a wait and a service that began before it are
 * credited from its start. */
static void test_windowed(void) {
    static const char cut[] =
        "{\"t\":1500,\"ev\":\"wake\",\"thread\":\"A\",\"status\":\"ZX_OK\"}\n"
        "{\"t\":1500,\"ev\":\"served\",\"provider\":\"p\",\"by\":\"p/w0\",\"vmo\":\"v\","
        "\"offset\":0,\"len\":4096,\"status\":\"ZX_OK\"}\n"
        "{\"t\":1600,\"ev\":\"done\",\"thread\":\"B\",\"kind\":\"fault\",\"status\":\"ZX_OK\","
        "\"latency_ns\":0,\"fault\":0}\n";
    g_autoptr(RepTimeline) tl = rep_timeline_new(1000, 1000, 2);
    rep_timeline_add_provider(tl, "p", 1);
    feed_and_finish(tl, cut, 3000);
    g_assert_cmpfloat_with_epsilon(rep_timeline_gauge(tl, REP_TL_WAITING, 0).mean, 0.5, 1e-9);
    g_assert_cmpfloat_with_epsilon(rep_timeline_busy(tl, 0, 0), 0.5, 1e-9);
    g_assert_cmpfloat(rep_timeline_gauge(tl, REP_TL_WAITING, 1).mean, ==, 0.0);
}

/* Two device reads overlapping in [0, 2000) and one cut by the horizon 3500; a
 * read of an undeclared device; resident pages and a reclaim. */
static const char res_events[] =
    "{\"t\":100,\"ev\":\"device_read\",\"device\":\"d\",\"provider\":\"p\",\"vmo\":\"v\","
    "\"offset\":0,\"len\":4096,\"queued_ns\":0,\"service_ns\":1500}\n"
    "{\"t\":500,\"ev\":\"device_read\",\"device\":\"d\",\"provider\":\"p\",\"vmo\":\"v\","
    "\"offset\":0,\"len\":4096,\"queued_ns\":300,\"service_ns\":400}\n"
    "{\"t\":600,\"ev\":\"device_read\",\"device\":\"x\",\"provider\":\"p\",\"vmo\":\"v\","
    "\"offset\":0,\"len\":4096,\"queued_ns\":0,\"service_ns\":400}\n"
    "{\"t\":1500,\"ev\":\"supply\",\"vmo\":\"v\",\"offset\":0,\"len\":12288,\"by\":\"p/w0\","
    "\"resident\":3}\n"
    "{\"t\":2000,\"ev\":\"reclaim\",\"by\":\"reclaimer\",\"vmo\":\"v\",\"pages\":2,"
    "\"resident\":1}\n"
    "{\"t\":2500,\"ev\":\"device_read\",\"device\":\"d\",\"provider\":\"p\",\"vmo\":\"v\","
    "\"offset\":0,\"len\":4096,\"queued_ns\":200,\"service_ns\":2000}\n";

static RepTimeline *fold_res(void) {
    RepTimeline *tl = rep_timeline_new(0, 1000, 1);
    g_assert_cmpuint(rep_timeline_add_device(tl, "d", 2), ==, 0);
    rep_timeline_set_memory(tl, TRUE);
    rep_timeline_set_horizon(tl, 3500);
    feed_and_finish(tl, res_events, 3500);
    return tl;
}

/* Checks interval @i of device 0: reads, and busy/in-service/queued ns over @span. */
static void check_io(const RepTimeline *tl, guint i, uint64_t reads, double busy, double service,
                     double queued, double span) {
    RepTimelineDeviceIo io = rep_timeline_device_io(tl, 0, i);
    g_assert_cmpuint(io.reads, ==, reads);
    g_assert_cmpfloat_with_epsilon(io.busy, busy / span, 1e-12);
    g_assert_cmpfloat_with_epsilon(io.in_service, service / span, 1e-12);
    g_assert_cmpfloat_with_epsilon(io.queued, queued / span, 1e-12);
}

static void check_resident(const RepTimeline *tl, guint i, gboolean known, double mean,
                           double max) {
    RepTimelineGauge g = rep_timeline_gauge(tl, REP_TL_RESIDENT, i);
    g_assert_cmpint(g.known, ==, known);
    if (known) {
        g_assert_cmpfloat_with_epsilon(g.mean, mean, 1e-12);
        g_assert_cmpfloat(g.max, ==, max);
    }
}

/* By hand: service [100,1600) and [800,1200), queued [500,800); then queued
 * [2500,2700) and service [2700,3500) (clipped). The union in service is
 * [100,1600) + [2700,3500). Resident 3 over [1500,2000), then 1. */
static void check_res(const RepTimeline *tl) {
    g_assert_cmpuint(rep_timeline_n(tl), ==, 4);
    g_assert_cmpuint(rep_timeline_n_devices(tl), ==, 1);
    g_assert_cmpstr(rep_timeline_device(tl, 0), ==, "d");
    g_assert_cmpuint(rep_timeline_device_depth(tl, 0), ==, 2);
    check_io(tl, 0, 2, 900, 900 + 200, 300, 1000);
    check_io(tl, 1, 0, 600, 600 + 200, 0, 1000);
    check_io(tl, 2, 1, 300, 300, 200, 1000);
    check_io(tl, 3, 0, 500, 500, 0, 500); /* the partial last interval: 500 ns */
    check_resident(tl, 0, FALSE, 0, 0);
    check_resident(tl, 1, TRUE, 3, 3);
    check_resident(tl, 2, TRUE, 1, 1);
    check_resident(tl, 3, TRUE, 1, 1);
    g_assert_cmpuint(rep_timeline_reclaimed(tl, 1), ==, 0);
    g_assert_cmpuint(rep_timeline_reclaimed(tl, 2), ==, 2);
}

static void test_devices_and_memory(void) {
    g_autoptr(RepTimeline) tl = fold_res();
    check_res(tl);
    /* timeline.tsv keeps them exactly. */
    g_autofree char *path = NULL;
    int fd = g_file_open_tmp("timeline-XXXXXX.tsv", &path, NULL);
    g_assert_cmpint(fd, >=, 0);
    FILE *f = fdopen(fd, "w");
    g_assert_true(rep_timeline_write(tl, f, NULL));
    fclose(f);
    g_autoptr(GError) err = NULL;
    g_autoptr(RepTimeline) back = rep_timeline_read(path, &err);
    g_assert_no_error(err);
    g_assert_true(rep_timeline_has_memory(back));
    check_res(back);
    remove(path);
}

/* Re-binning by 2: [0,2000) and the partial [2000,3500). */
static void test_rebin(void) {
    g_autoptr(RepTimeline) tl = fold_res();
    rep_timeline_rebin(tl, 2);
    g_assert_cmpuint(rep_timeline_n(tl), ==, 2);
    g_assert_cmpuint(rep_timeline_interval(tl), ==, 2000);
    g_assert_cmpuint(rep_timeline_span(tl, 1), ==, 1500);
    check_io(tl, 0, 2, 1500, 1900, 300, 2000);
    check_io(tl, 1, 1, 800, 800, 200, 1500);
    check_resident(tl, 0, TRUE, 3, 3);
    check_resident(tl, 1, TRUE, 1, 1);
    g_assert_cmpuint(rep_timeline_reclaimed(tl, 1), ==, 2);
    /* The fault timeline of fold(): 10 intervals of 1000 ns by 5. */
    g_autoptr(RepTimeline) faults = fold();
    rep_timeline_rebin(faults, 5);
    g_assert_cmpuint(rep_timeline_n(faults), ==, 2);
    g_assert_cmpuint(rep_timeline_latency(faults, 0)->count, ==, 2);
    g_assert_cmpuint(rep_timeline_latency(faults, 0)->max, ==, 2000);
    g_assert_cmpuint(rep_timeline_failed(faults, 0), ==, 1);
    /* A waits over [100, 2100): 2000 ns of 5000. */
    g_assert_cmpfloat_with_epsilon(rep_timeline_gauge(faults, REP_TL_WAITING, 0).mean, 0.4, 1e-12);
    /* p/w0 serves over [100, 2500): 2400 ns of 5000; q/w0 from 5000 to the end. */
    g_assert_cmpfloat_with_epsilon(rep_timeline_busy(faults, 0, 0), 0.48, 1e-12);
    g_assert_cmpfloat_with_epsilon(rep_timeline_busy(faults, 1, 1), 1.0, 1e-12);
}

static char *dump(gboolean (*fn)(const RepTimeline *, RepUnit, RepUnit, FILE *, GError **),
                  const RepTimeline *tl) {
    FILE *f = tmpfile();
    RepUnit us = {1e3, "µs"};
    g_assert_true(fn(tl, us, us, f, NULL));
    long n = ftell(f);
    rewind(f);
    char *s = g_malloc0((gsize)n + 1);
    g_assert_cmpuint(fread(s, 1, (size_t)n, f), ==, (size_t)n);
    fclose(f);
    return s;
}

static void test_timeline_files(void) {
    g_autoptr(RepTimeline) tl = fold();
    g_autofree char *text = dump(rep_plot_write_timeline, tl);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    g_assert_cmpuint(g_strv_length(lines), ==, 3 + 10 + 1);
    g_assert_true(g_str_has_prefix(lines[3], "0\t0.5\t0\t0\t0\tNaN\tNaN\tNaN\t0.9\t1\t1\t1"));
    g_assert_true(g_str_has_prefix(lines[5], "2\t2.5\t2\t1\t1\t"));
    g_autofree char *heat = dump(rep_plot_write_heatmap, tl);
    g_auto(GStrv) cells = g_strsplit(heat, "\n", -1);
    g_assert_cmpuint(g_strv_length(cells), ==, 3 + 2 + 1); /* two faults, two bins */
    FILE *f = tmpfile();
    guint cols = 0;
    RepUnit ms = {1e6, "ms"};
    g_assert_true(rep_plot_write_utilization(tl, ms, f, &cols, NULL));
    g_assert_cmpuint(cols, ==, 2);
    rewind(f);
    char line[256];
    g_assert_nonnull(fgets(line, sizeof line, f));
    g_assert_nonnull(fgets(line, sizeof line, f));
    g_assert_nonnull(fgets(line, sizeof line, f));
    g_assert_cmpstr(line, ==, "start\tmid\tp: 2 workers\tq: 1 worker\n");
    fclose(f);
}

static void test_bins_and_units(void) {
    /* 2^(k/8) edges: 1024 ns is bin 80, 1023 ns (just below) is bin 79. */
    g_assert_cmpint(rep_plot_log_bin(1024, 1032), ==, 80);
    g_assert_cmpint(rep_plot_log_bin(1016, 1024), ==, 79);
    g_assert_cmpint(rep_plot_log_bin(1, 2), ==, 4); /* sqrt(2): half an octave */
    g_assert_cmpstr(rep_plot_latency_unit(97000).label, ==, "µs");
    g_assert_cmpstr(rep_plot_latency_unit(12000000).label, ==, "ms");
    g_assert_cmpstr(rep_plot_time_unit(1000000000).label, ==, "ms");
    g_assert_cmpstr(rep_plot_time_unit(10000000000).label, ==, "s");
    g_assert_cmpstr(rep_plot_time_unit(500).label, ==, "ns");
}

static void test_cdf_and_histogram(void) {
    g_autoptr(RepHistogram) h = rep_histogram_new();
    for (uint64_t v = 1000; v < 200000; v += 37)
        rep_histogram_record(h, v);
    RepUnit us = {1e3, "µs"};
    FILE *f = tmpfile();
    g_assert_true(rep_plot_write_cdf(h, us, f, NULL));
    rewind(f);
    char line[256];
    double x, y, px = 0, py = -1;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        g_assert_cmpint(sscanf(line, "%lf %lf", &x, &y), ==, 2);
        g_assert_cmpfloat(x, >=, px);
        g_assert_cmpfloat(y, >=, py);
        px = x, py = y;
    }
    g_assert_cmpfloat(py, ==, 1.0);
    fclose(f);
    f = tmpfile();
    g_assert_true(rep_plot_write_histogram(h, us, f, NULL));
    rewind(f);
    double total = 0, c, lo, hi, pct, dens;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        g_assert_cmpint(sscanf(line, "%lf %lf %lf %lf %lf %lf", &x, &lo, &hi, &c, &pct, &dens), ==,
                        6);
        g_assert_cmpfloat_with_epsilon(dens, pct / log10(hi / lo), 1e-4 * dens);
        total += c;
    }
    g_assert_cmpfloat(total, ==, (double)h->count);
    fclose(f);
}

/* Two samples decades apart: two bins with a blank line between them, so the
 * log-scale panel draws no line across the empty bins. */
static void test_histogram_gap(void) {
    g_autoptr(RepHistogram) h = rep_histogram_new();
    rep_histogram_record(h, 1000);
    rep_histogram_record(h, 100000);
    RepUnit us = {1e3, "µs"};
    g_autofree char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    g_assert_true(rep_plot_write_histogram(h, us, f, NULL));
    fclose(f);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    guint rows = 0, blanks = 0, blank_at = 0;
    for (guint i = 0; lines[i] && lines[i + 1]; i++) { /* the text ends with a newline */
        if (lines[i][0] == '#')
            continue;
        if (lines[i][0] == '\0')
            blanks++, blank_at = rows;
        else
            rows++;
    }
    g_assert_cmpuint(rows, ==, 2);
    g_assert_cmpuint(blanks, ==, 1);
    g_assert_cmpuint(blank_at, ==, 1);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rep/timeline/nice-interval", test_nice_interval);
    g_test_add_func("/rep/plot-data/histogram-gap", test_histogram_gap);
    g_test_add_func("/rep/timeline/latency-and-gauges", test_latency_and_gauges);
    g_test_add_func("/rep/timeline/busy", test_busy);
    g_test_add_func("/rep/timeline/windowed", test_windowed);
    g_test_add_func("/rep/timeline/devices-and-memory", test_devices_and_memory);
    g_test_add_func("/rep/timeline/rebin", test_rebin);
    g_test_add_func("/rep/plot-data/timeline-files", test_timeline_files);
    g_test_add_func("/rep/plot-data/bins-and-units", test_bins_and_units);
    g_test_add_func("/rep/plot-data/cdf-and-histogram", test_cdf_and_histogram);
    return g_test_run();
}
