/* Batching policies: how one access turns into page requests.
 *
 * The page source itself is never changed; a policy only decides how the
 * kernel path drives it (which requests are batching, and how many pages a
 * batch may cover):
 * - none: every missing page is its own non-batching request, even in a commit;
 * - fuchsia: the kernel's own behaviour (core/README.md §5): faults and reads ask
 *   for one page at a time, a commit walks its range with one batching request;
 * - readahead:N: each request is extended by up to N pages past what the access
 *   itself needs (one page for a fault or read, the rest of the range for a
 *   commit), stopping at a resident page, an in-flight request (the page source's
 *   end-of-batch rule) or the end of the VMO;
 * - adaptive: Linux's readahead, following Linux 6.1 (mm/readahead.c and
 *   mm/filemap.c; see mdl-readahead.c for each rule): one file_ra_state per VMO
 *   shared by every thread on it; a read passes the pages left in it
 *   (page_cache_sync_ra), a fault does mmap read-around (do_sync_mmap_readahead)
 *   steered by the workload's madvise hint, and touching a window's
 *   PG_readahead marker page sends the next window in the background
 *   (page_cache_async_ra) without the thread waiting for it. The maximum
 *   (ra_pages) is readahead:N when combined, else 32 pages (Linux's 128 KiB
 *   default). A commit reads its range as is and leaves the state alone;
 * - cluster:BYTES: the provider over-supplies to aligned clusters of BYTES
 *   (blobfs reads ahead 32 KiB); combines with any of the above and overrides the
 *   providers' own "cluster".
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "sim/scenario/scn-scenario.h"

typedef enum {
    MDL_POLICY_NONE,      /* one non-batching request per missing page */
    MDL_POLICY_FUCHSIA,   /* the spec's batching */
    MDL_POLICY_READAHEAD, /* fixed extension by readahead pages */
    MDL_POLICY_ADAPTIVE,  /* Linux on-demand readahead */
    MDL_POLICY_KIND_COUNT
} MdlPolicyKind;

typedef struct {
    MdlPolicyKind kind; /* how requests are shaped */
    uint64_t readahead; /* readahead: pages added; adaptive: the maximum window */
    uint64_t cluster;   /* bytes of provider-side clusters; 0 = the providers' own */
} MdlPolicy;

/* Per-file state of the adaptive policy: Linux's struct file_ra_state (a VMO
 * is the file; every thread on it shares it). */
typedef struct {
    uint64_t start;      /* first page of the current window */
    uint64_t size;       /* pages in it; 0 = no window yet */
    uint64_t async_size; /* of those, the last ones read ahead asynchronously */
    uint64_t prev_pos;   /* byte just past the previous read; UINT64_MAX = none
                            (Linux's -1) */
    uint64_t mmap_miss;  /* faults that missed, less those that hit (<= 1000) */
    uint64_t marker;     /* the page carrying PG_readahead; UINT64_MAX = none */
    GPtrArray *bg;       /* background requests (MdlRaRequest), reused once
                            inactive */
} MdlReadahead;

#define MDL_ADAPTIVE_DEFAULT_MAX 32 /* pages: Linux's 128 KiB default */

/* mdl_policy_from_scn: the policy a scenario asks for. */
void mdl_policy_from_scn(MdlPolicy *p, const ScnPolicy *scn);

/* mdl_policy_batches: whether the requests of an access of @kind are batching
 * (a commit under fuchsia; every access under readahead and adaptive). */
gboolean mdl_policy_batches(const MdlPolicy *p, ScnAccessKind kind);

/* mdl_policy_extent: how many pages (>= 1) the request that starts at the missing
 * page @page may cover, for an access of @kind whose range ends at @end (one past
 * its last page), under none, fuchsia and readahead (adaptive: mdl-readahead.c).
 * The caller still stops the batch at a resident page, an in-flight request or
 * the end of the VMO. */
uint64_t mdl_policy_extent(const MdlPolicy *p, ScnAccessKind kind, uint64_t page, uint64_t end);

/* The window sizes of mm/readahead.c (get_init_ra_size, get_next_ra_size), in
 * pages, for a maximum of @max pages. */
uint64_t mdl_readahead_init_size(uint64_t req, uint64_t max);
uint64_t mdl_readahead_next_size(uint64_t cur, uint64_t max);
