/* Trace replay, end to end: small traces run through pagesim (its path is the
 * PAGESIM environment variable) in both timing modes; the times of every access
 * start and end in events.jsonl are checked against times worked out by hand.
 *
 * The pager has one worker and a constant 100us service, so each request waits
 * for the ones before it; every expectation below says why.
 */
#include <glib/gstdio.h>
#include <jansson.h>
#include <zlib.h>

/* The four-record trace: a and b fault page 0 at once (b coalesces on a's
 * request), a reads pages 2-3 at 50us, b commits page 16 at 300us. */
static const char *const small_csv = "# two threads\n"
                                     "t,thread,vmo,offset,len,kind\n"
                                     "0,a,data,0,4096,fault\n"
                                     "0,b,data,0,4096,fault\n"
                                     "50us,a,data,8192,8192,read\n"
                                     "300us,b,data,64KiB,4096,commit\n";

/* The same records as JSON lines, times as gaps. */
static const char *const small_jsonl =
    "{\"gap\": 0, \"thread\": \"a\", \"vmo\": \"data\", \"offset\": 0}\n"
    "{\"gap\": 0, \"thread\": \"b\", \"vmo\": \"data\", \"offset\": 0, \"kind\": \"fault\"}\n"
    "{\"gap\": \"50us\", \"thread\": \"a\", \"vmo\": \"data\", \"offset\": 8192, \"len\": 8192,"
    " \"kind\": \"read\"}\n"
    "{\"gap\": 250000, \"thread\": \"b\", \"vmo\": \"data\", \"offset\": \"64KiB\","
    " \"kind\": \"commit\"}\n";

/* One thread; its first access took 30us when recorded, so closed replay
 * thinks 80us - 30us = 50us after it. */
static const char *const dur_csv = "gap,thread,vmo,offset,dur\n"
                                   "0,a,data,0,30us\n"
                                   "80us,a,data,4096,0\n";

typedef struct {
    guint64 t;
    const char *ev; /* access or done */
    const char *thread;
    guint64 latency; /* done only */
} Step;

typedef struct {
    const char *trace;   /* file contents */
    const char *name;    /* file name; ".gz" is written compressed */
    const char *mode;    /* as_recorded or closed */
    const Step *expect;  /* ends with ev NULL */
    const char *kernel;  /* nullable: the scenario's "kernel" object */
    const char *actions; /* nullable: the scenario's "actions" array */
} Case;

static void write_trace(const char *path, const char *text) {
    if (!g_str_has_suffix(path, ".gz")) {
        g_assert_true(g_file_set_contents(path, text, -1, NULL));
        return;
    }
    gzFile gz = gzopen(path, "wb");
    g_assert_nonnull(gz);
    g_assert_cmpint(gzputs(gz, text), ==, (int)strlen(text));
    g_assert_cmpint(gzclose(gz), ==, Z_OK);
}

/* Runs the case and returns the parsed events.jsonl lines (access and done). */
static GPtrArray *run(const Case *c, const char *dir) {
    g_autofree char *trace = g_build_filename(dir, c->name, NULL);
    write_trace(trace, c->trace);
    g_autofree char *path = g_build_filename(dir, "replay.json", NULL);
    g_autofree char *text = g_strdup_printf(
        "{\"name\": \"replay\", \"providers\": [{\"name\": \"p\", \"kind\": \"pager\","
        " \"workers\": 1, \"latency\": \"100us\"}],"
        " \"vmos\": [{\"name\": \"data\", \"size\": \"1MiB\", \"provider\": \"p\"}],"
        " \"workloads\": [{\"name\": \"rep\", \"kind\": \"trace\", \"file\": \"%s\","
        " \"mode\": \"%s\"}], \"kernel\": %s, \"actions\": %s}",
        c->name, c->mode, c->kernel ? c->kernel : "{}", c->actions ? c->actions : "[]");
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    g_autofree char *out = g_build_filename(dir, "out", NULL);
    const char *argv[] = {g_getenv("PAGESIM"), "run", path, "--out", out, "--quiet", NULL};
    g_assert_nonnull(argv[0]);
    int status = -1;
    g_autoptr(GError) err = NULL;
    g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &err);
    g_assert_no_error(err);
    g_assert_cmpint(status, ==, 0);
    g_autofree char *events = g_build_filename(out, "events.jsonl", NULL);
    g_autofree char *body = NULL;
    g_assert_true(g_file_get_contents(events, &body, NULL, NULL));
    GPtrArray *got = g_ptr_array_new_with_free_func((GDestroyNotify)json_decref);
    g_auto(GStrv) lines = g_strsplit(body, "\n", -1);
    for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++) {
        json_t *e = json_loads(lines[i], 0, NULL);
        g_assert_nonnull(e);
        const char *ev = json_string_value(json_object_get(e, "ev"));
        if (g_strcmp0(ev, "access") == 0 || g_strcmp0(ev, "done") == 0)
            g_ptr_array_add(got, e);
        else
            json_decref(e);
    }
    return got;
}

static void test_case(gconstpointer data) {
    const Case *c = data;
    g_autofree char *dir = g_dir_make_tmp("replay-XXXXXX", NULL);
    g_autoptr(GPtrArray) got = run(c, dir);
    guint n = 0;
    for (; c->expect[n].ev != NULL; n++) {
        const Step *s = &c->expect[n];
        g_assert_cmpuint(n, <, got->len);
        json_t *e = got->pdata[n];
        g_assert_cmpuint(json_integer_value(json_object_get(e, "t")), ==, s->t);
        g_assert_cmpstr(json_string_value(json_object_get(e, "ev")), ==, s->ev);
        g_assert_cmpstr(json_string_value(json_object_get(e, "thread")), ==, s->thread);
        if (g_str_equal(s->ev, "done"))
            g_assert_cmpuint(json_integer_value(json_object_get(e, "latency_ns")), ==, s->latency);
    }
    g_assert_cmpuint(got->len, ==, n);
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
    g_assert_cmpint(system(cmd), ==, 0);
}

/* As recorded: a's read (pages 2, 3) starts at 50us but its first request
 * waits for the worker until 100us: pages served 100-200us and 200-300us, so
 * it ends at 300us after 250us. b's commit arrives at 300us, served by 400us. */
static const Step small_recorded[] = {
    {0, "access", "a", 0},         {0, "access", "b", 0},         {50000, "access", "a", 0},
    {100000, "done", "b", 100000}, {100000, "done", "a", 100000}, {300000, "access", "b", 0},
    {300000, "done", "a", 250000}, {400000, "done", "b", 100000}, {0, NULL, NULL, 0},
};

/* Closed: a thinks its recorded 50us after its fault ends (100us), so its read
 * runs 150-350us with an idle worker; b thinks 300us after 100us: 400-500us. */
static const Step small_closed[] = {
    {0, "access", "a", 0},         {0, "access", "b", 0},         {100000, "done", "b", 100000},
    {100000, "done", "a", 100000}, {150000, "access", "a", 0},    {350000, "done", "a", 200000},
    {400000, "access", "b", 0},    {500000, "done", "b", 100000}, {0, NULL, NULL, 0},
};

/* dur: as recorded the second fault arrives at 80us and waits for the worker
 * (done 200us, 120us); closed it starts 50us after the first ends (150us). */
static const Step dur_recorded[] = {
    {0, "access", "a", 0},         {80000, "access", "a", 0}, {100000, "done", "a", 100000},
    {200000, "done", "a", 120000}, {0, NULL, NULL, 0},
};
static const Step dur_closed[] = {
    {0, "access", "a", 0},      {100000, "done", "a", 100000},
    {150000, "access", "a", 0}, {250000, "done", "a", 100000},
    {0, NULL, NULL, 0},
};

/* Kernel costs given as distributions (as realpager --calibrate writes them),
 * here degenerate so the draws are known: every fault pays 10us of entry
 * before its request and 5us of wake-up after its supply, so each fault takes
 * 115us; the second starts 50us after the first ends (115us + 50us). */
static const char *const kernel_dists =
    "{\"fault_entry\": {\"dist\": \"uniform\", \"min\": \"10us\", \"max\": \"10us\"},"
    " \"wake_latency\": {\"dist\": \"empirical\", \"points\": [[0, \"5us\"], [1, \"5us\"]]}}";
static const Step dur_closed_kernel[] = {
    {0, "access", "a", 0},      {115000, "done", "a", 115000},
    {165000, "access", "a", 0}, {280000, "done", "a", 115000},
    {0, NULL, NULL, 0},
};

/* Closed trace threads go by their recorded names in actions: a is killed at
 * 120us while it thinks after its fault, so its read (due at 150us) never
 * starts; b goes on as in small_closed. */
static const Step small_closed_kill[] = {
    {0, "access", "a", 0},
    {0, "access", "b", 0},
    {100000, "done", "b", 100000},
    {100000, "done", "a", 100000},
    {400000, "access", "b", 0},
    {500000, "done", "b", 100000},
    {0, NULL, NULL, 0},
};

static const Case cases[] = {
    {NULL, "small.csv", "as_recorded", small_recorded, NULL, NULL},
    {NULL, "small.csv", "closed", small_closed, NULL, NULL},
    {NULL, "small.jsonl.gz", "as_recorded", small_recorded, NULL, NULL},
    {NULL, "small.jsonl.gz", "closed", small_closed, NULL, NULL},
    {NULL, "dur.csv", "as_recorded", dur_recorded, NULL, NULL},
    {NULL, "dur.csv", "closed", dur_closed, NULL, NULL},
    {NULL, "dur.csv", "closed", dur_closed_kernel, NULL, NULL},
    {NULL, "small.csv", "closed", small_closed_kill, NULL,
     "[{\"at\": \"120us\", \"do\": \"kill\", \"thread\": \"a\"}]"},
};

/* Closed replay with more records queued than the shared reader holds (65536):
 * thread a has 70000 records 1us apart, b one record at 0 after all of them.
 * b's first read passes a's records, so a overflows to a reader of its own
 * that must skip the one record a already had. On anonymous memory accesses
 * take no time, so a ends exactly at its last recorded start (69999us) after
 * 70000 accesses, and b adds one. */
static void test_overflow(void) {
    g_autofree char *dir = g_dir_make_tmp("replay-XXXXXX", NULL);
    g_autoptr(GString) trace = g_string_new("t,thread,vmo,offset\n");
    for (guint k = 0; k < 70000; k++)
        g_string_append_printf(trace, "%uus,a,anon,%u\n", k, (k % 16) * 4096);
    g_string_append(trace, "0,b,anon,0\n");
    g_autofree char *tpath = g_build_filename(dir, "long.csv", NULL);
    g_assert_true(g_file_set_contents(tpath, trace->str, -1, NULL));
    g_autofree char *path = g_build_filename(dir, "long.json", NULL);
    g_assert_true(g_file_set_contents(
        path,
        "{\"name\": \"long\", \"vmos\": [{\"name\": \"anon\", \"size\": \"64KiB\"}],"
        " \"workloads\": [{\"name\": \"rep\", \"kind\": \"trace\", \"file\": \"long.csv\","
        " \"mode\": \"closed\"}]}",
        -1, NULL));
    g_autofree char *out = g_build_filename(dir, "out", NULL);
    const char *argv[] = {g_getenv("PAGESIM"), "run",     path,   "--out", out,
                          "--quiet",           "--trace", "none", NULL};
    int status = -1;
    g_autoptr(GError) err = NULL;
    g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &err);
    g_assert_no_error(err);
    g_assert_cmpint(status, ==, 0);
    g_autofree char *summary = g_build_filename(out, "summary.json", NULL);
    json_t *s = json_load_file(summary, 0, NULL);
    g_assert_nonnull(s);
    g_assert_cmpint(json_integer_value(json_object_get(s, "accesses")), ==, 70001);
    g_assert_cmpint(json_integer_value(json_object_get(s, "sim_time_ns")), ==, 69999000);
    json_decref(s);
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
    g_assert_cmpint(system(cmd), ==, 0);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    static Case all[G_N_ELEMENTS(cases)];
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        all[i] = cases[i];
        all[i].trace = g_str_has_prefix(all[i].name, "dur")    ? dur_csv
                       : g_str_has_suffix(all[i].name, ".csv") ? small_csv
                                                               : small_jsonl;
        if (all[i].expect == dur_closed_kernel)
            all[i].kernel = kernel_dists;
        g_autofree char *path = g_strdup_printf("/trace-replay/%s/%s%s%s", all[i].name, all[i].mode,
                                                all[i].kernel ? "/kernel-distributions" : "",
                                                all[i].actions ? "/kill" : "");
        g_test_add_data_func(path, &all[i], test_case);
    }
    g_test_add_func("/trace-replay/closed-overflow", test_overflow);
    return g_test_run();
}
