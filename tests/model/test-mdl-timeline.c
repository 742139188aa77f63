/* The timeline a run's model feeds directly (rep-timeline-direct.h) against
 * the fold of the same run's native events (rep_timeline_feed, which is what
 * `pagesim plot` does with an events.jsonl): one run feeds both, through the
 * model's typed calls and through the trace's records, and the two
 * timeline.tsv texts must be the same bytes. Scenarios: every conformance
 * case, the shipped scenarios with a lock, devices, memory (reclaim,
 * eviction), a pager's death, a trace replay, and tests/model/timeline/
 * (open arrivals whose threads are recycled, with readahead's background
 * requests). Both timelines coarsen as a run's does (at most 500 intervals).
 */
#include <glib.h>
#include <stdio.h>

#include "sim/model/mdl-world.h"
#include "sim/report/rep-timeline-io.h"

/* A timeline set up as `pagesim run` sets up its own (cli-run-data.c). */
static RepTimeline *timeline_for(const ScnScenario *sc) {
    uint64_t first = sc->stop_time_ns != SCN_NEVER && sc->stop_time_ns > 0
                         ? rep_timeline_nice_interval(sc->stop_time_ns, 200)
                         : 1000;
    RepTimeline *tl = rep_timeline_new(0, first, 1);
    rep_timeline_set_max(tl, 500);
    for (guint i = 0; i < sc->n_providers; i++)
        rep_timeline_add_provider(
            tl, sc->providers[i].name,
            sc->providers[i].kind == SCN_PROVIDER_PAGER ? sc->providers[i].workers : 0);
    for (guint i = 0; i < sc->n_devices; i++)
        rep_timeline_add_device(tl, sc->devices[i].name, sc->devices[i].queue_depth);
    rep_timeline_set_memory(tl, sc->memory.enabled);
    if (sc->stop_time_ns != SCN_NEVER)
        rep_timeline_set_horizon(tl, sc->stop_time_ns);
    return tl;
}

static char *tsv(RepTimeline *tl, uint64_t end) {
    rep_timeline_finish(tl, end);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    g_assert_nonnull(f);
    g_autoptr(GError) error = NULL;
    g_assert_true(rep_timeline_write(tl, f, &error));
    g_assert_no_error(error);
    fclose(f);
    return text;
}

/* Runs @path (relative to the source tree's root) feeding both timelines. */
static void check_same(gconstpointer data) {
    const char *rel = data;
    g_autofree char *path = g_test_build_filename(G_TEST_DIST, "..", rel, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(ScnScenario) sc = scn_scenario_load_file(path, NULL, &error);
    g_assert_no_error(error);
    g_autoptr(RepTimeline) direct = timeline_for(sc);
    g_autoptr(RepTimeline) folded = timeline_for(sc);
    RepTrace *trace = rep_trace_new(NULL);
    rep_trace_set_tee(trace, rep_timeline_feed, folded);
    MdlOptions opt = {.trace = trace, .timeline = direct};
    g_autoptr(MdlWorld) w = mdl_world_new(sc, &opt, &error);
    g_assert_no_error(error);
    mdl_world_run(w);
    const MdlStats *s = mdl_world_get_stats(w);
    g_assert_null(s->violation);
    g_autofree char *a = tsv(direct, s->sim_time_ns);
    g_autofree char *b = tsv(folded, s->sim_time_ns);
    g_assert_cmpstr(a, ==, b);
    g_assert_cmpuint(rep_timeline_events(folded), >, 0); /* the fold was fed */
    rep_trace_free(trace);
}

/* tests/model/lock/two-threads.json (times in test-mdl-lock.c): three waits
 * for the lock, [1.5us, 2us) by T2, [2.5us, 3us) by the supply action and
 * [9us, 10us) by T2; the run ends at 11us, cut into 1us intervals (no stop
 * time). Mean queued per interval: 0.5 in [1us, 2us) and [2us, 3us), 1 in
 * [9us, 10us), 0 elsewhere. A run without lock costs has no lock series. */
static void lock_waiting(void) {
    g_autofree char *path =
        g_test_build_filename(G_TEST_DIST, "model", "lock", "two-threads.json", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(ScnScenario) sc = scn_scenario_load_file(path, NULL, &error);
    g_assert_no_error(error);
    g_autoptr(RepTimeline) tl = timeline_for(sc);
    MdlOptions opt = {.timeline = tl};
    g_autoptr(MdlWorld) w = mdl_world_new(sc, &opt, &error);
    g_assert_no_error(error);
    mdl_world_run(w);
    g_assert_cmpuint(mdl_world_get_stats(w)->sim_time_ns, ==, 11000);
    rep_timeline_finish(tl, 11000);
    g_assert_true(rep_timeline_has_lock(tl));
    g_assert_cmpuint(rep_timeline_n(tl), ==, 11);
    g_assert_cmpuint(rep_timeline_interval(tl), ==, 1000);
    static const double want[11] = {0, 0.5, 0.5, 0, 0, 0, 0, 0, 0, 1.0, 0};
    for (guint i = 0; i < 11; i++)
        g_assert_cmpfloat(rep_timeline_lock_waiting(tl, i), ==, want[i]);

    g_autofree char *plain =
        g_test_build_filename(G_TEST_DIST, "conformance", "C04-many-readers.json", NULL);
    g_autoptr(ScnScenario) sc2 = scn_scenario_load_file(plain, NULL, &error);
    g_assert_no_error(error);
    g_autoptr(RepTimeline) tl2 = timeline_for(sc2);
    MdlOptions opt2 = {.timeline = tl2};
    g_autoptr(MdlWorld) w2 = mdl_world_new(sc2, &opt2, &error);
    g_assert_no_error(error);
    mdl_world_run(w2);
    g_assert_false(rep_timeline_has_lock(tl2));
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/timeline/lock-waiting", lock_waiting);
    static const char *const scenarios[] = {
        "scenarios/lock-bottleneck.json",
        "scenarios/hdd-many-workers.json",
        "scenarios/blobfs.json",
        "scenarios/memory-thrash.json",
        "scenarios/evict-thrash.json",
        "scenarios/pager-death.json",
        "scenarios/trace-replay.json",
        "scenarios/hot-pages-storm.json",
        "scenarios/batched-commit.json",
        "scenarios/real-8x2.json",
        "scenarios/seq-reader.json",
        "tests/model/timeline/open-readahead.json",
        "tests/model/lock/two-threads.json",
        "tests/model/lock/interrupt.json",
        "tests/model/lock/worker.json",
        "tests/model/lock/saturated.json",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(scenarios); i++) {
        g_autofree char *name = g_strdup_printf("/timeline/direct-equals-fold/%s", scenarios[i]);
        g_test_add_data_func(name, scenarios[i], check_same);
    }
    g_autofree char *dir = g_test_build_filename(G_TEST_DIST, "conformance", NULL);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    g_assert_nonnull(d);
    g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func(g_free);
    for (const char *n; (n = g_dir_read_name(d)) != NULL;)
        if (g_str_has_suffix(n, ".json"))
            g_ptr_array_add(cases, g_strconcat("tests/conformance/", n, NULL));
    g_ptr_array_sort(cases, (GCompareFunc)g_strcmp0);
    for (guint i = 0; i < cases->len; i++) {
        g_autofree char *name =
            g_strdup_printf("/timeline/direct-equals-fold/%s", (char *)g_ptr_array_index(cases, i));
        g_test_add_data_func(name, g_ptr_array_index(cases, i), check_same);
    }
    return g_test_run();
}
