/* sim-batch.h: a stream's next uniforms, transformed ahead of use, a batch at a time.
 *
 * A SimBatch holds the transforms of the next SIM_BATCH_SIZE uniforms of one
 * SimRng, computed together by one out-of-line refill and handed out one at a
 * time, in the stream's order. Why: log and log1p are long dependent chains
 * (about 60 cycles each) whose result a sample needs at once; computed a batch
 * at a time, the independent chains of one refill overlap in the CPU. Each
 * value is the same function of the same uniform as without the batch, so a
 * batched sample is bit for bit the unbatched one: only the moment of
 * computation moves.
 *
 * The rule: a stream given to a batch has no other consumer. Every draw from
 * it must go through the batch (the batch has already taken the uniforms it
 * holds from the stream); the caller decides this once, at set-up. Values left
 * in the batch when the caller is done are dropped: the stream is not read
 * again. Transforms:
 * - SIM_BATCH_LOG1P_NEG: log1p(-u) with -u from sim__rng_uniform_open_neg, the
 *   value sim_dist_sample's exponential computes (sim_batch_sample_exponential);
 * - SIM_BATCH_LOG: log(u) with u from sim_rng_uniform_open (Poisson gaps). */
#pragma once

#include <glib.h>

#include "sim/engine/sim-dist.h"
#include "sim/engine/sim-rng.h"
#include "sim/engine/sim-time.h"

G_BEGIN_DECLS

/* Values computed per refill (measured best of 8, 16 and 32 on the SimPy
 * comparison's workloads). A plain define: every file must see one layout. */
#define SIM_BATCH_SIZE 16

typedef enum {
    SIM_BATCH_LOG1P_NEG, /* log1p(-u), u = sim_rng_uniform_open */
    SIM_BATCH_LOG,       /* log(u), u = sim_rng_uniform_open */
} SimBatchKind;

typedef struct {
    /*< private >*/
    guint pos;                /* next value in v; SIM_BATCH_SIZE when used up */
    SimBatchKind kind;        /* the transform */
    SimRng *rng;              /* the stream (borrowed; no other consumer) */
    double v[SIM_BATCH_SIZE]; /* the transforms of the stream's next uniforms */
} SimBatch;

/* sim_batch_init:
 * Sets up @batch (out, caller-allocated) empty, drawing from @rng (borrowed,
 * must outlive @batch) with transform @kind. Draws nothing yet. */
void sim_batch_init(SimBatch *batch, SimRng *rng, SimBatchKind kind);

/* sim__batch_refill: draws the next SIM_BATCH_SIZE uniforms and stores their
 * transforms, pos 0. For sim_batch_next only. */
void sim__batch_refill(SimBatch *batch);

/* sim_batch_next:
 * Returns the transform of the stream's next uniform: the value the
 * unbatched expression would compute on this draw. O(1) amortized. */
static inline double sim_batch_next(SimBatch *batch) {
    if (G_UNLIKELY(batch->pos == SIM_BATCH_SIZE))
        sim__batch_refill(batch);
    return batch->v[batch->pos++];
}

/* sim_batch_sample_exponential:
 * Returns sim_dist_sample(@dist, rng) bit for bit for an exponential @dist,
 * from a SIM_BATCH_LOG1P_NEG batch of rng: the rounding of -(a * log1p(-u)). */
static inline SimTime sim_batch_sample_exponential(SimBatch *batch, const SimDist *dist) {
    g_assert(batch->kind == SIM_BATCH_LOG1P_NEG);
    double l = sim_batch_next(batch);
    return sim__dist_round_negated(dist->a * l);
}

G_END_DECLS
