/* The threads of an open workload's arrivals (mdl-workload.c): in a plain run
 * (the fast path) a thread whose access ended parks idle for the next arrival
 * instead of exiting, so a run spawns only as many engine threads as were ever
 * in flight at once; a run off the fast path (--check) spawns one per arrival,
 * each exiting. Both runs count the same accesses, waits and wait time.
 *
 * The scenario, worked by hand: arrivals every 30 us from t=0 (10 of them),
 * each faulting its own page; one pager worker serving each request in 100 us,
 * in arrival order. Fault i (from 0) is supplied at 100 (i + 1) us, so it
 * waits 100 (i + 1) - 30 i = 100 + 70 i us: 10 waits, 4,150 us in all. Before
 * arrival i (at 30 i us), floor(30 i / 100) faults have ended: the most in
 * flight at once is 8, right after the last arrival at 270 us (10 - 2).
 * Also the word MdlThread.done shares (mdl-thread.h). */
#include "sim/model/mdl-private.h"

#include <string.h>

static const char *scenario =
    "{\"name\": \"arrivals\", \"seed\": 1,"
    " \"providers\": [{\"name\": \"p\", \"kind\": \"pager\", \"workers\": 1,"
    "                  \"latency\": \"100us\"}],"
    " \"vmos\": [{\"name\": \"f\", \"size\": \"1MiB\", \"provider\": \"p\"}],"
    " \"workloads\": [{\"name\": \"a\", \"kind\": \"open\", \"vmo\": \"f\", \"access\": \"fault\","
    "                  \"pattern\": {\"kind\": \"sequential\"},"
    "                  \"arrival\": {\"process\": \"interval\", \"every\": \"30us\"},"
    "                  \"count\": 10}]}";

/* Runs the scenario (the fast path unless @check) and checks its figures;
 * returns the arrivals' engine threads alive at the end (the idle ones: the
 * one other thread alive is the pager's worker). */
static guint run(gboolean check) {
    g_autoptr(GError) error = NULL;
    ScnScenario *sc = scn_scenario_load_data(scenario, strlen(scenario), "test.json", NULL, &error);
    g_assert_no_error(error);
    MdlOptions opt = {.check = check};
    MdlWorld *w = mdl_world_new(sc, &opt, &error);
    g_assert_no_error(error);
    g_assert_true(w->fast == !check);
    g_assert_true(mdl_world_run(w));
    const MdlStats *s = mdl_world_get_stats(w);
    g_assert_cmpuint(s->workloads[0].finished, ==, 10);
    g_assert_cmpuint(s->waits, ==, 10);
    g_assert_cmpuint(s->wait_ns, ==, 4150000);
    g_assert_cmpuint(s->requests_sent, ==, 10);
    g_assert_cmpuint(w->arrivals[0].in_flight, ==, 0);
    g_assert_cmpuint(mdl_world_get_now(w), ==, 1000000);
    guint live = sim_thread_get_live_count(w->engine) - 1;
    /* every idle thread is on the spare stack, none twice */
    g_assert_cmpuint(w->n_spare, >=, live);
    for (guint i = 0; i < w->n_spare; i++)
        for (guint j = 0; j < i; j++)
            g_assert_true(w->spare[i] != w->spare[j]);
    mdl_world_free(w);
    scn_scenario_free(sc);
    return live;
}

static void test_fast_reuses(void) { g_assert_cmpuint(run(FALSE), ==, 8); }

static void test_general_exits(void) { g_assert_cmpuint(run(TRUE), ==, 0); }

/* A reused thread's state word (arrival_thread writes it whole): fault 0
 * ends at 100 us and its thread parks idle, alone on the spare stack; its
 * done count and tl_waiting are then made stale by hand (an owned thread
 * keeps done 0 unless killed), so that arrival 4, at 120 us, takes it back
 * and must clear them: done 0, tl_waiting FALSE, still workload 0's and
 * owned, and its access begun (page 4 is not supplied until 500 us: blocked
 * in Wait, its timeout armed by the Wait). The rest of the run gives the
 * same figures as run(). */
static void test_reuse_state(void) {
    g_autoptr(GError) error = NULL;
    ScnScenario *sc = scn_scenario_load_data(scenario, strlen(scenario), "test.json", NULL, &error);
    g_assert_no_error(error);
    MdlOptions opt = {0};
    MdlWorld *w = mdl_world_new(sc, &opt, &error);
    g_assert_no_error(error);
    g_assert_true(w->fast);
    g_assert_true(mdl_world_run_until(w, 100000));
    g_assert_cmpuint(w->n_spare, ==, 1);
    MdlThread *t = w->spare[0];
    g_assert_cmpuint(t->phase, ==, MDL_PH_IDLE);
    t->done = 5;
    t->tl_waiting = TRUE;
    g_assert_true(mdl_world_run_until(w, 119999));
    g_assert_cmpuint(w->n_spare, ==, 1);
    g_assert_true(mdl_world_run_until(w, 120000));
    g_assert_cmpuint(w->n_spare, ==, 0);
    g_assert_cmpuint(t->done, ==, 0);
    g_assert_false(t->tl_waiting);
    g_assert_true(t->timeout_armed);
    g_assert_cmpuint(t->wl_index, ==, 0);
    g_assert_true(t->owned_by_sim);
    g_assert_cmpuint(t->phase, ==, MDL_PH_WAIT);
    g_assert_null(t->name);
    g_assert_false(mdl_world_run_until(w, UINT64_MAX));
    const MdlStats *s = mdl_world_get_stats(w);
    g_assert_cmpuint(s->workloads[0].finished, ==, 10);
    g_assert_cmpuint(s->wait_ns, ==, 4150000);
    mdl_world_free(w);
    scn_scenario_free(sc);
}

/* MdlThread.done_word++ counts an access: done is the word's low bits, and
 * the fields beside it keep their values. */
static void test_done_word(void) {
    MdlThread t = {0};
    t.done = 41;
    t.wl_index = 0xbeef;
    t.tl_waiting = TRUE;
    t.phase = MDL_PH_WAIT;
    t.done_word++;
    g_assert_cmpuint(t.done, ==, 42);
    g_assert_cmpuint(t.wl_index, ==, 0xbeef);
    g_assert_false(t.owned_by_sim);
    g_assert_true(t.tl_waiting);
    g_assert_false(t.timeout_armed);
    g_assert_cmpuint(t.phase, ==, MDL_PH_WAIT);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/mdl/arrivals/fast-reuses-idle-threads", test_fast_reuses);
    g_test_add_func("/mdl/arrivals/general-path-exits", test_general_exits);
    g_test_add_func("/mdl/arrivals/reuse-state", test_reuse_state);
    g_test_add_func("/mdl/thread/done-word", test_done_word);
    return g_test_run();
}
