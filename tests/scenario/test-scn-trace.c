/* Unit tests of the trace reader (scn-trace.h): records as written, with units,
 * hexadecimal offsets, page rounding of [offset, offset + len), gaps, CRLF
 * ends, a last line without a newline, a line longer than the initial buffer,
 * thread numbering, and messages with file and line. */
#include "sim/scenario/scn-trace.h"

#include "sim/scenario/scn-error.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static const char *const vmos[] = {"data", "heap", NULL};
static const char *const only_a[] = {"a", NULL};

/* Writes @text to a temporary file and opens a reader on it. */
static ScnTraceReader *open_text(const char *text, const char *const *threads, char **path) {
    g_autoptr(GError) error = NULL;
    int fd = g_file_open_tmp("trace-XXXXXX.csv", path, &error);
    g_assert_no_error(error);
    close(fd);
    g_assert_true(g_file_set_contents(*path, text, -1, NULL));
    ScnTraceReader *rd = scn_trace_reader_open(*path, vmos, threads, &error);
    g_assert_no_error(error);
    return rd;
}

static void expect(ScnTraceReader *rd, uint64_t t, guint thread, guint vmo, ScnAccessKind kind,
                   uint64_t offset, uint64_t pages, uint64_t dur, uint64_t line) {
    ScnTraceRecord r;
    g_autoptr(GError) error = NULL;
    g_assert_cmpint(scn_trace_reader_next(rd, &r, &error), ==, 1);
    g_assert_no_error(error);
    g_assert_cmpuint(r.t_ns, ==, t);
    g_assert_cmpuint(r.thread, ==, thread);
    g_assert_cmpuint(r.vmo, ==, vmo);
    g_assert_cmpint(r.kind, ==, kind);
    g_assert_cmpuint(r.offset, ==, offset);
    g_assert_cmpuint(r.pages, ==, pages);
    g_assert_cmpuint(r.dur_ns, ==, dur);
    g_assert_cmpuint(r.line, ==, line);
}

static void expect_end(ScnTraceReader *rd) {
    ScnTraceRecord r;
    g_autoptr(GError) error = NULL;
    g_assert_cmpint(scn_trace_reader_next(rd, &r, &error), ==, 0);
    g_assert_no_error(error);
}

/* Columns in any order, spaces around fields, CRLF ends, a last line without
 * a newline. Offset 100 with len 4096 touches pages 0 and 1; 0x2000 is page 2;
 * "1MiB" with len 1 is page 256. Threads are numbered by first use. An empty
 * field is not a value. */
static void test_csv(void) {
    g_autofree char *path = NULL;
    g_autoptr(ScnTraceReader) rd =
        open_text("# comment\r\n\r\n kind , vmo, thread ,t,offset,len, dur\r\n"
                  "read,data,main,0,100,4096,5us\r\n"
                  "fault, heap ,worker-1,1.5us,0x2000,4KiB,0\r\n"
                  "commit,data,main,2ms,1MiB,1,0\n"
                  "fault,data,main,3ms,0,,0",
                  NULL, &path);
    expect(rd, 0, 0, 0, SCN_ACCESS_READ, 0, 2, 5000, 4);
    expect(rd, 1500, 1, 1, SCN_ACCESS_FAULT, 8192, 1, 0, 5);
    expect(rd, 2000000, 0, 0, SCN_ACCESS_COMMIT, 1048576, 1, 0, 6);
    g_assert_cmpstr(scn_trace_reader_thread_name(rd, 1), ==, "worker-1");
    g_autoptr(GError) error = NULL;
    ScnTraceRecord r;
    g_assert_cmpint(scn_trace_reader_next(rd, &r, &error), ==, -1);
    g_autofree char *want = g_strdup_printf("%s:7: len \"\": ", path);
    g_assert_true(g_str_has_prefix(error->message, want));
    g_unlink(path);
}

/* Gaps accumulate over the whole file; JSON lines take units and integers;
 * a line longer than the reader's first buffer (256 bytes) is read whole. */
static void test_jsonl_gaps_long_line(void) {
    g_autofree char *pad = g_strnfill(600, ' ');
    g_autofree char *text = g_strdup_printf(
        "{\"gap\": \"10us\", \"thread\": \"a\", \"vmo\": \"heap\", \"offset\": 8192}\n"
        "{\"gap\": 500,%s\"thread\": \"b\", \"vmo\": \"data\", \"offset\": \"4KiB\", \"len\": 8193,"
        " \"kind\": \"commit\"}\n"
        "{\"gap\": 0, \"thread\": \"a\", \"vmo\": \"data\", \"offset\": 0, \"dur\": \"1ms\"}\n",
        pad);
    g_autofree char *path = NULL;
    g_autoptr(ScnTraceReader) rd = open_text(text, NULL, &path);
    expect(rd, 10000, 0, 1, SCN_ACCESS_FAULT, 8192, 1, 0, 1);
    expect(rd, 10500, 1, 0, SCN_ACCESS_COMMIT, 4096, 3, 0, 2);
    expect(rd, 10500, 0, 0, SCN_ACCESS_FAULT, 0, 1, 1000000, 3);
    expect_end(rd);
    g_auto(GStrv) names = scn_trace_reader_thread_names(rd);
    g_assert_cmpuint(g_strv_length(names), ==, 2);
    g_assert_cmpstr(names[1], ==, "b");
    g_unlink(path);
}

/* Each bad record: the message names the file and line. */
static void test_errors(void) {
    static const struct {
        const char *text;
        const char *const *threads;
        const char *message; /* after "PATH:" */
    } cases[] = {
        {"t,thread,vmo\n", NULL, "1: the header lacks the column \"offset\""},
        {"t,gap,thread,vmo,offset\n", NULL,
         "1: the header needs exactly one of the columns \"t\" and \"gap\""},
        {"t,thread,vmo,offset,size\n", NULL,
         "1: unknown column \"size\" (columns: t or gap, thread, vmo, offset, len, kind, dur)"},
        {"t,thread,vmo,offset\n0,a,data,0,9\n", NULL, "2: more fields than the header's 4 columns"},
        {"t,thread,vmo,offset\n0,a/b,data,0\n", NULL,
         "2: thread \"a/b\": a name is 1 to 64 of A-Z a-z 0-9 _ . - and does not start with "
         "'.'"},
        {"t,thread,vmo,offset\n0,x,data,0\n", only_a,
         "2: unknown thread \"x\" (not in the workload's \"threads\")"},
        {"t,thread,vmo,offset,len\n0,a,data,0,0\n", NULL,
         "2: len must be at least 1 byte, and offset and len below 2^63"},
        {"{\"t\": 0, \"thread\": \"a\", \"vmo\": \"data\", \"offset\": -1}\n", NULL,
         "1: \"offset\": expected a string or a non-negative integer, got an integer"},
        {"{\"t\": 0, \"thread\": \"a\", \"vmo\": \"data\"}\n", NULL,
         "1: the record lacks \"offset\""},
        {"[1]\n", NULL,
         "1: unknown column \"[1]\" (columns: t or gap, thread, vmo, offset, len, kind, dur)"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = NULL;
        g_autoptr(ScnTraceReader) rd = open_text(cases[i].text, cases[i].threads, &path);
        ScnTraceRecord r;
        g_autoptr(GError) error = NULL;
        g_assert_cmpint(scn_trace_reader_next(rd, &r, &error), ==, -1);
        g_assert_error(error, SCN_ERROR, SCN_ERROR_VALUE);
        g_autofree char *want = g_strdup_printf("%s:%s", path, cases[i].message);
        g_assert_cmpstr(error->message, ==, want);
        g_unlink(path);
    }
}

static void test_missing_file(void) {
    g_autoptr(GError) error = NULL;
    g_assert_null(scn_trace_reader_open("/nonexistent/trace.csv", vmos, NULL, &error));
    g_assert_error(error, SCN_ERROR, SCN_ERROR_IO);
    g_assert_cmpstr(error->message, ==,
                    "/nonexistent/trace.csv: cannot open trace: No such file or directory");
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/scn/trace/csv", test_csv);
    g_test_add_func("/scn/trace/jsonl-gaps-long-line", test_jsonl_gaps_long_line);
    g_test_add_func("/scn/trace/errors", test_errors);
    g_test_add_func("/scn/trace/missing-file", test_missing_file);
    return g_test_run();
}
