/* kernel.fault_entry, wake_latency and the VMO lock's costs (walk_page,
 * unlock_to_wait, supply_page): a duration, as before, or any
 * distribution (such as the empirical one realpager --calibrate measures).
 * The distribution is kept beside the plain value, which becomes its mean
 * (at least 1 ns, so that "is there a cost" stays a test of the value). */
#include "sim/scenario/scn-raw.h"

#include <math.h>

const ScnKernelCost scn__fault_entry_cost = {offsetof(ScnKernel, fault_entry),
                                             offsetof(ScnKernel, fault_entry_ns)};
const ScnKernelCost scn__wake_latency_cost = {offsetof(ScnKernel, wake_latency),
                                              offsetof(ScnKernel, wake_latency_ns)};
const ScnKernelCost scn__walk_page_cost = {offsetof(ScnKernel, walk_page),
                                           offsetof(ScnKernel, walk_page_ns)};
const ScnKernelCost scn__unlock_to_wait_cost = {offsetof(ScnKernel, unlock_to_wait),
                                                offsetof(ScnKernel, unlock_to_wait_ns)};
const ScnKernelCost scn__supply_page_cost = {offsetof(ScnKernel, supply_page),
                                             offsetof(ScnKernel, supply_page_ns)};

gboolean scn__parse_kernel_cost(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                                GError **error) {
    const ScnKernelCost *c = arg;
    ScnDist *dist = (ScnDist *)((char *)field + c->dist_offset);
    uint64_t *ns = (uint64_t *)((char *)field + c->ns_offset);
    ScnDist parsed = scn_dist_constant(0);
    if (!scn__parse_dist(ctx, value, &parsed, NULL, error))
        return FALSE;
    scn_dist_clear(dist);
    *dist = parsed;
    if (parsed.kind == SCN_DIST_CONSTANT) {
        *ns = parsed.value_ns;
        return TRUE;
    }
    double mean = scn_dist_mean_ns(&parsed);
    *ns = isfinite(mean) && mean >= 1.0 ? (uint64_t)llround(mean) : 1;
    return TRUE;
}
