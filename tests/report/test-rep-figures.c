/* The figures' hot path (rep_figures_record_access counting each access once,
 * in the cell of its workload and status, folded into the splits at the end):
 * cases worked by hand, the spill when the latency held reaches 2^53, and a
 * randomized check against recording every access into its splits one by one
 * (what the figures did before the cells), field by field and bit by bit. */
#include <string.h>

#include "sim/report/rep-figures-cells.h"
#include "sim/report/rep-figures.h"
#include "sim/report/rep-hist-paged.h"

/* Two pointers to the same text: statuses are compared by name. */
static const char OK[] = "ZX_OK";
static char ok_copy[] = "ZX_OK";
static const char IO[] = "ZX_ERR_IO";

/* The reference: the splits filled one access at a time. */
typedef struct {
    RepFigures f;
} Ref;

static void ref_split(RepSplit *s, gboolean ok, gboolean fault, uint64_t pages, uint64_t lat) {
    s->accesses++;
    s->pages += pages;
    rep_histogram_record(s->access_latency, lat);
    if (!fault)
        return;
    s->faults++;
    s->faults_failed += !ok;
    rep_histogram_record(s->latency, lat);
}

static void ref_record(RepFigures *f, guint wl, const char *status, gboolean ok, gboolean fault,
                       uint64_t pages, uint64_t lat, uint64_t now) {
    RepWorkloadFigures *w = &f->workloads[wl];
    w->finished++;
    w->last_done_ns = now;
    ref_split(rep_figures_status_split(f, status), ok, fault, pages, lat);
    ref_split(&w->split, ok, fault, pages, lat);
    for (guint i = 0; i < w->statuses->len; i++) {
        RepStatusCount *c = &g_array_index(w->statuses, RepStatusCount, i);
        if (strcmp(c->name, status) == 0) {
            c->count++;
            return;
        }
    }
    RepStatusCount c = {status, 1};
    g_array_append_val(w->statuses, c);
}

static void assert_hist_equal(const RepHistogram *a, const RepHistogram *b) {
    g_assert_cmpuint(a->count, ==, b->count);
    g_assert_cmpuint(a->clamped, ==, b->clamped);
    g_assert_cmpuint(a->min, ==, b->min);
    g_assert_cmpuint(a->max, ==, b->max);
    g_assert_true(memcmp(&a->sum, &b->sum, sizeof a->sum) == 0); /* bit for bit */
    g_assert_true(memcmp(a->counts, b->counts, sizeof a->counts) == 0);
}

static void assert_split_equal(const RepSplit *a, const RepSplit *b) {
    g_assert_cmpuint(a->accesses, ==, b->accesses);
    g_assert_cmpuint(a->faults, ==, b->faults);
    g_assert_cmpuint(a->faults_failed, ==, b->faults_failed);
    g_assert_cmpuint(a->pages, ==, b->pages);
    assert_hist_equal(a->latency, b->latency);
    assert_hist_equal(a->access_latency, b->access_latency);
}

static void assert_figures_equal(const RepFigures *a, const RepFigures *b) {
    assert_split_equal(&a->all, &b->all);
    g_assert_cmpuint(a->statuses->len, ==, b->statuses->len);
    for (guint i = 0; i < a->statuses->len; i++) {
        const RepStatusFigures *x = &g_array_index(a->statuses, RepStatusFigures, i);
        const RepStatusFigures *y = &g_array_index(b->statuses, RepStatusFigures, i);
        g_assert_cmpstr(x->name, ==, y->name);
        assert_split_equal(&x->split, &y->split);
    }
    for (guint k = 0; k < a->n_workloads; k++) {
        const RepWorkloadFigures *x = &a->workloads[k], *y = &b->workloads[k];
        g_assert_cmpuint(x->finished, ==, y->finished);
        g_assert_cmpuint(x->last_done_ns, ==, y->last_done_ns);
        assert_split_equal(&x->split, &y->split);
        g_assert_cmpuint(x->statuses->len, ==, y->statuses->len);
        for (guint i = 0; i < x->statuses->len; i++) {
            g_assert_cmpstr(g_array_index(x->statuses, RepStatusCount, i).name, ==,
                            g_array_index(y->statuses, RepStatusCount, i).name);
            g_assert_cmpuint(g_array_index(x->statuses, RepStatusCount, i).count, ==,
                             g_array_index(y->statuses, RepStatusCount, i).count);
        }
    }
}

/* Workload 0: a fault of 100 ns (ZX_OK, 2 pages), a hit of 3 ns (ZX_OK, 1 page,
 * through another pointer to "ZX_OK"), a failed fault of 1000 ns (ZX_ERR_IO, 1
 * page). Workload 1: a fault of 50 ns (ZX_OK, 4 pages). */
static void test_by_hand(void) {
    RepFigures f = {0};
    rep_figures_init(&f, 2, 0);
    rep_figures_record_access(&f, 0, OK, TRUE, TRUE, 2, 100, 10);
    rep_figures_record_access(&f, 0, ok_copy, TRUE, FALSE, 1, 3, 20);
    rep_figures_record_access(&f, 0, IO, FALSE, TRUE, 1, 1000, 30);
    rep_figures_record_access(&f, 1, OK, TRUE, TRUE, 4, 50, 40);
    rep_figures_finish(&f, 50, FALSE);
    g_assert_cmpuint(f.statuses->len, ==, 2); /* by name: ZX_ERR_IO, ZX_OK */
    const RepSplit *io = rep_figures_find_status(&f, "ZX_ERR_IO");
    const RepSplit *ok = rep_figures_find_status(&f, "ZX_OK");
    g_assert_cmpstr(g_array_index(f.statuses, RepStatusFigures, 0).name, ==, "ZX_ERR_IO");
    g_assert_cmpuint(io->accesses, ==, 1);
    g_assert_cmpuint(io->faults_failed, ==, 1);
    g_assert_cmpuint(io->latency->min, ==, 1000);
    g_assert_cmpuint(ok->accesses, ==, 3);
    g_assert_cmpuint(ok->faults, ==, 2);
    g_assert_cmpuint(ok->pages, ==, 7);
    g_assert_cmpuint(ok->latency->count, ==, 2);
    g_assert_cmpfloat(ok->latency->sum, ==, 150.0);
    g_assert_cmpuint(ok->access_latency->count, ==, 3);
    g_assert_cmpuint(ok->access_latency->min, ==, 3);
    g_assert_cmpuint(ok->access_latency->max, ==, 100);
    g_assert_cmpuint(ok->access_latency->counts[3], ==, 1);
    g_assert_cmpuint(ok->access_latency->counts[50], ==, 1);
    g_assert_cmpuint(ok->access_latency->counts[100], ==, 1);
    const RepSplit *w0 = &f.workloads[0].split;
    g_assert_cmpuint(w0->accesses, ==, 3);
    g_assert_cmpuint(w0->faults, ==, 2);
    g_assert_cmpuint(w0->faults_failed, ==, 1);
    g_assert_cmpfloat(w0->latency->sum, ==, 1100.0);
    g_assert_cmpfloat(w0->access_latency->sum, ==, 1103.0);
    g_assert_cmpuint(f.workloads[0].statuses->len, ==, 2);
    g_assert_cmpuint(g_array_index(f.workloads[0].statuses, RepStatusCount, 1).count, ==, 2);
    g_assert_cmpuint(f.workloads[0].last_done_ns, ==, 30);
    g_assert_cmpuint(f.all.accesses, ==, 4);
    g_assert_cmpfloat(f.all.access_latency->sum, ==, 1153.0);
    rep_figures_clear(&f);
}

/* 2^53 - 10, then 7 fit (3 ns of room left); 5 does not: the cells spill,
 * holding 2^53 - 3, and 5 is added to that double: 2^53 + 2, exact. Then 1 is
 * added one by one: 2^53 + 3 is halfway between doubles, rounded to even:
 * 2^53 + 4. A warm-up's end clears it all and the cells take over again. */
static void test_spill_by_hand(void) {
    const uint64_t two53 = (uint64_t)1 << 53;
    RepFigures f = {0};
    rep_figures_init(&f, 1, 0);
    rep_figures_record_access(&f, 0, OK, TRUE, TRUE, 1, two53 - 10, 1);
    rep_figures_record_access(&f, 0, OK, TRUE, TRUE, 1, 7, 2);
    g_assert_cmpuint(f.exact_room, ==, 3);
    rep_figures_record_access(&f, 0, OK, TRUE, TRUE, 1, 5, 3);
    g_assert_cmpuint(f.exact_room, ==, 0);
    g_assert_cmpfloat(f.workloads[0].split.latency->sum, ==, (double)(two53 + 2));
    rep_figures_record_access(&f, 0, OK, TRUE, TRUE, 1, 1, 4);
    rep_figures_finish(&f, 5, FALSE);
    g_assert_cmpfloat(f.workloads[0].split.latency->sum, ==, (double)(two53 + 4));
    g_assert_cmpuint(f.workloads[0].split.latency->count, ==, 4);
    g_assert_cmpuint(g_array_index(f.workloads[0].statuses, RepStatusCount, 0).count, ==, 4);
    rep_figures_start_window(&f, 6);
    g_assert_cmpuint(f.exact_room, ==, two53);
    rep_figures_record_access(&f, 0, OK, TRUE, TRUE, 1, 9, 7);
    rep_figures_finish(&f, 8, FALSE);
    g_assert_cmpuint(f.all.faults, ==, 1);
    g_assert_cmpfloat(f.all.latency->sum, ==, 9.0);
    rep_figures_clear(&f);
}

/* Random accesses of 3 workloads with 3 statuses (one reached through two
 * pointers), hits and faults, a warm-up's end midway, latencies either small or
 * (in @big runs) up to 2^50 so that the cells spill part way; the figures must
 * equal the reference's bit for bit. */
static void run_random(guint seed, gboolean big) {
    GRand *r = g_rand_new_with_seed(seed);
    RepFigures f = {0}, ref = {0};
    rep_figures_init(&f, 3, 0);
    rep_figures_init(&ref, 3, 0);
    const char *statuses[] = {OK, ok_copy, IO, "ZX_ERR_TIMED_OUT"};
    guint n = 20000;
    for (guint i = 0; i < n; i++) {
        if (i == n / 3) {
            rep_figures_start_window(&f, i);
            rep_figures_start_window(&ref, i);
        }
        guint wl = (guint)g_rand_int_range(r, 0, 3);
        const char *st = statuses[g_rand_int_range(r, 0, 4)];
        gboolean fault = g_rand_int_range(r, 0, 4) != 0;
        uint64_t lat = big && g_rand_int_range(r, 0, 8) == 0
                           ? (uint64_t)g_rand_double_range(r, 0, (double)((uint64_t)1 << 50))
                           : (uint64_t)g_rand_int_range(r, 0, 5000000);
        if (g_rand_int_range(r, 0, 1000) == 0) /* clamped: fits the cells only if small */
            lat = big ? UINT64_MAX : ((uint64_t)1 << 43) + (uint64_t)g_rand_int_range(r, 0, 100);
        uint64_t pages = (uint64_t)g_rand_int_range(r, 1, 9);
        gboolean ok = st != IO;
        rep_figures_record_access(&f, wl, st, ok, fault, pages, lat, i);
        ref_record(&ref, wl, st, ok, fault, pages, lat, i);
    }
    g_assert_true(big ? f.exact_room == 0 : f.exact_room > 0); /* spilled only if big */
    rep_figures_finish(&f, n, FALSE);
    rep_figures_finish(&ref, n, FALSE);
    assert_figures_equal(&f, &ref);
    rep_figures_clear(&f);
    rep_figures_clear(&ref);
    g_rand_free(r);
}

static void test_random_against_reference(void) {
    for (guint seed = 1; seed <= 6; seed++)
        run_random(seed, seed % 2 == 0);
}

/* A cell's 32-bit bucket counts (rep_figures__place32), by hand: 300 ns is
 * bucket 278 (128 + 300 / 2), whose count starts at 2^32 - 2, so the second
 * of three samples wraps it to 0 and carries 2^32 into the histogram's bucket;
 * 5 ns is bucket 5; 2^43 is clamped into the top bucket, 4735. The fold adds
 * the low parts (the buckets of min to max) and zeroes them. */
static void test_place32_carry(void) {
    g_autoptr(RepHistogram) h = rep_histogram_new();
    g_autofree uint32_t *lo = g_new0(uint32_t, REP_HIST_BUCKETS);
    const uint64_t top = (uint64_t)1 << 43;
    lo[278] = UINT32_MAX - 1;
    for (int k = 0; k < 3; k++)
        rep_figures__place32(lo, h, 300, rep_hist_paged__index(300));
    rep_figures__place32(lo, h, 5, rep_hist_paged__index(5));
    rep_figures__place32(lo, h, top, rep_hist_paged__index(top));
    g_assert_cmpuint(lo[278], ==, 1);
    g_assert_cmpuint(h->counts[278], ==, (uint64_t)1 << 32);
    g_assert_cmpuint(lo[5], ==, 1);
    g_assert_cmpuint(lo[4735], ==, 1);
    g_assert_cmpuint(h->clamped, ==, 1);
    g_assert_cmpuint(h->min, ==, 5);
    g_assert_cmpuint(h->max, ==, top);
    rep_figures__fold32(lo, h);
    g_assert_cmpuint(h->counts[278], ==, ((uint64_t)1 << 32) + 1);
    g_assert_cmpuint(h->counts[5], ==, 1);
    g_assert_cmpuint(h->counts[4735], ==, 1);
    uint64_t total = 0;
    for (size_t b = 0; b < REP_HIST_BUCKETS; b++) {
        g_assert_cmpuint(lo[b], ==, 0);
        total += h->counts[b];
    }
    g_assert_cmpuint(total, ==, ((uint64_t)1 << 32) + 3);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/report/figures/by-hand", test_by_hand);
    g_test_add_func("/report/figures/spill-by-hand", test_spill_by_hand);
    g_test_add_func("/report/figures/random-against-reference", test_random_against_reference);
    g_test_add_func("/report/figures/place32-carry", test_place32_carry);
    return g_test_run();
}
