/* tests/core/stub-provider.c: the recording provider of stub-provider.h. */
#include "stub-provider.h"

static void log_entry(Stub *s, const char *format, ...) G_GNUC_PRINTF(2, 3);

static void log_entry(Stub *s, const char *format, ...) {
    va_list args;
    if (s->log->len > 0)
        g_string_append_c(s->log, ' ');
    va_start(args, format);
    g_string_append_vprintf(s->log, format, args);
    va_end(args);
}

static gboolean stub_sync(gpointer ctx, guint64 offset) {
    Stub *s = ctx;
    s->sync_calls++;
    return s->sync;
}

static void stub_async(gpointer ctx, CoreReadRequest *r) {
    log_entry(ctx, "A(%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ")", r->offset, r->length);
}

static void stub_clear(gpointer ctx, CoreReadRequest *r) {
    log_entry(ctx, "C(%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ")", r->offset, r->length);
}

static void stub_swap(gpointer ctx, CoreReadRequest *old, CoreReadRequest *repl) {
    g_assert_cmpuint(old->offset, ==, repl->offset);
    g_assert_cmpuint(old->length, ==, repl->length);
    log_entry(ctx, "W(%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ")", repl->offset, repl->length);
}

static void stub_detach(gpointer ctx) { log_entry(ctx, "D"); }

static void stub_close(gpointer ctx) { log_entry(ctx, "X"); }

static void stub_dispatcher_close(gpointer ctx) { log_entry(ctx, "Z"); }

static void stub_signal(gpointer ctx, CorePageRequest *req, CoreStatus st) {
    log_entry(ctx, "T%u:%d", (guint)req->user, st);
}

static const CorePageProviderOps stub_ops = {
    .get_page_sync = NULL,
    .get_page_async = stub_async,
    .clear_async_request = stub_clear,
    .swap_request = stub_swap,
    .on_detach = stub_detach,
    .on_close = stub_close,
    .on_dispatcher_close = stub_dispatcher_close,
};

static const CorePageProviderOps stub_sync_ops = {
    .get_page_sync = stub_sync,
    .get_page_async = stub_async,
    .clear_async_request = stub_clear,
    .swap_request = stub_swap,
    .on_detach = stub_detach,
    .on_close = stub_close,
    .on_dispatcher_close = stub_dispatcher_close,
};

static void stub_sent_or_coalesced(gpointer ctx, CorePageRequest *req) {}

static const CoreObserverOps stub_events = {
    .on_sent = stub_sent_or_coalesced,
    .on_coalesced = stub_sent_or_coalesced,
    .on_signalled = stub_signal,
};

Stub *stub_new(gboolean with_sync_op) {
    Stub *s = g_new0(Stub, 1);
    s->log = g_string_new(NULL);
    s->why = g_string_new(NULL);
    s->src = core_page_source_new(with_sync_op ? &stub_sync_ops : &stub_ops, s, &stub_events, s);
    return s;
}

void stub_free(Stub *s) {
    if (s == NULL)
        return;
    core_page_source_free(s->src);
    g_string_free(s->log, TRUE);
    g_string_free(s->why, TRUE);
    g_free(s);
}

void stub_check(Stub *s) {
    g_string_truncate(s->why, 0);
    core_page_source_check_invariants(s->src, s->why);
    g_assert_cmpstr(s->why->str, ==, "");
}

void stub_request(CorePageRequest *req, gboolean batching, guint id) {
    g_assert_cmpuint(id, <=, G_MAXUINT8);
    core_page_request_construct(req, batching);
    req->user = (guint8)id;
}
