/* Direct feeding of a timeline (rep-timeline-direct.h), whose gauges are added
 * up in integers within the current interval: a case worked by hand, and
 * random runs checked against the fold of the same events as native lines
 * (rep_timeline_feed, which adds in doubles), whose timeline.tsv must be the
 * same bytes, also with values and intervals too large for the integers. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sim/report/rep-timeline-direct.h"
#include "sim/report/rep-timeline-io.h"

/* A gauge's figures of interval @i as exact values: area = mean * known. */
static void assert_gauge(const RepTimeline *tl, RepTimelineSeries s, guint i, double area,
                         double known_ns, double max) {
    RepTimelineGauge g = rep_timeline_gauge(tl, s, i);
    g_assert_true(g.known);
    g_assert_cmpfloat(g.mean, ==, area / known_ns);
    g_assert_cmpfloat(g.max, ==, max);
}

/* Intervals of 1000 ns. Waiting: +1 at 100, +1 at 400, -1 at 1500; VMO 0
 * outstanding 1 at 100, 0 at 2500; VMO 1 outstanding 2 at 2200. End 3000. */
static void test_by_hand(void) {
    g_autoptr(RepTimeline) tl = rep_timeline_new(0, 1000, 1);
    rep_timeline_direct_init(tl, 2);
    rep_timeline_fault_done(tl, 50, 10, FALSE); /* interval 0 in use */
    rep_timeline_waiting_add(tl, 100, +1);
    rep_timeline_counters(tl, 100, 0, REP_TL_HAS_OUT, 1, 0, 0);
    rep_timeline_waiting_add(tl, 400, +1);
    rep_timeline_fault_done(tl, 1200, 10, FALSE);
    rep_timeline_waiting_add(tl, 1500, -1);
    rep_timeline_counters(tl, 2200, 1, REP_TL_HAS_OUT, 2, 0, 0);
    rep_timeline_counters(tl, 2500, 0, REP_TL_HAS_OUT, 0, 0, 0);
    rep_timeline_finish(tl, 3000);
    g_assert_cmpuint(rep_timeline_n(tl), ==, 3);
    /* waiting: 0 on [0,100), 1 on [100,400), 2 on [400,1500), 1 after */
    assert_gauge(tl, REP_TL_WAITING, 0, 1 * 300 + 2 * 600, 1000, 2);
    assert_gauge(tl, REP_TL_WAITING, 1, 2 * 500 + 1 * 500, 1000, 2);
    assert_gauge(tl, REP_TL_WAITING, 2, 1 * 1000, 1000, 1);
    /* outstanding, known from 100: 1 until 2200, 3 until 2500, then 2 */
    assert_gauge(tl, REP_TL_OUTSTANDING, 0, 1 * 900, 900, 1);
    assert_gauge(tl, REP_TL_OUTSTANDING, 1, 1 * 1000, 1000, 1);
    assert_gauge(tl, REP_TL_OUTSTANDING, 2, 1 * 200 + 3 * 300 + 2 * 500, 1000, 3);
    g_assert_false(rep_timeline_gauge(tl, REP_TL_PORT, 0).known);
}

/* Intervals of 1000 ns, one provider of one worker. Interval 0 is made active
 * at 100 and keeps the waiting count (1, then 2) in its gauge; a fault at 2500
 * makes intervals up to 2 exist, moving the busy figures while 0 is still
 * active; the worker's service [300, 700) is credited there; a huge
 * outstanding count at 800 ends the active interval, whose waiting count (2)
 * the two waits that end at 900 and 1500 go on from; end 3000. */
static void test_kept_waiting_and_busy(void) {
    g_autoptr(RepTimeline) tl = rep_timeline_new(0, 1000, 1);
    rep_timeline_add_provider(tl, "p", 1);
    rep_timeline_direct_init(tl, 1);
    rep_timeline_fault_done(tl, 50, 10, FALSE); /* interval 0 in use */
    rep_timeline_waiting_add(tl, 100, +1);
    rep_timeline_waiting_add(tl, 200, +1);
    rep_timeline_dequeue(tl, 300, 0, 0, TRUE);
    rep_timeline_fault_done(tl, 600, 20, TRUE);
    rep_timeline_fault_done(tl, 2500, 30, FALSE); /* intervals 1 and 2 made */
    rep_timeline_served(tl, 700, 0, 0);
    rep_timeline_counters(tl, 800, 0, REP_TL_HAS_OUT, (uint64_t)1 << 60, 0, 0);
    rep_timeline_counters(tl, 850, 0, REP_TL_HAS_OUT, 0, 0, 0);
    rep_timeline_waiting_add(tl, 900, -1);
    rep_timeline_waiting_add(tl, 1500, -1);
    rep_timeline_finish(tl, 3000);
    g_assert_cmpuint(rep_timeline_n(tl), ==, 3);
    /* waiting: 0 on [0,100), 1 on [100,200), 2 on [200,900), 1 on [900,1500) */
    assert_gauge(tl, REP_TL_WAITING, 0, 1 * 100 + 2 * 700 + 1 * 100, 1000, 2);
    assert_gauge(tl, REP_TL_WAITING, 1, 1 * 500, 1000, 1);
    assert_gauge(tl, REP_TL_WAITING, 2, 0, 1000, 0);
    g_assert_cmpfloat(rep_timeline_busy(tl, 0, 0), ==, 400.0 / 1000);
    g_assert_cmpfloat(rep_timeline_busy(tl, 0, 1), ==, 0);
    g_assert_cmpuint(rep_timeline_latency(tl, 0)->count, ==, 2);
    g_assert_cmpuint(rep_timeline_latency(tl, 0)->max, ==, 20);
    g_assert_cmpuint(rep_timeline_failed(tl, 0), ==, 1);
    g_assert_cmpuint(rep_timeline_latency(tl, 1)->count, ==, 0);
    g_assert_cmpuint(rep_timeline_latency(tl, 2)->count, ==, 1);
}

/* One random run fed both ways: @direct directly, @fold through native lines
 * written to @lines. */
typedef struct {
    RepTimeline *direct, *fold;
    GString *lines;
    uint64_t t;
    int waiting;
    guint next_thread, first_waiting; /* threads [first_waiting, next_thread) wait */
    GRand *rand;
    guint n_vmos;               /* 1 (the path of one VMO) or 2 */
    RepTimelineWorker *refs[2]; /* direct's workers of p0 (rep_timeline_worker_ref) */
} Run;

/* A count, now and then one too large for the integers (or near it). */
static uint64_t some_count(GRand *r) {
    switch (g_rand_int_range(r, 0, 20)) {
        case 0:
            return (uint64_t)1 << g_rand_int_range(r, 40, 63);
        case 1:
            return ((uint64_t)1 << 52) / 1000 + (uint64_t)g_rand_int_range(r, -2, 3);
        default:
            return (uint64_t)g_rand_int_range(r, 0, 6);
    }
}

/* A dequeue (@dequeue; a READ or a COMPLETE) or served line of a random
 * worker of provider p0 (2 workers), and its port. */
static void worker_line(Run *run, gboolean dequeue) {
    GRand *r = run->rand;
    guint wk = (guint)g_rand_int_range(r, 0, 2);
    if (dequeue) {
        gboolean read = g_rand_int_range(r, 0, 4) != 0;
        uint64_t port = (uint64_t)g_rand_int_range(r, 0, 4);
        if (g_rand_boolean(r)) /* by index, or through the worker's ref */
            rep_timeline_dequeue(run->direct, run->t, 0, wk, read);
        else
            rep_timeline_dequeue_at(run->direct, run->refs[wk], run->t, 0, wk, read);
        rep_timeline_counters(run->direct, run->t, 0, REP_TL_HAS_PORT, 0, port, 0);
        g_string_append_printf(run->lines,
                               "{\"t\":%" G_GUINT64_FORMAT ",\"ev\":\"dequeue\",\"provider\":"
                               "\"p0\",\"by\":\"w%u\",\"vmo\":\"v0\",\"cmd\":\"%s\","
                               "\"offset\":0,\"len\":4096,\"port\":%" G_GUINT64_FORMAT "}\n",
                               run->t, wk, read ? "READ" : "COMPLETE", port);
    } else {
        if (g_rand_boolean(r))
            rep_timeline_served(run->direct, run->t, 0, wk);
        else
            rep_timeline_served_at(run->direct, run->refs[wk], run->t, 0, wk);
        g_string_append_printf(run->lines,
                               "{\"t\":%" G_GUINT64_FORMAT ",\"ev\":\"served\",\"provider\":"
                               "\"p0\",\"by\":\"w%u\",\"vmo\":\"v0\",\"offset\":0,"
                               "\"len\":4096,\"status\":\"ZX_OK\"}\n",
                               run->t, wk);
    }
}

static void step(Run *run) {
    GRand *r = run->rand;
    switch (g_rand_int_range(r, 0, 8)) { /* how far time moves */
        case 0:
            break; /* the same time */
        case 1:
            run->t += (uint64_t)g_rand_int_range(r, 1, 20000); /* often another interval */
            break;
        case 2:
            if (g_rand_int_range(r, 0, 50) == 0)
                run->t += (uint64_t)1 << g_rand_int_range(r, 40, 54); /* a long quiet */
            break;
        default:
            run->t += (uint64_t)g_rand_int_range(r, 1, 300);
    }
    int what = g_rand_int_range(r, 0, 7);
    /* (worker lines only while busy sums stay exact, below 2^53: beyond, the
     * fold's named workers and the direct ones are ended by finish in another
     * order, and the doubles may differ in the last place) */
    if (what >= 5 && run->t < ((uint64_t)1 << 40)) {
        worker_line(run, what == 5);
        return;
    }
    if (what >= 5)
        return;
    if (what == 0 || (what == 1 && run->waiting == 0)) {
        rep_timeline_waiting_add(run->direct, run->t, +1);
        g_string_append_printf(run->lines,
                               "{\"t\":%" G_GUINT64_FORMAT ",\"ev\":\"coalesce\",\"thread\":"
                               "\"T%u\",\"vmo\":\"v0\",\"offset\":0,\"len\":4096}\n",
                               run->t, run->next_thread++);
        run->waiting++;
    } else if (what == 1) {
        rep_timeline_waiting_add(run->direct, run->t, -1);
        g_string_append_printf(run->lines,
                               "{\"t\":%" G_GUINT64_FORMAT ",\"ev\":\"wake\",\"thread\":\"T%u\","
                               "\"status\":\"ZX_OK\"}\n",
                               run->t, run->first_waiting++);
        run->waiting--;
    } else if (what == 2) {
        uint64_t latency = (uint64_t)g_rand_int_range(r, 0, 100000);
        gboolean failed = g_rand_int_range(r, 0, 4) == 0;
        rep_timeline_fault_done(run->direct, run->t, latency, failed);
        g_string_append_printf(
            run->lines,
            "{\"t\":%" G_GUINT64_FORMAT ",\"ev\":\"done\",\"thread\":\"X\","
            "\"kind\":\"fault\",\"status\":\"%s\",\"latency_ns\":%" G_GUINT64_FORMAT
            ",\"fault\":1}\n",
            run->t, failed ? "ZX_ERR_IO" : "ZX_OK", latency);
    } else {
        guint vmo = (guint)g_rand_int_range(r, 0, (gint32)run->n_vmos);
        guint mask = (guint)g_rand_int_range(r, 1, 8);
        uint64_t v[3] = {some_count(r), some_count(r), some_count(r)};
        rep_timeline_counters(run->direct, run->t, vmo, mask, v[0], v[1], v[2]);
        g_string_append_printf(run->lines,
                               "{\"t\":%" G_GUINT64_FORMAT ",\"ev\":\"supply\",\"vmo\":\"v%u\","
                               "\"offset\":0,\"len\":4096",
                               run->t, vmo);
        static const char *const keys[] = {"outstanding", "port", "resident"};
        for (int k = 0; k < 3; k++)
            if (mask & (1u << k))
                g_string_append_printf(run->lines, ",\"%s\":%" G_GUINT64_FORMAT, keys[k], v[k]);
        g_string_append(run->lines, "}\n");
    }
}

/* timeline.tsv of @tl. */
static char *written(const RepTimeline *tl) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    g_assert_true(rep_timeline_write(tl, f, NULL));
    fclose(f);
    return buf;
}

static RepTimeline *new_timeline(uint64_t interval, gboolean memory) {
    RepTimeline *tl = rep_timeline_new(0, interval, 1);
    rep_timeline_set_max(tl, 6); /* coarsens often */
    rep_timeline_set_memory(tl, memory);
    rep_timeline_add_provider(tl, "p0", 2);
    return tl;
}

static void random_run(guint32 seed) {
    Run run = {.rand = g_rand_new_with_seed(seed), .lines = g_string_new(NULL)};
    uint64_t interval = g_rand_boolean(run.rand) ? 1 : 1000;
    gboolean memory = g_rand_boolean(run.rand);
    run.direct = new_timeline(interval, memory);
    run.fold = new_timeline(interval, memory);
    run.n_vmos = (guint)g_rand_int_range(run.rand, 1, 3);
    rep_timeline_direct_init(run.direct, run.n_vmos);
    for (guint wk = 0; wk < 2; wk++)
        run.refs[wk] = rep_timeline_worker_ref(run.direct, 0, wk);
    int n = g_rand_int_range(run.rand, 1, 400);
    for (int k = 0; k < n; k++)
        step(&run);
    FILE *f = fmemopen(run.lines->str, run.lines->len, "r");
    g_assert_true(rep_event_read_stream(f, "lines", rep_timeline_feed, run.fold, NULL));
    fclose(f);
    uint64_t end = run.t + (uint64_t)g_rand_int_range(run.rand, 0, 5000);
    rep_timeline_finish(run.direct, end);
    rep_timeline_finish(run.fold, end);
    g_autofree char *a = written(run.direct), *b = written(run.fold);
    if (strcmp(a, b) != 0)
        g_test_message("seed %u differs:\n%s\n--- fold:\n%s", seed, a, b);
    g_assert_cmpstr(a, ==, b);
    rep_timeline_free(run.direct);
    rep_timeline_free(run.fold);
    g_string_free(run.lines, TRUE);
    g_rand_free(run.rand);
}

static void test_random_against_fold(void) {
    for (guint32 seed = 1; seed <= 3000; seed++)
        random_run(seed);
}

/* Faults' latencies kept per interval (paged histograms), across coarsening and
 * through timeline.tsv and back, against one RepHistogram per final interval
 * recorded independently. Latencies are whole ns below 2^40, so every sum is
 * exact in a double whatever the order of the additions. */
static void check_latencies(const RepTimeline *tl, RepHistogram **ref) {
    for (guint i = 0; i < rep_timeline_n(tl); i++) {
        const RepHistogram *h = rep_timeline_latency(tl, i);
        g_assert_cmpmem(h->counts, sizeof h->counts, ref[i]->counts, sizeof ref[i]->counts);
        g_assert_cmpuint(h->count, ==, ref[i]->count);
        g_assert_cmpuint(h->min, ==, ref[i]->min);
        g_assert_cmpuint(h->max, ==, ref[i]->max);
        g_assert_cmpfloat(h->sum, ==, ref[i]->sum);
    }
}

static void test_latency_pages(void) {
    GRand *r = g_rand_new_with_seed(1414);
    enum { FAULTS = 20000 };
    static uint64_t t[FAULTS], lat[FAULTS];
    g_autoptr(RepTimeline) tl = rep_timeline_new(0, 1000, 1);
    rep_timeline_set_max(tl, 8); /* 1000 ns -> 2000 -> 10000 -> 20000 ... */
    rep_timeline_direct_init(tl, 1);
    for (int k = 0; k < FAULTS; k++) {
        t[k] = (uint64_t)k * 7 + (uint64_t)g_rand_int_range(r, 0, 7);
        lat[k] = (uint64_t)g_rand_int(r) >> g_rand_int_range(r, 0, 32);
        lat[k] <<= g_rand_int_range(r, 0, 9);
        rep_timeline_fault_done(tl, t[k], lat[k], FALSE);
    }
    rep_timeline_finish(tl, (uint64_t)FAULTS * 7);
    guint n = rep_timeline_n(tl);
    uint64_t interval = rep_timeline_interval(tl);
    g_assert_cmpuint(interval, ==, 20000); /* 140000 ns in at most 8 intervals */
    g_assert_cmpuint(n, ==, 7);
    RepHistogram *ref[7];
    for (guint i = 0; i < n; i++)
        ref[i] = rep_histogram_new();
    for (int k = 0; k < FAULTS; k++)
        rep_histogram_record(ref[t[k] / interval], lat[k]);
    check_latencies(tl, ref);
    g_autofree char *path = NULL;
    int fd = g_file_open_tmp("timeline-XXXXXX.tsv", &path, NULL);
    g_assert_cmpint(fd, >=, 0);
    g_autofree char *text = written(tl);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    close(fd);
    g_autoptr(GError) err = NULL;
    g_autoptr(RepTimeline) back = rep_timeline_read(path, &err);
    g_assert_no_error(err);
    check_latencies(back, ref);
    g_autofree char *again = written(back);
    g_assert_cmpstr(again, ==, text);
    remove(path);
    for (guint i = 0; i < n; i++)
        rep_histogram_free(ref[i]);
    g_rand_free(r);
}

/* The bucket lines of timeline.tsv, worked by hand: 130 ns is bucket 130
 * (page 1, below 256 a bucket is a ns), 5000 and 5001 ns are bucket
 * 5 * 128 + (5000 >> 5) = 796 (page 6); pages 2 to 5 are never made. */
static void test_bucket_lines(void) {
    g_autoptr(RepTimeline) tl = rep_timeline_new(0, 1000, 1);
    rep_timeline_direct_init(tl, 1);
    rep_timeline_fault_done(tl, 10, 5000, FALSE);
    rep_timeline_fault_done(tl, 20, 130, FALSE);
    rep_timeline_fault_done(tl, 30, 5001, FALSE);
    rep_timeline_finish(tl, 1000);
    g_autofree char *text = written(tl);
    const char *at = strstr(text, "bucket\t");
    g_assert_nonnull(at);
    g_assert_cmpstr(at, ==, "bucket\t0\t130\t1\nbucket\t0\t796\t2\n");
}

/* Intervals of 1000 ns, one worker. A wait that begins at 1500 makes interval
 * 1 exist and its end at 1600 makes it active; the service [900, 1800) ends in
 * it, begun in interval 0: 100 ns busy there, 800 ns in 1. The service [1900,
 * 3200) spans three intervals: 100, 1000 and 200 ns. End 4000. */
static void test_service_across(void) {
    g_autoptr(RepTimeline) tl = rep_timeline_new(0, 1000, 1);
    rep_timeline_add_provider(tl, "p", 1);
    rep_timeline_direct_init(tl, 1);
    rep_timeline_dequeue(tl, 900, 0, 0, TRUE);
    rep_timeline_waiting_add(tl, 1500, +1);
    rep_timeline_waiting_add(tl, 1600, -1);
    rep_timeline_served(tl, 1800, 0, 0);
    rep_timeline_dequeue(tl, 1900, 0, 0, TRUE);
    rep_timeline_waiting_add(tl, 3100, +1);
    rep_timeline_waiting_add(tl, 3150, -1);
    rep_timeline_served(tl, 3200, 0, 0);
    rep_timeline_finish(tl, 4000);
    g_assert_cmpuint(rep_timeline_n(tl), ==, 4);
    g_assert_cmpfloat(rep_timeline_busy(tl, 0, 0), ==, 100.0 / 1000);
    g_assert_cmpfloat(rep_timeline_busy(tl, 0, 1), ==, (800.0 + 100) / 1000);
    g_assert_cmpfloat(rep_timeline_busy(tl, 0, 2), ==, 1000.0 / 1000);
    g_assert_cmpfloat(rep_timeline_busy(tl, 0, 3), ==, 200.0 / 1000);
}

/* The active interval's staged bucket counts (rep_timeline__stage), by hand:
 * 5000 and 5001 ns are bucket 796; its staged count is set to 2^32 - 1 (as
 * after that many samples), so the next one wraps it to 0 and carries 2^32
 * into the interval's histogram, and one more stages 1 again; 2^43 ns is
 * clamped (top bucket, recorded into the histogram directly); 130 ns is
 * bucket 130. The flush at finish folds the stage in and leaves it zero. */
static void test_stage_carry(void) {
    g_autoptr(RepTimeline) tl = rep_timeline_new(0, 1000, 1);
    rep_timeline_direct_init(tl, 1);
    RepTimelineHot *hot = (RepTimelineHot *)tl;
    const uint64_t top = (uint64_t)1 << 43;
    rep_timeline_waiting_add(tl, 5, +1); /* interval 0 made active */
    g_assert_cmpuint(hot->hi, ==, 1000);
    rep_timeline_fault_done(tl, 10, 5000, FALSE);
    g_assert_cmpuint(hot->stage[796], ==, 1);
    g_assert_cmpuint(((const uint8_t *)(hot->stage + REP_HIST_BUCKETS))[796 / 16], ==, 1);
    hot->stage[796] = UINT32_MAX;
    rep_timeline_fault_done(tl, 20, 5001, FALSE);
    g_assert_cmpuint(hot->stage[796], ==, 0);
    rep_timeline_fault_done(tl, 30, 5000, FALSE);
    rep_timeline_fault_done(tl, 40, top, TRUE);
    rep_timeline_fault_done(tl, 50, 130, FALSE);
    rep_timeline_finish(tl, 1000);
    const RepHistogram *h = rep_timeline_latency(tl, 0);
    g_assert_cmpuint(h->counts[796], ==, ((uint64_t)1 << 32) + 1);
    g_assert_cmpuint(h->counts[130], ==, 1);
    g_assert_cmpuint(h->counts[REP_HIST_BUCKETS - 1], ==, 1);
    g_assert_cmpuint(h->count, ==, 5);
    g_assert_cmpuint(h->clamped, ==, 1);
    g_assert_cmpuint(h->min, ==, 130);
    g_assert_cmpuint(h->max, ==, top);
    g_assert_cmpfloat(h->sum, ==, 5000.0 + 5001 + 5000 + (double)top + 130);
    g_assert_cmpuint(rep_timeline_failed(tl, 0), ==, 1);
    g_autofree char *text = written(tl); /* the wide count written whole */
    g_assert_nonnull(strstr(text, "\nbucket\t0\t796\t4294967297\n"));
    for (size_t b = 0; b < REP_HIST_BUCKETS; b++)
        g_assert_cmpuint(hot->stage[b], ==, 0);
    const uint8_t *map = (const uint8_t *)(hot->stage + REP_HIST_BUCKETS);
    for (size_t l = 0; l < REP_TL_STAGE_LINES; l++)
        g_assert_cmpuint(map[l], ==, 0);
}

/* A staged count that wraps with nothing left to fold: bucket 796's staged
 * count is set to 2^32 - 1 and one sample of 5000 ns wraps it to 0, carrying
 * 2^32 into the interval's histogram before it has the low page for it; the
 * flush skips the zero and the 2^32 must still be in the histogram and in
 * timeline.tsv. */
static void test_stage_carry_alone(void) {
    g_autoptr(RepTimeline) tl = rep_timeline_new(0, 1000, 1);
    rep_timeline_direct_init(tl, 1);
    RepTimelineHot *hot = (RepTimelineHot *)tl;
    rep_timeline_waiting_add(tl, 5, +1); /* interval 0 made active */
    g_assert_cmpuint(hot->hi, ==, 1000);
    hot->stage[796] = UINT32_MAX;
    rep_timeline_fault_done(tl, 10, 5000, FALSE);
    g_assert_cmpuint(hot->stage[796], ==, 0);
    rep_timeline_finish(tl, 1000);
    const RepHistogram *h = rep_timeline_latency(tl, 0);
    g_assert_cmpuint(h->counts[796], ==, (uint64_t)1 << 32);
    g_assert_cmpuint(h->count, ==, 1);
    g_assert_cmpuint(h->min, ==, 5000);
    g_assert_cmpuint(h->max, ==, 5000);
    g_autofree char *text = written(tl);
    g_assert_nonnull(strstr(text, "\nbucket\t0\t796\t4294967296\n"));
}

/* Invariant 7 of rep-timeline-direct.c: an interval is made active only while
 * workers x its length stays below 2^53 (the busy figure is added up in
 * integers). Intervals of 2^51 ns: with 3 workers (3 x 2^51 < 2^53) interval
 * 0 becomes active; with 4 (exactly 2^53) it does not, and the busy time is
 * credited by the fold's path: the same 100 + (2^51 - 200) ns of interval 0. */
static void test_busy_bound(void) {
    const uint64_t len = (uint64_t)1 << 51;
    for (guint workers = 3; workers <= 4; workers++) {
        g_autoptr(RepTimeline) tl = rep_timeline_new(0, len, 1);
        rep_timeline_add_provider(tl, "p", workers);
        rep_timeline_direct_init(tl, 1);
        rep_timeline_waiting_add(tl, 5, +1);
        g_assert_cmpuint(((RepTimelineHot *)tl)->hi, ==, workers == 3 ? len : 0);
        rep_timeline_dequeue(tl, 10, 0, 0, TRUE);
        rep_timeline_served(tl, 110, 0, 0);
        rep_timeline_dequeue(tl, 200, 0, 1, TRUE);
        rep_timeline_served(tl, len, 0, 1); /* to the interval's end */
        rep_timeline_finish(tl, len);
        g_assert_cmpfloat(rep_timeline_busy(tl, 0, 0), ==, (double)(len - 200 + 100) / (double)len);
    }
}

/* A provider added while an interval is active ends it (invariant 7 is
 * checked when one becomes active): intervals of 2^51 ns, a provider of 3
 * workers lets interval 0 become active; one of 4 added then ends it, and it
 * does not become active again; the new provider's service [10, 110) is
 * credited by the fold's path. */
static void test_provider_added_while_active(void) {
    const uint64_t len = (uint64_t)1 << 51;
    g_autoptr(RepTimeline) tl = rep_timeline_new(0, len, 1);
    rep_timeline_add_provider(tl, "p", 3);
    rep_timeline_direct_init(tl, 1);
    rep_timeline_waiting_add(tl, 5, +1);
    g_assert_cmpuint(((RepTimelineHot *)tl)->hi, ==, len);
    g_assert_cmpuint(rep_timeline_add_provider(tl, "q", 4), ==, 1);
    g_assert_cmpuint(((RepTimelineHot *)tl)->hi, ==, 0);
    rep_timeline_dequeue(tl, 10, 1, 0, TRUE);
    g_assert_cmpuint(((RepTimelineHot *)tl)->hi, ==, 0);
    rep_timeline_served(tl, 110, 1, 0);
    rep_timeline_finish(tl, len);
    g_assert_cmpfloat(rep_timeline_busy(tl, 1, 0), ==, 100.0 / (double)len);
    g_assert_cmpfloat(rep_timeline_busy(tl, 0, 0), ==, 0.0);
}

/* A worker's ref (rep_timeline_worker_ref): NULL for a worker or provider
 * not declared; it holds when a later provider moves the providers' array.
 * Intervals of 1000 ns, made active at 100. Provider p (2 workers, through
 * refs): services [200, 700) and [300, 1000) (to the interval's end), each
 * pending in its worker's busy_ns while active, summed when it ends: 500 +
 * 700 = 1200 busy ns; a served call with a NULL ref (not declared) credits
 * nothing. Provider q (1 worker, by index): [400, 600), 200 ns. */
static void test_worker_refs(void) {
    g_autoptr(RepTimeline) tl = rep_timeline_new(0, 1000, 1);
    rep_timeline_add_provider(tl, "p", 2);
    RepTimelineWorker *w0 = rep_timeline_worker_ref(tl, 0, 0);
    RepTimelineWorker *w1 = rep_timeline_worker_ref(tl, 0, 1);
    g_assert_null(rep_timeline_worker_ref(tl, 0, 2));
    g_assert_null(rep_timeline_worker_ref(tl, 1, 0));
    rep_timeline_add_provider(tl, "q", 1); /* hot.provs moves */
    g_assert_true(rep_timeline_worker_ref(tl, 0, 1) == w1);
    rep_timeline_direct_init(tl, 1);
    rep_timeline_fault_done(tl, 50, 10, FALSE); /* interval 0 in use */
    rep_timeline_waiting_add(tl, 100, +1);
    g_assert_cmpuint(((RepTimelineHot *)tl)->hi, ==, 1000);
    rep_timeline_dequeue_at(tl, w0, 200, 0, 0, TRUE);
    rep_timeline_dequeue_at(tl, w1, 300, 0, 1, TRUE);
    rep_timeline_dequeue(tl, 400, 1, 0, TRUE);
    rep_timeline_served(tl, 600, 1, 0);
    rep_timeline_served_at(tl, w0, 700, 0, 0);
    rep_timeline_served_at(tl, NULL, 800, 0, 2);
    rep_timeline_served_at(tl, w1, 1000, 0, 1);
    g_assert_cmpuint(w0->busy_ns, ==, 500);
    g_assert_cmpuint(w1->busy_ns, ==, 700);
    g_assert_false(w0->serving || w1->serving);
    rep_timeline_finish(tl, 2000);
    g_assert_cmpuint(w0->busy_ns + w1->busy_ns, ==, 0);
    g_assert_cmpfloat(rep_timeline_busy(tl, 0, 0), ==, 1200.0 / 1000);
    g_assert_cmpfloat(rep_timeline_busy(tl, 1, 0), ==, 200.0 / 1000);
    g_assert_cmpfloat(rep_timeline_busy(tl, 0, 1), ==, 0);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rep-timeline-direct/by-hand", test_by_hand);
    g_test_add_func("/rep-timeline-direct/kept-waiting-and-busy", test_kept_waiting_and_busy);
    g_test_add_func("/rep-timeline-direct/random-against-fold", test_random_against_fold);
    g_test_add_func("/rep-timeline-direct/latency-pages", test_latency_pages);
    g_test_add_func("/rep-timeline-direct/bucket-lines", test_bucket_lines);
    g_test_add_func("/rep-timeline-direct/service-across", test_service_across);
    g_test_add_func("/rep-timeline-direct/stage-carry", test_stage_carry);
    g_test_add_func("/rep-timeline-direct/stage-carry-alone", test_stage_carry_alone);
    g_test_add_func("/rep-timeline-direct/busy-bound", test_busy_bound);
    g_test_add_func("/rep-timeline-direct/provider-added-while-active",
                    test_provider_added_while_active);
    g_test_add_func("/rep-timeline-direct/worker-refs", test_worker_refs);
    return g_test_run();
}
