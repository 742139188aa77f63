/* core/pager-proxy.c: the PageProvider of a user pager (core/README.md §4).
 *
 * The proxy serialises its VMO's requests through one reusable port packet.
 * Whoever holds the packet is the "active" request; everybody else waits in
 * the pending FIFO. Free (the port's dequeue callback) and a successful
 * withdrawal both release the packet and post the next pending request at
 * once, which is what gives FIFO delivery with one packet in flight per VMO.
 *
 * Invariants (checked by core_pager_proxy_check_invariants):
 * 1. The packet is busy (out: queued or lost) iff active != NULL; no other
 *    field says it.
 * 2. While the port has handles, the packet is busy iff it is queued; once it
 *    has none, a busy packet may be lost for good (the proxy stays busy).
 * 3. A non-empty pending FIFO implies a busy packet; pending_count is its
 *    length, and queued_reads that length plus 1 while a READ packet is
 *    queued (the port tells the proxy when it drops one: packet_lost).
 * 4. A queued packet carries this proxy's key and exactly the range of the
 *    active record (COMPLETE: command 1, range 0/0).
 * 5. Every READ record queued or pending is provider-owned by a current head
 *    of the source, with the head's range.
 * 6. COMPLETE is queued at most once, only after on_detach; on_detach and
 *    on_close each happen at most once, in that order.
 */
#include "core/page-source-private.h"

/* core__proxy_send_packet_as() of @r, READ or COMPLETE. */
static inline void send_packet(CorePagerProxy *proxy, CoreReadRequest *r) {
    if (G_UNLIKELY(r == &proxy->complete_request))
        core__proxy_send_packet_as(proxy, r, TRUE);
    else
        core__proxy_send_packet_as(proxy, r, FALSE);
}

/* Removes first pending link @next from the FIFO: its record is about to
 * take the packet. */
static inline CoreReadRequest *take_pending(CorePagerProxy *proxy, CoreListLink *next) {
    /* The new first link, read before the unlink's stores: the prefetch
     * below needs no load that waits for them. */
    CoreListLink *after = next->next;
    core__list_unlink(next);
    proxy->pending_count--;
    /* Performance only: the next pop reads the new first link and writes
     * the one after it; a long FIFO of cold requests would otherwise miss
     * both. The new first link's line was usually prefetched by the
     * previous pop (not on the first pop after the FIFO filled), so reading
     * from it the address of the one after it usually does not miss, and
     * does not wait for the sentinel just written. */
    if (after != &proxy->pending)
        __builtin_prefetch(after->next, 1);
    return CORE_CONTAINER_OF(next, CoreReadRequest, provider_link);
}

/* The packet came back (dequeued or withdrawn, and out of the port): release
 * it and post the next pending request at once. */
static inline void on_packet_freed(CorePagerProxy *proxy) {
    CoreListLink *next = proxy->pending.next;
    if (next == &proxy->pending) {
        proxy->active = NULL;
        return;
    }
    /* Released and taken again at once: send_packet sets active anew. */
    proxy->queued_reads--; /* (counted again if queued) */
    send_packet(proxy, take_pending(proxy, next));
}

/* on_packet_freed for the port's only packet, just dequeued and still in
 * the FIFO, when a request is pending: released and queued again at once, it
 * would come back to the same place (the FIFO's only packet), so it is
 * filled where it is, with the counts and the hook of a queue. */
static inline void refill_in_place(CorePagerProxy *proxy, CoreListLink *next) {
    CoreReadRequest *r = take_pending(proxy, next);
    if (G_UNLIKELY(r == &proxy->complete_request)) {
        /* (no test reaches this: while the port has handles, detaching
         * withdraws the active READ first, so COMPLETE waits only behind a
         * packet the port dropped; kept so that the refill is a queue's in
         * every case) */
        core__proxy_fill_packet(proxy, r, TRUE);
        proxy->stats.completes_queued++;
        proxy->queued_reads--; /* pending, it counted; in the port, it does not */
    } else {
        core__proxy_fill_packet(proxy, r, FALSE);
        /* from the FIFO to the port: queued_reads counted it while pending and
         * counts it in the port, so it stays as it is */
        proxy->stats.reads_queued++;
    }
    core__port_notify(proxy->port);
}

/* The port dropped the packet (its last handle went away): the proxy stays
 * busy (§4.1), but a READ is no longer queued. */
static void packet_lost(CorePortPacket *packet, gpointer owner) {
    CorePagerProxy *proxy = owner;
    g_assert(packet == &proxy->packet && proxy->active != NULL);
    if (proxy->active != &proxy->complete_request)
        proxy->queued_reads--;
}

/* Performance only: the READ of record @r has just been delivered, and the
 * supply that ends its service will look its head up in the outstanding
 * tree (page-source.c), by then out of the caches when many threads wait
 * (packet_free asks only while requests are pending): start loading the
 * head's leaf, its header (the lookup's check) and its slot, from the
 * head's tree handle (a READ record is a head's, invariant 5; its line was
 * read when the packet was filled). Every READ record is the read_request of
 * a CorePageRequest (provider.h), so its tree handle is there to read. */
static inline void prefetch_head_leaf(const CoreReadRequest *r) {
    const CoreTreeEntry *entry = &CORE_CONTAINER_OF(r, CorePageRequest, read_request)->tree_entry;
    if (G_UNLIKELY(!core__tree_entry_is_linked(entry)))
        return;
    const CoreTreeNode *leaf = core__tree_entry_leaf(entry);
    __builtin_prefetch(leaf);
    __builtin_prefetch(&leaf->slot[entry->at & (CORE_TREE_FANOUT - 1)]);
}

/* The port's Free: userspace has read the packet. It is the free_fn of the
 * proxy's packet; core_port_dequeue calls it directly (not through the
 * pointer) when a packet's free_fn is this function. */
void core__proxy_packet_free(CorePortPacket *packet, gpointer owner) {
    CorePagerProxy *proxy = owner;
    g_assert(packet == &proxy->packet && proxy->active != NULL);
    if (proxy->active == &proxy->complete_request) {
        /* SPEC(core/README.md §4.3): COMPLETE delivered; a closed proxy would now
         * be released, which the environment does by freeing it. Releasing
         * the packet as well is unobservable: nothing is queued after it. */
        proxy->complete_pending = FALSE;
        proxy->stats.completes_delivered++;
    } else {
        /* SPEC(core/README.md §4.3): READ delivered; the proxy forgets it. */
        if (proxy->pending.next != &proxy->pending)
            prefetch_head_leaf(proxy->active);
        proxy->stats.reads_delivered++;
        proxy->queued_reads--;
    }
    CoreListLink *next = proxy->pending.next;
    if (next != &proxy->pending && core__port_is_sole(proxy->port, packet)) {
        refill_in_place(proxy, next);
        return;
    }
    core__port_take(proxy->port, packet);
    on_packet_freed(proxy);
}

/* The ops table's entry, the tests' way in (the source calls the inline
 * one): checks there, at no cost to the source's path, that @r sits inside
 * a constructed CorePageRequest, as prefetch_head_leaf needs (provider.h). */
static void proxy_get_page_async(gpointer ctx, CoreReadRequest *r) {
    g_assert(core_read_request_get_page_request(r)->magic == CORE_PAGE_REQUEST_MAGIC);
    core__proxy_get_page_async_inline(ctx, r);
}

/* Zircon tests "r == active" before FIFO membership. The two orders differ only
 * when a packet lost to a handle-less port left a stale active pointer that a
 * later request at the same address now equals while it waits in the FIFO;
 * Zircon's order would then leave that record dangling in the FIFO. Testing
 * the FIFO first is identical in every other case and keeps the model
 * memory-safe (a noted deviation). This is the part of clear_async_request
 * that has something to do (@r still waits in the FIFO or is the active
 * record), out of line so that the usual call returns at once. */
G_NO_INLINE void core__proxy_clear_queued_request(CorePagerProxy *proxy, CoreReadRequest *r) {
    if (core__list_link_is_linked(&r->provider_link)) {
        /* SPEC(core/README.md §4.4): still waiting for the packet: drop it. */
        core__list_unlink(&r->provider_link);
        proxy->pending_count--;
        proxy->queued_reads--;
        proxy->stats.pending_dropped++;
    } else if (core__port_cancel_queued(proxy->port, &proxy->packet)) {
        /* SPEC(core/README.md §4.4): r is the active record, still in the port:
         * withdraw it and post the next one. Already dequeued, or lost by a
         * dead port: nothing. */
        proxy->stats.reads_withdrawn++;
        proxy->queued_reads--;
        on_packet_freed(proxy);
    }
}

static void proxy_clear_async_request(gpointer ctx, CoreReadRequest *r) {
    core__proxy_clear_async_request_inline(ctx, r);
}

static void proxy_swap_request(gpointer ctx, CoreReadRequest *old, CoreReadRequest *replacement) {
    CorePagerProxy *proxy = ctx;
    g_assert(!proxy->closed);
    if (core__list_link_is_linked(&old->provider_link)) {
        /* SPEC(core/README.md §4.5): pending: same FIFO position. */
        core__list_replace(&old->provider_link, &replacement->provider_link);
        proxy->stats.swaps++;
    } else if (old == proxy->active) {
        /* SPEC(core/README.md §4.5): queued: the packet's contents are identical,
         * only its owner changes. */
        proxy->active = replacement;
        proxy->stats.swaps++;
    }
}

static void proxy_on_detach(gpointer ctx) {
    CorePagerProxy *proxy = ctx;
    g_assert(!proxy->closed && !proxy->detached);
    /* SPEC(core/README.md §4.6): COMPLETE, once; the reads are already cleared. */
    proxy->detached = TRUE;
    proxy->complete_pending = TRUE;
    proxy->complete_queue_count++;
    core__proxy_queue_packet(proxy, &proxy->complete_request, TRUE);
}

static void proxy_on_close(gpointer ctx) {
    CorePagerProxy *proxy = ctx;
    g_assert(!proxy->closed && proxy->detached);
    /* SPEC(core/README.md §4.6): no calls but waits from now on. */
    proxy->closed = TRUE;
}

static void proxy_on_dispatcher_close(gpointer ctx) {
    CorePagerProxy *proxy = ctx;
    /* SPEC(core/README.md §4.6): a COMPLETE still in the port is withdrawn and
     * never delivered. If it is not in the port (a dead port), nothing. */
    if (proxy->complete_pending && proxy->active == &proxy->complete_request &&
        core__port_cancel_queued(proxy->port, &proxy->packet)) {
        proxy->complete_pending = FALSE;
        proxy->active = NULL;
        proxy->stats.completes_withdrawn++;
    }
}

static const CorePageProviderOps pager_proxy_ops = {
    .get_page_sync = NULL,
    .get_page_async = proxy_get_page_async,
    .clear_async_request = proxy_clear_async_request,
    .swap_request = proxy_swap_request,
    .on_detach = proxy_on_detach,
    .on_close = proxy_on_close,
    .on_dispatcher_close = proxy_on_dispatcher_close,
};

const CorePageProviderOps *core_pager_proxy_get_ops(void) { return &pager_proxy_ops; }

CorePagerProxy *core_pager_proxy_new(CorePort *port, guint64 key) {
    g_return_val_if_fail(port != NULL, NULL);
    CorePagerProxy *proxy = g_new0(CorePagerProxy, 1);
    proxy->magic = CORE_PAGER_PROXY_MAGIC;
    proxy->port = core_port_ref(port);
    proxy->key = key;
    core__list_init(&proxy->pending);
    core__list_link_clear(&proxy->complete_request.provider_link);
    core__list_link_clear(&proxy->packet.link);
    proxy->packet.info.key = key;
    proxy->packet.info.type = CORE_PKT_TYPE_PAGE_REQUEST;
    proxy->packet.info.status = CORE_OK;
    proxy->packet.free_fn = core__proxy_packet_free;
    proxy->packet.lost_fn = packet_lost;
    proxy->packet.owner = proxy;
    return proxy;
}

void core_pager_proxy_free(CorePagerProxy *proxy) {
    if (proxy == NULL)
        return;
    g_return_if_fail(proxy->magic == CORE_PAGER_PROXY_MAGIC);
    core__port_cancel_queued(proxy->port, &proxy->packet);
    while (core__list_pop_front(&proxy->pending) != NULL)
        ;
    core_port_unref(proxy->port);
    proxy->magic = 0;
    g_free(proxy);
}

gboolean core_pager_proxy_is_closed(const CorePagerProxy *proxy) {
    g_return_val_if_fail(proxy != NULL, FALSE);
    return proxy->closed;
}

gboolean core_pager_proxy_is_complete_pending(const CorePagerProxy *proxy) {
    g_return_val_if_fail(proxy != NULL, FALSE);
    return proxy->complete_pending;
}

gboolean core_pager_proxy_is_packet_busy(const CorePagerProxy *proxy) {
    g_return_val_if_fail(proxy != NULL, FALSE);
    return proxy->active != NULL;
}

guint core_pager_proxy_get_pending_count(const CorePagerProxy *proxy) {
    g_return_val_if_fail(proxy != NULL, 0);
    return proxy->pending_count;
}

const CorePagerProxyStats *core_pager_proxy_get_stats(const CorePagerProxy *proxy) {
    g_return_val_if_fail(proxy != NULL, NULL);
    return &proxy->stats;
}

const CoreReadRequest *core_pager_proxy_peek_active(const CorePagerProxy *proxy) {
    g_return_val_if_fail(proxy != NULL, NULL);
    if (!core__port_packet_is_queued(&proxy->packet) || proxy->active == &proxy->complete_request)
        return NULL;
    return proxy->active;
}

guint core_pager_proxy_get_queued_count(const CorePagerProxy *proxy) {
    g_return_val_if_fail(proxy != NULL, 0);
    return proxy->queued_reads;
}

const CoreReadRequest *core_pager_proxy_peek_pending(const CorePagerProxy *proxy, guint index) {
    g_return_val_if_fail(proxy != NULL, NULL);
    for (const CoreListLink *l = proxy->pending.next; l != &proxy->pending; l = l->next) {
        if (index-- == 0)
            return CORE_CONTAINER_OF(l, CoreReadRequest, provider_link);
    }
    return NULL;
}

/* Checks that READ record @r, queued or pending, belongs to a current head of
 * @src (point 5). Returns the violation, or NULL. */
static const char *check_read_record(const CoreReadRequest *r, const CorePageSource *src) {
    const CorePageRequest *req = core_read_request_get_page_request(r);
    if (src != NULL && core_page_request_get_source(req) != src)
        return "READ record of another source";
    /* The record's range is the head's own (they share memory). */
    if (core_page_request_get_state(req) != CORE_PAGE_REQUEST_HEAD)
        return "READ record of a request that is not a head";
    return NULL;
}

/* Checks the packet, the active record and the FIFO (points 1-5). */
static const char *check_packet_and_fifo(const CorePagerProxy *proxy, const CorePageSource *src) {
    const CoreReadRequest *a = proxy->active;
    guint n = 0;
    const char *what = NULL;

    if (core__port_packet_is_queued(&proxy->packet) && a == NULL)
        return "packet queued but not busy";
    if (core_port_has_handles(proxy->port) && a != NULL &&
        !core__port_packet_is_queued(&proxy->packet))
        return "packet busy but not in the port";
    if (core__port_packet_is_queued(&proxy->packet)) {
        gboolean complete = a == &proxy->complete_request;
        if (proxy->packet.info.key != proxy->key ||
            proxy->packet.info.command !=
                (complete ? CORE_PAGER_VMO_COMPLETE : CORE_PAGER_VMO_READ))
            return "queued packet has the wrong key or command";
        if (!complete &&
            (proxy->packet.info.offset != a->offset || proxy->packet.info.length != a->length))
            return "queued packet range differs from the active record";
        if (!complete && ((what = check_read_record(a, src)) != NULL))
            return what;
    }
    for (const CoreListLink *l = proxy->pending.next; l != &proxy->pending; l = l->next) {
        const CoreReadRequest *r = CORE_CONTAINER_OF(l, CoreReadRequest, provider_link);
        if (l->next == NULL || l->next->prev != l || ++n > proxy->pending_count)
            return "broken pending FIFO";
        if (r == &proxy->complete_request) {
            if (!proxy->detached)
                return "COMPLETE pending before detach";
        } else if ((what = check_read_record(r, src)) != NULL) {
            return what;
        }
    }
    if (n != proxy->pending_count)
        return "pending_count differs from the FIFO";
    if (proxy->queued_reads !=
        n + (core__port_packet_is_queued(&proxy->packet) && a != &proxy->complete_request))
        return "queued_reads differs from the FIFO and the port";
    if (n > 0 && a == NULL)
        return "requests pending while the packet is free";
    return NULL;
}

/* Checks the lifecycle flags against the source (point 6). */
static const char *check_lifecycle(const CorePagerProxy *proxy, const CorePageSource *src) {
    if (proxy->complete_queue_count > 1)
        return "COMPLETE queued more than once";
    if (proxy->complete_pending && !proxy->detached)
        return "COMPLETE pending before detach";
    if (proxy->closed && !proxy->detached)
        return "closed before detach";
    if (src != NULL && (core_page_source_is_detached(src) != proxy->detached ||
                        core_page_source_is_closed(src) != proxy->closed))
        return "detached/closed disagree with the source";
    return NULL;
}

gboolean core_pager_proxy_check_invariants(const CorePagerProxy *proxy, const CorePageSource *src,
                                           GString *why) {
    g_return_val_if_fail(proxy != NULL, FALSE);
    const char *what = NULL;
    if (proxy->magic != CORE_PAGER_PROXY_MAGIC)
        what = "bad magic";
    if (what == NULL)
        what = check_packet_and_fifo(proxy, src);
    if (what == NULL)
        what = check_lifecycle(proxy, src);
    if (what == NULL)
        return TRUE;
    if (why != NULL)
        g_string_append_printf(why, "pager proxy (key %" G_GUINT64_FORMAT "): %s", proxy->key,
                               what);
    return FALSE;
}
