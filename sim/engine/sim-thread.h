/* sim-thread.h: simulated threads as explicit continuations.
 *
 * A SimThread has no stack: it is a function called once when the thread starts
 * (status 0) and again on every resumption, with the status it was woken with.
 * Each call requests the thread's next step by calling exactly one of
 * sim_thread_sleep, sim_thread_park, sim_thread_wait_queue or sim_thread_exit,
 * and returns; returning without a request exits the thread. Resumptions are
 * engine events at the wake time, so threads woken at the same time run in the
 * order they were woken, after the handler that woke them. Threads get integer
 * ids 0, 1, 2, ... in spawn order; a name is a shared, interned prefix plus the id.
 *
 * Kill and suspend take a caller-chosen int32 status (the engine knows no codes):
 * - A parked thread, or one in a SimWaitQueue, is woken at now with that status
 *   ("delivered").
 * - Otherwise (running, ready, sleeping) the request is latched and delivered by
 *   the thread's next sim_thread_park or sim_thread_wait_queue, which then return
 *   it at once. Sleep is never interrupted.
 *
 * Parking is stateless: the engine keeps no signal for a thread. Whatever the
 * thread waits for (a page request's event, in the model) owns that state, and
 * checks it before parking; sim_thread_unpark wakes a parked thread and reports
 * whether it was still parked, so a waker learns that an interrupt (or another
 * unpark) got there first.
 * - After a kill is delivered the thread must exit: any other step it requests
 *   is turned into an exit. Kill wins over suspend, and wakes a suspended thread.
 * - After a suspend is delivered, whatever step the thread next requests (exit
 *   included) is held until sim_thread_resume, which starts it at the resume time.
 *   Resuming before a latched suspend is delivered cancels it; resuming a thread
 *   that is not suspended does nothing.
 *
 * Lifetime: the engine owns every thread. A thread is freed right after its exit
 * step is taken, once its destroy notify has run; any SimThread pointer kept
 * elsewhere is dangling from then on: drop it in the destroy notify, or keep the
 * id and use sim_thread_lookup. Threads still alive are freed by sim_engine_free.
 * Memory: 32 bytes per thread on LP64 (the struct, in 2 MiB slabs), plus 4 in
 * the engine's id table (by chunks of 1,024 ids, freed once all their threads
 * exited) and one queue entry while a resumption is pending.
 * Limits: ids below 2^32 - 1 per engine; a spawn beyond is refused. */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "sim/engine/sim-engine.h"

G_BEGIN_DECLS

typedef struct _SimThread SimThread;
typedef struct _SimWaitQueue SimWaitQueue;

/* SimThreadFn: the body of a thread, called at start (@status 0) and at every
 * resumption with the wake status; must request the next step, then return. */
typedef void (*SimThreadFn)(SimThread *thread, int32_t status, gpointer data);

/* What a thread is doing. */
typedef enum {
    SIM_THREAD_READY,     /* A resumption is queued (just spawned or woken). */
    SIM_THREAD_RUNNING,   /* Its function is executing. */
    SIM_THREAD_SLEEPING,  /* In sim_thread_sleep. */
    SIM_THREAD_PARKED,    /* In sim_thread_park, until unparked or interrupted. */
    SIM_THREAD_WAITING,   /* Waiting in a SimWaitQueue. */
    SIM_THREAD_SUSPENDED, /* Suspended; its next step is held until resumed. */
    SIM_THREAD_STATE_COUNT
} SimThreadState;

/* sim_thread_spawn:
 * Creates a thread that first runs @fn(thread, 0, @data) at now, after the events
 * already due now. @name is an optional prefix (NULL: "thread"), interned once
 * per distinct string; a spawn given the same @name pointer, @fn and @destroy
 * as the spawn before it reuses that prefix without reading @name, so a buffer
 * whose text changed must not be passed again at once with the same body.
 * Takes ownership of @data: @destroy (nullable) runs when the thread exits, or
 * in sim_engine_free, or at once if the call is refused.
 * Returns (transfer none) the thread, owned by @engine; NULL if refused (a NULL
 * argument, or a limit of the header's "Limits"). */
SimThread *sim_thread_spawn(SimEngine *engine, const char *name, SimThreadFn fn, gpointer data,
                            GDestroyNotify destroy);

/* sim_thread_sleep:
 * Requests: resume at now + @duration with status 0.
 * Context: inside @thread's own function only, once per call. */
void sim_thread_sleep(SimThread *thread, SimTime duration);

/* sim_thread_park:
 * Requests: deliver a latched kill or suspend at now, or else park until
 * sim_thread_unpark (or a kill or suspend) wakes the thread.
 * Context: inside @thread's own function only, once per call. */
void sim_thread_park(SimThread *thread);

/* sim_thread_unpark:
 * Wakes @thread at now with @status if it is parked.
 * Returns TRUE if it was parked (and is now woken); FALSE if it was not: it
 * was already woken (by an interrupt or an earlier unpark), or has not parked
 * yet. Nothing is stored either way. Context: any but @thread's own function. */
gboolean sim_thread_unpark(SimThread *thread, int32_t status);

/* sim_thread_wait_queue:
 * Requests: deliver a latched kill or suspend at now, or else join the tail of
 * @queue (borrowed; must outlive the wait) until woken.
 * Context: inside @thread's own function only, once per call. */
void sim_thread_wait_queue(SimThread *thread, SimWaitQueue *queue);

/* sim_thread_exit:
 * Requests: exit once the function returns (destroy notify, then free).
 * Context: inside @thread's own function only, once per call. */
void sim_thread_exit(SimThread *thread);

/* sim_thread_kill:
 * Kills @thread with @status, delivered now or latched as described above. A
 * second kill does nothing. Context: any (a handler, another thread, itself). */
void sim_thread_kill(SimThread *thread, int32_t status);

/* sim_thread_suspend:
 * Suspends @thread with @status, delivered now or latched as described above.
 * Does nothing if the thread is killed or already suspended (or latched). */
void sim_thread_suspend(SimThread *thread, int32_t status);

/* sim_thread_resume:
 * Ends a suspension: a held step starts now (a held exit frees @thread before
 * this returns); a latched, undelivered suspend is dropped. Otherwise no-op. */
void sim_thread_resume(SimThread *thread);

/* sim_thread_get_id:
 * Returns the thread's id: its index in spawn order on its engine, from 0. */
uint32_t sim_thread_get_id(const SimThread *thread);

/* sim_thread_get_name_prefix:
 * Returns (transfer none) the interned name prefix given at spawn. */
const char *sim_thread_get_name_prefix(const SimThread *thread);

/* sim_thread_dup_name:
 * Returns (transfer full) "<prefix>-<id>", e.g. "worker-12"; free with g_free. */
char *sim_thread_dup_name(const SimThread *thread);

/* sim_thread_get_data:
 * Returns (transfer none) the data given at spawn. */
gpointer sim_thread_get_data(const SimThread *thread);

/* sim_thread_get_engine:
 * Returns (transfer none) the engine that owns @thread. */
SimEngine *sim_thread_get_engine(const SimThread *thread);

/* sim_thread_get_state:
 * Returns what @thread is doing now. */
SimThreadState sim_thread_get_state(const SimThread *thread);

/* sim_thread_is_killed:
 * Returns TRUE if a kill is latched or has been delivered. */
gboolean sim_thread_is_killed(const SimThread *thread);

/* sim_thread_is_suspended:
 * Returns TRUE if a suspend has been delivered and not yet resumed. */
gboolean sim_thread_is_suspended(const SimThread *thread);

/* sim_thread_lookup:
 * Returns (transfer none) (nullable) the live thread with @id, NULL if it exited
 * or never existed. O(1). */
SimThread *sim_thread_lookup(SimEngine *engine, uint32_t id);

/* sim_thread_get_live_count:
 * Returns the number of threads spawned on @engine that have not exited. */
guint sim_thread_get_live_count(const SimEngine *engine);

/* sim_thread_state_to_string:
 * Returns (transfer none) "ready", "running", "sleeping", "parked", "waiting" or
 * "suspended". */
const char *sim_thread_state_to_string(SimThreadState state);

G_END_DECLS
