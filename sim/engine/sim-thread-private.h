/* sim-thread-private.h: thread internals shared by sim-thread.c and sim-wait.c.
 * Not for use outside sim/engine/. */
#pragma once

#include "sim/engine/sim-engine-private.h"
#include "sim/engine/sim-thread.h"
#include "sim/engine/sim-wait.h"

/* 32 bytes on LP64 (a million blocked threads: 32 MB), so that a thread never
 * spans two cache lines. The engine is not stored: it is in the header of the
 * slab the thread lives in (SIM__SLAB_BYTES, aligned to its size), found by
 * masking the thread's address. The wait-queue link is a thread's place (4
 * bytes), and forward only: a thread taken out of a queue by a kill or suspend
 * costs a walk from the head (pager worker pools are short). The link and the
 * resumption status share their 4 bytes: a thread is linked only while
 * WAITING, and its status only matters from its wake, which unlinks it first,
 * to its run. The status of a latched kill or suspend, rare, is kept in the
 * engine's side table (engine->interrupts) until delivered. */
struct _SimThread {
    gpointer data; /* Argument of the body, owned; the free list's link when free. */
    union {
        SimTime duration;    /* Requested or held sleep. */
        SimWaitQueue *queue; /* Requested, held or current SimWaitQueue. */
    } arg;                   /* Argument of step. */
    union {
        uint32_t next;  /* While WAITING: place of the next in the SimWaitQueue
                           (sim__thread_place), 0: none. */
        int32_t status; /* Otherwise: status passed to fn at the next resumption. */
    };
    uint32_t id;   /* Its id: engine->threads chunk id / SIM__ID_CHUNK. */
    uint32_t kind; /* Body, finalizer and name prefix: engine->kinds[kind]. */
    uint8_t state; /* SimThreadState. */
    uint8_t step;  /* Requested step while RUNNING, held one if SUSPENDED. */
    uint8_t flags; /* SIM__THREAD_* flags. */
};

/* No thread (a wait-queue link). */
#define SIM__THREAD_NONE UINT32_MAX

/* The slabs threads are taken from: SIM__SLAB_BYTES each, aligned to that, the
 * first slot holding a SimSlabHeader. Why 2 MiB: a slab is then one huge page
 * where the system gives them (slab_add), 65,535 threads each. */
#define SIM__SLAB_BYTES ((gsize)2097152)
#define SIM__SLAB_SLOTS ((guint)(SIM__SLAB_BYTES / sizeof(SimThread)))
#define SIM__SLAB_BATCH ((gsize)128) /* Slots put on the spare list at once (4 KiB of them). */

typedef struct {
    SimEngine *engine; /* The owner of the slab's threads. */
    guint index;       /* The slab's index in engine->slabs. */
} SimSlabHeader;

/* The header of the slab holding @t. */
static inline const SimSlabHeader *sim__thread_slab(const SimThread *t) {
    return (const SimSlabHeader *)((guintptr)t & ~(guintptr)(SIM__SLAB_BYTES - 1));
}

/* The engine that owns @t. */
static inline SimEngine *sim__thread_engine(const SimThread *t) {
    return sim__thread_slab(t)->engine;
}

/* A thread's place, 4 bytes: its slab's index times SIM__SLAB_SLOTS plus its
 * slot in the slab (slot 0 is the header, so 0 names no thread). */
static inline uint32_t sim__thread_place(const SimThread *t) {
    const SimSlabHeader *h = sim__thread_slab(t);
    return h->index * SIM__SLAB_SLOTS + (uint32_t)(t - (const SimThread *)(gconstpointer)h);
}

/* The thread at @place (not 0) on @e. */
static inline SimThread *sim__thread_at(const SimEngine *e, uint32_t place) {
    SimThread *slab = g_ptr_array_index(e->slabs, place / SIM__SLAB_SLOTS);
    return slab + place % SIM__SLAB_SLOTS;
}

/* The id table (engine->threads) holds chunks of SIM__ID_CHUNK consecutive
 * ids: a chunk is freed once all its ids were given out and all its threads
 * exited, so that the table grows with the threads alive (plus a pointer per
 * SIM__ID_CHUNK spawns), not with every thread ever spawned (open arrivals).
 * A slot holds the thread's place (4 bytes, not a pointer's 8). */
#define SIM__ID_CHUNK 1024u

typedef struct {
    guint used;                   /* Ids given out from this chunk. */
    guint live;                   /* Its threads not yet exited. */
    uint32_t slot[SIM__ID_CHUNK]; /* Places by id % SIM__ID_CHUNK; 0 once exited. */
} SimIdChunk;

#define SIM__THREAD_KILL_PENDING    (1u << 0) /* Kill latched, not delivered. */
#define SIM__THREAD_KILL_DELIVERED  (1u << 1) /* Kill delivered: must exit. */
#define SIM__THREAD_SUSPEND_PENDING (1u << 2) /* Suspend latched, not delivered. */
#define SIM__THREAD_SUSPENDED       (1u << 3) /* Suspend delivered, not resumed. */

/* The step a thread requested (SimThread.step). */
enum { SIM__STEP_NONE, SIM__STEP_SLEEP, SIM__STEP_PARK, SIM__STEP_WAIT, SIM__STEP_EXIT };

/* sim__thread_seq_exhausted: aborts: 2^47 events used up every sequence number. */
G_GNUC_NORETURN void sim__thread_seq_exhausted(void);

/* sim__thread_queue:
 * Queues the resumption of @t at @time (>= now). Why not sim_engine_schedule:
 * the handler pair is interned once per engine (SIM__RUN_ID) and the time is known
 * to be valid, so the push is inlined with only the queue's seq limit left. */
static inline void sim__thread_queue(SimEngine *e, SimTime time, SimThread *t) {
    SimQueue *q = e->queue;
    if (G_UNLIKELY(q->seq >= SIM__QUEUE_MAX_SEQ))
        sim__thread_seq_exhausted();
    sim__queue_push_id(q, time, SIM__RUN_ID, t);
}

/* sim__thread_sleep_step: takes @t's requested sleep, whose end is in range:
 * it sleeps until now + its duration, woken with status 0. */
static inline void sim__thread_sleep_step(SimEngine *e, SimThread *t) {
    t->step = SIM__STEP_NONE;
    t->status = 0;
    t->state = SIM_THREAD_SLEEPING;
    sim__thread_queue(e, e->now + t->arg.duration, t);
}

/* sim__thread_queue_slow: sim__thread_queue(@e, now, @t), out of line. */
void sim__thread_queue_slow(SimEngine *e, SimThread *t);

/* sim__thread_wake_on:
 * Queues the resumption of @t at now with @status; the caller has already
 * detached it from any wait object. Why inline: every unpark, wait-queue wake
 * and spawn ends here. Every resumption, whatever caused it, is an event at
 * now, so threads woken by one handler run after it, in the order they were
 * woken. */
static inline void sim__thread_wake_on(SimEngine *e, SimThread *t, int32_t status) {
    SimQueue *q = e->queue;
    SimQueueFifo *f = &q->now;
    t->status = status;
    t->state = SIM_THREAD_READY;
    /* the common case, a push to the now-FIFO with room, takes no call, so
     * that the callers need no stack frame (sim__queue_push_id's FIFO case) */
    if (G_LIKELY(e->now == q->last && f->wr != f->end && q->seq < SIM__QUEUE_MAX_SEQ)) {
        uint64_t seq = ++q->seq;
        q->live++;
        *f->wr++ = (SimQueueEntry){e->now, t, seq << SIM__QUEUE_SEQ_SHIFT | SIM__RUN_ID};
        return;
    }
    sim__thread_queue_slow(e, t);
}

/* sim__thread_wake: sim__thread_wake_on the engine of @t. */
static inline void sim__thread_wake(SimThread *t, int32_t status) {
    sim__thread_wake_on(sim__thread_engine(t), t, status);
}

/* sim__thread_free:
 * Frees @t, a thread of @e that has exited: runs its destroy notify, releases
 * its id and puts its struct back for reuse. */
void sim__thread_free(SimEngine *e, SimThread *t);

/* sim__wait_queue_append / sim__wait_queue_remove:
 * Link @thread at the tail of @queue (O(1)), or unlink it from anywhere in it
 * (O(1) at the head, else a walk from the head). */
void sim__wait_queue_append(SimWaitQueue *queue, SimThread *thread);
void sim__wait_queue_remove(SimWaitQueue *queue, SimThread *thread);
