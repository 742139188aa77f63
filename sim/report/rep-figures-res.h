/* The figures of a run's resources (part of RepFigures, rep-figures.h): its
 * storage devices, its memory pressure and its VMO locks, filled by the model
 * and written into summary.json by rep-summary.c. */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "sim/report/rep-histogram.h"

/* One storage device's figures (model: mdl-device.c); only scenarios with
 * devices have them. */
typedef struct {
    char *name;          /* device name (owned) */
    const char *kind;    /* "nvme", "sata-ssd", "hdd", "none" (static) */
    guint queue_depth;   /* requests in service at once */
    uint64_t requests;   /* reads served (submitted) */
    uint64_t bytes;      /* bytes read */
    uint64_t sequential; /* reads that paid no positioning */
    double utilization;  /* fraction of the run with a read in service */
    double queue;        /* mean reads waiting for a slot */
    double in_service;   /* mean reads in service */
    double iops;         /* reads per second of simulated time */
    double mbps;         /* 10^6 bytes per second */
} RepDeviceFigures;

/* Memory pressure figures (a scenario with a "memory" section), in pages; the
 * model's reclaimer owns them (mdl-reclaim.c). */
typedef struct {
    const char *reclaim; /* the policy's name */
    uint64_t capacity_pages, high_pages, low_pages;
    uint64_t evictions;                  /* pages evicted by reclaim */
    uint64_t evicted_by[3];              /* of those: by the reclaimer, by direct
                                            reclaim, at an insert into full memory */
    uint64_t evicted_unused;             /* of those, never used by an access */
    uint64_t refaults;                   /* faults on pages reclaim had evicted */
    RepHistogram *refault_distance;      /* evictions between eviction and refault */
    uint64_t readahead_refaults;         /* evicted pages read back with no fault on
                                            them (read-ahead, cluster, unasked supply) */
    uint64_t shadow_limit;               /* shadows kept at most (pages) */
    uint64_t shadows_max;                /* shadows kept: peak */
    uint64_t shadows_dropped;            /* shadows the limit forgot */
    uint64_t resident_max, resident_end; /* pages tracked: peak, at the end */
    double resident_mean;                /* pages tracked, mean over simulated time */
    uint64_t reclaimer_wakeups;          /* times the reclaimer woke */
    uint64_t reclaimer_busy_ns;          /* time it spent evicting */
    uint64_t direct_stalls;              /* direct reclaims by faulting threads */
    uint64_t direct_ns;                  /* time they spent in them */
    RepHistogram *direct_latency;        /* ns per direct reclaim */
    uint64_t agings;                     /* page-queues rotations */
} RepMemoryFigures;

/* One VMO lock's figures (a run whose scenario gives a VMO lock cost;
 * scenarios/README.md lists the fields). Holds count when released. */
typedef struct {
    const char *vmo;       /* the VMO whose hierarchy the lock guards (borrowed) */
    uint64_t acquisitions; /* times it was granted */
    uint64_t contended;    /* of those, after waiting behind another holder */
    uint64_t wait_ns;      /* time spent waiting for it, in all */
    uint64_t hold_ns;      /* time it was held, in all */
    RepHistogram *wait;    /* ns waited per acquisition (0 when uncontended) */
} RepLockFigures;
