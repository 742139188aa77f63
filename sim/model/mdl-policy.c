/* Batching policies (see mdl-policy.h).
 *
 * Invariants: mdl_policy_extent() returns at least 1; a window size from
 * mdl_readahead_init_size/next_size never exceeds the maximum.
 */
#include "sim/model/mdl-policy.h"

void mdl_policy_from_scn(MdlPolicy *p, const ScnPolicy *scn) {
    p->cluster = scn->cluster_bytes;
    p->readahead = scn->readahead_pages;
    if (scn->none)
        p->kind = MDL_POLICY_NONE;
    else if (scn->adaptive)
        p->kind = MDL_POLICY_ADAPTIVE;
    else if (scn->readahead_pages)
        p->kind = MDL_POLICY_READAHEAD;
    else
        p->kind = MDL_POLICY_FUCHSIA;
    if (p->kind == MDL_POLICY_ADAPTIVE && p->readahead == 0)
        p->readahead = MDL_ADAPTIVE_DEFAULT_MAX;
}

gboolean mdl_policy_batches(const MdlPolicy *p, ScnAccessKind kind) {
    if (p->kind == MDL_POLICY_FUCHSIA)
        return kind == SCN_ACCESS_COMMIT;
    return p->kind != MDL_POLICY_NONE;
}

/* get_init_ra_size: the request rounded up to a power of two, x4 when at most
 * max/32, x2 when at most max/4, else the maximum. */
uint64_t mdl_readahead_init_size(uint64_t req, uint64_t max) {
    uint64_t size = 1;
    while (size < req)
        size <<= 1;
    if (size <= max / 32)
        return size * 4;
    if (size <= max / 4)
        return size * 2;
    return max;
}

/* get_next_ra_size: x4 below max/16, x2 up to max/2, else the maximum. */
uint64_t mdl_readahead_next_size(uint64_t cur, uint64_t max) {
    if (cur < max / 16)
        return cur * 4;
    if (cur <= max / 2)
        return cur * 2;
    return max;
}

/* The pages the access itself needs from @page on: one for a fault or a read
 * (page by page), the rest of the range for a commit. */
static uint64_t base_extent(ScnAccessKind kind, uint64_t page, uint64_t end) {
    return kind == SCN_ACCESS_COMMIT ? MAX(end - page, 1) : 1;
}

uint64_t mdl_policy_extent(const MdlPolicy *p, ScnAccessKind kind, uint64_t page, uint64_t end) {
    uint64_t req = base_extent(kind, page, end);
    switch (p->kind) {
        case MDL_POLICY_NONE:
            return 1;
        case MDL_POLICY_READAHEAD:
            return req + p->readahead;
        default:
            return req;
    }
}
