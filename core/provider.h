/* core/provider.h: the PageProvider interface and the observer.
 *
 * A PageSource reaches everything outside the request-tracking logic through
 * two ops tables given at creation: the provider (the spec's PageProvider:
 * a user pager's PagerProxy, or a simulated sync provider) and the observer,
 * which hears of every request sent, coalesced or signalled (completions reach
 * the environment that owns the blocked threads this way). core/ has no time and no threads;
 * blocking is the environment's (see core_page_request_wait in core/page-request.h).
 *
 * Provider lifecycle (SPEC: page_source.h.txt, class PageProvider):
 * 1. get_page_async hands a CoreReadRequest to the provider, which owns it
 *    until clear_async_request, or until swap_request moves ownership to
 *    another record with the same range.
 * 2. on_detach is called once, after which no get_page_* call follows; it
 *    precedes on_close, which is also called once.
 * 3. on_dispatcher_close comes from the provider's own side (a pager handle
 *    being closed), after the source was closed.
 *
 * Every callback runs inside an atomic core operation and must not call back
 * into the same PageSource; a simulator records or schedules instead.
 */
#pragma once

#include <glib.h>

#include "core/list.h"
#include "core/status.h"

G_BEGIN_DECLS

typedef struct _CorePageRequest CorePageRequest;
typedef struct _CorePageSource CorePageSource;

/* The spec's page_request_t: what a provider is asked for. Embedded in a
 * CorePageRequest; a provider may keep the pointer while it owns the record
 * (from get_page_async until clear_async_request or swap_request: exactly
 * while the request is a head), and may read its range only then. Every
 * record given to a provider (get_page_async, swap_request's replacement)
 * is the read_request of a constructed CorePageRequest, never a record of
 * its own: the PagerProxy reads the request around it (its tree handle,
 * core_read_request_get_page_request), so a bare record is undefined
 * behaviour there, tests included. */
typedef struct {
    guint64 offset;             /* Byte offset of the range, page aligned. */
    guint64 length;             /* Byte length, a multiple of the page size. */
    CoreListLink provider_link; /* Private to the provider (PagerProxy pending queue). */
} CoreReadRequest;

/* The spec's PageProvider. All members are required unless marked nullable.
 * @ctx is the provider context given to core_page_source_new. */
typedef struct {
    /* Synchronously provides the page at @offset. Nullable: NULL means the
     * provider never has one (a user pager). Returns TRUE if it did. */
    gboolean (*get_page_sync)(gpointer ctx, guint64 offset);
    /* Informs the provider of @request (transfer none; provider-owned). */
    void (*get_page_async)(gpointer ctx, CoreReadRequest *request);
    /* Informs the provider that @request is fulfilled or withdrawn. */
    void (*clear_async_request)(gpointer ctx, CoreReadRequest *request);
    /* Moves the provider's state for @old to @replacement (same range). */
    void (*swap_request)(gpointer ctx, CoreReadRequest *old, CoreReadRequest *replacement);
    /* No more get_page_* calls will follow. Called once. */
    void (*on_detach)(gpointer ctx);
    /* No more calls except waits. Called once, after on_detach. */
    void (*on_close)(gpointer ctx);
    /* The provider's dispatcher is going away (pager handle closed). */
    void (*on_dispatcher_close)(gpointer ctx);
} CorePageProviderOps;

/* The environment's observer: one hook per kind of change, called after the
 * change, once the source's state (tree, lists, counters, the event) already
 * shows it, so the observer may read the source through its getters. Typed
 * hooks rather than one record to switch on: each change costs the source a
 * call and nothing more. Like the provider's callbacks they run inside an
 * atomic operation and must not call back into an operation of the same
 * source. All three are required. */
/* The type of the observer's on_sent and on_coalesced. */
typedef void (*CoreObserverHook)(gpointer ctx, CorePageRequest *request);

typedef struct {
    /* @request became a head: it is in the outstanding tree and the provider
     * has had its get_page_async (SPEC: core/README.md §2.3 3). */
    CoreObserverHook on_sent;
    /* @request joined the overlap list of the head its start falls in; the
     * provider heard nothing (core/README.md §2.3 2). */
    CoreObserverHook on_coalesced;
    /* @request's AutounsignalEvent was signalled with @status; the request is
     * already inactive (core/README.md §2.7 2-3). core/ keeps the event's state
     * (core_page_request_is_signalled); the observer wakes whoever waits. */
    void (*on_signalled)(gpointer ctx, CorePageRequest *request, CoreStatus status);
} CoreObserverOps;

/* core_read_request_get_page_request:
 * Returns the CorePageRequest that embeds @request (transfer none). */
CorePageRequest *core_read_request_get_page_request(const CoreReadRequest *request);

G_END_DECLS
