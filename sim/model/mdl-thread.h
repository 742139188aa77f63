/* The model's simulated threads (internal, see mdl-private.h): a thread, its
 * current access with the kernel's PageRequest, its side of a Wait, and the
 * FIFO of pager timeouts. Kept apart from mdl-private.h for its size, and
 * because a million blocked threads make these the model's largest memory
 * cost: a thread is 280 bytes (136 of them core's PageRequest); fields that
 * only some threads or runs use live in unions or in tables of the world. */
#pragma once

#include "core/page-source.h"
#include "sim/engine/sim-engine.h"
#include "sim/engine/sim-thread.h"
#include "sim/model/mdl-pattern.h"
#include "sim/scenario/scn-scenario.h"

typedef struct _MdlVmo MdlVmo;
typedef struct _MdlWorld MdlWorld;
typedef struct _MdlThread MdlThread;

typedef enum {
    MDL_PH_NEXT,    /* pick the next access, or exit */
    MDL_PH_BEGIN,   /* start the access picked */
    MDL_PH_WALK,    /* walk the pages (after a wake or a sync provider's cost) */
    MDL_PH_WAIT,    /* blocked in PageRequest::Wait */
    MDL_PH_RESTART, /* restart the access from its arguments (after a suspend) */
    MDL_PH_PREWAIT, /* from dropping the VMO lock to blocking in Wait (mdl-lock.h) */
    MDL_PH_PHASE_COUNT
} MdlPhase;

/* A thread's current access: what it does (kept so that a suspended access can
 * restart as it began), where its walk is, and the kernel's PageRequest. */
typedef struct {
    MdlVmo *vmo;            /* target */
    uint64_t offset;        /* first byte */
    uint64_t pages;         /* length in pages */
    SimTime start;          /* when it began (latency is measured from here) */
    uint64_t cur;           /* walk: next page to look at */
    uint64_t end;           /* walk: one past the last page */
    uint64_t walk_start;    /* commit: first page of this walk */
    union {                 /* by the policy (8 bytes less per thread): */
        uint64_t committed; /* fuchsia commit: pages done before the batch began */
        uint64_t missed;    /* adaptive: 1 + the page last missed (its look after
                               the wait is the same fault), or 0 */
    };
    ScnAccessKind kind;  /* fault, read or commit */
    guint8 saw_next;     /* commit: GetPage returned NEXT in this walk */
    guint8 faulted;      /* the access found a page missing */
    guint8 entered;      /* fault_entry cost already paid */
    CorePageRequest req; /* the kernel's PageRequest (non-batching or batching) */
} MdlAccess;

/* What one access does, as trace replay fills it in (mdl-replay.c). */
typedef struct {
    ScnAccessKind kind; /* fault, read or commit */
    MdlVmo *vmo;        /* target */
    uint64_t offset;    /* first byte */
    uint64_t pages;     /* length in pages */
    SimTime start;      /* unused: an access's start is set when it begins */
} MdlAccessArgs;

/* Makes @a the access @acc does next (its walk and request are set up when it
 * begins). */
static inline void mdl__access_set(MdlAccess *acc, const MdlAccessArgs *a) {
    acc->kind = a->kind;
    acc->vmo = a->vmo;
    acc->offset = a->offset;
    acc->pages = a->pages;
}

/* The thread's side of a PageRequest::Wait. The Wait's state (signalled, and
 * with what) is the request's event in core/; the engine only parks the
 * thread. What is left here is the model's own: the figures' clock and the
 * pager timeout's entry (the wake latency's pending wake is in
 * MdlWorld.wake_timers). */
typedef struct {
    SimTime start; /* when the thread parked, or SIM_TIME_INVALID (not parked
                      in this Wait: the signal had come already) */
    /* Bit-fields: a million blocked threads each save 8 bytes of padding
     * (FIFO positions never reach 2^63). */
    uint64_t deadline_pos : 63; /* position of the pager-timeout entry while armed */
    uint64_t armed : 1;         /* a pager timeout is pending */
} MdlWait;

struct _MdlThread {
    MdlWorld *world;         /* owner */
    SimThread *sim;          /* NULL once exited */
    const ScnWorkload *wl;   /* its workload */
    guint index;             /* within the workload */
    guint8 owned_by_sim;     /* freed when the simulated thread exits (open arrivals) */
    guint8 phase;            /* MdlPhase: what the next resumption does */
    guint8 tl_waiting;       /* counted as waiting by the run's timeline (mdl-observe.c) */
    uint64_t done;           /* accesses finished */
    union {                  /* by the kind of thread (24 bytes less per thread): */
        MdlWalker walk;      /* closed, per-thread pattern: where accesses go */
        guint next_explicit; /* explicit: next access index in the workload */
        char *name;          /* owned_by_sim (arrivals, trace replay): "arrivals#17",
                                "app", or NULL when not tracing; others are named
                                by mdl__thread_name */
    };
    MdlAccess acc; /* the current access */
    MdlWait wait;  /* the current Wait */
};

/* One wait's pager timeout (mdl-timeout.c). How many expiries the wait has had
 * is not kept (8 bytes less per waiting thread): every entry is expired at its
 * deadline, which is the wait's start (MdlWait.start, set when it was armed)
 * plus a whole number of overtime_wait slices. */
typedef struct {
    MdlThread *thread; /* who waits; NULL once the wait ended (stale) */
    SimTime deadline;  /* the wait's next overtime_wait expiry */
} MdlDeadline;

/* The FIFO of pager timeouts. */
typedef struct {
    MdlDeadline *ring; /* cap entries, a power of two */
    uint64_t first;    /* absolute position of the front entry */
    guint len, cap;    /* entries, capacity (a power of two) */
    guint64 armed;     /* live entries */
    SimHandle sweep;   /* the pending sweep, or SIM_HANDLE_NONE */
} MdlTimeouts;
