/* The VMO lock and the kernel costs in simulated time (mdl-lock.h): exact
 * small cases whose every time is computed by hand in the comments, the
 * saturated lock (throughput = 1 / the hold time per access), interrupts of
 * queued threads, the two conformance cases the costs make reachable (S13,
 * S14) with their times, and the lock being off without costs.
 *
 * Scenarios live in tests/model/lock/ (and tests/conformance/); each runs
 * in-process with --check. Traces are compared in the projection of
 * test-mdl-promises.c: {"t":1,"ev":"done"} reads "t=1 ev=done".
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "mdl-test-trace.h"
#include "sim/model/mdl-world.h"

typedef struct {
    char *trace;          /* events.jsonl, projected */
    RepLockFigures lock;  /* the first VMO's lock figures (wait histogram dropped) */
    gboolean lock_on;     /* the figures had a locks array */
    uint64_t sim_time_ns; /* when the run ended */
    uint64_t accesses;    /* accesses finished */
    uint64_t waits;       /* Waits that blocked */
} Outcome;

static void outcome_clear(Outcome *o) { g_free(o->trace); }

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Outcome, outcome_clear)

/* Runs DIR/NAME.json (DIR under tests/) with --check. */
static void run(const char *dir, const char *name, Outcome *out) {
    g_autofree char *file = g_strconcat(name, ".json", NULL);
    g_autofree char *path = g_test_build_filename(G_TEST_DIST, dir, file, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(ScnScenario) sc = scn_scenario_load_file(path, NULL, &error);
    g_assert_no_error(error);
    FILE *f = tmpfile();
    g_assert_nonnull(f);
    RepTrace *trace = rep_trace_new(f);
    MdlOptions opt = {.trace = trace, .check = TRUE};
    g_autoptr(MdlWorld) w = mdl_world_new(sc, &opt, &error);
    g_assert_no_error(error);
    g_assert_true(mdl_world_run(w));
    g_assert_true(rep_trace_flush(trace));
    g_autofree char *raw = mdl_test_read_all(f);
    out->trace = mdl_test_project(raw);
    const MdlStats *s = mdl_world_get_stats(w);
    g_assert_null(s->violation);
    out->lock_on = s->locks != NULL;
    if (s->locks) {
        out->lock = s->locks[0];
        out->lock.wait = NULL;
    }
    out->sim_time_ns = s->sim_time_ns;
    out->accesses = s->all.accesses;
    out->waits = s->waits;
    rep_trace_free(trace);
    fclose(f);
}

static void assert_lock(const Outcome *o, uint64_t acquisitions, uint64_t contended,
                        uint64_t wait_ns, uint64_t hold_ns) {
    g_assert_true(o->lock_on);
    g_assert_cmpuint(o->lock.acquisitions, ==, acquisitions);
    g_assert_cmpuint(o->lock.contended, ==, contended);
    g_assert_cmpuint(o->lock.wait_ns, ==, wait_ns);
    g_assert_cmpuint(o->lock.hold_ns, ==, hold_ns);
}

/* walk_page 1us, unlock_to_wait 2us, supply_page 3us. T1 asks at 1us and gets
 * the lock; its look at page 0 costs 1us: GetPage at 2us sends READ(0), T1
 * drops the lock and blocks at 4us. T2, queued at 1.5us, is granted at 2us
 * (waited 500); GetPage(page 1) at 3us sends READ(4096); it blocks at 5us.
 * The supply action, queued at 2.5us, is granted at 3us (waited 500) and pays
 * 2 pages x 3us: it supplies at 9us and wakes T1 then T2 (heads ascending).
 * T1 takes the free lock at 9us and finds page 0 at 10us; T2, queued at 9us,
 * is granted at 10us (waited 1000) and finds page 1 at 11us. Holds: T1 1us,
 * T2 1us, the supply 6us, T1 1us, T2 1us = 10us; 5 grants, 3 after a wait. */
static void two_threads(void) {
    g_auto(Outcome) o = {0};
    run("model/lock", "two-threads", &o);
    g_assert_cmpstr(
        o.trace, ==,
        "t=1000 ev=access thread=T1 kind=fault vmo=v offset=0 len=4096\n"
        "t=1500 ev=access thread=T2 kind=fault vmo=v offset=4096 len=4096\n"
        "t=2000 ev=request vmo=v offset=0 len=4096 provider=pager thread=T1 outstanding=1 port=1\n"
        "t=2000 ev=lock_wait vmo=v by=T2 waited_ns=500\n"
        "t=2500 ev=action do=supply vmo=v offset=0 len=8192\n"
        "t=3000 ev=request vmo=v offset=4096 len=4096 provider=pager thread=T2 outstanding=2 "
        "port=2\n"
        "t=3000 ev=lock_wait vmo=v by=action waited_ns=500\n"
        "t=9000 ev=supply vmo=v offset=0 len=8192 by=action outstanding=0 port=0 resident=2\n"
        "t=9000 ev=wake thread=T1 status=ZX_OK\n"
        "t=9000 ev=wake thread=T2 status=ZX_OK\n"
        "t=10000 ev=lock_wait vmo=v by=T2 waited_ns=1000\n"
        "t=10000 ev=done thread=T1 kind=fault status=ZX_OK latency_ns=9000 fault=1\n"
        "t=11000 ev=done thread=T2 kind=fault status=ZX_OK latency_ns=9500 fault=1\n");
    assert_lock(&o, 5, 3, 2000, 10000);
}

/* A pager worker (latency 5us) and supply_page 2us. T1 commits pages 0-3
 * from 0: NEXT at 1, 2, 3 and 4us, FinalizeRequest sends READ(0,16384) at
 * 4us. T2 (fault on page 3, queued at 2.5us) is granted at 4us (waited
 * 1500): its GetPage at 5us joins T1's head. The worker dequeues at 4us, is
 * ready at 9us, takes the free lock and pays 4 x 2us: it supplies at 17us,
 * waking T2 (a waiter) then T1 (the head). T2 takes the lock at 17us and
 * finds page 3 at 18us; T1 (queued at 17us, granted at 18us, waited 1000)
 * walks its 4 resident pages and ends at 22us. Holds 4 + 1 + 8 + 1 + 4 = 18us. */
static void worker(void) {
    g_auto(Outcome) o = {0};
    run("model/lock", "worker", &o);
    g_assert_cmpstr(
        o.trace, ==,
        "t=0 ev=access thread=T1 kind=commit vmo=v offset=0 len=16384\n"
        "t=2500 ev=access thread=T2 kind=fault vmo=v offset=12288 len=4096\n"
        "t=4000 ev=request vmo=v offset=0 len=16384 provider=p thread=T1 outstanding=1 port=1\n"
        "t=4000 ev=lock_wait vmo=v by=T2 waited_ns=1500\n"
        "t=4000 ev=dequeue provider=p by=p/w0 vmo=v cmd=READ offset=0 len=16384 port=0\n"
        "t=5000 ev=coalesce thread=T2 vmo=v offset=12288 len=4096\n"
        "t=17000 ev=supply vmo=v offset=0 len=16384 by=p/w0 outstanding=0 port=0 resident=4\n"
        "t=17000 ev=served provider=p by=p/w0 vmo=v offset=0 len=16384 status=ZX_OK\n"
        "t=17000 ev=wake thread=T2 status=ZX_OK\n"
        "t=17000 ev=wake thread=T1 status=ZX_OK\n"
        "t=18000 ev=lock_wait vmo=v by=T1 waited_ns=1000\n"
        "t=18000 ev=done thread=T2 kind=fault status=ZX_OK latency_ns=15500 fault=1\n"
        "t=22000 ev=done thread=T1 kind=commit status=ZX_OK latency_ns=22000 fault=1\n");
    assert_lock(&o, 5, 2, 2500, 18000);
}

/* Three threads read the same 4 pages back to back (no think time): each
 * access holds the lock for 4 x walk_page = 4us and the lock is handed over
 * at each release, so it is never free: 300 accesses end at exactly 300 x
 * 4us, and throughput is 1 / 4us = 250,000 accesses/s. Waits: 0, 4us, 8us
 * for the first three, then 8us (two holds) for each of the other 297. */
static void saturated(void) {
    g_auto(Outcome) o = {0};
    run("model/lock", "saturated", &o);
    g_assert_cmpuint(o.accesses, ==, 300);
    g_assert_cmpuint(o.sim_time_ns, ==, 300 * 4000);
    assert_lock(&o, 300, 299, 4000 + 8000 + 297 * 8000, 300 * 4000);
    /* accesses per second = 1e9 / (the hold time per access in ns) */
    g_assert_cmpuint(o.accesses * G_GUINT64_CONSTANT(1000000000) / o.sim_time_ns, ==,
                     1000000000 / 4000);
}

/* T1 holds the lock from 0 to 4us (4 pages). T2, T3 and T4 queue at 1, 1.5
 * and 1.8us. At 2us T2 is killed: it leaves the queue and its read ends
 * INTR_KILLED (latency 1000); T4 is suspended: it leaves the queue. T3 is
 * granted at 4us (waited 2500) and done at 5us. T4 is resumed at 10us and
 * restarts its read: the lock is free, done at 11us (latency 9200). */
static void interrupt(void) {
    g_auto(Outcome) o = {0};
    run("model/lock", "interrupt", &o);
    g_assert_cmpstr(o.trace, ==,
                    "t=0 ev=access thread=T1 kind=read vmo=v offset=0 len=16384\n"
                    "t=1000 ev=access thread=T2 kind=read vmo=v offset=0 len=4096\n"
                    "t=1500 ev=access thread=T3 kind=read vmo=v offset=0 len=4096\n"
                    "t=1800 ev=access thread=T4 kind=read vmo=v offset=0 len=4096\n"
                    "t=2000 ev=action do=kill thread=T2\n"
                    "t=2000 ev=action do=suspend thread=T4\n"
                    "t=2000 ev=done thread=T2 kind=read status=ZX_ERR_INTERNAL_INTR_KILLED "
                    "latency_ns=1000 fault=0\n"
                    "t=4000 ev=lock_wait vmo=v by=T3 waited_ns=2500\n"
                    "t=4000 ev=done thread=T1 kind=read status=ZX_OK latency_ns=4000 fault=1\n"
                    "t=5000 ev=done thread=T3 kind=read status=ZX_OK latency_ns=3500 fault=0\n"
                    "t=10000 ev=action do=resume thread=T4\n"
                    "t=11000 ev=done thread=T4 kind=read status=ZX_OK latency_ns=9200 fault=0\n");
    assert_lock(&o, 3, 1, 2500, 6000);
}

/* S13's times: NEXT at 2us and 3us, the close at 3.5us, FinalizeRequest at
 * 4us (after the look at resident page 2) fails; T2's read at 10us. */
static void s13_times(void) {
    g_auto(Outcome) o = {0};
    run("conformance", "S13-pager-close-mid-batch", &o);
    g_assert_cmpstr(
        o.trace, ==,
        "t=1000 ev=access thread=T1 kind=commit vmo=vmo offset=0 len=12288\n"
        "t=3500 ev=action do=pager_close provider=pager\n"
        "t=3500 ev=detach vmo=vmo by=pager_close outstanding=0 port=0 resident=1\n"
        "t=3500 ev=pager_close provider=pager\n"
        "t=4000 ev=done thread=T1 kind=commit status=ZX_ERR_NOT_FOUND latency_ns=3000 fault=1\n"
        "t=10000 ev=access thread=T2 kind=read vmo=vmo offset=8192 len=4096\n"
        "t=11000 ev=done thread=T2 kind=read status=ZX_OK latency_ns=1000 fault=0\n"
        "t=20000 ev=action do=dequeue provider=pager\n"
        "t=20000 ev=dequeue_empty provider=pager\n");
}

/* S14's times: SHOULD_WAIT at 2us, the supply at 5us, Wait at 12us returns at
 * once (no blocked wait), the look at page 0 ends the fault at 13us. */
static void s14_times(void) {
    g_auto(Outcome) o = {0};
    run("conformance", "S14-supply-before-wait", &o);
    g_assert_cmpstr(
        o.trace, ==,
        "t=1000 ev=access thread=T1 kind=fault vmo=vmo offset=0 len=4096\n"
        "t=2000 ev=request vmo=vmo offset=0 len=4096 provider=pager thread=T1 outstanding=1 "
        "port=1\n"
        "t=3000 ev=action do=dequeue provider=pager\n"
        "t=3000 ev=dequeue provider=pager by=action vmo=vmo cmd=READ offset=0 len=4096 port=0\n"
        "t=5000 ev=action do=supply vmo=vmo offset=0 len=4096\n"
        "t=5000 ev=supply vmo=vmo offset=0 len=4096 by=action outstanding=0 port=0 resident=1\n"
        "t=12000 ev=wake thread=T1 status=ZX_OK\n"
        "t=13000 ev=done thread=T1 kind=fault status=ZX_OK latency_ns=12000 fault=1\n"
        "t=20000 ev=action do=dequeue provider=pager\n"
        "t=20000 ev=dequeue_empty provider=pager\n");
    g_assert_cmpuint(o.waits, ==, 0);
}

/* Without a lock cost the lock is off: no figures, no lock_wait line. */
static void off_without_costs(void) {
    g_auto(Outcome) o = {0};
    run("conformance", "C03-two-heads", &o);
    g_assert_false(o.lock_on);
    g_assert_null(strstr(o.trace, "lock_wait"));
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/mdl-lock/two-threads", two_threads);
    g_test_add_func("/mdl-lock/worker", worker);
    g_test_add_func("/mdl-lock/saturated", saturated);
    g_test_add_func("/mdl-lock/interrupt", interrupt);
    g_test_add_func("/mdl-lock/s13-times", s13_times);
    g_test_add_func("/mdl-lock/s14-times", s14_times);
    g_test_add_func("/mdl-lock/off-without-costs", off_without_costs);
    return g_test_run();
}
