/* core/pager-proxy.h: PagerProxy, the kernel side of a user pager.
 *
 * A CorePagerProxy is the PageProvider of one pager-backed VMO: it turns the
 * source's requests into packets on a CorePort shared by all VMOs of a pager.
 * It owns one reusable packet, so at most one packet of its VMO is in the port;
 * further requests wait in a FIFO and the next one is posted the moment the
 * previous packet is dequeued or withdrawn. Once dequeued, a request is
 * forgotten by the proxy (it lives on only in the source's tree).
 *
 * Lifecycle (SPEC: core/README.md §4.1-4.6, pager_proxy.cc):
 * 1. core_pager_proxy_new; pass core_pager_proxy_get_ops() and the proxy as
 *    the provider of core_page_source_new.
 * 2. READ packets: get_page_async queues, clear_async_request withdraws,
 *    swap_request hands a queued packet or queue slot to another request.
 * 3. on_detach queues COMPLETE once; on_close marks the proxy closed;
 *    on_dispatcher_close withdraws a still-queued COMPLETE (never delivered).
 * 4. core_pager_proxy_free, after the source stopped using it.
 * WaitOnEvent (the 20 s / 300 s pager timeouts) involves time and belongs to
 * the environment, which passes ZX_ERR_TIMED_OUT to core_page_request_wait.
 */
#pragma once

#include <glib.h>

#include "core/page-source.h"
#include "core/port.h"
#include "core/provider.h"

G_BEGIN_DECLS

typedef struct _CorePagerProxy CorePagerProxy;

/* Counters for reports; they never influence behaviour. */
typedef struct {
    guint64 reads_queued;        /* READ packets put in the port. */
    guint64 reads_delivered;     /* READ packets dequeued by userspace. */
    guint64 reads_withdrawn;     /* READ packets cancelled from the port. */
    guint64 pending_dropped;     /* Requests removed from the FIFO before posting. */
    guint64 swaps;               /* swap_request calls that moved a packet or slot. */
    guint64 completes_queued;    /* COMPLETE packets put in the port. */
    guint64 completes_delivered; /* COMPLETE packets dequeued. */
    guint64 completes_withdrawn; /* COMPLETE packets cancelled on dispatcher close. */
    guint64 bad_handle;          /* Queues refused because the port had no handles. */
} CorePagerProxyStats;

/* core_pager_proxy_new:
 * Creates the proxy of the VMO whose packets carry @key, on @port (a reference
 * is taken). Returns a new proxy (transfer full). */
CorePagerProxy *core_pager_proxy_new(CorePort *port, guint64 key);

/* core_pager_proxy_free:
 * Frees @proxy (nullable), withdrawing its packet from the port if queued.
 * The source using it must be freed first or never be called again. */
void core_pager_proxy_free(CorePagerProxy *proxy);

/* core_pager_proxy_get_ops:
 * Returns the provider ops (static, transfer none); their context is the
 * proxy. get_page_sync is NULL: a user pager never supplies synchronously. */
const CorePageProviderOps *core_pager_proxy_get_ops(void);

/* Getters, O(1) unless stated. */
gboolean core_pager_proxy_is_closed(const CorePagerProxy *proxy);
gboolean core_pager_proxy_is_complete_pending(const CorePagerProxy *proxy);
gboolean core_pager_proxy_is_packet_busy(const CorePagerProxy *proxy);
guint core_pager_proxy_get_pending_count(const CorePagerProxy *proxy);
const CorePagerProxyStats *core_pager_proxy_get_stats(const CorePagerProxy *proxy);

/* core_pager_proxy_peek_active:
 * Returns the READ record whose packet is queued in the port now (transfer
 * none). Returns NULL if no READ packet of this proxy is in the port. */
const CoreReadRequest *core_pager_proxy_peek_active(const CorePagerProxy *proxy);

/* core_pager_proxy_get_queued_count:
 * Returns the records queued behind the packet (the pending count, COMPLETE
 * included) plus 1 if a READ packet of this proxy is in the port: what
 * core_pager_proxy_get_pending_count() + (core_pager_proxy_peek_active() !=
 * NULL) gives, in one call. */
guint core_pager_proxy_get_queued_count(const CorePagerProxy *proxy);

/* core_pager_proxy_peek_pending:
 * Returns the @index-th record of the FIFO behind the packet (transfer none);
 * the COMPLETE record, if ever there, has length 0. O(index).
 * Returns NULL if @index is past the end. */
const CoreReadRequest *core_pager_proxy_peek_pending(const CorePagerProxy *proxy, guint index);

/* core_pager_proxy_check_invariants:
 * Checks core/README.md §7 point 6 and the proxy's own state against @src (the
 * source using this proxy; nullable to skip the cross-checks): every READ record queued in the port
 * or in the FIFO belongs to a current head of @src with the same range; at most one packet of the
 * proxy is out; a non-empty FIFO implies a busy packet; COMPLETE is queued at most once and only
 * after detach; detached and closed agree with @src. O(FIFO length), no allocation unless a
 * violation is found. Returns TRUE if all hold. Returns FALSE and appends the first violation to
 * @why (nullable). */
gboolean core_pager_proxy_check_invariants(const CorePagerProxy *proxy, const CorePageSource *src,
                                           GString *why);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(CorePagerProxy, core_pager_proxy_free)

G_END_DECLS
