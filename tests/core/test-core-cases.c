/* tests/core/test-core-cases.c: every case of core/README.md ("Cases"), one test each.
 *
 * Each test drives the fake environment step by step and asserts the exact
 * packets the pager dequeues, the exact event signals in order, the VMO's
 * calls into the source and the tree afterwards. The invariant checkers run
 * after every step (inside fake-env.c). Unless a case says otherwise the pager
 * reads the port before acting, as the Fuchsia tests do.
 */
#include "fake-env.h"

typedef struct {
    FakeEnv *env;
} Fixture;

static void setup(Fixture *f, gconstpointer data) { f->env = fake_env_new(); }

static void teardown(Fixture *f, gconstpointer data) {
    fake_env_check(f->env);
    fake_env_free(f->env);
}

/* Starts a one-page access of kind @kind (read or fault). */
static FakeThreadState access1(FakeThread *t, FakeVmo *v, guint64 page, FakeAccessKind kind) {
    return kind == FAKE_ACCESS_FAULT ? fake_thread_fault(t, v, page)
                                     : fake_thread_read(t, v, page, 1);
}

static void c01_single_page(Fixture *f, gconstpointer data) {
    const FakeAccessKind kinds[] = {FAKE_ACCESS_READ, FAKE_ACCESS_FAULT};
    for (guint k = 0; k < G_N_ELEMENTS(kinds); k++) {
        g_autoptr(FakeEnv) env = fake_env_new();
        FakeVmo *v = fake_env_add_vmo(env, 1);
        FakeThread *t1 = fake_env_thread(env, 1);

        /* (a) */
        g_assert_cmpint(access1(t1, v, 0, kinds[k]), ==, FAKE_THREAD_BLOCKED);
        ASSERT_TREE(v, "T1[0,1)p=4096");
        g_assert_true(fake_env_dequeue(env));
        ASSERT_PACKETS(env, "READ(0,4096)");
        g_assert_cmpint(fake_vmo_supply(v, 0, 1), ==, CORE_OK);
        ASSERT_CALLS(env, "S(0,4096)");
        ASSERT_SIGNALS(env, "T1:0");
        ASSERT_DONE(t1, CORE_OK);
        g_assert_cmpuint(t1->get_page_calls, ==, 1);
        ASSERT_TREE(v, "");
        g_assert_cmpuint(fake_env_dequeue_all(env), ==, 0);
    }
}

static void c01_presupply(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 1);
    FakeThread *t1 = fake_env_thread(f->env, 1);

    /* (b) */
    g_assert_cmpint(fake_vmo_supply(v, 0, 1), ==, CORE_OK);
    ASSERT_CALLS(f->env, "S(0,4096)");
    ASSERT_TREE(v, "");
    fake_thread_read(t1, v, 0, 1);
    ASSERT_DONE(t1, CORE_OK);
    g_assert_cmpuint(t1->get_page_calls, ==, 0);
    g_assert_cmpuint(core_port_get_count(f->env->port), ==, 0);
    g_assert_cmpuint(core_pager_proxy_get_stats(v->proxy)->reads_queued, ==, 0);
    ASSERT_SIGNALS(f->env, "");
}

static void c02_early_supply(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 2);
    FakeThread *t1 = fake_env_thread(f->env, 1);
    FakeThread *t2 = fake_env_thread(f->env, 2);

    fake_thread_read(t1, v, 0, 1);
    g_assert_cmpuint(core_port_get_count(f->env->port), ==, 1);
    /* 1. Supply without reading the port: the queued READ is withdrawn. */
    fake_vmo_supply(v, 0, 1);
    ASSERT_SIGNALS(f->env, "T1:0");
    ASSERT_DONE(t1, CORE_OK);
    g_assert_cmpuint(core_port_get_count(f->env->port), ==, 0);
    g_assert_cmpuint(core_pager_proxy_get_stats(v->proxy)->reads_withdrawn, ==, 1);
    /* 2, 3. */
    fake_thread_read(t2, v, 1, 1);
    g_assert_true(fake_env_dequeue(f->env));
    fake_vmo_supply(v, 1, 1);
    ASSERT_DONE(t2, CORE_OK);
    g_assert_cmpuint(fake_env_dequeue_all(f->env), ==, 0);
    ASSERT_PACKETS(f->env, "READ(4096,4096)");
    ASSERT_SIGNALS(f->env, "T1:0 T2:0");
    ASSERT_TREE(v, "");
}

static void c03_two_heads_one_supply(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 2);
    FakeThread *t1 = fake_env_thread(f->env, 1);
    FakeThread *t2 = fake_env_thread(f->env, 2);

    fake_thread_read(t1, v, 0, 1);
    fake_thread_read(t2, v, 1, 1);
    ASSERT_TREE(v, "T1[0,1)p=4096 T2[1,2)p=4096");
    g_assert_true(fake_env_dequeue(f->env));
    g_assert_cmpuint(core_port_get_count(f->env->port), ==, 1);
    g_assert_true(fake_env_dequeue(f->env));
    ASSERT_PACKETS(f->env, "READ(0,4096) READ(4096,4096)");
    fake_vmo_supply(v, 0, 2);
    ASSERT_CALLS(f->env, "S(0,8192)");
    ASSERT_SIGNALS(f->env, "T1:0 T2:0");
    ASSERT_DONE(t1, CORE_OK);
    ASSERT_DONE(t2, CORE_OK);
    ASSERT_TREE(v, "");
}

static void c04_many_readers(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 1);
    g_autoptr(GString) tree = g_string_new("T0[0,1)p=4096{");
    g_autoptr(GString) wakes = g_string_new(NULL);

    /* The clone variant (CloneSimultaneousReadTest) resolves a clone's read to
     * the same root source offset, so it is this case with two readers. */
    for (guint i = 0; i < 32; i++) {
        g_assert_cmpint(fake_thread_read(fake_env_thread(f->env, i), v, 0, 1), ==,
                        FAKE_THREAD_BLOCKED);
        if (i > 0) {
            g_string_append_printf(tree, "%sT%u", i > 1 ? "," : "", i);
            g_string_append_printf(wakes, "T%u:0 ", i);
        }
    }
    g_string_append_c(tree, '}');
    g_string_append(wakes, "T0:0");
    ASSERT_TREE(v, tree->str);
    g_assert_cmpuint(fake_env_dequeue_all(f->env), ==, 1);
    ASSERT_PACKETS(f->env, "READ(0,4096)");
    /* 32 GetPage calls (one each, the fast path's): 1 sent, 31 coalesced. */
    const CorePageSourceStats *st = core_page_source_get_stats(v->src);
    g_assert_cmpuint(st->coalesced, ==, 31);
    g_assert_cmpuint(st->get_page_calls, ==, 32);
    g_assert_cmpuint(st->sent, ==, 1);
    g_assert_cmpuint(st->sent_bytes, ==, 4096);
    fake_vmo_supply(v, 0, 1);
    ASSERT_SIGNALS(f->env, wakes->str);
    for (guint i = 0; i < 32; i++)
        ASSERT_DONE(fake_env_thread(f->env, i), CORE_OK);
    g_assert_cmpuint(fake_env_dequeue_all(f->env), ==, 0);
    ASSERT_TREE(v, "");
}

static void c05_fifo_delivery(Fixture *f, gconstpointer data) {
    const guint n = 257;
    FakeVmo *v = fake_env_add_vmo(f->env, n);
    g_autoptr(GString) expect = g_string_new(NULL);

    for (guint i = 0; i < n; i++)
        fake_thread_read(fake_env_thread(f->env, i), v, i, 1);
    g_assert_cmpuint(core_page_source_get_head_count(v->src), ==, n);
    g_assert_cmpuint(core_port_get_count(f->env->port), ==, 1);
    g_assert_cmpuint(core_pager_proxy_get_pending_count(v->proxy), ==, n - 1);
    /* n GetPage calls, each a one-page head sent. */
    g_assert_cmpuint(core_page_source_get_stats(v->src)->get_page_calls, ==, n);
    g_assert_cmpuint(core_page_source_get_stats(v->src)->sent, ==, n);
    g_assert_cmpuint(core_page_source_get_stats(v->src)->sent_bytes, ==, n * 4096);
    for (guint i = 0; i < n; i++) {
        g_assert_cmpuint(core_pager_proxy_peek_pending(v->proxy, 0) != NULL, ==, i + 1 < n);
        g_assert_true(fake_env_dequeue(f->env));
        g_string_append_printf(expect, "%sREAD(%u,4096)", i > 0 ? " " : "", i * 4096);
        ASSERT_PACKETS(f->env, expect->str);
        g_assert_cmpuint(core_port_get_count(f->env->port), ==, i + 1 < n ? 1 : 0);
        fake_vmo_supply(v, i, 1);
        ASSERT_DONE(fake_env_thread(f->env, i), CORE_OK);
        if (i + 1 < n)
            ASSERT_STATE(fake_env_thread(f->env, i + 1), FAKE_THREAD_BLOCKED);
    }
    ASSERT_TREE(v, "");
}

static void c06_simple_commit(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 555);
    FakeThread *t = fake_env_thread(f->env, 0);

    g_assert_cmpint(fake_thread_commit(t, v, 0, 555), ==, FAKE_THREAD_BLOCKED);
    g_assert_cmpuint(t->get_page_calls, ==, 555);
    g_assert_cmpuint(core_page_source_get_stats(v->src)->get_page_calls, ==, 555);
    g_assert_cmpuint(core_page_source_get_stats(v->src)->sent, ==, 1);
    g_assert_cmpuint(core_page_source_get_stats(v->src)->sent_bytes, ==, 555 * 4096);
    ASSERT_TREE(v, "T0[0,555)p=2273280");
    g_assert_cmpuint(fake_env_dequeue_all(f->env), ==, 1);
    ASSERT_PACKETS(f->env, "READ(0,2273280)");
    fake_vmo_supply(v, 0, 555);
    ASSERT_DONE(t, CORE_OK);
    ASSERT_SIGNALS(f->env, "T0:0");
    ASSERT_TREE(v, "");
}

static void c07_split_commit(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 33);
    FakeThread *t = fake_env_thread(f->env, 0);

    fake_vmo_supply(v, 16, 1);
    ASSERT_TREE(v, "");
    /* 1, 2: pages 0..15 NEXT, 16 skipped, 17 not contiguous: [0,16) sent. */
    fake_thread_commit(t, v, 0, 33);
    g_assert_cmpuint(t->get_page_calls, ==, 17);
    g_assert_cmpuint(t->cur, ==, 0); /* committed_len was 0 */
    ASSERT_TREE(v, "T0[0,16)p=65536");
    fake_env_dequeue_all(f->env);
    ASSERT_PACKETS(f->env, "READ(0,65536)");
    /* 3: re-walk: 0..16 present, 17..32 NEXT, Finalize. */
    fake_vmo_supply(v, 0, 16);
    g_assert_cmpuint(t->get_page_calls, ==, 17 + 16);
    ASSERT_TREE(v, "T0[17,33)p=65536");
    fake_env_dequeue_all(f->env);
    ASSERT_PACKETS(f->env, "READ(0,65536) READ(69632,65536)");
    /* 4. */
    fake_vmo_supply(v, 17, 16);
    ASSERT_DONE(t, CORE_OK);
    ASSERT_SIGNALS(f->env, "T0:0 T0:0");
    ASSERT_TREE(v, "");
}

static void c09_multisupply_commit(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 32);
    FakeThread *t = fake_env_thread(f->env, 0);

    fake_thread_commit(t, v, 0, 32);
    fake_env_dequeue_all(f->env);
    ASSERT_PACKETS(f->env, "READ(0,131072)");
    ASSERT_TREE(v, "T0[0,32)p=131072");
    for (guint k = 1; k <= 32; k++) {
        fake_vmo_supply(v, k - 1, 1);
        if (k < 32) {
            CorePageRequest *h = core_page_source_peek_first_head(v->src);
            g_assert_cmpuint(core_page_request_get_pending_size(h), ==, (32 - k) * 4096);
            ASSERT_STATE(t, FAKE_THREAD_BLOCKED);
            ASSERT_SIGNALS(f->env, "");
        }
    }
    ASSERT_DONE(t, CORE_OK);
    ASSERT_SIGNALS(f->env, "T0:0");
    ASSERT_TREE(v, "");
}

static void c11_redundant_supply(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 8);
    FakeThread *t = fake_env_thread(f->env, 0);
    g_autoptr(GString) calls = g_string_new(NULL);

    fake_thread_commit(t, v, 0, 8);
    fake_env_dequeue_all(f->env);
    ASSERT_PACKETS(f->env, "READ(0,32768)");
    for (guint i = 1; i <= 8; i++) {
        fake_vmo_supply(v, 0, i);
        g_string_append_printf(calls, "%sS(%u,4096)", i > 1 ? " " : "", (i - 1) * 4096);
        ASSERT_CALLS(f->env, calls->str);
        if (i < 8) {
            ASSERT_STATE(t, FAKE_THREAD_BLOCKED);
            g_assert_cmpuint(
                core_page_request_get_pending_size(core_page_source_peek_first_head(v->src)), ==,
                (8 - i) * 4096);
        }
    }
    ASSERT_DONE(t, CORE_OK);
    ASSERT_SIGNALS(f->env, "T0:0");
}

static void c12_resize_commit(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 3);
    FakeThread *t = fake_env_thread(f->env, 0);

    fake_thread_commit(t, v, 0, 3);
    fake_env_dequeue_all(f->env);
    ASSERT_TREE(v, "T0[0,3)p=12288");
    /* 1. */
    fake_vmo_supply(v, 2, 1);
    ASSERT_TREE(v, "T0[0,3)p=8192");
    /* 2. The gap [1,2) is reported as (4096, 8192): the quirk completes H. */
    fake_vmo_resize(v, 1);
    ASSERT_CALLS(f->env, "S(8192,4096) S(4096,8192)");
    ASSERT_SIGNALS(f->env, "T0:0");
    ASSERT_STATE(t, FAKE_THREAD_BLOCKED);
    ASSERT_TREE(v, "T0[0,1)p=4096");
    g_assert_cmpuint(core_port_get_count(f->env->port), ==, 1);
    /* 3. H' completes and its queued READ(0,4096) is withdrawn. */
    fake_vmo_supply(v, 0, 1);
    ASSERT_DONE(t, CORE_OK);
    ASSERT_SIGNALS(f->env, "T0:0 T0:0");
    g_assert_cmpuint(fake_env_dequeue_all(f->env), ==, 0);
    ASSERT_PACKETS(f->env, "READ(0,12288)");
    ASSERT_TREE(v, "");
}

static void c13_suspend(Fixture *f, gconstpointer data) {
    const FakeAccessKind kinds[] = {FAKE_ACCESS_READ, FAKE_ACCESS_COMMIT};
    for (guint k = 0; k < G_N_ELEMENTS(kinds); k++) {
        g_autoptr(FakeEnv) env = fake_env_new();
        FakeVmo *v = fake_env_add_vmo(env, 1);
        FakeThread *t = fake_env_thread(env, 0);

        if (kinds[k] == FAKE_ACCESS_COMMIT)
            fake_thread_commit(t, v, 0, 1);
        else
            fake_thread_read(t, v, 0, 1);
        fake_env_dequeue_all(env);
        ASSERT_TREE(v, "T0[0,1)p=4096");
        g_assert_cmpint(fake_thread_interrupt(t, CORE_ERR_INTERNAL_INTR_RETRY), ==,
                        FAKE_THREAD_SUSPENDED);
        ASSERT_TREE(v, "");
        g_assert_cmpuint(core_page_source_get_stats(v->src)->cancelled_heads, ==, 1);
        g_assert_cmpuint(core_pager_proxy_get_stats(v->proxy)->reads_withdrawn, ==, 0);
        g_assert_cmpint(fake_thread_resume(t), ==, FAKE_THREAD_BLOCKED);
        ASSERT_TREE(v, "T0[0,1)p=4096");
        fake_env_dequeue_all(env);
        ASSERT_PACKETS(env, "READ(0,4096) READ(0,4096)");
        fake_vmo_supply(v, 0, 1);
        ASSERT_DONE(t, CORE_OK);
        ASSERT_SIGNALS(env, "T0:0");
    }
}

static void c14a_detach_complete(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 1);
    f->env->log_keys = TRUE;
    fake_vmo_detach(v);
    g_assert_true(core_page_source_is_detached(v->src));
    g_assert_cmpuint(fake_env_dequeue_all(f->env), ==, 1);
    ASSERT_PACKETS(f->env, "k1:COMPLETE");
    g_assert_false(core_pager_proxy_is_complete_pending(v->proxy));
}

static void c14b_close_complete(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 1);
    f->env->log_keys = TRUE;
    fake_vmo_close(v);
    g_assert_true(core_page_source_is_closed(v->src));
    g_assert_true(core_pager_proxy_is_closed(v->proxy));
    g_assert_cmpuint(fake_env_dequeue_all(f->env), ==, 1);
    ASSERT_PACKETS(f->env, "k1:COMPLETE");
}

static void c15_detach_while_waiting(FakeEnv *env, gboolean late, FakeAccessKind kind) {
    FakeVmo *v = fake_env_add_vmo(env, 1);
    FakeThread *t = fake_env_thread(env, 0);

    access1(t, v, 0, kind);
    ASSERT_TREE(v, "T0[0,1)p=4096");
    if (late)
        g_assert_true(fake_env_dequeue(env));
    fake_vmo_detach(v);
    ASSERT_SIGNALS(env, "T0:0");
    ASSERT_DONE(t, CORE_PAGE_SOURCE_DETACHED_STATUS);
    g_assert_cmpuint(t->get_page_calls, ==, 2);
    ASSERT_TREE(v, "");
    fake_env_dequeue_all(env);
    ASSERT_PACKETS(env, late ? "READ(0,4096) COMPLETE" : "COMPLETE");
}

static void c15a_detach_late(Fixture *f, gconstpointer data) {
    c15_detach_while_waiting(f->env, TRUE, FAKE_ACCESS_READ);
    g_autoptr(FakeEnv) env = fake_env_new();
    c15_detach_while_waiting(env, TRUE, FAKE_ACCESS_FAULT);
}

static void c15b_detach_early(Fixture *f, gconstpointer data) {
    c15_detach_while_waiting(f->env, FALSE, FAKE_ACCESS_READ);
    g_autoptr(FakeEnv) env = fake_env_new();
    c15_detach_while_waiting(env, FALSE, FAKE_ACCESS_FAULT);
}

static void c16_close_pager(Fixture *f, gconstpointer data) {
    for (guint late = 0; late < 2; late++) {
        g_autoptr(FakeEnv) env = fake_env_new();
        FakeVmo *v = fake_env_add_vmo(env, 2);
        FakeThread *t = fake_env_thread(env, 0);
        FakeThread *t2 = fake_env_thread(env, 2);

        fake_vmo_supply(v, 1, 1);
        fake_thread_fault(t, v, 0);
        if (late)
            g_assert_true(fake_env_dequeue(env));
        fake_env_pager_close(env);
        ASSERT_SIGNALS(env, "T0:0");
        ASSERT_DONE(t, CORE_PAGE_SOURCE_DETACHED_STATUS);
        g_assert_true(core_pager_proxy_is_closed(v->proxy));
        g_assert_cmpuint(core_pager_proxy_get_stats(v->proxy)->completes_withdrawn, ==, 1);
        g_assert_cmpuint(fake_env_dequeue_all(env), ==, 0);
        ASSERT_PACKETS(env, late ? "READ(0,4096)" : "");
        /* Page 1 stays readable with no request. */
        fake_thread_read(t2, v, 1, 1);
        ASSERT_DONE(t2, CORE_OK);
        g_assert_cmpuint(t2->get_page_calls, ==, 0);
        g_assert_cmpint(fake_vmo_supply(v, 0, 1), ==, CORE_ERR_BAD_HANDLE);
    }
}

static void c17_fail_single_page(Fixture *f, gconstpointer data) {
    const FakeAccessKind kinds[] = {FAKE_ACCESS_READ, FAKE_ACCESS_FAULT};
    for (guint k = 0; k < G_N_ELEMENTS(kinds); k++) {
        g_autoptr(FakeEnv) env = fake_env_new();
        FakeVmo *v = fake_env_add_vmo(env, 1);
        FakeThread *t = fake_env_thread(env, 0);

        access1(t, v, 0, kinds[k]);
        g_assert_true(fake_env_dequeue(env));
        g_assert_cmpint(fake_vmo_fail_pages(v, 0, 1, CORE_ERR_IO), ==, CORE_OK);
        ASSERT_SIGNALS(env, "T0:-40");
        ASSERT_DONE(t, CORE_ERR_IO);
        g_assert_cmpuint(core_page_source_get_stats(v->src)->cancelled, ==, 0);
        ASSERT_TREE(v, "");
        g_assert_cmpuint(fake_env_dequeue_all(env), ==, 0);
        ASSERT_PACKETS(env, "READ(0,4096)");
    }
}

static void c18_fail_multiple_commits(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 11);
    g_autoptr(GString) wakes = g_string_new(NULL);

    for (guint i = 0; i < 11; i++) {
        fake_thread_commit(fake_env_thread(f->env, i), v, i, 1);
        g_assert_true(fake_env_dequeue(f->env));
        g_string_append_printf(wakes, "%sT%u:-40", i > 0 ? " " : "", i);
    }
    g_assert_cmpuint(core_page_source_get_head_count(v->src), ==, 11);
    fake_env_clear_logs(f->env);
    g_assert_cmpint(fake_vmo_fail(v, 0, 45056, (guint64)(gint64)CORE_ERR_IO), ==, CORE_OK);
    ASSERT_SIGNALS(f->env, wakes->str);
    for (guint i = 0; i < 11; i++)
        ASSERT_DONE(fake_env_thread(f->env, i), CORE_ERR_IO);
    ASSERT_TREE(v, "");
    g_assert_cmpuint(fake_env_dequeue_all(f->env), ==, 0);
}

static void c20_fail_overlapping_range(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 11);
    FakeThread *t1 = fake_env_thread(f->env, 1);
    FakeThread *t2 = fake_env_thread(f->env, 2);
    FakeThread *t3 = fake_env_thread(f->env, 3);

    fake_thread_commit(t1, v, 0, 2);
    fake_thread_commit(t2, v, 9, 2);
    fake_thread_commit(t3, v, 5, 2);
    fake_env_dequeue_all(f->env);
    ASSERT_PACKETS(f->env, "READ(0,8192) READ(36864,8192) READ(20480,8192)");
    ASSERT_TREE(v, "T1[0,2)p=8192 T3[5,7)p=8192 T2[9,11)p=8192");
    g_assert_cmpint(fake_vmo_fail(v, 4096, 36864, (guint64)(gint64)CORE_ERR_IO), ==, CORE_OK);
    ASSERT_SIGNALS(f->env, "T1:-40 T3:-40 T2:-40");
    ASSERT_DONE(t1, CORE_ERR_IO);
    ASSERT_DONE(t2, CORE_ERR_IO);
    ASSERT_DONE(t3, CORE_ERR_IO);
    ASSERT_TREE(v, "");
    g_assert_cmpuint(fake_env_dequeue_all(f->env), ==, 0);
}

static void c21_fail_redundant(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 11);
    FakeThread *t = fake_env_thread(f->env, 0);

    fake_thread_commit(t, v, 0, 11);
    ASSERT_TREE(v, "T0[0,11)p=45056");
    for (guint i = 0; i < 11; i++) {
        g_assert_cmpint(fake_vmo_fail_pages(v, i, 1, CORE_ERR_IO), ==, CORE_OK);
        ASSERT_SIGNALS(f->env, "T0:-40");
        ASSERT_DONE(t, CORE_ERR_IO);
    }
    ASSERT_TREE(v, "");
    /* No packet was read before the fail: the queued READ was withdrawn. */
    g_assert_cmpuint(fake_env_dequeue_all(f->env), ==, 0);
}

static void c22_fail_after_detach(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 11);
    FakeThread *t = fake_env_thread(f->env, 0);

    fake_thread_commit(t, v, 0, 11);
    g_assert_true(fake_env_dequeue(f->env));
    fake_vmo_detach(v);
    ASSERT_SIGNALS(f->env, "T0:0");
    ASSERT_DONE(t, CORE_PAGE_SOURCE_DETACHED_STATUS);
    g_assert_cmpint(fake_vmo_fail(v, 0, 45056, (guint64)(gint64)CORE_ERR_IO), ==, CORE_OK);
    ASSERT_SIGNALS(f->env, "T0:0");
    fake_env_dequeue_all(f->env);
    ASSERT_PACKETS(f->env, "READ(0,45056) COMPLETE");
}

static void c23_supply_after_fail(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 11);
    FakeThread *t1 = fake_env_thread(f->env, 1);
    FakeThread *t2 = fake_env_thread(f->env, 2);

    fake_thread_commit(t1, v, 0, 11);
    g_assert_true(fake_env_dequeue(f->env));
    fake_vmo_fail_pages(v, 0, 11, CORE_ERR_IO);
    ASSERT_DONE(t1, CORE_ERR_IO);
    fake_thread_commit(t2, v, 0, 11);
    ASSERT_TREE(v, "T2[0,11)p=45056");
    g_assert_true(fake_env_dequeue(f->env));
    ASSERT_PACKETS(f->env, "READ(0,45056) READ(0,45056)");
    fake_vmo_supply(v, 0, 11);
    ASSERT_DONE(t2, CORE_OK);
    ASSERT_SIGNALS(f->env, "T1:-40 T2:0");
}

/* C25 rows: arguments of zx_pager_op_range and the expected status. */
typedef struct {
    const char *name;      /* Test path suffix. */
    guint32 op;            /* Op code. */
    guint64 offset;        /* Bytes. */
    guint64 length;        /* Bytes. */
    guint64 data;          /* The 64-bit data argument. */
    CoreStatus handles;    /* Outcome of the handle lookups. */
    gboolean vmo_of_pager; /* FALSE: another pager's or a non-pager VMO. */
    CoreStatus expect;     /* Result. */
} C25Row;

#define SX(st) ((guint64)(gint64)(st))
static const C25Row c25_rows[] = {
    {"data-outside-int32", 1, 0, 4096, 0x11ffffffffull, CORE_OK, TRUE, CORE_ERR_INVALID_ARGS},
    {"data-internal", 1, 0, 4096, SX(CORE_ERR_INTERNAL), CORE_OK, TRUE, CORE_ERR_INVALID_ARGS},
    {"data-10", 1, 0, 4096, 10, CORE_OK, TRUE, CORE_ERR_INVALID_ARGS},
    {"data-ok", 1, 0, 4096, 0, CORE_OK, TRUE, CORE_ERR_INVALID_ARGS},
    {"data-zero-extended-io", 1, 0, 4096, 0xffffffd8ull, CORE_OK, TRUE, CORE_ERR_INVALID_ARGS},
    {"offset-misaligned", 1, 1, 4096, SX(CORE_ERR_IO), CORE_OK, TRUE, CORE_ERR_INVALID_ARGS},
    {"length-misaligned", 1, 0, 1, SX(CORE_ERR_IO), CORE_OK, TRUE, CORE_ERR_INVALID_ARGS},
    {"out-of-range", 1, 4096, 4096, SX(CORE_ERR_BAD_STATE), CORE_OK, TRUE, CORE_ERR_OUT_OF_RANGE},
    {"op-code-0", 0, 0, 4096, SX(CORE_ERR_IO), CORE_OK, TRUE, CORE_ERR_NOT_SUPPORTED},
    {"not-this-pagers-vmo", 1, 0, 4096, SX(CORE_ERR_IO), CORE_OK, FALSE, CORE_ERR_INVALID_ARGS},
    {"bad-handle", 1, 0, 4096, SX(CORE_ERR_IO), CORE_ERR_BAD_HANDLE, TRUE, CORE_ERR_BAD_HANDLE},
    {"wrong-type", 1, 0, 4096, SX(CORE_ERR_IO), CORE_ERR_WRONG_TYPE, TRUE, CORE_ERR_WRONG_TYPE},
    {"misaligned-before-handles", 1, 1, 4096, 0, CORE_ERR_BAD_HANDLE, FALSE, CORE_ERR_INVALID_ARGS},
    {"op-before-data", 7, 0, 4096, 0x11ffffffffull, CORE_OK, TRUE, CORE_ERR_NOT_SUPPORTED},
    {"code-before-range", 1, 4096, 4096, 10, CORE_OK, TRUE, CORE_ERR_INVALID_ARGS},
    {"zero-length-accepted", 1, 4096, 0, SX(CORE_ERR_IO), CORE_OK, TRUE, CORE_OK},
};

static void c25_row(Fixture *f, gconstpointer data) {
    const C25Row *row = data;
    FakeVmo *v = fake_env_add_vmo(f->env, 1);
    FakeThread *t = fake_env_thread(f->env, 0);
    CoreStatus code = CORE_OK;

    fake_thread_read(t, v, 0, 1);
    CoreStatus st = core_pager_op_range_check(row->op, row->offset, row->length, row->data,
                                              row->handles, row->vmo_of_pager, 4096, &code);
    g_assert_cmpint(st, ==, row->expect);
    if (st == CORE_OK) {
        g_assert_cmpint(code, ==, CORE_ERR_IO);
        g_assert_cmpint(fake_vmo_fail(v, row->offset, row->length, row->data), ==, CORE_OK);
    } else if (row->handles == CORE_OK && row->vmo_of_pager && row->op == 1) {
        g_assert_cmpint(fake_vmo_fail(v, row->offset, row->length, row->data), ==, row->expect);
    }
    /* No rejected call changes the tree (nor does FAIL(4096, 0) here). */
    ASSERT_TREE(v, "T0[0,1)p=4096");
    ASSERT_SIGNALS(f->env, "");
}

#define ADD(path, fn) g_test_add("/core/cases/" path, Fixture, NULL, setup, fn, teardown)

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    ADD("C01-single-page", c01_single_page);
    ADD("C01-presupply", c01_presupply);
    ADD("C02-early-supply-withdraws-packet", c02_early_supply);
    ADD("C03-two-heads-one-supply", c03_two_heads_one_supply);
    ADD("C04-many-readers-share-one-request", c04_many_readers);
    ADD("C05-fifo-delivery-one-packet-in-flight", c05_fifo_delivery);
    ADD("C06-simple-batched-commit", c06_simple_commit);
    ADD("C07-batch-ended-by-present-page", c07_split_commit);
    ADD("C09-one-head-many-small-supplies", c09_multisupply_commit);
    ADD("C11-redundant-supplies-not-double-counted", c11_redundant_supply);
    ADD("C12-shrink-wakes-waiter-quirk", c12_resize_commit);
    ADD("C13-suspend-after-delivery-second-read", c13_suspend);
    ADD("C14a-complete-on-detach", c14a_detach_complete);
    ADD("C14b-complete-on-vmo-destruction", c14b_close_complete);
    ADD("C15a-detach-while-waiting-late", c15a_detach_late);
    ADD("C15b-detach-while-waiting-early", c15b_detach_early);
    ADD("C16-close-pager-handle", c16_close_pager);
    ADD("C17-fail-one-page", c17_fail_single_page);
    ADD("C18-fail-several-heads", c18_fail_multiple_commits);
    ADD("C20-fail-range-spanning-three-heads", c20_fail_overlapping_range);
    ADD("C21-any-overlap-fails-whole-head", c21_fail_redundant);
    ADD("C22-fail-after-detach-noop", c22_fail_after_detach);
    ADD("C23-fail-not-sticky", c23_supply_after_fail);
    for (guint i = 0; i < G_N_ELEMENTS(c25_rows); i++) {
        g_autofree char *path =
            g_strdup_printf("/core/cases/C25-invalid-fail-args/%s", c25_rows[i].name);
        g_test_add(path, Fixture, &c25_rows[i], setup, c25_row, teardown);
    }
    return g_test_run();
}
