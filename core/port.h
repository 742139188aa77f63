/* core/port.h: the kernel port that carries pager packets to userspace.
 *
 * A CorePort is a FIFO of packets queued by any number of PagerProxy objects
 * (one per VMO, see core/pager-proxy.h). Each proxy owns a single reusable
 * packet, so at most one packet per VMO is ever in the port. Dequeueing a
 * packet copies it out and then hands the packet back to its owner (Zircon's
 * PortAllocator::Free), which immediately queues that owner's next pending
 * request at the tail. A userspace pager that reads the port is the
 * environment's (sim/model/); it learns about new packets through the
 * packet_available hook.
 *
 * SPEC: core/README.md §4 ("Port dequeue", "Port handle closed"), port_dispatcher.cc.
 */
#pragma once

#include <glib.h>

#include "core/status.h"

G_BEGIN_DECLS

typedef struct _CorePort CorePort;

#define CORE_PKT_TYPE_PAGE_REQUEST 0x09u /* ZX_PKT_TYPE_PAGE_REQUEST */

/* The command of a page-request packet (ZX_PAGER_VMO_READ / _COMPLETE). */
typedef enum {
    CORE_PAGER_VMO_READ = 0,
    CORE_PAGER_VMO_COMPLETE = 1,
    CORE_PAGER_VMO_COMMAND_COUNT
} CorePagerCommand;

/* What userspace reads: zx_port_packet_t with a page_request body. */
typedef struct {
    guint64 key;              /* The VMO's key, given to core_pager_proxy_new. */
    guint32 type;             /* CORE_PKT_TYPE_PAGE_REQUEST. */
    CoreStatus status;        /* Always CORE_OK. */
    CorePagerCommand command; /* READ or COMPLETE. */
    guint64 offset;           /* Bytes; 0 for COMPLETE. */
    guint64 length;           /* Bytes; 0 for COMPLETE. */
} CorePortPacketInfo;

/* The environment's hook. Called inside core operations; it must not call
 * back into core/ (schedule a worker wake-up instead). */
typedef struct {
    /* A packet was queued on @port and can be dequeued. Nullable member. */
    void (*packet_available)(gpointer ctx, CorePort *port);
} CorePortOps;

/* core_port_new:
 * Creates an empty port. @ops (nullable, transfer none) and @ctx must outlive
 * it. Returns a port with one reference (transfer full). */
CorePort *core_port_new(const CorePortOps *ops, gpointer ctx);

/* core_port_ref / core_port_unref:
 * Reference counting; each proxy holds a reference. _unref accepts NULL.
 * Returns @port (ref). */
CorePort *core_port_ref(CorePort *port);
void core_port_unref(CorePort *port);

/* core_port_dequeue:
 * Removes the oldest packet, copies it to @out (out, nullable) and returns the
 * packet to its owner, which may queue its next request at once. Atomic.
 * Returns TRUE if a packet was dequeued.
 * Returns FALSE if the port is empty. */
gboolean core_port_dequeue(CorePort *port, CorePortPacketInfo *out);

/* core_port_peek:
 * Copies the oldest packet to @out without removing it.
 * Returns TRUE if there is one, FALSE if the port is empty. */
gboolean core_port_peek(const CorePort *port, CorePortPacketInfo *out);

/* core_port_get_count:
 * Returns the number of queued packets. O(1). */
guint core_port_get_count(const CorePort *port);

/* core_port_on_zero_handles:
 * The last handle to the port was closed: queued packets are dropped without
 * being returned to their owners (so those proxies stay busy forever) and
 * every later queue fails with ZX_ERR_BAD_HANDLE. Idempotent. Atomic. */
void core_port_on_zero_handles(CorePort *port);

/* core_port_has_handles:
 * Returns FALSE once core_port_on_zero_handles was called. */
gboolean core_port_has_handles(const CorePort *port);

/* core_port_check_invariants:
 * Checks that the queue is a well-formed FIFO (links both ways) whose count is
 * right, and that every queued packet is a page request; no packet can be
 * queued twice, as its one link is its place (hence at most one per proxy). O(packets), no
 * allocation unless a violation is found. Returns TRUE if all hold. Returns FALSE and appends the
 * first violation to @why (nullable). */
gboolean core_port_check_invariants(const CorePort *port, GString *why);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(CorePort, core_port_unref)

G_END_DECLS
