/* Promises of the model that no other test ran: the sync provider, the pager
 * timeout sweep, a wake-up latency combined with kills, the stop.events budget,
 * the sweep finding open-workload threads armed while its FIFO was lazy, and
 * runs in slices (mdl_world_run_until) giving exactly the whole run.
 *
 * Each scenario lives in tests/model/promises/ and runs in-process with --check
 * on. Its native trace is compared line by line with an expectation written by
 * hand in this file, in a projection that only drops the JSON punctuation:
 * {"t":60000,"ev":"cancel","thread":"T1"} reads "t=60000 ev=cancel thread=T1".
 * The comments above each expectation say where its numbers come from.
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "mdl-test-trace.h"
#include "sim/model/mdl-world.h"

/* A finished run: its projected trace and a fingerprint of its figures. */
typedef struct {
    char *trace; /* events.jsonl, projected */
    char *stats; /* every MdlStats figure, one "key=value" per line */
} Outcome;

static void outcome_clear(Outcome *o) {
    g_free(o->trace);
    g_free(o->stats);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Outcome, outcome_clear)

static ScnScenario *load(const char *name, const char *const *sets) {
    g_autofree char *file = g_strconcat(name, ".json", NULL);
    g_autofree char *path = g_test_build_filename(G_TEST_DIST, "model", "promises", file, NULL);
    g_autoptr(GError) error = NULL;
    ScnScenario *sc = scn_scenario_load_file(path, sets, &error);
    g_assert_no_error(error);
    return sc;
}

/* The figures of the run that the trace does not show line by line. (Per-access
 * figures, such as faults, latencies and final statuses, are read from the
 * trace's "done" lines, which the expectations list in full.) */
static char *fingerprint(const MdlStats *s) {
    GString *o = g_string_new(NULL);
    g_string_append_printf(
        o, "sim_time_ns=%" G_GUINT64_FORMAT "\nevents=%" G_GUINT64_FORMAT "\nstop=%s\n",
        s->sim_time_ns, s->events, s->stop_reason);
    g_string_append_printf(o,
                           "sent=%" G_GUINT64_FORMAT "\npages=%" G_GUINT64_FORMAT
                           "\ncoalesced=%" G_GUINT64_FORMAT "\ncancelled=%" G_GUINT64_FORMAT "\n",
                           s->requests_sent, s->requests_pages, s->requests_coalesced,
                           s->requests_cancelled);
    g_string_append_printf(o,
                           "supplied=%" G_GUINT64_FORMAT "\nunused=%" G_GUINT64_FORMAT
                           "\nwaits=%" G_GUINT64_FORMAT "\nwait_ns=%" G_GUINT64_FORMAT "\n",
                           s->supplied_pages, s->unused_pages, s->waits, s->wait_ns);
    g_string_append_printf(o, "overtime_waits=%" G_GUINT64_FORMAT "\n", s->overtime_waits);
    for (guint i = 0; i < s->n_providers; i++)
        g_string_append_printf(
            o, "provider %s requests=%" G_GUINT64_FORMAT " busy=%" G_GUINT64_FORMAT "\n",
            s->providers[i].name, s->providers[i].requests, s->providers[i].busy_ns);
    g_string_append_printf(o, "violation=%s\n", s->violation ? s->violation : "none");
    return g_string_free(o, FALSE);
}

/* The number of lines of @trace that contain @needle. */
static guint count_lines(const char *trace, const char *needle) {
    g_auto(GStrv) lines = g_strsplit(trace, "\n", -1);
    guint n = 0;
    for (guint i = 0; lines[i] != NULL; i++)
        n += strstr(lines[i], needle) != NULL;
    return n;
}

/* Runs @sc with --check, whole when @slices is NULL, else by mdl_world_run_until
 * with successive slice lengths drawn from @slices (a GRand) in [1, @max_slice]
 * ns; after every slice that leaves more to run, the clock must stand at its end. */
static void run(const ScnScenario *sc, GRand *slices, guint32 max_slice, Outcome *out) {
    FILE *f = tmpfile();
    g_assert_nonnull(f);
    RepTrace *trace = rep_trace_new(f);
    MdlOptions opt = {.trace = trace, .check = TRUE};
    g_autoptr(GError) error = NULL;
    g_autoptr(MdlWorld) w = mdl_world_new(sc, &opt, &error);
    g_assert_no_error(error);
    if (slices == NULL) {
        g_assert_true(mdl_world_run(w));
    } else {
        for (;;) {
            uint64_t until =
                mdl_world_get_now(w) + (uint64_t)g_rand_int_range(slices, 1, (gint32)max_slice + 1);
            if (!mdl_world_run_until(w, until))
                break;
            g_assert_cmpuint(mdl_world_get_now(w), ==, until);
        }
        g_assert_false(mdl_world_run_until(w, G_MAXUINT64));
    }
    g_assert_true(rep_trace_flush(trace));
    g_autofree char *raw = mdl_test_read_all(f);
    out->trace = mdl_test_project(raw);
    out->stats = fingerprint(mdl_world_get_stats(w));
    rep_trace_free(trace);
    fclose(f);
}

static void run_whole(const char *name, Outcome *out) {
    g_autoptr(ScnScenario) sc = load(name, NULL);
    run(sc, NULL, 0, out);
}

/* Asserts that line "KEY=VALUE" is in the fingerprint. */
static void assert_stat(const Outcome *o, const char *line) {
    g_autofree char *needle = g_strconcat("\n", line, "\n", NULL);
    g_autofree char *hay = g_strconcat("\n", o->stats, NULL);
    if (strstr(hay, needle) == NULL)
        g_error("\"%s\" not in the figures:\n%s", line, o->stats);
}

/* The sync provider. Faults cost 3us per missing page, with no request and no
 * Wait. T1's fault at 1us: page 0 missing, done at 4us (latency 3000). T1's
 * commit of pages 0-3 starts at 4us: page 0 is now resident, page 1 costs 3us
 * (until 7us), page 2 is resident from the start. T2 reads pages 4-5 from 2us:
 * page 4 until 5us. At 5us the close action runs before T2 resumes (it was
 * scheduled at load, T2's resumption at 2us) and frees every page, so T2's page
 * 5 gets ZX_ERR_NOT_FOUND at 5us (latency 3000), and so does T1's page 2, no
 * longer resident, at 7us (latency 3000). */
static void sync_provider(void) {
    g_auto(Outcome) o = {0};
    run_whole("sync-provider", &o);
    g_assert_cmpstr(o.trace, ==,
                    "t=1000 ev=access thread=T1 kind=fault vmo=v offset=0 len=4096\n"
                    "t=2000 ev=access thread=T2 kind=read vmo=v offset=16384 len=8192\n"
                    "t=4000 ev=done thread=T1 kind=fault status=ZX_OK latency_ns=3000 fault=1\n"
                    "t=4000 ev=access thread=T1 kind=commit vmo=v offset=0 len=16384\n"
                    "t=5000 ev=action do=close vmo=v\n"
                    "t=5000 ev=close vmo=v outstanding=0 port=0 resident=0\n"
                    "t=5000 ev=done thread=T2 kind=read status=ZX_ERR_NOT_FOUND latency_ns=3000 "
                    "fault=1\n"
                    "t=7000 ev=done thread=T1 kind=commit status=ZX_ERR_NOT_FOUND latency_ns=3000 "
                    "fault=1\n");
    assert_stat(&o, "sent=0");
    assert_stat(&o, "waits=0");
    assert_stat(&o, "provider ram requests=0 busy=0");
    /* Engine events: T1's spawn, its start at 1us, its wake-ups at 4us and 7us;
     * T2's spawn, start at 2us and wake-up at 5us; the close. */
    assert_stat(&o, "events=8");
}

/* The pager timeout sweep. ceil(50us / 20us) = 3 slices: every wait gives up
 * 60us after it began, and warns (an overtime line) at 20us and 40us. Requests queue in the
 * scripted pager's port (one packet, the rest in the proxy's FIFO): "port" counts both. T3 joins
 * T1's head at 20us. At 40us T4's page is supplied (its record leaves the FIFO: 2 and 2), which
 * clears T4's deadline. At 60us T1 times out: T3 inherits the head and the packet (outstanding 2,
 * port 2); T2 at 70us (1, 1); T3 at 80us, 60us after its own wait began (0, 0). T4's cleared entry
 * (90us) wakes nobody. T5 starts at 100us with no sweep pending and times out at 160us. */
static void timeout_sweep(void) {
    g_auto(Outcome) o = {0};
    run_whole("timeout-sweep", &o);
    g_assert_cmpstr(
        o.trace, ==,
        "t=0 ev=access thread=T1 kind=fault vmo=f offset=0 len=4096\n"
        "t=0 ev=request vmo=f offset=0 len=4096 provider=disk thread=T1 outstanding=1 port=1\n"
        "t=10000 ev=access thread=T2 kind=fault vmo=f offset=4096 len=4096\n"
        "t=10000 ev=request vmo=f offset=4096 len=4096 provider=disk thread=T2 outstanding=2 "
        "port=2\n"
        "t=20000 ev=overtime thread=T1 vmo=f expiry=1 waited_ns=20000\n"
        "t=20000 ev=access thread=T3 kind=fault vmo=f offset=0 len=4096\n"
        "t=20000 ev=coalesce thread=T3 vmo=f offset=0 len=4096\n"
        "t=30000 ev=access thread=T4 kind=fault vmo=f offset=8192 len=4096\n"
        "t=30000 ev=request vmo=f offset=8192 len=4096 provider=disk thread=T4 outstanding=3 "
        "port=3\n"
        "t=30000 ev=overtime thread=T2 vmo=f expiry=1 waited_ns=20000\n"
        "t=40000 ev=action do=supply vmo=f offset=8192 len=4096\n"
        "t=40000 ev=supply vmo=f offset=8192 len=4096 by=action outstanding=2 port=2 resident=1\n"
        "t=40000 ev=overtime thread=T1 vmo=f expiry=2 waited_ns=40000\n"
        "t=40000 ev=overtime thread=T3 vmo=f expiry=1 waited_ns=20000\n"
        "t=40000 ev=wake thread=T4 status=ZX_OK\n"
        "t=40000 ev=done thread=T4 kind=fault status=ZX_OK latency_ns=10000 fault=1\n"
        "t=50000 ev=overtime thread=T2 vmo=f expiry=2 waited_ns=40000\n"
        "t=60000 ev=overtime thread=T3 vmo=f expiry=2 waited_ns=40000\n"
        "t=60000 ev=cancel thread=T1 status=ZX_ERR_TIMED_OUT outstanding=2 port=2 resident=1\n"
        "t=60000 ev=done thread=T1 kind=fault status=ZX_ERR_TIMED_OUT latency_ns=60000 fault=1\n"
        "t=70000 ev=cancel thread=T2 status=ZX_ERR_TIMED_OUT outstanding=1 port=1 resident=1\n"
        "t=70000 ev=done thread=T2 kind=fault status=ZX_ERR_TIMED_OUT latency_ns=60000 fault=1\n"
        "t=80000 ev=cancel thread=T3 status=ZX_ERR_TIMED_OUT outstanding=0 port=0 resident=1\n"
        "t=80000 ev=done thread=T3 kind=fault status=ZX_ERR_TIMED_OUT latency_ns=60000 fault=1\n"
        "t=100000 ev=access thread=T5 kind=fault vmo=f offset=12288 len=4096\n"
        "t=100000 ev=request vmo=f offset=12288 len=4096 provider=disk thread=T5 outstanding=1 "
        "port=1\n"
        "t=120000 ev=overtime thread=T5 vmo=f expiry=1 waited_ns=20000\n"
        "t=140000 ev=overtime thread=T5 vmo=f expiry=2 waited_ns=40000\n"
        "t=160000 ev=cancel thread=T5 status=ZX_ERR_TIMED_OUT outstanding=0 port=0 resident=1\n"
        "t=160000 ev=done thread=T5 kind=fault status=ZX_ERR_TIMED_OUT latency_ns=60000 "
        "fault=1\n");
    /* Waits: 60 + 60 + 60 + 10 + 60 us. */
    assert_stat(&o, "waits=5");
    assert_stat(&o, "overtime_waits=4");
    assert_stat(&o, "wait_ns=250000");
    assert_stat(&o, "cancelled=4");
    assert_stat(&o, "coalesced=1");
    assert_stat(&o, "stop=empty");
    /* Engine events: 5 spawns (T1 starts in its own), the starts of T2-T5, the
     * supply and T4's resumption (11); sweeps at every 20us expiry: 20, 30, 40,
     * 50, 60, 70, 80 (none pending after it), 120, 140 and 160us (10); and the
     * resumptions of T1, T2, T3 and T5 by their timeouts (4). */
    assert_stat(&o, "events=25");
}

/* The same timeouts with an open workload's threads, which are made per
 * arrival: armed while the FIFO is lazy (o#1 at 0, o#2 at 10us), they are
 * found by the first sweep (20us) through the world's list of owned threads,
 * which puts them in arm order at expiry 1. o#1: expiries at 20 and 40us,
 * timed out at 60us (3 slices, 60us >= 50us). o#2: deadline 30us, but page 1
 * is supplied at 25us (latency 15us); its stale entry, the FIFO's front, goes
 * at once, and the sweep pending for 30us finds o#1's 40us at the front. o#3
 * (20us, after the sweep: arms the built FIFO): expiries at 40 and 60us, timed
 * out at 80us. At 40 and 60us o#1's entry is ahead of o#3's, but a timed-out
 * thread's lines come when it resumes, after the sweep. */
static void timeout_open(void) {
    g_auto(Outcome) o = {0};
    run_whole("timeout-open", &o);
    g_assert_cmpstr(
        o.trace, ==,
        "t=0 ev=access thread=o#1 kind=fault vmo=f offset=0 len=4096\n"
        "t=0 ev=request vmo=f offset=0 len=4096 provider=disk thread=o#1 outstanding=1 port=1\n"
        "t=10000 ev=access thread=o#2 kind=fault vmo=f offset=4096 len=4096\n"
        "t=10000 ev=request vmo=f offset=4096 len=4096 provider=disk thread=o#2 outstanding=2 "
        "port=2\n"
        "t=20000 ev=overtime thread=o#1 vmo=f expiry=1 waited_ns=20000\n"
        "t=20000 ev=access thread=o#3 kind=fault vmo=f offset=8192 len=4096\n"
        "t=20000 ev=request vmo=f offset=8192 len=4096 provider=disk thread=o#3 outstanding=3 "
        "port=3\n"
        "t=25000 ev=action do=supply vmo=f offset=4096 len=4096\n"
        "t=25000 ev=supply vmo=f offset=4096 len=4096 by=action outstanding=2 port=2 resident=1\n"
        "t=25000 ev=wake thread=o#2 status=ZX_OK\n"
        "t=25000 ev=done thread=o#2 kind=fault status=ZX_OK latency_ns=15000 fault=1\n"
        "t=40000 ev=overtime thread=o#1 vmo=f expiry=2 waited_ns=40000\n"
        "t=40000 ev=overtime thread=o#3 vmo=f expiry=1 waited_ns=20000\n"
        "t=60000 ev=overtime thread=o#3 vmo=f expiry=2 waited_ns=40000\n"
        "t=60000 ev=cancel thread=o#1 status=ZX_ERR_TIMED_OUT outstanding=1 port=1 resident=1\n"
        "t=60000 ev=done thread=o#1 kind=fault status=ZX_ERR_TIMED_OUT latency_ns=60000 fault=1\n"
        "t=80000 ev=cancel thread=o#3 status=ZX_ERR_TIMED_OUT outstanding=0 port=0 resident=1\n"
        "t=80000 ev=done thread=o#3 kind=fault status=ZX_ERR_TIMED_OUT latency_ns=60000 "
        "fault=1\n");
    /* Waits: 60 + 15 + 60 us. */
    assert_stat(&o, "waits=3");
    assert_stat(&o, "overtime_waits=2");
    assert_stat(&o, "wait_ns=135000");
    assert_stat(&o, "cancelled=2");
    assert_stat(&o, "stop=empty");
    /* Engine events: the 3 arrivals and their threads' starts (6), the supply
     * and o#2's resumption (2), sweeps at 20, 30, 40, 60 and 80us (5: the one
     * at 30us stays pending when o#2's wait ends, since o#1 is still armed),
     * and the resumptions of o#1 and o#3 by their timeouts (2). */
    assert_stat(&o, "events=15");
}

/* Either kernel value 0 means no timeout: the waits on the scripted pager never
 * end. The run is over when nothing is left to do, after T5 started at 100us;
 * only T4 finished. Without slices: the 11 events above, no sweep, no
 * overtime. Without a timeout the slices still expire (core/README.md D13):
 * sweeps at 20, 30, ..., 100us (9 events; T1 20/40/60/80/100, T2 30/50/70/90,
 * T3 40/60/80/100); at 100us, after T5's start, nothing else is pending and the
 * expiries stop. T1, T2 and T3 went overtime; T5 never reached 120us. */
static void timeout_never(void) {
    static const char *const no_slices[] = {"kernel.overtime_wait=0ns", NULL};
    static const char *const no_timeout[] = {"kernel.pager_timeout=0ns", NULL};
    const char *const *sets[] = {no_slices, no_timeout};
    static const char *const events[] = {"events=11", "events=20"};
    static const char *const overtime[] = {"overtime_waits=0", "overtime_waits=3"};
    for (gsize i = 0; i < G_N_ELEMENTS(sets); i++) {
        g_auto(Outcome) o = {0};
        g_autoptr(ScnScenario) sc = load("timeout-sweep", sets[i]);
        run(sc, NULL, 0, &o);
        assert_stat(&o, "sim_time_ns=100000");
        assert_stat(&o, events[i]);
        assert_stat(&o, overtime[i]);
        assert_stat(&o, "stop=empty");
        g_assert_cmpuint(count_lines(o.trace, "ev=done"), ==, 1);
        assert_stat(&o, "cancelled=0");
        assert_stat(&o, "waits=1");
        assert_stat(&o, "wait_ns=10000");
    }
}

/* Wake-up latency 5us, with kills. T1 is signalled at 10us and killed at 12us,
 * before it runs: its Wait returns the stored ZX_OK (the request completed, so
 * nothing is cancelled) and the kill ends the access. T2 is signalled at 20us
 * and killed at 25us, the instant its delayed wake is due: the kill action was
 * scheduled first, so it runs first, with the same outcome. T5 is killed at
 * 30us while still waiting: its request is cancelled (outstanding and port 3 ->
 * 2). T3 is woken at 45us and has finished when the kill at 46us finds no
 * thread (ZX_ERR_BAD_STATE). T4's 60us timeout is cleared by the signal at
 * 58us; it runs at 63us. */
static void wake_latency_kill(void) {
    g_auto(Outcome) o = {0};
    run_whole("wake-latency-kill", &o);
    g_assert_cmpstr(
        o.trace, ==,
        "t=0 ev=access thread=T1 kind=fault vmo=f offset=0 len=4096\n"
        "t=0 ev=request vmo=f offset=0 len=4096 provider=disk thread=T1 outstanding=1 port=1\n"
        "t=0 ev=access thread=T2 kind=fault vmo=f offset=4096 len=4096\n"
        "t=0 ev=request vmo=f offset=4096 len=4096 provider=disk thread=T2 outstanding=2 port=2\n"
        "t=0 ev=access thread=T3 kind=fault vmo=f offset=8192 len=4096\n"
        "t=0 ev=request vmo=f offset=8192 len=4096 provider=disk thread=T3 outstanding=3 port=3\n"
        "t=0 ev=access thread=T4 kind=fault vmo=f offset=12288 len=4096\n"
        "t=0 ev=request vmo=f offset=12288 len=4096 provider=disk thread=T4 outstanding=4 "
        "port=4\n"
        "t=0 ev=access thread=T5 kind=fault vmo=f offset=16384 len=4096\n"
        "t=0 ev=request vmo=f offset=16384 len=4096 provider=disk thread=T5 outstanding=5 "
        "port=5\n"
        "t=10000 ev=action do=supply vmo=f offset=0 len=4096\n"
        "t=10000 ev=supply vmo=f offset=0 len=4096 by=action outstanding=4 port=4 resident=1\n"
        "t=12000 ev=action do=kill thread=T1\n"
        "t=12000 ev=wake thread=T1 status=ZX_OK\n"
        "t=12000 ev=done thread=T1 kind=fault status=ZX_ERR_INTERNAL_INTR_KILLED "
        "latency_ns=12000 fault=1\n"
        "t=20000 ev=action do=supply vmo=f offset=4096 len=4096\n"
        "t=20000 ev=supply vmo=f offset=4096 len=4096 by=action outstanding=3 port=3 resident=2\n"
        "t=20000 ev=overtime thread=T3 vmo=f expiry=1 waited_ns=20000\n"
        "t=20000 ev=overtime thread=T4 vmo=f expiry=1 waited_ns=20000\n"
        "t=20000 ev=overtime thread=T5 vmo=f expiry=1 waited_ns=20000\n"
        "t=25000 ev=action do=kill thread=T2\n"
        "t=25000 ev=wake thread=T2 status=ZX_OK\n"
        "t=25000 ev=done thread=T2 kind=fault status=ZX_ERR_INTERNAL_INTR_KILLED "
        "latency_ns=25000 fault=1\n"
        "t=30000 ev=action do=kill thread=T5\n"
        "t=30000 ev=cancel thread=T5 status=ZX_ERR_INTERNAL_INTR_KILLED outstanding=2 port=2 "
        "resident=2\n"
        "t=30000 ev=done thread=T5 kind=fault status=ZX_ERR_INTERNAL_INTR_KILLED "
        "latency_ns=30000 fault=1\n"
        "t=40000 ev=action do=supply vmo=f offset=8192 len=4096\n"
        "t=40000 ev=supply vmo=f offset=8192 len=4096 by=action outstanding=1 port=1 resident=3\n"
        "t=40000 ev=overtime thread=T4 vmo=f expiry=2 waited_ns=40000\n"
        "t=45000 ev=wake thread=T3 status=ZX_OK\n"
        "t=45000 ev=done thread=T3 kind=fault status=ZX_OK latency_ns=45000 fault=1\n"
        "t=46000 ev=action do=kill thread=T3\n"
        "t=46000 ev=refused do=kill status=ZX_ERR_BAD_STATE\n"
        "t=58000 ev=action do=supply vmo=f offset=12288 len=4096\n"
        "t=58000 ev=supply vmo=f offset=12288 len=4096 by=action outstanding=0 port=0 "
        "resident=4\n"
        "t=63000 ev=wake thread=T4 status=ZX_OK\n"
        "t=63000 ev=done thread=T4 kind=fault status=ZX_OK latency_ns=63000 fault=1\n");
    /* Waits: 12 + 25 + 30 + 45 + 63 us; only T5's request was cancelled. */
    assert_stat(&o, "waits=5");
    assert_stat(&o, "wait_ns=175000");
    assert_stat(&o, "cancelled=1");
    /* Engine events: 5 spawns (each thread starts in its own), 8 actions, T1's
     * resumption by its kill (its delayed wake is cancelled), T2's delayed wake
     * and its resumption, T5's resumption, T3's and T4's delayed wakes and
     * resumptions, and the overtime sweeps at 20us (T3, T4, T5) and 40us (T4):
     * 5 + 8 + 1 + 2 + 1 + 2 + 2 + 2. */
    assert_stat(&o, "events=23");
}

/* stop.events: each action is one engine event and nothing else is scheduled,
 * so 3 events are the actions at 1us, 2us and the first of the two at 3us. */
static void stop_events_budget(void) {
    g_auto(Outcome) o = {0};
    run_whole("stop-events", &o);
    g_assert_cmpstr(o.trace, ==,
                    "t=1000 ev=action do=resize vmo=m size=8192\n"
                    "t=1000 ev=resize vmo=m from=65536 to=8192 resident=0\n"
                    "t=2000 ev=action do=resize vmo=m size=16384\n"
                    "t=2000 ev=resize vmo=m from=8192 to=16384 resident=0\n"
                    "t=3000 ev=action do=resize vmo=m size=24576\n"
                    "t=3000 ev=resize vmo=m from=16384 to=24576 resident=0\n");
    assert_stat(&o, "sim_time_ns=3000");
    assert_stat(&o, "events=3");
    assert_stat(&o, "stop=budget");
}

/* With stop.time too, the first limit reached wins: at 2.5us the clock stops at
 * the horizon after 2 events; a budget of 10 outlasts the 5 actions. */
static void stop_events_against_time(void) {
    static const char *const by_time[] = {"stop.time=2500ns", NULL};
    static const char *const large[] = {"stop.events=10", NULL};
    g_auto(Outcome) a = {0};
    g_auto(Outcome) b = {0};
    g_autoptr(ScnScenario) sa = load("stop-events", by_time);
    g_autoptr(ScnScenario) sb = load("stop-events", large);
    run(sa, NULL, 0, &a);
    run(sb, NULL, 0, &b);
    assert_stat(&a, "sim_time_ns=2500");
    assert_stat(&a, "events=2");
    assert_stat(&a, "stop=horizon");
    assert_stat(&b, "sim_time_ns=5000");
    assert_stat(&b, "events=5");
    assert_stat(&b, "stop=empty");
}

typedef struct {
    const char *path;     /* test path */
    const char *scenario; /* file in tests/model/promises/ */
    const char *set;      /* an override, or NULL */
    guint32 max_slice;    /* slices of 1 to max_slice ns */
    guint32 seed;         /* of the slice lengths */
} SliceCase;

static const SliceCase slice_cases[] = {
    {"/mdl/slices/timeout-sweep/random", "timeout-sweep", NULL, 3000, 2},
    {"/mdl/slices/timeout-open/random", "timeout-open", NULL, 3000, 4},
    {"/mdl/slices/wake-latency-kill/1ns", "wake-latency-kill", NULL, 1, 1},
    {"/mdl/slices/wake-latency-kill/random", "wake-latency-kill", NULL, 7000, 3},
    {"/mdl/slices/sync-provider/1ns", "sync-provider", NULL, 1, 1},
    {"/mdl/slices/stop-events/1ns", "stop-events", NULL, 1, 1},
    {"/mdl/slices/busy/997ns", "slices", NULL, 997, 1},
    {"/mdl/slices/busy/random", "slices", NULL, 100000, 7},
    {"/mdl/slices/busy/budget", "slices", "stop.events=4321", 3000, 5},
    {"/mdl/slices/busy/one-slice", "slices", NULL, G_MAXINT32 - 1, 9},
};

/* Runs in slices give exactly the whole run: the same trace, byte for byte, and
 * the same figures (the busy mix ends at its 20ms horizon, or after 4321 events
 * with the budget, whichever the slices cut). */
static void slices_equal_whole(gconstpointer data) {
    const SliceCase *c = data;
    const char *sets[] = {c->set, NULL};
    g_autoptr(ScnScenario) sc = load(c->scenario, sets);
    g_auto(Outcome) whole = {0};
    g_auto(Outcome) sliced = {0};
    g_autoptr(GRand) rng = g_rand_new_with_seed(c->seed);
    run(sc, NULL, 0, &whole);
    run(sc, rng, c->max_slice, &sliced);
    g_assert_cmpuint(strlen(whole.trace), >, 0);
    g_assert_cmpstr(sliced.trace, ==, whole.trace);
    g_assert_cmpstr(sliced.stats, ==, whole.stats);
    if (c->set != NULL) {
        assert_stat(&whole, "events=4321");
        assert_stat(&whole, "stop=budget");
    }
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/mdl/sync-provider", sync_provider);
    g_test_add_func("/mdl/timeout-sweep", timeout_sweep);
    g_test_add_func("/mdl/timeout-never", timeout_never);
    g_test_add_func("/mdl/timeout-open", timeout_open);
    g_test_add_func("/mdl/wake-latency-kill", wake_latency_kill);
    g_test_add_func("/mdl/stop-events/budget", stop_events_budget);
    g_test_add_func("/mdl/stop-events/against-time", stop_events_against_time);
    for (gsize i = 0; i < G_N_ELEMENTS(slice_cases); i++)
        g_test_add_data_func(slice_cases[i].path, &slice_cases[i], slices_equal_whole);
    return g_test_run();
}
