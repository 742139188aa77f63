/* Native trace records: the file reader (fields, errors with line numbers, time
 * order), and the writer's tee and window. */
#include <glib/gstdio.h>
#include <string.h>

#include "sim/report/rep-event.h"
#include "sim/report/rep-trace.h"

typedef struct {
    GPtrArray *seen; /* "t ev key=value ..." per record */
} Collect;

static void collect(const RepEvent *e, gpointer data) {
    Collect *c = data;
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "%" G_GUINT64_FORMAT " %s", e->t, rep_schema_event(e->ev)->name);
    for (guint i = 0; i < e->n_fields; i++) {
        const RepField *f = &e->fields[i];
        if (f->type == REP_FIELD_U64)
            g_string_append_printf(s, " %s=%" G_GUINT64_FORMAT, rep_key_name(f->key), f->u);
        else
            g_string_append_printf(s, " %s='%s'", rep_key_name(f->key), f->s);
    }
    g_ptr_array_add(c->seen, g_string_free(s, FALSE));
}

static gboolean read_text(const char *text, Collect *c, GError **error) {
    FILE *f = tmpfile();
    fputs(text, f);
    rewind(f);
    gboolean ok = rep_event_read_stream(f, "x.jsonl", collect, c, error);
    fclose(f);
    return ok;
}

static void test_read_fields(void) {
    Collect c = {g_ptr_array_new_with_free_func(g_free)};
    g_autoptr(GError) err = NULL;
    g_assert_true(read_text("{\"t\":5,\"ev\":\"wake\",\"thread\":\"a/1\",\"status\":\"ZX_OK\"}\n"
                            "\n"
                            "{\"t\":7,\"ev\":\"evict\",\"vmo\":\"v\",\"resident\":18446744,"
                            "\"offset\":0}\n",
                            &c, &err));
    g_assert_no_error(err);
    g_assert_cmpuint(c.seen->len, ==, 2);
    g_assert_cmpstr(g_ptr_array_index(c.seen, 0), ==, "5 wake thread='a/1' status='ZX_OK'");
    /* Fields left out are fine (hand-written traces); the record keeps file order. */
    g_assert_cmpstr(g_ptr_array_index(c.seen, 1), ==, "7 evict vmo='v' resident=18446744 offset=0");
    g_ptr_array_unref(c.seen);
}

static void test_read_errors(void) {
    static const struct {
        const char *text;
        int code;
        const char *message;
    } cases[] = {
        {"{\"t\":1,\"ev\":\"close\"}\n{\"t\":1,\n", REP_EVENT_ERROR_SYNTAX, "x.jsonl:2: "},
        {"[1]\n", REP_EVENT_ERROR_SYNTAX, "x.jsonl:1: not a JSON object"},
        {"{\"ev\":\"close\"}\n", REP_EVENT_ERROR_SYNTAX, "x.jsonl:1: not a native trace line"},
        {"{\"t\":-1,\"ev\":\"close\"}\n", REP_EVENT_ERROR_SYNTAX, "x.jsonl:1: not a native"},
        {"{\"t\":9,\"ev\":\"close\"}\n{\"t\":8,\"ev\":\"close\"}\n", REP_EVENT_ERROR_ORDER,
         "x.jsonl:2: t = 8 is earlier than the line before (9)"},
        {"{\"t\":1,\"ev\":\"frobnicate\"}\n", REP_EVENT_ERROR_SCHEMA,
         "x.jsonl:1: unknown event \"frobnicate\""},
        {"{\"t\":1,\"ev\":\"wake\",\"thread\":\"T\",\"colour\":1}\n", REP_EVENT_ERROR_SCHEMA,
         "x.jsonl:1: \"wake\" has no field \"colour\""},
        {"{\"t\":1,\"ev\":\"wake\",\"latency_ns\":1}\n", REP_EVENT_ERROR_SCHEMA,
         "x.jsonl:1: \"wake\" has no field \"latency_ns\""},
        {"{\"t\":1,\"ev\":\"wake\",\"thread\":7}\n", REP_EVENT_ERROR_SCHEMA,
         "x.jsonl:1: \"wake\".thread must be a string"},
        {"{\"t\":1,\"ev\":\"evict\",\"offset\":-4096}\n", REP_EVENT_ERROR_SCHEMA,
         "x.jsonl:1: \"evict\".offset must be an integer >= 0"},
        {"{\"t\":1,\"ev\":\"evict\",\"len\":\"4KiB\"}\n", REP_EVENT_ERROR_SCHEMA,
         "x.jsonl:1: \"evict\".len must be an integer >= 0"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        Collect c = {g_ptr_array_new_with_free_func(g_free)};
        g_autoptr(GError) err = NULL;
        g_assert_false(read_text(cases[i].text, &c, &err));
        g_assert_error(err, REP_EVENT_ERROR, cases[i].code);
        g_assert_true(g_str_has_prefix(err->message, cases[i].message));
        g_ptr_array_unref(c.seen);
    }
    g_autoptr(GError) err = NULL;
    g_assert_false(rep_event_read_file("/nonexistent/events.jsonl", collect, NULL, &err));
    g_assert_error(err, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

static void write_lines(RepTrace *tr) {
    for (uint64_t t = 0; t < 10; t++) {
        rep_trace_begin(tr, t * 10, REP_EV_RESIZE);
        rep_trace_str(tr, REP_KEY_VMO, "w\"1");
        rep_trace_u64(tr, REP_KEY_FROM, t);
        rep_trace_u64(tr, REP_KEY_TO, t * 4096);
        rep_trace_u64(tr, REP_KEY_RESIDENT, 0);
        rep_trace_end(tr);
    }
}

/* The tee sees every line as written; the window keeps [20, 50) in the file. */
static void test_tee_and_window(void) {
    Collect c = {g_ptr_array_new_with_free_func(g_free)};
    FILE *f = tmpfile();
    g_autoptr(RepTrace) tr = rep_trace_new(f);
    rep_trace_set_tee(tr, collect, &c);
    rep_trace_set_window(tr, 20, 50);
    write_lines(tr);
    g_assert_true(rep_trace_flush(tr));
    g_assert_cmpuint(rep_trace_lines(tr), ==, 3);
    g_assert_cmpuint(c.seen->len, ==, 10);
    g_assert_cmpstr(g_ptr_array_index(c.seen, 3), ==,
                    "30 resize vmo='w\"1' from=3 to=12288 resident=0");
    g_assert_cmpstr(g_ptr_array_index(c.seen, 0), ==, "0 resize vmo='w\"1' from=0 to=0 resident=0");
    /* Reading the windowed file back gives the same records for those lines. */
    Collect back = {g_ptr_array_new_with_free_func(g_free)};
    rewind(f);
    g_assert_true(rep_event_read_stream(f, "w", collect, &back, NULL));
    g_assert_cmpuint(back.seen->len, ==, 3);
    for (guint i = 0; i < 3; i++)
        g_assert_cmpstr(g_ptr_array_index(back.seen, i), ==, g_ptr_array_index(c.seen, i + 2));
    fclose(f);
    g_ptr_array_unref(c.seen);
    g_ptr_array_unref(back.seen);
}

/* A tee alone turns tracing on without writing anything. */
static void test_tee_only(void) {
    Collect c = {g_ptr_array_new_with_free_func(g_free)};
    g_autoptr(RepTrace) tr = rep_trace_new(NULL);
    g_assert_false(rep_trace_on(tr));
    rep_trace_set_tee(tr, collect, &c);
    g_assert_true(rep_trace_on(tr));
    write_lines(tr);
    g_assert_cmpuint(c.seen->len, ==, 10);
    g_assert_cmpuint(rep_trace_lines(tr), ==, 0);
    g_ptr_array_unref(c.seen);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rep/event/read-fields", test_read_fields);
    g_test_add_func("/rep/event/read-errors", test_read_errors);
    g_test_add_func("/rep/event/tee-and-window", test_tee_and_window);
    g_test_add_func("/rep/event/tee-only", test_tee_only);
    return g_test_run();
}
