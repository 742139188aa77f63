/* Native trace writer: exact line text, escaping, a disabled writer, and output
 * larger than the buffer. */
#include <stdio.h>
#include <string.h>

#include "sim/report/rep-trace.h"

static char *slurp(FILE *f) {
    fflush(f);
    long n = ftell(f);
    rewind(f);
    char *s = g_malloc0((size_t)n + 1);
    g_assert_cmpuint(fread(s, 1, (size_t)n, f), ==, (size_t)n);
    return s;
}

static void test_lines(void) {
    FILE *f = tmpfile();
    g_autoptr(RepTrace) tr = rep_trace_new(f);
    g_assert_true(rep_trace_on(tr));
    rep_trace_begin(tr, 0, "request");
    rep_trace_u64(tr, "offset", 4096);
    rep_trace_u64(tr, "len", 18446744073709551615ULL);
    rep_trace_end(tr);
    rep_trace_begin(tr, 1500, "wake");
    rep_trace_i64(tr, "status", -502);
    rep_trace_i64(tr, "zero", 0);
    rep_trace_str(tr, "name", "a\"b\\c\n");
    rep_trace_end(tr);
    g_assert_true(rep_trace_flush(tr));
    g_autofree char *s = slurp(f);
    g_assert_cmpstr(s, ==,
                    "{\"t\":0,\"ev\":\"request\",\"offset\":4096,\"len\":18446744073709551615}\n"
                    "{\"t\":1500,\"ev\":\"wake\",\"status\":-502,\"zero\":0,"
                    "\"name\":\"a\\\"b\\\\c\\u000a\"}\n");
    g_assert_cmpuint(rep_trace_lines(tr), ==, 2);
    fclose(f);
}

static void test_disabled(void) {
    g_autoptr(RepTrace) tr = rep_trace_new(NULL);
    g_assert_false(rep_trace_on(tr));
    g_assert_true(rep_trace_flush(tr));
}

static void test_many_lines_cross_buffer(void) {
    FILE *f = tmpfile();
    RepTrace *tr = rep_trace_new(f);
    for (uint64_t i = 0; i < 100000; i++) {
        rep_trace_begin(tr, i, "done");
        rep_trace_u64(tr, "thread", i % 7);
        rep_trace_end(tr);
    }
    rep_trace_free(tr);
    g_autofree char *s = slurp(f);
    /* Count lines by hand: g_strsplit's strstr is quadratic under ASan. */
    gsize len = strlen(s), lines = 0, last = 0;
    for (gsize i = 0; i < len; i++) {
        if (s[i] != '\n')
            continue;
        lines++;
        if (i + 1 < len)
            last = i + 1;
    }
    g_assert_cmpuint(lines, ==, 100000);
    g_assert_cmpint(s[len - 1], ==, '\n');
    s[len - 1] = '\0';
    g_assert_cmpstr(s + last, ==, "{\"t\":99999,\"ev\":\"done\",\"thread\":4}");
    fclose(f);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/report/trace/lines", test_lines);
    g_test_add_func("/report/trace/disabled", test_disabled);
    g_test_add_func("/report/trace/many-lines-cross-buffer", test_many_lines_cross_buffer);
    return g_test_run();
}
