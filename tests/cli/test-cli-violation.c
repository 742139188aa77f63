/* Exit status 3 and summary.json's "violation" field (README.md: "3 an
 * invariant violation found by --check").
 *
 * pagesim-corrupt is pagesim with the test-only corruption of corrupt-hook.c
 * (the first head a checker sees has its pending count zeroed while the real
 * checker runs). On violation.json, T1 starts at t = 0 (engine event 1),
 * sleeps until 10us and faults page 0 there (event 2): its request becomes the
 * head [0,+4096), the checker that follows GetPage reports
 * "head at 0: pending_size 0", and the model stops the engine after that event.
 *
 * Usage (meson passes all three): test-cli-violation PAGESIM_CORRUPT PAGESIM DIR
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <jansson.h>
#include <sys/wait.h>

static const char *corrupt_exe; /* argv[1] */
static const char *pagesim_exe; /* argv[2] */
static const char *case_dir;    /* argv[3] */

#define VIOLATION "at 10000 ns, VMO f: head at 0: pending_size 0"

typedef struct {
    char *dir;       /* the run's output directory (inside a temporary one) */
    char *out, *err; /* what the run printed */
    int status;      /* its exit status */
    json_t *summary; /* its summary.json */
} Run;

static void run_clear(Run *r) {
    g_autofree char *parent = r->dir ? g_path_get_dirname(r->dir) : NULL;
    const char *const names[] = {"summary.json", "events.jsonl", "latency-spectrum.tsv",
                                 "latency-histogram.tsv"};
    for (gsize i = 0; r->dir && i < G_N_ELEMENTS(names); i++) {
        g_autofree char *path = g_build_filename(r->dir, names[i], NULL);
        g_unlink(path);
    }
    if (r->dir) {
        g_rmdir(r->dir);
        g_rmdir(parent);
    }
    g_free(r->dir);
    g_free(r->out);
    g_free(r->err);
    json_decref(r->summary);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Run, run_clear)

/* Runs "EXE run violation.json --out DIR --quiet [--check]". */
static void run(Run *r, const char *exe, gboolean check) {
    g_autoptr(GError) error = NULL;
    g_autofree char *tmp = g_dir_make_tmp("pagesim-violation-XXXXXX", &error);
    g_assert_no_error(error);
    g_autofree char *scenario = g_build_filename(case_dir, "violation.json", NULL);
    r->dir = g_build_filename(tmp, "out", NULL);
    const char *argv[] = {
        exe, "run", scenario, "--out", r->dir, "--quiet", check ? "--check" : NULL, NULL};
    int wait_status = 0;
    g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &r->out, &r->err,
                 &wait_status, &error);
    g_assert_no_error(error);
    g_assert_true(WIFEXITED(wait_status));
    r->status = WEXITSTATUS(wait_status);
    g_autofree char *path = g_build_filename(r->dir, "summary.json", NULL);
    json_error_t jerr;
    r->summary = json_load_file(path, 0, &jerr);
    if (r->summary == NULL)
        g_error("%s: %s", path, jerr.text);
}

static char *read_events(const Run *r) {
    g_autofree char *path = g_build_filename(r->dir, "events.jsonl", NULL);
    char *text = NULL;
    g_autoptr(GError) error = NULL;
    g_file_get_contents(path, &text, NULL, &error);
    g_assert_no_error(error);
    return text;
}

static gint64 int_of(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    g_assert_true(json_is_integer(v));
    return json_integer_value(v);
}

/* The corrupted run: exit 3, the message on stderr, the violation in summary.json
 * and a run stopped right after the event that found it (the supply at 20us and
 * T1's wake never happen). */
static void violation_exits_3(void) {
    g_auto(Run) r = {0};
    run(&r, corrupt_exe, TRUE);
    g_assert_cmpint(r.status, ==, 3);
    g_assert_cmpstr(r.out, ==, "");
    g_assert_cmpstr(r.err, ==, "pagesim: invariant violated: " VIOLATION "\n");
    g_assert_cmpstr(json_string_value(json_object_get(r.summary, "violation")), ==, VIOLATION);
    g_assert_true(json_is_true(json_object_get(r.summary, "checked")));
    g_assert_cmpstr(json_string_value(json_object_get(r.summary, "stop")), ==, "requested");
    g_assert_cmpint(int_of(r.summary, "events"), ==, 2);
    g_assert_cmpint(int_of(r.summary, "sim_time_ns"), ==, 10000);
    g_assert_cmpint(int_of(r.summary, "accesses"), ==, 0);
    g_assert_cmpint(int_of(json_object_get(r.summary, "requests"), "sent"), ==, 1);
    g_autofree char *events = read_events(&r);
    g_assert_cmpstr(events, ==,
                    "{\"t\":10000,\"ev\":\"access\",\"thread\":\"T1\",\"kind\":\"fault\","
                    "\"vmo\":\"f\",\"offset\":0,\"len\":4096}\n"
                    "{\"t\":10000,\"ev\":\"request\",\"vmo\":\"f\",\"offset\":0,\"len\":4096,"
                    "\"provider\":\"disk\",\"thread\":\"T1\",\"outstanding\":1,\"port\":1}\n");
}

/* Without --check the checker never runs, so the hook never acts: the run goes
 * on to the supply at 20us (event 3) and T1's wake (event 4), and exits 0. */
static void no_check_no_violation(void) {
    g_auto(Run) r = {0};
    run(&r, corrupt_exe, FALSE);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_cmpstr(r.err, ==, "");
    g_assert_null(json_object_get(r.summary, "violation"));
    g_assert_true(json_is_false(json_object_get(r.summary, "checked")));
    g_assert_cmpint(int_of(r.summary, "events"), ==, 4);
    g_assert_cmpint(int_of(r.summary, "accesses"), ==, 1);
}

/* pagesim itself finds nothing wrong with the same scenario under --check. */
static void pagesim_passes(void) {
    g_auto(Run) r = {0};
    run(&r, pagesim_exe, TRUE);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_cmpstr(r.err, ==, "");
    g_assert_null(json_object_get(r.summary, "violation"));
    g_assert_true(json_is_true(json_object_get(r.summary, "checked")));
    g_assert_cmpstr(json_string_value(json_object_get(r.summary, "stop")), ==, "empty");
    g_assert_cmpint(int_of(r.summary, "events"), ==, 4);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    if (argc != 4) {
        g_printerr("usage: %s PAGESIM_CORRUPT PAGESIM DIR\n", argv[0]);
        return 2;
    }
    corrupt_exe = argv[1];
    pagesim_exe = argv[2];
    case_dir = argv[3];
    g_test_add_func("/cli/violation/exit-3-with-violation-field", violation_exits_3);
    g_test_add_func("/cli/violation/hook-acts-only-through-check", no_check_no_violation);
    g_test_add_func("/cli/violation/pagesim-finds-none", pagesim_passes);
    return g_test_run();
}
