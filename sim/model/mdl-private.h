/* Internal structures of the model, shared by its files (see mdl-world.h);
 * threads, their accesses and waits are in mdl-thread.h. */
#pragma once

#include "core/page-source.h"
#include "core/pager-op.h"
#include "core/pager-proxy.h"
#include "core/port.h"
#include "sim/engine/sim-dist.h"
#include "sim/engine/sim-engine.h"
#include "sim/engine/sim-rng.h"
#include "sim/engine/sim-thread.h"
#include "sim/engine/sim-wait.h"
#include "sim/model/mdl-device.h"
#include "sim/model/mdl-pages.h"
#include "sim/model/mdl-pattern.h"
#include "sim/model/mdl-policy.h"
#include "sim/model/mdl-reclaim.h"
#include "sim/model/mdl-thread.h" /* threads, accesses, waits, pager timeouts */
#include "sim/model/mdl-world.h"

typedef struct _MdlVmo MdlVmo;
typedef struct _MdlProvider MdlProvider;
typedef struct _MdlThread MdlThread;
typedef struct _MdlWorker MdlWorker;
typedef struct _MdlNames MdlNames;

/* The interrupt statuses the model hands to the engine. */
#define MDL_KILL_STATUS    ((int32_t)CORE_ERR_INTERNAL_INTR_KILLED)
#define MDL_SUSPEND_STATUS ((int32_t)CORE_ERR_INTERNAL_INTR_RETRY)
#define MDL_TIMEOUT_STATUS ((int32_t)CORE_ERR_TIMED_OUT)

/* Pages one event of a walk looks at before it yields (mdl-access.c). */
#define MDL_WALK_CHUNK 65536

struct _MdlProvider {
    MdlWorld *world;        /* owner */
    guint index;            /* in the scenario */
    const ScnProvider *scn; /* its description (borrowed) */
    CorePort *port;         /* pager and scripted: the pager's port; else NULL */
    SimDist latency;        /* pager: service time */
    SimRng rng;             /* pager: latency and failure draws */
    SimBatch *lat_batch;    /* pager: rng's batch if latency is its only use (sim-batch.h) */
    SimWaitQueue idle;      /* pager: workers with nothing to do */
    MdlWorker *workers;     /* pager: scn->workers of them */
    gboolean closed;        /* the pager handle was closed (pager_close or death) */
    uint64_t requests;      /* READ requests taken */
    uint64_t busy_ns;       /* worker time spent serving */
    MdlDevice *device;      /* pager: the device it reads from, or NULL */
    uint64_t busy_alive_ns; /* of that, before the pager closed or died */
    SimTime closed_at;      /* when it closed (valid once closed) */
    uint64_t cluster;       /* pager: bytes the supplied range is widened to, or 0 */
    gboolean plain;         /* pager: one supply per READ as asked (mdl__provider_init) */
    gboolean many_threads;  /* pager: fixed or spare threads enough to prefetch (mdl-provider.c) */
};

/* One pager worker: a simulated thread serving one request at a time. */
struct _MdlWorker {
    MdlProvider *prov;            /* owner */
    guint index;                  /* within the provider */
    char *name;                   /* "<provider>/w<index>" */
    uint32_t vmo;                 /* the request being served: VMO index */
    uint64_t offset, end;         /* bytes still to supply, [offset, end) */
    uint64_t chunk;               /* bytes per supply call */
    int32_t fail_status;          /* CORE_OK, or the failure to inject */
    uint64_t req_offset;          /* the READ being served: offset, bytes */
    uint64_t req_len;             /* and length, bytes */
    CoreStatus status;            /* the first supply or fail call that was refused, or OK */
    SimTime started;              /* when the service began, or the window (stop.warmup) */
    RepTimelineWorker *tl_worker; /* its timeline state, or NULL (mdl__provider_start) */
};

struct _MdlVmo {
    MdlWorld *world;       /* owner */
    guint index;           /* in the scenario; also the port key */
    const ScnVmo *scn;     /* its description (borrowed) */
    uint64_t size;         /* current size, bytes */
    MdlPages *pages;       /* resident pages */
    MdlPages *unused;      /* supplied pages no access has touched yet */
    MdlPages *zeros;       /* of the resident pages, zero markers (a zero supply) */
    MdlProvider *prov;     /* nullable: anonymous memory */
    CorePageSource *src;   /* nullable: anonymous memory */
    CorePagerProxy *proxy; /* pager and scripted providers; else NULL */
    gboolean closed;       /* the VMO was destroyed: every later call is refused */
    gboolean any_zeros;    /* zeros ever held a page (mdl-vmo.c): else it is empty */
    MdlReadahead *ra;      /* adaptive policy: the file's readahead state (lazily) */
};

/* The arrival process of one open workload. */
typedef struct {
    MdlWorld *world;        /* owner */
    guint wl;               /* workload index */
    const ScnWorkload *scn; /* the workload: sc->workloads[wl] (every arrival reads it) */
    uint64_t count;         /* arrivals so far */
    uint64_t in_flight;     /* arrivals whose thread has not exited */
    MdlPattern *pattern;    /* the offsets' pattern: &world->shared[wl] */
    SimRng *pattern_rng;    /* its stream: &world->wl_rng[wl] */
    SimRng rng;             /* gaps between arrivals */
    SimBatch *gaps;         /* Poisson: rng's batch (log(u)), or NULL */
} MdlArrivals;

struct _MdlWorld {
    const ScnScenario *sc;          /* the scenario (borrowed) */
    MdlPolicy policy;               /* the batching policy */
    SimEngine *engine;              /* owned */
    RepTrace *trace;                /* nullable, borrowed */
    RepTimeline *tl;                /* nullable, borrowed: the run's timeline */
    gboolean check;                 /* run the invariant checkers */
    MdlProvider *providers;         /* n_providers */
    MdlVmo *vmos;                   /* n_vmos */
    MdlDevice *devices;             /* n_devices of the scenario */
    uint64_t *dev_base;             /* per VMO: its first byte's address on its device */
    MdlThread **threads;            /* per workload: its closed or explicit threads */
    SimRng **thread_rng;            /* per workload: its closed threads' streams, or NULL */
    MdlNames *names;                /* closed threads' names lately made, or NULL
                                       (mdl__thread_name, mdl-names.c) */
    GHashTable *wake_timers;        /* MdlThread -> its signal's pending delayed wake
                                       (SimHandle), or NULL (mdl-access.c) */
    SimDist *think;                 /* per workload: think time (closed) */
    SimTime *think_ns;              /* per workload: that time when constant, else
                                       SIM_TIME_INVALID (mdl-workload.c) */
    MdlPattern *shared;             /* per workload: shared pattern (open, shared closed) */
    SimRng *wl_rng;                 /* per workload: arrivals and shared patterns */
    MdlArrivals *arrivals;          /* per workload: open arrival processes */
    MdlStats stats;                 /* the figures */
    GString *why;                   /* scratch for the invariant checkers */
    gboolean over;                  /* the run has ended and stats are final */
    MdlTimeouts timeouts;           /* pager timeouts of waiting threads */
    gboolean warmed;                /* the measured window has started */
    MdlThread **spare;              /* exited arrival threads, for reuse: a stack */
    guint n_spare, spare_cap;       /* threads in it, its capacity (mdl-workload.c) */
    GPtrArray *owned;               /* owned threads made (borrowed): mdl-timeout.c */
    struct _MdlReplay **replays;    /* per workload: trace replay, or NULL (mdl-replay.h) */
    struct _MdlKernelCosts *kcosts; /* drawn kernel costs, or NULL (mdl-kernel.h) */
    uint64_t walk_left;             /* pages the running walk may still look at in this event */
    uint64_t walk_chunk;            /* MdlOptions.walk_chunk, resolved */
    gboolean fast;                  /* faults and reads take the plain walk: no lock,
                                       memory, kernel costs, trace or checks, a
                                       single-page policy (mdl__access_init) */
    SimThreadFn thread_step;        /* the model threads' step: mdl__thread_step(_fast) */
    MdlReclaim *mem;                /* memory pressure, or NULL (no section) */
    struct _MdlLock *locks;         /* per VMO: its lock, or NULL when off (mdl-lock.h) */
};

/* mdl-vmo.c, mdl-provider.c: the pager side */
#include "sim/model/mdl-pager-private.h"

/* mdl-access.c */
void mdl__access_begin(MdlThread *t);
void mdl__access_resume(MdlThread *t, int32_t status);
void mdl__access_signalled(MdlThread *t, CoreStatus status);
/* mdl-fast.c: sets w->fast, once the run's lock, memory and trace are set up. */
void mdl__access_init(MdlWorld *w);
/* mdl-fast.c: mdl__thread_step for a plain run's threads (w->fast; _plain
 * when no access commits and none is killed), and a fault's or read's walk. */
void mdl__thread_step_fast(SimThread *st, int32_t status, gpointer data);
void mdl__thread_step_plain(SimThread *st, int32_t status, gpointer data);
void mdl__access_fast_begin(MdlThread *t);

extern const CoreObserverOps mdl__observer_ops; /* mdl-observe.c */

/* mdl-workload.c */
void mdl__workloads_start(MdlWorld *w);
void mdl__workloads_free(MdlWorld *w);
void mdl__thread_step(SimThread *st, int32_t status, gpointer data);
void mdl__thread_finish_access(MdlThread *t, CoreStatus status);
MdlThread *mdl__thread_lookup(MdlWorld *w, const ScnThreadRef *ref);
/* mdl-names.c: the name of @t in traces: "app/3" (closed), the scenario's
 * (explicit), the arrival's or the replayed trace's. A closed thread's is
 * formatted here, valid until the next call: pass it on at once (no name is
 * stored per thread). "<prefix><sep><n>", newly allocated. */
const char *mdl__thread_name(const MdlThread *t);
char *mdl__name_numbered(const char *prefix, char sep, uint64_t n);
void mdl__names_free(MdlWorld *w); /* the closed threads' names made so far */

/* mdl-timeout.c */
void mdl__wait_begin(MdlThread *t); /* start, arm and park (mdl-timeout-inline.h) */
void mdl__timeout_disarm(MdlThread *t);
void mdl__wait_end(MdlThread *t); /* disarm, and count the wait (mdl-timeout-inline.h) */

/* mdl-action.c */
void mdl__actions_schedule(MdlWorld *w);
void mdl__action_complete(MdlWorld *w, const ScnAction *a);

/* mdl-world.c (the first two are called on every event: inline) */
static inline SimTime mdl__now(const MdlWorld *w) { return sim_engine_now(w->engine); }
static inline gboolean mdl__tracing(const MdlWorld *w) { return w->trace != NULL; }
void mdl__check_now(MdlWorld *w, const MdlVmo *vmo);
/* After every core operation: the invariant checkers when --check asked. */
static inline void mdl__check(MdlWorld *w, const MdlVmo *vmo) {
    if (w->check)
        mdl__check_now(w, vmo);
}

/* mdl-figures.c: the run's figures (RepFigures) */
void mdl__figures_init(MdlWorld *w);
void mdl__figures_start_window(MdlWorld *w, SimTime start);
void mdl__figures_record_access(MdlThread *t, CoreStatus status, SimTime latency, SimTime now);
void mdl__figures_served(MdlProvider *p, SimTime started, SimTime now);
gboolean mdl__dist_from_scn(SimDist *out, const ScnDist *in, GError **error);
