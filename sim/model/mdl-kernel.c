/* Kernel costs drawn from distributions: kernel.fault_entry, wake_latency and
 * the VMO lock's walk_page, unlock_to_wait and supply_page when the scenario
 * gives them as distributions (for instance as measured by realpager
 * --calibrate). Constants cost no draw, so a scenario with plain durations
 * runs exactly as before. Draws come from the stream "kernel", in the order
 * the model pays the costs.
 */
#include "sim/model/mdl-kernel.h"

#include "sim/engine/sim-batch.h"

typedef enum { FAULT_ENTRY, WAKE_LATENCY, WALK_PAGE, UNLOCK_TO_WAIT, SUPPLY_PAGE, N_COSTS } Cost;

struct _MdlKernelCosts {
    SimDist dist[N_COSTS];
    SimRng rng;
    gboolean batched; /* every draw is exponential: they go through batch */
    SimBatch batch;   /* rng's log1p(-u) values when batched */
};

static const ScnDist *scn_cost(const ScnKernel *k, Cost c, uint64_t *ns) {
    switch (c) {
        case FAULT_ENTRY:
            *ns = k->fault_entry_ns;
            return &k->fault_entry;
        case WAKE_LATENCY:
            *ns = k->wake_latency_ns;
            return &k->wake_latency;
        case WALK_PAGE:
            *ns = k->walk_page_ns;
            return &k->walk_page;
        case UNLOCK_TO_WAIT:
            *ns = k->unlock_to_wait_ns;
            return &k->unlock_to_wait;
        default:
            *ns = k->supply_page_ns;
            return &k->supply_page;
    }
}

static MdlKernelCosts *costs(MdlWorld *w) {
    if (w->kcosts != NULL)
        return w->kcosts;
    w->kcosts = g_new0(MdlKernelCosts, 1);
    sim_rng_init(&w->kcosts->rng, w->sc->seed, "kernel");
    /* The loader checked every distribution; a constant stands in for a
     * kind the engine refuses, which cannot happen for a checked one. */
    for (Cost c = 0; c < N_COSTS; c++) {
        uint64_t ns;
        const ScnDist *d = scn_cost(&w->sc->kernel, c, &ns);
        if (!mdl__dist_from_scn(&w->kcosts->dist[c], d, NULL))
            sim_dist_init_constant(&w->kcosts->dist[c], ns, NULL);
    }
    /* When every cost is exponential or constant (no draw), the exponentials
     * are the stream's only use: a batch (sim-batch.h) computes their logs
     * ahead; what is left in it at the end is dropped unread. */
    gboolean batched = TRUE;
    for (Cost c = 0; c < N_COSTS; c++) {
        SimDistKind kind = sim_dist_get_kind(&w->kcosts->dist[c]);
        batched = batched && (kind == SIM_DIST_EXPONENTIAL || kind == SIM_DIST_CONSTANT);
    }
    w->kcosts->batched = batched;
    if (batched)
        sim_batch_init(&w->kcosts->batch, &w->kcosts->rng, SIM_BATCH_LOG1P_NEG);
    return w->kcosts;
}

/* One draw of cost @c (or its constant), times @n: n draws summed. */
static SimTime cost(MdlWorld *w, Cost c, uint64_t n) {
    uint64_t ns;
    const ScnDist *d = scn_cost(&w->sc->kernel, c, &ns);
    if (d->kind == SCN_DIST_CONSTANT)
        return ns * n;
    MdlKernelCosts *k = costs(w);
    SimTime sum = 0;
    for (uint64_t i = 0; i < n; i++)
        sum += k->batched && sim_dist_get_kind(&k->dist[c]) == SIM_DIST_EXPONENTIAL
                   ? sim_batch_sample_exponential(&k->batch, &k->dist[c])
                   : sim_dist_sample(&k->dist[c], &k->rng);
    return sum;
}

SimTime mdl__kernel_fault_entry(MdlWorld *w) { return cost(w, FAULT_ENTRY, 1); }

SimTime mdl__kernel_wake_latency(MdlWorld *w) { return cost(w, WAKE_LATENCY, 1); }

SimTime mdl__kernel_walk_page(MdlWorld *w) { return cost(w, WALK_PAGE, 1); }

SimTime mdl__kernel_unlock_to_wait(MdlWorld *w) { return cost(w, UNLOCK_TO_WAIT, 1); }

SimTime mdl__kernel_supply_pages(MdlWorld *w, uint64_t pages) {
    return cost(w, SUPPLY_PAGE, pages);
}

gboolean mdl__kernel_lock_on(const ScnKernel *k) {
    return k->walk_page_ns || k->unlock_to_wait_ns || k->supply_page_ns;
}
