/* The device model (see mdl-device.h).
 *
 * Invariants:
 *  1. submissions come in non-decreasing @now, so service starts are
 *     non-decreasing too and the busy time is a running union;
 *  2. slot_free has scn->queue_depth entries.
 */
#include "sim/model/mdl-device.h"

#include "sim/model/mdl-private.h"

#include <math.h>
#include <string.h>

gboolean mdl_device_init(MdlDevice *d, const ScnDevice *scn, uint64_t seed, GError **error) {
    memset(d, 0, sizeof *d);
    d->scn = scn;
    g_autofree char *stream = g_strdup_printf("device:%s", scn->name);
    sim_rng_init(&d->rng, seed, stream);
    d->slot_free = g_new0(uint64_t, scn->queue_depth);
    if (scn->has_latency && !mdl__dist_from_scn(&d->latency, &scn->latency, error))
        return FALSE;
    /* Without an HDD's rotational draws, an exponential latency is the
     * stream's only use: a batch (sim-batch.h) computes its logs ahead; what
     * is left in it at the end is dropped unread. */
    if (scn->kind != SCN_DEVICE_HDD && scn->has_latency &&
        d->latency.kind == SIM_DIST_EXPONENTIAL) {
        d->lat_batch = g_new(SimBatch, 1);
        sim_batch_init(d->lat_batch, &d->rng, SIM_BATCH_LOG1P_NEG);
    }
    return TRUE;
}

void mdl_device_clear(MdlDevice *d) {
    g_clear_pointer(&d->slot_free, g_free);
    g_clear_pointer(&d->lat_batch, g_free);
}

uint64_t mdl_device_seek_ns(const ScnDevice *scn, uint64_t distance) {
    if (distance == 0)
        return 0;
    double f = (double)MIN(distance, scn->span) / (double)scn->span;
    return scn->settle_ns + (uint64_t)llround((double)scn->stroke_ns * sqrt(f));
}

uint64_t mdl_device_transfer_ns(const ScnDevice *scn, uint64_t bytes) {
    return (uint64_t)llround((double)bytes * 1000.0 / scn->bandwidth_mbps);
}

/* The positioning of a request at @addr after the previous one. */
static uint64_t position_ns(MdlDevice *d, uint64_t addr) {
    const ScnDevice *scn = d->scn;
    if (d->started && addr == d->head)
        return 0;
    if (scn->kind != SCN_DEVICE_HDD)
        return scn->position_ns;
    uint64_t from = d->started ? d->head : 0;
    uint64_t turn = 60 * G_GUINT64_CONSTANT(1000000000) / scn->rpm;
    uint64_t rot = (uint64_t)(sim_rng_uniform01(&d->rng) * (double)turn);
    return mdl_device_seek_ns(scn, addr > from ? addr - from : from - addr) + rot;
}

void mdl_device_submit(MdlDevice *d, uint64_t now, uint64_t addr, uint64_t bytes, MdlDeviceIo *io) {
    const ScnDevice *scn = d->scn;
    guint slot = 0;
    for (guint i = 1; i < scn->queue_depth; i++)
        if (d->slot_free[i] < d->slot_free[slot])
            slot = i;
    uint64_t start = MAX(now, d->slot_free[slot]);
    io->start = start;
    io->position = position_ns(d, addr);
    if (io->position == 0)
        d->sequential++;
    io->transfer = mdl_device_transfer_ns(scn, bytes);
    uint64_t xfer_start = MAX(start + scn->request_ns + io->position, d->channel_free);
    d->channel_free = xfer_start + io->transfer;
    io->done = d->channel_free;
    if (scn->has_latency)
        io->done += d->lat_batch ? sim_batch_sample_exponential(d->lat_batch, &d->latency)
                                 : sim_dist_sample(&d->latency, &d->rng);
    d->slot_free[slot] = io->done;
    d->head = addr + bytes;
    d->started = TRUE;
    d->requests++;
    d->bytes += bytes;
    d->queued_ns += start - now;
    d->service_ns += io->done - start;
    if (io->done > d->busy_until) {
        d->busy_ns += io->done - MAX(start, d->busy_until);
        d->busy_until = io->done;
    }
}

void mdl_device_figures(const MdlDevice *d, uint64_t elapsed, MdlDeviceFigures *out) {
    memset(out, 0, sizeof *out);
    if (elapsed == 0)
        return;
    double t = (double)elapsed;
    /* Service past the end of the run is left out: reads arrive no later than
     * @elapsed, so after it each slot is busy without a gap until it frees. */
    uint64_t over = 0;
    for (guint i = 0; i < d->scn->queue_depth; i++)
        over += d->slot_free[i] > elapsed ? d->slot_free[i] - elapsed : 0;
    uint64_t busy = d->busy_ns - (d->busy_until > elapsed ? d->busy_until - elapsed : 0);
    out->utilization = (double)busy / t;
    out->queue = (double)d->queued_ns / t;
    out->in_service = (double)(d->service_ns - over) / t;
    out->iops = (double)d->requests * 1e9 / t;
    out->mbps = (double)d->bytes * 1e3 / t;
}
