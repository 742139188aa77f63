/* test-sim-engine.c: the clock, scheduling, cancellation and stop conditions. */
#include <glib.h>

#include "sim/engine/sim-engine.h"

/* A log of which events ran, and when. */
typedef struct {
    GArray *ids;      /* guint id of each event run, in order. */
    GArray *times;    /* SimTime at which each ran. */
    SimHandle victim; /* An event a handler may cancel. */
    guint finalized;  /* Finalizer calls. */
    gboolean in_fn;   /* TRUE while a handler runs. */
} Log;

typedef struct {
    Log *log; /* Shared log. */
    guint id; /* This event's id. */
} Ev;

static void log_init(Log *log) {
    *log = (Log){.ids = g_array_new(FALSE, FALSE, sizeof(guint)),
                 .times = g_array_new(FALSE, FALSE, sizeof(SimTime))};
}

static void log_clear(Log *log) {
    g_array_unref(log->ids);
    g_array_unref(log->times);
}

static void record(SimEngine *engine, gpointer data) {
    Ev *ev = data;
    SimTime now = sim_engine_now(engine);
    g_array_append_val(ev->log->ids, ev->id);
    g_array_append_val(ev->log->times, now);
}

static void ev_finalize(gpointer data) {
    Ev *ev = data;
    g_assert_false(ev->log->in_fn);
    ev->log->finalized++;
    g_free(ev);
}

static SimHandle at(SimEngine *e, Log *log, SimTime t, guint id, SimEventFn fn) {
    Ev *ev = g_new(Ev, 1);
    *ev = (Ev){log, id};
    return sim_engine_schedule(e, t, fn, ev, ev_finalize);
}

static guint id_at(const Log *log, guint i) { return g_array_index(log->ids, guint, i); }

/* Events at equal times run in scheduling order. */
static void test_tie_order(void) {
    g_autoptr(SimEngine) e = sim_engine_new();
    Log log;
    log_init(&log);
    for (guint i = 0; i < 50; i++)
        at(e, &log, i % 2 == 0 ? 10 : 5, i, record);
    g_assert_cmpint(sim_engine_run(e, SIM_TIME_INVALID, SIM_BUDGET_UNLIMITED), ==, SIM_STOP_EMPTY);
    g_assert_cmpuint(log.ids->len, ==, 50);
    for (guint i = 0; i < 25; i++) {
        g_assert_cmpuint(id_at(&log, i), ==, 2 * i + 1);
        g_assert_cmpuint(id_at(&log, 25 + i), ==, 2 * i);
    }
    g_assert_cmpuint(log.finalized, ==, 50);
    log_clear(&log);
}

/* Event 0 schedules event 100 "now"; it must run after events 1..3, already due. */
static void reschedule_now(SimEngine *engine, gpointer data) {
    Ev *ev = data;
    record(engine, data);
    if (ev->id == 0)
        at(engine, ev->log, sim_engine_now(engine), 100, record);
}

static void test_same_time_reschedule(void) {
    g_autoptr(SimEngine) e = sim_engine_new();
    Log log;
    log_init(&log);
    for (guint i = 0; i < 4; i++)
        at(e, &log, 40, i, reschedule_now);
    at(e, &log, 41, 200, record);
    sim_engine_run(e, SIM_TIME_INVALID, SIM_BUDGET_UNLIMITED);
    static const guint want[] = {0, 1, 2, 3, 100, 200};
    g_assert_cmpuint(log.ids->len, ==, G_N_ELEMENTS(want));
    for (guint i = 0; i < G_N_ELEMENTS(want); i++)
        g_assert_cmpuint(id_at(&log, i), ==, want[i]);
    g_assert_cmpuint(g_array_index(log.times, SimTime, 4), ==, 40);
    log_clear(&log);
}

/* Cancels the victim, then tries to cancel itself (already running: FALSE). */
static SimHandle self_handle;

static void cancel_victim(SimEngine *engine, gpointer data) {
    Ev *ev = data;
    record(engine, data);
    ev->log->in_fn = TRUE;
    g_assert_false(sim_engine_cancel(engine, self_handle));
    ev->log->in_fn = FALSE;
    g_assert_true(sim_engine_cancel(engine, ev->log->victim));
    g_assert_false(sim_engine_cancel(engine, ev->log->victim));
}

/* Cancel finalizes at once; cancelling run, cancelled or running events fails. */
static void test_cancel(void) {
    g_autoptr(SimEngine) e = sim_engine_new();
    Log log;
    log_init(&log);
    SimHandle a = at(e, &log, 10, 1, record);
    SimHandle b = at(e, &log, 20, 2, record);
    self_handle = at(e, &log, 30, 3, cancel_victim);
    log.victim = at(e, &log, 40, 4, record);
    g_assert_true(sim_engine_cancel(e, b));
    g_assert_cmpuint(log.finalized, ==, 1);
    g_assert_false(sim_engine_cancel(e, b));
    g_assert_false(sim_engine_cancel(e, SIM_HANDLE_NONE));
    g_assert_cmpint(sim_engine_run(e, SIM_TIME_INVALID, SIM_BUDGET_UNLIMITED), ==, SIM_STOP_EMPTY);
    g_assert_false(sim_engine_cancel(e, a));
    g_assert_false(sim_engine_is_pending(e, a));
    g_assert_cmpuint(log.ids->len, ==, 2);
    g_assert_cmpuint(id_at(&log, 0), ==, 1);
    g_assert_cmpuint(id_at(&log, 1), ==, 3);
    g_assert_cmpuint(log.finalized, ==, 4);
    g_assert_cmpuint(sim_engine_get_events_executed(e), ==, 2);
    log_clear(&log);
}

/* Events exactly at the horizon run; the first one after it stays queued. */
static void test_horizon(void) {
    g_autoptr(SimEngine) e = sim_engine_new();
    Log log;
    log_init(&log);
    at(e, &log, 10, 1, record);
    at(e, &log, 20, 2, record);
    at(e, &log, 20, 3, record);
    at(e, &log, 21, 4, record);
    g_assert_cmpint(sim_engine_run(e, 20, SIM_BUDGET_UNLIMITED), ==, SIM_STOP_HORIZON);
    g_assert_cmpuint(log.ids->len, ==, 3);
    g_assert_cmpuint(sim_engine_now(e), ==, 20);
    g_assert_cmpuint(sim_engine_get_pending(e), ==, 1);
    g_assert_cmpuint(sim_engine_next_time(e), ==, 21);
    /* A horizon before the next event moves the clock without running it. */
    g_assert_cmpint(sim_engine_run(e, 20, SIM_BUDGET_UNLIMITED), ==, SIM_STOP_HORIZON);
    g_assert_cmpuint(log.ids->len, ==, 3);
    at(e, &log, 20, 5, record);
    g_assert_cmpint(sim_engine_run(e, SIM_TIME_INVALID, SIM_BUDGET_UNLIMITED), ==, SIM_STOP_EMPTY);
    g_assert_cmpuint(id_at(&log, 3), ==, 5);
    g_assert_cmpuint(id_at(&log, 4), ==, 4);
    g_assert_cmpuint(sim_engine_now(e), ==, 21);
    log_clear(&log);
}

static void test_horizon_far_event(void) {
    /* The next event is far beyond the horizon: it stays queued, now == horizon,
     * and events may then be scheduled between the horizon and it. */
    g_autoptr(SimEngine) e = sim_engine_new();
    Log log;
    log_init(&log);
    at(e, &log, 5 * SIM_SEC, 1, record);
    g_assert_cmpint(sim_engine_run(e, 3 * SIM_MSEC, SIM_BUDGET_UNLIMITED), ==, SIM_STOP_HORIZON);
    g_assert_cmpuint(sim_engine_now(e), ==, 3 * SIM_MSEC);
    at(e, &log, 3 * SIM_MSEC + 1, 2, record);
    sim_engine_run(e, SIM_TIME_INVALID, SIM_BUDGET_UNLIMITED);
    g_assert_cmpuint(id_at(&log, 0), ==, 2);
    g_assert_cmpuint(id_at(&log, 1), ==, 1);
    log_clear(&log);
}

/* The budget counts events run in one call; a budget of 0 runs nothing. */
static void test_budget(void) {
    g_autoptr(SimEngine) e = sim_engine_new();
    Log log;
    log_init(&log);
    for (guint i = 0; i < 10; i++)
        at(e, &log, i, i, record);
    g_assert_cmpint(sim_engine_run(e, SIM_TIME_INVALID, 4), ==, SIM_STOP_BUDGET);
    g_assert_cmpuint(sim_engine_get_events_executed(e), ==, 4);
    g_assert_cmpuint(sim_engine_now(e), ==, 3);
    g_assert_cmpint(sim_engine_run(e, SIM_TIME_INVALID, 0), ==, SIM_STOP_BUDGET);
    g_assert_cmpint(sim_engine_run(e, SIM_TIME_INVALID, 6), ==, SIM_STOP_BUDGET);
    g_assert_cmpuint(sim_engine_get_events_executed(e), ==, 10);
    g_assert_cmpint(sim_engine_run(e, SIM_TIME_INVALID, 6), ==, SIM_STOP_EMPTY);
    log_clear(&log);
}

/* An empty engine stops at once without moving the clock. */
static void test_empty(void) {
    g_autoptr(SimEngine) e = sim_engine_new();
    g_assert_cmpint(sim_engine_run(e, 100, SIM_BUDGET_UNLIMITED), ==, SIM_STOP_EMPTY);
    g_assert_cmpuint(sim_engine_now(e), ==, 0);
    g_assert_cmpuint(sim_engine_get_events_executed(e), ==, 0);
    g_assert_cmpuint(sim_engine_next_time(e), ==, SIM_TIME_INVALID);
    g_assert_cmpstr(sim_stop_reason_to_string(SIM_STOP_EMPTY), ==, "empty");
}

static void stop_now(SimEngine *engine, gpointer data) {
    record(engine, data);
    sim_engine_stop(engine);
}

/* sim_engine_stop ends the run after the current handler. */
static void test_stop(void) {
    g_autoptr(SimEngine) e = sim_engine_new();
    Log log;
    log_init(&log);
    at(e, &log, 1, 1, stop_now);
    at(e, &log, 2, 2, record);
    g_assert_cmpint(sim_engine_run(e, SIM_TIME_INVALID, SIM_BUDGET_UNLIMITED), ==,
                    SIM_STOP_REQUESTED);
    g_assert_cmpuint(log.ids->len, ==, 1);
    g_assert_cmpint(sim_engine_run(e, SIM_TIME_INVALID, SIM_BUDGET_UNLIMITED), ==, SIM_STOP_EMPTY);
    g_assert_cmpuint(log.ids->len, ==, 2);
    log_clear(&log);
}

/* A stop requested by the budget's last event wins over the budget. */
static void test_stop_at_budget(void) {
    g_autoptr(SimEngine) e = sim_engine_new();
    Log log;
    log_init(&log);
    at(e, &log, 1, 1, stop_now);
    at(e, &log, 2, 2, record);
    g_assert_cmpint(sim_engine_run(e, SIM_TIME_INVALID, 1), ==, SIM_STOP_REQUESTED);
    g_assert_cmpint(sim_engine_run(e, SIM_TIME_INVALID, 0), ==, SIM_STOP_BUDGET);
    sim_engine_stop(e);
    g_assert_cmpint(sim_engine_run(e, SIM_TIME_INVALID, 5), ==, SIM_STOP_REQUESTED);
    g_assert_cmpuint(log.ids->len, ==, 1);
    g_assert_cmpint(sim_engine_run(e, SIM_TIME_INVALID, 5), ==, SIM_STOP_EMPTY);
    g_assert_cmpuint(log.ids->len, ==, 2);
    g_assert_cmpuint(sim_engine_get_events_executed(e), ==, 2);
    log_clear(&log);
}

/* A run over cancelled events only ends empty with the clock where it was,
 * and events may still be scheduled from there: at 5, below the cancelled
 * ones at 10 and 300, which the run dropped, and at 290, which then runs
 * after 5 (not before, as it would if the queue's floor stayed at 300). */
static void test_empty_after_cancelled(void) {
    g_autoptr(SimEngine) e = sim_engine_new();
    Log log;
    log_init(&log);
    at(e, &log, 1, 1, record);
    g_assert_true(sim_engine_cancel(e, at(e, &log, 10, 2, record)));
    g_assert_true(sim_engine_cancel(e, at(e, &log, 300, 3, record)));
    g_assert_cmpint(sim_engine_run(e, SIM_TIME_INVALID, SIM_BUDGET_UNLIMITED), ==, SIM_STOP_EMPTY);
    g_assert_cmpuint(sim_engine_now(e), ==, 1);
    SimHandle h = at(e, &log, 5, 4, record);
    g_assert_false(sim_handle_is_none(h));
    at(e, &log, 5, 5, record);
    at(e, &log, 290, 6, record); /* in a bucket before 5's, were the floor left at 300 */
    g_assert_cmpint(sim_engine_run(e, SIM_TIME_INVALID, SIM_BUDGET_UNLIMITED), ==, SIM_STOP_EMPTY);
    g_assert_cmpuint(log.ids->len, ==, 4);
    const guint ids[] = {1, 4, 5, 6};
    const SimTime times[] = {1, 5, 5, 290};
    for (guint i = 0; i < 4; i++) {
        g_assert_cmpuint(id_at(&log, i), ==, ids[i]);
        g_assert_cmpuint(g_array_index(log.times, SimTime, i), ==, times[i]);
    }
    g_assert_cmpuint(log.finalized, ==, 6);
    log_clear(&log);
}

/* Freeing the engine finalizes every pending payload exactly once. */
static void test_free_finalizes(void) {
    Log log;
    log_init(&log);
    SimEngine *e = sim_engine_new();
    at(e, &log, 1, 1, record);
    at(e, &log, 1000, 2, record);
    at(e, &log, 1 << 30, 3, record);
    sim_engine_run(e, 500, SIM_BUDGET_UNLIMITED);
    g_assert_cmpuint(log.finalized, ==, 1);
    sim_engine_free(e);
    g_assert_cmpuint(log.finalized, ==, 3);
    sim_engine_free(NULL);
    log_clear(&log);
}

/* Scheduling before now is refused with a critical, and the payload is finalized. */
static void test_schedule_in_past(void) {
    g_autoptr(SimEngine) e = sim_engine_new();
    Log log;
    log_init(&log);
    at(e, &log, 50, 1, record);
    sim_engine_run(e, SIM_TIME_INVALID, SIM_BUDGET_UNLIMITED);
    g_test_expect_message("pagesim-engine", G_LOG_LEVEL_CRITICAL, "*time >= engine->now*");
    SimHandle h = at(e, &log, 49, 2, record);
    g_test_assert_expected_messages();
    g_assert_true(sim_handle_is_none(h));
    g_assert_cmpuint(log.finalized, ==, 2);
    SimHandle in = sim_engine_schedule_in(e, 7, record, NULL, NULL);
    g_assert_cmpuint(in.time, ==, 57);
    log_clear(&log);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sim/engine/tie-order", test_tie_order);
    g_test_add_func("/sim/engine/same-time-reschedule", test_same_time_reschedule);
    g_test_add_func("/sim/engine/cancel", test_cancel);
    g_test_add_func("/sim/engine/horizon", test_horizon);
    g_test_add_func("/sim/engine/horizon-far-event", test_horizon_far_event);
    g_test_add_func("/sim/engine/budget", test_budget);
    g_test_add_func("/sim/engine/empty", test_empty);
    g_test_add_func("/sim/engine/stop", test_stop);
    g_test_add_func("/sim/engine/stop-at-budget", test_stop_at_budget);
    g_test_add_func("/sim/engine/empty-after-cancelled", test_empty_after_cancelled);
    g_test_add_func("/sim/engine/free-finalizes", test_free_finalizes);
    g_test_add_func("/sim/engine/schedule-in-past", test_schedule_in_past);
    return g_test_run();
}
