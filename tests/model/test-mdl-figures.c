/* The figures of a run (RepFigures, summary.json) on small scripted scenarios
 * whose every number is worked out by hand in the comments: throughput over
 * the measured window, the latency of every access (hits included), the splits
 * per final status and per workload, the warm-up window with accesses just
 * before and just after its end, and a pager's utilisation over its life.
 */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "sim/model/mdl-world.h"
#include "sim/report/rep-summary.h"

typedef struct {
    ScnScenario *sc;
    MdlWorld *w;
    const MdlStats *s;
    RepSummary *sum;
} Run;

static void run_json(Run *r, const char *json) {
    g_autoptr(GError) error = NULL;
    r->sc = scn_scenario_load_data(json, strlen(json), "test.json", NULL, &error);
    g_assert_no_error(error);
    MdlOptions opt = {.trace = NULL, .check = TRUE};
    r->w = mdl_world_new(r->sc, &opt, &error);
    g_assert_no_error(error);
    g_assert_true(mdl_world_run(r->w));
    r->s = mdl_world_get_stats(r->w);
    RepRunInfo info = {.scenario = r->sc->name, .seed = 1, .policy = "fuchsia"};
    r->sum = rep_summary_new(&info, r->s);
}

static void run_clear(Run *r) {
    rep_summary_free(r->sum);
    mdl_world_free(r->w);
    scn_scenario_free(r->sc);
}

/* The number at @path of the summary; asserts that there is one. */
static double num(const Run *r, const char *path) {
    double v = NAN;
    if (!rep_summary_get_number(r->sum, path, &v))
        g_error("summary.json has no number at %s", path);
    return v;
}

static gboolean is_null(const Run *r, const char *path) {
    double v;
    return !rep_summary_get_number(r->sum, path, &v);
}

/* A pager with one worker and a constant 100 us service backs "f" (page 0
 * resident); a scripted provider backs "g". Workload e1, thread T1:
 *   t=0     fault page 0 of f: resident, a hit, latency 0;
 *   t=1ms   fault page 1 of f: READ, served 1ms..1.1ms, latency 100 us;
 *   t=2ms   read page 1 of f: resident now, latency 0.
 * Workload e2, thread T2: t=0 fault page 0 of g: waits until the action at
 * 500 us fails it with ZX_ERR_IO: latency 500 us.
 * The run ends at 2 ms (nothing left to do). */
static const char splits_json[] =
    "{\"providers\": [{\"name\": \"p\", \"kind\": \"pager\", \"latency\": \"100us\"},"
    "                 {\"name\": \"s\", \"kind\": \"scripted\"}],"
    " \"vmos\": [{\"name\": \"f\", \"size\": \"16KiB\", \"provider\": \"p\", \"resident\": [[0, "
    "\"4KiB\"]]},"
    "          {\"name\": \"g\", \"size\": \"4KiB\", \"provider\": \"s\"}],"
    " \"workloads\": ["
    "  {\"name\": \"e1\", \"kind\": \"explicit\", \"accesses\": ["
    "    {\"thread\": \"T1\", \"at\": 0, \"vmo\": \"f\", \"offset\": 0},"
    "    {\"thread\": \"T1\", \"at\": \"1ms\", \"vmo\": \"f\", \"offset\": \"4KiB\"},"
    "    {\"thread\": \"T1\", \"at\": \"2ms\", \"vmo\": \"f\", \"access\": \"read\", \"offset\": "
    "\"4KiB\"}]},"
    "  {\"name\": \"e2\", \"kind\": \"explicit\", \"accesses\": ["
    "    {\"thread\": \"T2\", \"at\": 0, \"vmo\": \"g\", \"offset\": 0}]}],"
    " \"actions\": [{\"at\": \"500us\", \"do\": \"fail\", \"vmo\": \"g\", \"offset\": 0, "
    "\"length\": \"4KiB\"}]}";

static void test_totals_and_throughput(void) {
    Run r = {0};
    run_json(&r, splits_json);
    g_assert_cmpuint(r.s->sim_time_ns, ==, 2000000);
    g_assert_cmpuint(r.s->window_start_ns, ==, 0);
    g_assert_cmpuint(r.s->all.accesses, ==, 4);
    g_assert_cmpuint(r.s->all.faults, ==, 2);
    g_assert_cmpuint(r.s->all.faults_failed, ==, 1);
    g_assert_cmpuint(r.s->all.pages, ==, 4);
    /* 4 accesses, 2 faults, 4 pages in 2 ms of simulated time. */
    g_assert_cmpfloat(num(&r, "throughput.accesses_per_s"), ==, 2000.0);
    g_assert_cmpfloat(num(&r, "throughput.faults_per_s"), ==, 1000.0);
    g_assert_cmpfloat(num(&r, "throughput.pages_per_s"), ==, 2000.0);
    g_assert_cmpfloat(num(&r, "throughput.bytes_per_s"), ==, 2000.0 * 4096);
    g_assert_cmpfloat(num(&r, "accesses_failed"), ==, 1);
    /* Both workloads make a fixed number of accesses: the run's makespan is
     * when the last finished (T1's read at 2 ms), e2's when T2 failed. */
    g_assert_cmpfloat(num(&r, "makespan_ns"), ==, 2000000);
    run_clear(&r);
}

static void test_access_latency(void) {
    Run r = {0};
    run_json(&r, splits_json);
    /* Every access: 0, 100 us, 0, 500 us. */
    g_assert_cmpfloat(num(&r, "access_latency_ns.count"), ==, 4);
    g_assert_cmpfloat(num(&r, "access_latency_ns.min"), ==, 0);
    g_assert_cmpfloat(num(&r, "access_latency_ns.mean"), ==, 150000);
    g_assert_cmpfloat(num(&r, "access_latency_ns.p50"), ==, 0); /* 2 of 4 are 0 */
    g_assert_cmpfloat(num(&r, "access_latency_ns.max"), ==, 500000);
    /* Faults only: 100 us and 500 us. */
    g_assert_cmpfloat(num(&r, "latency_ns.count"), ==, 2);
    g_assert_cmpfloat(num(&r, "latency_ns.min"), ==, 100000);
    g_assert_cmpfloat(num(&r, "latency_ns.mean"), ==, 300000);
    g_assert_cmpfloat(num(&r, "latency_ns.max"), ==, 500000);
    run_clear(&r);
}

static void test_status_splits(void) {
    Run r = {0};
    run_json(&r, splits_json);
    /* ZX_OK: T1's three accesses, one of them a fault of 100 us. */
    g_assert_cmpfloat(num(&r, "statuses.ZX_OK.accesses"), ==, 3);
    g_assert_cmpfloat(num(&r, "statuses.ZX_OK.faults"), ==, 1);
    g_assert_cmpfloat(num(&r, "statuses.ZX_OK.latency_ns.max"), ==, 100000);
    g_assert_cmpfloat(num(&r, "statuses.ZX_OK.access_latency_ns.mean"), ==, 100000.0 / 3);
    /* ZX_ERR_IO: T2's fault, 500 us, kept apart from the successes. */
    g_assert_cmpfloat(num(&r, "statuses.ZX_ERR_IO.accesses"), ==, 1);
    g_assert_cmpfloat(num(&r, "statuses.ZX_ERR_IO.latency_ns.p50"), ==, 500000);
    g_assert_cmpfloat(num(&r, "by_status.ZX_OK"), ==, 3);
    g_assert_cmpfloat(num(&r, "by_status.ZX_ERR_IO"), ==, 1);
    g_assert_cmpuint(r.s->statuses->len, ==, 2);
    run_clear(&r);
}

static void test_workload_splits(void) {
    Run r = {0};
    run_json(&r, splits_json);
    g_assert_cmpuint(r.s->n_workloads, ==, 2);
    const RepWorkloadFigures *e1 = &r.s->workloads[0], *e2 = &r.s->workloads[1];
    g_assert_cmpstr(e1->name, ==, "e1");
    g_assert_cmpstr(e1->kind, ==, "explicit");
    g_assert_cmpstr(e1->access, ==, "mixed"); /* two faults and a read */
    g_assert_cmpstr(e2->access, ==, "fault");
    g_assert_cmpuint(e1->split.accesses, ==, 3);
    g_assert_cmpuint(e1->split.faults, ==, 1);
    g_assert_cmpuint(e2->split.accesses, ==, 1);
    g_assert_cmpuint(e2->split.faults_failed, ==, 1);
    g_assert_cmpuint(e1->makespan_ns, ==, 2000000);
    g_assert_cmpuint(e2->makespan_ns, ==, 500000);
    /* 3 accesses in 2 ms; e2's one fault. */
    g_assert_cmpfloat(num(&r, "workloads[].throughput.accesses_per_s"), ==, 1500.0);
    g_assert_cmpfloat(num(&r, "workloads[].by_status.ZX_ERR_IO"), ==, 1);
    g_assert_cmpfloat(num(&r, "workloads[].by_status.ZX_OK"), ==, 3);
    g_assert_cmpfloat(num(&r, "workloads[].access_latency_ns.max"), ==, 500000);
    /* The pager served one READ of 100 us in 2 ms. */
    g_assert_cmpfloat(num(&r, "providers[].busy_ns"), ==, 100000);
    g_assert_cmpfloat(r.s->providers[0].utilization, ==, 0.05);
    g_assert_cmpfloat(r.s->providers[0].utilization_alive, ==, 0.05);
    run_clear(&r);
}

/* stop.time 10 ms, stop.warmup 5 ms: the window is [5 ms, 10 ms). A pager with
 * one worker, 100 us per READ, supplies aligned 8 KiB clusters (2 pages); page
 * 0 is resident. One thread per access:
 *   T0  1 ms        page 4: READ sent at 1 ms, pages 4-5 supplied at 1.1 ms,
 *                   done at 1.1 ms: all in the warm-up;
 *   T1  4,999,999   page 0: a hit just before the window: not counted;
 *   T2  5,000,000   page 0: a hit at the window's start: counted, latency 0;
 *   T3  4.95 ms     page 2: READ sent (and dequeued) in the warm-up, pages 2-3
 *                   supplied at 5.05 ms, done then: counted with its whole
 *                   latency of 100 us, as is its Wait; its request is not;
 *   T4  9.95 ms     page 6: READ sent and dequeued in the window, still being
 *                   served at the end: a request, not an access.
 * Page 3 is supplied in the window and never touched: unused; page 5 was
 * supplied in the warm-up and is not. The worker served 4.95..5.05 ms: 50 us
 * of it in the window. */
static const char warmup_json[] =
    "{\"stop\": {\"time\": \"10ms\", \"warmup\": \"5ms\"},"
    " \"providers\": [{\"name\": \"p\", \"kind\": \"pager\", \"latency\": \"100us\","
    "                  \"supply\": {\"mode\": \"whole\", \"cluster\": \"8KiB\"}}],"
    " \"vmos\": [{\"name\": \"f\", \"size\": \"32KiB\", \"provider\": \"p\", \"resident\": [[0, "
    "\"4KiB\"]]}],"
    " \"workloads\": [{\"name\": \"e\", \"kind\": \"explicit\", \"accesses\": ["
    "  {\"thread\": \"T0\", \"at\": \"1ms\", \"vmo\": \"f\", \"offset\": \"16KiB\"},"
    "  {\"thread\": \"T1\", \"at\": 4999999, \"vmo\": \"f\", \"offset\": 0},"
    "  {\"thread\": \"T2\", \"at\": 5000000, \"vmo\": \"f\", \"offset\": 0},"
    "  {\"thread\": \"T3\", \"at\": \"4.95ms\", \"vmo\": \"f\", \"offset\": \"8KiB\"},"
    "  {\"thread\": \"T4\", \"at\": \"9.95ms\", \"vmo\": \"f\", \"offset\": \"24KiB\"}]}]}";

static void test_warmup_window(void) {
    Run r = {0};
    run_json(&r, warmup_json);
    g_assert_cmpuint(r.s->sim_time_ns, ==, 10000000);
    g_assert_cmpfloat(num(&r, "window_ns[]"), ==, 10000000); /* [5 ms, 10 ms] */
    g_assert_cmpuint(r.s->window_start_ns, ==, 5000000);
    g_assert_cmpuint(r.s->all.accesses, ==, 2); /* T2 and T3 */
    g_assert_cmpuint(r.s->all.faults, ==, 1);   /* T3 */
    g_assert_cmpfloat(num(&r, "access_latency_ns.min"), ==, 0);
    g_assert_cmpfloat(num(&r, "access_latency_ns.max"), ==, 100000);
    g_assert_cmpfloat(num(&r, "latency_ns.p50"), ==, 100000);
    /* 2 accesses in 5 ms. */
    g_assert_cmpfloat(num(&r, "throughput.accesses_per_s"), ==, 400.0);
    g_assert_cmpuint(r.s->requests_sent, ==, 1); /* T4's */
    g_assert_cmpuint(r.s->requests_pages, ==, 1);
    g_assert_cmpuint(r.s->providers[0].requests, ==, 1);
    g_assert_cmpuint(r.s->supplied_pages, ==, 2); /* pages 2-3 */
    g_assert_cmpuint(r.s->unused_pages, ==, 1);   /* page 3 */
    g_assert_cmpuint(r.s->waits, ==, 1);          /* T3's */
    g_assert_cmpfloat(rep_figures_mean_wait(r.s), ==, 100000);
    g_assert_cmpuint(r.s->providers[0].busy_ns, ==, 50000);
    g_assert_cmpfloat(r.s->providers[0].utilization, ==, 0.01); /* 50 us of 5 ms */
    /* T4 never finished: no makespan. */
    g_assert_true(is_null(&r, "makespan_ns"));
    g_assert_cmpuint(r.s->workloads[0].finished, ==, 4); /* T0 to T3, window aside */
    run_clear(&r);
}

/* A pager with one worker and 1 ms per READ dies at 2.5 ms; the run stops at
 * 4 ms. T1 faults pages 0, 1, 2 and 3 one after the other: pages 0 and 1 are
 * served 0..1 ms and 1..2 ms; page 2's READ is being served when the pager dies
 * at 2.5 ms, which releases T1 with ZX_ERR_NOT_FOUND; page 3 then fails at once.
 * The worker notices at 3 ms, so it was busy 3 ms in all, 2.5 ms of them while
 * the pager was alive: 75% of the run (an eviction at 4 ms keeps it going to its
 * stop time), 100% of its life. */
static const char death_json[] =
    "{\"stop\": {\"time\": \"4ms\"},"
    " \"providers\": [{\"name\": \"p\", \"kind\": \"pager\", \"latency\": \"1ms\", \"die_at\": "
    "\"2.5ms\"}],"
    " \"vmos\": [{\"name\": \"f\", \"size\": \"16KiB\", \"provider\": \"p\"}],"
    " \"workloads\": [{\"name\": \"e\", \"kind\": \"explicit\", \"accesses\": ["
    "  {\"thread\": \"T1\", \"at\": 0, \"vmo\": \"f\", \"offset\": 0},"
    "  {\"thread\": \"T1\", \"at\": 0, \"vmo\": \"f\", \"offset\": \"4KiB\"},"
    "  {\"thread\": \"T1\", \"at\": 0, \"vmo\": \"f\", \"offset\": \"8KiB\"},"
    "  {\"thread\": \"T1\", \"at\": 0, \"vmo\": \"f\", \"offset\": \"12KiB\"}]}],"
    " \"actions\": [{\"at\": \"4ms\", \"do\": \"evict\", \"vmo\": \"f\", \"offset\": 0, "
    "\"length\": \"4KiB\"}]}";

static void test_utilization_over_life(void) {
    Run r = {0};
    run_json(&r, death_json);
    const RepProviderFigures *p = &r.s->providers[0];
    g_assert_cmpuint(r.s->sim_time_ns, ==, 4000000);
    g_assert_cmpuint(p->busy_ns, ==, 3000000);
    g_assert_cmpuint(p->busy_alive_ns, ==, 2500000);
    g_assert_cmpuint(p->alive_ns, ==, 2500000);
    g_assert_cmpfloat(p->utilization, ==, 0.75);
    g_assert_cmpfloat(p->utilization_alive, ==, 1.0);
    g_assert_cmpfloat(num(&r, "providers[].utilization_alive"), ==, 1.0);
    g_assert_cmpfloat(num(&r, "statuses.ZX_OK.accesses"), ==, 2);
    g_assert_cmpfloat(num(&r, "statuses.ZX_OK.latency_ns.mean"), ==, 1000000);
    g_assert_cmpfloat(num(&r, "statuses.ZX_ERR_NOT_FOUND.accesses"), ==, 2);
    g_assert_cmpfloat(num(&r, "statuses.ZX_ERR_NOT_FOUND.latency_ns.max"), ==, 500000);
    /* Every workload finished its list by 2.5 ms. */
    g_assert_cmpfloat(num(&r, "makespan_ns"), ==, 2500000);
    run_clear(&r);
}

/* A run that ends before its warm-up (no stop.time to check it against)
 * measures an empty window: nothing counted, rates null. */
static void test_window_empty(void) {
    Run r = {0};
    g_autofree char *json = g_strdup(splits_json);
    g_autofree char *with = g_strconcat("{\"stop\": {\"warmup\": \"1s\"}, ", json + 1, NULL);
    run_json(&r, with);
    g_assert_cmpuint(r.s->all.accesses, ==, 0);
    g_assert_true(is_null(&r, "throughput.accesses_per_s"));
    g_assert_true(is_null(&r, "access_latency_ns.p50"));
    g_assert_cmpfloat(num(&r, "access_latency_ns.count"), ==, 0);
    g_assert_cmpfloat(num(&r, "makespan_ns"), ==, 2000000); /* the window aside */
    run_clear(&r);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/mdl/figures/totals-and-throughput", test_totals_and_throughput);
    g_test_add_func("/mdl/figures/access-latency", test_access_latency);
    g_test_add_func("/mdl/figures/status-splits", test_status_splits);
    g_test_add_func("/mdl/figures/workload-splits", test_workload_splits);
    g_test_add_func("/mdl/figures/warmup-window", test_warmup_window);
    g_test_add_func("/mdl/figures/utilization-over-life", test_utilization_over_life);
    g_test_add_func("/mdl/figures/window-empty", test_window_empty);
    return g_test_run();
}
