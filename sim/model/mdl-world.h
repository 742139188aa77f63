/* The simulated world of one run: a scenario's VMOs, providers, workloads and
 * actions, built on an engine, with core/ doing the kernel's page-source work.
 *
 * mdl_world_new() turns a validated scenario into live objects; mdl_world_run()
 * runs the engine until the scenario's stop condition, streaming every event to
 * the native trace (when one is given) and folding outcomes into MdlStats.
 * Nothing here reads the wall clock or prints.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "sim/report/rep-histogram.h"
#include "sim/report/rep-trace.h"
#include "sim/scenario/scn-scenario.h"

typedef struct _MdlWorld MdlWorld;

typedef struct {
    char *name;         /* provider name */
    const char *kind;   /* "pager", "sync" or "scripted" */
    guint workers;      /* pager workers; 0 otherwise */
    uint64_t requests;  /* READ requests taken by the provider (dequeued or served) */
    uint64_t busy_ns;   /* summed worker time spent serving */
    double utilization; /* busy_ns / (workers * sim_time_ns); 0 without workers */
} MdlProviderStats;

/* Memory pressure figures (a scenario with a "memory" section). Pages. */
typedef struct {
    const char *reclaim; /* the policy's name */
    uint64_t capacity_pages, high_pages, low_pages;
    uint64_t evictions;                  /* pages evicted by reclaim */
    uint64_t evicted_by[3];              /* of those: by the reclaimer, by direct
                                            reclaim, at an insert into full memory */
    uint64_t evicted_unused;             /* of those, never used by an access */
    uint64_t refaults;                   /* faults on pages reclaim had evicted */
    RepHistogram *refault_distance;      /* evictions between eviction and refault */
    uint64_t resident_max, resident_end; /* pages tracked: peak, at the end */
    uint64_t reclaimer_wakeups;          /* times the reclaimer woke */
    uint64_t reclaimer_busy_ns;          /* time it spent evicting */
    uint64_t direct_stalls;              /* direct reclaims by faulting threads */
    uint64_t direct_ns;                  /* time they spent in them */
    RepHistogram *direct_latency;        /* ns per direct reclaim */
    uint64_t agings;                     /* page-queues rotations */
} MdlMemoryStats;

typedef struct {
    char *name;          /* owned */
    const char *kind;    /* "nvme", "sata-ssd", "hdd", "none" */
    guint queue_depth;   /* requests in service at once */
    uint64_t requests;   /* reads served (submitted) */
    uint64_t bytes;      /* bytes read */
    uint64_t sequential; /* reads that paid no positioning */
    double utilization;  /* fraction of the run with a read in service */
    double queue;        /* mean reads waiting for a slot */
    double in_service;   /* mean reads in service */
    double iops;         /* reads per second of simulated time */
    double mbps;         /* 10^6 bytes per second */
} MdlDeviceStats;

typedef struct {
    uint64_t sim_time_ns;        /* simulated time at the end */
    uint64_t events;             /* engine events executed */
    const char *stop_reason;     /* "empty", "horizon", "budget", "requested" */
    uint64_t accesses;           /* accesses that finished */
    uint64_t faults;             /* finished accesses that found a page missing */
    uint64_t faults_failed;      /* of those, ended with a status other than ZX_OK */
    uint64_t requests_sent;      /* requests that became heads (sent to a provider) */
    uint64_t requests_pages;     /* pages in those requests */
    uint64_t requests_coalesced; /* requests that joined an in-flight one */
    uint64_t requests_cancelled; /* requests cancelled (kill, suspend, timeout) */
    uint64_t supplied_pages;     /* pages newly inserted by supplies */
    uint64_t unused_pages;       /* of those, never touched by an access before they
                                    were removed or the run ended */
    uint64_t waits;              /* PageRequest::Wait calls that blocked */
    uint64_t wait_ns;            /* time spent blocked in them */
    uint64_t arrivals_dropped;   /* open-workload arrivals past max_in_flight */
    gboolean interrupted;        /* stopped early by mdl_world_interrupt (a signal) */
    RepHistogram *latency;       /* fault latency, ns (owned) */
    GHashTable *by_status;       /* status name -> count (uint64 in a pointer) */
    MdlProviderStats *providers; /* one per provider, in scenario order */
    guint n_providers;
    MdlDeviceStats *devices; /* one per device, in scenario order */
    guint n_devices;
    MdlMemoryStats *memory; /* NULL without a "memory" section */
    gboolean checked;       /* the invariant checkers ran (--check) */
    char *violation;        /* first invariant violation (--check), or NULL */
} MdlStats;

typedef struct {
    RepTrace *trace;     /* nullable: no native trace */
    gboolean check;      /* run the invariant checkers after every core operation */
    uint64_t walk_chunk; /* pages a walk looks at per event before it yields; 0: the
                            default (65536), which every run uses; smaller for fuzzing */
} MdlOptions;

/* mdl_world_new: builds the world of @sc (borrowed; must outlive the world).
 * Returns NULL and sets @error (MDL_ERROR) for what the model cannot run yet
 * (e.g. a policy that is not implemented). */
MdlWorld *mdl_world_new(const ScnScenario *sc, const MdlOptions *opt, GError **error);
void mdl_world_free(MdlWorld *w);

/* mdl_world_run: runs to the scenario's stop condition.
 * Returns FALSE if --check found an invariant violation (see stats->violation). */
gboolean mdl_world_run(MdlWorld *w);

/* mdl_world_run_until: runs until simulated time @until (events at @until run)
 * or the scenario's stop condition, whichever comes first, so a caller can show
 * progress between slices. Running in slices gives exactly the run that
 * mdl_world_run gives.
 * Returns TRUE if there is more to run, FALSE once the run is over (the stats are
 * then final). */
gboolean mdl_world_run_until(MdlWorld *w, uint64_t until);

/* Progress figures: the simulated time reached (ns), engine events executed, and
 * the scenario's stop time (UINT64_MAX when it has none). */
uint64_t mdl_world_get_now(const MdlWorld *w);
uint64_t mdl_world_get_events(const MdlWorld *w);
uint64_t mdl_world_get_stop_time(const MdlWorld *w);

/* mdl_world_interrupt: asks a run in progress to stop before its next event,
 * with stats->interrupted set; nothing if the run is over. Only sets flags, so
 * a signal handler may call it. */
void mdl_world_interrupt(MdlWorld *w);

/* mdl_stats_mean_wait: the mean time (ns) of the Waits that blocked; 0 if none. */
static inline double mdl_stats_mean_wait(const MdlStats *s) {
    return s->waits ? (double)s->wait_ns / (double)s->waits : 0.0;
}

/* mdl_world_get_stats: (transfer none) the figures of the run so far. */
const MdlStats *mdl_world_get_stats(MdlWorld *w);

#define MDL_ERROR (mdl_error_quark())
GQuark mdl_error_quark(void);
typedef enum {
    MDL_ERROR_UNSUPPORTED, /* the scenario asks for something not modelled yet */
    MDL_ERROR_TOO_BIG,     /* the run would exceed the memory limit (mdl-estimate.h) */
} MdlError;

G_DEFINE_AUTOPTR_CLEANUP_FUNC(MdlWorld, mdl_world_free)
