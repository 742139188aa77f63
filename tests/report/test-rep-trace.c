/* Native trace writer: exact line text, escaping, a disabled writer, and output
 * larger than the buffer and than several of the file writer's blocks. */
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
    rep_trace_begin(tr, 0, REP_EV_REQUEST);
    rep_trace_str(tr, REP_KEY_VMO, "v");
    rep_trace_u64(tr, REP_KEY_OFFSET, 4096);
    rep_trace_u64(tr, REP_KEY_LEN, 18446744073709551615ULL);
    rep_trace_str(tr, REP_KEY_PROVIDER, "p");
    rep_trace_str(tr, REP_KEY_THREAD, "a\"b\\c\n");
    rep_trace_u64(tr, REP_KEY_OUTSTANDING, 0);
    rep_trace_u64(tr, REP_KEY_PORT, 10);
    rep_trace_end(tr);
    /* The counters outstanding and port are optional: left out here. */
    rep_trace_begin(tr, 1500, REP_EV_CANCEL);
    rep_trace_str(tr, REP_KEY_THREAD, "T1");
    rep_trace_str(tr, REP_KEY_STATUS, "ZX_ERR_IO");
    rep_trace_u64(tr, REP_KEY_RESIDENT, 99);
    rep_trace_end(tr);
    g_assert_true(rep_trace_flush(tr));
    g_autofree char *s = slurp(f);
    g_assert_cmpstr(s, ==,
                    "{\"t\":0,\"ev\":\"request\",\"vmo\":\"v\",\"offset\":4096,"
                    "\"len\":18446744073709551615,\"provider\":\"p\","
                    "\"thread\":\"a\\\"b\\\\c\\u000a\",\"outstanding\":0,\"port\":10}\n"
                    "{\"t\":1500,\"ev\":\"cancel\",\"thread\":\"T1\",\"status\":\"ZX_ERR_IO\","
                    "\"resident\":99}\n");
    g_assert_cmpuint(rep_trace_lines(tr), ==, 2);
    fclose(f);
}

/* Every digit count, at and around each power of ten, against printf. */
static void test_numbers(void) {
    FILE *f = tmpfile();
    g_autoptr(RepTrace) tr = rep_trace_new(f);
    g_autoptr(GString) want = g_string_new(NULL);
    uint64_t p = 1;
    for (int d = 0; d < 20; d++, p *= 10) {
        uint64_t vs[] = {p - 1, p, p + 1, p * 2 - 1};
        for (size_t i = 0; i < G_N_ELEMENTS(vs); i++) {
            rep_trace_begin(tr, vs[i], REP_EV_EVICT);
            rep_trace_str(tr, REP_KEY_VMO, "");
            rep_trace_u64(tr, REP_KEY_OFFSET, vs[i]);
            rep_trace_u64(tr, REP_KEY_LEN, UINT64_MAX - vs[i]);
            rep_trace_u64(tr, REP_KEY_PAGES, vs[i] / 7);
            rep_trace_u64(tr, REP_KEY_RESIDENT, vs[i] % 1000);
            rep_trace_end(tr);
            g_string_append_printf(want,
                                   "{\"t\":%" G_GUINT64_FORMAT ",\"ev\":\"evict\",\"vmo\":\"\","
                                   "\"offset\":%" G_GUINT64_FORMAT ",\"len\":%" G_GUINT64_FORMAT
                                   ",\"pages\":%" G_GUINT64_FORMAT
                                   ",\"resident\":%" G_GUINT64_FORMAT "}\n",
                                   vs[i], vs[i], UINT64_MAX - vs[i], vs[i] / 7, vs[i] % 1000);
        }
    }
    g_assert_true(rep_trace_flush(tr));
    g_autofree char *s = slurp(f);
    g_assert_cmpstr(s, ==, want->str);
    fclose(f);
}

/* A field out of the schema's order aborts a checking build. */
static void test_schema_enforced(void) {
    if (!rep_trace_checks_schema()) {
        g_test_skip("built without REP_TRACE_CHECK");
        return;
    }
    if (g_test_subprocess()) {
        g_autoptr(RepTrace) tr = rep_trace_new(NULL);
        rep_trace_begin(tr, 0, REP_EV_WAKE);
        rep_trace_str(tr, REP_KEY_STATUS, "ZX_OK"); /* before thread */
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*schema_allows*");
}

/* A required field left out aborts a checking build when the line ends. */
static void test_schema_required(void) {
    if (!rep_trace_checks_schema()) {
        g_test_skip("built without REP_TRACE_CHECK");
        return;
    }
    if (g_test_subprocess()) {
        g_autoptr(RepTrace) tr = rep_trace_new(NULL);
        rep_trace_begin(tr, 0, REP_EV_WAKE);
        rep_trace_str(tr, REP_KEY_THREAD, "T");
        rep_trace_end(tr); /* no status */
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*schema_complete*");
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
        rep_trace_begin(tr, i, REP_EV_PAGER_CLOSE);
        rep_trace_str(tr, REP_KEY_PROVIDER, i % 7 ? "p" : "q");
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
    g_assert_cmpstr(s + last, ==, "{\"t\":99999,\"ev\":\"pager_close\",\"provider\":\"p\"}");
    fclose(f);
}

/* A trace of several of the writer's blocks (rep-blocks.h) to a file, with a
 * flush in the middle (which leaves the file at an unaligned size), against
 * the same lines from printf. */
static void test_blocks(void) {
    FILE *f = tmpfile();
    RepTrace *tr = rep_trace_new(f);
    g_autoptr(GString) want = g_string_new(NULL);
    char name[32];
    for (uint64_t i = 0; i < 200000; i++) {
        g_snprintf(name, sizeof name, "w/%" G_GUINT64_FORMAT, i % 77);
        rep_trace_begin(tr, i / 3, REP_EV_ACCESS);
        rep_trace_str(tr, REP_KEY_THREAD, name);
        rep_trace_str(tr, REP_KEY_KIND, "fault");
        rep_trace_str(tr, REP_KEY_VMO, "file");
        rep_trace_u64(tr, REP_KEY_OFFSET, i * 4096 * 997);
        rep_trace_u64(tr, REP_KEY_LEN, 4096);
        rep_trace_end(tr);
        g_string_append_printf(want,
                               "{\"t\":%" G_GUINT64_FORMAT ",\"ev\":\"access\",\"thread\":\"%s\","
                               "\"kind\":\"fault\",\"vmo\":\"file\",\"offset\":%" G_GUINT64_FORMAT
                               ",\"len\":4096}\n",
                               i / 3, name, i * 4096 * 997);
        if (i == 12345)
            g_assert_true(rep_trace_flush(tr));
    }
    g_assert_true(rep_trace_flush(tr));
    g_assert_cmpuint(rep_trace_lines(tr), ==, 200000);
    g_assert_cmpuint(want->len, >, 3 * (4u << 20)); /* several blocks */
    g_autofree char *s = slurp(f);
    g_assert_cmpuint(strlen(s), ==, want->len);
    g_assert_true(memcmp(s, want->str, want->len) == 0);
    rep_trace_free(tr);
    fclose(f);
}

/* JSON string escaping, independently: byte by byte, cut at 256 input bytes. */
static void escape_ref(GString *out, const char *v) {
    for (size_t i = 0; v[i] && i < 256; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c == '"' || c == '\\')
            g_string_append_printf(out, "\\%c", c);
        else if (c < 0x20)
            g_string_append_printf(out, "\\u%04x", c);
        else
            g_string_append_c(out, (char)c);
    }
}

/* Random strings of 0 to 300 bytes, special bytes at random places (around the
 * four-byte steps and the 256-byte cut too), against escape_ref. */
static void test_strings_random(void) {
    static const char alphabet[] = "ab/_\"\\\x01\x1f\x7f\xc3\xa9 ~";
    GRand *rng = g_rand_new_with_seed(14);
    FILE *f = tmpfile();
    RepTrace *tr = rep_trace_new(f);
    g_autoptr(GString) want = g_string_new(NULL);
    char v[301];
    for (int k = 0; k < 3000; k++) {
        size_t n = (size_t)g_rand_int_range(rng, 0, 301);
        gboolean plain = g_rand_boolean(rng); /* half of them without specials */
        for (size_t i = 0; i < n; i++)
            v[i] = plain ? (char)('a' + g_rand_int_range(rng, 0, 26))
                         : alphabet[g_rand_int_range(rng, 0, (int)sizeof alphabet - 1)];
        v[n] = '\0';
        rep_trace_begin(tr, 7, REP_EV_PAGER_CLOSE);
        rep_trace_str(tr, REP_KEY_PROVIDER, v);
        rep_trace_end(tr);
        g_string_append(want, "{\"t\":7,\"ev\":\"pager_close\",\"provider\":\"");
        escape_ref(want, v);
        g_string_append(want, "\"}\n");
    }
    g_assert_true(rep_trace_flush(tr));
    g_autofree char *s = slurp(f);
    g_assert_cmpstr(s, ==, want->str);
    rep_trace_free(tr);
    fclose(f);
    g_rand_free(rng);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/report/trace/lines", test_lines);
    g_test_add_func("/report/trace/numbers", test_numbers);
    g_test_add_func("/report/trace/schema-order", test_schema_enforced);
    g_test_add_func("/report/trace/schema-required", test_schema_required);
    g_test_add_func("/report/trace/disabled", test_disabled);
    g_test_add_func("/report/trace/many-lines-cross-buffer", test_many_lines_cross_buffer);
    g_test_add_func("/report/trace/blocks", test_blocks);
    g_test_add_func("/report/trace/strings-random", test_strings_random);
    return g_test_run();
}
