/* The Perfetto converter on hand-written native traces: slices, nesting, flows
 * and their binding, counters, instants, the window, gzip, and the tee of the
 * native writer giving the same output as a file. Every output is also run
 * through the structural checker (trace-check.c). */
#include <glib/gstdio.h>
#include <string.h>

#include "sim/report/rep-perfetto.h"
#include "sim/report/rep-trace.h"
#include "trace-check.h"

/* One fault served by a worker, with the counter fields. */
static const char *const fault_lines[] = {
    "{\"t\":0,\"ev\":\"access\",\"thread\":\"app/0\",\"kind\":\"fault\",\"vmo\":\"file\","
    "\"offset\":4096,\"len\":4096}",
    "{\"t\":1000,\"ev\":\"request\",\"vmo\":\"file\",\"offset\":4096,\"len\":4096,"
    "\"provider\":\"nvme\",\"thread\":\"app/0\",\"outstanding\":1,\"port\":1}",
    "{\"t\":1000,\"ev\":\"dequeue\",\"provider\":\"nvme\",\"by\":\"nvme/w0\",\"vmo\":\"file\","
    "\"cmd\":\"READ\",\"offset\":4096,\"len\":4096,\"port\":0}",
    "{\"t\":80000,\"ev\":\"supply\",\"vmo\":\"file\",\"offset\":4096,\"len\":4096,"
    "\"by\":\"nvme/w0\",\"outstanding\":0,\"port\":0,\"resident\":1}",
    "{\"t\":80000,\"ev\":\"served\",\"provider\":\"nvme\",\"by\":\"nvme/w0\",\"vmo\":\"file\","
    "\"offset\":4096,\"len\":4096,\"status\":\"ZX_OK\"}",
    "{\"t\":82000,\"ev\":\"wake\",\"thread\":\"app/0\",\"status\":\"ZX_OK\"}",
    "{\"t\":82000,\"ev\":\"done\",\"thread\":\"app/0\",\"kind\":\"fault\",\"status\":\"ZX_OK\","
    "\"latency_ns\":82000,\"fault\":1}",
    NULL,
};

/* A commit of two pages and a fault coalescing into its second page; the worker
 * supplies page by page and has no served line (the model before `served`). */
static const char *const coalesce_lines[] = {
    "{\"t\":0,\"ev\":\"access\",\"thread\":\"A\",\"kind\":\"commit\",\"vmo\":\"v\","
    "\"offset\":0,\"len\":8192}",
    "{\"t\":0,\"ev\":\"request\",\"vmo\":\"v\",\"offset\":0,\"len\":8192,\"provider\":\"p\","
    "\"thread\":\"A\"}",
    "{\"t\":500,\"ev\":\"access\",\"thread\":\"B\",\"kind\":\"fault\",\"vmo\":\"v\","
    "\"offset\":4096,\"len\":4096}",
    "{\"t\":500,\"ev\":\"coalesce\",\"thread\":\"B\",\"vmo\":\"v\",\"offset\":4096,\"len\":4096}",
    "{\"t\":700,\"ev\":\"dequeue\",\"provider\":\"p\",\"by\":\"p/w0\",\"vmo\":\"v\","
    "\"cmd\":\"READ\",\"offset\":0,\"len\":8192}",
    "{\"t\":3000,\"ev\":\"supply\",\"vmo\":\"v\",\"offset\":0,\"len\":4096,\"by\":\"p/w0\"}",
    "{\"t\":4000,\"ev\":\"supply\",\"vmo\":\"v\",\"offset\":4096,\"len\":4096,\"by\":\"p/w0\"}",
    "{\"t\":6000,\"ev\":\"wake\",\"thread\":\"A\",\"status\":\"ZX_OK\"}",
    "{\"t\":6000,\"ev\":\"wake\",\"thread\":\"B\",\"status\":\"ZX_OK\"}",
    "{\"t\":6000,\"ev\":\"done\",\"thread\":\"A\",\"kind\":\"commit\",\"status\":\"ZX_OK\","
    "\"latency_ns\":6000,\"fault\":1}",
    "{\"t\":6000,\"ev\":\"done\",\"thread\":\"B\",\"kind\":\"fault\",\"status\":\"ZX_OK\","
    "\"latency_ns\":5500,\"fault\":1}",
    "{\"t\":9000,\"ev\":\"dequeue\",\"provider\":\"p\",\"by\":\"p/w0\",\"vmo\":\"v\","
    "\"cmd\":\"COMPLETE\",\"offset\":0,\"len\":8192}",
    NULL,
};

/* A failed request, a killed waiter, a resident access, pager death. */
static const char *const failure_lines[] = {
    "{\"t\":0,\"ev\":\"access\",\"thread\":\"T1\",\"kind\":\"read\",\"vmo\":\"v\",\"offset\":0,"
    "\"len\":4096}",
    "{\"t\":0,\"ev\":\"request\",\"vmo\":\"v\",\"offset\":0,\"len\":4096,\"provider\":\"p\","
    "\"thread\":\"T1\"}",
    "{\"t\":0,\"ev\":\"access\",\"thread\":\"T2\",\"kind\":\"fault\",\"vmo\":\"v\","
    "\"offset\":8192,\"len\":4096}",
    "{\"t\":0,\"ev\":\"request\",\"vmo\":\"v\",\"offset\":8192,\"len\":4096,\"provider\":\"p\","
    "\"thread\":\"T2\"}",
    "{\"t\":0,\"ev\":\"access\",\"thread\":\"T3\",\"kind\":\"fault\",\"vmo\":\"v\","
    "\"offset\":65536,\"len\":4096}",
    "{\"t\":0,\"ev\":\"done\",\"thread\":\"T3\",\"kind\":\"fault\",\"status\":\"ZX_OK\","
    "\"latency_ns\":0,\"fault\":0}",
    "{\"t\":10,\"ev\":\"dequeue\",\"provider\":\"p\",\"by\":\"p/w0\",\"vmo\":\"v\","
    "\"cmd\":\"READ\",\"offset\":0,\"len\":4096}",
    "{\"t\":5000,\"ev\":\"fail\",\"vmo\":\"v\",\"offset\":0,\"len\":4096,"
    "\"status\":\"ZX_ERR_IO\",\"by\":\"p/w0\"}",
    "{\"t\":5000,\"ev\":\"served\",\"provider\":\"p\",\"by\":\"p/w0\",\"vmo\":\"v\","
    "\"offset\":0,\"len\":4096,\"status\":\"ZX_ERR_IO\"}",
    "{\"t\":5000,\"ev\":\"wake\",\"thread\":\"T1\",\"status\":\"ZX_ERR_IO\"}",
    "{\"t\":5000,\"ev\":\"done\",\"thread\":\"T1\",\"kind\":\"read\",\"status\":\"ZX_ERR_IO\","
    "\"latency_ns\":5000,\"fault\":1}",
    "{\"t\":6000,\"ev\":\"action\",\"do\":\"kill\",\"thread\":\"T2\"}",
    "{\"t\":6000,\"ev\":\"cancel\",\"thread\":\"T2\",\"status\":\"ZX_ERR_INTERNAL_INTR_KILLED\"}",
    "{\"t\":6000,\"ev\":\"done\",\"thread\":\"T2\",\"kind\":\"fault\","
    "\"status\":\"ZX_ERR_INTERNAL_INTR_KILLED\",\"latency_ns\":6000,\"fault\":1}",
    "{\"t\":7000,\"ev\":\"pager_death\",\"provider\":\"p\"}",
    "{\"t\":7000,\"ev\":\"pager_close\",\"provider\":\"p\"}",
    "{\"t\":7000,\"ev\":\"detach\",\"vmo\":\"v\"}",
    NULL,
};

/* A scripted provider driven by actions. */
static const char *const scripted_lines[] = {
    "{\"t\":0,\"ev\":\"access\",\"thread\":\"r\",\"kind\":\"read\",\"vmo\":\"v\",\"offset\":0,"
    "\"len\":4096}",
    "{\"t\":0,\"ev\":\"request\",\"vmo\":\"v\",\"offset\":0,\"len\":4096,\"provider\":\"s\","
    "\"thread\":\"r\"}",
    "{\"t\":1000,\"ev\":\"action\",\"do\":\"dequeue\",\"provider\":\"s\"}",
    "{\"t\":1000,\"ev\":\"dequeue\",\"provider\":\"s\",\"by\":\"action\",\"vmo\":\"v\","
    "\"cmd\":\"READ\",\"offset\":0,\"len\":4096}",
    "{\"t\":2000,\"ev\":\"action\",\"do\":\"supply\",\"vmo\":\"v\",\"offset\":0,\"len\":4096}",
    "{\"t\":2000,\"ev\":\"supply\",\"vmo\":\"v\",\"offset\":0,\"len\":4096,\"by\":\"action\"}",
    "{\"t\":2000,\"ev\":\"wake\",\"thread\":\"r\",\"status\":\"ZX_OK\"}",
    "{\"t\":2000,\"ev\":\"done\",\"thread\":\"r\",\"kind\":\"read\",\"status\":\"ZX_OK\","
    "\"latency_ns\":2000,\"fault\":1}",
    "{\"t\":3000,\"ev\":\"dequeue_empty\",\"provider\":\"s\"}",
    NULL,
};

/* Waits for the VMO lock: a thread's and an action's (from test-mdl-lock's
 * two-threads case). */
static const char *const lock_lines[] = {
    "{\"t\":1000,\"ev\":\"access\",\"thread\":\"T1\",\"kind\":\"fault\",\"vmo\":\"v\","
    "\"offset\":0,\"len\":4096}",
    "{\"t\":1500,\"ev\":\"access\",\"thread\":\"T2\",\"kind\":\"fault\",\"vmo\":\"v\","
    "\"offset\":4096,\"len\":4096}",
    "{\"t\":2000,\"ev\":\"lock_wait\",\"vmo\":\"v\",\"by\":\"T2\",\"waited_ns\":500}",
    "{\"t\":2500,\"ev\":\"action\",\"do\":\"supply\",\"vmo\":\"v\",\"offset\":0,\"len\":8192}",
    "{\"t\":3000,\"ev\":\"lock_wait\",\"vmo\":\"v\",\"by\":\"action\",\"waited_ns\":500}",
    "{\"t\":9000,\"ev\":\"supply\",\"vmo\":\"v\",\"offset\":0,\"len\":8192,\"by\":\"action\"}",
    "{\"t\":10000,\"ev\":\"lock_wait\",\"vmo\":\"v\",\"by\":\"T2\",\"waited_ns\":1000}",
    "{\"t\":10000,\"ev\":\"done\",\"thread\":\"T1\",\"kind\":\"fault\",\"status\":\"ZX_OK\","
    "\"latency_ns\":9000,\"fault\":1}",
    "{\"t\":11000,\"ev\":\"done\",\"thread\":\"T2\",\"kind\":\"fault\",\"status\":\"ZX_OK\","
    "\"latency_ns\":9500,\"fault\":1}",
    NULL,
};

typedef struct {
    char *dir;   /* scratch directory */
    json_t *doc; /* the converted trace */
    TraceCheckStats st;
} Conv;

static void conv_clear(Conv *c) {
    json_decref(c->doc);
    g_autoptr(GDir) d = g_dir_open(c->dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(c->dir, name, NULL);
        g_unlink(p);
    }
    g_rmdir(c->dir);
    g_free(c->dir);
}

/* Converts @lines with @opt into trace.json (or .gz) and checks its structure. */
static void convert(Conv *c, const char *const *lines, const RepPerfettoOptions *opt,
                    gboolean gzip) {
    c->dir = g_dir_make_tmp("rep-perfetto-XXXXXX", NULL);
    g_autofree char *text = g_strjoinv("\n", (char **)lines);
    g_autofree char *in = g_build_filename(c->dir, "events.jsonl", NULL);
    g_assert_true(g_file_set_contents(in, text, -1, NULL));
    g_autofree char *out = g_build_filename(c->dir, gzip ? "trace.json.gz" : "trace.json", NULL);
    FILE *f = fopen(out, "w");
    g_autoptr(GError) err = NULL;
    gboolean ok = rep_perfetto_convert_file(in, f, gzip, opt, &err);
    g_assert_no_error(err);
    g_assert_true(ok);
    fclose(f);
    c->doc = trace_check_load(out, &err);
    g_assert_no_error(err);
    g_autofree char *problem = trace_check(c->doc, &c->st);
    g_assert_cmpstr(problem, ==, NULL);
}

static double ts(json_t *ev) { return json_number_value(json_object_get(ev, "ts")); }
static json_int_t tid(json_t *ev) { return json_integer_value(json_object_get(ev, "tid")); }
static const char *arg_str(json_t *ev, const char *key) {
    return json_string_value(json_object_get(json_object_get(ev, "args"), key));
}

/* The tid of the thread track named @name. */
static json_int_t track(json_t *doc, const char *name) {
    for (guint i = 0;; i++) {
        json_t *m = trace_check_find(doc, 'M', "thread_name", i);
        g_assert_nonnull(m);
        if (g_strcmp0(arg_str(m, "name"), name) == 0)
            return tid(m);
    }
}

static void test_fault(void) {
    Conv c = {0};
    convert(&c, fault_lines, NULL, FALSE);
    json_t *fault = trace_check_find(c.doc, 'B', "fault", 0);
    json_t *wait = trace_check_find(c.doc, 'B', "page_request_wait", 0);
    json_t *serve = trace_check_find(c.doc, 'B', "serve", 0);
    g_assert_cmpfloat(ts(fault), ==, 0.0);
    g_assert_cmpfloat(ts(wait), ==, 1.0);
    g_assert_cmpint(tid(fault), ==, track(c.doc, "app/0"));
    g_assert_cmpint(tid(wait), ==, track(c.doc, "app/0"));
    g_assert_cmpint(tid(serve), ==, track(c.doc, "nvme/w0"));
    g_assert_cmpstr(arg_str(wait, "vmo"), ==, "file");
    /* page_request_queue: thread -> worker; page_request_signal: supply -> thread. */
    json_t *qs = trace_check_find(c.doc, 's', "page_request_queue", 0);
    json_t *qf = trace_check_find(c.doc, 'f', "page_request_queue", 0);
    json_t *ss = trace_check_find(c.doc, 's', "page_request_signal", 0);
    json_t *sf = trace_check_find(c.doc, 'f', "page_request_signal", 0);
    g_assert_cmpint(tid(qs), ==, track(c.doc, "app/0"));
    g_assert_cmpint(tid(qf), ==, track(c.doc, "nvme/w0"));
    g_assert_cmpint(tid(ss), ==, track(c.doc, "nvme/w0"));
    g_assert_cmpint(tid(sf), ==, track(c.doc, "app/0"));
    g_assert_cmpfloat(ts(ss), ==, 80.0);
    g_assert_cmpfloat(ts(sf), ==, 82.0);
    g_assert_cmpuint(c.st.flows_started, ==, 2);
    g_assert_cmpuint(c.st.flows_ended, ==, 2);
    g_assert_cmpuint(c.st.slices, ==, 4); /* fault, wait, serve, supply */
    /* Counters of the VMO: outstanding 1 then 0, queued 1 then 0, resident 1;
     * values that do not change are not repeated. */
    g_assert_cmpuint(trace_check_count(c.doc, 'C', "file"), ==, 5);
    g_assert_cmpuint(trace_check_count(c.doc, 'C', "nvme"), ==, 0);
    json_t *queued = trace_check_find(c.doc, 'C', "file", 1);
    g_assert_cmpint(
        json_integer_value(json_object_get(json_object_get(queued, "args"), "queued requests")), ==,
        1);
    json_t *served_end = trace_check_find(c.doc, 'E', NULL, 1);
    g_assert_cmpint(tid(served_end), ==, track(c.doc, "nvme/w0"));
    conv_clear(&c);
}

static void test_coalesce_and_chunks(void) {
    Conv c = {0};
    convert(&c, coalesce_lines, NULL, FALSE);
    g_assert_cmpuint(trace_check_count(c.doc, 'B', "page_request_wait"), ==, 2);
    g_assert_cmpuint(trace_check_count(c.doc, 's', "page_request_queue"), ==, 1);
    /* Both waiters are completed by the second supply, not the first. */
    g_assert_cmpuint(trace_check_count(c.doc, 's', "page_request_signal"), ==, 2);
    g_assert_cmpfloat(ts(trace_check_find(c.doc, 's', "page_request_signal", 0)), ==, 4.0);
    g_assert_cmpfloat(ts(trace_check_find(c.doc, 's', "page_request_signal", 1)), ==, 4.0);
    g_assert_cmpuint(trace_check_count(c.doc, 'f', "page_request_signal"), ==, 2);
    /* Without served, the service ends at the worker's last supply: the worker's
     * ends are supply, supply, serve (at 4 us), then the COMPLETE dequeue. */
    json_int_t w = track(c.doc, "p/w0");
    g_autoptr(GArray) ends = g_array_new(FALSE, FALSE, sizeof(double));
    json_t *e;
    for (guint i = 0; (e = trace_check_find(c.doc, 'E', NULL, i)) != NULL; i++) {
        double t = ts(e);
        if (tid(e) == w)
            g_array_append_val(ends, t);
    }
    g_assert_cmpuint(ends->len, ==, 4);
    g_assert_cmpfloat(g_array_index(ends, double, 2), ==, 4.0);
    g_assert_cmpfloat(g_array_index(ends, double, 3), ==, 9.0);
    g_assert_cmpuint(trace_check_count(c.doc, 'B', "dequeue COMPLETE"), ==, 1);
    json_t *joined = trace_check_find(c.doc, 'B', "page_request_wait", 1);
    g_assert_cmpstr(arg_str(joined, "request"), ==, "joined an in-flight request");
    conv_clear(&c);
}

static void test_failures(void) {
    Conv c = {0};
    convert(&c, failure_lines, NULL, FALSE);
    g_assert_cmpuint(trace_check_count(c.doc, 'B', "fail ZX_ERR_IO"), ==, 1);
    g_assert_cmpuint(trace_check_count(c.doc, 's', "page_request_signal"), ==, 1);
    g_assert_cmpuint(trace_check_count(c.doc, 'i', "cancel"), ==, 1);
    g_assert_cmpuint(trace_check_count(c.doc, 'i', "access failed"), ==, 2);
    g_assert_cmpuint(trace_check_count(c.doc, 'i', "action kill"), ==, 1);
    g_assert_cmpuint(trace_check_count(c.doc, 'i', "pager death p"), ==, 1);
    g_assert_cmpuint(trace_check_count(c.doc, 'i', "pager_close p"), ==, 1);
    g_assert_cmpuint(trace_check_count(c.doc, 'i', "detach v"), ==, 1);
    /* The resident, zero-time access of T3 is not drawn (nor is its track named). */
    g_assert_cmpuint(trace_check_count(c.doc, 'B', "fault"), ==, 1);
    g_assert_cmpuint(trace_check_count(c.doc, 'B', "read"), ==, 1);
    conv_clear(&c);
}

static void test_scripted(void) {
    Conv c = {0};
    convert(&c, scripted_lines, NULL, FALSE);
    json_int_t actions = track(c.doc, "actions");
    g_assert_cmpint(tid(trace_check_find(c.doc, 'B', "dequeue READ", 0)), ==, actions);
    g_assert_cmpint(tid(trace_check_find(c.doc, 'f', "page_request_queue", 0)), ==, actions);
    g_assert_cmpint(tid(trace_check_find(c.doc, 's', "page_request_signal", 0)), ==, actions);
    g_assert_cmpuint(trace_check_count(c.doc, 'i', "action supply"), ==, 1);
    g_assert_cmpuint(trace_check_count(c.doc, 'i', "dequeue_empty"), ==, 1);
    conv_clear(&c);
}

/* A lock_wait line is an 'X' slice from the request to the grant on the
 * waiter's track: T2's thread track, or the actions track. */
static void test_lock_wait(void) {
    Conv c = {0};
    convert(&c, lock_lines, NULL, FALSE);
    g_assert_cmpuint(trace_check_count(c.doc, 'X', "lock_wait"), ==, 3);
    json_t *first = trace_check_find(c.doc, 'X', "lock_wait", 0);
    json_t *action = trace_check_find(c.doc, 'X', "lock_wait", 1);
    json_t *second = trace_check_find(c.doc, 'X', "lock_wait", 2);
    g_assert_cmpfloat(ts(first), ==, 1.5);
    g_assert_cmpfloat(json_number_value(json_object_get(first, "dur")), ==, 0.5);
    g_assert_cmpint(tid(first), ==, track(c.doc, "T2"));
    g_assert_cmpfloat(ts(action), ==, 2.5);
    g_assert_cmpint(tid(action), ==, track(c.doc, "actions"));
    g_assert_cmpfloat(ts(second), ==, 9.0);
    g_assert_cmpfloat(json_number_value(json_object_get(second, "dur")), ==, 1.0);
    g_assert_cmpint(tid(second), ==, track(c.doc, "T2"));
    conv_clear(&c);
}

/* A dropped arrival (max_in_flight reached) is an instant on the actions track
 * with its workload and the accesses in flight; one outside the window is not drawn. */
static void test_dropped(void) {
    static const char *const lines[] = {
        "{\"t\":100,\"ev\":\"dropped\",\"workload\":\"web\",\"in_flight\":4}",
        "{\"t\":200,\"ev\":\"dropped\",\"workload\":\"web\",\"in_flight\":4}",
        "{\"t\":3000,\"ev\":\"dropped\",\"workload\":\"web\",\"in_flight\":3}",
        NULL,
    };
    Conv c = {0};
    RepPerfettoOptions opt = {.window_start = 0, .window_end = 1000};
    convert(&c, lines, &opt, FALSE);
    g_assert_cmpuint(trace_check_count(c.doc, 'i', "dropped web"), ==, 2);
    json_t *ev = trace_check_find(c.doc, 'i', "dropped web", 1);
    g_assert_cmpint(tid(ev), ==, track(c.doc, "actions"));
    g_assert_cmpfloat(ts(ev), ==, 0.2);
    json_t *args = json_object_get(ev, "args");
    g_assert_cmpint(json_integer_value(json_object_get(args, "in_flight")), ==, 4);
    g_assert_cmpstr(arg_str(ev, "workload"), ==, "web");
    conv_clear(&c);
}

/* Slices open at the window's start begin there; those open at its end end there. */
static void test_window(void) {
    Conv c = {0};
    RepPerfettoOptions opt = {.window_start = 50000, .window_end = 81000};
    convert(&c, fault_lines, &opt, FALSE);
    g_assert_cmpfloat(c.st.ts_min, >=, 50.0);
    g_assert_cmpfloat(c.st.ts_max, <=, 81.0);
    g_assert_cmpfloat(ts(trace_check_find(c.doc, 'B', "fault", 0)), ==, 50.0);
    g_assert_cmpfloat(ts(trace_check_find(c.doc, 'B', "page_request_wait", 0)), ==, 50.0);
    g_assert_cmpfloat(ts(trace_check_find(c.doc, 'B', "serve", 0)), ==, 50.0);
    /* The queue flow started before the window: its end is not drawn either. */
    g_assert_cmpuint(trace_check_count(c.doc, 'f', "page_request_queue"), ==, 0);
    /* The signal flow ends inside the wait, which ends at the window's end. */
    g_assert_cmpfloat(ts(trace_check_find(c.doc, 'f', "page_request_signal", 0)), ==, 81.0);
    conv_clear(&c);
}

static void test_gzip(void) {
    Conv c = {0};
    convert(&c, coalesce_lines, NULL, TRUE);
    g_autofree char *path = g_build_filename(c.dir, "trace.json.gz", NULL);
    g_autofree char *bytes = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(path, &bytes, &len, NULL));
    g_assert_cmpuint(len, >, 2);
    g_assert_cmpuint((guchar)bytes[0], ==, 0x1f);
    g_assert_cmpuint((guchar)bytes[1], ==, 0x8b);
    g_assert_cmpuint(c.st.flows_ended, ==, 3);
    conv_clear(&c);
}

/* Timestamps keep every nanosecond: 1234567 ns is 1234.567 µs. */
static void test_fractional_ts(void) {
    const char *const lines[] = {
        "{\"t\":1234567,\"ev\":\"access\",\"thread\":\"x\",\"kind\":\"fault\",\"vmo\":\"v\","
        "\"offset\":0,\"len\":4096}",
        "{\"t\":1234568,\"ev\":\"done\",\"thread\":\"x\",\"kind\":\"fault\",\"status\":\"ZX_OK\","
        "\"latency_ns\":1,\"fault\":1}",
        NULL,
    };
    Conv c = {0};
    convert(&c, lines, NULL, FALSE);
    g_assert_cmpfloat(ts(trace_check_find(c.doc, 'B', "fault", 0)), ==, 1234.567);
    g_assert_cmpfloat(ts(trace_check_find(c.doc, 'E', NULL, 0)), ==, 1234.568);
    conv_clear(&c);
}

/* Feeding the converter through the native writer's tee gives the same bytes as
 * converting the file that writer writes. */
static void test_tee_matches_file(void) {
    g_autofree char *dir = g_dir_make_tmp("rep-perfetto-XXXXXX", NULL);
    g_autofree char *native = g_build_filename(dir, "events.jsonl", NULL);
    g_autofree char *a = g_build_filename(dir, "a.json", NULL);
    g_autofree char *b = g_build_filename(dir, "b.json", NULL);
    FILE *nf = fopen(native, "w"), *af = fopen(a, "w"), *bf = fopen(b, "w");
    RepPerfetto *p = rep_perfetto_new(af, FALSE, NULL);
    RepTrace *tr = rep_trace_new(nf);
    rep_trace_set_tee(tr, rep_perfetto_feed, p);
    for (uint64_t i = 0; i < 50; i++) {
        g_autofree char *name = g_strdup_printf("t/%u", (unsigned)(i % 3));
        rep_trace_begin(tr, i * 1000, REP_EV_ACCESS);
        rep_trace_str(tr, REP_KEY_THREAD, name);
        rep_trace_str(tr, REP_KEY_KIND, "fault");
        rep_trace_str(tr, REP_KEY_VMO, "v");
        rep_trace_u64(tr, REP_KEY_OFFSET, i * 4096);
        rep_trace_u64(tr, REP_KEY_LEN, 4096);
        rep_trace_end(tr);
        rep_trace_begin(tr, i * 1000 + 7, REP_EV_DONE);
        rep_trace_str(tr, REP_KEY_THREAD, name);
        rep_trace_str(tr, REP_KEY_KIND, "fault");
        rep_trace_str(tr, REP_KEY_STATUS, "ZX_OK");
        rep_trace_u64(tr, REP_KEY_LATENCY_NS, 7);
        rep_trace_u64(tr, REP_KEY_FAULT, 1);
        rep_trace_end(tr);
    }
    rep_trace_free(tr);
    fclose(nf);
    g_assert_true(rep_perfetto_finish(p, NULL));
    rep_perfetto_free(p);
    fclose(af);
    g_assert_true(rep_perfetto_convert_file(native, bf, FALSE, NULL, NULL));
    fclose(bf);
    g_autofree char *ta = NULL, *tb = NULL;
    g_assert_true(g_file_get_contents(a, &ta, NULL, NULL));
    g_assert_true(g_file_get_contents(b, &tb, NULL, NULL));
    g_assert_cmpstr(ta, ==, tb);
    g_assert_cmpuint(strlen(ta), >, 1000);
    g_unlink(native);
    g_unlink(a);
    g_unlink(b);
    g_rmdir(dir);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rep/perfetto/fault", test_fault);
    g_test_add_func("/rep/perfetto/coalesce-and-chunks", test_coalesce_and_chunks);
    g_test_add_func("/rep/perfetto/failures", test_failures);
    g_test_add_func("/rep/perfetto/scripted", test_scripted);
    g_test_add_func("/rep/perfetto/window", test_window);
    g_test_add_func("/rep/perfetto/lock-wait", test_lock_wait);
    g_test_add_func("/rep/perfetto/dropped", test_dropped);
    g_test_add_func("/rep/perfetto/gzip", test_gzip);
    g_test_add_func("/rep/perfetto/fractional-ts", test_fractional_ts);
    g_test_add_func("/rep/perfetto/tee-matches-file", test_tee_matches_file);
    return g_test_run();
}
