/* test-sim-queue-tiers.c: the event queue's small tier and its switches to
 * and from the radix tier keep the exact (time, push order) of pops. */
#include <glib.h>

#include "sim/engine/sim-queue-private.h"
#include "sim/engine/sim-queue.h"
#include "sim/engine/sim-rng.h"

#define CAP SIM__QUEUE_SMALL_CAP
#define LO  SIM__QUEUE_SMALL_LO

static void fn_a(SimEngine *engine, gpointer data) {
    (void)engine;
    (void)data;
}

static SimHandle push(SimQueue *q, SimTime t, guint id) {
    return sim_queue_push(q, t, fn_a, GUINT_TO_POINTER(id), NULL);
}

/* Pops one event, expecting time @t and payload @id. */
static void pop_expect(SimQueue *q, SimTime t, guint id) {
    SimTime got;
    SimEventFn fn;
    gpointer data;
    GDestroyNotify destroy;
    g_assert_true(sim_queue_pop(q, SIM_TIME_INVALID, &got, &fn, &data, &destroy));
    g_assert_cmpuint(got, ==, t);
    g_assert_cmpuint(GPOINTER_TO_UINT(data), ==, id);
    sim_queue_check_invariants(q);
}

/* Two events at 10 (1, 2) and one at 5 (3): 3 pops, then 1 raises the floor
 * to 10, which moves 2 to the now-FIFO; 4, pushed at the floor then, runs
 * after 2; 5 at 11 (small tier) after both. */
static void test_small_ties(void) {
    g_autoptr(SimQueue) q = sim_queue_new();
    push(q, 10, 1);
    push(q, 10, 2);
    push(q, 5, 3);
    push(q, 11, 5);
    g_assert_true(q->small_on);
    g_assert_cmpuint(q->small_n, ==, 4);
    pop_expect(q, 5, 3);
    pop_expect(q, 10, 1);
    g_assert_cmpuint(q->small_n, ==, 1); /* 2 went to the FIFO */
    SimHandle h4 = push(q, 10, 4);
    g_assert_true(sim_queue_is_pending(q, h4));
    pop_expect(q, 10, 2);
    pop_expect(q, 10, 4);
    pop_expect(q, 11, 5);
    g_assert_cmpuint(sim_queue_get_len(q), ==, 0);
}

/* CAP pushes fill the small tier, alternating keys 100 and 200 (ids 1..CAP);
 * one more (id CAP + 1, at 100) moves all to the radix tier; cancels there
 * (ids 3 and 5) and the pops give 100s then 200s, each in push order. The
 * pop made with LO + 1 pending (LO left after it) moves the rest back to the
 * small tier, whose ties at the floor go to the FIFO, before a push at the
 * floor (id 99). */
static void test_spill_and_gather(void) {
    g_autoptr(SimQueue) q = sim_queue_new();
    SimHandle h[CAP + 2];
    for (guint id = 1; id <= CAP; id++)
        h[id] = push(q, id % 2 ? 100 : 200, id);
    g_assert_true(q->small_on);
    g_assert_cmpuint(q->small_n, ==, CAP);
    h[CAP + 1] = push(q, 100, CAP + 1);
    g_assert_false(q->small_on);
    g_assert_cmpuint(q->small_n, ==, 0);
    sim_queue_check_invariants(q);
    g_assert_true(sim_queue_cancel(q, h[3]) && sim_queue_cancel(q, h[5]));
    g_assert_false(sim_queue_is_pending(q, h[3]));
    g_assert_true(sim_queue_is_pending(q, h[CAP + 1]));
    /* 100s: odd ids but 3 and 5, then CAP + 1; 200s: even ids */
    guint order[CAP + 1], times[CAP + 1], n = 0;
    for (guint id = 1; id <= CAP; id += 2)
        if (id != 3 && id != 5)
            order[n] = id, times[n++] = 100;
    order[n] = CAP + 1, times[n++] = 100;
    for (guint id = 2; id <= CAP; id += 2)
        order[n] = id, times[n++] = 200;
    g_assert_cmpuint(n, ==, CAP - 1);
    guint i = 0;
    for (; sim_queue_get_len(q) > LO; i++)
        pop_expect(q, times[i], order[i]);
    g_assert_true(q->small_on); /* gathered by the pop made at LO + 1 pending */
    g_assert_cmpuint(sim_queue_get_len(q), ==, LO);
    push(q, sim_queue_get_floor(q), 99);
    for (; i < n; i++)
        pop_expect(q, times[i], order[i]);
    pop_expect(q, 200, 99); /* the floor was 200 when 99 was pushed */
}

/* A full small tier holding tombstones drops them for a push instead of
 * moving to the radix tier: CAP pushes at 1000 - id (ids 1..CAP, so the last
 * pushed is the least), two cancelled (ids 1 and CAP), one more push (id
 * CAP + 1 at 500) stays in the small tier; the pops give CAP + 1 (at 500),
 * then ids CAP - 1 down to 2 (at 1000 - id). */
static void test_full_drops_tombstones(void) {
    g_autoptr(SimQueue) q = sim_queue_new();
    SimHandle h[CAP + 1];
    for (guint id = 1; id <= CAP; id++)
        h[id] = push(q, 1000 - id, id);
    g_assert_true(sim_queue_cancel(q, h[1]) && sim_queue_cancel(q, h[CAP]));
    push(q, 500, CAP + 1);
    g_assert_true(q->small_on);
    g_assert_cmpuint(q->small_n, ==, CAP - 1);
    g_assert_cmpuint(q->dead, ==, 0);
    sim_queue_check_invariants(q);
    pop_expect(q, 500, CAP + 1);
    for (guint id = CAP - 1; id >= 2; id--)
        pop_expect(q, 1000 - id, id);
    g_assert_cmpuint(sim_queue_get_len(q), ==, 0);
}

typedef struct {
    SimTime time;
    SimHandle h;
    guint state; /* 0 pending, 1 popped, 2 cancelled */
} Ref;

/* The reference: the pending event of least time, then least push index. */
static Ref *ref_min(GArray *refs) {
    Ref *best = NULL;
    for (guint i = 0; i < refs->len; i++) {
        Ref *r = &g_array_index(refs, Ref, i);
        if (r->state == 0 && (best == NULL || r->time < best->time))
            best = r;
    }
    return best;
}

static SimTime random_time(SimQueue *q, SimRng *rng) {
    static const uint64_t spans[] = {1, 3, 60, 5000, 400000};
    return sim_queue_get_floor(q) + sim_rng_range(rng, spans[sim_rng_range(rng, 5)]);
}

/* One random pop, a quarter of them with a limit, checked against the
 * reference; returns whether one was popped. */
static gboolean ref_pop(SimQueue *q, GArray *refs, SimRng *rng) {
    Ref *want = ref_min(refs);
    SimTime limit = sim_rng_range(rng, 4) == 0 ? random_time(q, rng) : SIM_TIME_INVALID;
    SimTime t;
    SimEventFn fn;
    gpointer data;
    GDestroyNotify destroy;
    gboolean got = sim_queue_pop(q, limit, &t, &fn, &data, &destroy);
    g_assert_cmpint(got, ==, want != NULL && want->time <= limit);
    if (got) {
        g_assert_cmpuint(GPOINTER_TO_UINT(data) - 1, ==, want - (Ref *)refs->data);
        g_assert_cmpuint(t, ==, want->time);
        want->state = 1;
    }
    return got;
}

/* 80,000 random pushes (ties and pushes at the floor frequent), cancels and
 * pops, the pending count driven up past CAP and down below LO over and
 * over, so that both tiers and both switches are taken many times; every
 * pop is checked against the reference. */
static void test_randomized_tiers(void) {
    g_autoptr(GArray) refs = g_array_new(FALSE, TRUE, sizeof(Ref));
    g_autoptr(SimRng) rng = sim_rng_new(11, "test-queue-tiers");
    g_autoptr(SimQueue) q = sim_queue_new();
    guint spills = 0, gathers = 0, growing = 1;
    gsize pending = 0;
    for (guint op = 0; op < 80000; op++) {
        gboolean was_small = q->small_on;
        guint dice = (guint)sim_rng_range(rng, 100);
        if (pending > 3 * CAP)
            growing = 0;
        else if (pending < LO / 2)
            growing = 1;
        guint push_pct = growing ? 60 : 20;
        if (dice < push_pct) {
            Ref r = {.time = random_time(q, rng)};
            r.h = push(q, r.time, refs->len + 1);
            g_array_append_val(refs, r);
            pending++;
        } else if (dice < push_pct + 10 && refs->len > 0) {
            Ref *r = &g_array_index(refs, Ref, sim_rng_range(rng, refs->len));
            g_assert_cmpint(sim_queue_is_pending(q, r->h), ==, r->state == 0);
            g_assert_cmpint(sim_queue_cancel(q, r->h), ==, r->state == 0);
            pending -= r->state == 0;
            r->state = r->state == 0 ? 2 : r->state;
        } else if (ref_pop(q, refs, rng)) {
            pending--;
        }
        g_assert_cmpuint(sim_queue_get_len(q), ==, pending);
        spills += was_small && !q->small_on;
        gathers += !was_small && q->small_on;
        if (op % 7 == 0)
            sim_queue_check_invariants(q);
    }
    while (ref_pop(q, refs, rng) || ref_min(refs) != NULL)
        ;
    g_assert_cmpuint(sim_queue_get_len(q), ==, 0);
    g_test_message("%u spills, %u gathers", spills, gathers);
    g_assert_cmpuint(spills, >=, 50);
    g_assert_cmpuint(gathers, >=, 50);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sim/queue-tiers/small-ties", test_small_ties);
    g_test_add_func("/sim/queue-tiers/spill-and-gather", test_spill_and_gather);
    g_test_add_func("/sim/queue-tiers/full-drops-tombstones", test_full_drops_tombstones);
    g_test_add_func("/sim/queue-tiers/randomized", test_randomized_tiers);
    return g_test_run();
}
