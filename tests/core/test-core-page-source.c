/* tests/core/test-core-page-source.c: one test per "Returns ..." line of the
 * core headers and per branch of CancelRequest, completion, supply, fail,
 * detach, close and wait. The stub provider shows the exact provider calls
 * and signals in order; the fake environment shows packets and threads.
 */
#include "fake-env.h"
#include "stub-provider.h"

typedef struct {
    Stub *stub;   /* Source on the recording provider. */
    FakeEnv *env; /* Pager environment. */
} Fixture;

static void setup(Fixture *f, gconstpointer data) {
    f->stub = stub_new(data != NULL);
    f->env = fake_env_new();
}

static void teardown(Fixture *f, gconstpointer data) {
    stub_check(f->stub);
    fake_env_check(f->env);
    stub_free(f->stub);
    fake_env_free(f->env);
}

/* ---- GetPage. ---- */

static void get_page_returns_ok_when_sync(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) r = {0};
    stub_request(&r, FALSE, 1);
    g_assert_cmpuint(core_page_request_get_offset(&r), ==, G_MAXUINT64);
    f->stub->sync = TRUE;
    g_assert_cmpint(core_page_source_get_page(f->stub->src, 0, &r), ==, CORE_OK);
    g_assert_cmpuint(f->stub->sync_calls, ==, 1);
    g_assert_cmpint(core_page_request_get_state(&r), ==, CORE_PAGE_REQUEST_INACTIVE);
    ASSERT_LOG(f->stub, "");
    /* A provider that has no page falls through to the asynchronous path. */
    f->stub->sync = FALSE;
    g_assert_cmpint(core_page_source_get_page(f->stub->src, 0, &r), ==, CORE_ERR_SHOULD_WAIT);
    ASSERT_LOG(f->stub, "A(0,4096)");
}

static void get_page_returns_should_wait(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) r = {0};
    stub_request(&r, FALSE, 1);
    g_assert_cmpint(core_page_source_get_page(f->stub->src, 8192, &r), ==, CORE_ERR_SHOULD_WAIT);
    g_assert_cmpint(core_page_request_get_state(&r), ==, CORE_PAGE_REQUEST_HEAD);
    g_assert_cmpuint(core_page_request_get_offset(&r), ==, 8192);
    g_assert_cmpuint(core_page_request_get_len(&r), ==, 4096);
    g_assert_cmpuint(core_page_request_get_pending_size(&r), ==, 4096);
    g_assert_true(core_page_request_get_source(&r) == f->stub->src);
    ASSERT_LOG(f->stub, "A(8192,4096)");
    stub_check(f->stub);
}

static void get_page_returns_next(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) r = {0};
    stub_request(&r, TRUE, 1);
    g_assert_cmpint(core_page_source_get_page(f->stub->src, 0, &r), ==, CORE_ERR_NEXT);
    g_assert_cmpint(core_page_request_get_state(&r), ==, CORE_PAGE_REQUEST_ACCUMULATING);
    g_assert_true(core_page_source_peek_accumulating(f->stub->src) == &r);
    g_assert_cmpint(core_page_source_get_page(f->stub->src, 4096, &r), ==, CORE_ERR_NEXT);
    g_assert_cmpuint(core_page_request_get_len(&r), ==, 8192);
    ASSERT_LOG(f->stub, "");
    stub_check(f->stub);
}

static void get_page_returns_detached_code(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) idle = {0};
    g_auto(CorePageRequest) batch = {0};
    stub_request(&idle, FALSE, 1);
    stub_request(&batch, TRUE, 2);
    g_assert_cmpint(CORE_PAGE_SOURCE_DETACHED_STATUS, ==, CORE_ERR_NOT_FOUND);
    g_assert_cmpint(core_page_source_get_page(f->stub->src, 0, &batch), ==, CORE_ERR_NEXT);
    core_page_source_detach(f->stub->src);
    g_assert_cmpint(core_page_source_get_page(f->stub->src, 0, &idle), ==, CORE_ERR_NOT_FOUND);
    g_assert_cmpint(core_page_source_get_page(f->stub->src, 4096, &batch), ==, CORE_ERR_NOT_FOUND);
    /* Neither request was touched. */
    g_assert_cmpint(core_page_request_get_state(&idle), ==, CORE_PAGE_REQUEST_INACTIVE);
    g_assert_cmpuint(core_page_request_get_len(&batch), ==, 4096);
    ASSERT_LOG(f->stub, "D");
}

static void get_page_rounds_offset_down(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) r = {0};
    stub_request(&r, FALSE, 1);
    core_page_source_get_page(f->stub->src, 4097, &r);
    g_assert_cmpuint(core_page_request_get_offset(&r), ==, 4096);
    ASSERT_LOG(f->stub, "A(4096,4096)");
}

/* ---- FinalizeRequest. ---- */

static void finalize_returns_should_wait(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) r = {0};
    stub_request(&r, TRUE, 1);
    core_page_source_get_page(f->stub->src, 0, &r);
    core_page_source_get_page(f->stub->src, 4096, &r);
    g_assert_cmpint(core_page_source_finalize_request(f->stub->src, &r), ==, CORE_ERR_SHOULD_WAIT);
    g_assert_cmpint(core_page_request_get_state(&r), ==, CORE_PAGE_REQUEST_HEAD);
    g_assert_null(core_page_source_peek_accumulating(f->stub->src));
    ASSERT_LOG(f->stub, "A(0,8192)");
    stub_check(f->stub);
}

/* The only way to detach between a NEXT and the Finalize is closing the pager
 * handle, which does not take the VMO lock (core/README.md §2.2). */
static void finalize_returns_detached_after_pager_close(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 4);
    g_auto(CorePageRequest) r = {0};
    core_page_request_construct(&r, TRUE); /* Never signalled: no thread. */
    g_assert_cmpint(core_page_source_get_page(v->src, 0, &r), ==, CORE_ERR_NEXT);
    g_assert_cmpint(core_page_source_get_page(v->src, 4096, &r), ==, CORE_ERR_NEXT);
    fake_env_pager_close(f->env);
    g_assert_cmpint(core_page_source_finalize_request(v->src, &r), ==, CORE_ERR_NOT_FOUND);
    g_assert_cmpint(core_page_request_get_state(&r), ==, CORE_PAGE_REQUEST_ACCUMULATING);
    fake_env_check(f->env);
    /* A later destruction just resets the offset; the provider hears nothing. */
    core_page_request_destroy(&r);
    g_assert_cmpint(core_page_request_get_state(&r), ==, CORE_PAGE_REQUEST_INACTIVE);
    g_assert_null(core_page_source_peek_accumulating(v->src));
    g_assert_cmpuint(core_pager_proxy_get_stats(v->proxy)->reads_queued, ==, 0);
    g_assert_cmpuint(fake_env_dequeue_all(f->env), ==, 0);
    ASSERT_SIGNALS(f->env, "");
}

static void is_valid_failure_code(Fixture *f, gconstpointer data) {
    guint valid = 0;
    for (guint i = 0; i < CORE_STATUS_COUNT; i++)
        valid += core_page_source_is_valid_failure_code(core_status_nth(i));
    g_assert_cmpuint(valid, ==, 3);
    g_assert_true(core_page_source_is_valid_failure_code(CORE_ERR_IO));
    g_assert_true(core_page_source_is_valid_failure_code(CORE_ERR_IO_DATA_INTEGRITY));
    g_assert_true(core_page_source_is_valid_failure_code(CORE_ERR_BAD_STATE));
    g_assert_false(core_page_source_is_valid_failure_code(CORE_ERR_NO_SPACE));
    g_assert_false(core_page_source_is_valid_failure_code(CORE_ERR_BUFFER_TOO_SMALL));
    g_assert_false(core_page_source_is_valid_failure_code(CORE_ERR_NO_MEMORY));
    g_assert_false(core_page_source_is_valid_failure_code(CORE_OK));
}

/* ---- Wait. ---- */

static void wait_returns_ok_after_supply(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) r = {0};
    stub_request(&r, FALSE, 1);
    core_page_source_get_page(f->stub->src, 0, &r);
    g_assert_false(core_page_request_is_signalled(&r));
    core_page_source_on_pages_supplied(f->stub->src, 0, 4096);
    g_assert_true(core_page_request_is_signalled(&r));
    g_assert_cmpint(core_page_request_wait(&r, CORE_OK), ==, CORE_OK);
    g_assert_false(core_page_request_is_signalled(&r));
    g_assert_cmpuint(core_page_source_get_stats(f->stub->src)->cancelled, ==, 0);
    ASSERT_LOG(f->stub, "A(0,4096) C(0,4096) T1:0");
}

static void wait_returns_failure_without_cancel(Fixture *f, gconstpointer data) {
    const CoreStatus codes[] = {CORE_ERR_IO, CORE_ERR_IO_DATA_INTEGRITY, CORE_ERR_BAD_STATE};
    for (guint i = 0; i < G_N_ELEMENTS(codes); i++) {
        g_auto(CorePageRequest) r = {0};
        stub_request(&r, FALSE, 1);
        core_page_source_get_page(f->stub->src, 0, &r);
        core_page_source_on_pages_failed(f->stub->src, 0, 4096, codes[i]);
        /* The signal wins over a kill arriving with it. */
        g_assert_cmpint(core_page_request_wait(&r, CORE_ERR_INTERNAL_INTR_KILLED), ==, codes[i]);
        g_assert_cmpuint(core_page_source_get_stats(f->stub->src)->cancelled, ==, 0);
    }
}

/* Kill, suspend and the pager timeout end an unsignalled wait and cancel. */
static void wait_interrupted_cancels(Fixture *f, gconstpointer data) {
    const CoreStatus why[] = {CORE_ERR_INTERNAL_INTR_KILLED, CORE_ERR_INTERNAL_INTR_RETRY,
                              CORE_ERR_TIMED_OUT};
    for (guint i = 0; i < G_N_ELEMENTS(why); i++) {
        g_auto(CorePageRequest) r = {0};
        stub_request(&r, FALSE, 1);
        g_string_truncate(f->stub->log, 0);
        core_page_source_get_page(f->stub->src, 0, &r);
        g_assert_cmpint(core_page_request_wait(&r, why[i]), ==, why[i]);
        g_assert_cmpint(core_page_request_get_state(&r), ==, CORE_PAGE_REQUEST_INACTIVE);
        g_assert_cmpuint(core_page_source_get_head_count(f->stub->src), ==, 0);
        ASSERT_LOG(f->stub, "A(0,4096) C(0,4096)");
        g_assert_cmpuint(core_page_source_get_stats(f->stub->src)->cancelled, ==, i + 1);
    }
}

/* The signal is stored while the thread is not yet waiting (auto-unsignal
 * event) and the next wait returns it at once; Init clears a stale one. */
static void completion_before_wait_not_lost(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 2);
    FakeThread *t = fake_env_thread(f->env, 0);
    t->defer_wait = TRUE;
    g_assert_cmpint(fake_thread_read(t, v, 0, 1), ==, FAKE_THREAD_PRE_WAIT);
    fake_vmo_supply(v, 0, 1);
    ASSERT_SIGNALS(f->env, "T0:0");
    ASSERT_STATE(t, FAKE_THREAD_PRE_WAIT);
    g_assert_true(core_page_request_is_signalled(&t->req));
    g_assert_cmpint(fake_thread_enter_wait(t), ==, FAKE_THREAD_DONE);
    g_assert_cmpint(t->result, ==, CORE_OK);

    g_auto(CorePageRequest) r = {0};
    stub_request(&r, FALSE, 1);
    core_page_source_get_page(f->stub->src, 0, &r);
    core_page_source_on_pages_supplied(f->stub->src, 0, 4096);
    g_assert_true(core_page_request_is_signalled(&r));
    core_page_source_get_page(f->stub->src, 4096, &r);
    g_assert_false(core_page_request_is_signalled(&r));
}

/* A kill that comes before Wait is kept and ends the wait on an unsignalled
 * event at once (decision); with a signal already stored, the signal wins. */
static void interrupt_before_wait(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 2);
    FakeThread *t0 = fake_env_thread(f->env, 0);
    FakeThread *t1 = fake_env_thread(f->env, 1);
    t0->defer_wait = t1->defer_wait = TRUE;
    fake_thread_read(t0, v, 0, 1);
    fake_thread_read(t1, v, 1, 1);
    fake_thread_interrupt(t0, CORE_ERR_INTERNAL_INTR_KILLED);
    fake_thread_interrupt(t1, CORE_ERR_INTERNAL_INTR_KILLED);
    ASSERT_STATE(t0, FAKE_THREAD_PRE_WAIT);
    fake_vmo_supply(v, 1, 1);
    fake_thread_enter_wait(t0);
    ASSERT_DONE(t0, CORE_ERR_INTERNAL_INTR_KILLED);
    ASSERT_TREE(v, "");
    fake_thread_enter_wait(t1);
    ASSERT_DONE(t1, CORE_OK);
    ASSERT_SIGNALS(f->env, "T1:0");
}

/* ---- Destruction (§2.10). ---- */

static void destroy_cancels_active_request(Fixture *f, gconstpointer data) {
    CorePageRequest head, waiter, batch;
    stub_request(&head, FALSE, 1);
    stub_request(&waiter, FALSE, 2);
    stub_request(&batch, TRUE, 3);
    core_page_source_get_page(f->stub->src, 0, &head);
    core_page_source_get_page(f->stub->src, 0, &waiter);
    core_page_source_get_page(f->stub->src, 8192, &batch);
    g_assert_cmpint(core_page_request_get_state(&waiter), ==, CORE_PAGE_REQUEST_WAITER);
    core_page_request_destroy(&waiter);
    g_assert_null(core_page_request_peek_first_waiter(&head));
    core_page_request_destroy(&batch);
    g_assert_null(core_page_source_peek_accumulating(f->stub->src));
    {
        g_auto(CorePageRequest) scoped = {0};
        stub_request(&scoped, FALSE, 4);
        core_page_source_get_page(f->stub->src, 4096, &scoped);
    }
    core_page_request_destroy(&head);
    core_page_request_destroy(NULL);
    ASSERT_LOG(f->stub, "A(0,4096) A(4096,4096) C(4096,4096) C(0,4096)");
    g_assert_cmpuint(core_page_source_get_head_count(f->stub->src), ==, 0);
    g_assert_cmpuint(core_page_source_get_stats(f->stub->src)->cancelled, ==, 4);
}

/* ---- CancelRequest, all four branches. ---- */

static void cancel_waiter_unlinks_only(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) h = {0};
    g_auto(CorePageRequest) w1 = {0};
    g_auto(CorePageRequest) w2 = {0};
    stub_request(&h, TRUE, 1);
    stub_request(&w1, FALSE, 2);
    stub_request(&w2, FALSE, 3);
    for (guint64 p = 0; p < 4; p++)
        core_page_source_get_page(f->stub->src, p * 4096, &h);
    core_page_source_finalize_request(f->stub->src, &h);
    core_page_source_get_page(f->stub->src, 4096, &w1);
    core_page_source_get_page(f->stub->src, 8192, &w2);
    g_assert_cmpuint(core_page_request_get_waiter_count(&h), ==, 2);
    core_page_source_cancel_request(f->stub->src, &w1);
    g_assert_cmpint(core_page_request_get_state(&w1), ==, CORE_PAGE_REQUEST_INACTIVE);
    g_assert_true(core_page_request_peek_first_waiter(&h) == &w2);
    g_assert_cmpuint(core_page_request_get_pending_size(&h), ==, 16384);
    ASSERT_LOG(f->stub, "A(0,16384)");
    stub_check(f->stub);
}

/* Head [0,4) with waiters W=[2,3) and V=[3,4): W takes the head's range and
 * pending count and V moves to W's list; SwapRequest, no new request. */
static void cancel_head_promotes_first_waiter(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) h = {0};
    g_auto(CorePageRequest) w = {0};
    g_auto(CorePageRequest) v = {0};
    stub_request(&h, TRUE, 1);
    stub_request(&w, FALSE, 2);
    stub_request(&v, FALSE, 3);
    for (guint64 p = 0; p < 4; p++)
        core_page_source_get_page(f->stub->src, p * 4096, &h);
    core_page_source_finalize_request(f->stub->src, &h);
    core_page_source_get_page(f->stub->src, 8192, &w);
    core_page_source_get_page(f->stub->src, 12288, &v);
    core_page_source_on_pages_supplied(f->stub->src, 0, 4096);
    core_page_source_cancel_request(f->stub->src, &h);
    g_assert_cmpint(core_page_request_get_state(&h), ==, CORE_PAGE_REQUEST_INACTIVE);
    g_assert_cmpint(core_page_request_get_state(&w), ==, CORE_PAGE_REQUEST_HEAD);
    g_assert_cmpuint(core_page_request_get_offset(&w), ==, 0);
    g_assert_cmpuint(core_page_request_get_len(&w), ==, 16384);
    g_assert_cmpuint(core_page_request_get_pending_size(&w), ==, 12288);
    g_assert_true(core_page_request_peek_first_waiter(&w) == &v);
    g_assert_true(core_page_source_peek_first_head(f->stub->src) == &w);
    g_assert_cmpuint(core_page_source_get_stats(f->stub->src)->promotions, ==, 1);
    ASSERT_LOG(f->stub, "A(0,16384) W(0,16384)");
    stub_check(f->stub);
    core_page_source_on_pages_supplied(f->stub->src, 4096, 12288);
    ASSERT_LOG(f->stub, "A(0,16384) W(0,16384) C(0,16384) T3:0 T2:0");
}

/* Promotion with the proxy: the READ still queued in the port now belongs to
 * W and is delivered once. */
static void promotion_keeps_queued_packet(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 4);
    FakeThread *h = fake_env_thread(f->env, 0);
    FakeThread *w = fake_env_thread(f->env, 1);
    fake_thread_commit(h, v, 0, 4);
    fake_thread_fault(w, v, 2);
    ASSERT_TREE(v, "T0[0,4)p=16384{T1}");
    g_assert_true(core_pager_proxy_peek_active(v->proxy) == &h->req.read_request);
    fake_thread_interrupt(h, CORE_ERR_INTERNAL_INTR_KILLED);
    ASSERT_TREE(v, "T1[0,4)p=16384");
    g_assert_true(core_pager_proxy_peek_active(v->proxy) == &w->req.read_request);
    g_assert_cmpuint(core_port_get_count(f->env->port), ==, 1);
    g_assert_cmpuint(fake_env_dequeue_all(f->env), ==, 1);
    ASSERT_PACKETS(f->env, "READ(0,16384)");
    fake_vmo_supply(v, 0, 4);
    ASSERT_DONE(w, CORE_OK);
    ASSERT_DONE(h, CORE_ERR_INTERNAL_INTR_KILLED);
    ASSERT_SIGNALS(f->env, "T1:0");
}

/* Promotion with the proxy: a request waiting in the FIFO keeps its position. */
static void promotion_keeps_fifo_position(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 8);
    FakeThread *a = fake_env_thread(f->env, 0);
    FakeThread *h = fake_env_thread(f->env, 1);
    FakeThread *w = fake_env_thread(f->env, 2);
    FakeThread *b = fake_env_thread(f->env, 3);
    fake_thread_fault(a, v, 0);
    fake_thread_commit(h, v, 2, 2);
    fake_thread_fault(w, v, 3);
    fake_thread_fault(b, v, 6);
    g_assert_true(core_pager_proxy_peek_pending(v->proxy, 0) == &h->req.read_request);
    fake_thread_interrupt(h, CORE_ERR_TIMED_OUT);
    ASSERT_DONE(h, CORE_ERR_TIMED_OUT);
    g_assert_true(core_pager_proxy_peek_pending(v->proxy, 0) == &w->req.read_request);
    g_assert_true(core_pager_proxy_peek_pending(v->proxy, 1) == &b->req.read_request);
    g_assert_null(core_pager_proxy_peek_pending(v->proxy, 2));
    fake_env_dequeue_all(f->env);
    ASSERT_PACKETS(f->env, "READ(0,4096) READ(8192,8192) READ(24576,4096)");
}

/* Promotion after the packet was delivered: still no new packet. */
static void promotion_after_delivery(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 1);
    FakeThread *h = fake_env_thread(f->env, 0);
    FakeThread *w = fake_env_thread(f->env, 1);
    fake_thread_read(h, v, 0, 1);
    fake_thread_read(w, v, 0, 1);
    fake_env_dequeue_all(f->env);
    fake_thread_interrupt(h, CORE_ERR_INTERNAL_INTR_RETRY);
    ASSERT_TREE(v, "T1[0,1)p=4096");
    g_assert_cmpuint(fake_env_dequeue_all(f->env), ==, 0);
    fake_vmo_supply(v, 0, 1);
    ASSERT_DONE(w, CORE_OK);
    ASSERT_PACKETS(f->env, "READ(0,4096)");
}

static void cancel_lone_head_erases_and_clears(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 3);
    FakeThread *a = fake_env_thread(f->env, 0);
    FakeThread *b = fake_env_thread(f->env, 1);
    fake_thread_fault(a, v, 0);
    fake_thread_fault(b, v, 2);
    /* A's READ is withdrawn from the port and B's is posted at once. */
    fake_thread_interrupt(a, CORE_ERR_INTERNAL_INTR_KILLED);
    ASSERT_TREE(v, "T1[2,3)p=4096");
    g_assert_true(core_pager_proxy_peek_active(v->proxy) == &b->req.read_request);
    g_assert_cmpuint(core_pager_proxy_get_stats(v->proxy)->reads_withdrawn, ==, 1);
    fake_env_dequeue_all(f->env);
    ASSERT_PACKETS(f->env, "READ(8192,4096)");

    g_auto(CorePageRequest) r = {0};
    stub_request(&r, FALSE, 1);
    core_page_source_get_page(f->stub->src, 0, &r);
    core_page_source_cancel_request(f->stub->src, &r);
    ASSERT_LOG(f->stub, "A(0,4096) C(0,4096)");
    g_assert_cmpuint(core_page_source_get_stats(f->stub->src)->cancelled_heads, ==, 1);
}

static void cancel_accumulating_does_nothing(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) r = {0};
    g_auto(CorePageRequest) other = {0};
    stub_request(&r, TRUE, 1);
    stub_request(&other, TRUE, 2);
    core_page_source_get_page(f->stub->src, 0, &r);
    core_page_source_cancel_request(f->stub->src, &r);
    g_assert_cmpint(core_page_request_get_state(&r), ==, CORE_PAGE_REQUEST_INACTIVE);
    ASSERT_LOG(f->stub, "");
    /* Another batch may now start on the source. */
    g_assert_cmpint(core_page_source_get_page(f->stub->src, 0, &other), ==, CORE_ERR_NEXT);
    /* An inactive request has nothing to cancel. */
    core_page_source_cancel_request(f->stub->src, &r);
    g_assert_cmpuint(core_page_source_get_stats(f->stub->src)->cancelled, ==, 1);
}

/* ---- Supply and fail. ---- */

/* Accounting is per head; waiters are not woken by partial supplies. */
static void supply_partial_per_head(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) a = {0};
    g_auto(CorePageRequest) b = {0};
    g_auto(CorePageRequest) w = {0};
    stub_request(&a, TRUE, 1);
    stub_request(&b, TRUE, 2);
    stub_request(&w, FALSE, 3);
    core_page_source_get_page(f->stub->src, 0, &a);
    core_page_source_get_page(f->stub->src, 4096, &a);
    core_page_source_finalize_request(f->stub->src, &a);
    core_page_source_get_page(f->stub->src, 8192, &b);
    core_page_source_get_page(f->stub->src, 12288, &b);
    core_page_source_finalize_request(f->stub->src, &b);
    core_page_source_get_page(f->stub->src, 4096, &w);
    core_page_source_on_pages_supplied(f->stub->src, 4096, 8192);
    g_assert_cmpuint(core_page_request_get_pending_size(&a), ==, 4096);
    g_assert_cmpuint(core_page_request_get_pending_size(&b), ==, 4096);
    g_assert_false(core_page_request_is_signalled(&w));
    ASSERT_LOG(f->stub, "A(0,8192) A(8192,8192)");
    core_page_source_on_pages_supplied(f->stub->src, 0, 16384);
    ASSERT_LOG(f->stub, "A(0,8192) A(8192,8192) C(0,8192) T3:0 T1:0 C(8192,8192) T2:0");
}

/* SPEC-QUIRK: evict and re-supply counts a page twice; the head completes
 * while a page is still missing and the retry asks for it again. */
static void supply_blind_count_completes_early(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 4);
    FakeThread *t = fake_env_thread(f->env, 0);
    fake_thread_commit(t, v, 0, 4);
    fake_env_dequeue_all(f->env);
    fake_vmo_supply(v, 0, 1);
    fake_vmo_evict(v, 0, 1);
    fake_vmo_supply(v, 0, 1);
    fake_vmo_supply(v, 1, 1);
    ASSERT_TREE(v, "T0[0,4)p=4096");
    fake_vmo_supply(v, 2, 1);
    g_assert_cmpint(fake_vmo_slot(v, 3), ==, FAKE_SLOT_EMPTY);
    ASSERT_SIGNALS(f->env, "T0:0");
    ASSERT_TREE(v, "T0[3,4)p=4096");
    fake_env_dequeue_all(f->env);
    ASSERT_PACKETS(f->env, "READ(0,16384) READ(12288,4096)");
    fake_vmo_supply(v, 3, 1);
    ASSERT_DONE(t, CORE_OK);
}

/* Supplying over a zero marker counts again: more than pending is fine. */
static void supply_excess_is_not_an_error(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 2);
    FakeThread *t = fake_env_thread(f->env, 0);
    fake_thread_commit(t, v, 0, 2);
    fake_vmo_supply_zero(v, 0, 1);
    fake_vmo_supply(v, 0, 2);
    ASSERT_CALLS(f->env, "S(0,4096) S(0,8192)");
    ASSERT_DONE(t, CORE_OK);
}

static void supply_and_fail_after_detach_are_noops(Fixture *f, gconstpointer data) {
    core_page_source_detach(f->stub->src);
    core_page_source_on_pages_supplied(f->stub->src, 0, 4096);
    core_page_source_on_pages_failed(f->stub->src, 0, 4096, CORE_ERR_IO);
    ASSERT_LOG(f->stub, "D");
    g_assert_true(core_page_source_is_detached(f->stub->src));
}

/* A zero-length supply visits a head strictly containing its offset, credits
 * nothing and completes nothing. */
static void supply_zero_length_credits_nothing(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) h = {0};
    stub_request(&h, TRUE, 1);
    core_page_source_get_page(f->stub->src, 0, &h);
    core_page_source_get_page(f->stub->src, 4096, &h);
    core_page_source_finalize_request(f->stub->src, &h);
    core_page_source_on_pages_supplied(f->stub->src, 4096, 0);
    g_assert_cmpuint(core_page_request_get_pending_size(&h), ==, 8192);
    ASSERT_LOG(f->stub, "A(0,8192)");
}

/* While every head is one page, a supply within one page credits exactly
 * its length to that page's head (a shortcut of the walk): partial, empty,
 * unaligned (the walk itself), excess, and a page without a head. */
static void supply_one_page_heads(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) a = {0};
    g_auto(CorePageRequest) b = {0};
    stub_request(&a, FALSE, 1);
    stub_request(&b, FALSE, 2);
    core_page_source_get_page(f->stub->src, 4096, &a);
    core_page_source_get_page(f->stub->src, 8192, &b);
    core_page_source_on_pages_supplied(f->stub->src, 4096, 1024);
    g_assert_cmpuint(core_page_request_get_pending_size(&a), ==, 3072);
    core_page_source_on_pages_supplied(f->stub->src, 4096, 0);
    g_assert_cmpuint(core_page_request_get_pending_size(&a), ==, 3072);
    core_page_source_on_pages_supplied(f->stub->src, 5120, 1024);
    g_assert_cmpuint(core_page_request_get_pending_size(&a), ==, 2048);
    core_page_source_on_pages_supplied(f->stub->src, 8192, 4096);
    core_page_source_on_pages_supplied(f->stub->src, 4096, 4096);
    core_page_source_on_pages_supplied(f->stub->src, 12288, 4096);
    ASSERT_LOG(f->stub, "A(4096,4096) A(8192,4096) C(8192,4096) T2:0 C(4096,4096) T1:0");
    g_assert_cmpuint(core_page_source_get_head_count(f->stub->src), ==, 0);
}

/* SPEC-QUIRK: FAIL(x, 0) fails a head strictly containing x only. */
static void fail_zero_length_quirk(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) h = {0};
    stub_request(&h, TRUE, 1);
    for (guint64 p = 1; p < 4; p++)
        core_page_source_get_page(f->stub->src, p * 4096, &h);
    core_page_source_finalize_request(f->stub->src, &h);
    core_page_source_on_pages_failed(f->stub->src, 4096, 0, CORE_ERR_IO);
    core_page_source_on_pages_failed(f->stub->src, 16384, 0, CORE_ERR_IO);
    core_page_source_on_pages_failed(f->stub->src, 0, 0, CORE_ERR_IO);
    ASSERT_LOG(f->stub, "A(4096,12288)");
    core_page_source_on_pages_failed(f->stub->src, 8192, 0, CORE_ERR_BAD_STATE);
    ASSERT_LOG(f->stub, "A(4096,12288) C(4096,12288) T1:-20");
}

static void fail_whole_head_and_waiters(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) h = {0};
    g_auto(CorePageRequest) w1 = {0};
    g_auto(CorePageRequest) w2 = {0};
    stub_request(&h, TRUE, 1);
    stub_request(&w1, FALSE, 2);
    stub_request(&w2, FALSE, 3);
    core_page_source_get_page(f->stub->src, 0, &h);
    core_page_source_get_page(f->stub->src, 4096, &h);
    core_page_source_finalize_request(f->stub->src, &h);
    core_page_source_get_page(f->stub->src, 4096, &w1);
    core_page_source_get_page(f->stub->src, 0, &w2);
    core_page_source_on_pages_failed(f->stub->src, 4096, 4096, CORE_ERR_IO_DATA_INTEGRITY);
    ASSERT_LOG(f->stub, "A(0,8192) C(0,8192) T2:-42 T3:-42 T1:-42");
    g_assert_cmpuint(core_page_source_get_stats(f->stub->src)->failed_heads, ==, 1);
}

/* ---- Detach, Close, OnPageProviderDispatcherClose. ---- */

static void detach_completes_ascending_then_on_detach(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) a = {0};
    g_auto(CorePageRequest) b = {0};
    g_auto(CorePageRequest) w = {0};
    stub_request(&a, FALSE, 1);
    stub_request(&b, FALSE, 2);
    stub_request(&w, FALSE, 3);
    core_page_source_get_page(f->stub->src, 8192, &a);
    core_page_source_get_page(f->stub->src, 0, &b);
    core_page_source_get_page(f->stub->src, 8192, &w);
    core_page_source_detach(f->stub->src);
    core_page_source_detach(f->stub->src);
    ASSERT_LOG(f->stub, "A(8192,4096) A(0,4096) C(0,4096) T2:0 C(8192,4096) T3:0 T1:0 D");
}

static void close_is_idempotent(Fixture *f, gconstpointer data) {
    core_page_source_close(f->stub->src);
    core_page_source_close(f->stub->src);
    core_page_source_detach(f->stub->src);
    g_assert_true(core_page_source_is_closed(f->stub->src));
    ASSERT_LOG(f->stub, "D X");
    core_page_source_on_page_provider_dispatcher_close(f->stub->src);
    ASSERT_LOG(f->stub, "D X Z");
}

static void dispatcher_close_is_close_then_provider(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) r = {0};
    stub_request(&r, FALSE, 1);
    core_page_source_get_page(f->stub->src, 0, &r);
    core_page_source_on_page_provider_dispatcher_close(f->stub->src);
    ASSERT_LOG(f->stub, "A(0,4096) C(0,4096) T1:0 D X Z");
}

/* ---- Getters and the checker. ---- */

static void getters_and_dump(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) a = {0};
    g_auto(CorePageRequest) b = {0};
    g_autoptr(GString) dump = g_string_new(NULL);
    stub_request(&a, FALSE, 1);
    stub_request(&b, FALSE, 2);
    core_page_source_get_page(f->stub->src, 8192, &a);
    core_page_source_get_page(f->stub->src, 8192, &b);
    g_assert_cmpuint(core_page_source_get_head_count(f->stub->src), ==, 1);
    g_assert_true(core_page_source_peek_head_containing(f->stub->src, 8192 + 100) == &a);
    g_assert_null(core_page_source_peek_head_containing(f->stub->src, 4096));
    g_assert_null(core_page_source_peek_next_head(f->stub->src, &a));
    g_assert_null(core_page_request_peek_next_waiter(&a, &b));
    g_assert_cmpstr(core_page_request_state_to_string(core_page_request_get_state(&b)), ==,
                    "waiter");
    g_assert_true(core_read_request_get_page_request(&a.read_request) == &a);
    core_page_source_dump(f->stub->src, dump);
    g_assert_cmpstr(dump->str, ==, "source detached=0 closed=0 heads=1: [8192,+4096) p=4096 w=1");
    const CorePageSourceStats *st = core_page_source_get_stats(f->stub->src);
    g_assert_cmpuint(st->get_page_calls, ==, 2);
    g_assert_cmpuint(st->sent, ==, 1);
    g_assert_cmpuint(st->sent_bytes, ==, 4096);
    g_assert_cmpuint(st->coalesced, ==, 1);
}

static void checker_reports_violations(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) a = {0};
    g_autoptr(GString) why = g_string_new(NULL);
    stub_request(&a, FALSE, 1);
    core_page_source_get_page(f->stub->src, 0, &a);
    g_assert_true(core_page_source_check_invariants(f->stub->src, why));
    a.pending_size = 0;
    g_assert_false(core_page_source_check_invariants(f->stub->src, why));
    g_assert_cmpstr(why->str, ==, "head at 0: pending_size 0");
    a.pending_size = 4096;
    a.signalled = TRUE;
    g_assert_false(core_page_source_check_invariants(f->stub->src, NULL));
    a.signalled = FALSE;
    a.tree_entry.at ^= 5; /* Head [0, 4096) sits in the slot of end page 1; it says 4. */
    g_string_truncate(why, 0);
    g_assert_false(core_page_source_check_invariants(f->stub->src, why));
    g_assert_cmpstr(why->str, ==, "tree: bad entry at key 1");
    a.tree_entry.at ^= 5;
    g_assert_true(core_page_source_check_invariants(f->stub->src, NULL));
}

/* The flags byte is the three bit-fields, lowest bit first, as
 * CORE_REQ_FLAGS says (GetPage's fast path writes it whole). */
static void request_flags_byte(void) {
    CorePageRequest r;
    core_page_request_construct(&r, TRUE);
    g_assert_cmpuint(r.flags, ==, 1);
    g_assert_cmpuint(r.flags, ==, CORE_REQ_FLAGS(1, 0, CORE_PAGE_REQUEST_IN_NONE));
    r.signalled = TRUE;
    g_assert_cmpuint(r.flags, ==, 1 | 2);
    r.place = CORE_PAGE_REQUEST_IN_OVERLAP;
    g_assert_cmpuint(r.flags, ==, 1 | 2 | 2 << 2);
    g_assert_cmpuint(r.flags, ==, CORE_REQ_FLAGS(1, 1, CORE_PAGE_REQUEST_IN_OVERLAP));
    r.flags = CORE_REQ_FLAGS(0, 0, CORE_PAGE_REQUEST_IN_TREE);
    g_assert_false(r.allow_batching);
    g_assert_false(r.signalled);
    g_assert_cmpuint(r.place, ==, CORE_PAGE_REQUEST_IN_TREE);
    g_assert_cmpuint(r.user, ==, 0);
}

#define ADD(path, fn) g_test_add(path, Fixture, NULL, setup, fn, teardown)

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/core/page-request/flags-byte", request_flags_byte);
    g_test_add("/core/page-source/get-page/returns-ok-when-sync", Fixture, GINT_TO_POINTER(1),
               setup, get_page_returns_ok_when_sync, teardown);
    ADD("/core/page-source/get-page/returns-should-wait", get_page_returns_should_wait);
    ADD("/core/page-source/get-page/returns-next", get_page_returns_next);
    ADD("/core/page-source/get-page/returns-detached-code", get_page_returns_detached_code);
    ADD("/core/page-source/get-page/rounds-offset-down", get_page_rounds_offset_down);
    ADD("/core/page-source/finalize/returns-should-wait", finalize_returns_should_wait);
    ADD("/core/page-source/finalize/returns-detached-after-pager-close",
        finalize_returns_detached_after_pager_close);
    ADD("/core/page-source/is-valid-failure-code", is_valid_failure_code);
    ADD("/core/page-request/wait/returns-ok", wait_returns_ok_after_supply);
    ADD("/core/page-request/wait/returns-failure-without-cancel",
        wait_returns_failure_without_cancel);
    ADD("/core/page-request/wait/kill-suspend-timeout-cancel", wait_interrupted_cancels);
    ADD("/core/page-request/wait/completion-before-wait-not-lost", completion_before_wait_not_lost);
    ADD("/core/page-request/wait/interrupt-before-wait", interrupt_before_wait);
    ADD("/core/page-request/destroy/cancels-active", destroy_cancels_active_request);
    ADD("/core/page-source/cancel/waiter-unlinks-only", cancel_waiter_unlinks_only);
    ADD("/core/page-source/cancel/head-with-waiters-promotes", cancel_head_promotes_first_waiter);
    ADD("/core/page-source/cancel/promotion-keeps-queued-packet", promotion_keeps_queued_packet);
    ADD("/core/page-source/cancel/promotion-keeps-fifo-position", promotion_keeps_fifo_position);
    ADD("/core/page-source/cancel/promotion-after-delivery", promotion_after_delivery);
    ADD("/core/page-source/cancel/lone-head-erased-and-cleared",
        cancel_lone_head_erases_and_clears);
    ADD("/core/page-source/cancel/accumulating-does-nothing", cancel_accumulating_does_nothing);
    ADD("/core/page-source/supplied/partial-per-head", supply_partial_per_head);
    ADD("/core/page-source/supplied/blind-count-completes-early",
        supply_blind_count_completes_early);
    ADD("/core/page-source/supplied/excess-is-not-an-error", supply_excess_is_not_an_error);
    ADD("/core/page-source/supplied/zero-length-credits-nothing",
        supply_zero_length_credits_nothing);
    ADD("/core/page-source/supplied-failed/after-detach-noop",
        supply_and_fail_after_detach_are_noops);
    ADD("/core/page-source/failed/zero-length-quirk", fail_zero_length_quirk);
    ADD("/core/page-source/failed/whole-head-and-waiters", fail_whole_head_and_waiters);
    ADD("/core/page-source/detach/ascending-ok-then-on-detach",
        detach_completes_ascending_then_on_detach);
    ADD("/core/page-source/close/idempotent", close_is_idempotent);
    ADD("/core/page-source/dispatcher-close/close-then-provider",
        dispatcher_close_is_close_then_provider);
    ADD("/core/page-source/supply/one-page-heads", supply_one_page_heads);
    ADD("/core/page-source/getters-and-dump", getters_and_dump);
    ADD("/core/page-source/checker-reports-violations", checker_reports_violations);
    return g_test_run();
}
