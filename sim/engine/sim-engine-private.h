/* sim-engine-private.h: engine internals shared by sim-engine.c and sim-thread.c.
 * Not for use outside sim/engine/. */
#pragma once

#include "sim/engine/sim-engine.h"
#include "sim/engine/sim-queue-private.h"
#include "sim/engine/sim-thread.h"

/* What threads spawned alike share, kept once per engine so that a SimThread
 * fits a cache line. */
typedef struct {
    SimThreadFn fn;         /* Body. */
    GDestroyNotify destroy; /* Finalizer of the thread's data, nullable. */
    const char *prefix;     /* Interned name prefix. */
    guint next;             /* The next kind with the same prefix, + 1; 0 ends the chain. */
} SimThreadKind;

/* The queue handler id of thread resumptions (sim__thread_run): the first
 * pair interned by every engine. Why a constant: it is compared with every
 * event's id and stored in every resumption, with no load. */
#define SIM__RUN_ID 0u

struct _SimEngine {
    SimQueue *queue;         /* Pending events. */
    SimTime now;             /* Current simulated time. */
    uint64_t executed;       /* Events run since creation. */
    uint64_t stop_at;        /* The running loop stops once executed reaches it. */
    gboolean running;        /* Inside sim_engine_run. */
    gboolean stop_requested; /* sim_engine_stop was called. */
    SimThreadKind *kinds;    /* By index: n_kinds of them, room for kinds_cap. */
    guint n_kinds;           /* Kinds in use. */
    guint kinds_cap;         /* Room in kinds. */
    guint last_kind;         /* The kind of the last spawn (if n_kinds > 0). */
    const char *last_name;   /* The name pointer that spawn was given ("thread" for NULL). */
    SimThread *spare;        /* Free SimThread structs, linked through data. */
    GPtrArray *threads;      /* SimIdChunk * by id / SIM__ID_CHUNK; NULL once freed. */
    gpointer id_chunk;       /* The last chunk (SimIdChunk), while not full. */
    uint32_t next_id;        /* The id of the next spawn (ids given so far). */
    guint live_threads;      /* Threads spawned and not yet exited. */
    GPtrArray *slabs;        /* The slabs they come from, by index (nullable); owned. */
    SimThread *fresh;        /* The last slab's slots never listed as spare, */
    SimThread *fresh_end;    /* up to here (slab_refill). */
    GHashTable *kind_chain;  /* Interned prefix -> first kind with it, + 1. */
    GHashTable *interrupts;  /* SimThread * -> status of its latched kill or suspend
                                (GINT_TO_POINTER), for threads with one; nullable. */
};

/* sim__thread_run:
 * The handler of every thread resumption (@data is the SimThread): the run
 * loop calls it directly for entries with handler id SIM__RUN_ID. */
void sim__thread_run(SimEngine *engine, gpointer data);

/* sim__thread_free_all:
 * Detaches every live thread from its wait object, runs its destroy notify and
 * frees it. Called by sim_engine_free after pending events are finalized. */
void sim__thread_free_all(SimEngine *engine);
