/* core/pager-proxy-private.h: the PagerProxy structure, private to
 * core/pager-proxy.c and the page source's inline calls of a PagerProxy
 * (page-source-private.h). Nothing outside core/ includes it but the tests, which
 * corrupt these fields to prove that core_pager_proxy_check_invariants fails.
 */
#pragma once

#include "core/pager-proxy.h"
#include "core/port-private.h"

G_BEGIN_DECLS

#define CORE_PAGER_PROXY_MAGIC 0x50505258u /* "PPRX" */

struct _CorePagerProxy {
    guint32 magic;                    /* CORE_PAGER_PROXY_MAGIC while alive. */
    CorePort *port;                   /* The pager's port (a reference). */
    guint64 key;                      /* Key of this VMO's packets. */
    gboolean detached;                /* on_detach was called. */
    gboolean closed;                  /* on_close was called. */
    gboolean complete_pending;        /* COMPLETE queued and not yet dequeued. */
    CoreReadRequest *active;          /* The record the packet was filled from while
                                         it is out (queued or lost), else NULL. */
    CoreListLink pending;             /* FIFO of records waiting for the packet. */
    guint pending_count;              /* Its length. */
    guint queued_reads;               /* pending_count + 1 while a READ packet is in the
                                         port: core_pager_proxy_get_queued_count, kept
                                         (the timeline reads it up to three times a
                                         fault). */
    guint complete_queue_count;       /* Times COMPLETE was handed to core__proxy_queue_packet. */
    CoreReadRequest complete_request; /* The static COMPLETE record. */
    CorePortPacket packet;            /* The single reusable packet. */
    CorePagerProxyStats stats;        /* Counters for reports. */
};

/* The proxy's send and queue, inline here so that the page source can make
 * the PagerProxy's two calls of a fault (get_page_async, clear_async_request)
 * without a call through its ops table (CorePageSource.proxy, set when its
 * provider is a PagerProxy). The same steps as the ops' functions, which use them. */

/* Takes the free packet for @r (the COMPLETE record iff @complete) and fills
 * it in. */
G_ALWAYS_INLINE static inline void core__proxy_fill_packet(CorePagerProxy *proxy,
                                                           CoreReadRequest *r, gboolean complete) {
    proxy->active = r;
    proxy->packet.info.command = complete ? CORE_PAGER_VMO_COMPLETE : CORE_PAGER_VMO_READ;
    proxy->packet.info.offset = complete ? 0 : r->offset;
    proxy->packet.info.length = complete ? 0 : r->length;
}

/* Counts the packet just queued, filled by core__proxy_fill_packet. */
G_ALWAYS_INLINE static inline void core__proxy_count_queued(CorePagerProxy *proxy,
                                                            gboolean complete) {
    if (complete) {
        proxy->stats.completes_queued++;
    } else {
        proxy->stats.reads_queued++;
        proxy->queued_reads++;
    }
}

/* Takes the free packet for @r, fills it in and queues it. The port's hook
 * is the last call, so that it can be a tail call. @complete (r is the
 * COMPLETE record) is a constant at each inline copy, so a READ's copy stores
 * its fields without a select each. */
G_ALWAYS_INLINE static inline void
core__proxy_send_packet_as(CorePagerProxy *proxy, CoreReadRequest *r, gboolean complete) {
    /* SPEC(core/README.md §4.1): take the packet, fill it in and queue it
     * (its key, type and status never change: core_pager_proxy_new). */
    core__proxy_fill_packet(proxy, r, complete);
    if (G_UNLIKELY(core__port_push(proxy->port, &proxy->packet) != CORE_OK)) {
        /* SPEC(core/README.md §4.1): BAD_HANDLE counts as "delivered, never
         * answered": the proxy stays busy and later requests pile up. */
        proxy->stats.bad_handle++;
        return;
    }
    core__proxy_count_queued(proxy, complete);
    core__port_notify(proxy->port);
}

/* Sends @r (the COMPLETE record iff @complete, a constant at each call) if the
 * packet is free, else parks it at the tail of the FIFO. */
G_ALWAYS_INLINE static inline void core__proxy_queue_packet(CorePagerProxy *proxy,
                                                            CoreReadRequest *r, gboolean complete) {
    if (proxy->active != NULL) {
        /* SPEC(core/README.md §4.1): the packet is out; wait in FIFO order. */
        core__list_push_back(&proxy->pending, &r->provider_link);
        proxy->pending_count++;
        proxy->queued_reads++;
        return;
    }
    core__proxy_send_packet_as(proxy, r, complete);
}

/* The PagerProxy's get_page_async of READ record @r. */
G_ALWAYS_INLINE static inline void core__proxy_get_page_async_inline(CorePagerProxy *proxy,
                                                                     CoreReadRequest *r) {
    /* SPEC(core/README.md §4.2): never after close. */
    g_assert(!proxy->closed && !proxy->detached);
    core__proxy_queue_packet(proxy, r, FALSE); /* (a READ record: never the COMPLETE one) */
}

/* The part of clear_async_request that has something to do (pager-proxy.c). */
void core__proxy_clear_queued_request(CorePagerProxy *proxy, CoreReadRequest *r);

/* The PagerProxy's clear_async_request of @r. */
G_ALWAYS_INLINE static inline void core__proxy_clear_async_request_inline(CorePagerProxy *proxy,
                                                                          CoreReadRequest *r) {
    g_assert(!proxy->closed);
    /* SPEC(core/README.md §4.4): neither pending nor active: already delivered
     * and forgotten (a supply's usual case), nothing to do. */
    if (G_LIKELY(!core__list_link_is_linked(&r->provider_link) && r != proxy->active))
        return;
    core__proxy_clear_queued_request(proxy, r);
}

G_END_DECLS
