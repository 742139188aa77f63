/* sim-engine.h: the discrete-event engine: a clock and a run loop over SimQueue.
 *
 * The engine owns a clock (SimTime, starting at 0) and a queue of events keyed by
 * (time, seq). sim_engine_run pops events in that order, sets the clock to each
 * event's time and calls its handler; simultaneous events run in the order they
 * were scheduled, and an event a handler schedules for "now" runs after every
 * event already due now. A run stops at a time horizon, after an event budget,
 * when the queue is empty, or when a handler calls sim_engine_stop. The engine
 * also owns the simulated threads spawned on it (sim-thread.h). It knows nothing
 * of pages. Single-threaded: no function here may be called concurrently. */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "sim/engine/sim-queue.h"
#include "sim/engine/sim-time.h"

G_BEGIN_DECLS

/* Why sim_engine_run returned. */
typedef enum {
    SIM_STOP_EMPTY,     /* No event was pending. */
    SIM_STOP_HORIZON,   /* The next event is after the horizon; now == horizon. */
    SIM_STOP_BUDGET,    /* max_events events ran in this call. */
    SIM_STOP_REQUESTED, /* A handler called sim_engine_stop. */
    SIM_STOP_REASON_COUNT
} SimStopReason;

/* "No limit on the number of events" for sim_engine_run. */
#define SIM_BUDGET_UNLIMITED UINT64_MAX

/* sim_engine_new:
 * Returns (transfer full) an engine with now == 0, no events and no threads. */
SimEngine *sim_engine_new(void);

/* sim_engine_free:
 * Finalizes every pending event's payload (unspecified order), then runs the
 * destroy notify of every live thread (in id order, after detaching it from any
 * SimWaitQueue it waits in: those must still be alive) and frees
 * it. Finalizers must not call into the engine. Accepts NULL.
 * Context: not from inside a handler. */
void sim_engine_free(SimEngine *engine);

/* sim_engine_schedule:
 * Schedules @fn(@engine, @data) at absolute time @time (>= now and not
 * SIM_TIME_INVALID; anything else is a programming error). Takes ownership of
 * @data: @finalize (nullable) is called exactly once, (a) right after @fn returns
 * when the event runs, (b) inside sim_engine_cancel, (c) in sim_engine_free if
 * still pending, or (d) at once if the call is refused as a programming error.
 * Returns the event's handle.
 * Returns SIM_HANDLE_NONE if refused.
 * Complexity: O(1) amortized. */
SimHandle sim_engine_schedule(SimEngine *engine, SimTime time, SimEventFn fn, gpointer data,
                              GDestroyNotify finalize);

/* sim_engine_schedule_in:
 * As sim_engine_schedule at now + @delay (@delay may be 0: after all due events).
 * Returns the handle, or SIM_HANDLE_NONE if refused (time overflow). */
SimHandle sim_engine_schedule_in(SimEngine *engine, SimTime delay, SimEventFn fn, gpointer data,
                                 GDestroyNotify finalize);

/* sim_engine_cancel:
 * Cancels the pending event @handle and calls its finalizer before returning.
 * Returns TRUE if the event was pending and is now cancelled.
 * Returns FALSE if it already ran (or is running), was already cancelled, or
 * @handle is SIM_HANDLE_NONE. Never confuses a stale handle with a later event.
 * Complexity: O(log n). */
gboolean sim_engine_cancel(SimEngine *engine, SimHandle handle);

/* sim_engine_is_pending:
 * Returns TRUE if @handle names an event that has neither run nor been cancelled.
 * O(log n). */
gboolean sim_engine_is_pending(const SimEngine *engine, SimHandle handle);

/* sim_engine_run:
 * Runs events in (time, seq) order until one of:
 * - @max_events events have run in this call (SIM_BUDGET_UNLIMITED for no limit);
 * - the next event is strictly after @horizon (SIM_TIME_INVALID for none): events
 *   exactly at @horizon run; the first later one stays queued and now is set to
 *   @horizon, so nothing can later be scheduled before it;
 * - no event is pending (now stays at the last event's time);
 * - a handler called sim_engine_stop.
 * The checks are made before each event in the order stop request, budget, empty,
 * horizon. @horizon must be >= now.
 * Returns the reason the run stopped.
 * Context: not re-entrant (not from inside a handler). */
SimStopReason sim_engine_run(SimEngine *engine, SimTime horizon, uint64_t max_events);

/* sim_engine_stop:
 * Makes the current sim_engine_run return SIM_STOP_REQUESTED once the running
 * handler returns. Outside a run, makes the next run return at once. */
void sim_engine_stop(SimEngine *engine);

/* sim_engine_now:
 * Returns the current simulated time. @engine must not be NULL (unchecked:
 * it is read on every event). */
SimTime sim_engine_now(const SimEngine *engine);

/* sim_engine_get_events_executed:
 * Returns the number of events run since the engine was created. */
uint64_t sim_engine_get_events_executed(const SimEngine *engine);

/* sim_engine_get_pending:
 * Returns the number of pending (not cancelled) events. */
gsize sim_engine_get_pending(const SimEngine *engine);

/* sim_engine_next_time:
 * Returns the time of the next pending event, or SIM_TIME_INVALID if none. */
SimTime sim_engine_next_time(const SimEngine *engine);

/* sim_stop_reason_to_string:
 * Returns (transfer none) "empty", "horizon", "budget" or "requested". */
const char *sim_stop_reason_to_string(SimStopReason reason);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimEngine, sim_engine_free)

G_END_DECLS
