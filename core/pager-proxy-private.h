/* core/pager-proxy-private.h: the PagerProxy structure, private to
 * core/pager-proxy.c. Nothing outside core/ includes it but the tests, which
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
    guint complete_queue_count;       /* Times COMPLETE was handed to queue_packet. */
    CoreReadRequest complete_request; /* The static COMPLETE record. */
    CorePortPacket packet;            /* The single reusable packet. */
    CorePagerProxyStats stats;        /* Counters for reports. */
};

G_END_DECLS
