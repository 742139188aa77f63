/* core/page-source.h: PageSource, the tracker of page requests of one VMO.
 *
 * A CorePageSource coalesces, batches, forwards and completes the page requests
 * of one pager-backed root VMO exactly as Zircon's PageSource does (mid-2021,
 * core/README.md). Operations are atomic: the spec's source mutex becomes "one C
 * call". The provider and the observer are ops tables (core/provider.h).
 *
 * Spec name (page_source.h.txt)             -> C name
 *   PageSource::PageSource(provider)         -> core_page_source_new
 *   PageSource::~PageSource                  -> core_page_source_free
 *   PageSource::GetPage                      -> core_page_source_get_page
 *   PageSource::FinalizeRequest              -> core_page_source_finalize_request
 *   PageSource::OnPagesSupplied              -> core_page_source_on_pages_supplied
 *   PageSource::OnPagesFailed                -> core_page_source_on_pages_failed
 *   PageSource::IsValidFailureCode           -> core_page_source_is_valid_failure_code
 *   PageSource::Detach                       -> core_page_source_detach
 *   PageSource::Close                        -> core_page_source_close
 *   PageSource::OnPageProviderDispatcherClose-> core_page_source_on_page_provider_dispatcher_close
 *   PageSource::Dump                         -> core_page_source_dump
 *   PageSource::SendRequestToProviderLocked  -> core_page_source_send_request_to_provider_locked
 *   PageSource::CompleteRequestLocked        -> core_page_source_complete_request_locked
 *                                               (both static in page-source.c)
 *   PageSource::CancelRequest                -> core_page_source_cancel_request
 *   PageRequest::PageRequest / ~PageRequest  -> core_page_request_construct / _destroy
 *   PageRequest::Wait                        -> environment block + core_page_request_wait
 *   PageRequest::Init                        -> core__page_request_init (internal)
 *   PageProvider                             -> CorePageProviderOps (core/provider.h)
 *   page_request_t                           -> CoreReadRequest
 *   AutounsignalEvent                        -> event fields of CorePageRequest, signalled
 *                                               through CoreObserverOps (on_signalled)
 *   PagerProxy, PortDispatcher               -> CorePagerProxy, CorePort (core/pager-proxy.h)
 *   PagerDispatcher::RangeOp checks          -> core_pager_op_range_check (core/pager-op.h)
 *   zx_status_t                              -> CoreStatus (core/status.h)
 *
 * Lifecycle (SPEC: page_source.h.txt, comment above class PageSource, 1-6):
 * 1. a VMO requests a page with GetPage; 2. the source tracks the request and
 * forwards it to the provider's GetPageAsync; 3. the caller waits; 4. the
 * provider supplies pages to the VMO; 5. the VMO calls OnPagesSupplied, which
 * signals fulfilled requests; 6. the caller wakes and retries.
 */
#pragma once

#include <glib.h>

#include "core/page-request.h"
#include "core/provider.h"
#include "core/status.h"

G_BEGIN_DECLS

/* The page size of the model; offsets and lengths are bytes. */
#define CORE_PAGE_SIZE ((guint64)4096)

/* What GetPage and FinalizeRequest return once detached. The header says
 * ZX_ERR_NOT_FOUND; the next stored version returns BAD_STATE (core/README.md D1).
 * This project decides NOT_FOUND. */
#define CORE_PAGE_SOURCE_DETACHED_STATUS CORE_ERR_NOT_FOUND

/* Counters for reports; they never influence behaviour. */
typedef struct {
    guint64 get_page_calls;  /* Calls of GetPage, whatever they returned. */
    guint64 sent;            /* Requests that became heads (get_page_async calls). */
    guint64 sent_bytes;      /* Bytes of those requests. */
    guint64 coalesced;       /* Requests that joined an overlap list instead. */
    guint64 completed_heads; /* Heads completed by supply, fail or detach. */
    guint64 failed_heads;    /* Of those, completed with a failure code. */
    guint64 cancelled;       /* CancelRequest calls that found an active request. */
    guint64 cancelled_heads; /* Of those, heads without waiters (withdrawn). */
    guint64 promotions;      /* Of those, heads replaced by their first waiter. */
    guint64 signals;         /* Events signalled (waiters and heads). */
} CorePageSourceStats;

/* core_page_source_new:
 * Creates a source that forwards to @provider and reports every request sent,
 * coalesced or signalled to @observer.
 * The tables (transfer none) are copied; the contexts must outlive the source.
 * Returns a new source (transfer full). */
CorePageSource *core_page_source_new(const CorePageProviderOps *provider, gpointer provider_ctx,
                                     const CoreObserverOps *observer, gpointer observer_ctx);

/* core_page_source_free:
 * Frees @src (nullable). No request may be active on it any more (close it or
 * destroy the requests first); otherwise it is left allocated and a critical is
 * emitted. */
void core_page_source_free(CorePageSource *src);

/* core_page_source_get_page:
 * Asks for the page containing @offset on behalf of @req (caller-owned,
 * inactive or accumulating on this source). Atomic. SPEC: core/README.md §2.1.
 * Returns CORE_OK if the request was synchronously fulfilled.
 * Returns CORE_ERR_SHOULD_WAIT if it will be fulfilled asynchronously; wait on
 * @req.
 * Returns CORE_ERR_NEXT if @req is batching and more pages may be added.
 * Returns CORE_PAGE_SOURCE_DETACHED_STATUS if it can never be fulfilled; @req
 * is then untouched. */
CoreStatus core_page_source_get_page(CorePageSource *src, guint64 offset, CorePageRequest *req);

/* core_page_source_finalize_request:
 * Sends the batch of @req after the last GetPage returned NEXT. Atomic.
 * SPEC: core/README.md §2.2.
 * Returns CORE_ERR_SHOULD_WAIT if @req will be fulfilled after being waited on.
 * Returns CORE_PAGE_SOURCE_DETACHED_STATUS if it will never be resolved; @req
 * stays accumulating until cancelled or destroyed. */
CoreStatus core_page_source_finalize_request(CorePageSource *src, CorePageRequest *req);

/* core_page_source_on_pages_supplied:
 * Credits [@offset, @offset + @len) to the heads it intersects and completes
 * those whose pending count runs out (blind count, core/README.md §2.4). A no-op
 * once detached. Atomic; signals through the observer. */
void core_page_source_on_pages_supplied(CorePageSource *src, guint64 offset, guint64 len);

/* core_page_source_on_pages_failed:
 * Fails every head matched by [@offset, @offset + @len) with @error_status,
 * which must be a valid failure code (core/README.md §2.5, including the
 * zero-length quirk). A no-op once detached. Atomic. */
void core_page_source_on_pages_failed(CorePageSource *src, guint64 offset, guint64 len,
                                      CoreStatus error_status);

/* core_page_source_is_valid_failure_code:
 * Returns TRUE for ZX_ERR_IO, ZX_ERR_IO_DATA_INTEGRITY and ZX_ERR_BAD_STATE.
 * Returns FALSE for every other status (mid-2021, core/README.md §2.6). */
gboolean core_page_source_is_valid_failure_code(CoreStatus error_status);

/* core_page_source_detach:
 * Completes every head with ZX_OK in ascending order, then calls on_detach;
 * later calls fail. Idempotent. Atomic. core/README.md §2.11. */
void core_page_source_detach(CorePageSource *src);

/* core_page_source_close:
 * Detaches if needed, then calls on_close once. Idempotent. Atomic. */
void core_page_source_close(CorePageSource *src);

/* core_page_source_on_page_provider_dispatcher_close:
 * The pager handle was closed: Close(), then the provider's
 * on_dispatcher_close (project decision, core/README.md D2). Atomic. */
void core_page_source_on_page_provider_dispatcher_close(CorePageSource *src);

/* core_page_source_cancel_request:
 * Removes @req from all tracking (waiter, head with or without waiters,
 * accumulating) and makes it inactive; a no-op if it is inactive. Called by
 * core_page_request_wait and _destroy. Atomic. core/README.md §2.8. */
void core_page_source_cancel_request(CorePageSource *src, CorePageRequest *req);

/* core_page_source_dump:
 * Appends a one-line description of the source and its heads to @out. */
void core_page_source_dump(const CorePageSource *src, GString *out);

/* Getters, all O(1) unless stated. */
gboolean core_page_source_is_detached(const CorePageSource *src);
gboolean core_page_source_is_closed(const CorePageSource *src);
guint core_page_source_get_head_count(const CorePageSource *src);
/* The counters (transfer none): a copy, brought up to date by each call. */
const CorePageSourceStats *core_page_source_get_stats(const CorePageSource *src);

/* core_page_source_peek_first_head / _peek_next_head:
 * Iterate the heads in ascending offset (transfer none); O(1) amortised.
 * Returns NULL after the last head. */
CorePageRequest *core_page_source_peek_first_head(const CorePageSource *src);
CorePageRequest *core_page_source_peek_next_head(const CorePageSource *src,
                                                 const CorePageRequest *head);

/* core_page_source_peek_head_containing:
 * Returns the head whose range contains byte @offset, or NULL. O(log n). */
CorePageRequest *core_page_source_peek_head_containing(const CorePageSource *src, guint64 offset);

/* core_page_source_peek_accumulating:
 * Returns the batch being accumulated on @src, or NULL. */
CorePageRequest *core_page_source_peek_accumulating(const CorePageSource *src);

/* core_page_source_check_invariants:
 * Checks core/README.md §7 as far as the source can see it (points 1-5, 7; the
 * provider side is core_pager_proxy_check_invariants). O(heads + waiters), no
 * allocation unless a violation is found.
 * Returns TRUE if all hold.
 * Returns FALSE and appends the first violation to @why (nullable). */
gboolean core_page_source_check_invariants(const CorePageSource *src, GString *why);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(CorePageSource, core_page_source_free)

G_END_DECLS
