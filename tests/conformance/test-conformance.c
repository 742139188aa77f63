/* Conformance tests: every case of core/README.md ("Cases") runs as a scenario file in
 * tests/conformance/, and its trace must match the case's expectation file.
 *
 * For each CASE.json beside a CASE.expect, the test runs
 * "pagesim run CASE.json --out TMP --check --quiet", requires exit status 0
 * (3 would be an invariant violation) and a summary.json without a violation
 * whose figures agree with the trace, projects TMP/events.jsonl onto one line
 * per event of the kinds that matter, and compares that with CASE.expect line
 * by line. The format is documented in tests/conformance/README.md:
 *  - always projected: request, coalesce, dequeue, dequeue_empty, wake, cancel,
 *    done, refused (what the provider sees and what the threads get back);
 *  - projected too when the expectation mentions the kind at least once: any
 *    other event (action, supply, fail, access, resize, detach, ...).
 *
 * Usage (meson passes both): test-conformance PAGESIM_EXE CASE_DIR
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <jansson.h>
#include <string.h>

static const char *pagesim_exe; /* argv[1] */
static const char *case_dir;    /* argv[2] */

/* The event kinds every expectation lists in full. */
static const char *const always_kinds[] = {
    "request", "coalesce", "dequeue", "dequeue_empty", "wake", "cancel", "done", "refused", NULL,
};

/* The cases of core/README.md that must have a file here (prefix of the file name). */
static const char *const required_cases[] = {
    "C01a", "C01b", "C02",  "C03",  "C04",  "C05",  "C06",  "C07",  "C09",  "C11",
    "C12",  "C13a", "C13b", "C14a", "C14b", "C15a", "C15b", "C16a", "C16b", "C17a",
    "C17b", "C18",  "C20",  "C21",  "C22",  "C23",  "C25",  NULL,
};

/* Diff context: unchanged lines shown around each change. */
#define DIFF_CONTEXT 3

/* Event counts of a whole trace, compared with summary.json. */
typedef struct {
    gint64 request;  /* request events */
    gint64 coalesce; /* coalesce events */
    gint64 cancel;   /* cancel events */
    gint64 done;     /* done events */
} TraceCounts;

/* What the comment of a case file must start with, by the file name's first
 * letter: a C case cites its case, an S case its section, both in core/README.md. */
static const char *comment_prefix(const char *name) {
    if (name[0] == 'C')
        return "core/README.md C";
    return name[0] == 'S' ? "core/README.md " : "(a name starting with C or S)";
}

/* A string field of @ev, or "?" so that a missing field shows in the diff. */
static const char *field_str(json_t *ev, const char *key) {
    const char *s = json_string_value(json_object_get(ev, key));
    return s ? s : "?";
}

/* Appends " VALUE" for an integer field of @ev, or " ?" if it is missing. */
static void append_int(GString *line, json_t *ev, const char *key) {
    json_t *v = json_object_get(ev, key);
    if (json_is_integer(v))
        g_string_append_printf(line, " %" JSON_INTEGER_FORMAT, json_integer_value(v));
    else
        g_string_append(line, " ?");
}

/* "action DO [THREAD] [OFFSET LEN] [SIZE] [zero]": the fields the action has. */
static void project_action(GString *line, json_t *ev) {
    g_string_append_printf(line, " %s", field_str(ev, "do"));
    if (json_object_get(ev, "thread"))
        g_string_append_printf(line, " %s", field_str(ev, "thread"));
    if (json_object_get(ev, "offset")) {
        append_int(line, ev, "offset");
        append_int(line, ev, "len");
    }
    if (json_object_get(ev, "size"))
        append_int(line, ev, "size");
    if (json_object_get(ev, "zero"))
        g_string_append(line, " zero");
}

/* "dequeue READ OFFSET LEN", or "dequeue COMPLETE" for the spec's
 * {command 1, offset 0, length 0} (a COMPLETE with a range keeps it). */
static void project_dequeue(GString *line, json_t *ev) {
    const char *cmd = field_str(ev, "cmd");
    g_string_append_printf(line, " %s", cmd);
    if (strcmp(cmd, "COMPLETE") == 0 && json_integer_value(json_object_get(ev, "offset")) == 0 &&
        json_integer_value(json_object_get(ev, "len")) == 0)
        return;
    append_int(line, ev, "offset");
    append_int(line, ev, "len");
}

/* Appends the fields that identify event @ev of kind @kind. Kinds without
 * listed fields project to their name alone (detach, close, pager_close, ...). */
static void project_fields(GString *line, const char *kind, json_t *ev) {
    if (strcmp(kind, "request") == 0 || strcmp(kind, "coalesce") == 0) {
        g_string_append_printf(line, " %s", field_str(ev, "thread"));
        append_int(line, ev, "offset");
        append_int(line, ev, "len");
    } else if (strcmp(kind, "dequeue") == 0) {
        project_dequeue(line, ev);
    } else if (strcmp(kind, "wake") == 0 || strcmp(kind, "cancel") == 0 ||
               strcmp(kind, "done") == 0) {
        g_string_append_printf(line, " %s %s", field_str(ev, "thread"), field_str(ev, "status"));
    } else if (strcmp(kind, "refused") == 0) {
        g_string_append_printf(line, " %s %s", field_str(ev, "do"), field_str(ev, "status"));
    } else if (strcmp(kind, "action") == 0) {
        project_action(line, ev);
    } else if (strcmp(kind, "access") == 0) {
        g_string_append_printf(line, " %s %s", field_str(ev, "thread"), field_str(ev, "kind"));
        append_int(line, ev, "offset");
        append_int(line, ev, "len");
    } else if (strcmp(kind, "supply") == 0 || strcmp(kind, "fail") == 0 ||
               strcmp(kind, "evict") == 0) {
        append_int(line, ev, "offset");
        append_int(line, ev, "len");
        if (strcmp(kind, "fail") == 0)
            g_string_append_printf(line, " %s", field_str(ev, "status"));
        if (strcmp(kind, "evict") == 0)
            append_int(line, ev, "pages");
    } else if (strcmp(kind, "resize") == 0) {
        append_int(line, ev, "from");
        append_int(line, ev, "to");
    } else if (strcmp(kind, "overtime") == 0) {
        g_string_append_printf(line, " %s", field_str(ev, "thread"));
        append_int(line, ev, "expiry");
        append_int(line, ev, "t");
    }
}

/* Reads CASE.expect: one expected line per non-blank, non-comment line, with
 * runs of blanks collapsed to one space. Adds every kind it names to @kinds. */
static GPtrArray *read_expect(const char *path, GHashTable *kinds) {
    g_autoptr(GError) error = NULL;
    g_autofree char *text = NULL;
    g_file_get_contents(path, &text, NULL, &error);
    g_assert_no_error(error);
    GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
    g_auto(GStrv) raw = g_strsplit(text, "\n", -1);
    for (guint i = 0; raw[i] != NULL; i++) {
        char *s = g_strstrip(raw[i]);
        if (*s == '\0' || *s == '#')
            continue;
        g_auto(GStrv) words = g_strsplit_set(s, " \t", -1);
        GString *line = g_string_new(NULL);
        for (guint w = 0; words[w] != NULL; w++) {
            if (*words[w] == '\0')
                continue;
            if (line->len == 0)
                g_hash_table_add(kinds, g_strdup(words[w]));
            else
                g_string_append_c(line, ' ');
            g_string_append(line, words[w]);
        }
        g_ptr_array_add(lines, g_string_free(line, FALSE));
    }
    return lines;
}

/* Counts @kind in @counts. */
static void count_kind(TraceCounts *counts, const char *kind) {
    if (strcmp(kind, "request") == 0)
        counts->request++;
    else if (strcmp(kind, "coalesce") == 0)
        counts->coalesce++;
    else if (strcmp(kind, "cancel") == 0)
        counts->cancel++;
    else if (strcmp(kind, "done") == 0)
        counts->done++;
}

/* Parses line @lineno of events.jsonl, which must be an object with an integer
 * t, never before *@last_t (updated), and a string ev. Returns it (transfer full). */
static json_t *parse_event(const char *text, guint lineno, json_int_t *last_t) {
    json_error_t jerr;
    json_t *ev = json_loads(text, 0, &jerr);
    if (ev == NULL)
        g_test_message("events.jsonl:%u: %s", lineno, jerr.text);
    g_assert_nonnull(ev);
    json_t *t = json_object_get(ev, "t");
    g_assert_true(json_is_integer(t));
    g_assert_cmpint(json_integer_value(t), >=, *last_t);
    *last_t = json_integer_value(t);
    g_assert_true(json_is_string(json_object_get(ev, "ev")));
    return ev;
}

/* Reads events.jsonl and returns the projection of the events whose kind is
 * in @kinds; counts the events of every kind into @counts. */
static GPtrArray *read_trace(const char *path, GHashTable *kinds, TraceCounts *counts) {
    g_autoptr(GError) error = NULL;
    g_autofree char *text = NULL;
    g_file_get_contents(path, &text, NULL, &error);
    g_assert_no_error(error);
    GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
    g_auto(GStrv) raw = g_strsplit(text, "\n", -1);
    json_int_t last_t = 0;
    for (guint i = 0; raw[i] != NULL; i++) {
        if (*raw[i] == '\0')
            continue;
        json_auto_t *ev = parse_event(raw[i], i + 1, &last_t);
        const char *kind = json_string_value(json_object_get(ev, "ev"));
        count_kind(counts, kind);
        if (!g_hash_table_contains(kinds, kind))
            continue;
        GString *line = g_string_new(kind);
        project_fields(line, kind, ev);
        g_ptr_array_add(lines, g_string_free(line, FALSE));
    }
    return lines;
}

/* Reads summary.json: no invariant violation may be recorded, and its figures
 * must agree with the events of the trace. */
static void check_summary(const char *path, const TraceCounts *counts) {
    json_error_t jerr;
    json_auto_t *doc = json_load_file(path, 0, &jerr);
    if (doc == NULL)
        g_test_message("%s: %s", path, jerr.text);
    g_assert_nonnull(doc);
    g_assert_null(json_object_get(doc, "violation"));
    g_assert_true(json_is_true(json_object_get(doc, "checked")));
    json_t *requests = json_object_get(doc, "requests");
    g_assert_cmpint(json_integer_value(json_object_get(requests, "sent")), ==, counts->request);
    g_assert_cmpint(json_integer_value(json_object_get(requests, "coalesced")), ==,
                    counts->coalesce);
    g_assert_cmpint(json_integer_value(json_object_get(requests, "cancelled")), ==, counts->cancel);
    g_assert_cmpint(json_integer_value(json_object_get(doc, "accesses")), ==, counts->done);
}

/* Returns a shortest edit script from @want to @got, one character per step:
 * ' ' keeps a line of both, '-' drops one of @want, '+' adds one of @got.
 * A longest-common-subsequence table, only built on a mismatch. */
static GString *edit_script(GPtrArray *want, GPtrArray *got) {
    guint n = want->len, m = got->len;
    guint *lcs = g_new0(guint, (gsize)(n + 1) * (m + 1));
#define LCS(i, j) lcs[(gsize)(i) * (m + 1) + (j)]
    for (guint i = n; i-- > 0;)
        for (guint j = m; j-- > 0;)
            LCS(i, j) = strcmp(want->pdata[i], got->pdata[j]) == 0
                            ? LCS(i + 1, j + 1) + 1
                            : MAX(LCS(i + 1, j), LCS(i, j + 1));
    GString *ops = g_string_new(NULL);
    for (guint i = 0, j = 0; i < n || j < m;) {
        if (i < n && j < m && strcmp(want->pdata[i], got->pdata[j]) == 0) {
            g_string_append_c(ops, ' ');
            i++, j++;
        } else if (j < m && (i == n || LCS(i, j + 1) >= LCS(i + 1, j))) {
            g_string_append_c(ops, '+');
            j++;
        } else {
            g_string_append_c(ops, '-');
            i++;
        }
    }
#undef LCS
    g_free(lcs);
    return ops;
}

/* Prints the diff of @want (the expectation) against @got (the projected
 * trace), with DIFF_CONTEXT unchanged lines around each change; each hunk
 * starts with the number of its first line among the expected lines. */
static void print_diff(GPtrArray *want, GPtrArray *got) {
    g_autoptr(GString) ops = edit_script(want, got);
    guint i = 0, j = 0;
    gboolean shown = FALSE;
    for (gsize k = 0; k < ops->len; k++) {
        gsize lo = k > DIFF_CONTEXT ? k - DIFF_CONTEXT : 0;
        gsize hi = MIN(ops->len, k + DIFF_CONTEXT + 1);
        gboolean near = FALSE;
        for (gsize c = lo; c < hi; c++)
            near = near || ops->str[c] != ' ';
        if (near && !shown)
            g_test_message("@@ expected line %u", i + 1);
        shown = near;
        char op = ops->str[k];
        if (near)
            g_test_message("%c %s", op, (char *)(op == '+' ? got->pdata[j] : want->pdata[i]));
        i += op != '+';
        j += op != '-';
    }
}

/* Compares line by line; on a mismatch prints the diff and fails on the first
 * differing line. @out is the run's output directory, kept for a look. */
static void compare(const char *name, const char *out, GPtrArray *want, GPtrArray *got) {
    guint n = MAX(want->len, got->len);
    for (guint i = 0; i < n; i++) {
        const char *w = i < want->len ? want->pdata[i] : "(end of expectation)";
        const char *g = i < got->len ? got->pdata[i] : "(end of trace)";
        if (strcmp(w, g) == 0)
            continue;
        g_test_message("%s: the projected trace differs from %s.expect at expected line %u "
                       "(- expected, + actual):",
                       name, name, i + 1);
        print_diff(want, got);
        g_test_message("trace: %s/events.jsonl", out);
        g_assert_cmpstr(g, ==, w);
    }
}

/* Runs pagesim on @json with --check into @out and requires exit status 0. */
static void run_pagesim(const char *json, const char *out) {
    const char *argv[] = {pagesim_exe, "run", json, "--out", out, "--check", "--quiet", NULL};
    g_autofree char *out_text = NULL, *err_text = NULL;
    g_autoptr(GError) error = NULL;
    int wait_status = 0;
    gboolean spawned = g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                    &out_text, &err_text, &wait_status, &error);
    g_assert_no_error(error);
    g_assert_true(spawned);
    if (!g_spawn_check_wait_status(wait_status, &error))
        g_test_message("pagesim run %s --out %s --check failed (exit 3 = invariant violated):\n%s",
                       json, out, err_text);
    g_assert_no_error(error);
}

/* Removes the files pagesim wrote into @dir, then @dir and its parent. */
static void remove_output(const char *dir) {
    const char *files[] = {"events.jsonl", "summary.json", NULL};
    for (guint i = 0; files[i] != NULL; i++) {
        g_autofree char *path = g_build_filename(dir, files[i], NULL);
        g_unlink(path);
    }
    g_rmdir(dir);
    g_autofree char *parent = g_path_get_dirname(dir);
    g_rmdir(parent);
}

static GHashTable *kind_set_new(void) {
    GHashTable *kinds = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; always_kinds[i] != NULL; i++)
        g_hash_table_add(kinds, g_strdup(always_kinds[i]));
    return kinds;
}

/* One case: run it checked, then compare its projected trace. The output is
 * removed only when the case passes. */
static void test_case(gconstpointer data) {
    const char *name = data;
    g_autofree char *json = g_strdup_printf("%s/%s.json", case_dir, name);
    g_autofree char *expect = g_strdup_printf("%s/%s.expect", case_dir, name);
    g_autoptr(GError) error = NULL;
    g_autofree char *tmp = g_dir_make_tmp("pagesim-conformance-XXXXXX", &error);
    g_assert_no_error(error);
    g_autofree char *out = g_build_filename(tmp, name, NULL);
    g_autofree char *events = g_build_filename(out, "events.jsonl", NULL);
    g_autofree char *summary = g_build_filename(out, "summary.json", NULL);
    TraceCounts counts = {0};

    g_autoptr(GHashTable) kinds = kind_set_new();
    g_autoptr(GPtrArray) want = read_expect(expect, kinds);
    run_pagesim(json, out);
    g_autoptr(GPtrArray) got = read_trace(events, kinds, &counts);
    check_summary(summary, &counts);
    compare(name, out, want, got);
    remove_output(out);
}

static int cmp_names(gconstpointer a, gconstpointer b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the names of the files in @dir ending in @suffix, without it, sorted. */
static GPtrArray *list_with_suffix(const char *dir, const char *suffix) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GDir) d = g_dir_open(dir, 0, &error);
    g_assert_no_error(error);
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *entry;
    while ((entry = g_dir_read_name(d)) != NULL)
        if (g_str_has_suffix(entry, suffix))
            g_ptr_array_add(names, g_strndup(entry, strlen(entry) - strlen(suffix)));
    g_ptr_array_sort(names, cmp_names);
    return names;
}

/* Every case file has an expectation and every expectation a case file. */
static void test_files_paired(void) {
    g_autoptr(GPtrArray) cases = list_with_suffix(case_dir, ".json");
    g_autoptr(GPtrArray) expects = list_with_suffix(case_dir, ".expect");
    guint n = MAX(cases->len, expects->len);
    for (guint i = 0; i < n; i++) {
        const char *c = i < cases->len ? cases->pdata[i] : "(no more .json)";
        const char *e = i < expects->len ? expects->pdata[i] : "(no more .expect)";
        g_assert_cmpstr(c, ==, e);
    }
    g_assert_cmpuint(cases->len, >, 0);
}

/* Every required case has a file, and every file's comment cites its source:
 * "core/README.md C..." for a C case, "core/README.md ..." for an S case. */
static void test_files_cite_sources(void) {
    g_autoptr(GPtrArray) cases = list_with_suffix(case_dir, ".json");
    for (guint r = 0; required_cases[r] != NULL; r++) {
        g_autofree char *prefix = g_strdup_printf("%s-", required_cases[r]);
        const char *found = "(missing)";
        for (guint i = 0; i < cases->len; i++)
            if (g_str_has_prefix(cases->pdata[i], prefix))
                found = required_cases[r];
        g_assert_cmpstr(found, ==, required_cases[r]);
    }
    for (guint i = 0; i < cases->len; i++) {
        const char *name = cases->pdata[i];
        g_autofree char *path = g_strdup_printf("%s/%s.json", case_dir, name);
        json_error_t jerr;
        json_auto_t *doc = json_load_file(path, 0, &jerr);
        g_assert_nonnull(doc);
        const char *comment = json_string_value(json_object_get(doc, "comment"));
        const char *prefix = comment_prefix(name);
        if (comment == NULL || !g_str_has_prefix(comment, prefix))
            g_assert_cmpstr(comment, ==, prefix);
    }
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    if (argc != 3) {
        g_printerr("usage: %s PAGESIM_EXE CASE_DIR\n", argv[0]);
        return 2;
    }
    pagesim_exe = argv[1];
    case_dir = argv[2];
    g_test_add_func("/conformance/files/paired", test_files_paired);
    g_test_add_func("/conformance/files/cite-sources", test_files_cite_sources);
    g_autoptr(GPtrArray) cases = list_with_suffix(case_dir, ".json");
    for (guint i = 0; i < cases->len; i++) {
        g_autofree char *path = g_strdup_printf("/conformance/%s", (char *)cases->pdata[i]);
        g_test_add_data_func(path, cases->pdata[i], test_case);
    }
    return g_test_run();
}
