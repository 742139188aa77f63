/* sim-engine.c: the clock and the run loop.
 *
 * Invariants:
 * 1. now never decreases, and now >= sim_queue_get_floor(queue), so anything
 *    scheduled at or after now is accepted by the queue.
 * 2. Every event runs with now equal to its time, in (time, seq) order; its
 *    payload is finalized right after its handler returns.
 * 3. running is TRUE exactly while sim_engine_run is on the stack (no nesting).
 * 4. executed counts every handler call since creation. */
#include "sim/engine/sim-thread-run-private.h"

SimEngine *sim_engine_new(void) {
    SimEngine *e = g_new0(SimEngine, 1);
    e->queue = sim_queue_new();
    e->threads = g_ptr_array_new();
    /* thread resumptions are pushed by id (sim__thread_queue): interned first */
    uint32_t run_id = sim__handler_table_lookup(&e->queue->handlers, sim__thread_run, NULL);
    g_assert(run_id == SIM__RUN_ID);
    return e;
}

void sim_engine_free(SimEngine *engine) {
    if (engine == NULL)
        return;
    g_return_if_fail(!engine->running);
    g_clear_pointer(&engine->queue, sim_queue_free);
    if (engine->threads != NULL)
        sim__thread_free_all(engine);
    g_clear_pointer(&engine->threads, g_ptr_array_unref);
    g_clear_pointer(&engine->slabs, g_ptr_array_unref);
    g_clear_pointer(&engine->kinds, g_free);
    g_clear_pointer(&engine->kind_chain, g_hash_table_unref);
    g_clear_pointer(&engine->interrupts, g_hash_table_unref);
    g_free(engine);
}

/* The refused schedule: finalizes @data and reports the programming error;
 * past the engine's own checks, the queue's (its limits) are made again by
 * sim_queue_push, which refuses in the same way. */
static G_GNUC_NO_INLINE SimHandle schedule_refused(SimEngine *engine, SimTime time, SimEventFn fn,
                                                   gpointer data, GDestroyNotify finalize) {
    if (engine != NULL && fn != NULL && time >= engine->now && time != SIM_TIME_INVALID)
        return sim_queue_push(engine->queue, time, fn, data, finalize);
    if (finalize != NULL)
        finalize(data);
    g_return_val_if_fail(engine != NULL, SIM_HANDLE_NONE);
    g_return_val_if_fail(fn != NULL, SIM_HANDLE_NONE);
    g_return_val_if_fail(time >= engine->now, SIM_HANDLE_NONE);
    g_return_val_if_fail(time != SIM_TIME_INVALID, SIM_HANDLE_NONE);
    return SIM_HANDLE_NONE;
}

/* Why: now >= the queue's floor (invariant 1), so the queue's own check of the
 * time is implied, and the push is inlined (sim-queue-private.h). */
SimHandle sim_engine_schedule(SimEngine *engine, SimTime time, SimEventFn fn, gpointer data,
                              GDestroyNotify finalize) {
    if (G_LIKELY(engine != NULL && fn != NULL && time >= engine->now && time != SIM_TIME_INVALID)) {
        SimQueue *q = engine->queue;
        uint32_t id = sim__handler_table_intern(&q->handlers, fn, finalize);
        if (G_LIKELY(id != SIM__HANDLER_TABLE_FULL && q->seq < SIM__QUEUE_MAX_SEQ))
            return sim__queue_push_handle(q, time, id, data);
    }
    return schedule_refused(engine, time, fn, data, finalize);
}

/* The schedule_in that its fast path leaves: a delay past the last time or a
 * NULL engine (reported here), else sim_engine_schedule (the pair's lookup,
 * the queue's limits). */
static G_GNUC_NO_INLINE SimHandle schedule_in_slow(SimEngine *engine, SimTime delay, SimEventFn fn,
                                                   gpointer data, GDestroyNotify finalize) {
    if (G_UNLIKELY(engine == NULL || delay >= SIM_TIME_INVALID - engine->now)) {
        if (finalize != NULL)
            finalize(data);
        g_return_val_if_fail(engine != NULL, SIM_HANDLE_NONE);
        g_return_val_if_fail(delay < SIM_TIME_INVALID - engine->now, SIM_HANDLE_NONE);
    }
    return sim_engine_schedule(engine, engine->now + delay, fn, data, finalize);
}

/* Why the push is repeated here rather than a call of sim_engine_schedule: an
 * open workload schedules every arrival this way, and the second call's
 * checks and frame were a third of its cost. Why only the last pair is taken
 * here (anything else goes to schedule_in_slow): with no call but the one it
 * ends in, it needs no frame. */
SimHandle sim_engine_schedule_in(SimEngine *engine, SimTime delay, SimEventFn fn, gpointer data,
                                 GDestroyNotify finalize) {
    if (G_LIKELY(engine != NULL && fn != NULL && delay < SIM_TIME_INVALID - engine->now)) {
        SimQueue *q = engine->queue;
        const SimHandlerTable *t = &q->handlers;
        if (G_LIKELY(t->last_pair.fn == fn && t->last_pair.destroy == finalize &&
                     q->seq < SIM__QUEUE_MAX_SEQ))
            return sim__queue_push_handle(q, engine->now + delay, t->last, data);
    }
    return schedule_in_slow(engine, delay, fn, data, finalize);
}

gboolean sim_engine_cancel(SimEngine *engine, SimHandle handle) {
    g_return_val_if_fail(engine != NULL, FALSE);
    return sim_queue_cancel(engine->queue, handle);
}

gboolean sim_engine_is_pending(const SimEngine *engine, SimHandle handle) {
    g_return_val_if_fail(engine != NULL, FALSE);
    return sim_queue_is_pending(engine->queue, handle);
}

/* Runs the event @en: a thread's resumption directly (most events), any
 * other through its handler pair, whose payload is finalized after it. */
static inline void run_entry(SimEngine *e, const SimQueueEntry *en) {
    uint32_t id = (uint32_t)(en->tag & SIM__QUEUE_ID_MASK);
    if (id == SIM__RUN_ID) {
        sim__thread_run_inline(e, en->data);
        return;
    }
    const SimHandler *h = &e->queue->handlers.pairs[id];
    GDestroyNotify finalize = h->destroy; /* copied: a handler may grow pairs */
    h->fn(e, en->data);
    if (finalize != NULL)
        finalize(en->data);
}

/* How a run ends when the queue has no event up to the horizon: empty, or
 * the clock moves to the horizon, because the queue may have raised its floor
 * up to it while looking. A queue that held only tombstones may have raised
 * its floor past now while dropping them (invariant 1): being empty, it is
 * set back to now. */
static G_GNUC_NO_INLINE SimStopReason run_ended(SimEngine *e, SimTime horizon) {
    SimQueue *q = e->queue;
    if (q->live == 0) {
        if (q->last > e->now)
            sim__queue_reset_empty(q, e->now);
        return SIM_STOP_EMPTY;
    }
    e->now = horizon;
    return SIM_STOP_HORIZON;
}

/* Why one test per event for the budget and the stop request: the loop runs
 * until executed reaches stop_at, which sim_engine_stop sets to 0 after
 * raising its flag, so that the flag is read only once the loop stops. It is
 * checked before the first event and after each one, which is the same as
 * before each; stop_at is set before that first check, so a stop request
 * from a signal handler is never lost. The queue's take has the horizon as
 * a limit, so an event after the horizon is never taken out. */
static SimStopReason run_loop(SimEngine *e, SimTime horizon, uint64_t max_events) {
    SimQueue *q = e->queue;
    e->stop_at = max_events < UINT64_MAX - e->executed ? e->executed + max_events : UINT64_MAX;
    if (e->stop_requested) {
        e->stop_requested = FALSE;
        return SIM_STOP_REQUESTED;
    }
    for (;;) {
        if (G_UNLIKELY(e->executed >= e->stop_at)) {
            if (!e->stop_requested)
                return SIM_STOP_BUDGET;
            e->stop_requested = FALSE;
            return SIM_STOP_REQUESTED;
        }
        SimQueueEntry en;
        if (G_UNLIKELY(!sim__queue_take(q, horizon, TRUE, &en)))
            return run_ended(e, horizon);
        e->now = en.key;
        e->executed++;
        run_entry(e, &en);
    }
}

SimStopReason sim_engine_run(SimEngine *engine, SimTime horizon, uint64_t max_events) {
    g_return_val_if_fail(engine != NULL, SIM_STOP_EMPTY);
    g_return_val_if_fail(!engine->running, SIM_STOP_REQUESTED);
    g_return_val_if_fail(horizon >= engine->now, SIM_STOP_HORIZON);
    engine->running = TRUE;
    SimStopReason reason = run_loop(engine, horizon, max_events);
    engine->running = FALSE;
    g_debug("run stopped (%s) at %" G_GUINT64_FORMAT " ns after %" G_GUINT64_FORMAT " events",
            sim_stop_reason_to_string(reason), engine->now, engine->executed);
    return reason;
}

void sim_engine_stop(SimEngine *engine) {
    g_return_if_fail(engine != NULL);
    engine->stop_requested = TRUE;
    engine->stop_at = 0; /* the run loop's one test (run_loop) */
}

/* Why no NULL check: the model reads the clock several times per event (the
 * check cost 31 instructions per fault on the disjoint scan); a NULL engine
 * is a programming error that crashes here at once. */
SimTime sim_engine_now(const SimEngine *engine) { return engine->now; }

uint64_t sim_engine_get_events_executed(const SimEngine *engine) {
    g_return_val_if_fail(engine != NULL, 0);
    return engine->executed;
}

gsize sim_engine_get_pending(const SimEngine *engine) {
    g_return_val_if_fail(engine != NULL, 0);
    return sim_queue_get_len(engine->queue);
}

SimTime sim_engine_next_time(const SimEngine *engine) {
    g_return_val_if_fail(engine != NULL, SIM_TIME_INVALID);
    return sim_queue_peek_time(engine->queue);
}

const char *sim_stop_reason_to_string(SimStopReason reason) {
    static const char *const names[SIM_STOP_REASON_COUNT] = {
        [SIM_STOP_EMPTY] = "empty",
        [SIM_STOP_HORIZON] = "horizon",
        [SIM_STOP_BUDGET] = "budget",
        [SIM_STOP_REQUESTED] = "requested",
    };
    g_return_val_if_fail(reason < SIM_STOP_REASON_COUNT, "invalid");
    return names[reason];
}
