/* A storage device behind one or more pagers.
 *
 * A device serves up to queue_depth requests at once; the rest wait in FIFO
 * order. A request's service is
 *     request + positioning + transfer [+ a draw from the latency distribution]
 * where positioning is 0 for a sequential request (it starts where the
 * previously started one ended), position for a random flash read, and for an
 * hdd settle + stroke * sqrt(distance / span) plus a rotational delay drawn
 * uniformly over one revolution (60 / rpm s) from the stream "device:NAME".
 * The transfer (bytes / bandwidth) goes over the device's one channel: it
 * starts when the positioning is over and the channel is free, so the device
 * never moves more than its bandwidth however many requests are in service.
 *
 * Requests arrive in time order, so the FIFO queue is computed at submission:
 * a request takes the slot that frees first, and its completion time is known
 * at once. No events of its own: the submitting worker sleeps until then.
 */
#pragma once

#include "sim/engine/sim-batch.h"
#include "sim/engine/sim-dist.h"
#include "sim/engine/sim-rng.h"
#include "sim/scenario/scn-scenario.h"

#include <glib.h>
#include <stdint.h>

typedef struct {
    const ScnDevice *scn; /* borrowed */
    SimRng rng;           /* "device:NAME": rotational delay and latency draws */
    SimDist latency;      /* valid iff scn->has_latency */
    SimBatch *lat_batch;  /* latency draws' batch when they are rng's only use, or NULL */
    uint64_t *slot_free;  /* per slot: when it is next free, ns */
    uint64_t channel_free;
    uint64_t head;       /* address where the previous request ended */
    gboolean started;    /* a request was served (head is meaningful) */
    uint64_t requests;   /* requests submitted */
    uint64_t bytes;      /* bytes of those */
    uint64_t sequential; /* of those, sequential */
    uint64_t busy_ns;    /* time with at least one request in service */
    uint64_t busy_until; /* end of the busy period seen so far */
    uint64_t queued_ns;  /* sum of the time requests waited for a slot */
    uint64_t service_ns; /* sum of the requests' service times */
} MdlDevice;

/* What one submission gave. */
typedef struct {
    uint64_t start;    /* service began (a slot was free), ns */
    uint64_t done;     /* service over, ns */
    uint64_t position; /* positioning time, ns (0: sequential) */
    uint64_t transfer; /* transfer time, ns */
} MdlDeviceIo;

/* mdl_device_init: @d for @scn with RNG seed @seed. FALSE with @error if the
 * latency distribution cannot be built. */
gboolean mdl_device_init(MdlDevice *d, const ScnDevice *scn, uint64_t seed, GError **error);
void mdl_device_clear(MdlDevice *d);

/* mdl_device_submit: a read of @bytes at device address @addr arriving at
 * @now (not before any earlier submission's @now). Fills @io. */
void mdl_device_submit(MdlDevice *d, uint64_t now, uint64_t addr, uint64_t bytes, MdlDeviceIo *io);

/* mdl_device_seek_ns: the hdd seek time over @distance bytes (0 for 0). */
uint64_t mdl_device_seek_ns(const ScnDevice *scn, uint64_t distance);

/* mdl_device_transfer_ns: @bytes at the device's bandwidth, rounded. */
uint64_t mdl_device_transfer_ns(const ScnDevice *scn, uint64_t bytes);

/* The figures of a run of @elapsed ns (sim/cli summary.json "devices"). */
typedef struct {
    double utilization; /* fraction of [0, elapsed] with a request in service */
    double queue;       /* total slot wait of the reads submitted / elapsed (a wait
                           running past the end counts whole) */
    double in_service;  /* mean requests in service over [0, elapsed] */
    double iops;        /* requests per second */
    double mbps;        /* 10^6 bytes per second */
} MdlDeviceFigures;

void mdl_device_figures(const MdlDevice *d, uint64_t elapsed, MdlDeviceFigures *out);
