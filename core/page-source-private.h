/* core/page-source-private.h: the PageSource structure, shared by the files
 * that implement it (page-source.c, page-request.c, page-source-inspect.c).
 * Nothing outside core/ includes this header but the tests, which corrupt
 * these fields to prove that core_page_source_check_invariants fails.
 */
#pragma once

#include "core/page-source.h"
#include "core/pager-proxy-private.h"
#include "core/request-tree-inline.h"

G_BEGIN_DECLS

/* Canaries, in the spirit of Zircon's fbl::Canary ("VMPS"). */
#define CORE_PAGE_SOURCE_MAGIC  0x564d5053u /* "VMPS" */
#define CORE_PAGE_REQUEST_MAGIC 0x56505251u /* "VPRQ" */

/* The "inactive" offset of core/README.md §1. */
#define CORE_OFFSET_NONE G_MAXUINT64

struct _CorePageSource {
    guint32 magic;                    /* CORE_PAGE_SOURCE_MAGIC while alive. */
    gboolean detached;                /* Set once by Detach. */
    gboolean closed;                  /* Set once by Close. */
    gboolean get_page_fast;           /* core__source_get_page_fast(), kept: GetPage's
                                         fast path is open. */
    CoreTree outstanding;             /* Heads, keyed by end page (request_key). */
    CorePageRequest *current_request; /* The batch being accumulated, or NULL. */
    guint64 max_head_pages;           /* No head was ever longer (pages); 1 at first. */
    CorePageProviderOps provider;     /* The PageProvider (a copy of its ops). */
    gpointer provider_ctx;            /* Its context. */
    CorePagerProxy *proxy;            /* provider_ctx when the provider is a PagerProxy
                                         (its ops are core_pager_proxy_get_ops()'s): a
                                         fault's two provider calls are then made inline
                                         (core__source_get_page_async); NULL: they go
                                         through provider. */
    CoreObserverOps observer;         /* Hears of every change (a copy; provider.h). */
    gpointer observer_ctx;            /* Its context. */
    CorePageSourceStats stats;        /* Counters for reports, but for fast_sent's. */
    guint64 fast_sent;                /* Heads GetPage's fast path sent: each is also a
                                         GetPage call, a send and a page sent, which
                                         core_page_source_get_stats adds (one add a
                                         fault instead of three). */
    CorePageSourceStats stats_view;   /* stats with fast_sent's added: what
                                         core_page_source_get_stats returns, filled by
                                         each call (a cache, like the tree's finger). */
};

/* Gets the request that embeds tree entry @entry (nullable). */
static inline CorePageRequest *core__request_of_entry(const CoreTreeEntry *entry) {
    return entry != NULL ? CORE_CONTAINER_OF(entry, CorePageRequest, tree_entry) : NULL;
}

/* Gets the request that embeds overlap link @link. */
static inline CorePageRequest *core__request_of_overlap_link(const CoreListLink *link) {
    return CORE_CONTAINER_OF(link, CorePageRequest, overlap_link);
}

/* End offset of an active request. */
static inline guint64 core__request_end(const CorePageRequest *req) {
    return req->offset + req->len;
}

/* The tree key of a head: its end offset in pages (heads are page aligned,
 * so no information is lost, and the tree stays low). */
static inline guint64 core__request_key(const CorePageRequest *req) {
    return core__request_end(req) / CORE_PAGE_SIZE;
}

/* The spec's upper_bound(@offset): the head with the smallest end strictly
 * greater than byte offset @offset. As ends are page multiples, end > offset
 * iff end / page > floor(offset / page), so the tree is asked in pages.
 * Returns NULL if there is none. */
static inline CorePageRequest *core__source_upper_bound(const CorePageSource *src, guint64 offset) {
    return core__request_of_entry(
        core__tree_upper_bound(&src->outstanding, offset / CORE_PAGE_SIZE));
}

/* GetPage's fast path is open: not detached, no get_page_sync, no batch
 * being accumulated, and every head one page. The source keeps the answer in
 * get_page_fast, refreshed wherever one of these changes. */
static inline gboolean core__source_get_page_fast(const CorePageSource *src) {
    return !src->detached && src->provider.get_page_sync == NULL && src->current_request == NULL &&
           src->max_head_pages <= 1;
}

/* The provider's get_page_async of @r: inline for a PagerProxy, the same
 * function its ops table names. */
G_ALWAYS_INLINE static inline void core__source_get_page_async(CorePageSource *src,
                                                               CoreReadRequest *r) {
    if (G_LIKELY(src->proxy != NULL))
        core__proxy_get_page_async_inline(src->proxy, r);
    else
        src->provider.get_page_async(src->provider_ctx, r);
}

/* The provider's clear_async_request of @r, likewise. */
G_ALWAYS_INLINE static inline void core__source_clear_async_request(CorePageSource *src,
                                                                    CoreReadRequest *r) {
    if (G_LIKELY(src->proxy != NULL))
        core__proxy_clear_async_request_inline(src->proxy, r);
    else
        src->provider.clear_async_request(src->provider_ctx, r);
}

/* PageRequest::Init: binds @req to @src at @offset with length 0 and
 * unsignals its event (core/README.md §2.1 step 4). */
void core__page_request_init(CorePageRequest *req, CorePageSource *src, guint64 offset);

G_END_DECLS
