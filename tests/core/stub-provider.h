/* tests/core/stub-provider.h: a recording PageProvider for unit tests.
 *
 * It implements CorePageProviderOps directly (no port) and logs, in one
 * string and in call order, every provider call and every event signal:
 * A(off,len) get_page_async, C(off,len) clear_async_request, W(off,len)
 * swap_request, D on_detach, X on_close, Z on_dispatcher_close,
 * T<id>:<status> a signal. A request's id is its user byte.
 */
#pragma once

#include <glib.h>

#include "core/page-source.h"

typedef struct {
    CorePageSource *src; /* The source under test. */
    GString *log;        /* Calls and signals, in order. */
    gboolean sync;       /* What get_page_sync answers. */
    guint sync_calls;    /* get_page_sync calls. */
    GString *why;        /* Scratch for the checker. */
} Stub;

Stub *stub_new(gboolean with_sync_op);
void stub_free(Stub *stub);
void stub_check(Stub *stub);
void stub_request(CorePageRequest *req, gboolean batching, guint id);

#define ASSERT_LOG(stub, s) g_assert_cmpstr((stub)->log->str, ==, (s))

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Stub, stub_free)
