/* test-sim-rng.c: named random streams. Known answers were computed with an
 * independent Python transcription of xoshiro256**, splitmix64 and FNV-1a. */
#include <glib.h>
#include <math.h>

#include "sim/engine/sim-rng.h"

static void test_known_answers(void) {
    SimRng rng = {.s = {1, 2, 3, 4}};
    static const uint64_t want[] = {0x2d00,
                                    0x0,
                                    0x5a007080,
                                    UINT64_C(0x10e0000000009d80),
                                    UINT64_C(0x10e0b61ce1009d80),
                                    UINT64_C(0x870021ce143ad00)};
    for (guint i = 0; i < G_N_ELEMENTS(want); i++)
        g_assert_cmphex(sim_rng_next_u64(&rng), ==, want[i]);
    g_assert_cmphex(sim_rng_hash_name(""), ==, UINT64_C(0xcbf29ce484222325));
    g_assert_cmphex(sim_rng_hash_name("a"), ==, UINT64_C(0xaf63dc4c8601ec8c));
    g_assert_cmphex(sim_rng_hash_name("foobar"), ==, UINT64_C(0x85944171f73967e8));
    /* Seeding: splitmix64(42) ^ fnv1a("provider/pager0") seeds a splitmix64 stream. */
    sim_rng_init(&rng, 42, "provider/pager0");
    g_assert_cmphex(sim_rng_next_u64(&rng), ==, UINT64_C(0x847c6731103bd8d5));
    g_assert_cmphex(sim_rng_next_u64(&rng), ==, UINT64_C(0x20d5829305400f7b));
    g_assert_cmphex(sim_rng_next_u64(&rng), ==, UINT64_C(0x62f2605dc8731570));
}

static void test_reproducible(void) {
    g_autoptr(SimRng) a = sim_rng_new(1234, "workload/readers");
    g_autoptr(SimRng) b = sim_rng_new(1234, "workload/readers");
    for (guint i = 0; i < 1000; i++)
        g_assert_cmphex(sim_rng_next_u64(a), ==, sim_rng_next_u64(b));
}

static guint count_equal(SimRng *a, SimRng *b, guint n) {
    guint same = 0;
    for (guint i = 0; i < n; i++)
        same += sim_rng_next_u64(a) == sim_rng_next_u64(b);
    return same;
}

static void test_names_and_seeds_differ(void) {
    g_autoptr(SimRng) a = sim_rng_new(1, "pager");
    g_autoptr(SimRng) b = sim_rng_new(1, "pagers");
    g_autoptr(SimRng) c = sim_rng_new(2, "pager");
    g_autoptr(SimRng) d = sim_rng_new(1, "pager");
    g_assert_cmpuint(count_equal(a, b, 1000), ==, 0);
    g_assert_cmpuint(count_equal(c, d, 1000), ==, 0);
}

/* Adding a stream (and drawing from it in between) leaves another stream's draws
 * unchanged: streams share no state. */
static void test_stream_independence(void) {
    uint64_t alone[500];
    g_autoptr(SimRng) a = sim_rng_new(99, "provider/0");
    for (guint i = 0; i < 500; i++)
        alone[i] = sim_rng_next_u64(a);
    g_autoptr(SimRng) a2 = sim_rng_new(99, "provider/0");
    g_autoptr(SimRng) extra = sim_rng_new(99, "provider/1");
    for (guint i = 0; i < 500; i++) {
        sim_rng_next_u64(extra);
        sim_rng_range(extra, 17);
        g_assert_cmphex(sim_rng_next_u64(a2), ==, alone[i]);
    }
}

static void test_uniform(void) {
    g_autoptr(SimRng) rng = sim_rng_new(5, "uniform");
    enum { N = 200000 };
    double sum = 0;
    for (guint i = 0; i < N; i++) {
        double u = sim_rng_uniform01(rng);
        double v = sim_rng_uniform_open(rng);
        g_assert_cmpfloat(u, >=, 0);
        g_assert_cmpfloat(u, <, 1);
        g_assert_cmpfloat(v, >, 0);
        g_assert_cmpfloat(v, <, 1);
        g_assert_cmpfloat(u * 0x1.0p53, ==, floor(u * 0x1.0p53));
        sum += u;
    }
    /* The mean of N uniforms has sd sqrt(1/12/N) = 6.5e-4; allow 5 sd. */
    g_assert_cmpfloat(fabs(sum / N - 0.5), <, 5 * sqrt(1.0 / 12 / N));
}

/* sim__rng_uniform_open_neg is -sim_rng_uniform_open of the same draw, bit
 * for bit, and that is -(k + 0.5) * 2^-53 for k the draw's top 53 bits: a
 * third stream of the same seed gives k. The known state {1, 2, 3, 4} gives
 * first k = 0x2d00 >> 11 = 5, so -(5.5 / 2^53). */
static void test_uniform_open_neg(void) {
    SimRng known = {.s = {1, 2, 3, 4}};
    g_assert_cmpfloat(sim__rng_uniform_open_neg(&known), ==, -5.5 * 0x1.0p-53);
    g_autoptr(SimRng) a = sim_rng_new(77, "neg");
    g_autoptr(SimRng) b = sim_rng_new(77, "neg");
    g_autoptr(SimRng) c = sim_rng_new(77, "neg");
    for (guint i = 0; i < 100000; i++) {
        double n = sim__rng_uniform_open_neg(a), p = sim_rng_uniform_open(b);
        uint64_t k = sim_rng_next_u64(c) >> 11;
        g_assert_cmpmem(&n, sizeof n, &(double){-p}, sizeof n);
        g_assert_cmpfloat(n, ==, -((double)k + 0.5) / 0x1.0p53);
        g_assert_cmpfloat(n, <, 0);
        g_assert_cmpfloat(n, >, -1);
    }
}

static void test_range(void) {
    g_autoptr(SimRng) rng = sim_rng_new(6, "range");
    enum { N = 600000, K = 6 };
    guint counts[K] = {0};
    for (guint i = 0; i < N; i++)
        counts[sim_rng_range(rng, K)]++;
    /* Each count is binomial(N, 1/6): sd = sqrt(N * 1/6 * 5/6) = 289; allow 5 sd. */
    for (guint k = 0; k < K; k++)
        g_assert_cmpfloat(fabs((double)counts[k] - N / K), <, 5 * sqrt(N * (1.0 / K) * (5.0 / K)));
    g_assert_cmpuint(sim_rng_range(rng, 1), ==, 0);
    /* n just above 2^63 rejects about half the draws; results stay below n. */
    uint64_t big = (UINT64_C(1) << 63) + 1;
    for (guint i = 0; i < 1000; i++)
        g_assert_cmpuint(sim_rng_range(rng, big), <, big);
    g_test_expect_message("pagesim-engine", G_LOG_LEVEL_CRITICAL, "*n > 0*");
    g_assert_cmpuint(sim_rng_range(rng, 0), ==, 0);
    g_test_assert_expected_messages();
}

/* A numbered stream is exactly the stream of the formatted name. */
static void test_numbered_equals_named(void) {
    uint64_t prefix = sim_rng_hash_name("workload:app/");
    const uint64_t ns[] = {0, 7, 10, 99999, G_MAXUINT64};
    for (size_t i = 0; i < G_N_ELEMENTS(ns); i++) {
        g_autofree char *name = g_strdup_printf("workload:app/%" G_GUINT64_FORMAT, ns[i]);
        SimRng a, b;
        sim_rng_init(&a, 42, name);
        sim_rng_init_numbered(&b, 42, prefix, ns[i]);
        for (int k = 0; k < 8; k++)
            g_assert_cmpuint(sim_rng_next_u64(&a), ==, sim_rng_next_u64(&b));
    }
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sim/rng/known-answers", test_known_answers);
    g_test_add_func("/sim/rng/reproducible", test_reproducible);
    g_test_add_func("/sim/rng/names-and-seeds-differ", test_names_and_seeds_differ);
    g_test_add_func("/sim/rng/stream-independence", test_stream_independence);
    g_test_add_func("/sim/rng/uniform", test_uniform);
    g_test_add_func("/sim/rng/uniform-open-neg", test_uniform_open_neg);
    g_test_add_func("/sim/rng/range", test_range);
    g_test_add_func("/sim/rng/numbered-equals-named", test_numbered_equals_named);
    return g_test_run();
}
