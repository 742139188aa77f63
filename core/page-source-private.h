/* core/page-source-private.h: the PageSource structure, shared by the files
 * that implement it (page-source.c, page-request.c, page-source-check.c).
 * Nothing outside core/ includes this header.
 */
#pragma once

#include "core/page-source.h"
#include "core/request-tree.h"

G_BEGIN_DECLS

/* Canaries, in the spirit of Zircon's fbl::Canary ("VMPS"). */
#define CORE_PAGE_SOURCE_MAGIC  0x564d5053u /* "VMPS" */
#define CORE_PAGE_REQUEST_MAGIC 0x56505251u /* "VPRQ" */

/* The "inactive" offset of SEMANTICS.md §1. */
#define CORE_OFFSET_NONE G_MAXUINT64

struct _CorePageSource {
    guint32 magic;                       /* CORE_PAGE_SOURCE_MAGIC while alive. */
    gboolean detached;                   /* Set once by Detach. */
    gboolean closed;                     /* Set once by Close. */
    CoreTree outstanding;                /* Heads, keyed by end offset. */
    CorePageRequest *current_request;    /* The batch being accumulated, or NULL. */
    const CorePageProviderOps *provider; /* The PageProvider. */
    gpointer provider_ctx;               /* Its context. */
    const CoreEventOps *events;          /* The event hook. */
    gpointer events_ctx;                 /* Its context. */
    CorePageSourceStats stats;           /* Counters for reports. */
};

/* Gets the request that embeds tree node @node. */
static inline CorePageRequest *core__request_of_node(const CoreTreeNode *node) {
    return node != NULL ? CORE_CONTAINER_OF(node, CorePageRequest, tree_node) : NULL;
}

/* Gets the request that embeds overlap link @link. */
static inline CorePageRequest *core__request_of_overlap_link(const CoreListLink *link) {
    return CORE_CONTAINER_OF(link, CorePageRequest, overlap_link);
}

/* End offset of an active request; the tree key of a head. */
static inline guint64 core__request_end(const CorePageRequest *req) {
    return req->offset + req->len;
}

/* PageRequest::Init: binds @req to @src at @offset with length 0 and
 * unsignals its event (SEMANTICS.md §2.1 step 4). */
void core__page_request_init(CorePageRequest *req, CorePageSource *src, guint64 offset);

G_END_DECLS
