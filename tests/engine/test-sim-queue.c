/* test-sim-queue.c: the radix event queue, alone and against a naive reference. */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine/sim-queue-private.h"
#include "sim/engine/sim-queue.h"
#include "sim/engine/sim-rng.h"

/* Counts finalizer calls per payload index (payload = GUINT_TO_POINTER(i + 1)). */
static guint *finalized;

static void count_finalize(gpointer data) { finalized[GPOINTER_TO_UINT(data) - 1]++; }

static void fn_a(SimEngine *engine, gpointer data) {
    (void)engine;
    (void)data;
}

static void fn_b(SimEngine *engine, gpointer data) {
    (void)engine;
    (void)data;
}

/* A queue with its small tier disabled: the tests of the radix tier's
 * buckets, levels and blocks (the tiers: test-sim-queue-tiers.c). */
static SimQueue *radix_queue_new(void) {
    SimQueue *q = sim_queue_new();
    sim__queue_small_disable(q);
    return q;
}

static gboolean pop(SimQueue *q, SimTime limit, SimTime *t, gpointer *data) {
    SimEventFn fn;
    GDestroyNotify destroy;
    return sim_queue_pop(q, limit, t, &fn, data, &destroy);
}

/* Events pushed at equal times, interleaved with other times, pop in push order. */
static void test_equal_time_fifo(void) {
    g_autoptr(SimQueue) q = sim_queue_new();
    /* Interleave three times so equal-time events are pushed apart from each other. */
    for (guint i = 0; i < 300; i++)
        sim_queue_push(q, (i % 3) * 1000 + 5, fn_a, GUINT_TO_POINTER(i + 1), NULL);
    sim_queue_check_invariants(q);
    guint prev = 0;
    for (guint i = 0; i < 300; i++) {
        SimTime t;
        gpointer data;
        g_assert_true(pop(q, SIM_TIME_INVALID, &t, &data));
        guint idx = GPOINTER_TO_UINT(data) - 1;
        g_assert_cmpuint(t, ==, (i / 100) * 1000 + 5);
        g_assert_cmpuint(idx % 3, ==, i / 100);
        if (i % 100 != 0)
            g_assert_cmpuint(idx, >, prev);
        prev = idx;
    }
    g_assert_cmpuint(sim_queue_get_len(q), ==, 0);
}

/* An event pushed at the current time pops after those already queued for it. */
static void test_push_at_floor_runs_last(void) {
    g_autoptr(SimQueue) q = sim_queue_new();
    SimTime t;
    gpointer data;
    for (guint i = 0; i < 4; i++)
        sim_queue_push(q, 70, fn_a, GUINT_TO_POINTER(i + 1), NULL);
    g_assert_true(pop(q, SIM_TIME_INVALID, &t, &data));
    g_assert_cmpuint(GPOINTER_TO_UINT(data), ==, 1);
    /* Pushed "now" (t = 70) after the others: must come out after 2, 3 and 4. */
    sim_queue_push(q, 70, fn_a, GUINT_TO_POINTER(9), NULL);
    for (guint want = 2; want <= 4; want++) {
        g_assert_true(pop(q, SIM_TIME_INVALID, &t, &data));
        g_assert_cmpuint(GPOINTER_TO_UINT(data), ==, want);
    }
    g_assert_true(pop(q, SIM_TIME_INVALID, &t, &data));
    g_assert_cmpuint(GPOINTER_TO_UINT(data), ==, 9);
    g_assert_cmpuint(t, ==, 70);
}

/* Events pushed at the floor, cancelled there in bulk (enough to trigger a
 * compaction), leave the rest in push order, each finalized exactly once. */
static void test_floor_cancel_compacts(void) {
    enum { N = 10000 };
    g_autofree guint *counts = g_new0(guint, N + 1);
    g_autofree SimHandle *h = g_new(SimHandle, N + 1);
    SimTime t;
    gpointer data;
    finalized = counts;
    SimQueue *q = sim_queue_new();
    sim_queue_push(q, 500, fn_a, GUINT_TO_POINTER(N + 1), count_finalize);
    g_assert_true(pop(q, SIM_TIME_INVALID, &t, &data));
    count_finalize(data);
    for (guint i = 0; i < N; i++)
        h[i] = sim_queue_push(q, 500, fn_b, GUINT_TO_POINTER(i + 1), count_finalize);
    for (guint i = 0; i < N; i++)
        if (i % 10 != 3)
            g_assert_true(sim_queue_cancel(q, h[i]));
    sim_queue_check_invariants(q);
    g_assert_cmpuint(sim_queue_get_len(q), ==, N / 10);
    g_assert_cmpuint(sim_queue_peek_time(q), ==, 500);
    for (guint i = 3; i < N; i += 10) {
        g_assert_true(sim_queue_is_pending(q, h[i]));
        g_assert_true(pop(q, SIM_TIME_INVALID, &t, &data));
        g_assert_cmpuint(GPOINTER_TO_UINT(data), ==, i + 1);
        g_assert_cmpuint(t, ==, 500);
        count_finalize(data);
    }
    g_assert_false(pop(q, SIM_TIME_INVALID, &t, &data));
    sim_queue_free(q);
    for (guint i = 0; i <= N; i++)
        g_assert_cmpuint(counts[i], ==, 1);
}

/* Cancel finalizes once; cancelling twice, after pop or with no handle fails. */
static void test_cancel(void) {
    g_autofree guint *counts = g_new0(guint, 3);
    finalized = counts;
    SimQueue *q = sim_queue_new();
    SimHandle a = sim_queue_push(q, 10, fn_a, GUINT_TO_POINTER(1), count_finalize);
    SimHandle b = sim_queue_push(q, 20, fn_a, GUINT_TO_POINTER(2), count_finalize);
    SimHandle c = sim_queue_push(q, 30, fn_a, GUINT_TO_POINTER(3), count_finalize);
    g_assert_true(sim_queue_is_pending(q, b));
    g_assert_true(sim_queue_cancel(q, b));
    g_assert_cmpuint(counts[1], ==, 1);
    g_assert_false(sim_queue_is_pending(q, b));
    g_assert_false(sim_queue_cancel(q, b));
    g_assert_false(sim_queue_cancel(q, SIM_HANDLE_NONE));
    g_assert_cmpuint(counts[1], ==, 1);
    SimTime t;
    gpointer data;
    g_assert_true(pop(q, SIM_TIME_INVALID, &t, &data));
    g_assert_cmpuint(t, ==, 10);
    count_finalize(data);
    g_assert_false(sim_queue_cancel(q, a));
    g_assert_true(pop(q, SIM_TIME_INVALID, &t, &data));
    g_assert_cmpuint(t, ==, 30);
    count_finalize(data);
    g_assert_false(pop(q, SIM_TIME_INVALID, &t, &data));
    g_assert_false(sim_queue_cancel(q, c));
    sim_queue_check_invariants(q);
    sim_queue_free(q);
    for (guint i = 0; i < 3; i++)
        g_assert_cmpuint(counts[i], ==, 1);
}

/* A popped event's handle never names a later event at the same time. */
static void test_stale_handle(void) {
    g_autoptr(SimQueue) q = sim_queue_new();
    SimTime t;
    gpointer data;
    SimHandle a = sim_queue_push(q, 5, fn_a, NULL, NULL);
    g_assert_true(pop(q, SIM_TIME_INVALID, &t, &data));
    SimHandle b = sim_queue_push(q, 5, fn_a, NULL, NULL);
    g_assert_cmpuint(a.time, ==, b.time);
    g_assert_cmpuint(a.seq, !=, b.seq);
    g_assert_false(sim_queue_is_pending(q, a));
    g_assert_false(sim_queue_cancel(q, a));
    g_assert_true(sim_queue_is_pending(q, b));
    /* A forged handle with the right time and an unused seq names nothing. */
    g_assert_false(sim_queue_cancel(q, (SimHandle){5, b.seq + 1}));
    g_assert_true(sim_queue_cancel(q, b));
}

/* A limited pop takes events at the limit, and the floor never passes the limit. */
static void test_limit(void) {
    g_autoptr(SimQueue) q = sim_queue_new();
    SimTime t;
    gpointer data;
    sim_queue_push(q, 100, fn_a, GUINT_TO_POINTER(1), NULL);
    sim_queue_push(q, 1000000, fn_a, GUINT_TO_POINTER(2), NULL);
    g_assert_true(pop(q, 100, &t, &data));
    g_assert_cmpuint(t, ==, 100);
    g_assert_false(pop(q, 999999, &t, &data));
    g_assert_cmpuint(sim_queue_get_floor(q), <=, 999999);
    g_assert_cmpuint(sim_queue_get_len(q), ==, 1);
    sim_queue_check_invariants(q);
    sim_queue_push(q, 999999, fn_a, GUINT_TO_POINTER(3), NULL);
    g_assert_true(pop(q, SIM_TIME_INVALID, &t, &data));
    g_assert_cmpuint(GPOINTER_TO_UINT(data), ==, 3);
    g_assert_true(pop(q, 1000000, &t, &data));
    g_assert_cmpuint(GPOINTER_TO_UINT(data), ==, 2);
}

/* Pops @want (payload numbers, with their times) in order, checking the
 * invariants after each. */
static void pop_expect_list(SimQueue *q, const guint *want, const SimTime *times, guint n) {
    for (guint i = 0; i < n; i++) {
        SimTime t;
        gpointer data;
        g_assert_true(pop(q, SIM_TIME_INVALID, &t, &data));
        g_assert_cmpuint(GPOINTER_TO_UINT(data), ==, want[i]);
        g_assert_cmpuint(t, ==, times[i]);
        sim_queue_check_invariants(q);
    }
}

/* A level-2 bucket becoming the lowest: its first entry of least key is
 * taken (a tombstone here, dropped), the rest move down in seq order. By
 * hand: under floor 0, keys 0x203000..0x205000 have their highest bit (21)
 * in level 2 (bits 18-25), so 1-4 share bucket (2, 8) and 5 (0x300000) is in
 * (2, 12). A pop limited below 0x203000 finds nothing; then 2 is cancelled,
 * and 3 (same key, later seq: to level 0) comes first, 6 (pushed at the floor
 * 0x203000 after 3) next, then 4 and 1 (to level 1), 5. Then 7 (the bucket's
 * own entry), 8 and 9, all in (2, 20) under floor 0x300000 (0x501000 ^
 * 0x300000 has bit 22 highest): 7, 9 (its key), 8. */
static void test_redistribute_take(void) {
    g_autoptr(SimQueue) q = radix_queue_new();
    SimTime t;
    gpointer data;
    sim_queue_push(q, 0x205000, fn_a, GUINT_TO_POINTER(1), NULL);
    SimHandle h2 = sim_queue_push(q, 0x203000, fn_a, GUINT_TO_POINTER(2), NULL);
    sim_queue_push(q, 0x203000, fn_a, GUINT_TO_POINTER(3), NULL);
    sim_queue_push(q, 0x203100, fn_a, GUINT_TO_POINTER(4), NULL);
    sim_queue_push(q, 0x300000, fn_a, GUINT_TO_POINTER(5), NULL);
    g_assert_false(pop(q, 0x202fff, &t, &data));
    g_assert_cmpuint(sim_queue_get_floor(q), <=, 0x202fff);
    g_assert_cmpuint(sim_queue_get_len(q), ==, 5);
    g_assert_true(sim_queue_cancel(q, h2));
    g_assert_true(pop(q, SIM_TIME_INVALID, &t, &data));
    g_assert_cmpuint(GPOINTER_TO_UINT(data), ==, 3);
    g_assert_cmpuint(sim_queue_get_floor(q), ==, 0x203000);
    sim_queue_push(q, 0x203000, fn_a, GUINT_TO_POINTER(6), NULL);
    sim_queue_check_invariants(q);
    pop_expect_list(q, (const guint[]){6, 4, 1, 5},
                    (const SimTime[]){0x203000, 0x203100, 0x205000, 0x300000}, 4);
    sim_queue_push(q, 0x501000, fn_a, GUINT_TO_POINTER(7), NULL);
    sim_queue_push(q, 0x502000, fn_a, GUINT_TO_POINTER(8), NULL);
    sim_queue_push(q, 0x501000, fn_a, GUINT_TO_POINTER(9), NULL);
    pop_expect_list(q, (const guint[]){7, 9, 8}, (const SimTime[]){0x501000, 0x501000, 0x502000},
                    3);
    g_assert_false(pop(q, SIM_TIME_INVALID, &t, &data));
}

/* Keys spanning every level (highest bits 0, 7, 8, 17, 18, 26, 34, 42, 50,
 * 58, 63), up to 2^64 - 2, come out sorted, from the radix tier and (@small
 * non-NULL) from the small tier: 15 keys, 14 above the floor, it holds them
 * all. */
static void test_wide_keys(gconstpointer small) {
    g_autoptr(SimQueue) q = small != NULL ? sim_queue_new() : radix_queue_new();
    static const SimTime keys[] = {UINT64_MAX - 1,
                                   1,
                                   0,
                                   255,
                                   256,
                                   (UINT64_C(1) << 18) - 1,
                                   UINT64_C(1) << 18,
                                   UINT64_C(1) << 26,
                                   UINT64_C(1) << 34,
                                   UINT64_C(1) << 42,
                                   UINT64_C(1) << 50,
                                   UINT64_C(1) << 58,
                                   UINT64_C(1) << 63,
                                   (UINT64_C(1) << 63) + 1,
                                   1};
    for (guint i = 0; i < G_N_ELEMENTS(keys); i++)
        sim_queue_push(q, keys[i], fn_a, NULL, NULL);
    g_assert_cmpuint(q->small_n, ==, small != NULL ? 14 : 0);
    SimTime prev = 0, t;
    gpointer data;
    for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
        g_assert_true(pop(q, SIM_TIME_INVALID, &t, &data));
        g_assert_cmpuint(t, >=, prev);
        prev = t;
        sim_queue_check_invariants(q);
    }
    g_assert_cmpuint(prev, ==, UINT64_MAX - 1);
}

static void test_peek_skips_tombstones(void) {
    g_autoptr(SimQueue) q = sim_queue_new();
    SimHandle a = sim_queue_push(q, 50, fn_a, NULL, NULL);
    sim_queue_push(q, 70000, fn_a, NULL, NULL);
    g_assert_cmpuint(sim_queue_peek_time(q), ==, 50);
    sim_queue_cancel(q, a);
    g_assert_cmpuint(sim_queue_peek_time(q), ==, 70000);
    g_assert_cmpuint(sim_queue_get_floor(q), ==, 0);
}

static void test_handlers(void) {
    /* Distinct (fn, destroy) pairs are given back with their own payloads. */
    g_autoptr(SimQueue) q = sim_queue_new();
    sim_queue_push(q, 1, fn_a, NULL, NULL);
    sim_queue_push(q, 2, fn_b, NULL, NULL);
    sim_queue_push(q, 3, fn_a, NULL, g_free);
    sim_queue_push(q, 4, fn_b, g_strdup("x"), g_free);
    const struct {
        SimEventFn fn;
        GDestroyNotify destroy;
    } want[] = {{fn_a, NULL}, {fn_b, NULL}, {fn_a, g_free}, {fn_b, g_free}};
    for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
        SimTime t;
        SimEventFn fn;
        gpointer data;
        GDestroyNotify destroy;
        g_assert_true(sim_queue_pop(q, SIM_TIME_INVALID, &t, &fn, &data, &destroy));
        g_assert_true(fn == want[i].fn);
        g_assert_true(destroy == want[i].destroy);
        if (destroy != NULL)
            destroy(data);
    }
}

/* Pushes that repeat or change one half of the last (fn, destroy) pair (the
 * intern table's cached pair) keep each event's own pair. */
static void test_handler_last_pair(void) {
    g_autoptr(SimQueue) q = sim_queue_new();
    const struct {
        SimEventFn fn;
        GDestroyNotify destroy;
    } seq[] = {{fn_a, NULL}, {fn_a, g_free}, {fn_a, g_free}, {fn_b, g_free},
               {fn_b, NULL}, {fn_a, NULL},   {fn_b, NULL}};
    for (guint i = 0; i < G_N_ELEMENTS(seq); i++)
        sim_queue_push(q, 10 + i, seq[i].fn, seq[i].destroy ? g_strdup("x") : NULL, seq[i].destroy);
    for (guint i = 0; i < G_N_ELEMENTS(seq); i++) {
        SimTime t;
        SimEventFn fn;
        gpointer data;
        GDestroyNotify destroy;
        g_assert_true(sim_queue_pop(q, SIM_TIME_INVALID, &t, &fn, &data, &destroy));
        g_assert_cmpuint(t, ==, 10 + i);
        g_assert_true(fn == seq[i].fn);
        g_assert_true(destroy == seq[i].destroy);
        g_assert_true((data != NULL) == (destroy != NULL));
        if (destroy != NULL)
            destroy(data);
    }
}

static void test_push_in_past(void) {
    g_autofree guint *counts = g_new0(guint, 1);
    finalized = counts;
    g_autoptr(SimQueue) q = sim_queue_new();
    SimTime t;
    gpointer data;
    sim_queue_push(q, 100, fn_a, NULL, NULL);
    g_assert_true(pop(q, SIM_TIME_INVALID, &t, &data));
    g_test_expect_message("pagesim-engine", G_LOG_LEVEL_CRITICAL, "*time >= q->last*");
    SimHandle h = sim_queue_push(q, 99, fn_a, GUINT_TO_POINTER(1), count_finalize);
    g_test_assert_expected_messages();
    g_assert_true(sim_handle_is_none(h));
    g_assert_cmpuint(counts[0], ==, 1);
    g_assert_cmpuint(sim_queue_get_len(q), ==, 0);
}

/* Pops the next event and checks its time and payload index (i + 1). */
static void pop_expect(SimQueue *q, SimTime want_t, guint want_payload) {
    SimTime t;
    gpointer data;
    g_assert_true(pop(q, SIM_TIME_INVALID, &t, &data));
    g_assert_cmpuint(t, ==, want_t);
    g_assert_cmpuint(GPOINTER_TO_UINT(data), ==, want_payload);
    sim_queue_check_invariants(q);
}

/* A bucket holds its first entry itself and the rest in blocks. Worked by hand
 * from floor 0: 300 and 350 go to level 1 (bits 7-17: slots 2, 2), 300000 to
 * level 2 (its bit 18 is set); 300 is the bucket's own entry, 350 the first in
 * a block. Cancelling the bucket's
 * own entry leaves a tombstone that a pop skips; a lone level-2 event is taken
 * where it is, and once the bucket is empty a new event takes its place. */
static void test_bucket_own_entry(void) {
    g_autoptr(SimQueue) q = radix_queue_new();
    SimHandle a = sim_queue_push(q, 300, fn_a, GUINT_TO_POINTER(1), NULL);
    SimHandle b = sim_queue_push(q, 350, fn_a, GUINT_TO_POINTER(2), NULL);
    SimHandle c = sim_queue_push(q, 300000, fn_a, GUINT_TO_POINTER(3), NULL);
    sim_queue_check_invariants(q);
    g_assert_true(sim_queue_is_pending(q, a) && sim_queue_is_pending(q, b));
    g_assert_true(sim_queue_cancel(q, a));
    g_assert_false(sim_queue_is_pending(q, a));
    g_assert_false(sim_queue_cancel(q, a));
    g_assert_cmpuint(sim_queue_peek_time(q), ==, 350);
    sim_queue_check_invariants(q);
    pop_expect(q, 350, 2);
    g_assert_false(sim_queue_is_pending(q, b));
    g_assert_true(sim_queue_is_pending(q, c));
    pop_expect(q, 300000, 3);
    g_assert_cmpuint(sim_queue_get_floor(q), ==, 300000);
    /* 300300 and 300000 + 256 share no bucket with anything left: each alone. */
    SimHandle d = sim_queue_push(q, 300300, fn_a, GUINT_TO_POINTER(4), NULL);
    g_assert_true(sim_queue_is_pending(q, d));
    g_assert_true(sim_queue_cancel(q, d));
    g_assert_cmpuint(sim_queue_peek_time(q), ==, SIM_TIME_INVALID);
    sim_queue_push(q, 300256, fn_a, GUINT_TO_POINTER(5), NULL);
    pop_expect(q, 300256, 5);
    g_assert_cmpuint(sim_queue_get_len(q), ==, 0);
}

/* A bucket whose only entry was taken keeps that entry's tag (its slot bit
 * alone says it is empty). From floor 0, 1000 is alone in bucket (1, 7)
 * and 300000 in a level-2 one: once 1000 is popped its handle is not pending
 * and cannot be cancelled; 1003 (from floor 1000: level 0, slot 107) is
 * taken the same way, and 300100 (from floor 1003) joins 300000's bucket (2, 1)
 * in a block; the free finalizes exactly the two events still queued (2 and
 * 4), not the taken ones, whose tags stay in two empty buckets. */
static void test_taken_entry_stale(void) {
    g_autofree guint *counts = g_new0(guint, 4);
    finalized = counts;
    SimQueue *q = radix_queue_new();
    SimHandle a = sim_queue_push(q, 1000, fn_a, GUINT_TO_POINTER(1), count_finalize);
    sim_queue_push(q, 300000, fn_a, GUINT_TO_POINTER(2), count_finalize);
    pop_expect(q, 1000, 1);
    g_assert_false(sim_queue_is_pending(q, a));
    g_assert_false(sim_queue_cancel(q, a));
    SimHandle c = sim_queue_push(q, 1003, fn_a, GUINT_TO_POINTER(3), count_finalize);
    sim_queue_check_invariants(q);
    pop_expect(q, 1003, 3);
    g_assert_false(sim_queue_is_pending(q, c));
    g_assert_cmpuint(sim_queue_peek_time(q), ==, 300000);
    sim_queue_push(q, 300100, fn_a, GUINT_TO_POINTER(4), count_finalize);
    sim_queue_check_invariants(q);
    g_assert_cmpuint(sim_queue_get_len(q), ==, 2);
    sim_queue_free(q);
    g_assert_cmpuint(counts[0], ==, 0);
    g_assert_cmpuint(counts[1], ==, 1);
    g_assert_cmpuint(counts[2], ==, 0);
    g_assert_cmpuint(counts[3], ==, 1);
}

/* The summary of non-empty bitmap words (one bit per 64 slots of a level)
 * finds the first bucket: from floor 0, events in words 1 and 0 of level 0
 * (keys 70, 3), in words 0, 2 and 31 (the last) of level 1 (200 = slot 1,
 * 128 * 130 + 9 = 16649 = slot 130, 128 * 2047 + 5 = 262021 = slot 2047),
 * level 2 (3 << 18 = slot 3) and level 7 (1 << 60 = slot 4) pop in key
 * order, and a push into a word just emptied (71, word 1, after 70 popped)
 * still comes out in order; the invariants (summary included) hold throughout. */
static void test_summary_words(void) {
    static const SimTime keys[] = {70, 3, 200, 16649, 262021, 3 << 18, (SimTime)1 << 60};
    static const SimTime order[] = {3, 70, 71, 200, 16649, 262021, 3 << 18, (SimTime)1 << 60};
    g_autoptr(SimQueue) q = radix_queue_new();
    for (guint i = 0; i < G_N_ELEMENTS(keys); i++)
        sim_queue_push(q, keys[i], fn_a, GUINT_TO_POINTER(i + 1), NULL);
    sim_queue_check_invariants(q);
    for (guint i = 0; i < G_N_ELEMENTS(order); i++) {
        SimTime t;
        gpointer data;
        g_assert_true(pop(q, SIM_TIME_INVALID, &t, &data));
        g_assert_cmpuint(t, ==, order[i]);
        if (t == 70)
            sim_queue_push(q, 71, fn_a, GUINT_TO_POINTER(99), NULL);
        sim_queue_check_invariants(q);
    }
    g_assert_cmpuint(sim_queue_get_len(q), ==, 0);
}

/* A level-0 bucket is read from the front: its own entry, then its block, then
 * events pushed at the floor meanwhile (the FIFO), then later times. From floor
 * 0: three events at 5 (one bucket: its own entry and a block of two), one at
 * 3 and one at 6; after 3 and the first 5 pop, a push at 5 (now the floor)
 * runs after the two 5s already queued, and before 6. */
static void test_level0_front(void) {
    g_autoptr(SimQueue) q = radix_queue_new();
    for (guint i = 0; i < 3; i++)
        sim_queue_push(q, 5, fn_a, GUINT_TO_POINTER(i + 1), NULL);
    sim_queue_push(q, 3, fn_a, GUINT_TO_POINTER(4), NULL);
    SimHandle six = sim_queue_push(q, 6, fn_a, GUINT_TO_POINTER(5), NULL);
    sim_queue_check_invariants(q);
    pop_expect(q, 3, 4);
    pop_expect(q, 5, 1);
    SimHandle again = sim_queue_push(q, 5, fn_a, GUINT_TO_POINTER(6), NULL);
    sim_queue_check_invariants(q);
    g_assert_true(sim_queue_is_pending(q, again) && sim_queue_is_pending(q, six));
    pop_expect(q, 5, 2);
    pop_expect(q, 5, 3);
    pop_expect(q, 5, 6);
    pop_expect(q, 6, 5);
    g_assert_false(pop(q, SIM_TIME_INVALID, &(SimTime){0}, &(gpointer){NULL}));
}

/* Mass cancellation triggers compaction without losing order or payloads. */
static void test_compaction(void) {
    enum { N = 20000 };
    g_autofree guint *counts = g_new0(guint, N);
    g_autofree SimHandle *h = g_new(SimHandle, N);
    finalized = counts;
    SimQueue *q = sim_queue_new();
    for (guint i = 0; i < N; i++)
        h[i] = sim_queue_push(q, (i * 7919) % 5000, fn_a, GUINT_TO_POINTER(i + 1), count_finalize);
    /* Cancelling 90% makes tombstones outnumber live events: a compaction runs. */
    for (guint i = 0; i < N; i++)
        if (i % 10 != 0)
            g_assert_true(sim_queue_cancel(q, h[i]));
    sim_queue_check_invariants(q);
    g_assert_cmpuint(sim_queue_get_len(q), ==, N / 10);
    SimTime prev = 0, t;
    gpointer data;
    guint n = 0;
    while (pop(q, SIM_TIME_INVALID, &t, &data)) {
        guint idx = GPOINTER_TO_UINT(data) - 1;
        g_assert_cmpuint(idx % 10, ==, 0);
        g_assert_cmpuint(t, >=, prev);
        prev = t;
        count_finalize(data);
        n++;
    }
    g_assert_cmpuint(n, ==, N / 10);
    sim_queue_free(q);
    for (guint i = 0; i < N; i++)
        g_assert_cmpuint(counts[i], ==, 1);
}

/* The reference model: every event ever pushed, with its state. */
typedef struct {
    SimTime time; /* Event time. */
    uint64_t seq; /* Order of push in the test. */
    SimHandle h;  /* Handle from the queue. */
    int state;    /* 0 pending, 1 popped, 2 cancelled. */
} Ref;

/* The pending reference event with the least (time, seq), or NULL. */
static Ref *ref_min(GArray *refs) {
    Ref *best = NULL;
    for (guint i = 0; i < refs->len; i++) {
        Ref *r = &g_array_index(refs, Ref, i);
        if (r->state == 0 &&
            (best == NULL || r->time < best->time || (r->time == best->time && r->seq < best->seq)))
            best = r;
    }
    return best;
}

static SimTime random_time(SimQueue *q, SimRng *rng) {
    static const uint64_t spans[] = {1, 4, 300, 70000, UINT64_C(1) << 30, UINT64_C(1) << 44};
    return sim_queue_get_floor(q) + sim_rng_range(rng, spans[sim_rng_range(rng, 6)]);
}

static void ref_pop(SimQueue *q, GArray *refs, SimRng *rng) {
    Ref *want = ref_min(refs);
    SimTime limit = sim_rng_range(rng, 4) == 0 ? random_time(q, rng) : SIM_TIME_INVALID;
    SimTime t;
    gpointer data;
    gboolean got = pop(q, limit, &t, &data);
    g_assert_cmpint(got, ==, want != NULL && want->time <= limit);
    if (got) {
        guint idx = GPOINTER_TO_UINT(data) - 1;
        g_assert_cmpuint(idx, ==, want - (Ref *)refs->data);
        g_assert_cmpuint(t, ==, want->time);
        want->state = 1;
        count_finalize(data);
    } else {
        g_assert_cmpuint(sim_queue_get_floor(q), <=, limit);
    }
}

/* Pops @n events at time @t, expecting payloads @first, @first + 1, ... but
 * for @skip (0: none). */
static void pop_run(SimQueue *q, SimTime t, guint first, guint n, guint skip) {
    for (guint id = first; id < first + n; id++) {
        if (id == skip)
            continue;
        SimTime got;
        gpointer data;
        g_assert_true(pop(q, SIM_TIME_INVALID, &got, &data));
        g_assert_cmpuint(got, ==, t);
        g_assert_cmpuint(GPOINTER_TO_UINT(data), ==, id);
    }
}

/* The now-FIFO keeps push order through its moves: 40 pushes at the floor
 * (a 64-entry buffer), 35 pops, 24 pushes fill it to its end; the next push
 * finds 29 held, at most half, so they move to its start (no new memory);
 * 34 more fill it again and the next push finds 64 held, so it doubles (64
 * entries of 24 bytes more). A cancel in the middle drops just that one.
 * Drained (at entry 65 of its 128), it takes 63 pushes each popped at once
 * to reach the end; the next push finds it empty and rewinds it to a window
 * of 64 entries at the start of its 128 (seen through the private layout). */
static void test_fifo_moves(void) {
    g_autoptr(SimQueue) q = sim_queue_new();
    SimHandle h[130];
    guint next = 1;
    for (guint i = 0; i < 40; i++, next++)
        h[next] = sim_queue_push(q, 0, fn_a, GUINT_TO_POINTER(next), NULL);
    gsize mem = sim_queue_get_memory(q);
    pop_run(q, 0, 1, 35, 0);
    for (guint i = 0; i < 24; i++, next++)
        h[next] = sim_queue_push(q, 0, fn_a, GUINT_TO_POINTER(next), NULL);
    sim_queue_check_invariants(q);
    h[next] = sim_queue_push(q, 0, fn_a, GUINT_TO_POINTER(next), NULL); /* moves 29 */
    next++;
    sim_queue_check_invariants(q);
    g_assert_cmpuint(sim_queue_get_memory(q), ==, mem);
    g_assert_false(sim_queue_is_pending(q, h[35]));
    g_assert_true(sim_queue_is_pending(q, h[36]) && sim_queue_is_pending(q, h[65]));
    g_assert_true(sim_queue_cancel(q, h[50]));
    g_assert_false(sim_queue_is_pending(q, h[50]));
    for (guint i = 0; i < 34; i++, next++)
        h[next] = sim_queue_push(q, 0, fn_a, GUINT_TO_POINTER(next), NULL);
    g_assert_cmpuint(sim_queue_get_memory(q), ==, mem);
    h[next] = sim_queue_push(q, 0, fn_a, GUINT_TO_POINTER(next), NULL); /* doubles */
    next++;
    sim_queue_check_invariants(q);
    g_assert_cmpuint(sim_queue_get_memory(q), ==, mem + 64 * 24);
    g_assert_cmpuint(next, ==, 101);
    g_assert_cmpuint(sim_queue_get_len(q), ==, 64);
    g_assert_true(sim_queue_is_pending(q, h[100]));
    pop_run(q, 0, 36, next - 36, 50);
    g_assert_cmpuint(sim_queue_get_len(q), ==, 0);
    g_assert_false(sim_queue_is_pending(q, h[100]));
    sim_queue_check_invariants(q);
    g_assert_true(q->now.rd == q->now.base + 65 && q->now.wr == q->now.rd);
    for (guint i = 1; i <= 63; i++) {
        sim_queue_push(q, 0, fn_a, GUINT_TO_POINTER(i), NULL);
        pop_run(q, 0, i, 1, 0);
    }
    g_assert_true(q->now.wr == q->now.limit);
    sim_queue_push(q, 0, fn_a, GUINT_TO_POINTER(1), NULL);
    g_assert_true(q->now.rd == q->now.base && q->now.wr == q->now.base + 1);
    g_assert_cmpint(q->now.end - q->now.base, ==, 64);
    g_assert_cmpint(q->now.limit - q->now.base, ==, 128);
    g_assert_cmpuint(sim_queue_get_memory(q), ==, mem + 64 * 24);
    pop_run(q, 0, 1, 1, 0);
    sim_queue_check_invariants(q);
}

/* 100,000 random push, cancel and (limited) pop operations, with exact pop order
 * compared against a naive scan for the least (time, seq). */
static void test_randomized_reference(void) {
    enum { OPS = 100000 };
    g_autoptr(GArray) refs = g_array_new(FALSE, TRUE, sizeof(Ref));
    g_autofree guint *counts = g_new0(guint, OPS);
    g_autoptr(SimRng) rng = sim_rng_new(7, "test-queue");
    finalized = counts;
    SimQueue *q = sim_queue_new();
    for (guint op = 0; op < OPS; op++) {
        guint dice = (guint)sim_rng_range(rng, 100);
        if (dice < 45 || refs->len == 0) {
            Ref r = {.time = random_time(q, rng), .seq = refs->len};
            r.h = sim_queue_push(q, r.time, fn_a, GUINT_TO_POINTER(refs->len + 1), count_finalize);
            g_array_append_val(refs, r);
        } else if (dice < 60) {
            Ref *r = &g_array_index(refs, Ref, sim_rng_range(rng, refs->len));
            g_assert_cmpint(sim_queue_is_pending(q, r->h), ==, r->state == 0);
            g_assert_cmpint(sim_queue_cancel(q, r->h), ==, r->state == 0);
            if (r->state == 0)
                r->state = 2;
        } else {
            ref_pop(q, refs, rng);
        }
        if (op % 5000 == 0)
            sim_queue_check_invariants(q);
    }
    sim_queue_check_invariants(q);
    while (ref_min(refs) != NULL)
        ref_pop(q, refs, rng);
    sim_queue_free(q);
    for (guint i = 0; i < refs->len; i++)
        g_assert_cmpuint(counts[i], ==, 1);
}

static gint cmp_ref(gconstpointer a, gconstpointer b) {
    const Ref *x = a, *y = b;
    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* A queue large enough for the payload prefetching (tens of thousands pending,
 * clustered so that level-1 buckets hold one to several entries) pops exactly
 * in (time, seq) order: the reference is the same events sorted. Every payload
 * is a real pointer (into the reference array), as a prefetch would touch it. */
static void test_large_sorted(void) {
    enum { N = 60000 };
    g_autofree Ref *refs = g_new0(Ref, N);
    g_autofree Ref *sorted = g_new0(Ref, N);
    g_autoptr(SimRng) rng = sim_rng_new(11, "test-queue-large");
    g_autoptr(SimQueue) q = sim_queue_new();
    for (guint i = 0; i < N; i++) {
        /* Times in [0, 2^26) ns, a third of them on a coarse 1 us grid (ties). */
        SimTime t = sim_rng_range(rng, UINT64_C(1) << 26);
        refs[i] = (Ref){.time = i % 3 == 0 ? t - t % 1000 : t, .seq = i};
        refs[i].h = sim_queue_push(q, refs[i].time, fn_a, &refs[i], NULL);
    }
    memcpy(sorted, refs, sizeof(Ref) * N);
    qsort(sorted, N, sizeof(Ref), (int (*)(const void *, const void *))cmp_ref);
    for (guint i = 0; i < N; i++) {
        SimTime t;
        gpointer data;
        g_assert_true(pop(q, SIM_TIME_INVALID, &t, &data));
        const Ref *got = data;
        g_assert_cmpuint(got->seq, ==, sorted[i].seq);
        g_assert_cmpuint(t, ==, sorted[i].time);
        if (i % 20000 == 0)
            sim_queue_check_invariants(q);
    }
    g_assert_cmpuint(sim_queue_get_len(q), ==, 0);
}

/* Memory: an empty queue holds at least its struct and a pushed event adds at
 * least its 24-byte entry, but for the first of each bucket (at most 3,712),
 * held in the bucket itself. Blocks are pooled, never freed, so the figure never
 * drops; a round of pushes and pops that repeats the first one exactly (same
 * offsets from a floor aligned to 2^24, so the same buckets) reuses the pooled
 * blocks and allocates nothing more. */
static void test_memory_reuse(void) {
    enum { N = 5000 };
    g_autoptr(SimQueue) q = sim_queue_new();
    gsize empty = sim_queue_get_memory(q), peak = 0;
    g_assert_cmpuint(empty, >=, 24);
    for (guint round = 0; round < 3; round++) {
        SimTime base = (SimTime)(round + 1) << 24, t, prev = base;
        gpointer data;
        sim_queue_push(q, base, fn_a, NULL, NULL);
        g_assert_true(pop(q, SIM_TIME_INVALID, &t, &data));
        g_assert_cmpuint(sim_queue_get_floor(q), ==, base);
        for (guint i = 0; i < N; i++)
            sim_queue_push(q, base + 1 + (i * 7919u) % 100000, fn_a, NULL, NULL);
        gsize full = sim_queue_get_memory(q);
        g_assert_cmpuint(full, >=, empty + (N - 3712) * 24);
        for (guint i = 0; i < N; i++) {
            g_assert_true(pop(q, SIM_TIME_INVALID, &t, &data));
            g_assert_cmpuint(t, >=, prev);
            prev = t;
        }
        g_assert_cmpuint(sim_queue_get_memory(q), >=, full);
        if (round == 0)
            peak = sim_queue_get_memory(q);
        g_assert_cmpuint(sim_queue_get_memory(q), ==, peak);
    }
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sim/queue/equal-time-fifo", test_equal_time_fifo);
    g_test_add_func("/sim/queue/bucket-own-entry", test_bucket_own_entry);
    g_test_add_func("/sim/queue/level0-front", test_level0_front);
    g_test_add_func("/sim/queue/taken-entry-stale", test_taken_entry_stale);
    g_test_add_func("/sim/queue/summary-words", test_summary_words);
    g_test_add_func("/sim/queue/push-at-floor-runs-last", test_push_at_floor_runs_last);
    g_test_add_func("/sim/queue/fifo-moves", test_fifo_moves);
    g_test_add_func("/sim/queue/floor-cancel-compacts", test_floor_cancel_compacts);
    g_test_add_func("/sim/queue/cancel", test_cancel);
    g_test_add_func("/sim/queue/stale-handle", test_stale_handle);
    g_test_add_func("/sim/queue/limit", test_limit);
    g_test_add_func("/sim/queue/redistribute-take", test_redistribute_take);
    g_test_add_data_func("/sim/queue/wide-keys-radix", NULL, test_wide_keys);
    g_test_add_data_func("/sim/queue/wide-keys-small", "small", test_wide_keys);
    g_test_add_func("/sim/queue/peek-skips-tombstones", test_peek_skips_tombstones);
    g_test_add_func("/sim/queue/handlers", test_handlers);
    g_test_add_func("/sim/queue/handler-last-pair", test_handler_last_pair);
    g_test_add_func("/sim/queue/push-in-past", test_push_in_past);
    g_test_add_func("/sim/queue/compaction", test_compaction);
    g_test_add_func("/sim/queue/randomized-reference", test_randomized_reference);
    g_test_add_func("/sim/queue/large-sorted", test_large_sorted);
    g_test_add_func("/sim/queue/memory-reuse", test_memory_reuse);
    return g_test_run();
}
