/* core/port.c: a port as far as pager packets see it (core/README.md §4).
 *
 * Packets are owned by their senders (each PagerProxy embeds one); the port
 * only links them into its FIFO. Dequeue copies the packet out and then calls
 * the owner's Free, exactly once per delivery. A withdrawn packet
 * (CancelQueued) and a packet dropped because the last handle went away are
 * never returned to the owner, as in port_dispatcher.cc.
 *
 * Invariants (checked by core_port_check_invariants):
 * 1. The FIFO is a well-formed circular list of exactly count packets.
 * 2. A packet is in the FIFO iff its link is set (core__port_packet_is_queued:
 *    every removal clears it, so this holds by construction); hence no packet
 *    is queued twice, and a proxy (one packet) has at most one packet queued.
 * 3. Every queued packet is a page request with status ZX_OK; a COMPLETE
 *    packet has offset and length 0.
 * 4. Once the port has no handles the FIFO stays empty.
 */
#include "core/port-private.h"

CorePort *core_port_new(const CorePortOps *ops, gpointer ctx) {
    CorePort *port = g_new0(CorePort, 1);
    port->ref_count = 1;
    core__list_init(&port->fifo);
    port->packet_available = ops != NULL ? ops->packet_available : NULL;
    port->ctx = ctx;
    return port;
}

CorePort *core_port_ref(CorePort *port) {
    g_return_val_if_fail(port != NULL, NULL);
    port->ref_count++;
    return port;
}

/* Packets still queued when the port goes away belong to their owners, which
 * are gone too (each holds a reference); unlinking them (which clears their
 * links) keeps the owners' view truthful if that order is ever violated. */
void core_port_unref(CorePort *port) {
    if (port == NULL)
        return;
    g_return_if_fail(port->ref_count > 0);
    if (--port->ref_count > 0)
        return;
    while (core__list_pop_front(&port->fifo) != NULL) {
        /* (each pop clears the packet's link: it is no longer queued) */
    }
    g_free(port);
}

CoreStatus core__port_queue(CorePort *port, CorePortPacket *packet) {
    CoreStatus status = core__port_push(port, packet);
    if (status == CORE_OK)
        core__port_notify(port);
    return status;
}

gboolean core__port_cancel_queued(CorePort *port, CorePortPacket *packet) {
    if (!core__port_packet_is_queued(packet))
        return FALSE;
    core__list_unlink(&packet->link);
    port->count--;
    return TRUE;
}

gboolean core_port_dequeue(CorePort *port, CorePortPacketInfo *out) {
    g_return_val_if_fail(port != NULL, FALSE);
    CoreListLink *link = port->fifo.next;
    if (link == &port->fifo)
        return FALSE;
    CorePortPacket *packet = CORE_CONTAINER_OF(link, CorePortPacket, link);
    if (out != NULL)
        *out = packet->info;
    /* SPEC(core/README.md §4.3): the packet has a custom allocator, so the port
     * calls its owner's Free once userspace has the contents; the Free takes
     * it out of the FIFO (CorePortPacketFreeFunc). The proxy's Free is
     * called directly when it is the packet's free_fn, any other through
     * the pointer. */
    if (G_LIKELY(packet->free_fn == core__proxy_packet_free))
        core__proxy_packet_free(packet, packet->owner);
    else
        packet->free_fn(packet, packet->owner);
    return TRUE;
}

gboolean core_port_peek(const CorePort *port, CorePortPacketInfo *out) {
    g_return_val_if_fail(port != NULL, FALSE);
    if (core__list_is_empty(&port->fifo))
        return FALSE;
    if (out != NULL)
        *out = CORE_CONTAINER_OF(port->fifo.next, CorePortPacket, link)->info;
    return TRUE;
}

guint core_port_get_count(const CorePort *port) {
    g_return_val_if_fail(port != NULL, 0);
    return port->count;
}

void core_port_on_zero_handles(CorePort *port) {
    g_return_if_fail(port != NULL);
    /* SPEC(core/README.md §4.6 "Port handle closed"): queued packets are dropped
     * WITHOUT Free, so their owners believe them delivered and stay busy. */
    port->zero_handles = TRUE;
    CoreListLink *link;
    while ((link = core__list_pop_front(&port->fifo)) != NULL) {
        CorePortPacket *packet = CORE_CONTAINER_OF(link, CorePortPacket, link);
        port->count--;
        if (packet->lost_fn != NULL)
            packet->lost_fn(packet, packet->owner);
    }
}

gboolean core_port_has_handles(const CorePort *port) {
    g_return_val_if_fail(port != NULL, FALSE);
    return !port->zero_handles;
}

/* The walk is bounded by count, so a corrupted (cyclic) FIFO is reported
 * instead of looping forever. */
gboolean core_port_check_invariants(const CorePort *port, GString *why) {
    g_return_val_if_fail(port != NULL, FALSE);
    guint n = 0;
    const char *what = NULL;

    for (const CoreListLink *l = port->fifo.next; l != &port->fifo && what == NULL; l = l->next) {
        const CorePortPacket *p = CORE_CONTAINER_OF(l, CorePortPacket, link);
        n++;
        if (l->next == NULL || l->next->prev != l || l->prev == NULL || l->prev->next != l ||
            n > port->count)
            what = "broken FIFO";
        else if (p->info.type != CORE_PKT_TYPE_PAGE_REQUEST || p->info.status != CORE_OK)
            what = "packet is not a page request";
        else if (p->info.command == CORE_PAGER_VMO_COMPLETE &&
                 (p->info.offset != 0 || p->info.length != 0))
            what = "COMPLETE packet with a range";
    }
    if (what == NULL && n != port->count)
        what = "count differs from the FIFO";
    if (what == NULL && port->zero_handles && n != 0)
        what = "packets queued on a port without handles";
    if (what != NULL) {
        if (why != NULL)
            g_string_append_printf(why, "port: %s (%u queued)", what, port->count);
        return FALSE;
    }
    return TRUE;
}
