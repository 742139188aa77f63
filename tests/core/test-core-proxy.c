/* tests/core/test-core-proxy.c: the PagerProxy and the port (core/README.md §4):
 * one packet per proxy on a shared port, FIFO delivery, withdrawal, COMPLETE
 * on detach and its withdrawal on pager close, a port without handles, and
 * the packet contents and notification hook.
 */
#include "core/port-private.h"
#include "fake-env.h"

typedef struct {
    FakeEnv *env; /* Pager environment with one port. */
} Fixture;

static void setup(Fixture *f, gconstpointer data) { f->env = fake_env_new(); }

static void teardown(Fixture *f, gconstpointer data) {
    fake_env_check(f->env);
    fake_env_free(f->env);
}

/* Two VMOs share one port: each proxy has at most one packet in it, and a
 * proxy's next request is queued at the tail when its packet is dequeued. */
static void one_packet_per_proxy(Fixture *f, gconstpointer data) {
    FakeVmo *a = fake_env_add_vmo(f->env, 3);
    FakeVmo *b = fake_env_add_vmo(f->env, 3);
    f->env->log_keys = TRUE;
    for (guint i = 0; i < 3; i++) {
        fake_thread_fault(fake_env_thread(f->env, i), a, i);
        fake_thread_fault(fake_env_thread(f->env, 3 + i), b, i);
    }
    g_assert_cmpuint(core_port_get_count(f->env->port), ==, 2);
    g_assert_cmpuint(core_pager_proxy_get_pending_count(a->proxy), ==, 2);
    g_assert_cmpuint(core_pager_proxy_get_pending_count(b->proxy), ==, 2);
    g_assert_cmpuint(fake_env_dequeue_all(f->env), ==, 6);
    ASSERT_PACKETS(f->env, "k1:READ(0,4096) k2:READ(0,4096) k1:READ(4096,4096) "
                           "k2:READ(4096,4096) k1:READ(8192,4096) k2:READ(8192,4096)");
    g_assert_false(core_pager_proxy_is_packet_busy(a->proxy));
    g_assert_cmpuint(core_pager_proxy_get_stats(a->proxy)->reads_delivered, ==, 3);
}

/* The port's only packet, dequeued with a request pending, is refilled where
 * it is (the Free's queue would put it back there): the same packet, the
 * counts and the hook of a queue. Once another proxy's packet waits behind
 * it, it goes to the tail instead. Worked by hand. (What is checked is that
 * the refill behaves as the queue would: the same link in the same place,
 * counts, hooks and order; a take and a push back would pass as well.) */
static void sole_packet_refilled_in_place(Fixture *f, gconstpointer data) {
    FakeVmo *a = fake_env_add_vmo(f->env, 4);
    FakeVmo *b = fake_env_add_vmo(f->env, 1);
    CorePortPacketInfo info;
    f->env->log_keys = TRUE;
    for (guint i = 0; i < 3; i++)
        fake_thread_fault(fake_env_thread(f->env, i), a, i);
    g_assert_cmpuint(f->env->available_hooks, ==, 1);
    CoreListLink *first = f->env->port->fifo.next;
    fake_env_dequeue(f->env); /* READ(0): a's packet alone, READ(4096) pending */
    g_assert_true(f->env->port->fifo.next == first && first->next == &f->env->port->fifo);
    g_assert_cmpuint(core_port_get_count(f->env->port), ==, 1);
    g_assert_cmpuint(f->env->available_hooks, ==, 2);
    g_assert_cmpuint(core_pager_proxy_get_pending_count(a->proxy), ==, 1);
    g_assert_cmpuint(core_pager_proxy_get_queued_count(a->proxy), ==, 2);
    g_assert_cmpuint(core_pager_proxy_get_stats(a->proxy)->reads_queued, ==, 2);
    g_assert_cmpuint(core_pager_proxy_get_stats(a->proxy)->reads_delivered, ==, 1);
    g_assert_true(core_port_peek(f->env->port, &info));
    g_assert_cmpuint(info.offset, ==, 4096);
    /* b's packet behind a's: a's next one goes behind b's. */
    fake_thread_fault(fake_env_thread(f->env, 3), b, 0);
    fake_env_dequeue(f->env); /* READ(4096) of a; READ(8192) queued after b's */
    g_assert_true(core_port_peek(f->env->port, &info));
    g_assert_cmpuint(info.key, ==, b->key);
    g_assert_cmpuint(core_port_get_count(f->env->port), ==, 2);
    g_assert_cmpuint(f->env->available_hooks, ==, 4);
    g_assert_cmpuint(fake_env_dequeue_all(f->env), ==, 2);
    ASSERT_PACKETS(f->env, "k1:READ(0,4096) k1:READ(4096,4096) k2:READ(0,4096) k1:READ(8192,4096)");
    g_assert_false(core_pager_proxy_is_packet_busy(a->proxy));
    g_assert_cmpuint(core_pager_proxy_get_queued_count(a->proxy), ==, 0);
    g_assert_cmpuint(core_port_get_count(f->env->port), ==, 0);
}

static void packet_contents_and_hook(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 4);
    CorePortPacketInfo info;
    g_assert_false(core_port_peek(f->env->port, &info));
    fake_thread_commit(fake_env_thread(f->env, 0), v, 1, 2);
    g_assert_cmpuint(f->env->available_hooks, ==, 1);
    g_assert_true(core_port_peek(f->env->port, &info));
    g_assert_cmpuint(info.key, ==, v->key);
    g_assert_cmpuint(info.type, ==, 0x09);
    g_assert_cmpint(info.status, ==, CORE_OK);
    g_assert_cmpint(info.command, ==, CORE_PAGER_VMO_READ);
    g_assert_cmpuint(info.offset, ==, 4096);
    g_assert_cmpuint(info.length, ==, 8192);
    fake_env_dequeue(f->env);
    fake_vmo_detach(v);
    g_assert_cmpuint(f->env->available_hooks, ==, 2);
    g_assert_true(core_port_peek(f->env->port, &info));
    g_assert_cmpint(info.command, ==, CORE_PAGER_VMO_COMPLETE);
    g_assert_cmpuint(info.offset, ==, 0);
    g_assert_cmpuint(info.length, ==, 0);
    g_assert_cmpuint(info.key, ==, v->key);
}

static void cancel_pending_keeps_order(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 4);
    for (guint i = 0; i < 4; i++)
        fake_thread_fault(fake_env_thread(f->env, i), v, i);
    fake_thread_interrupt(fake_env_thread(f->env, 2), CORE_ERR_INTERNAL_INTR_KILLED);
    g_assert_cmpuint(core_pager_proxy_get_pending_count(v->proxy), ==, 2);
    g_assert_cmpuint(core_pager_proxy_get_stats(v->proxy)->pending_dropped, ==, 1);
    fake_env_dequeue_all(f->env);
    ASSERT_PACKETS(f->env, "READ(0,4096) READ(4096,4096) READ(12288,4096)");
}

static void clear_after_delivery_is_noop(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 1);
    fake_thread_fault(fake_env_thread(f->env, 0), v, 0);
    fake_env_dequeue(f->env);
    fake_vmo_supply(v, 0, 1);
    const CorePagerProxyStats *st = core_pager_proxy_get_stats(v->proxy);
    g_assert_cmpuint(st->reads_withdrawn + st->pending_dropped, ==, 0);
    g_assert_false(core_pager_proxy_is_packet_busy(v->proxy));
}

static void complete_queued_once(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 1);
    fake_thread_fault(fake_env_thread(f->env, 0), v, 0);
    fake_vmo_detach(v);
    fake_vmo_detach(v);
    fake_vmo_close(v);
    g_assert_true(core_pager_proxy_is_complete_pending(v->proxy));
    g_assert_cmpuint(fake_env_dequeue_all(f->env), ==, 1);
    ASSERT_PACKETS(f->env, "COMPLETE");
    const CorePagerProxyStats *st = core_pager_proxy_get_stats(v->proxy);
    g_assert_cmpuint(st->reads_withdrawn, ==, 1);
    g_assert_cmpuint(st->completes_queued, ==, 1);
    g_assert_cmpuint(st->completes_delivered, ==, 1);
    g_assert_false(core_pager_proxy_is_complete_pending(v->proxy));
    /* A later pager close finds nothing to withdraw. */
    fake_env_pager_close(f->env);
    g_assert_cmpuint(st->completes_withdrawn, ==, 0);
}

static void pager_close_withdraws_complete(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 1);
    fake_vmo_detach(v);
    g_assert_cmpuint(core_port_get_count(f->env->port), ==, 1);
    fake_env_pager_close(f->env);
    g_assert_cmpuint(core_port_get_count(f->env->port), ==, 0);
    g_assert_false(core_pager_proxy_is_complete_pending(v->proxy));
    g_assert_cmpuint(core_pager_proxy_get_stats(v->proxy)->completes_withdrawn, ==, 1);
    g_assert_cmpuint(fake_env_dequeue_all(f->env), ==, 0);
}

/* ClosePortTest: queued packets are dropped without Free, the proxy stays
 * busy, later requests pile up, and supply, fail and detach still work. */
static void port_without_handles(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 4);
    FakeThread *t[4];
    for (guint i = 0; i < 4; i++)
        t[i] = fake_env_thread(f->env, i);
    fake_thread_fault(t[0], v, 0);
    fake_thread_fault(t[1], v, 1);
    fake_env_port_close(f->env);
    g_assert_false(core_port_has_handles(f->env->port));
    g_assert_cmpuint(core_port_get_count(f->env->port), ==, 0);
    g_assert_true(core_pager_proxy_is_packet_busy(v->proxy));
    fake_thread_fault(t[2], v, 2);
    fake_thread_fault(t[3], v, 3);
    g_assert_cmpuint(core_pager_proxy_get_pending_count(v->proxy), ==, 3);
    g_assert_cmpuint(core_pager_proxy_get_queued_count(v->proxy), ==, 3); /* lost: not queued */
    fake_vmo_supply(v, 0, 2);
    fake_vmo_fail_pages(v, 2, 1, CORE_ERR_IO);
    ASSERT_DONE(t[0], CORE_OK);
    ASSERT_DONE(t[1], CORE_OK);
    ASSERT_DONE(t[2], CORE_ERR_IO);
    g_assert_true(core_pager_proxy_is_packet_busy(v->proxy));
    g_assert_cmpuint(core_pager_proxy_get_pending_count(v->proxy), ==, 1);
    fake_vmo_detach(v);
    ASSERT_DONE(t[3], CORE_PAGE_SOURCE_DETACHED_STATUS);
    /* COMPLETE waits behind the lost packet forever. */
    g_assert_cmpuint(core_pager_proxy_get_pending_count(v->proxy), ==, 1);
    g_assert_cmpuint(core_pager_proxy_get_queued_count(v->proxy), ==, 1);
    g_assert_cmpuint(core_pager_proxy_peek_pending(v->proxy, 0)->length, ==, 0);
    fake_env_pager_close(f->env);
    g_assert_true(core_pager_proxy_is_complete_pending(v->proxy));
    g_assert_cmpuint(fake_env_dequeue_all(f->env), ==, 0);
    ASSERT_SIGNALS(f->env, "T0:0 T1:0 T2:-40 T3:0");
}

/* A queue on a port without handles fails with BAD_HANDLE: the request is
 * treated as delivered and never answered. */
static void queue_fails_with_bad_handle(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 2);
    fake_env_port_close(f->env);
    fake_thread_fault(fake_env_thread(f->env, 0), v, 0);
    fake_thread_fault(fake_env_thread(f->env, 1), v, 1);
    g_assert_cmpuint(core_pager_proxy_get_stats(v->proxy)->bad_handle, ==, 1);
    g_assert_cmpuint(core_pager_proxy_get_stats(v->proxy)->reads_queued, ==, 0);
    g_assert_true(core_pager_proxy_is_packet_busy(v->proxy));
    g_assert_null(core_pager_proxy_peek_active(v->proxy));
    g_assert_cmpuint(core_pager_proxy_get_pending_count(v->proxy), ==, 1);
    /* The same thread's request, reused at the same address, later waits in
     * the FIFO; cancelling it must remove it from there. */
    fake_vmo_supply(v, 0, 1);
    ASSERT_DONE(fake_env_thread(f->env, 0), CORE_OK);
    fake_vmo_evict(v, 0, 1);
    fake_thread_fault(fake_env_thread(f->env, 0), v, 0);
    g_assert_cmpuint(core_pager_proxy_get_pending_count(v->proxy), ==, 2);
    fake_thread_interrupt(fake_env_thread(f->env, 0), CORE_ERR_INTERNAL_INTR_KILLED);
    g_assert_cmpuint(core_pager_proxy_get_pending_count(v->proxy), ==, 1);
}

static void on_request_ignore(gpointer ctx, CorePageRequest *req) {}
static void on_signal_ignore(gpointer ctx, CorePageRequest *req, CoreStatus status) {}

/* Each of the observer's three hooks is required; a port outlives the proxies
 * that hold it. */
static void source_requires_event_hook(Fixture *f, gconstpointer data) {
    static const CoreObserverOps missing[] = {
        {.on_coalesced = on_request_ignore, .on_signalled = on_signal_ignore},
        {.on_sent = on_request_ignore, .on_signalled = on_signal_ignore},
        {.on_sent = on_request_ignore, .on_coalesced = on_request_ignore},
    };
    static const char *const messages[] = {"*on_sent*", "*on_coalesced*", "*on_signalled*"};
    g_autoptr(CorePort) port = core_port_new(NULL, NULL);
    CorePagerProxy *proxy = core_pager_proxy_new(port, 9);
    for (guint i = 0; i < G_N_ELEMENTS(missing); i++) {
        g_test_expect_message("pagesim-core", G_LOG_LEVEL_CRITICAL, messages[i]);
        CorePageSource *src =
            core_page_source_new(core_pager_proxy_get_ops(), proxy, &missing[i], NULL);
        g_test_assert_expected_messages();
        g_assert_null(src);
    }
    core_pager_proxy_free(proxy);
    core_pager_proxy_free(NULL);
    core_port_unref(NULL);
    g_assert_false(core_port_dequeue(port, NULL));
}

static void free_withdraws_complete(Fixture *f, gconstpointer data) {
    static const CoreObserverOps events = {.on_sent = on_request_ignore,
                                           .on_coalesced = on_request_ignore,
                                           .on_signalled = on_signal_ignore};
    CorePort *port = core_port_new(NULL, NULL);
    CorePagerProxy *proxy = core_pager_proxy_new(port, 9);
    CorePageSource *src = core_page_source_new(core_pager_proxy_get_ops(), proxy, &events, NULL);
    core_page_source_close(src);
    g_assert_cmpuint(core_port_get_count(port), ==, 1);
    g_assert_true(core_pager_proxy_check_invariants(proxy, src, NULL));
    g_assert_true(core_port_check_invariants(port, NULL));
    core_page_source_free(src);
    core_pager_proxy_free(proxy);
    g_assert_cmpuint(core_port_get_count(port), ==, 0);
    core_port_unref(port);
}

static void checker_reports_foreign_record(Fixture *f, gconstpointer data) {
    FakeVmo *v = fake_env_add_vmo(f->env, 2);
    FakeThread *t = fake_env_thread(f->env, 0);
    g_autoptr(GString) why = g_string_new(NULL);
    fake_thread_fault(fake_env_thread(f->env, 1), v, 1);
    fake_thread_fault(t, v, 0);
    t->req.place = CORE_PAGE_REQUEST_IN_OVERLAP; /* t's record is pending. */
    g_assert_false(core_pager_proxy_check_invariants(v->proxy, v->src, why));
    g_assert_cmpstr(why->str, ==,
                    "pager proxy (key 1): READ record of a request that is not a head");
    t->req.place = CORE_PAGE_REQUEST_IN_TREE;
    t->req.src = NULL;
    g_string_truncate(why, 0);
    g_assert_false(core_pager_proxy_check_invariants(v->proxy, v->src, why));
    g_assert_cmpstr(why->str, ==, "pager proxy (key 1): READ record of another source");
    t->req.src = v->src;
    g_assert_true(core_pager_proxy_check_invariants(v->proxy, v->src, NULL));
}

/* A packet owner of the port test: counts its Frees. */
typedef struct {
    CorePort *port;
    guint freed;
} Owner;

/* The Free takes the dequeued packet out of the FIFO (port-private.h). */
static void packet_freed(CorePortPacket *packet, gpointer owner) {
    Owner *o = owner;
    g_assert_true(o->port->fifo.next == &packet->link); /* still first, until taken */
    core__port_take(o->port, packet);
    o->freed++;
}

/* The port on its own: FIFO order, Free once per delivery, none on cancel,
 * BAD_HANDLE without handles, and the checker's failure reports. */
static void port_fifo_and_checker(Fixture *f, gconstpointer data) {
    g_autoptr(CorePort) port = core_port_new(NULL, NULL);
    g_autoptr(GString) why = g_string_new(NULL);
    CorePortPacket a = {0}, b = {0};
    CorePortPacketInfo info;
    Owner owner = {port, 0};
    a.free_fn = b.free_fn = packet_freed;
    a.owner = b.owner = &owner;
    a.info =
        (CorePortPacketInfo){7, CORE_PKT_TYPE_PAGE_REQUEST, CORE_OK, CORE_PAGER_VMO_READ, 0, 4096};
    b.info = (CorePortPacketInfo){
        8, CORE_PKT_TYPE_PAGE_REQUEST, CORE_OK, CORE_PAGER_VMO_READ, 4096, 4096};
    g_assert_cmpint(core__port_queue(port, &a), ==, CORE_OK);
    g_assert_cmpint(core__port_queue(port, &b), ==, CORE_OK);
    g_assert_true(core_port_check_invariants(port, why));
    /* Queued is what the links say: both are in the FIFO, a then b. */
    g_assert_true(core__port_packet_is_queued(&a) && core__port_packet_is_queued(&b));
    g_assert_true(a.link.next == &b.link && b.link.prev == &a.link);
    b.link.prev = NULL;
    g_assert_false(core_port_check_invariants(port, why));
    g_assert_cmpstr(why->str, ==, "port: broken FIFO (2 queued)");
    b.link.prev = &a.link;
    b.info.type = 3;
    g_assert_false(core_port_check_invariants(port, NULL));
    b.info.type = CORE_PKT_TYPE_PAGE_REQUEST;
    g_assert_true(core__port_cancel_queued(port, &a));
    g_assert_false(core__port_packet_is_queued(&a));
    g_assert_false(core__port_cancel_queued(port, &a));
    g_assert_true(core_port_dequeue(port, &info));
    g_assert_false(core__port_packet_is_queued(&b));
    g_assert_cmpuint(info.key, ==, 8);
    g_assert_cmpuint(owner.freed, ==, 1);
    g_assert_cmpuint(core_port_get_count(port), ==, 0);
    core_port_on_zero_handles(port);
    g_assert_cmpint(core__port_queue(port, &a), ==, CORE_ERR_BAD_HANDLE);
    g_assert_true(core_port_ref(port) == port);
    core_port_unref(port);
    g_assert_true(core_port_check_invariants(port, NULL));
}

/* The observer hears each change after the source and the proxy show it: a
 * SENT head is already counted and its packet queued, a COALESCED waiter is on
 * its head's list, a SIGNALLED request is inactive and holds the signal. */
typedef struct {
    CorePageSource *src;
    CorePagerProxy *proxy;
    GString *log;
} Seen;

/* Appends one change to the log, with what the source shows at that moment. */
static void record_change(Seen *seen, const char *kind, CorePageRequest *req, CoreStatus status) {
    g_string_append_printf(seen->log, "%s%s@%" G_GUINT64_FORMAT ":%s st=%d heads=%u port=%u",
                           seen->log->len ? " " : "", kind,
                           core_page_request_get_offset(req) == G_MAXUINT64
                               ? G_MAXUINT64
                               : core_page_request_get_offset(req) / 4096,
                           core_page_request_state_to_string(core_page_request_get_state(req)),
                           status, core_page_source_get_head_count(seen->src),
                           core_pager_proxy_get_pending_count(seen->proxy) +
                               (core_pager_proxy_peek_active(seen->proxy) != NULL));
    g_assert_cmpuint(core_pager_proxy_get_queued_count(seen->proxy), ==,
                     core_pager_proxy_get_pending_count(seen->proxy) +
                         (core_pager_proxy_peek_active(seen->proxy) != NULL));
}

static void record_sent(gpointer ctx, CorePageRequest *req) {
    Seen *seen = ctx;
    g_assert_true(core_page_request_get_source(req) == seen->src);
    record_change(seen, "sent", req, CORE_OK);
}

static void record_coalesced(gpointer ctx, CorePageRequest *req) {
    Seen *seen = ctx;
    g_assert_true(core_page_request_get_source(req) == seen->src);
    record_change(seen, "coalesced", req, CORE_OK);
}

static void record_signalled(gpointer ctx, CorePageRequest *req, CoreStatus status) {
    g_assert_true(core_page_request_is_signalled(req));
    record_change(ctx, "signalled", req, status);
}

static void observer_sees_changes_after(Fixture *f, gconstpointer data) {
    static const CoreObserverOps ops = {
        .on_sent = record_sent, .on_coalesced = record_coalesced, .on_signalled = record_signalled};
    g_autoptr(CorePort) port = core_port_new(NULL, NULL);
    Seen seen = {NULL, core_pager_proxy_new(port, 1), g_string_new(NULL)};
    seen.src = core_page_source_new(core_pager_proxy_get_ops(), seen.proxy, &ops, &seen);
    CorePageRequest a, b, c;
    core_page_request_construct(&a, FALSE);
    core_page_request_construct(&b, FALSE);
    core_page_request_construct(&c, FALSE);
    g_assert_cmpint(core_page_source_get_page(seen.src, 0, &a), ==, CORE_ERR_SHOULD_WAIT);
    g_assert_cmpint(core_page_source_get_page(seen.src, 0, &b), ==, CORE_ERR_SHOULD_WAIT);
    g_assert_cmpint(core_page_source_get_page(seen.src, 8192, &c), ==, CORE_ERR_SHOULD_WAIT);
    core_page_source_on_pages_supplied(seen.src, 0, 4096);
    g_assert_cmpstr(seen.log->str, ==,
                    "sent@0:head st=0 heads=1 port=1 coalesced@0:waiter st=0 heads=1 port=1 "
                    "sent@2:head st=0 heads=2 port=2 "
                    "signalled@18446744073709551615:inactive st=0 heads=1 port=1 "
                    "signalled@18446744073709551615:inactive st=0 heads=1 port=1");
    core_page_request_destroy(&a);
    core_page_request_destroy(&b);
    core_page_request_destroy(&c);
    core_page_source_close(seen.src);
    core_page_source_free(seen.src);
    core_pager_proxy_free(seen.proxy);
    g_string_free(seen.log, TRUE);
}

/* The port's hook runs once per packet queued, whoever queues it (a new
 * request to a free packet, Free posting the next pending one, a withdrawal
 * posting the next), never for a request parked in the FIFO or refused by a
 * port without handles, and it runs last: the port and the proxy's counters
 * already show the packet. Worked by hand: three reads of one proxy. */
typedef struct {
    CorePagerProxy *proxy;
    guint calls;         /* Hook runs. */
    guint64 seen_queued; /* reads_queued at the last run. */
    guint seen_count;    /* Packets in the port at the last run. */
} HookSeen;

static void record_hook(gpointer ctx, CorePort *port) {
    HookSeen *s = ctx;
    s->calls++;
    s->seen_queued = core_pager_proxy_get_stats(s->proxy)->reads_queued;
    s->seen_count = core_port_get_count(port);
}

static void hook_once_per_queued_packet(Fixture *f, gconstpointer data) {
    static const CorePortOps ops = {.packet_available = record_hook};
    HookSeen seen = {0};
    CorePort *port = core_port_new(&ops, &seen);
    const CorePageProviderOps *p = core_pager_proxy_get_ops();
    /* The records sit in requests (provider.h): Free reads the tree handle
     * around a READ record, which construct leaves unlinked. */
    CorePageRequest req[3];
    CoreReadRequest *r[3];
    CorePortPacketInfo info;
    seen.proxy = core_pager_proxy_new(port, 5);
    for (guint i = 0; i < 3; i++) {
        core_page_request_construct(&req[i], FALSE);
        r[i] = &req[i].read_request;
        r[i]->offset = 4096 * i;
        r[i]->length = 4096;
        p->get_page_async(seen.proxy, r[i]);
    }
    /* r0 took the packet; r1 and r2 wait without a hook. */
    g_assert_cmpuint(seen.calls, ==, 1);
    g_assert_cmpuint(seen.seen_queued, ==, 1);
    g_assert_cmpuint(seen.seen_count, ==, 1);
    /* Free of r0 posts r1. */
    g_assert_true(core_port_dequeue(port, &info));
    g_assert_cmpuint(info.offset, ==, 0);
    g_assert_cmpuint(seen.calls, ==, 2);
    g_assert_cmpuint(seen.seen_queued, ==, 2);
    g_assert_cmpuint(seen.seen_count, ==, 1);
    /* Withdrawing r1 posts r2; clearing r0 again does nothing. */
    p->clear_async_request(seen.proxy, r[0]);
    p->clear_async_request(seen.proxy, r[1]);
    g_assert_cmpuint(seen.calls, ==, 3);
    g_assert_cmpuint(seen.seen_queued, ==, 3);
    g_assert_cmpuint(core_pager_proxy_get_stats(seen.proxy)->reads_withdrawn, ==, 1);
    g_assert_true(core_port_dequeue(port, &info));
    g_assert_cmpuint(info.offset, ==, 8192);
    /* Nothing pending: the packet is free and nothing is queued. */
    g_assert_cmpuint(seen.calls, ==, 3);
    g_assert_false(core_pager_proxy_is_packet_busy(seen.proxy));
    /* Without handles the packet is refused: no hook, the proxy stays busy. */
    core_port_on_zero_handles(port);
    p->get_page_async(seen.proxy, r[0]);
    g_assert_cmpuint(seen.calls, ==, 3);
    g_assert_cmpuint(core_pager_proxy_get_stats(seen.proxy)->bad_handle, ==, 1);
    g_assert_cmpuint(core_pager_proxy_get_stats(seen.proxy)->reads_queued, ==, 3);
    g_assert_true(core_pager_proxy_is_packet_busy(seen.proxy));
    core_pager_proxy_free(seen.proxy);
    core_port_unref(port);
}

#define ADD(path, fn) g_test_add("/core/proxy/" path, Fixture, NULL, setup, fn, teardown)

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    ADD("one-packet-per-proxy-shared-port", one_packet_per_proxy);
    ADD("sole-packet-refilled-in-place", sole_packet_refilled_in_place);
    ADD("packet-contents-and-hook", packet_contents_and_hook);
    ADD("cancel-pending-keeps-order", cancel_pending_keeps_order);
    ADD("clear-after-delivery-is-noop", clear_after_delivery_is_noop);
    ADD("complete-queued-once", complete_queued_once);
    ADD("pager-close-withdraws-complete", pager_close_withdraws_complete);
    ADD("port-without-handles", port_without_handles);
    ADD("queue-fails-with-bad-handle", queue_fails_with_bad_handle);
    ADD("source-requires-event-hook", source_requires_event_hook);
    ADD("free-withdraws-complete", free_withdraws_complete);
    ADD("observer-sees-changes-after", observer_sees_changes_after);
    ADD("checker-reports-foreign-record", checker_reports_foreign_record);
    ADD("port-fifo-and-checker", port_fifo_and_checker);
    ADD("hook-once-per-queued-packet", hook_once_per_queued_packet);
    return g_test_run();
}
