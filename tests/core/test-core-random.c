/* tests/core/test-core-random.c: randomized differential test of core/.
 *
 * Thousands of random operation sequences from fixed seeds drive core/ through
 * the fake environment (fault, read and commit accesses, deferred waits,
 * supplies of pages and zero markers, fails, evictions, resizes, kills,
 * suspends, timeouts, detach, close, pager close, port close, dequeues). The
 * reference model of ref-model.c answers the same calls. After every step the
 * checkers run and the signals, the dequeued packets and the heads of every
 * VMO must equal the reference's. Set CORE_RANDOM_TRACE to print each step
 * when a seed fails.
 */
#include "ref-model.h"

#define MAX_PAGES   24
#define N_SEQUENCES 4000
#define N_STEPS     240

typedef struct {
    GRand *rand;     /* This sequence's generator (explicitly seeded). */
    FakeEnv *env;    /* Real core/ in the fake environment. */
    RefModel *ref;   /* The reference. */
    guint n_threads; /* Threads T0.. */
    guint steps;     /* Steps done. */
    gboolean faults; /* Faults and reads only: every head is one page. */
} Run;

#define TRACE(...)                                                                                 \
    do {                                                                                           \
        if (g_getenv("CORE_RANDOM_TRACE") != NULL)                                                 \
            g_printerr(__VA_ARGS__);                                                               \
    } while (0)

static guint pick(Run *r, guint n) { return (guint)g_rand_int_range(r->rand, 0, (gint32)n); }

static FakeVmo *pick_vmo(Run *r) {
    return g_ptr_array_index(r->env->vmos, pick(r, r->env->vmos->len));
}

/* Picks a thread in @state, or NULL. */
static FakeThread *pick_thread(Run *r, FakeThreadState state) {
    guint start = pick(r, r->n_threads);
    for (guint i = 0; i < r->n_threads; i++) {
        FakeThread *t = fake_env_thread(r->env, (start + i) % r->n_threads);
        if (t->state == state || (state == FAKE_THREAD_DONE && t->state == FAKE_THREAD_IDLE))
            return t;
    }
    return NULL;
}

/* A range of pages, mostly inside the VMO, sometimes past its end. */
static void pick_range(Run *r, FakeVmo *v, guint64 *page, guint64 *n) {
    guint size = (guint)MAX(v->size, 1);
    if (pick(r, 10) == 0) {
        *page = pick(r, size + 2);
        *n = 1 + pick(r, size);
        return;
    }
    *page = pick(r, size);
    *n = 1 + pick(r, MIN(size - (guint)*page, pick(r, 3) == 0 ? size : 4));
}

static void op_access(Run *r) {
    FakeThread *t = pick_thread(r, FAKE_THREAD_DONE);
    FakeVmo *v = pick_vmo(r);
    guint64 page, n;
    if (t == NULL)
        return;
    pick_range(r, v, &page, &n);
    t->defer_wait = pick(r, 5) == 0;
    guint kind = pick(r, r->faults ? 2 : 3);
    TRACE("  T%u access kind %u vmo %u [%" G_GUINT64_FORMAT ",+%" G_GUINT64_FORMAT ") defer %d\n",
          t->id, kind, v->index, page, n, t->defer_wait);
    switch (kind) {
        case 0:
            fake_thread_fault(t, v, page);
            break;
        case 1:
            fake_thread_read(t, v, page, n);
            break;
        default:
            fake_thread_commit(t, v, page, n);
            break;
    }
}

static void op_supply(Run *r) {
    FakeVmo *v = pick_vmo(r);
    guint64 page, n;
    pick_range(r, v, &page, &n);
    if (pick(r, 5) == 0)
        fake_vmo_supply_zero(v, page, n);
    else
        fake_vmo_supply(v, page, n);
}

static void op_fail(Run *r) {
    static const CoreStatus codes[] = {CORE_ERR_IO, CORE_ERR_IO_DATA_INTEGRITY, CORE_ERR_BAD_STATE,
                                       CORE_ERR_NO_SPACE, CORE_OK};
    FakeVmo *v = pick_vmo(r);
    guint64 page, n;
    pick_range(r, v, &page, &n);
    if (pick(r, 4) == 0)
        n = 0;
    fake_vmo_fail_pages(v, page, n, codes[pick(r, pick(r, 6) == 0 ? 5 : 3)]);
}

static void op_interrupt(Run *r) {
    static const CoreStatus why[] = {CORE_ERR_INTERNAL_INTR_KILLED, CORE_ERR_INTERNAL_INTR_RETRY,
                                     CORE_ERR_TIMED_OUT};
    static const FakeThreadState states[] = {FAKE_THREAD_BLOCKED, FAKE_THREAD_WOKEN,
                                             FAKE_THREAD_PRE_WAIT};
    FakeThread *t = pick_thread(r, states[pick(r, 3)]);
    if (t != NULL) {
        CoreStatus st = why[pick(r, 3)];
        TRACE("  T%u interrupt %d in state %d\n", t->id, st, t->state);
        fake_thread_interrupt(t, st);
    }
}

static void op_lifecycle(Run *r) {
    FakeVmo *v = pick_vmo(r);
    switch (pick(r, 4)) {
        case 0:
            fake_vmo_detach(v);
            break;
        case 1:
            fake_vmo_close(v);
            break;
        case 2:
            fake_env_pager_close(r->env);
            break;
        default:
            fake_env_port_close(r->env);
            break;
    }
}

/* The pager's usual work: read a packet and (mostly) serve its range. */
static void op_serve(Run *r) {
    CorePortPacketInfo info;
    if (!fake_env_dequeue_packet(r->env, &info) || info.command != CORE_PAGER_VMO_READ)
        return;
    FakeVmo *v = g_ptr_array_index(r->env->vmos, info.key - 1);
    guint dice = pick(r, 10);
    if (dice < 6)
        fake_vmo_supply(v, info.offset / PG, info.length / PG);
    else if (dice < 8)
        fake_vmo_supply(v, info.offset / PG + pick(r, (guint)(info.length / PG)), 1);
    else if (dice < 9)
        fake_vmo_fail_pages(v, info.offset / PG, info.length / PG, CORE_ERR_IO_DATA_INTEGRITY);
}

static void step(Run *r) {
    guint dice = pick(r, 100);
    FakeThread *t;
    FakeVmo *v = pick_vmo(r);
    guint64 page, n;

    TRACE(" dice %u\n", dice);
    if (dice < 24) {
        op_access(r);
    } else if (dice < 29 && (t = pick_thread(r, FAKE_THREAD_PRE_WAIT)) != NULL) {
        TRACE("  T%u enter wait signalled %d\n", t->id, core_page_request_is_signalled(&t->req));
        fake_thread_enter_wait(t);
    } else if (dice < 32 && (t = pick_thread(r, FAKE_THREAD_SUSPENDED)) != NULL) {
        fake_thread_resume(t);
    } else if (dice < 40) {
        op_supply(r);
    } else if (dice < 58) {
        op_serve(r);
    } else if (dice < 62) {
        op_fail(r);
    } else if (dice < 72) {
        pick_range(r, v, &page, &n);
        fake_vmo_evict(v, page / 2, n + pick(r, 8));
    } else if (dice < 78) {
        op_interrupt(r);
    } else if (dice < 80) {
        fake_vmo_resize(v, 1 + pick(r, MAX_PAGES));
    } else if (dice < 81 && r->steps > N_STEPS * 3 / 4 && pick(r, 3) == 0) {
        op_lifecycle(r);
    } else if (dice < 88 && !r->env->auto_settle) {
        fake_env_settle(r->env);
    } else {
        fake_env_dequeue(r->env);
    }
}

/* Compares the step's logs and every VMO's heads with the reference. */
static void compare(Run *r) {
    fake_env_check(r->env);
    g_assert_cmpstr(r->env->signals->str, ==, ref_model_signals(r->ref)->str);
    g_assert_cmpstr(r->env->packets->str, ==, ref_model_packets(r->ref)->str);
    g_assert_cmpuint(core_port_get_count(r->env->port), ==, ref_model_port_count(r->ref));
    for (guint i = 0; i < r->env->vmos->len; i++)
        g_assert_cmpstr(fake_vmo_tree(g_ptr_array_index(r->env->vmos, i)), ==,
                        ref_model_tree(r->ref, i));
    fake_env_clear_logs(r->env);
    g_string_truncate(ref_model_signals(r->ref), 0);
    g_string_truncate(ref_model_packets(r->ref), 0);
}

static void run_sequence(guint32 seed, gboolean faults, CorePageSourceStats *total,
                         guint64 *packets) {
    Run r = {0};
    r.faults = faults;
    r.rand = g_rand_new_with_seed(seed);
    guint n_vmos = 1 + pick(&r, 2);
    r.env = fake_env_new();
    r.ref = ref_model_new(n_vmos, 3 * MAX_PAGES);
    r.env->mirror = ref_model_get_ops();
    r.env->mirror_ctx = r.ref;
    r.env->log_keys = TRUE;
    r.env->auto_settle = pick(&r, 2) == 0;
    r.n_threads = 2 + pick(&r, 11);
    for (guint i = 0; i < n_vmos; i++)
        fake_env_add_vmo(r.env, 1 + pick(&r, MAX_PAGES));
    for (guint i = 0; i < r.n_threads; i++)
        fake_env_thread(r.env, i);
    for (r.steps = 0; r.steps < N_STEPS; r.steps++) {
        if (g_getenv("CORE_RANDOM_TRACE") != NULL)
            g_printerr("seed %u step %u\n", seed, r.steps);
        step(&r);
        *packets += (guint64)(r.env->packets->len > 0);
        compare(&r);
    }
    for (guint i = 0; i < r.env->vmos->len; i++) {
        const CorePageSourceStats *st =
            core_page_source_get_stats(((FakeVmo *)g_ptr_array_index(r.env->vmos, i))->src);
        /* Without commits no head is longer than a page, so the source's
         * one-page lookups (page-source.c) served every GetPage and supply. */
        if (faults)
            g_assert_cmpuint(st->sent_bytes, ==, st->sent * CORE_PAGE_SIZE);
        total->sent += st->sent;
        total->coalesced += st->coalesced;
        total->failed_heads += st->failed_heads;
        total->cancelled += st->cancelled;
        total->promotions += st->promotions;
        total->signals += st->signals;
    }
    fake_env_free(r.env);
    ref_model_free(r.ref);
    g_rand_free(r.rand);
}

static void test_random_sequences(void) {
    CorePageSourceStats total = {0};
    guint64 packets = 0;
    for (guint32 seed = 1; seed <= N_SEQUENCES; seed++)
        run_sequence(seed, FALSE, &total, &packets);
    g_test_message("%u sequences x %u steps: %" G_GUINT64_FORMAT " heads sent, %" G_GUINT64_FORMAT
                   " coalesced, %" G_GUINT64_FORMAT " failed, %" G_GUINT64_FORMAT
                   " cancelled, %" G_GUINT64_FORMAT " promotions, %" G_GUINT64_FORMAT
                   " signals, %" G_GUINT64_FORMAT " steps with packets",
                   N_SEQUENCES, N_STEPS, total.sent, total.coalesced, total.failed_heads,
                   total.cancelled, total.promotions, total.signals, packets);
    /* The sequences must actually exercise every path, not just agree. */
    g_assert_cmpuint(total.sent, >, N_SEQUENCES * 10);
    g_assert_cmpuint(total.coalesced, >, N_SEQUENCES);
    g_assert_cmpuint(total.failed_heads, >, N_SEQUENCES);
    g_assert_cmpuint(total.cancelled, >, N_SEQUENCES);
    g_assert_cmpuint(total.promotions, >, N_SEQUENCES / 10);
    g_assert_cmpuint(packets, >, N_SEQUENCES * 10);
}

/* Faults and reads only, so that every head is one page: the sources keep
 * to their exact one-page lookups for the whole sequence. */
static void test_one_page_sequences(void) {
    CorePageSourceStats total = {0};
    guint64 packets = 0;
    for (guint32 seed = 1; seed <= N_SEQUENCES / 4; seed++)
        run_sequence(100000 + seed, TRUE, &total, &packets);
    g_assert_cmpuint(total.sent, >, N_SEQUENCES / 4 * 10);
    g_assert_cmpuint(total.coalesced, >, N_SEQUENCES / 4);
    g_assert_cmpuint(total.failed_heads, >, N_SEQUENCES / 4);
    g_assert_cmpuint(total.cancelled, >, N_SEQUENCES / 4);
    g_assert_cmpuint(packets, >, N_SEQUENCES / 4 * 10);
}

static void ignore_log(const gchar *domain, GLogLevelFlags level, const gchar *message,
                       gpointer data) {}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    /* Thousands of expected "excessive page count" debug lines are noise here. */
    g_log_set_handler("pagesim-core", G_LOG_LEVEL_DEBUG, ignore_log, NULL);
    g_test_add_func("/core/random/differential-against-reference", test_random_sequences);
    g_test_add_func("/core/random/one-page-heads", test_one_page_sequences);
    return g_test_run();
}
