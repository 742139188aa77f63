/* test-sim-queue-tiers.c: the event queue's small tier and its switches to
 * and from the radix tier keep the exact (time, push order) of pops. */
#include <glib.h>
#include <string.h>

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

/* The reference: every event pushed (refs, by push index) and the indices
 * of the pending ones (live, in no order), so that its minimum is a scan of
 * the few pending events. */
typedef struct {
    GArray *refs;
    GArray *live;
} RefSet;

/* The pending event of least time, then least push index (NULL if none);
 * its place in set->live in @at. */
static Ref *ref_min(const RefSet *set, guint *at) {
    Ref *best = NULL;
    for (guint k = 0; k < set->live->len; k++) {
        Ref *r = &g_array_index(set->refs, Ref, g_array_index(set->live, guint, k));
        if (best == NULL || r->time < best->time || (r->time == best->time && r < best)) {
            best = r;
            *at = k;
        }
    }
    return best;
}

/* Marks pending @r (@state 1 or 2) as no longer pending. */
static void ref_retire(RefSet *set, Ref *r, guint state) {
    guint index = (guint)(r - (Ref *)set->refs->data);
    for (guint k = 0; k < set->live->len; k++)
        if (g_array_index(set->live, guint, k) == index) {
            g_array_remove_index_fast(set->live, k);
            r->state = state;
            return;
        }
    g_assert_not_reached();
}

static SimTime random_time(SimQueue *q, SimRng *rng) {
    static const uint64_t spans[] = {1, 3, 60, 5000, 400000};
    return sim_queue_get_floor(q) + sim_rng_range(rng, spans[sim_rng_range(rng, 5)]);
}

/* One random pop, a quarter of them with a limit, checked against the
 * reference; returns whether one was popped. */
static gboolean ref_pop(SimQueue *q, RefSet *set, SimRng *rng) {
    guint at = 0;
    Ref *want = ref_min(set, &at);
    SimTime limit = sim_rng_range(rng, 4) == 0 ? random_time(q, rng) : SIM_TIME_INVALID;
    SimTime t;
    SimEventFn fn;
    gpointer data;
    GDestroyNotify destroy;
    gboolean got = sim_queue_pop(q, limit, &t, &fn, &data, &destroy);
    g_assert_cmpint(got, ==, want != NULL && want->time <= limit);
    if (got) {
        g_assert_cmpuint(GPOINTER_TO_UINT(data) - 1, ==, want - (Ref *)set->refs->data);
        g_assert_cmpuint(t, ==, want->time);
        ref_retire(set, want, 1);
    }
    return got;
}

/* sim_queue_peek_time equals the reference's least pending time. */
static void ref_check_peek(const SimQueue *q, const RefSet *set) {
    guint at;
    const Ref *want = ref_min(set, &at);
    g_assert_cmpuint(sim_queue_peek_time(q), ==, want != NULL ? want->time : SIM_TIME_INVALID);
}

/* 80,000 random pushes (ties and pushes at the floor frequent), cancels and
 * pops, the pending count driven up past CAP and down below LO over and
 * over, so that both tiers and both switches are taken many times; every
 * pop, and the peeked time after every step, is checked against the
 * reference. */
static void randomized_tiers(gboolean hold) {
    RefSet set = {g_array_new(FALSE, TRUE, sizeof(Ref)), g_array_new(FALSE, FALSE, sizeof(guint))};
    g_autoptr(SimRng) rng = sim_rng_new(11, "test-queue-tiers");
    g_autoptr(SimQueue) q = sim_queue_new();
    guint spills = 0, gathers = 0, growing = 1, held = 0;
    for (guint op = 0; op < 80000; op++) {
        if (!hold)
            q->small_hold.hold = 0;
        held += q->small_hold.hold > 0;
        gboolean was_small = q->small_on;
        guint dice = (guint)sim_rng_range(rng, 100);
        if (set.live->len > 3 * CAP)
            growing = 0;
        else if (set.live->len < LO / 2)
            growing = 1;
        guint push_pct = growing ? 60 : 20;
        if (dice < push_pct) {
            Ref r = {.time = random_time(q, rng)};
            guint index = set.refs->len;
            r.h = push(q, r.time, index + 1);
            g_array_append_val(set.refs, r);
            g_array_append_val(set.live, index);
        } else if (dice < push_pct + 10 && set.refs->len > 0) {
            Ref *r = &g_array_index(set.refs, Ref, sim_rng_range(rng, set.refs->len));
            g_assert_cmpint(sim_queue_is_pending(q, r->h), ==, r->state == 0);
            g_assert_cmpint(sim_queue_cancel(q, r->h), ==, r->state == 0);
            if (r->state == 0)
                ref_retire(&set, r, 2);
        } else {
            ref_pop(q, &set, rng);
        }
        g_assert_cmpuint(sim_queue_get_len(q), ==, set.live->len);
        ref_check_peek(q, &set);
        spills += was_small && !q->small_on;
        gathers += !was_small && q->small_on;
        if (op % 7 == 0)
            sim_queue_check_invariants(q);
    }
    while (set.live->len > 0)
        ref_pop(q, &set, rng);
    g_assert_cmpuint(sim_queue_get_len(q), ==, 0);
    ref_check_peek(q, &set);
    g_test_message("%u spills, %u gathers, %u steps held", spills, gathers, held);
    if (hold) {
        /* its swings are churn (a spill within CHURN pushes of a gather) */
        g_assert_cmpuint(spills, >=, 2);
        g_assert_cmpuint(held, >=, 40000);
    } else {
        g_assert_cmpuint(spills, >=, 50);
        g_assert_cmpuint(gathers, >=, 50);
    }
    g_array_unref(set.refs);
    g_array_unref(set.live);
}

/* With the hold forced off at every step, so that the switches are many. */
static void test_randomized_tiers(void) { randomized_tiers(FALSE); }

/* With the hold as it comes: the timers stay in the buckets for long. */
static void test_randomized_held(void) { randomized_tiers(TRUE); }

/* Pops the next of ids pushed at 1000 + id and popped in order: *@popped + 1. */
static void pop_next(SimQueue *q, guint *popped) {
    ++*popped;
    pop_expect(q, 1000 + *popped, *popped);
}

/* Pushes ids @from..@to at time @t + id. */
static void push_run(SimQueue *q, SimTime t, guint from, guint to) {
    for (guint id = from; id <= to; id++)
        push(q, t + id, id);
}

/* The hold: a spill CAP + 1 pushes after the start (no gather yet) sets
 * none; pops to LO gather (at seq CAP + 1); CAP + 1 pushes more spill again
 * within CHURN pushes of it: hold CHURN, and the pops to LO then leave the
 * timers in the buckets until CHURN pushes after that spill have been made;
 * a spill then doubles the hold (the gather before it was within CHURN), one
 * made CHURN pushes after a gather clears it. Pops keep time order all along
 * (each run's times are above the last). */
static void test_hold(void) {
    g_autoptr(SimQueue) q = sim_queue_new();
    SimQueueSmallHold *h = &q->small_hold;
    guint id = 1, popped = 0;
    push_run(q, 1000, id, CAP + 1), id = CAP + 2; /* seq CAP + 1: spill */
    g_assert_false(q->small_on);
    g_assert_cmpuint(h->hold, ==, 0);
    while (sim_queue_get_len(q) > LO)
        pop_next(q, &popped);
    g_assert_true(q->small_on);
    g_assert_cmpuint(h->gathered, ==, CAP + 1);
    /* CAP + 1 - LO pushes fill the tier again, one more spills */
    push_run(q, 1000, id, id + CAP - LO), id += CAP - LO + 1;
    g_assert_false(q->small_on);
    g_assert_cmpuint(h->hold, ==, SIM__QUEUE_SMALL_CHURN);
    g_assert_cmpuint(h->spilled, ==, id - 1);
    while (sim_queue_get_len(q) > 2)
        pop_next(q, &popped);
    g_assert_false(q->small_on); /* held */
    /* pushes and pops at 2 pending until CHURN pushes after the spill */
    while (q->seq - h->spilled < SIM__QUEUE_SMALL_CHURN) {
        push(q, 1000 + id, id), id++;
        pop_next(q, &popped);
        g_assert_true(q->small_on == (q->seq - h->spilled >= SIM__QUEUE_SMALL_CHURN));
    }
    g_assert_true(q->small_on);                         /* the pop after the last push gathered */
    push_run(q, 1000, id, id + CAP - 2), id += CAP - 1; /* spill: churn again */
    g_assert_false(q->small_on);
    g_assert_cmpuint(h->hold, ==, 2 * SIM__QUEUE_SMALL_CHURN);
    while (q->seq - h->spilled < 2 * SIM__QUEUE_SMALL_CHURN || !q->small_on) {
        push(q, 1000 + id, id), id++;
        while (sim_queue_get_len(q) > 2)
            pop_next(q, &popped);
    }
    /* gathered; CHURN pushes at 2 pending, then a spill clears the hold */
    for (guint i = 0; i < SIM__QUEUE_SMALL_CHURN; i++) {
        push(q, 1000 + id, id), id++;
        pop_next(q, &popped);
    }
    push_run(q, 1000, id, id + CAP - 2), id += CAP - 1;
    g_assert_false(q->small_on);
    g_assert_cmpuint(h->hold, ==, 0);
    while (sim_queue_get_len(q) > 0)
        pop_next(q, &popped);
    g_assert_cmpuint(popped, ==, id - 1);
}

/* Destroy counts by payload, for test_free_destroys_small. */
static guint destroyed[8];

static void count_destroy(gpointer data) { destroyed[GPOINTER_TO_UINT(data)]++; }

/* sim_queue_free calls the destroy function of each event pending in the
 * small tier once: ids 1..5 at times 50..10 step -10 (the small tier holds
 * them), id 3 cancelled (its destroy runs then, once, and not again). */
static void test_free_destroys_small(void) {
    memset(destroyed, 0, sizeof(destroyed));
    SimQueue *q = sim_queue_new();
    SimHandle h[6];
    for (guint id = 1; id <= 5; id++)
        h[id] = sim_queue_push(q, 60 - 10 * id, fn_a, GUINT_TO_POINTER(id), count_destroy);
    g_assert_true(q->small_on);
    g_assert_cmpuint(q->small_n, ==, 5);
    g_assert_true(sim_queue_cancel(q, h[3]));
    g_assert_cmpuint(destroyed[3], ==, 1);
    g_assert_cmpuint(destroyed[1] + destroyed[2] + destroyed[4] + destroyed[5], ==, 0);
    sim_queue_free(q);
    for (guint id = 0; id < G_N_ELEMENTS(destroyed); id++)
        g_assert_cmpuint(destroyed[id], ==, id >= 1 && id <= 5);
}

/* sim__queue_reset_empty turns the small tier back on: CAP + 1 pushes at
 * 100 + id spill to the radix tier, all cancelled leave it on (no take
 * gathers); the reset at floor 7 drops the tombstones and the next pushes
 * (at 9 and 8) go to the small tier and pop in time order. With the tier
 * disabled the reset leaves it off. */
static void test_reset_empty_small_on(void) {
    g_autoptr(SimQueue) q = sim_queue_new();
    SimHandle h[CAP + 2];
    for (guint id = 1; id <= CAP + 1; id++)
        h[id] = push(q, 100 + id, id);
    g_assert_false(q->small_on);
    for (guint id = 1; id <= CAP + 1; id++)
        g_assert_true(sim_queue_cancel(q, h[id]));
    g_assert_false(q->small_on);
    g_assert_cmpuint(sim_queue_get_len(q), ==, 0);
    sim__queue_reset_empty(q, 7);
    g_assert_true(q->small_on);
    g_assert_cmpuint(q->dead, ==, 0);
    g_assert_cmpuint(sim_queue_get_floor(q), ==, 7);
    push(q, 9, 1);
    push(q, 8, 2);
    g_assert_cmpuint(q->small_n, ==, 2);
    sim_queue_check_invariants(q);
    pop_expect(q, 8, 2);
    pop_expect(q, 9, 1);
    sim__queue_small_disable(q);
    sim__queue_reset_empty(q, 9);
    g_assert_false(q->small_on);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sim/queue-tiers/small-ties", test_small_ties);
    g_test_add_func("/sim/queue-tiers/spill-and-gather", test_spill_and_gather);
    g_test_add_func("/sim/queue-tiers/full-drops-tombstones", test_full_drops_tombstones);
    g_test_add_func("/sim/queue-tiers/randomized", test_randomized_tiers);
    g_test_add_func("/sim/queue-tiers/randomized-held", test_randomized_held);
    g_test_add_func("/sim/queue-tiers/hold", test_hold);
    g_test_add_func("/sim/queue-tiers/free-destroys-small", test_free_destroys_small);
    g_test_add_func("/sim/queue-tiers/reset-empty-small-on", test_reset_empty_small_on);
    return g_test_run();
}
