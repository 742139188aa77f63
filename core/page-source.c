/* core/page-source.c: the PageSource operations of core/README.md §2.
 *
 * Each public function is one atomic operation under the spec's source mutex.
 * Branches that implement a sentence of the spec carry a SPEC tag naming the
 * section and step; deliberately reproduced quirks carry SPEC-QUIRK.
 *
 * Invariants kept here (checked by core_page_source_check_invariants in
 * page-source-inspect.c, core/README.md §7):
 * 1. Heads in the outstanding tree are disjoint, non-empty and page aligned;
 *    each is keyed by its end offset.
 * 2. Every head has CORE_PAGE_SIZE <= pending_size <= len, in whole pages.
 * 3. Every waiter lies inside its head, is not in the tree and has an empty
 *    overlap list.
 * 4. A request is in at most one container; it is inactive (offset == MAX)
 *    iff it is in none and is not accumulating.
 * 5. Once detached, the tree stays empty and the provider gets no request.
 * 6. Exactly the heads are provider-owned (place IN_TREE).
 * 7. At most one request accumulates a batch at a time (current_request).
 */
#include "core/page-source-private.h"

#include <string.h>

CorePageSource *core_page_source_new(const CorePageProviderOps *provider, gpointer provider_ctx,
                                     const CoreObserverOps *observer, gpointer observer_ctx) {
    g_return_val_if_fail(provider != NULL, NULL);
    g_return_val_if_fail(provider->get_page_async != NULL, NULL);
    g_return_val_if_fail(provider->clear_async_request != NULL, NULL);
    g_return_val_if_fail(provider->swap_request != NULL, NULL);
    g_return_val_if_fail(provider->on_detach != NULL && provider->on_close != NULL, NULL);
    g_return_val_if_fail(provider->on_dispatcher_close != NULL, NULL);
    g_return_val_if_fail(observer != NULL && observer->on_sent != NULL, NULL);
    g_return_val_if_fail(observer->on_coalesced != NULL && observer->on_signalled != NULL, NULL);

    CorePageSource *src = g_new0(CorePageSource, 1);
    src->magic = CORE_PAGE_SOURCE_MAGIC;
    core__tree_init(&src->outstanding);
    src->provider = *provider; /* A copy: one load less per call. */
    src->max_head_pages = 1;   /* Every head is a page or more. */
    src->provider_ctx = provider_ctx;
    /* The PagerProxy's calls are made inline (the same functions). */
    if (memcmp(provider, core_pager_proxy_get_ops(), sizeof(*provider)) == 0)
        src->proxy = provider_ctx;
    src->observer = *observer;
    src->observer_ctx = observer_ctx;
    src->get_page_fast = core__source_get_page_fast(src);
    return src;
}

/* Zircon's destructor asserts that the source was detached and closed; here
 * the only hard requirement is that no request still points into it. */
void core_page_source_free(CorePageSource *src) {
    if (src == NULL)
        return;
    g_return_if_fail(src->magic == CORE_PAGE_SOURCE_MAGIC);
    g_return_if_fail(src->outstanding.count == 0);
    g_return_if_fail(src->current_request == NULL);
    core__tree_clear(&src->outstanding);
    src->magic = 0;
    g_free(src);
}

gboolean core_page_source_is_valid_failure_code(CoreStatus error_status) {
    switch (error_status) {
        /* SPEC(core/README.md §2.6): only these three codes, as in mid-2021; NO_SPACE
         * and BUFFER_TOO_SMALL arrive later and are rejected here. */
        case CORE_ERR_IO:
        case CORE_ERR_IO_DATA_INTEGRITY:
        case CORE_ERR_BAD_STATE:
            return TRUE;
        default:
            return FALSE;
    }
}

/* Makes @req inactive (in no container), then signals its auto-unsignal
 * event with @status: the event keeps the status until a wait consumes it,
 * so a completion before the wait is not lost. The place and the signal are
 * one store of the flags (nobody looks in between). */
static inline void signal_inactive(CorePageSource *src, CorePageRequest *req, CoreStatus status) {
    req->offset = CORE_OFFSET_NONE;
    req->flags = CORE_REQ_FLAGS(req->allow_batching, 1, CORE_PAGE_REQUEST_IN_NONE);
    req->signal_status = status;
    src->stats.signals++;
    src->observer.on_signalled(src->observer_ctx, req, status);
}

/* The head that holds byte @offset, if any, else NULL or a head after it:
 * the spec's upper_bound(offset), asked only as far as a head holding the
 * offset could end. One that ends later is longer than any head ever sent,
 * and the head after the offset, if it ends further away, does not hold it
 * either way. The answer (coalesce or not) is the spec's; the search just
 * stops short of a distant neighbour (another thread's range). While every
 * head has been one page, the one head that can hold it is the one ending
 * right after its page: an exact lookup. */
static inline CorePageRequest *head_holding(const CorePageSource *src, guint64 offset) {
    guint64 page = offset / CORE_PAGE_SIZE;
    if (src->max_head_pages <= 1)
        return core__request_of_entry(core__tree_find(&src->outstanding, page + 1));
    guint64 limit = page + MIN(src->max_head_pages, G_MAXUINT64 - page);
    return core__request_of_entry(core__tree_upper_bound_within(&src->outstanding, page, limit));
}

/* Hands @req to the provider or parks it behind the head that already covers
 * its start. Both callers guarantee that a request starting inside a head
 * also ends inside it, so the end is deliberately not checked. GetPage's
 * fast path has its own copy, send_one_page. */
G_NO_INLINE static void core_page_source_send_request_to_provider_locked(CorePageSource *src,
                                                                         CorePageRequest *req) {
    CorePageRequest *node = head_holding(src, req->offset);
    /* The observer's hook for what happens (a tail call at the end). */
    CoreObserverHook hook = src->observer.on_sent;

    if (node != NULL && node->offset <= req->offset) {
        /* SPEC(core/README.md §2.3 2): the start lies in an in-flight head, so the
         * request joins the tail of its overlap list; the provider hears
         * nothing. */
        core__ring_push_back(&node->waiters, &req->overlap_link);
        req->place = CORE_PAGE_REQUEST_IN_OVERLAP;
        src->stats.coalesced++;
        hook = src->observer.on_coalesced;
    } else {
        /* SPEC(core/README.md §2.3 3): a new head. Pending count first, then the
         * provider record with a clean link, then the provider call, then the
         * tree. */
        guint64 len = req->len, key = core__request_key(req);
        req->pending_size = len;
        req->waiters = NULL;
        core__tree_entry_clear(&req->tree_entry);
        req->place = CORE_PAGE_REQUEST_IN_TREE;
        core__list_link_clear(&req->read_request.provider_link);
        core__source_get_page_async(src, &req->read_request);
        /* The head is keyed by its end page. */
        core__tree_insert_inline(&src->outstanding, &req->tree_entry, key);
        if (len / CORE_PAGE_SIZE > src->max_head_pages) {
            src->max_head_pages = len / CORE_PAGE_SIZE;
            src->get_page_fast = FALSE; /* (a head longer than a page) */
        }
        src->stats.sent++;
        src->stats.sent_bytes += len;
    }
    if (src->current_request != NULL) {
        /* SPEC(core/README.md §2.3 4): the batch is no longer being built.
         * Only this and a longer head change get_page_fast's inputs. */
        src->current_request = NULL;
        src->get_page_fast = core__source_get_page_fast(src);
    }
    hook(src->observer_ctx, req);
}

/* send_request_to_provider for GetPage's fast path: @req was just
 * initialised for @page without batching, and every head has been one page,
 * so the lookup is exact (head_holding), the range and length are known, and
 * the flags (not batching, no signal, the place) are set in one store. The
 * same steps in the same order. */
G_ALWAYS_INLINE static inline void send_one_page(CorePageSource *src, CorePageRequest *req,
                                                 guint64 page) {
    CorePageRequest *node = core__request_of_entry(core__tree_find(&src->outstanding, page + 1));

    if (node != NULL && node->offset <= req->offset) {
        /* SPEC(core/README.md §2.3 2): joins the in-flight head's overlap list. */
        core__ring_push_back(&node->waiters, &req->overlap_link);
        req->flags = CORE_REQ_FLAGS(0, 0, CORE_PAGE_REQUEST_IN_OVERLAP);
        src->stats.get_page_calls++;
        src->stats.coalesced++;
        src->observer.on_coalesced(src->observer_ctx, req);
        return;
    }
    /* SPEC(core/README.md §2.3 3): a new head, as above. */
    req->pending_size = CORE_PAGE_SIZE;
    req->waiters = NULL;
    core__tree_entry_clear(&req->tree_entry);
    req->flags = CORE_REQ_FLAGS(0, 0, CORE_PAGE_REQUEST_IN_TREE);
    core__list_link_clear(&req->read_request.provider_link);
    core__source_get_page_async(src, &req->read_request);
    /* The key again from the range (the provider only reads it), so that
     * only @src and @req outlive the call. */
    core__tree_insert_inline(&src->outstanding, &req->tree_entry, req->offset / CORE_PAGE_SIZE + 1);
    /* max_head_pages is at least 1 already. The GetPage call, the send and
     * its page, counted as one (fast_sent). */
    src->fast_sent++;
    /* SPEC(core/README.md §2.3 4): no batch is being built (current_request
     * was NULL already: the fast path's condition). */
    src->observer.on_sent(src->observer_ctx, req);
}

/* Wakes @head, already erased from the tree, and all its waiters with
 * @status. Inlined into the supply (one call a fault); fail and detach call
 * the copy below. */
G_ALWAYS_INLINE static inline void
complete_request_inline(CorePageSource *src, CorePageRequest *head, CoreStatus status) {
    CoreListLink *link;

    /* SPEC(core/README.md §2.7 1): the provider forgets the request first, which
     * withdraws a still-queued packet. */
    core__source_clear_async_request(src, &head->read_request);

    /* SPEC(core/README.md §2.7 2): waiters in arrival order, each made inactive
     * before its event is signalled. */
    while ((link = core__ring_pop_front(&head->waiters)) != NULL)
        signal_inactive(src, core__request_of_overlap_link(link), status);

    /* SPEC(core/README.md §2.7 3): the head last. */
    src->stats.completed_heads++;
    if (status != CORE_OK)
        src->stats.failed_heads++;
    signal_inactive(src, head, status);
}

G_NO_INLINE static void core_page_source_complete_request_locked(CorePageSource *src,
                                                                 CorePageRequest *head,
                                                                 CoreStatus status) {
    complete_request_inline(src, head, status);
}

/* Decides whether the batch of @req, which has just grown to include a new
 * last page, must be sent now. Pages are cells, B the batch (its newest page
 * is b), H the in-flight head found by upper_bound(batch START):
 *
 *   no head at or after the start: never ends here
 *       |B B B b|. . .
 *
 *   the batch starts inside H: ends when its end meets H's end
 *       |H H H H H H|                 (H in flight)
 *           |B B B b|                 end(B) == end(H): send, b included
 *           |B B b|                   end(B) <  end(H): NEXT
 *
 *   H lies after the start: ends when its end meets H's start
 *       |B B b|H H H|                 end(B) == start(H): send, b included
 *       |B b|. |H H H|                end(B) <  start(H): NEXT
 *
 * Either way the batch never crosses a head boundary, so a batch that begins
 * inside a head stays inside it (send_request_to_provider relies on this).
 * A batch may end on its first page: b is H's last page, or lies right before H. */
static gboolean batch_must_end(const CorePageSource *src, const CorePageRequest *req) {
    /* SPEC(core/README.md §2.1 6a): the lookup uses the batch START, not the page
     * just added. */
    const CorePageRequest *node = core__source_upper_bound(src, req->offset);

    if (node == NULL) {
        /* SPEC(core/README.md §2.1 6a): no head at or after the batch: keep going. */
        return FALSE;
    }
    if (node->offset <= req->offset) {
        /* SPEC(core/README.md §2.1 6a): the batch starts inside an in-flight head;
         * stop when it would stop overlapping it. */
        return core__request_end(req) == core__request_end(node);
    }
    /* SPEC(core/README.md §2.1 6a): the head lies after the batch start; stop
     * when the batch would start overlapping it. */
    return core__request_end(req) == node->offset;
}

/* Adds the page at @offset to batching request @req, or sends what @req
 * holds when the page does not continue it. */
static CoreStatus populate_batch(CorePageSource *src, CorePageRequest *req, guint64 offset) {
    if (core__request_end(req) == offset) {
        g_return_val_if_fail(offset <= G_MAXUINT64 - CORE_PAGE_SIZE, CORE_ERR_INTERNAL);
        /* SPEC(core/README.md §2.1 6a): contiguous, so the page is appended; the
         * first call after Init always gets here. */
        req->len += CORE_PAGE_SIZE;
        if (batch_must_end(src, req)) {
            /* SPEC(core/README.md §2.1 6a): end of batch; the page just added is
             * part of what is sent. */
            core_page_source_send_request_to_provider_locked(src, req);
            return CORE_ERR_SHOULD_WAIT;
        }
        /* SPEC(page_source.h.txt): "Returns ZX_ERR_NEXT if the PageRequest is
         * in batch mode and the caller can continue to add more pages". */
        return CORE_ERR_NEXT;
    }
    /* SPEC(core/README.md §2.1 6b): not contiguous: the batch so far is sent
     * WITHOUT the new page, which the caller asks for again after waiting. */
    core_page_source_send_request_to_provider_locked(src, req);
    return CORE_ERR_SHOULD_WAIT;
}

/* GetPage after the checks, but for the fast path; counts the call itself. */
G_NO_INLINE static CoreStatus get_page_general(CorePageSource *src, guint64 offset,
                                               CorePageRequest *req) {
    src->stats.get_page_calls++;
    if (src->detached) {
        /* SPEC(core/README.md §2.1 2, decision): detached: the detached code, and
         * the request is left exactly as it was. */
        return CORE_PAGE_SOURCE_DETACHED_STATUS;
    }
    if (src->provider.get_page_sync != NULL &&
        src->provider.get_page_sync(src->provider_ctx, offset)) {
        /* SPEC(page_source.h.txt): "Returns ZX_OK if the request was
         * synchronously fulfilled"; a user pager never gets here. */
        return CORE_OK;
    }

    g_return_val_if_fail(src->current_request == NULL || src->current_request == req,
                         CORE_ERR_INTERNAL);
    if (req->offset == CORE_OFFSET_NONE) {
        /* SPEC(core/README.md §2.1 4): an inactive request is initialised here. */
        core__page_request_init(req, src, offset);
    } else {
        g_return_val_if_fail(req->src == src, CORE_ERR_INTERNAL);
        g_return_val_if_fail(core_page_request_get_state(req) == CORE_PAGE_REQUEST_ACCUMULATING,
                             CORE_ERR_INTERNAL);
    }
    if (!req->allow_batching) {
        /* SPEC(core/README.md §2.1 5): one page, assigned rather than added, and
         * sent at once. The spec's current_request = req is left out: the
         * send clears it before anyone (the observer) can look. */
        req->len = CORE_PAGE_SIZE;
        core_page_source_send_request_to_provider_locked(src, req);
        return CORE_ERR_SHOULD_WAIT;
    }
    src->current_request = req;
    src->get_page_fast = FALSE;
    return populate_batch(src, req, offset);
}

CoreStatus core_page_source_get_page(CorePageSource *src, guint64 offset, CorePageRequest *req) {
    g_return_val_if_fail(src != NULL && src->magic == CORE_PAGE_SOURCE_MAGIC, CORE_ERR_INTERNAL);
    g_return_val_if_fail(req != NULL && req->magic == CORE_PAGE_REQUEST_MAGIC, CORE_ERR_INTERNAL);

    /* SPEC(core/README.md §2.1 1): any byte of the page names the page. */
    offset -= offset % CORE_PAGE_SIZE;

    if (G_LIKELY(src->get_page_fast && req->offset == CORE_OFFSET_NONE && !req->allow_batching)) {
        /* A fault's usual case, get_page_general's path for it: attached
         * with no synchronous provider (§2.1 2-3 pass), no batch open, and
         * an inactive request without batching, initialised (§2.1 4) with
         * its one page (§2.1 5) and sent, while every head has been one
         * page. Fields the send sets are not set twice: the pending count,
         * and the flags (not batching, no signal, the place), in one store. */
        req->src = src;
        req->offset = offset;
        req->len = CORE_PAGE_SIZE;
        req->signal_status = CORE_OK;
        send_one_page(src, req, offset / CORE_PAGE_SIZE);
        return CORE_ERR_SHOULD_WAIT;
    }
    return get_page_general(src, offset, req);
}

CoreStatus core_page_source_finalize_request(CorePageSource *src, CorePageRequest *req) {
    g_return_val_if_fail(src != NULL && src->magic == CORE_PAGE_SOURCE_MAGIC, CORE_ERR_INTERNAL);
    g_return_val_if_fail(req != NULL && req->magic == CORE_PAGE_REQUEST_MAGIC, CORE_ERR_INTERNAL);
    g_return_val_if_fail(req->src == src, CORE_ERR_INTERNAL);
    g_return_val_if_fail(core_page_request_get_state(req) == CORE_PAGE_REQUEST_ACCUMULATING,
                         CORE_ERR_INTERNAL);

    if (src->detached) {
        /* SPEC(core/README.md §2.2): detached between the NEXT and the Finalize
         * (only a pager close can do that): nothing is sent and the request
         * stays initialised in no container. */
        return CORE_PAGE_SOURCE_DETACHED_STATUS;
    }
    /* SPEC(core/README.md §2.2): otherwise the batch is sent and must be waited
     * for. */
    core_page_source_send_request_to_provider_locked(src, req);
    return CORE_ERR_SHOULD_WAIT;
}

/* Intersection length, in bytes, of [offset, end) with head @node. */
static guint64 overlap_bytes(const CorePageRequest *node, guint64 offset, guint64 end) {
    guint64 lo = MAX(offset, node->offset);
    guint64 hi = MIN(end, core__request_end(node));
    return hi > lo ? hi - lo : 0;
}

/* The head after @node, or NULL when it cannot start before @end. Why: heads
 * are disjoint (invariant 1), so when @node reaches @end the next head starts
 * at or after it and the walks below would stop there anyway; the common
 * supply covers one head, and finding its successor climbs the tree. */
static CorePageRequest *next_head_before(CorePageRequest *node, guint64 end) {
    if (core__request_end(node) >= end)
        return NULL;
    return core__request_of_entry(core__tree_next(&node->tree_entry));
}

/* The head @node, fully credited: it leaves the tree and completes. */
G_ALWAYS_INLINE static inline void complete_credited(CorePageSource *src, CorePageRequest *node) {
    /* SPEC(core/README.md §2.4 2): fulfilled: erase, then complete with ZX_OK. */
    core__tree_erase_inline(&src->outstanding, &node->tree_entry);
    complete_request_inline(src, node, CORE_OK);
}

/* credit_head when @fulfill is not exactly what @node still needs. Returns
 * TRUE if the head is now fully credited (an excess). */
G_NO_INLINE static gboolean credit_inexact(CorePageRequest *node, guint64 fulfill) {
    if (fulfill < node->pending_size) {
        /* SPEC-QUIRK(core/README.md §2.4, pending_size_): the count is blind;
         * nothing records which pages were credited, so pages evicted and
         * supplied again are counted twice and the head completes
         * prematurely. Waiters are never woken by a partial supply. */
        node->pending_size -= fulfill;
        return FALSE;
    }
    /* SPEC(core/README.md §2.4 2): an excess is only traced by the kernel,
     * not an error. */
    g_debug("excessive page count: head [%" G_GUINT64_FORMAT ", +%" G_GUINT64_FORMAT ")",
            node->offset, node->len);
    return TRUE;
}

/* Credits head @node with @fulfill bytes, its intersection with the range
 * supplied; a head fully credited leaves the tree and completes. The exact
 * count, a fault's usual case, is one comparison. */
G_ALWAYS_INLINE static inline void credit_head(CorePageSource *src, CorePageRequest *node,
                                               guint64 fulfill) {
    if (G_LIKELY(fulfill == node->pending_size) || credit_inexact(node, fulfill))
        complete_credited(src, node);
}

/* SPEC(core/README.md §2.4 2): from upper_bound(offset), every head that
 * starts before @end, in ascending order, is credited with its intersection
 * with [@offset, @end). Out of line: the one-page supply needs no walk. */
G_NO_INLINE static void supply_walk(CorePageSource *src, guint64 offset, guint64 end) {
    CorePageRequest *node = core__source_upper_bound(src, offset);
    while (node != NULL && node->offset < end) {
        CorePageRequest *next = next_head_before(node, end);
        credit_head(src, node, overlap_bytes(node, offset, end));
        node = next;
    }
}

/* The caller decides what was supplied: the VMO reports each run of newly
 * inserted pages, and a shrinking resize reports its gaps with the mid-2021
 * (gap_start, gap_end) quirk of core/README.md §5.6. That quirk is the VMO model's
 * (sim/model/, and tests/core/fake-env.c); this function credits exactly the
 * range it is given. */
void core_page_source_on_pages_supplied(CorePageSource *src, guint64 offset, guint64 len) {
    g_return_if_fail(src != NULL && src->magic == CORE_PAGE_SOURCE_MAGIC);
    g_return_if_fail(len <= G_MAXUINT64 - offset);
    guint64 end = offset + len;

    if (G_LIKELY(src->get_page_fast) && offset % CORE_PAGE_SIZE == 0 && len <= CORE_PAGE_SIZE) {
        /* The walk below, when every head has been one page (get_page_fast
         * says so, and that the source is attached) and the range lies in
         * one page: upper_bound(offset) is the head of that page if there
         * is one, else a head starting at or after the end; and no head
         * after the first can start before the end. */
        guint64 key = offset / CORE_PAGE_SIZE + 1;
        CoreTreeNode *leaf;
        CorePageRequest *node =
            core__request_of_entry(core__tree_find_leaf(&src->outstanding, key, &leaf));
        if (node != NULL && node->offset < end &&
            (G_LIKELY(len == node->pending_size) || credit_inexact(node, len))) {
            /* The head is [offset, offset + page) and the range lies in it:
             * the intersection is the range, credited as credit_head does;
             * fully credited, it leaves the tree from the slot just found. */
            core__tree_erase_found(&src->outstanding, leaf, key, &node->tree_entry);
            complete_request_inline(src, node, CORE_OK);
        }
        return;
    }
    if (src->detached) {
        /* SPEC(core/README.md §2.4 1): nothing is tracked after detach. */
        return;
    }
    supply_walk(src, offset, end);
}

void core_page_source_on_pages_failed(CorePageSource *src, guint64 offset, guint64 len,
                                      CoreStatus error_status) {
    g_return_if_fail(src != NULL && src->magic == CORE_PAGE_SOURCE_MAGIC);
    g_return_if_fail(len <= G_MAXUINT64 - offset);
    /* SPEC(core/README.md §2.5 1): the status must be a valid failure code. */
    g_return_if_fail(core_page_source_is_valid_failure_code(error_status));
    guint64 end = offset + len;

    if (src->detached) {
        /* SPEC(core/README.md §2.5 1): a no-op once detached. */
        return;
    }
    /* SPEC(core/README.md §2.5 2): same walk as a supply, but any overlap fails
     * the whole head and its waiters.
     * SPEC-QUIRK(core/README.md §2.5 3): with len == 0 the walk still matches a
     * head with offset strictly inside it (node.offset < offset < node.end),
     * but not one that starts exactly at offset. */
    CorePageRequest *node = core__source_upper_bound(src, offset);
    while (node != NULL && node->offset < end) {
        CorePageRequest *next = next_head_before(node, end);
        core__tree_erase(&src->outstanding, &node->tree_entry);
        core_page_source_complete_request_locked(src, node, error_status);
        node = next;
    }
}

/* Hands head @req's place, range, accounting and provider record over to its
 * first waiter, so that cancelling one thread neither loses the request nor
 * sends a new one. */
static void promote_first_waiter(CorePageSource *src, CorePageRequest *req) {
    CorePageRequest *w = core__request_of_overlap_link(core__ring_pop_front(&req->waiters));

    /* SPEC(core/README.md §2.8 2): W inherits the rest of the list, the head's
     * range (its own smaller range is overwritten) and pending count. W has
     * left the ring, so its head fields (which share the link's memory) are
     * free to take. */
    w->offset = req->offset;
    w->len = req->len;
    w->pending_size = req->pending_size;
    w->waiters = req->waiters;
    core__tree_entry_clear(&w->tree_entry);
    w->place = CORE_PAGE_REQUEST_IN_TREE;
    core__list_link_clear(&w->read_request.provider_link);

    /* SPEC(core/README.md §2.8 2): W takes the head's place under the same key.
     * The spec erases and re-inserts; replacing the entry in its slot gives
     * the same tree in O(1). */
    core__tree_replace(&src->outstanding, &req->tree_entry, &w->tree_entry);

    /* SPEC(core/README.md §2.8 2): no new packet; the provider keeps the queued
     * packet or the queue position, now owned by W. */
    src->provider.swap_request(src->provider_ctx, &req->read_request, &w->read_request);
    src->stats.promotions++;
}

void core_page_source_cancel_request(CorePageSource *src, CorePageRequest *req) {
    g_return_if_fail(src != NULL && src->magic == CORE_PAGE_SOURCE_MAGIC);
    g_return_if_fail(req != NULL && req->magic == CORE_PAGE_REQUEST_MAGIC);

    if (req->offset == CORE_OFFSET_NONE) {
        /* SPEC(core/README.md §2.8): an inactive request has nothing to cancel. */
        return;
    }
    g_return_if_fail(req->src == src);
    src->stats.cancelled++;

    if (req->place == CORE_PAGE_REQUEST_IN_OVERLAP) {
        /* SPEC(core/README.md §2.8 1): a waiter: its head is upper_bound of its
         * start; it leaves that head's list and nothing else changes. */
        CorePageRequest *head = core__source_upper_bound(src, req->offset);
        g_assert(head != NULL && head->offset <= req->offset);
        core__ring_unlink(&head->waiters, &req->overlap_link);
    } else if (req->place == CORE_PAGE_REQUEST_IN_TREE && req->waiters != NULL) {
        /* SPEC(core/README.md §2.8 2): a head with waiters: promote the first. */
        promote_first_waiter(src, req);
    } else if (req->place == CORE_PAGE_REQUEST_IN_TREE) {
        /* SPEC(core/README.md §2.8 3): a head alone: erase it, then the provider
         * withdraws or forgets it. */
        core__tree_erase(&src->outstanding, &req->tree_entry);
        core__source_clear_async_request(src, &req->read_request);
        src->stats.cancelled_heads++;
    } else if (src->current_request == req) {
        /* SPEC(core/README.md §2.8 4): accumulating, never sent: nothing to undo
         * beyond forgetting the debug batch pointer. */
        src->current_request = NULL;
        src->get_page_fast = core__source_get_page_fast(src);
    }
    /* SPEC(core/README.md §2.8): inactive in all four cases. */
    req->offset = CORE_OFFSET_NONE;
    req->place = CORE_PAGE_REQUEST_IN_NONE;
}

void core_page_source_detach(CorePageSource *src) {
    g_return_if_fail(src != NULL && src->magic == CORE_PAGE_SOURCE_MAGIC);
    CoreTreeEntry *te;

    if (src->detached) {
        /* SPEC(core/README.md §2.11): detaching twice does nothing. */
        return;
    }
    src->detached = TRUE;
    src->get_page_fast = FALSE;
    /* SPEC(core/README.md §2.11): pop the smallest-key head until none is left and
     * complete each with ZX_OK; the threads retry and see the detached
     * code. */
    while ((te = core__tree_first(&src->outstanding)) != NULL) {
        CorePageRequest *head = core__request_of_entry(te);
        core__tree_erase(&src->outstanding, te);
        core_page_source_complete_request_locked(src, head, CORE_OK);
    }
    /* SPEC(core/README.md §2.11): the provider last (PagerProxy queues COMPLETE). */
    src->provider.on_detach(src->provider_ctx);
}

void core_page_source_close(CorePageSource *src) {
    g_return_if_fail(src != NULL && src->magic == CORE_PAGE_SOURCE_MAGIC);
    /* SPEC(core/README.md §2.11): Close detaches first (a no-op if detached). */
    core_page_source_detach(src);
    if (!src->closed) {
        /* SPEC(core/README.md §2.11): then closes once. */
        src->closed = TRUE;
        src->provider.on_close(src->provider_ctx);
    }
}

void core_page_source_on_page_provider_dispatcher_close(CorePageSource *src) {
    g_return_if_fail(src != NULL && src->magic == CORE_PAGE_SOURCE_MAGIC);
    /* SPEC(core/README.md D2, §2.11): Close(), then the provider's
     * OnDispatcherClose. Pages of the VMO are not touched. */
    core_page_source_close(src);
    src->provider.on_dispatcher_close(src->provider_ctx);
}
