/* Batching policies: how one access turns into page requests.
 *
 * The page source itself is never changed; a policy only decides how the
 * kernel path drives it (which requests are batching, and how many pages a
 * batch may cover):
 * - none: every missing page is its own non-batching request, even in a commit;
 * - fuchsia: the kernel's own behaviour (SEMANTICS.md §5): faults and reads ask
 *   for one page at a time, a commit walks its range with one batching request;
 * - readahead:N: each request is extended by up to N pages past what the access
 *   itself needs (one page for a fault or read, the rest of the range for a
 *   commit), stopping at a resident page, an in-flight request (the page source's
 *   end-of-batch rule) or the end of the VMO;
 * - adaptive: Linux's on-demand readahead (mm/readahead.c), per thread: the first
 *   window comes from the request size (get_init_ra_size: rounded up to a power of
 *   two, then x4 when at most max/32, x2 when at most max/4, else max); a miss at
 *   the end of the previous window or right after the previous miss is sequential
 *   and grows the window (get_next_ra_size: x4 below max/16, x2 up to max/2, else
 *   max); any other miss resets it. The maximum is readahead:N when combined, else
 *   32 pages (Linux's 128 KiB default). Asynchronous readahead (the PG_readahead
 *   marker) is not modelled: every window is fetched on a miss;
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

/* Per-thread state of the adaptive policy (Linux's file_ra_state, reduced). */
typedef struct {
    uint64_t start; /* first page of the current window */
    uint64_t size;  /* pages in it; 0 = no window yet */
    uint64_t prev;  /* the page of the previous miss, + 1; 0 = none */
} MdlReadahead;

#define MDL_ADAPTIVE_DEFAULT_MAX 32 /* pages: Linux's 128 KiB default */

/* mdl_policy_from_scn: the policy a scenario asks for. */
void mdl_policy_from_scn(MdlPolicy *p, const ScnPolicy *scn);

/* mdl_policy_batches: whether the requests of an access of @kind are batching
 * (a commit under fuchsia; every access under readahead and adaptive). */
gboolean mdl_policy_batches(const MdlPolicy *p, ScnAccessKind kind);

/* mdl_policy_extent: how many pages (>= 1) the request that starts at the missing
 * page @page may cover, for an access of @kind whose range ends at @end (one past
 * its last page). Updates @ra for the adaptive policy. The caller still stops the
 * batch at a resident page, an in-flight request or the end of the VMO. */
uint64_t mdl_policy_extent(const MdlPolicy *p, MdlReadahead *ra, ScnAccessKind kind, uint64_t page,
                           uint64_t end);

/* The window sizes of mm/readahead.c, in pages, for a maximum of @max pages. */
uint64_t mdl_readahead_init_size(uint64_t req, uint64_t max);
uint64_t mdl_readahead_next_size(uint64_t cur, uint64_t max);
