/* sim-batch.c: the out-of-line refill of a SimBatch.
 *
 * Invariants:
 * 1. v[pos..SIM_BATCH_SIZE) are the transforms of the next uniforms the stream
 *    would have given, in order; nothing else has drawn from the stream.
 * 2. Each value is computed by the very expression an unbatched caller uses
 *    (same uniform function, same libm function), so it is bit for bit the same. */
#include "sim/engine/sim-batch.h"

#include <math.h>

void sim_batch_init(SimBatch *batch, SimRng *rng, SimBatchKind kind) {
    g_return_if_fail(batch != NULL);
    batch->pos = SIM_BATCH_SIZE; /* set first: a refused @rng leaves it defined */
    batch->kind = kind;
    batch->rng = rng;
    g_return_if_fail(rng != NULL);
}

/* Why two passes: the uniforms are one dependent chain (the generator's state)
 * but cheap; the transforms are independent of each other, so with the
 * uniforms stored first, the CPU overlaps the libm calls. */
void sim__batch_refill(SimBatch *batch) {
    double u[SIM_BATCH_SIZE];
    if (batch->kind == SIM_BATCH_LOG1P_NEG) {
        for (guint i = 0; i < SIM_BATCH_SIZE; i++)
            u[i] = sim__rng_uniform_open_neg(batch->rng);
        for (guint i = 0; i < SIM_BATCH_SIZE; i++)
            batch->v[i] = log1p(u[i]);
    } else {
        for (guint i = 0; i < SIM_BATCH_SIZE; i++)
            u[i] = sim_rng_uniform_open(batch->rng);
        for (guint i = 0; i < SIM_BATCH_SIZE; i++)
            batch->v[i] = log(u[i]);
    }
    batch->pos = 0;
}
