/* test-sim-thread.c: simulated threads, park and unpark, SimWaitQueue, kill, suspend. */
#include <glib.h>
#include <string.h>

#include "sim/engine/sim-rng.h"
#include "sim/engine/sim-thread.h"
#include "sim/engine/sim-wait.h"

#define KILLED    (-27)
#define SUSPENDED (-28)

/* A scripted thread: on its n-th run it records (time, status) and performs
 * steps[n]; past the end of the script it exits. */
typedef enum { DO_SLEEP, DO_PARK, DO_WAIT, DO_EXIT, DO_RETURN } Do;

typedef struct {
    Do what;     /* Step to request. */
    SimTime arg; /* Sleep duration. */
} Step;

typedef struct {
    const Step *steps;   /* Script. */
    guint n_steps;       /* Script length. */
    guint run;           /* Runs so far. */
    SimTime times[16];   /* Time of each run. */
    int32_t status[16];  /* Status of each run. */
    SimWaitQueue *queue; /* For DO_WAIT. */
    GArray *order;       /* Shared: ids of threads in the order they ran. */
    gboolean destroyed;  /* The destroy notify ran. */
} Script;

static void script_fn(SimThread *t, int32_t status, gpointer data) {
    Script *s = data;
    SimEngine *e = sim_thread_get_engine(t);
    g_assert_cmpuint(s->run, <, 16);
    s->times[s->run] = sim_engine_now(e);
    s->status[s->run] = status;
    if (s->order != NULL) {
        guint id = sim_thread_get_id(t);
        g_array_append_val(s->order, id);
    }
    Step step = s->run < s->n_steps ? s->steps[s->run] : (Step){DO_EXIT, 0};
    s->run++;
    switch (step.what) {
        case DO_SLEEP:
            sim_thread_sleep(t, step.arg);
            break;
        case DO_PARK:
            sim_thread_park(t);
            break;
        case DO_WAIT:
            sim_thread_wait_queue(t, s->queue);
            break;
        case DO_EXIT:
            sim_thread_exit(t);
            break;
        case DO_RETURN:
            break;
    }
}

static void script_destroy(gpointer data) { ((Script *)data)->destroyed = TRUE; }

static SimThread *spawn(SimEngine *e, Script *s) {
    return sim_thread_spawn(e, "worker", script_fn, s, script_destroy);
}

static void run_all(SimEngine *e) {
    g_assert_cmpint(sim_engine_run(e, SIM_TIME_INVALID, SIM_BUDGET_UNLIMITED), ==, SIM_STOP_EMPTY);
}

/* Runs @fn(@arg) as an engine event at @t. */
typedef struct {
    void (*fn)(gpointer arg, int32_t status); /* Action. */
    gpointer arg;                             /* Its target. */
    int32_t status;                           /* Its status. */
} Action;

static void action_event(SimEngine *engine, gpointer data) {
    Action *a = data;
    (void)engine;
    a->fn(a->arg, a->status);
}

static void at(SimEngine *e, SimTime t, void (*fn)(gpointer, int32_t), gpointer arg,
               int32_t status) {
    Action *a = g_new(Action, 1);
    *a = (Action){fn, arg, status};
    sim_engine_schedule(e, t, action_event, a, g_free);
}

/* Unparks @thread, recording what sim_thread_unpark reported. */
typedef struct {
    SimThread *thread; /* Whom to unpark. */
    int32_t status;    /* With what. */
    int result;        /* -1 not yet, else the return value. */
} Unpark;

static void unpark_event(SimEngine *engine, gpointer data) {
    Unpark *u = data;
    (void)engine;
    u->result = sim_thread_unpark(u->thread, u->status);
}

static void unpark_at(SimEngine *e, SimTime t, Unpark *u) {
    u->result = -1;
    sim_engine_schedule(e, t, unpark_event, u, NULL);
}
static void do_kill(gpointer t, int32_t status) { sim_thread_kill(t, status); }
static void do_suspend(gpointer t, int32_t status) { sim_thread_suspend(t, status); }
static void do_resume(gpointer t, int32_t status) {
    (void)status;
    sim_thread_resume(t);
}

/* Threads start at now in spawn order, with ids 0, 1, 2 and shared-prefix names. */
static void test_spawn_order(void) {
    g_autoptr(SimEngine) e = sim_engine_new();
    g_autoptr(GArray) order = g_array_new(FALSE, FALSE, sizeof(guint));
    Script s[3] = {{.order = order}, {.order = order}, {.order = order}};
    SimThread *t1 = NULL;
    for (guint i = 0; i < 3; i++) {
        SimThread *t = spawn(e, &s[i]);
        g_assert_cmpuint(sim_thread_get_id(t), ==, i);
        if (i == 1)
            t1 = t;
    }
    g_autofree char *name = sim_thread_dup_name(t1);
    g_assert_cmpstr(name, ==, "worker-1");
    g_assert_true(sim_thread_lookup(e, 1) == t1);
    g_assert_cmpuint(sim_thread_get_live_count(e), ==, 3);
    run_all(e);
    for (guint i = 0; i < 3; i++) {
        g_assert_cmpuint(g_array_index(order, guint, i), ==, i);
        g_assert_true(s[i].destroyed);
    }
    g_assert_null(sim_thread_lookup(e, 1));
    g_assert_cmpuint(sim_thread_get_live_count(e), ==, 0);
}

/* Names and bodies of spawns in a row: two buffers with the same text share
 * one interned prefix, a buffer whose text changed before a spawn with another
 * body gets its new text, NULL is "thread", and a thread runs the body and
 * finalizer it was spawned with even when the name matches the spawn before. */
static void test_spawn_names(void) {
    g_autoptr(SimEngine) e = sim_engine_new();
    char one[8] = "pool", two[8] = "pool";
    Script s[5] = {{0}};
    SimThread *t[5];
    t[0] = sim_thread_spawn(e, one, script_fn, &s[0], script_destroy);
    t[1] = sim_thread_spawn(e, two, script_fn, &s[1], script_destroy);
    t[2] = sim_thread_spawn(e, NULL, script_fn, &s[2], script_destroy);
    strcpy(two, "tank");
    t[3] = sim_thread_spawn(e, two, script_fn, &s[3], NULL);
    t[4] = sim_thread_spawn(e, one, script_fn, &s[4], script_destroy);
    static const char *const want[] = {"pool-0", "pool-1", "thread-2", "tank-3", "pool-4"};
    for (guint i = 0; i < 5; i++) {
        g_autofree char *name = sim_thread_dup_name(t[i]);
        g_assert_cmpstr(name, ==, want[i]);
    }
    g_assert_true(sim_thread_get_name_prefix(t[0]) == g_intern_string("pool"));
    g_assert_true(sim_thread_get_name_prefix(t[1]) == sim_thread_get_name_prefix(t[4]));
    run_all(e);
    for (guint i = 0; i < 5; i++) {
        g_assert_cmpuint(s[i].run, ==, 1);
        g_assert_cmpint(s[i].destroyed, ==, i != 3); /* t[3] was given no finalizer */
    }
}

/* A thread spawned after others exited gets the next id and a fresh state
 * (its struct may be an exited one's), and names alternate correctly. */
static void test_spawn_after_exit(void) {
    static const Step steps[] = {{DO_SLEEP, 7}};
    g_autoptr(SimEngine) e = sim_engine_new();
    Script a = {0}, b = {.steps = steps, .n_steps = 1};
    SimThread *ta = spawn(e, &a);
    run_all(e); /* a exits on its first run */
    g_assert_true(a.destroyed);
    SimThread *tb = sim_thread_spawn(e, "other", script_fn, &b, script_destroy);
    SimThread *tc = spawn(e, &(Script){0});
    g_assert_cmpuint(sim_thread_get_id(tb), ==, 1);
    g_assert_cmpuint(sim_thread_get_id(tc), ==, 2);
    g_assert_cmpint(sim_thread_get_state(tb), ==, SIM_THREAD_READY);
    g_autofree char *nb = sim_thread_dup_name(tb);
    g_autofree char *nc = sim_thread_dup_name(tc);
    g_assert_cmpstr(nb, ==, "other-1");
    g_assert_cmpstr(nc, ==, "worker-2");
    g_assert_true(sim_thread_get_name_prefix(tc) == g_intern_string("worker"));
    g_assert_null(sim_thread_lookup(e, 0));
    (void)ta;
    run_all(e);
    g_assert_cmpuint(b.run, ==, 2);
    g_assert_cmpuint(b.times[1], ==, 7);
}

/* Sleeps resume after exactly their duration, with status 0; a zero sleep yields. */
static void test_sleep(void) {
    static const Step steps[] = {{DO_SLEEP, 10}, {DO_SLEEP, 0}, {DO_SLEEP, 5}};
    g_autoptr(SimEngine) e = sim_engine_new();
    Script s = {.steps = steps, .n_steps = 3};
    spawn(e, &s);
    run_all(e);
    g_assert_cmpuint(s.run, ==, 4);
    g_assert_cmpuint(s.times[1], ==, 10);
    g_assert_cmpuint(s.times[2], ==, 10);
    g_assert_cmpuint(s.times[3], ==, 15);
    g_assert_cmpint(s.status[3], ==, 0);
}

/* A sleep that would end at or past SIM_TIME_INVALID is refused with a
 * critical when carried out: the thread exits at once (its destroy runs) and
 * the run ends at the time of the refusal. */
static void test_sleep_too_long(void) {
    static const Step steps[] = {{DO_SLEEP, 10}, {DO_SLEEP, SIM_TIME_INVALID - 10}};
    g_autoptr(SimEngine) e = sim_engine_new();
    Script s = {.steps = steps, .n_steps = 2};
    spawn(e, &s);
    g_test_expect_message("pagesim-engine", G_LOG_LEVEL_CRITICAL, "*ends beyond the last time*");
    run_all(e);
    g_test_assert_expected_messages();
    g_assert_cmpuint(s.run, ==, 2);
    g_assert_cmpuint(s.times[1], ==, 10);
    g_assert_true(s.destroyed);
    g_assert_cmpuint(sim_engine_now(e), ==, 10);
}

/* An unpark resumes the parked thread at its time with its status. */
static void test_park_unpark(void) {
    static const Step steps[] = {{DO_PARK, 0}};
    g_autoptr(SimEngine) e = sim_engine_new();
    Script s = {.steps = steps, .n_steps = 1};
    SimThread *t = spawn(e, &s);
    Unpark u = {t, 7, -1};
    unpark_at(e, 50, &u);
    g_assert_cmpint(sim_engine_run(e, 49, SIM_BUDGET_UNLIMITED), ==, SIM_STOP_HORIZON);
    g_assert_cmpint(sim_thread_get_state(t), ==, SIM_THREAD_PARKED);
    g_assert_cmpstr(sim_thread_state_to_string(sim_thread_get_state(t)), ==, "parked");
    run_all(e);
    g_assert_cmpint(u.result, ==, TRUE);
    g_assert_cmpuint(s.times[1], ==, 50);
    g_assert_cmpint(s.status[1], ==, 7);
}

/* An unpark of a thread that is not parked reports FALSE and leaves nothing
 * behind: the next park waits for the next unpark. */
static void test_unpark_not_parked(void) {
    static const Step steps[] = {{DO_SLEEP, 100}, {DO_PARK, 0}};
    g_autoptr(SimEngine) e = sim_engine_new();
    Script s = {.steps = steps, .n_steps = 2};
    SimThread *t = spawn(e, &s);
    Unpark early = {t, 5, -1}, late = {t, 8, -1};
    unpark_at(e, 20, &early);
    unpark_at(e, 300, &late);
    run_all(e);
    g_assert_cmpint(early.result, ==, FALSE);
    g_assert_cmpint(late.result, ==, TRUE);
    g_assert_cmpuint(s.run, ==, 3);
    g_assert_cmpuint(s.times[2], ==, 300);
    g_assert_cmpint(s.status[2], ==, 8);
}

/* Threads woken at the same time run in the order they were unparked. */
static void test_wake_order(void) {
    static const Step steps[] = {{DO_PARK, 0}};
    g_autoptr(SimEngine) e = sim_engine_new();
    g_autoptr(GArray) order = g_array_new(FALSE, FALSE, sizeof(guint));
    Unpark u[3];
    Script s[3];
    for (guint i = 0; i < 3; i++) {
        s[i] = (Script){.steps = steps, .n_steps = 1, .order = order};
        u[i] = (Unpark){spawn(e, &s[i]), 0, -1};
    }
    unpark_at(e, 10, &u[2]);
    unpark_at(e, 10, &u[0]);
    unpark_at(e, 10, &u[1]);
    run_all(e);
    static const guint want[] = {0, 1, 2, 2, 0, 1};
    for (guint i = 0; i < G_N_ELEMENTS(want); i++)
        g_assert_cmpuint(g_array_index(order, guint, i), ==, want[i]);
}

/* A kill wakes a parked thread at once; a step other than exit becomes exit. */
static void test_kill_blocked(void) {
    static const Step steps[] = {{DO_PARK, 0}, {DO_SLEEP, 1000}};
    g_autoptr(SimEngine) e = sim_engine_new();
    Script s = {.steps = steps, .n_steps = 2};
    SimThread *t = spawn(e, &s);
    at(e, 40, do_kill, t, KILLED);
    run_all(e);
    g_assert_cmpuint(s.run, ==, 2);
    g_assert_cmpuint(s.times[1], ==, 40);
    g_assert_cmpint(s.status[1], ==, KILLED);
    /* The sleep requested after the kill became an exit. */
    g_assert_true(s.destroyed);
    g_assert_cmpuint(sim_engine_now(e), ==, 40);
}

/* A kill during a sleep is latched: the sleep completes, the next park returns it. */
static void test_kill_latched(void) {
    static const Step steps[] = {{DO_SLEEP, 10}, {DO_PARK, 0}};
    g_autoptr(SimEngine) e = sim_engine_new();
    Script s = {.steps = steps, .n_steps = 2};
    SimThread *t = spawn(e, &s);
    at(e, 5, do_kill, t, KILLED);
    run_all(e);
    g_assert_cmpuint(s.run, ==, 3);
    g_assert_cmpuint(s.times[1], ==, 10);
    g_assert_cmpint(s.status[1], ==, 0); /* Sleep is not interrupted. */
    g_assert_cmpuint(s.times[2], ==, 10);
    g_assert_cmpint(s.status[2], ==, KILLED);
    g_assert_true(s.destroyed);
}

/* An unpark after a kill woke the parked thread (same instant) reports FALSE:
 * the kill got there first, and the thread resumes with the kill's status. */
static void test_unpark_after_interrupt(void) {
    static const Step steps[] = {{DO_PARK, 0}};
    g_autoptr(SimEngine) e = sim_engine_new();
    Script s = {.steps = steps, .n_steps = 1};
    SimThread *t = spawn(e, &s);
    Unpark u = {t, 4, -1};
    at(e, 10, do_kill, t, KILLED);
    unpark_at(e, 10, &u);
    run_all(e);
    g_assert_cmpint(u.result, ==, FALSE);
    g_assert_cmpuint(s.times[1], ==, 10);
    g_assert_cmpint(s.status[1], ==, KILLED);
    g_assert_true(s.destroyed);
}

/* A suspend wakes a parked thread; its next step is held until the resume. */
static void test_suspend_blocked_resume(void) {
    static const Step steps[] = {{DO_PARK, 0}, {DO_SLEEP, 10}, {DO_EXIT, 0}};
    g_autoptr(SimEngine) e = sim_engine_new();
    Script s = {.steps = steps, .n_steps = 3};
    SimThread *t = spawn(e, &s);
    at(e, 20, do_suspend, t, SUSPENDED);
    run_all(e); /* Nothing is pending while the thread is suspended. */
    g_assert_cmpuint(s.times[1], ==, 20);
    g_assert_cmpint(s.status[1], ==, SUSPENDED);
    g_assert_cmpint(sim_thread_get_state(t), ==, SIM_THREAD_SUSPENDED);
    g_assert_true(sim_thread_is_suspended(t));
    at(e, 100, do_resume, t, 0);
    run_all(e);
    g_assert_cmpuint(s.run, ==, 3);
    g_assert_cmpuint(s.times[2], ==, 110); /* The held sleep started at the resume. */
    g_assert_true(s.destroyed);
}

/* A suspend during a sleep is latched and delivered by the next park. */
static void test_suspend_latched(void) {
    static const Step steps[] = {{DO_SLEEP, 10}, {DO_PARK, 0}, {DO_SLEEP, 1}};
    g_autoptr(SimEngine) e = sim_engine_new();
    Script s = {.steps = steps, .n_steps = 3};
    SimThread *t = spawn(e, &s);
    at(e, 5, do_suspend, t, SUSPENDED);
    at(e, 50, do_resume, t, 0);
    run_all(e);
    g_assert_cmpint(s.status[1], ==, 0);
    g_assert_cmpuint(s.times[2], ==, 10);
    g_assert_cmpint(s.status[2], ==, SUSPENDED);
    g_assert_cmpuint(s.times[3], ==, 51);
}

/* A resume before delivery drops the suspend; a second resume does nothing. */
static void test_resume_cancels_latched_suspend(void) {
    static const Step steps[] = {{DO_SLEEP, 10}, {DO_PARK, 0}};
    g_autoptr(SimEngine) e = sim_engine_new();
    Script s = {.steps = steps, .n_steps = 2};
    SimThread *t = spawn(e, &s);
    at(e, 5, do_suspend, t, SUSPENDED);
    at(e, 6, do_resume, t, 0);
    at(e, 7, do_resume, t, 0); /* Not suspended: no effect. */
    Unpark u = {t, 3, -1};
    unpark_at(e, 30, &u);
    run_all(e);
    g_assert_cmpuint(s.times[2], ==, 30);
    g_assert_cmpint(s.status[2], ==, 3);
}

/* A kill wakes a suspended thread (dropping its held step), which then exits. */
static void test_kill_suspended(void) {
    static const Step steps[] = {{DO_PARK, 0}, {DO_SLEEP, 10}, {DO_SLEEP, 10}};
    g_autoptr(SimEngine) e = sim_engine_new();
    Script s = {.steps = steps, .n_steps = 3};
    SimThread *t = spawn(e, &s);
    at(e, 20, do_suspend, t, SUSPENDED);
    at(e, 40, do_kill, t, KILLED);
    run_all(e);
    g_assert_cmpuint(s.run, ==, 3);
    g_assert_cmpint(s.status[1], ==, SUSPENDED);
    g_assert_cmpuint(s.times[2], ==, 40);
    g_assert_cmpint(s.status[2], ==, KILLED);
    g_assert_true(s.destroyed);
}

/* Latched statuses are kept per thread (the engine's side table): three
 * threads latch a kill, a suspend, and a suspend replaced by a kill, each
 * with its own status, all while sleeping; each next park delivers its own.
 * A fourth latches a kill and then exits by itself at 7: the thread spawned
 * at 8 reuses its struct (the last freed is reused first) and must not
 * inherit the kill, so it parks until unparked with 9. */
static void test_latched_status_per_thread(void) {
    static const Step steps[] = {{DO_SLEEP, 10}, {DO_PARK, 0}, {DO_SLEEP, 1}};
    static const Step quits[] = {{DO_SLEEP, 7}, {DO_EXIT, 0}};
    static const Step parks[] = {{DO_PARK, 0}};
    g_autoptr(SimEngine) e = sim_engine_new();
    Script a = {.steps = steps, .n_steps = 3}, b = a, c = a;
    Script d = {.steps = quits, .n_steps = 2}, f = {.steps = parks, .n_steps = 1};
    SimThread *ta = spawn(e, &a), *tb = spawn(e, &b), *tc = spawn(e, &c), *td = spawn(e, &d);
    at(e, 2, do_kill, ta, 11);
    at(e, 3, do_suspend, tb, 22);
    at(e, 4, do_suspend, tc, 23);
    at(e, 5, do_kill, tc, 33); /* replaces the latched suspend */
    at(e, 6, do_kill, td, 44);
    at(e, 60, do_resume, tb, 0);
    g_assert_cmpint(sim_engine_run(e, 8, SIM_BUDGET_UNLIMITED), ==, SIM_STOP_HORIZON);
    g_assert_true(d.destroyed);
    SimThread *tf = spawn(e, &f);
    g_assert_true(tf == td);
    g_assert_false(sim_thread_is_killed(tf));
    Unpark u = {tf, 9, -1};
    unpark_at(e, 100, &u);
    run_all(e);
    g_assert_cmpint(a.status[2], ==, 11);
    g_assert_cmpint(b.status[2], ==, 22);
    g_assert_cmpint(c.status[2], ==, 33);
    g_assert_cmpuint(a.run, ==, 3); /* killed: the sleep after it became an exit */
    g_assert_cmpuint(b.run, ==, 4); /* suspended: its sleep ran after the resume */
    g_assert_cmpuint(b.times[3], ==, 61);
    g_assert_cmpuint(c.run, ==, 3);
    g_assert_cmpint(u.result, ==, TRUE);
    g_assert_cmpuint(f.run, ==, 2);
    g_assert_cmpuint(f.times[1], ==, 100);
    g_assert_cmpint(f.status[1], ==, 9);
}

/* Wait queues wake in FIFO order and report how many threads woke. */
static void test_wait_queue_fifo(void) {
    static const Step steps[] = {{DO_WAIT, 0}};
    g_autoptr(SimEngine) e = sim_engine_new();
    g_autoptr(GArray) order = g_array_new(FALSE, FALSE, sizeof(guint));
    SimWaitQueue q;
    sim_wait_queue_init(&q);
    Script s[5];
    for (guint i = 0; i < 5; i++) {
        s[i] = (Script){.steps = steps, .n_steps = 1, .queue = &q, .order = order};
        spawn(e, &s[i]);
    }
    sim_engine_run(e, SIM_TIME_INVALID, SIM_BUDGET_UNLIMITED);
    g_assert_cmpuint(sim_wait_queue_get_len(&q), ==, 5);
    g_array_set_size(order, 0);
    g_assert_cmpuint(sim_wait_queue_wake_one(&q, 1), ==, 1);
    g_assert_cmpuint(sim_wait_queue_wake_one(&q, 2), ==, 1);
    g_assert_cmpuint(sim_wait_queue_wake_all(&q, 3), ==, 3);
    g_assert_cmpuint(sim_wait_queue_wake_one(&q, 4), ==, 0);
    g_assert_cmpuint(sim_wait_queue_wake_all(&q, 4), ==, 0);
    run_all(e);
    for (guint i = 0; i < 5; i++) {
        g_assert_cmpuint(g_array_index(order, guint, i), ==, i);
        g_assert_cmpint(s[i].status[1], ==, i == 0 ? 1 : i == 1 ? 2 : 3);
    }
    sim_wait_queue_clear(&q);
}

/* Killing a waiting thread unlinks it from the middle of the queue. */
static void test_kill_in_wait_queue(void) {
    static const Step steps[] = {{DO_WAIT, 0}};
    g_autoptr(SimEngine) e = sim_engine_new();
    SimWaitQueue q;
    sim_wait_queue_init(&q);
    Script s[3];
    SimThread *t[3];
    for (guint i = 0; i < 3; i++) {
        s[i] = (Script){.steps = steps, .n_steps = 1, .queue = &q};
        t[i] = spawn(e, &s[i]);
    }
    at(e, 10, do_kill, t[1], KILLED);
    g_assert_cmpint(sim_engine_run(e, 10, SIM_BUDGET_UNLIMITED), ==, SIM_STOP_EMPTY);
    g_assert_cmpuint(sim_wait_queue_get_len(&q), ==, 2);
    g_assert_cmpint(s[1].status[1], ==, KILLED);
    g_assert_true(sim_thread_is_killed(t[0]) == FALSE);
    /* Killing a waiting thread between runs takes it out of the queue at once. */
    sim_thread_kill(t[0], KILLED);
    g_assert_cmpuint(sim_wait_queue_get_len(&q), ==, 1);
    g_assert_cmpuint(sim_wait_queue_wake_all(&q, 0), ==, 1);
    run_all(e);
    g_assert_cmpint(s[0].status[1], ==, KILLED);
    g_assert_cmpint(s[2].status[1], ==, 0);
}

/* Returning without requesting a step exits the thread. */
static void test_return_without_step_exits(void) {
    static const Step steps[] = {{DO_SLEEP, 3}, {DO_RETURN, 0}};
    g_autoptr(SimEngine) e = sim_engine_new();
    Script s = {.steps = steps, .n_steps = 2};
    spawn(e, &s);
    run_all(e);
    g_assert_cmpuint(s.run, ==, 2);
    g_assert_true(s.destroyed);
}

/* Freeing the engine detaches and destroys parked, waiting and unstarted threads. */
static void test_engine_free_detaches(void) {
    static const Step block[] = {{DO_PARK, 0}};
    static const Step wait[] = {{DO_WAIT, 0}};
    SimWaitQueue q;
    sim_wait_queue_init(&q);
    Script a = {.steps = block, .n_steps = 1};
    Script b = {.steps = wait, .n_steps = 1, .queue = &q};
    Script c = {.steps = block, .n_steps = 1};
    SimEngine *e = sim_engine_new();
    spawn(e, &a);
    spawn(e, &b);
    sim_engine_run(e, SIM_TIME_INVALID, SIM_BUDGET_UNLIMITED);
    spawn(e, &c); /* Never started. */
    sim_engine_free(e);
    g_assert_true(a.destroyed && b.destroyed && c.destroyed);
    g_assert_cmpuint(sim_wait_queue_get_len(&q), ==, 0);
    sim_wait_queue_clear(&q);
}

/* 100,000 threads, each looping three times: sleep a random time, schedule its
 * own unpark a random time later, park. */
typedef struct {
    SimThread *t;   /* The thread, unparked by a timer it sets. */
    SimRng *rng;    /* Shared stream. */
    guint loops;    /* Completed iterations. */
    guint *done;    /* Shared count of finished threads. */
    gboolean armed; /* The last run slept; block next. */
} Many;

static void many_signal(SimEngine *engine, gpointer data) {
    (void)engine;
    g_assert_true(sim_thread_unpark(data, (int32_t)1));
}

static void many_fn(SimThread *t, int32_t status, gpointer data) {
    Many *m = data;
    SimEngine *e = sim_thread_get_engine(t);
    if (m->armed) {
        sim_engine_schedule_in(e, sim_rng_range(m->rng, 1000), many_signal, t, NULL);
        sim_thread_park(t);
        m->armed = FALSE;
        return;
    }
    if (status == 1)
        m->loops++;
    if (m->loops == 3) {
        (*m->done)++;
        sim_thread_exit(t);
        return;
    }
    sim_thread_sleep(t, sim_rng_range(m->rng, 100000));
    m->armed = TRUE;
}

static void test_hundred_thousand(void) {
    enum { N = 100000 };
    g_autoptr(SimEngine) e = sim_engine_new();
    g_autoptr(SimRng) rng = sim_rng_new(11, "threads");
    g_autofree Many *m = g_new0(Many, N);
    guint done = 0;
    for (guint i = 0; i < N; i++) {
        m[i].rng = rng;
        m[i].done = &done;
        m[i].t = sim_thread_spawn(e, "many", many_fn, &m[i], NULL);
    }
    g_assert_cmpuint(sim_thread_get_live_count(e), ==, N);
    run_all(e);
    g_assert_cmpuint(done, ==, N);
    g_assert_cmpuint(sim_thread_get_live_count(e), ==, 0);
    for (guint i = 0; i < N; i++)
        g_assert_cmpuint(m[i].loops, ==, 3);
    /* Per thread: start, then 3 x (sleep end, signal timer, wake). */
    g_assert_cmpuint(sim_engine_get_events_executed(e), ==, (guint64)N * (1 + 3 * 3));
}

/* Removal from anywhere in a SimWaitQueue (links are thread places): 3,000
 * threads wait in one queue; random ones are killed
 * between runs, and after each round the survivors are woken in groups by
 * wake_one and must run in their arrival order, checked against a plain list
 * of the ids still waiting. */
static void test_wait_queue_random_removal(void) {
    enum { N = 3000 };
    static const Step steps[] = {{DO_WAIT, 0}, {DO_WAIT, 0}};
    g_autofree Script *s = g_new0(Script, N); /* outlives the engine (destroy notifies) */
    g_autofree SimThread **t = g_new0(SimThread *, N);
    g_autoptr(GArray) order = g_array_new(FALSE, FALSE, sizeof(guint));
    g_autoptr(SimEngine) e = sim_engine_new();
    g_autoptr(SimRng) rng = sim_rng_new(5, "wait-queue");
    g_autoptr(GArray) ref = g_array_new(FALSE, FALSE, sizeof(guint)); /* ids, FIFO */
    SimWaitQueue q;
    sim_wait_queue_init(&q);
    for (guint i = 0; i < N; i++) {
        s[i] = (Script){.steps = steps, .n_steps = 2, .queue = &q, .order = order};
        t[i] = spawn(e, &s[i]);
        g_assert_cmpuint(sim_thread_get_id(t[i]), ==, i);
        g_assert_true(sim_thread_get_engine(t[i]) == e);
    }
    run_all(e);
    g_array_set_size(order, 0);
    for (guint i = 0; i < N; i++)
        g_array_append_val(ref, i);
    while (ref->len > 0) {
        /* Kill about a tenth, anywhere (head, tail and middle included). */
        for (guint k = 0; k < ref->len / 10 + 1 && ref->len > 0; k++) {
            guint j = (guint)sim_rng_range(rng, ref->len);
            guint id = g_array_index(ref, guint, j);
            sim_thread_kill(t[id], KILLED);
            g_array_remove_index(ref, j);
            g_assert_cmpuint(sim_wait_queue_get_len(&q), ==, ref->len);
        }
        run_all(e); /* the killed ones run and exit */
        g_array_set_size(order, 0);
        guint wake = MIN(ref->len, 7u);
        for (guint k = 0; k < wake; k++)
            g_assert_cmpuint(sim_wait_queue_wake_one(&q, 0), ==, 1);
        run_all(e); /* woken ones wait again at the tail */
        g_assert_cmpuint(order->len, ==, wake);
        for (guint k = 0; k < wake; k++) {
            guint id = g_array_index(ref, guint, 0);
            g_assert_cmpuint(g_array_index(order, guint, k), ==, id);
            g_array_remove_index(ref, 0);
            if (s[id].run < 3)
                g_array_append_val(ref, id); /* waits again */
        }
        g_assert_cmpuint(sim_wait_queue_get_len(&q), ==, ref->len);
    }
    g_assert_cmpuint(sim_thread_get_live_count(e), ==, 0);
}

/* Threads of three slabs (65,535 threads each, a slab's first slot being
 * its header) wait in one SimWaitQueue, whose links are places (slab index
 * and slot): woken all at once, they run in the order they waited, which is
 * their spawn order, each with its own engine (from its slab's header) and
 * found by its id; then they exit. */
static void test_wait_queue_three_slabs(void) {
    enum { N = 2 * 65535 + 100 };
    static const Step steps[] = {{DO_WAIT, 0}};
    g_autofree Script *s = g_new0(Script, N); /* outlives the engine (destroy notifies) */
    g_autofree SimThread **t = g_new0(SimThread *, N);
    g_autoptr(GArray) order = g_array_new(FALSE, FALSE, sizeof(guint));
    g_autoptr(SimEngine) e = sim_engine_new();
    SimWaitQueue q;
    sim_wait_queue_init(&q);
    for (guint i = 0; i < N; i++) {
        s[i] = (Script){.steps = steps, .n_steps = 1, .queue = &q, .order = order};
        t[i] = spawn(e, &s[i]);
    }
    run_all(e);
    g_assert_cmpuint(sim_wait_queue_get_len(&q), ==, N);
    for (guint i = 0; i < N; i++) {
        g_assert_true(sim_thread_get_engine(t[i]) == e);
        g_assert_true(sim_thread_lookup(e, i) == t[i]);
        g_assert_cmpint(sim_thread_get_state(t[i]), ==, SIM_THREAD_WAITING);
    }
    g_array_set_size(order, 0);
    g_assert_cmpuint(sim_wait_queue_wake_all(&q, 9), ==, N);
    run_all(e);
    g_assert_cmpuint(order->len, ==, N);
    for (guint i = 0; i < N; i++) {
        g_assert_cmpuint(g_array_index(order, guint, i), ==, i);
        g_assert_cmpint(s[i].status[1], ==, 9);
        g_assert_true(s[i].destroyed);
    }
    g_assert_cmpuint(sim_thread_get_live_count(e), ==, 0);
}

/* Two engines spawning alternately: every thread finds its own engine (kept
 * in the header of its slab) and ids count per engine. */
static void test_two_engines(void) {
    enum { N = 5000 };
    static const Step steps[] = {{DO_SLEEP, 1}};
    g_autofree Script *s = g_new0(Script, 2 * N); /* outlives the engines (destroy notifies) */
    g_autoptr(SimEngine) a = sim_engine_new();
    g_autoptr(SimEngine) b = sim_engine_new();
    for (guint i = 0; i < N; i++) {
        s[2 * i] = (Script){.steps = steps, .n_steps = 1};
        s[2 * i + 1] = (Script){.steps = steps, .n_steps = 1};
        SimThread *ta = spawn(a, &s[2 * i]);
        SimThread *tb = spawn(b, &s[2 * i + 1]);
        g_assert_true(sim_thread_get_engine(ta) == a);
        g_assert_true(sim_thread_get_engine(tb) == b);
        g_assert_true(sim_thread_get_data(ta) == &s[2 * i]);
        g_assert_true(sim_thread_get_data(tb) == &s[2 * i + 1]);
        g_assert_cmpuint(sim_thread_get_id(ta), ==, i);
        g_assert_true(sim_thread_lookup(b, i) == tb);
    }
    run_all(a);
    g_assert_cmpuint(sim_thread_get_live_count(a), ==, 0);
    g_assert_cmpuint(sim_thread_get_live_count(b), ==, N);
    for (guint i = 0; i < N; i++)
        g_assert_cmpuint(s[2 * i].times[1], ==, 1);
}

/* The id table under churn (as open arrivals): waves of 700 threads, each
 * sleeping 1-3 ns and exiting, with a long-lived thread every 1,500 ids.
 * After every run each id ever given out looks up to its thread iff that
 * thread has not exited; ids keep counting in spawn order across the chunks
 * the table frees; ids never given out look up to NULL. */
static void test_id_table_churn(void) {
    enum { WAVES = 20, WAVE = 700, N = WAVES * WAVE };
    static const Step brief[3][1] = {{{DO_SLEEP, 1}}, {{DO_SLEEP, 2}}, {{DO_SLEEP, 3}}};
    static const Step park[] = {{DO_PARK, 0}};
    g_autofree Script *s = g_new0(Script, N); /* outlives the engine (destroy notifies) */
    g_autofree SimThread **t = g_new0(SimThread *, N);
    g_autoptr(SimEngine) e = sim_engine_new();
    for (guint w = 0; w < WAVES; w++) {
        for (guint i = w * WAVE; i < (w + 1) * WAVE; i++) {
            if (i % 1500 == 0)
                s[i] = (Script){.steps = park, .n_steps = 1};
            else
                s[i] = (Script){.steps = brief[i % 3], .n_steps = 1};
            t[i] = spawn(e, &s[i]);
            g_assert_cmpuint(sim_thread_get_id(t[i]), ==, i);
        }
        g_assert_cmpint(sim_engine_run(e, sim_engine_now(e) + 2, SIM_BUDGET_UNLIMITED), !=,
                        SIM_STOP_BUDGET);
        guint live = 0;
        for (guint i = 0; i < (w + 1) * WAVE; i++) {
            gboolean alive = !s[i].destroyed;
            live += alive;
            g_assert_true(sim_thread_lookup(e, i) == (alive ? t[i] : NULL));
        }
        g_assert_cmpuint(sim_thread_get_live_count(e), ==, live);
        g_assert_null(sim_thread_lookup(e, (w + 1) * WAVE));
        g_assert_null(sim_thread_lookup(e, 5000000));
    }
    run_all(e);
    /* Left: the parked ones (ids 0, 1500, ..., 13500), freed by sim_engine_free. */
    g_assert_cmpuint(sim_thread_get_live_count(e), ==, 10);
    for (guint i = 0; i < N; i++)
        g_assert_true(sim_thread_lookup(e, i) == (i % 1500 == 0 ? t[i] : NULL));
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sim/thread/spawn-order", test_spawn_order);
    g_test_add_func("/sim/thread/spawn-after-exit", test_spawn_after_exit);
    g_test_add_func("/sim/thread/spawn-names", test_spawn_names);
    g_test_add_func("/sim/thread/sleep", test_sleep);
    g_test_add_func("/sim/thread/park-unpark", test_park_unpark);
    g_test_add_func("/sim/thread/unpark-not-parked", test_unpark_not_parked);
    g_test_add_func("/sim/thread/wake-order", test_wake_order);
    g_test_add_func("/sim/thread/kill-blocked", test_kill_blocked);
    g_test_add_func("/sim/thread/kill-latched", test_kill_latched);
    g_test_add_func("/sim/thread/latched-status-per-thread", test_latched_status_per_thread);
    g_test_add_func("/sim/thread/unpark-after-interrupt", test_unpark_after_interrupt);
    g_test_add_func("/sim/thread/suspend-blocked-resume", test_suspend_blocked_resume);
    g_test_add_func("/sim/thread/suspend-latched", test_suspend_latched);
    g_test_add_func("/sim/thread/resume-cancels-latched-suspend",
                    test_resume_cancels_latched_suspend);
    g_test_add_func("/sim/thread/kill-suspended", test_kill_suspended);
    g_test_add_func("/sim/thread/wait-queue-fifo", test_wait_queue_fifo);
    g_test_add_func("/sim/thread/kill-in-wait-queue", test_kill_in_wait_queue);
    g_test_add_func("/sim/thread/return-without-step-exits", test_return_without_step_exits);
    g_test_add_func("/sim/thread/engine-free-detaches", test_engine_free_detaches);
    g_test_add_func("/sim/thread/hundred-thousand", test_hundred_thousand);
    g_test_add_func("/sim/thread/wait-queue-random-removal", test_wait_queue_random_removal);
    g_test_add_func("/sim/thread/wait-queue-three-slabs", test_wait_queue_three_slabs);
    g_test_add_func("/sim/thread/two-engines", test_two_engines);
    g_test_add_func("/sim/thread/sleep-too-long", test_sleep_too_long);
    g_test_add_func("/sim/thread/id-table-churn", test_id_table_churn);
    return g_test_run();
}
