/* sim-thread-private.h: thread internals shared by sim-thread.c and sim-wait.c.
 * Not for use outside sim/engine/. */
#pragma once

#include "sim/engine/sim-engine-private.h"
#include "sim/engine/sim-thread.h"
#include "sim/engine/sim-wait.h"

struct _SimThread {
    SimEngine *engine; /* Owner. */
    gpointer data;     /* Argument of the body, owned. */
    SimThread *next;   /* Next in the SimWaitQueue while WAITING. */
    SimThread *prev;   /* Previous in the SimWaitQueue while WAITING. */
    union {
        SimTime duration;    /* Requested or held sleep. */
        SimWaitQueue *queue; /* Requested, held or current SimWaitQueue. */
    } arg;                   /* Argument of step. */
    uint32_t id;             /* Index in engine->threads. */
    uint32_t kind;           /* Body, finalizer and name prefix: engine->kinds[kind]. */
    int32_t status;          /* Status passed to fn at the next resumption. */
    int32_t interrupt;       /* Status of the latched or delivered kill/suspend. */
    uint8_t state;           /* SimThreadState. */
    uint8_t step;            /* Requested step while RUNNING, held one if SUSPENDED. */
    uint8_t flags;           /* SIM__THREAD_* flags. */
};

#define SIM__THREAD_KILL_PENDING    (1u << 0) /* Kill latched, not delivered. */
#define SIM__THREAD_KILL_DELIVERED  (1u << 1) /* Kill delivered: must exit. */
#define SIM__THREAD_SUSPEND_PENDING (1u << 2) /* Suspend latched, not delivered. */
#define SIM__THREAD_SUSPENDED       (1u << 3) /* Suspend delivered, not resumed. */

/* sim__thread_wake:
 * Queues the resumption of @thread at now with @status; the caller has already
 * detached it from any wait object. */
void sim__thread_wake(SimThread *thread, int32_t status);

/* sim__wait_queue_append / sim__wait_queue_remove:
 * Link @thread at the tail of @queue, or unlink it from anywhere in it. O(1). */
void sim__wait_queue_append(SimWaitQueue *queue, SimThread *thread);
void sim__wait_queue_remove(SimWaitQueue *queue, SimThread *thread);
