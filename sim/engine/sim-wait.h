/* sim-wait.h: SimWaitQueue, a FIFO of waiting threads with no stored state: a
 * wake with nobody waiting is lost. It serves pools of pager workers. (A single
 * thread waiting for something else parks: sim_thread_park in sim-thread.h.)
 *
 * A plain struct embedded by the caller: initialize with _init, and _clear
 * before freeing. Its fields are private. It must outlive every thread waiting
 * in it, and must still be alive when the engine is freed if a thread is still
 * waiting (sim_engine_free detaches the waiters). Wakes are O(1) per thread;
 * taking a waiter out by a kill or suspend is O(its place in the queue). */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "sim/engine/sim-thread.h"

G_BEGIN_DECLS

struct _SimWaitQueue {
    /*< private >*/
    SimThread *head; /* First (longest) waiter, or NULL. */
    SimThread *tail; /* Last waiter, or NULL. */
    guint len;       /* Number of waiters. */
};

/* sim_wait_queue_init:
 * Initializes @queue (out, caller-allocated) as empty. */
void sim_wait_queue_init(SimWaitQueue *queue);

/* sim_wait_queue_clear:
 * Marks @queue unusable until initialized again. It must be empty (programming
 * error otherwise). */
void sim_wait_queue_clear(SimWaitQueue *queue);

/* sim_wait_queue_wake_one:
 * Resumes the longest-waiting thread at now with @status.
 * Returns 1 if a thread was woken, 0 if the queue was empty. */
guint sim_wait_queue_wake_one(SimWaitQueue *queue, int32_t status);

/* sim_wait_queue_wake_all:
 * Resumes every waiting thread at now with @status, in FIFO order.
 * Returns the number of threads woken. */
guint sim_wait_queue_wake_all(SimWaitQueue *queue, int32_t status);

/* sim_wait_queue_get_len:
 * Returns the number of waiting threads. */
guint sim_wait_queue_get_len(const SimWaitQueue *queue);

G_END_DECLS
