/* The pager timeouts' FIFO ring (mdl-timeout.c): stale entries are dropped
 * anywhere when the ring is full, it doubles in place only when that leaves it
 * over half full, and every live thread's timeout_pos names its entry.
 * Checked by hand on small cases and against a plain list of the live
 * entries under random pushes, clears and pops; the lazy FIFO's build
 * (mdl__deadlines_build) by hand and against an eager FIFO given the same
 * arms and disarms. */
#include "sim/model/mdl-private.h"

/* Never runs: the threads only give the entries their engine ids. */
static void idle(SimThread *st, int32_t status, gpointer data) {
    (void)st;
    (void)status;
    (void)data;
}

/* @n model threads, each with an engine thread (id i for t[i]) on @q's engine. */
static MdlThread *threads_new(MdlTimeouts *q, guint n) {
    MdlThread *t = g_new0(MdlThread, n);
    q->engine = sim_engine_new();
    for (guint i = 0; i < n; i++)
        t[i].sim = sim_thread_spawn(q->engine, "t", idle, &t[i], NULL);
    return t;
}

static void timeouts_clear(MdlTimeouts *q) {
    g_free(q->ring);
    g_clear_pointer(&q->engine, sim_engine_free);
    *q = (MdlTimeouts){0};
}

/* The live entries of @q, front to back, must be @ref (pairs of thread index
 * into @threads and expiry), and each one's timeout_pos must name it. */
static void assert_ring(MdlTimeouts *q, MdlThread *threads, GArray *ref) {
    guint k = 0;
    for (uint64_t pos = q->first; pos < q->first + q->len; pos++) {
        MdlDeadline *d = &q->ring[pos & (q->cap - 1)];
        if (d->thread == MDL_DEADLINE_STALE)
            continue;
        g_assert_cmpuint(k, <, ref->len / 2);
        g_assert_cmpuint(d->thread, ==, g_array_index(ref, guint64, 2 * k));
        g_assert_true(mdl__deadlines_thread(q, d) == &threads[d->thread]);
        g_assert_cmpuint(d->expiry, ==, g_array_index(ref, guint64, 2 * k + 1));
        g_assert_cmpuint(threads[d->thread].timeout_pos, ==, (uint32_t)pos);
        k++;
    }
    g_assert_cmpuint(k, ==, ref->len / 2);
}

static void ref_push(GArray *ref, guint64 thread, guint64 expiry) {
    g_array_append_val(ref, thread);
    g_array_append_val(ref, expiry);
}

/* 64 pushes fill the first ring; 40 clears and a push compact it (24 + 1
 * live, no growth); 39 more fill it again with 64 live: the next push doubles
 * it. Then a wrapped ring (front at slot 50) doubles in place. */
static void by_hand(void) {
    g_autoptr(GArray) ref = g_array_new(FALSE, FALSE, sizeof(guint64));
    MdlTimeouts q = {0};
    g_autofree MdlThread *t = threads_new(&q, 200);
    for (guint i = 0; i < 64; i++)
        mdl__deadlines_push(&q, &t[i], 1000 + i);
    g_assert_cmpuint(q.cap, ==, 64);
    g_assert_cmpuint(q.len, ==, 64);
    for (guint i = 0; i < 40; i++)
        mdl__deadlines_clear(&q, &t[i]);
    mdl__deadlines_push(&q, &t[64], 2000);
    g_assert_cmpuint(q.cap, ==, 64);
    g_assert_cmpuint(q.len, ==, 25);
    g_assert_cmpuint(q.first, ==, 0);
    g_assert_cmpuint(t[40].timeout_pos, ==, 0);
    g_assert_cmpuint(t[64].timeout_pos, ==, 24);
    for (guint i = 40; i < 64; i++)
        ref_push(ref, i, 1000 + i);
    ref_push(ref, 64, 2000);
    for (guint i = 65; i < 104; i++) {
        mdl__deadlines_push(&q, &t[i], 2000 + i);
        ref_push(ref, i, 2000 + i);
    }
    g_assert_cmpuint(q.len, ==, 64);
    mdl__deadlines_push(&q, &t[104], 3000);
    ref_push(ref, 104, 3000);
    g_assert_cmpuint(q.cap, ==, 128);
    g_assert_cmpuint(q.len, ==, 65);
    assert_ring(&q, t, ref);
    g_free(q.ring);
    SimEngine *e = q.engine;

    /* Wrapped: pop 50 of 64, push 50 more (positions 64..113 wrap to slots
     * 0..49), then one more doubles: positions 64..113 move to slots 64..113. */
    q = (MdlTimeouts){.engine = e};
    g_array_set_size(ref, 0);
    for (guint i = 0; i < 64; i++)
        mdl__deadlines_push(&q, &t[i], i);
    for (guint i = 0; i < 50; i++)
        mdl__deadlines_pop(&q);
    for (guint i = 50; i < 64; i++)
        ref_push(ref, i, i);
    for (guint i = 64; i < 114; i++) {
        mdl__deadlines_push(&q, &t[i], i);
        ref_push(ref, i, i);
    }
    g_assert_cmpuint(q.cap, ==, 64);
    g_assert_cmpuint(q.first, ==, 50);
    g_assert_cmpuint(q.ring[0].thread, ==, 64);
    mdl__deadlines_push(&q, &t[114], 114);
    ref_push(ref, 114, 114);
    g_assert_cmpuint(q.cap, ==, 128);
    g_assert_cmpuint(q.ring[64].thread, ==, 64);
    g_assert_cmpuint(q.ring[114 & 127].thread, ==, 114);
    g_assert_cmpuint(mdl__deadlines_front(&q)->thread, ==, 50);
    assert_ring(&q, t, ref);
    timeouts_clear(&q);
}

/* Random pushes (of threads without an entry), clears (of threads with one)
 * and pops, against the list of live entries; the capacity stays within
 * four times the most live entries at once (or the first 64). */
static void random_ops(void) {
    enum { N = 3000 };
    g_autofree gboolean *in = g_new0(gboolean, N);
    g_autoptr(GArray) ref = g_array_new(FALSE, FALSE, sizeof(guint64));
    g_autoptr(SimRng) rng = sim_rng_new(3, "deadlines");
    MdlTimeouts q = {0};
    g_autofree MdlThread *t = threads_new(&q, N);
    guint max_live = 0;
    for (guint step = 0; step < 200000; step++) {
        guint64 i = sim_rng_range(rng, N), op = sim_rng_range(rng, 100);
        /* Phases: mostly pushes, then mostly clears, so the ring fills and empties. */
        gboolean filling = (step / 20000) % 2 == 0;
        if (!in[i] && op < (filling ? 60u : 30u)) {
            mdl__deadlines_push(&q, &t[i], step);
            ref_push(ref, i, step);
            in[i] = TRUE;
        } else if (in[i] && op < 90) {
            mdl__deadlines_clear(&q, &t[i]);
            for (guint k = 0; k < ref->len; k += 2)
                if (g_array_index(ref, guint64, k) == i) {
                    g_array_remove_range(ref, k, 2);
                    break;
                }
            in[i] = FALSE;
        } else if (op >= 90) {
            MdlDeadline *d = mdl__deadlines_front(&q);
            if (d == NULL)
                continue;
            if (d->thread != MDL_DEADLINE_STALE) {
                guint64 j = d->thread;
                g_assert_cmpuint(g_array_index(ref, guint64, 0), ==, j);
                g_array_remove_range(ref, 0, 2);
                in[j] = FALSE;
            }
            mdl__deadlines_pop(&q);
        }
        max_live = MAX(max_live, ref->len / 2);
        g_assert_cmpuint(q.cap, <=, MAX(64u, 4 * max_live));
        if (step % 97 == 0)
            assert_ring(&q, t, ref);
    }
    assert_ring(&q, t, ref);
    g_assert_cmpuint(max_live, >, 1000);
    timeouts_clear(&q);
}

/* A lazy arm (mdl__timeout_arm_inline while q->lazy): the next position. */
static void lazy_arm(MdlTimeouts *q, MdlThread *t) {
    t->timeout_pos = (uint32_t)q->next++;
    t->timeout_armed = TRUE;
    q->armed++;
}

/* Four threads armed lazily across the 2^32 wrap of positions, handed over
 * out of order: the ring holds them in arm order, at expiry 1, positions
 * from 0 on. */
static void lazy_by_hand(void) {
    g_autoptr(GArray) ref = g_array_new(FALSE, FALSE, sizeof(guint64));
    MdlTimeouts q = {0};
    g_autofree MdlThread *t = threads_new(&q, 8);
    q.lazy = TRUE;
    q.next = q.base = UINT32_MAX - 1; /* positions 2^32 - 2, 2^32 - 1, 0, 1 */
    guint order[] = {5, 2, 7, 1};
    for (guint i = 0; i < 4; i++) {
        lazy_arm(&q, &t[order[i]]);
        ref_push(ref, order[i], 1);
    }
    g_assert_cmpuint(t[7].timeout_pos, ==, 0);
    MdlThread *armed[] = {&t[7], &t[1], &t[5], &t[2]};
    mdl__deadlines_build(&q, armed, 4);
    g_assert_false(q.lazy);
    g_assert_cmpuint(q.first, ==, 0);
    g_assert_cmpuint(q.len, ==, 4);
    g_assert_cmpuint(q.cap, ==, 64);
    g_assert_cmpuint(t[5].timeout_pos, ==, 0);
    g_assert_cmpuint(t[1].timeout_pos, ==, 3);
    assert_ring(&q, t, ref);
    timeouts_clear(&q);
}

/* Random arms and disarms, the same on an eager FIFO (pushes and clears)
 * and a lazy one: the lazy one's build, from its armed threads in a random
 * order, holds the eager one's live entries in the same order. */
static void lazy_random(void) {
    enum { N = 2000 };
    g_autoptr(SimRng) rng = sim_rng_new(5, "lazy-deadlines");
    for (guint round = 0; round < 20; round++) {
        MdlTimeouts e = {0}, l = {0};
        g_autofree MdlThread *te = threads_new(&e, N);
        g_autofree MdlThread *tl = threads_new(&l, N);
        l.lazy = TRUE;
        l.next = l.base = UINT32_MAX - sim_rng_range(rng, 5000); /* may wrap */
        guint steps = 1 + (guint)sim_rng_range(rng, 20000);
        for (guint step = 0; step < steps; step++) {
            guint64 i = sim_rng_range(rng, N);
            if (!tl[i].timeout_armed) {
                mdl__deadlines_push(&e, &te[i], 1);
                lazy_arm(&l, &tl[i]);
            } else if (sim_rng_range(rng, 2) == 0) {
                mdl__deadlines_clear(&e, &te[i]);
                tl[i].timeout_armed = FALSE;
                l.armed--;
            }
        }
        g_autoptr(GPtrArray) armed = g_ptr_array_new();
        for (guint i = 0; i < N; i++)
            if (tl[i].timeout_armed)
                g_ptr_array_add(armed, &tl[i]);
        for (guint i = armed->len; i > 1; i--) { /* shuffled */
            guint j = (guint)sim_rng_range(rng, i);
            gpointer x = armed->pdata[i - 1];
            armed->pdata[i - 1] = armed->pdata[j];
            armed->pdata[j] = x;
        }
        mdl__deadlines_build(&l, (MdlThread **)armed->pdata, armed->len);
        g_autoptr(GArray) ref = g_array_new(FALSE, FALSE, sizeof(guint64));
        for (uint64_t pos = e.first; pos < e.first + e.len; pos++)
            if (e.ring[pos & (e.cap - 1)].thread != MDL_DEADLINE_STALE)
                ref_push(ref, e.ring[pos & (e.cap - 1)].thread, 1);
        g_assert_cmpuint(ref->len / 2, ==, armed->len);
        assert_ring(&l, tl, ref);
        timeouts_clear(&e);
        timeouts_clear(&l);
    }
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/mdl/timeouts/by-hand", by_hand);
    g_test_add_func("/mdl/timeouts/random", random_ops);
    g_test_add_func("/mdl/timeouts/lazy-by-hand", lazy_by_hand);
    g_test_add_func("/mdl/timeouts/lazy-random", lazy_random);
    return g_test_run();
}
