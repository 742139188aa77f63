/* Kernel costs drawn from distributions: kernel.fault_entry and
 * kernel.wake_latency when the scenario gives them as distributions (for
 * instance as measured by realpager --calibrate). Constants cost no draw, so
 * a scenario with plain durations runs exactly as before. Draws come from the
 * stream "kernel", in the order the model pays the costs.
 */
#include "sim/model/mdl-kernel.h"

struct _MdlKernelCosts {
    SimDist fault_entry, wake_latency;
    SimRng rng;
};

static MdlKernelCosts *costs(MdlWorld *w) {
    if (w->kcosts != NULL)
        return w->kcosts;
    w->kcosts = g_new0(MdlKernelCosts, 1);
    sim_rng_init(&w->kcosts->rng, w->sc->seed, "kernel");
    /* The loader checked both distributions; a constant stands in for a
     * kind the engine refuses, which cannot happen for a checked one. */
    if (!mdl__dist_from_scn(&w->kcosts->fault_entry, &w->sc->kernel.fault_entry, NULL))
        sim_dist_init_constant(&w->kcosts->fault_entry, w->sc->kernel.fault_entry_ns, NULL);
    if (!mdl__dist_from_scn(&w->kcosts->wake_latency, &w->sc->kernel.wake_latency, NULL))
        sim_dist_init_constant(&w->kcosts->wake_latency, w->sc->kernel.wake_latency_ns, NULL);
    return w->kcosts;
}

SimTime mdl__kernel_fault_entry(MdlWorld *w) {
    if (w->sc->kernel.fault_entry.kind == SCN_DIST_CONSTANT)
        return w->sc->kernel.fault_entry_ns;
    MdlKernelCosts *k = costs(w);
    return sim_dist_sample(&k->fault_entry, &k->rng);
}

SimTime mdl__kernel_wake_latency(MdlWorld *w) {
    if (w->sc->kernel.wake_latency.kind == SCN_DIST_CONSTANT)
        return w->sc->kernel.wake_latency_ns;
    MdlKernelCosts *k = costs(w);
    return sim_dist_sample(&k->wake_latency, &k->rng);
}
