/* The model's simulated threads (internal, see mdl-private.h): a thread, its
 * current access with the kernel's PageRequest, its side of a Wait, and the
 * FIFO of pager timeouts. Kept apart from mdl-private.h for its size, and
 * because a million blocked threads make these the model's largest memory
 * cost: a thread is 192 bytes, three cache lines (72 of them core's
 * PageRequest); fields that
 * only some threads or runs use live in unions or in tables of the world, and
 * small fields share words as bit-fields. */
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
    MDL_PH_IDLE,    /* an arrival's thread parked on the spare stack, for reuse */
    MDL_PH_PHASE_COUNT
} MdlPhase;

/* A thread's current access: what it does (kept so that a suspended access can
 * restart as it began), where its walk is, and the kernel's PageRequest. */
typedef struct {
    MdlVmo *vmo;     /* target */
    uint64_t offset; /* first byte */
    SimTime start;   /* when it began (latency is measured from here) */
    /* One word (8 bytes less per thread): a length in pages is at most 2^52
     * (byte offsets and lengths are 64-bit). */
    uint64_t pages : 53;    /* length in pages */
    uint64_t kind : 2;      /* ScnAccessKind: fault, read or commit */
    uint64_t saw_next : 1;  /* commit: GetPage returned NEXT in this walk */
    uint64_t faulted : 1;   /* the access found a page missing */
    uint64_t entered : 1;   /* fault_entry cost already paid */
    uint64_t cur;           /* walk: next page to look at */
    uint64_t end;           /* walk: one past the last page */
    uint64_t walk_start;    /* commit: first page of this walk */
    union {                 /* by the policy (8 bytes less per thread): */
        uint64_t committed; /* fuchsia commit: pages done before the batch began */
        uint64_t missed;    /* adaptive: 1 + the page last missed (its look after
                               the wait is the same fault), or 0 */
    };
    CorePageRequest req; /* the kernel's PageRequest (non-batching or batching) */
} MdlAccess;

G_STATIC_ASSERT(SCN_ACCESS_KIND_COUNT <= 4); /* MdlAccess.kind */

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
 * thread. What is left here is the model's own: the figures' clock (the pager
 * timeout's entry is MdlThread.timeout_pos, the wake latency's pending wake is
 * in MdlWorld.wake_timers). */
typedef struct {
    SimTime start; /* when the thread parked, or SIM_TIME_INVALID (not parked
                      in this Wait: the signal had come already) */
} MdlWait;

struct _MdlThread {
    MdlWorld *world;      /* owner */
    SimThread *sim;       /* NULL once exited */
    guint index;          /* within the workload */
    uint32_t timeout_pos; /* position of the pager-timeout entry while armed,
                             modulo 2^32 (the FIFO's capacity divides 2^32) */
    /* One word (24 bytes less per thread than separate fields): 2^37
     * accesses of one thread would take hours of CPU. */
    union {
        struct {
            uint64_t done : 37;         /* accesses finished */
            uint64_t wl_index : 16;     /* its workload: mdl__thread_wl() */
            uint64_t owned_by_sim : 1;  /* freed when the simulated thread exits (open
                                           arrivals) */
            uint64_t tl_waiting : 1;    /* counted as waiting by the run's timeline
                                           (mdl-observe.c) */
            uint64_t timeout_armed : 1; /* a pager timeout is pending (mdl-timeout.c) */
            uint8_t phase;              /* MdlPhase: what the next resumption does (its
                                           own byte of the word: it is set at every step) */
        };
        uint64_t done_word; /* the word, done its low bits: done_word++ counts an
                               access in one add (done never reaches 2^37 - 1) */
    };
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

G_STATIC_ASSERT(sizeof(gpointer) != 8 || sizeof(MdlThread) == 192);
/* phase lies within done_word (arrival_thread writes it with the word). */
G_STATIC_ASSERT(G_STRUCT_OFFSET(MdlThread, phase) >= G_STRUCT_OFFSET(MdlThread, done_word) &&
                G_STRUCT_OFFSET(MdlThread, phase) + sizeof(uint8_t) <=
                    G_STRUCT_OFFSET(MdlThread, done_word) + sizeof(uint64_t));

/* mdl__req_thread: the thread whose current access holds @req (a thread's
 * own request, not a background one: mdl__ra_is_background). */
static inline MdlThread *mdl__req_thread(const CorePageRequest *req) {
    return (MdlThread *)((char *)req - G_STRUCT_OFFSET(MdlThread, acc.req));
}

/* Workloads a world may have: their index must fit MdlThread.wl_index. The
 * scenario loader refuses more (SCN_MAX_WORKLOADS). */
#define MDL_MAX_WORKLOADS (1u << 16)
G_STATIC_ASSERT(SCN_MAX_WORKLOADS <= MDL_MAX_WORKLOADS);

/* mdl__thread_wl: the workload of @t (mdl-workload.c). */
const ScnWorkload *mdl__thread_wl(const MdlThread *t);

/* One wait's pager timeout (mdl-timeout.c), 8 bytes: the thread by its
 * engine id, and the deadline as a number of slices, since every entry is
 * expired at its deadline, the wait's start (MdlWait.start, set when it was
 * armed) plus a whole number of overtime_wait slices. */
typedef struct {
    uint32_t thread; /* who waits: sim_thread_get_id(), MDL_DEADLINE_STALE once
                        the wait ended */
    uint32_t expiry; /* the deadline: wait.start + expiry x overtime_wait */
} MdlDeadline;

#define MDL_DEADLINE_STALE UINT32_MAX

/* The FIFO of pager timeouts. */
typedef struct {
    MdlDeadline *ring; /* cap entries, a power of two */
    uint64_t first;    /* absolute position of the front entry */
    guint len, cap;    /* entries, capacity (a power of two) */
    guint64 armed;     /* live entries */
    SimHandle sweep;   /* the pending sweep, or SIM_HANDLE_NONE */
    SimEngine *engine; /* whose thread ids the entries hold (set by mdl__access_init) */
    gboolean on;       /* waits have slices: overtime_wait is not 0 (mdl__access_init) */
    gboolean lazy;     /* no entry pushed yet: until the first sweep runs, an arm only
                          numbers its wait (next) and the FIFO is built from the armed
                          threads when the sweep runs (mdl-timeout.c) */
    uint64_t next;     /* lazy: the position the next arm takes */
    uint64_t base;     /* lazy: the position of the arm that scheduled the sweep */
} MdlTimeouts;

/* The FIFO's ring (mdl-timeout.c; exposed for its test). push appends @t's
 * entry with deadline number @expiry and sets t->timeout_pos; front is the
 * front entry, stale or not (NULL when empty); pop drops it; clear makes @t's
 * entry stale; thread is the MdlThread an entry names (the data of the engine
 * thread with that id). Stale entries may be dropped anywhere by a push. */
void mdl__deadlines_push(MdlTimeouts *q, MdlThread *t, uint32_t expiry);
MdlDeadline *mdl__deadlines_front(MdlTimeouts *q);
void mdl__deadlines_pop(MdlTimeouts *q);
void mdl__deadlines_clear(MdlTimeouts *q, MdlThread *t);
MdlThread *mdl__deadlines_thread(const MdlTimeouts *q, const MdlDeadline *d);
/* The lazy FIFO's end (mdl-timeout.c; exposed for its test): the ring is
 * built from the @n armed threads @armed (any order), in the order they were
 * armed (their timeout_pos from q->base), each at expiry 1, and q->lazy ends. */
void mdl__deadlines_build(MdlTimeouts *q, MdlThread **armed, guint n);
