/* test-sim-batch.c: a batch's values against the unbatched draws, bit for bit.
 *
 * Two streams seeded alike: one drawn directly (sim_dist_sample, or
 * log(sim_rng_uniform_open)), one through a SimBatch. Every value must be the
 * same double (compared as bits) or the same SimTime, draw for draw, over many
 * refills and a count that is not a multiple of the batch size; a refill that
 * skipped, repeated or reordered a uniform fails at the first refill. The
 * stream's consumption is checked too: a batch draws nothing until its first
 * value is taken, then exactly SIM_BATCH_SIZE uniforms per refill. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "sim/engine/sim-batch.h"

#define DRAWS (20 * SIM_BATCH_SIZE + 7)

static uint64_t bits_of(double x) {
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

/* The exponential sample through a batch equals sim_dist_sample for @mean;
 * returns how many samples were clamped to SIM_DIST_MAX_SAMPLE. */
static guint check_exponential(SimTime mean, guint draws) {
    SimDist dist;
    g_assert_true(sim_dist_init_exponential(&dist, mean, NULL));
    SimRng direct, batched;
    sim_rng_init(&direct, 42, "provider:pager");
    sim_rng_init(&batched, 42, "provider:pager");
    SimBatch batch;
    sim_batch_init(&batch, &batched, SIM_BATCH_LOG1P_NEG);
    guint clamped = 0;
    for (guint i = 0; i < draws; i++) {
        SimTime want = sim_dist_sample(&dist, &direct);
        SimTime got = sim_batch_sample_exponential(&batch, &dist);
        if (got != want)
            g_error("mean %" G_GUINT64_FORMAT ": draw %u is %" G_GUINT64_FORMAT
                    ", unbatched %" G_GUINT64_FORMAT,
                    (guint64)mean, i, (guint64)got, (guint64)want);
        clamped += got == SIM_DIST_MAX_SAMPLE;
    }
    return clamped;
}

static void test_exponential_1ns(void) { g_assert_cmpuint(check_exponential(1, 20000 + 3), ==, 0); }

static void test_exponential_50us(void) {
    g_assert_cmpuint(check_exponential(50000, 20000 + 3), ==, 0);
}

/* A mean of 2^62 ns: a sample exceeds SIM_DIST_MAX_SAMPLE = 2^62 with
 * probability e^-1, so about 37% of them are clamped. */
static void test_exponential_clamped(void) {
    guint draws = 20000 + 3;
    guint clamped = check_exponential(SIM_DIST_MAX_SAMPLE, draws);
    g_assert_cmpuint(clamped, >, draws / 4);
    g_assert_cmpuint(clamped, <, draws / 2);
}

/* The raw values: log1p(-u) as sim_dist_sample computes it, bit for bit. */
static void test_log1p_values(void) {
    SimRng direct, batched;
    sim_rng_init(&direct, 7, "device:disk");
    sim_rng_init(&batched, 7, "device:disk");
    SimBatch batch;
    sim_batch_init(&batch, &batched, SIM_BATCH_LOG1P_NEG);
    for (guint i = 0; i < DRAWS; i++) {
        double want = log1p(-sim_rng_uniform_open(&direct));
        g_assert_cmphex(bits_of(sim_batch_next(&batch)), ==, bits_of(want));
    }
}

/* log(u) for the Poisson gaps: log(sim_rng_uniform_open), bit for bit
 * (mdl-workload.c makes the gap in ns from it). */
static void test_log_values(void) {
    SimRng direct, batched;
    sim_rng_init(&direct, 3, "workload:open/arrivals");
    sim_rng_init(&batched, 3, "workload:open/arrivals");
    SimBatch batch;
    sim_batch_init(&batch, &batched, SIM_BATCH_LOG);
    for (guint i = 0; i < 20000 + 5; i++) {
        double want = log(sim_rng_uniform_open(&direct));
        double got = sim_batch_next(&batch);
        g_assert_cmphex(bits_of(got), ==, bits_of(want));
    }
}

/* The first value by hand: the stream's first 64 bits k give
 * u = ((k >> 11) + 0.5) * 2^-53, and the batch's first value is log(u). */
static void test_first_value_by_hand(void) {
    SimRng raw, batched;
    sim_rng_init(&raw, 11, "x");
    sim_rng_init(&batched, 11, "x");
    uint64_t k = sim_rng_next_u64(&raw);
    double u = ((double)(k >> 11) + 0.5) / 9007199254740992.0; /* 2^53 */
    SimBatch batch;
    sim_batch_init(&batch, &batched, SIM_BATCH_LOG);
    g_assert_cmphex(bits_of(sim_batch_next(&batch)), ==, bits_of(log(u)));
}

/* Consumption: nothing at init; one refill takes exactly SIM_BATCH_SIZE
 * uniforms, whatever the number of values taken from it. */
static void test_consumption(void) {
    SimRng ref, batched;
    sim_rng_init(&ref, 5, "s");
    sim_rng_init(&batched, 5, "s");
    SimBatch batch;
    sim_batch_init(&batch, &batched, SIM_BATCH_LOG);
    g_assert_cmpmem(&ref, sizeof ref, &batched, sizeof batched);
    (void)sim_batch_next(&batch);
    for (guint i = 0; i < SIM_BATCH_SIZE; i++)
        (void)sim_rng_next_u64(&ref);
    g_assert_cmpmem(&ref, sizeof ref, &batched, sizeof batched);
    for (guint i = 1; i < SIM_BATCH_SIZE; i++)
        (void)sim_batch_next(&batch);
    g_assert_cmpmem(&ref, sizeof ref, &batched, sizeof batched);
    (void)sim_batch_next(&batch); /* the second refill */
    for (guint i = 0; i < SIM_BATCH_SIZE; i++)
        (void)sim_rng_next_u64(&ref);
    g_assert_cmpmem(&ref, sizeof ref, &batched, sizeof batched);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sim-batch/exponential/1ns", test_exponential_1ns);
    g_test_add_func("/sim-batch/exponential/50us", test_exponential_50us);
    g_test_add_func("/sim-batch/exponential/clamped", test_exponential_clamped);
    g_test_add_func("/sim-batch/log1p-values", test_log1p_values);
    g_test_add_func("/sim-batch/log-values", test_log_values);
    g_test_add_func("/sim-batch/first-value-by-hand", test_first_value_by_hand);
    g_test_add_func("/sim-batch/consumption", test_consumption);
    return g_test_run();
}
