/* Unit tests of the loader: defaults filled in, names resolved to indices,
 * actions sorted, overrides, policy and seed changes after loading, file errors,
 * and the exact output of scn_scenario_describe() for a small scenario. */
#include "sim/scenario/scn-scenario.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

/* One object of each kind, with nothing but what is required. */
static const char *const minimal =
    "{\"stop\": {\"time\": \"1s\"},"
    " \"providers\": [{\"name\": \"nvme\", \"kind\": \"pager\"},"
    "                 {\"name\": \"ram\", \"kind\": \"sync\"},"
    "                 {\"name\": \"script\", \"kind\": \"scripted\"}],"
    " \"vmos\": [{\"name\": \"file\", \"size\": \"1MiB\", \"provider\": \"nvme\"},"
    "            {\"name\": \"small\", \"size\": \"16KiB\", \"provider\": \"script\"},"
    "            {\"name\": \"anon\", \"size\": \"4KiB\"}],"
    " \"workloads\": [{\"name\": \"loop\", \"kind\": \"closed\", \"vmo\": \"file\"},"
    "   {\"name\": \"zipf\", \"kind\": \"closed\", \"vmo\": \"file\", \"threads\": 4,"
    "    \"pattern\": {\"kind\": \"zipf\"}, \"range\": {\"offset\": \"512KiB\"}},"
    "   {\"name\": \"arrive\", \"kind\": \"open\", \"vmo\": \"file\","
    "    \"arrival\": {\"process\": \"interval\", \"every\": \"1ms\"}},"
    "   {\"name\": \"script\", \"kind\": \"explicit\", \"accesses\": ["
    "     {\"thread\": \"A\", \"at\": \"0ns\", \"vmo\": \"small\", \"offset\": 0},"
    "     {\"thread\": \"B\", \"at\": \"1us\", \"vmo\": \"small\", \"offset\": \"4KiB\"},"
    "     {\"thread\": \"A\", \"at\": \"1us\", \"vmo\": \"anon\", \"offset\": 0}]}],"
    " \"actions\": [{\"at\": \"30us\", \"do\": \"kill\", \"thread\": \"zipf/3\"},"
    "   {\"at\": \"10us\", \"do\": \"supply\", \"vmo\": \"small\", \"offset\": 0, \"length\": "
    "\"4KiB\"},"
    "   {\"at\": \"10us\", \"do\": \"suspend\", \"thread\": \"B\"},"
    "   {\"at\": \"0ns\", \"do\": \"fail\", \"vmo\": \"small\", \"offset\": 1, \"length\": 0,"
    "    \"raw\": true, \"status\": 5}]}";

/* Loads @text as if it were the file "dir/minimal.json". */
static ScnScenario *load(const char *text, const char *const *overrides, GError **error) {
    return scn_scenario_load_data(text, strlen(text), "dir/minimal.json", overrides, error);
}

/* Loads @text, which must be valid. */
static ScnScenario *load_ok(const char *text, const char *const *overrides) {
    g_autoptr(GError) error = NULL;
    ScnScenario *sc = load(text, overrides, &error);

    g_assert_no_error(error);
    g_assert_nonnull(sc);
    return sc;
}

/* An empty object is a valid scenario with every top-level default. */
static void test_defaults_top(void) {
    g_autoptr(ScnScenario) sc = load_ok("{}", NULL);

    g_assert_cmpstr(sc->name, ==, "minimal");
    g_assert_cmpstr(sc->description, ==, "");
    g_assert_cmpstr(sc->source, ==, "dir/minimal.json");
    g_assert_cmpuint(sc->seed, ==, 1);
    g_assert_cmpstr(sc->policy.spec, ==, "fuchsia");
    g_assert_true(sc->policy.fuchsia);
    g_assert_cmpuint(sc->stop_time_ns, ==, SCN_NEVER);
    g_assert_cmpuint(sc->stop_events, ==, 0);
    g_assert_cmpuint(sc->kernel.fault_entry_ns, ==, 0);
    g_assert_cmpuint(sc->kernel.wake_latency_ns, ==, 0);
    g_assert_cmpuint(sc->kernel.pager_timeout_ns, ==, 300 * SCN_SEC);
    g_assert_cmpuint(sc->kernel.overtime_wait_ns, ==, 20 * SCN_SEC);
    g_assert_cmpuint(sc->n_providers + sc->n_vmos + sc->n_workloads + sc->n_actions, ==, 0);
}

/* Provider and VMO defaults, and VMO -> provider indices. */
static void test_defaults_providers(void) {
    g_autoptr(ScnScenario) sc = load_ok(minimal, NULL);
    const ScnProvider *p = &sc->providers[0];

    g_assert_cmpuint(sc->n_providers, ==, 3);
    g_assert_cmpint(p->kind, ==, SCN_PROVIDER_PAGER);
    g_assert_cmpuint(p->workers, ==, 1);
    g_assert_cmpint(p->latency.kind, ==, SCN_DIST_CONSTANT);
    g_assert_cmpuint(p->latency.value_ns, ==, 8 * SCN_USEC);
    g_assert_cmpuint(p->per_page_ns, ==, 0);
    g_assert_cmpint(p->supply_mode, ==, SCN_SUPPLY_WHOLE);
    g_assert_cmpuint(p->supply_chunk, ==, 64 * 1024);
    g_assert_cmpuint(p->supply_cluster, ==, 0);
    g_assert_cmpfloat(p->failure_probability, ==, 0.0);
    g_assert_cmpint(p->failure_status, ==, SCN_ZX_ERR_IO);
    g_assert_cmpuint(p->die_at_ns, ==, SCN_NEVER);
    g_assert_cmpint(sc->providers[1].kind, ==, SCN_PROVIDER_SYNC);
    g_assert_cmpuint(sc->providers[1].cost_ns, ==, 0);
    g_assert_cmpint(sc->providers[2].kind, ==, SCN_PROVIDER_SCRIPTED);
    g_assert_cmpuint(sc->vmos[0].provider, ==, 0);
    g_assert_cmpuint(sc->vmos[1].provider, ==, 2);
    g_assert_cmpuint(sc->vmos[2].provider, ==, SCN_NONE);
    g_assert_cmpuint(sc->vmos[0].size, ==, 1 << 20);
    g_assert_cmpuint(sc->vmos[0].n_resident, ==, 0);
}

/* Workload defaults, including those resolved against the VMO. */
static void test_defaults_workloads(void) {
    g_autoptr(ScnScenario) sc = load_ok(minimal, NULL);
    const ScnWorkload *loop = &sc->workloads[0], *zipf = &sc->workloads[1];
    const ScnWorkload *arrive = &sc->workloads[2];

    g_assert_cmpint(loop->kind, ==, SCN_WORKLOAD_CLOSED);
    g_assert_cmpuint(loop->vmo, ==, 0);
    g_assert_cmpuint(loop->threads, ==, 1);
    g_assert_cmpint(loop->access, ==, SCN_ACCESS_FAULT);
    g_assert_cmpuint(loop->pages, ==, 1);
    g_assert_cmpint(loop->pattern.kind, ==, SCN_PATTERN_SEQUENTIAL);
    g_assert_false(loop->pattern.per_thread);
    g_assert_cmpuint(loop->range_offset, ==, 0);
    g_assert_cmpuint(loop->range_size, ==, 1 << 20);
    g_assert_cmpuint(loop->think.value_ns, ==, 0);
    g_assert_cmpuint(loop->access_limit, ==, 0);
    g_assert_cmpuint(loop->start_ns, ==, 0);
    g_assert_null(loop->thread_names);
    g_assert_cmpuint(zipf->range_offset, ==, 512 * 1024);
    g_assert_cmpuint(zipf->range_size, ==, 512 * 1024);
    g_assert_cmpuint(zipf->pattern.hot_set, ==, 512 * 1024);
    g_assert_cmpfloat(zipf->pattern.theta, ==, 0.99);
    g_assert_cmpint(arrive->kind, ==, SCN_WORKLOAD_OPEN);
    g_assert_cmpint(arrive->arrival, ==, SCN_ARRIVAL_INTERVAL);
    g_assert_cmpuint(arrive->every_ns, ==, SCN_MSEC);
    g_assert_cmpuint(arrive->count, ==, 0);
    g_assert_cmpuint(arrive->threads, ==, 0);
}

/* Explicit threads are numbered in order of first use. */
static void test_explicit(void) {
    g_autoptr(ScnScenario) sc = load_ok(minimal, NULL);
    const ScnWorkload *w = &sc->workloads[3];

    g_assert_cmpint(w->kind, ==, SCN_WORKLOAD_EXPLICIT);
    g_assert_cmpuint(w->vmo, ==, SCN_NONE);
    g_assert_cmpuint(w->threads, ==, 2);
    g_assert_cmpstr(w->thread_names[0], ==, "A");
    g_assert_cmpstr(w->thread_names[1], ==, "B");
    g_assert_null(w->thread_names[2]);
    g_assert_cmpuint(w->n_accesses, ==, 3);
    g_assert_cmpuint(w->accesses[1].thread, ==, 1);
    g_assert_cmpuint(w->accesses[1].vmo, ==, 1);
    g_assert_cmpuint(w->accesses[1].offset, ==, 4096);
    g_assert_cmpuint(w->accesses[1].at_ns, ==, 1000);
    g_assert_cmpuint(w->accesses[2].thread, ==, 0);
    g_assert_cmpuint(w->accesses[2].vmo, ==, 2);
    g_assert_cmpuint(w->accesses[2].pages, ==, 1);
    g_assert_cmpint(w->accesses[2].access, ==, SCN_ACCESS_FAULT);
}

/* Actions: sorted stably by time, names resolved, raw fails keep their data. */
static void test_actions(void) {
    g_autoptr(ScnScenario) sc = load_ok(minimal, NULL);
    const ScnAction *a = sc->actions;

    g_assert_cmpuint(sc->n_actions, ==, 4);
    /* Sorted by time; the two at 10us keep their file order. */
    g_assert_cmpint(a[0].kind, ==, SCN_ACTION_FAIL);
    g_assert_cmpuint(a[0].src_index, ==, 3);
    g_assert_true(a[0].raw);
    g_assert_cmpint(a[0].status, ==, 5);
    g_assert_cmpuint(a[0].offset, ==, 1);
    g_assert_cmpuint(a[0].provider, ==, 2);
    g_assert_cmpint(a[1].kind, ==, SCN_ACTION_SUPPLY);
    g_assert_cmpuint(a[1].src_index, ==, 1);
    g_assert_cmpuint(a[1].vmo, ==, 1);
    g_assert_cmpuint(a[1].length, ==, 4096);
    g_assert_cmpuint(a[1].provider, ==, SCN_NONE);
    g_assert_cmpuint(a[1].thread.workload, ==, SCN_NONE);
    g_assert_cmpint(a[2].kind, ==, SCN_ACTION_SUSPEND);
    g_assert_cmpuint(a[2].thread.workload, ==, 3);
    g_assert_cmpuint(a[2].thread.index, ==, 1);
    g_assert_cmpuint(a[2].vmo, ==, SCN_NONE);
    g_assert_cmpint(a[3].kind, ==, SCN_ACTION_KILL);
    g_assert_cmpuint(a[3].at_ns, ==, 30000);
    g_assert_cmpuint(a[3].thread.workload, ==, 1);
    g_assert_cmpuint(a[3].thread.index, ==, 3);
}

/* Overrides replace scalars and objects, add keys, and apply in order. */
static void test_overrides(void) {
    const char *const sets[] = {
        "providers[0].workers=8",
        "$.providers[0].latency={\"dist\": \"exponential\", \"mean\": \"80us\"}",
        "providers[0].latency.mean=90us",
        "kernel.fault_entry=1.5us",
        "seed=7",
        "seed=9",
        "vmos[0].resident=[[0, \"8KiB\"]]",
        "vmos[0].resident[0][1]=\"12KiB\"",
        "name=renamed",
        "workloads[0].pattern.per_thread=true",
        NULL,
    };
    g_autoptr(ScnScenario) sc = load_ok(minimal, sets);

    g_assert_cmpuint(sc->providers[0].workers, ==, 8);
    g_assert_cmpint(sc->providers[0].latency.kind, ==, SCN_DIST_EXPONENTIAL);
    g_assert_cmpuint(sc->providers[0].latency.mean_ns, ==, 90000);
    g_assert_cmpuint(sc->kernel.fault_entry_ns, ==, 1500);
    g_assert_cmpuint(sc->seed, ==, 9);
    g_assert_cmpuint(sc->vmos[0].n_resident, ==, 1);
    g_assert_cmpuint(sc->vmos[0].resident[0].length, ==, 12288);
    g_assert_cmpstr(sc->name, ==, "renamed");
    g_assert_true(sc->workloads[0].pattern.per_thread);
}

/* Malformed overrides, and values an override makes invalid. */
static void test_overrides_bad(void) {
    static const struct {
        const char *set;
        ScnError code;
        const char *message;
    } bad[] = {
        {"providers", SCN_ERROR_OVERRIDE, "override \"providers\": expected PATH=VALUE"},
        {"=3", SCN_ERROR_OVERRIDE,
         "override \"=3\": malformed path \"\" (expected e.g. \"seed\", "
         "\"providers[0].workers\" or \"$.stop.time\")"},
        {"$=3", SCN_ERROR_OVERRIDE,
         "override \"$=3\": malformed path \"$\" (expected e.g. \"seed\", "
         "\"providers[0].workers\" or \"$.stop.time\")"},
        {"providers.0=3", SCN_ERROR_OVERRIDE,
         "override \"providers.0=3\": $.providers is an array, not an object"},
        {"stop[0]=3", SCN_ERROR_OVERRIDE,
         "override \"stop[0]=3\": $.stop is an object, not an "
         "array"},
        {"vmos[3].size=4KiB", SCN_ERROR_OVERRIDE,
         "override \"vmos[3].size=4KiB\": $.vmos[3] does not exist (the array has 3 elements)"},
        {"stop.time=0ns", SCN_ERROR_VALUE,
         "$.stop.time: must be at least 1ns, got 0ns (set by override \"stop.time=0ns\")"},
        {"providers[1]=3", SCN_ERROR_TYPE,
         "$.providers[1]: expected an object, got an integer (set by override \"providers[1]=3\")"},
    };

    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        const char *sets[] = {bad[i].set, NULL};
        g_autoptr(GError) error = NULL;
        g_autoptr(ScnScenario) sc = load(minimal, sets, &error);
        g_autofree char *expected = g_strdup_printf("dir/minimal.json: %s", bad[i].message);

        g_assert_null(sc);
        g_assert_error(error, SCN_ERROR, (gint)bad[i].code);
        g_assert_cmpstr(error->message, ==, expected);
    }
}

/* --policy and --seed after loading. */
static void test_policy_and_seed(void) {
    g_autoptr(ScnScenario) sc = load_ok("{\"policy\": \"adaptive\"}", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_true(sc->policy.adaptive);
    g_assert_true(scn_scenario_set_policy(sc, "readahead:16", &error));
    g_assert_no_error(error);
    g_assert_cmpstr(sc->policy.spec, ==, "readahead:16");
    g_assert_cmpuint(sc->policy.readahead_pages, ==, 16);
    g_assert_false(sc->policy.adaptive);
    g_assert_false(scn_scenario_set_policy(sc, "readahead:16+bogus", &error));
    g_assert_error(error, SCN_ERROR, SCN_ERROR_VALUE);
    g_assert_cmpstr(sc->policy.spec, ==, "readahead:16");
    sc->seed = 12345;
    g_assert_cmpuint(sc->seed, ==, 12345);
}

/* The default name comes from the file name and is always a valid name. */
static void test_default_name(void) {
    static const char *const sources[][2] = {
        {"a/b/seq-reader.json", "seq-reader"},
        {"my scenario.json", "my-scenario"},
        {"noext", "noext"},
        {".json", "scenario"},
    };

    for (gsize i = 0; i < G_N_ELEMENTS(sources); i++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(ScnScenario) sc = scn_scenario_load_data("{}", 2, sources[i][0], NULL, &error);

        g_assert_no_error(error);
        g_assert_cmpstr(sc->name, ==, sources[i][1]);
    }
}

/* Files that cannot be read name the file and the system's reason. */
static void test_file_errors(void) {
    g_autoptr(GError) error = NULL;
    g_autoptr(ScnScenario) sc = scn_scenario_load_file("does-not-exist.json", NULL, &error);
    g_autoptr(GError) dir_error = NULL;
    g_autofree char *dir = g_dir_make_tmp("scn-XXXXXX", NULL);
    g_autofree char *expected = g_strdup_printf("%s: cannot read: %s", dir, g_strerror(EISDIR));

    g_assert_null(sc);
    g_assert_error(error, SCN_ERROR, SCN_ERROR_IO);
    g_assert_cmpstr(error->message, ==,
                    "does-not-exist.json: cannot open: No such file or directory");
    g_assert_null(scn_scenario_load_file(dir, NULL, &dir_error));
    g_assert_error(dir_error, SCN_ERROR, SCN_ERROR_IO);
    g_assert_cmpstr(dir_error->message, ==, expected);
    g_rmdir(dir);
}

/* One case per error code of the content checks. */
static void test_error_codes(void) {
    static const struct {
        const char *text;
        ScnError code;
    } cases[] = {
        {"{\"seed\": 1,}", SCN_ERROR_SYNTAX},
        {"", SCN_ERROR_SYNTAX},
        {"{\"sed\": 1}", SCN_ERROR_UNKNOWN_KEY},
        {"{\"providers\": [{\"kind\": \"sync\"}]}", SCN_ERROR_MISSING},
        {"{\"seed\": []}", SCN_ERROR_TYPE},
        {"{\"seed\": -1}", SCN_ERROR_VALUE},
        {"{\"providers\": [{\"name\": \"a\", \"kind\": \"sync\"}, {\"name\": \"a\", \"kind\": "
         "\"sync\"}]}",
         SCN_ERROR_DUPLICATE},
        {"{\"vmos\": [{\"name\": \"v\", \"size\": \"4KiB\", \"provider\": \"p\"}]}",
         SCN_ERROR_REFERENCE},
    };

    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(ScnScenario) sc = load(cases[i].text, NULL, &error);

        g_assert_null(sc);
        g_assert_error(error, SCN_ERROR, (gint)cases[i].code);
    }
}

/* The scenario whose description is checked character by character. */
static const char *const small =
    "{\"name\": \"small\", \"description\": \"Two readers and a script.\", \"seed\": 3,"
    " \"stop\": {\"time\": \"10ms\"},"
    " \"providers\": [{\"name\": \"nvme\", \"kind\": \"pager\", \"workers\": 2,"
    "   \"latency\": {\"dist\": \"uniform\", \"min\": \"60us\", \"max\": \"100us\"},"
    "   \"failure\": {\"probability\": 0.5}},"
    "  {\"name\": \"script\", \"kind\": \"scripted\"}],"
    " \"vmos\": [{\"name\": \"file\", \"size\": \"1MiB\", \"provider\": \"nvme\","
    "   \"resident\": [[0, \"64KiB\"]]},"
    "  {\"name\": \"tiny\", \"size\": \"4KiB\", \"provider\": \"script\"}],"
    " \"workloads\": [{\"name\": \"readers\", \"kind\": \"closed\", \"vmo\": \"file\","
    "   \"threads\": 2, \"pattern\": {\"kind\": \"uniform\"}, \"think\": \"5us\"},"
    "  {\"name\": \"s\", \"kind\": \"explicit\", \"accesses\": [{\"thread\": \"T\","
    "   \"at\": \"1us\", \"vmo\": \"tiny\", \"offset\": 0, \"access\": \"commit\"}]}],"
    " \"actions\": [{\"at\": \"2us\", \"do\": \"dequeue\", \"provider\": \"script\"},"
    "  {\"at\": \"3us\", \"do\": \"supply\", \"vmo\": \"tiny\", \"offset\": 0, \"length\": 4096},"
    "  {\"at\": \"4ms\", \"do\": \"kill\", \"thread\": \"readers/1\"}]}";

static void test_describe(void) {
    g_autoptr(ScnScenario) sc = load_ok(small, NULL);
    g_autoptr(GString) out = g_string_new(NULL);

    scn_scenario_describe(sc, out);
    g_assert_cmpstr(
        out->str, ==,
        "scenario \"small\" (dir/minimal.json)\n"
        "  Two readers and a script.\n"
        "  seed 3, policy fuchsia\n"
        "  stop: at 10ms\n"
        "  kernel: fault_entry 0ns, wake_latency 0ns, pager_timeout 5min, overtime_wait 20s\n"
        "providers (2):\n"
        "  [0] nvme: pager, 2 workers, latency uniform(60us..100us; mean 80us), per_page 0ns, "
        "supply whole, fails 50% with ZX_ERR_IO\n"
        "  [1] script: scripted\n"
        "vmos (2):\n"
        "  [0] file: 1MiB (256 pages), provider nvme, resident 0..64KiB\n"
        "  [1] tiny: 4KiB (1 page), provider script\n"
        "workloads (2):\n"
        "  [0] readers: closed, 2 threads on file 0..1MiB, fault 1 page, uniform, think "
        "constant(5us), accesses until stop, start 0ns\n"
        "  [1] s: explicit, 1 thread (T), 1 access\n"
        "      at 1us T commit tiny 0..4KiB\n"
        "actions (3):\n"
        "  at 2us: dequeue script\n"
        "  at 3us: supply tiny 0..4KiB\n"
        "  at 4ms: kill readers/1\n");
}

/* A scenario at the scale the engine must handle loads quickly. */
static void test_scale(void) {
    g_autoptr(GString) text = g_string_new("{\"stop\": {\"time\": \"1s\"}, \"providers\": "
                                           "[{\"name\": \"p\", \"kind\": \"scripted\"}],"
                                           " \"vmos\": [{\"name\": \"v\", \"size\": \"4TiB\","
                                           " \"provider\": \"p\"}], \"workloads\": ["
                                           "{\"name\": \"many\", \"kind\": \"closed\", \"vmo\": "
                                           "\"v\", \"threads\": 100000},"
                                           "{\"name\": \"e\", \"kind\": \"explicit\", "
                                           "\"accesses\": [");
    g_autoptr(ScnScenario) sc = NULL;

    for (guint i = 0; i < 20000; i++)
        g_string_append_printf(text,
                               "%s{\"thread\": \"t%u\", \"at\": %u, \"vmo\": \"v\", "
                               "\"offset\": %u}",
                               i ? "," : "", i % 1000, i, i * 4096);
    g_string_append(text, "]}]}");
    sc = load_ok(text->str, NULL);
    g_assert_cmpuint(sc->workloads[0].threads, ==, 100000);
    g_assert_cmpuint(sc->workloads[1].threads, ==, 1000);
    g_assert_cmpuint(sc->workloads[1].n_accesses, ==, 20000);
}

/* @n closed workloads of one access each on one VMO. */
static GString *many_workloads(guint n) {
    GString *text = g_string_new("{\"providers\": [{\"name\": \"p\", \"kind\": \"sync\"}],"
                                 " \"vmos\": [{\"name\": \"v\", \"size\": \"4KiB\","
                                 " \"provider\": \"p\"}], \"workloads\": [");
    for (guint i = 0; i < n; i++)
        g_string_append_printf(text,
                               "%s{\"name\": \"w%u\", \"kind\": \"closed\", \"vmo\": \"v\","
                               " \"accesses\": 1}",
                               i ? "," : "", i);
    g_string_append(text, "]}");
    return text;
}

/* The model keeps a thread's workload in 16 bits: SCN_MAX_WORKLOADS (65,536)
 * load, one more is refused at $.workloads before anything runs. */
static void test_workload_limit(void) {
    g_autoptr(GString) most = many_workloads(SCN_MAX_WORKLOADS);
    g_autoptr(ScnScenario) sc = load_ok(most->str, NULL);
    g_assert_cmpuint(sc->n_workloads, ==, 65536);
    g_assert_cmpstr(sc->workloads[65535].name, ==, "w65535");

    g_autoptr(GString) over = many_workloads(SCN_MAX_WORKLOADS + 1);
    g_autoptr(GError) error = NULL;
    g_assert_null(load(over->str, NULL, &error));
    g_assert_error(error, SCN_ERROR, SCN_ERROR_VALUE);
    g_assert_cmpstr(error->message, ==,
                    "dir/minimal.json: $.workloads: has 65537 elements; at most 65536 are "
                    "supported");
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/scn/load/defaults-top", test_defaults_top);
    g_test_add_func("/scn/load/defaults-providers", test_defaults_providers);
    g_test_add_func("/scn/load/defaults-workloads", test_defaults_workloads);
    g_test_add_func("/scn/load/explicit", test_explicit);
    g_test_add_func("/scn/load/actions", test_actions);
    g_test_add_func("/scn/load/overrides", test_overrides);
    g_test_add_func("/scn/load/overrides-bad", test_overrides_bad);
    g_test_add_func("/scn/load/policy-and-seed", test_policy_and_seed);
    g_test_add_func("/scn/load/default-name", test_default_name);
    g_test_add_func("/scn/load/file-errors", test_file_errors);
    g_test_add_func("/scn/load/error-codes", test_error_codes);
    g_test_add_func("/scn/load/describe", test_describe);
    g_test_add_func("/scn/load/scale", test_scale);
    g_test_add_func("/scn/load/workload-limit", test_workload_limit);
    return g_test_run();
}
