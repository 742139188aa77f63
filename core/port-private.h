/* core/port-private.h: the port and its packet, shared between core/port.c and
 * its packet owners (core/pager-proxy.c). Nothing outside core/ includes it but
 * the tests, which corrupt these fields to prove that the checker fails.
 */
#pragma once

#include "core/list.h"
#include "core/port.h"

G_BEGIN_DECLS

typedef struct _CorePortPacket CorePortPacket;

/* Called when userspace has dequeued @packet (Zircon PortAllocator::Free),
 * with the packet still first in the FIFO: the Free takes it out first
 * (core__port_take), unless it queues it again at once while it is the
 * port's only packet, which would put it back where it is: then it may leave
 * it there, refilled, and only run core__port_notify (core__port_is_sole). */
typedef void (*CorePortPacketFreeFunc)(CorePortPacket *packet, gpointer owner);

struct _CorePort {
    gint ref_count;        /* References; each proxy holds one. */
    CoreListLink fifo;     /* Sentinel of the packet FIFO. */
    guint count;           /* Packets in the FIFO. */
    gboolean zero_handles; /* The last handle was closed. */
    /* The environment's hook, copied from its CorePortOps (nullable). */
    void (*packet_available)(gpointer ctx, CorePort *port);
    gpointer ctx; /* Its context. */
};

struct _CorePortPacket {
    CoreListLink link;              /* Link in the port's FIFO while queued; cleared
                                       (core__list_link_clear) while not. */
    CorePortPacketInfo info;        /* The contents userspace will read. */
    CorePortPacketFreeFunc free_fn; /* The owner's Free. */
    CorePortPacketFreeFunc lost_fn; /* Nullable: told that the port dropped the packet
                                       (no handles left; not a Free: the owner's
                                       bookkeeping only). */
    gpointer owner;                 /* Its argument. */
};

/* The PagerProxy's Free (pager-proxy.c), the free_fn of every packet but
 * the tests': core_port_dequeue calls it directly, not through the
 * pointer, when it is the packet's free_fn, and any other free_fn through
 * the pointer. */
void core__proxy_packet_free(CorePortPacket *packet, gpointer owner);

/* TRUE while @packet is in its port's FIFO: its link is what says so (every
 * removal from the FIFO clears it), so no flag repeats it. */
static inline gboolean core__port_packet_is_queued(const CorePortPacket *packet) {
    return core__list_link_is_linked(&packet->link);
}

/* Appends @packet (not queued) to @port (Zircon PortDispatcher::Queue)
 * without running the hook: the owner records the outcome, then calls
 * core__port_notify, so that the hook's call ends the owner's work (a tail
 * call). The hook may not call back into core/ (port.h), so the order of the
 * two is unobservable.
 * Returns CORE_OK if queued.
 * Returns CORE_ERR_BAD_HANDLE if the port has no handles; nothing is queued. */
static inline CoreStatus core__port_push(CorePort *port, CorePortPacket *packet) {
    g_assert(!core__port_packet_is_queued(packet));
    if (G_UNLIKELY(port->zero_handles)) {
        /* SPEC(core/README.md §4.1): no handles left: Queue fails with
         * ZX_ERR_BAD_HANDLE. */
        return CORE_ERR_BAD_HANDLE;
    }
    core__list_push_back(&port->fifo, &packet->link);
    port->count++;
    return CORE_OK;
}

/* Takes @packet, just dequeued (the FIFO's first), out of @port's FIFO: the
 * Free's first step (CorePortPacketFreeFunc). */
static inline void core__port_take(CorePort *port, CorePortPacket *packet) {
    core__list_unlink(&packet->link);
    port->count--;
}

/* TRUE if @packet, just dequeued (the FIFO's first), is @port's only packet. */
static inline gboolean core__port_is_sole(const CorePort *port, const CorePortPacket *packet) {
    return packet->link.next == &port->fifo;
}

/* Tells the environment that core__port_push has queued a packet. */
static inline void core__port_notify(CorePort *port) {
    if (port->packet_available != NULL)
        port->packet_available(port->ctx, port);
}

/* core__port_push, then core__port_notify if queued.
 * Returns CORE_OK if queued; the packet_available hook has run.
 * Returns CORE_ERR_BAD_HANDLE if the port has no handles; nothing is queued. */
CoreStatus core__port_queue(CorePort *port, CorePortPacket *packet);

/* Removes @packet if it is still queued (Zircon PortDispatcher::CancelQueued);
 * the owner's Free is not called.
 * Returns TRUE if it was queued and is now removed.
 * Returns FALSE if it was not in the port. */
gboolean core__port_cancel_queued(CorePort *port, CorePortPacket *packet);

G_END_DECLS
