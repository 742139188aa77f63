/* core/page-source-inspect.c: read-only views of a PageSource: getters, head
 * iteration, Dump, and the invariant checker of core/README.md §7.
 *
 * The checker is meant to run after every operation of a simulation, so it is
 * O(heads + waiters), walks the structures without recursion beyond the tree's
 * height (at most 11), and allocates only when it has a violation to describe.
 *
 * Invariants checked (numbers of core/README.md §7):
 * 1. The tree is a valid radix tree (core__tree_check); heads are non-empty,
 *    page aligned, keyed by their end page, and, in the tree's iteration
 *    order, pairwise disjoint and ascending (so keys are unique and sorted);
 *    none is longer than max_head_pages (an implementation bound that GetPage's
 *    lookup relies on, not a rule of the spec).
 * 2. Every head has CORE_PAGE_SIZE <= pending_size <= len, in whole pages.
 * 3. Every waiter lies inside its head, is not in the tree, has an empty
 *    overlap list and is bound to this source.
 * 4. Heads and waiters are active, in exactly one container, and hold no
 *    stored signal; only heads are provider-owned, with a matching record.
 * 5. closed implies detached, and detached implies an empty tree;
 *    get_page_fast agrees with core__source_get_page_fast.
 * 7. The accumulating batch, if any, is a batching request of this source in
 *    the accumulating state and not in any container.
 * Points 6 (provider side) are core_pager_proxy_check_invariants'; points 8 and
 * 9 are orderings, checked by the tests against the event log.
 */
#include "core/page-source-private.h"

#include <stdarg.h>

gboolean core_page_source_is_detached(const CorePageSource *src) {
    g_return_val_if_fail(src != NULL, FALSE);
    return src->detached;
}

gboolean core_page_source_is_closed(const CorePageSource *src) {
    g_return_val_if_fail(src != NULL, FALSE);
    return src->closed;
}

guint core_page_source_get_head_count(const CorePageSource *src) {
    g_return_val_if_fail(src != NULL, 0);
    return (guint)src->outstanding.count;
}

const CorePageSourceStats *core_page_source_get_stats(const CorePageSource *src) {
    g_return_val_if_fail(src != NULL, NULL);
    /* The fast path's sends, counted once each (CorePageSource.fast_sent). */
    CorePageSourceStats *view = &((CorePageSource *)src)->stats_view;
    *view = src->stats;
    view->get_page_calls += src->fast_sent;
    view->sent += src->fast_sent;
    view->sent_bytes += src->fast_sent * CORE_PAGE_SIZE;
    return view;
}

CorePageRequest *core_page_source_peek_first_head(const CorePageSource *src) {
    g_return_val_if_fail(src != NULL, NULL);
    return core__request_of_entry(core__tree_first(&src->outstanding));
}

CorePageRequest *core_page_source_peek_next_head(const CorePageSource *src,
                                                 const CorePageRequest *head) {
    g_return_val_if_fail(src != NULL && head != NULL, NULL);
    g_return_val_if_fail(core__tree_entry_is_linked(&head->tree_entry), NULL);
    return core__request_of_entry(core__tree_next(&head->tree_entry));
}

CorePageRequest *core_page_source_peek_head_containing(const CorePageSource *src, guint64 offset) {
    g_return_val_if_fail(src != NULL, NULL);
    CorePageRequest *node = core__source_upper_bound(src, offset);
    return node != NULL && node->offset <= offset ? node : NULL;
}

CorePageRequest *core_page_source_peek_accumulating(const CorePageSource *src) {
    g_return_val_if_fail(src != NULL, NULL);
    return src->current_request;
}

void core_page_source_dump(const CorePageSource *src, GString *out) {
    g_return_if_fail(src != NULL && out != NULL);
    g_string_append_printf(out, "source detached=%d closed=%d heads=%" G_GSIZE_FORMAT ":",
                           src->detached, src->closed, src->outstanding.count);
    for (CorePageRequest *h = core_page_source_peek_first_head(src); h != NULL;
         h = core_page_source_peek_next_head(src, h)) {
        g_string_append_printf(
            out, " [%" G_GUINT64_FORMAT ",+%" G_GUINT64_FORMAT ") p=%" G_GUINT64_FORMAT " w=%u",
            h->offset, h->len, h->pending_size, core_page_request_get_waiter_count(h));
    }
}

/* Describes a violation in @why (nullable) and returns FALSE. */
G_GNUC_PRINTF(2, 3)
static gboolean violation(GString *why, const char *format, ...) {
    va_list args;
    if (why == NULL)
        return FALSE;
    va_start(args, format);
    g_string_append_vprintf(why, format, args);
    va_end(args);
    return FALSE;
}

/* Checks waiter @w of head @h (points 3 and 4). */
static gboolean check_waiter(const CorePageSource *src, const CorePageRequest *h,
                             const CorePageRequest *w, GString *why) {
    guint64 at = h->offset;
    if (w->magic != CORE_PAGE_REQUEST_MAGIC || w->src != src)
        return violation(why, "waiter of head %" G_GUINT64_FORMAT ": not a request of this source",
                         at);
    if (w->offset == CORE_OFFSET_NONE || w->len < CORE_PAGE_SIZE)
        return violation(why, "waiter of head %" G_GUINT64_FORMAT ": inactive or empty", at);
    if (w->offset < h->offset || core__request_end(w) > core__request_end(h))
        return violation(why,
                         "waiter [%" G_GUINT64_FORMAT ",+%" G_GUINT64_FORMAT
                         ") outside its head at %" G_GUINT64_FORMAT,
                         w->offset, w->len, at);
    if (w->place != CORE_PAGE_REQUEST_IN_OVERLAP)
        return violation(why, "waiter at %" G_GUINT64_FORMAT ": not placed on an overlap list",
                         w->offset);
    if (core__list_link_is_linked(&w->read_request.provider_link))
        return violation(why, "waiter at %" G_GUINT64_FORMAT ": provider presence", w->offset);
    if (w->signalled || w == src->current_request)
        return violation(why, "waiter at %" G_GUINT64_FORMAT ": signalled or accumulating",
                         w->offset);
    return TRUE;
}

/* Checks head @h, which follows a head ending at @prev_end (points 1-4). */
static gboolean check_head(const CorePageSource *src, const CorePageRequest *h, guint64 prev_end,
                           GString *why) {
    if (h->magic != CORE_PAGE_REQUEST_MAGIC || h->src != src)
        return violation(why, "head: not a request of this source");
    if (h->offset == CORE_OFFSET_NONE || h->len < CORE_PAGE_SIZE ||
        h->offset % CORE_PAGE_SIZE != 0 || h->len % CORE_PAGE_SIZE != 0)
        return violation(why,
                         "head [%" G_GUINT64_FORMAT ",+%" G_GUINT64_FORMAT
                         "): inactive, empty or unaligned",
                         h->offset, h->len);
    if (h->place != CORE_PAGE_REQUEST_IN_TREE)
        return violation(why, "head at %" G_GUINT64_FORMAT ": not placed in the tree", h->offset);
    if (core__tree_entry_key(&h->tree_entry) != core__request_key(h))
        return violation(why, "head at %" G_GUINT64_FORMAT ": key is not its end page", h->offset);
    if (h->offset < prev_end)
        return violation(why, "head at %" G_GUINT64_FORMAT ": overlaps the previous head",
                         h->offset);
    if (h->len / CORE_PAGE_SIZE > src->max_head_pages)
        return violation(why, "head at %" G_GUINT64_FORMAT ": longer than max_head_pages",
                         h->offset);
    if (h->pending_size < CORE_PAGE_SIZE || h->pending_size > h->len ||
        h->pending_size % CORE_PAGE_SIZE != 0)
        return violation(why, "head at %" G_GUINT64_FORMAT ": pending_size %" G_GUINT64_FORMAT,
                         h->offset, h->pending_size);
    if (h->signalled || h == src->current_request)
        return violation(why, "head at %" G_GUINT64_FORMAT ": signalled or accumulating",
                         h->offset);
    /* Each link is checked before it is followed: while every next link
     * points back, the walk can only come round to the first one. */
    const CoreListLink *l = h->waiters;
    do {
        if (l == NULL)
            break;
        if (l->next == NULL || l->next->prev != l)
            return violation(why, "head at %" G_GUINT64_FORMAT ": broken overlap list", h->offset);
        if (!check_waiter(src, h, core__request_of_overlap_link(l), why))
            return FALSE;
        l = l->next;
    } while (l != h->waiters);
    return TRUE;
}

/* Checks the accumulating batch (point 7). */
static gboolean check_batch(const CorePageSource *src, GString *why) {
    const CorePageRequest *b = src->current_request;
    if (b == NULL)
        return TRUE;
    if (b->magic != CORE_PAGE_REQUEST_MAGIC || b->src != src || !b->allow_batching)
        return violation(why, "batch: not a batching request of this source");
    if (core_page_request_get_state(b) != CORE_PAGE_REQUEST_ACCUMULATING)
        return violation(why, "batch: state %s",
                         core_page_request_state_to_string(core_page_request_get_state(b)));
    if (b->len < CORE_PAGE_SIZE || core__list_link_is_linked(&b->read_request.provider_link))
        return violation(why, "batch at %" G_GUINT64_FORMAT ": empty or provider-linked",
                         b->offset);
    return TRUE;
}

gboolean core_page_source_check_invariants(const CorePageSource *src, GString *why) {
    g_return_val_if_fail(src != NULL, FALSE);
    guint64 prev_end = 0;

    if (src->magic != CORE_PAGE_SOURCE_MAGIC)
        return violation(why, "source: bad magic");
    if (!core__tree_check(&src->outstanding, why))
        return FALSE;
    if (src->closed && !src->detached)
        return violation(why, "source: closed but not detached");
    if (src->detached && src->outstanding.count != 0)
        return violation(why, "source: detached with %" G_GSIZE_FORMAT " heads",
                         src->outstanding.count);
    for (const CoreTreeEntry *te = core__tree_first(&src->outstanding); te != NULL;
         te = core__tree_next(te)) {
        const CorePageRequest *h = core__request_of_entry(te);
        if (!check_head(src, h, prev_end, why))
            return FALSE;
        prev_end = core__request_end(h);
    }
    if (!check_batch(src, why))
        return FALSE;
    if (src->get_page_fast != core__source_get_page_fast(src))
        return violation(why, "source: get_page_fast disagrees");
    return TRUE;
}
