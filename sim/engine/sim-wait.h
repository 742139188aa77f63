/* sim-wait.h: the objects simulated threads wait on.
 *
 * SimEvent models Zircon's AutounsignalEvent: a stored int32 status and at most
 * one waiting thread. Signalling it with a waiter resumes the waiter at now with
 * the status and leaves the event unsignalled; without a waiter the event keeps
 * the status until the next sim_thread_block takes it (and unsignals it), so a
 * signal that comes before the block is never lost. As in Zircon, signalling an
 * event that is already signalled keeps the first status.
 *
 * SimWaitQueue is a FIFO of waiting threads with no stored state: a wake with
 * nobody waiting is lost. It serves pools of pager workers.
 *
 * Both are plain structs embedded by the caller (the model puts one SimEvent in
 * each page request): initialize with _init, and _clear before freeing. Their
 * fields are private. An object must outlive every thread waiting on it, and
 * must still be alive when the engine is freed if a thread is still waiting on
 * it (sim_engine_free detaches the waiters). Wakes are O(1) per thread woken. */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "sim/engine/sim-thread.h"

G_BEGIN_DECLS

struct _SimEvent {
    /*< private >*/
    SimThread *waiter;  /* The blocked thread, or NULL. */
    int32_t status;     /* Stored status while signalled. */
    gboolean signalled; /* A signal is stored. */
};

struct _SimWaitQueue {
    /*< private >*/
    SimThread *head; /* First (longest) waiter, or NULL. */
    SimThread *tail; /* Last waiter, or NULL. */
    guint len;       /* Number of waiters. */
};

/* sim_event_init:
 * Initializes @event (out, caller-allocated) as unsignalled with no waiter. */
void sim_event_init(SimEvent *event);

/* sim_event_clear:
 * Marks @event unusable until initialized again. No thread may be waiting on it
 * (programming error). */
void sim_event_clear(SimEvent *event);

/* sim_event_signal:
 * Resumes the waiter at now with @status, or, with no waiter, stores @status
 * (if not already signalled). */
void sim_event_signal(SimEvent *event, int32_t status);

/* sim_event_unsignal:
 * Drops a stored signal, if any. Does not affect a waiter. */
void sim_event_unsignal(SimEvent *event);

/* sim_event_is_signalled:
 * Returns TRUE if a signal is stored. */
gboolean sim_event_is_signalled(const SimEvent *event);

/* sim_event_peek_waiter:
 * Returns (transfer none) (nullable) the thread blocked on @event. */
SimThread *sim_event_peek_waiter(const SimEvent *event);

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
