/* Atomic result files: nothing is visible before commit, everything after it, and
 * an abandoned run leaves the directory as it was. */
#include <glib/gstdio.h>

#include "sim/report/rep-output.h"

static guint count_entries(const char *dir) {
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    guint n = 0;
    while (g_dir_read_name(d))
        n++;
    return n;
}

static void test_commit(void) {
    g_autofree char *tmp = g_dir_make_tmp("rep-output-XXXXXX", NULL);
    g_autofree char *dir = g_build_filename(tmp, "a", "b", NULL);
    g_autoptr(GError) err = NULL;
    g_autoptr(RepOutput) out = rep_output_new(dir, &err);
    g_assert_no_error(err);
    FILE *f = rep_output_open(out, "summary.json", &err);
    g_assert_no_error(err);
    fputs("{}\n", f);
    g_autofree char *final = g_build_filename(dir, "summary.json", NULL);
    g_assert_false(g_file_test(final, G_FILE_TEST_EXISTS));
    g_assert_true(rep_output_commit(out, &err));
    g_assert_no_error(err);
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(final, &text, NULL, NULL));
    g_assert_cmpstr(text, ==, "{}\n");
    g_assert_cmpuint(count_entries(dir), ==, 1);
    g_unlink(final);
    g_rmdir(dir);
    g_autofree char *mid = g_build_filename(tmp, "a", NULL);
    g_rmdir(mid);
    g_rmdir(tmp);
}

static void test_abandon(void) {
    g_autofree char *dir = g_dir_make_tmp("rep-output-XXXXXX", NULL);
    RepOutput *out = rep_output_new(dir, NULL);
    fputs("partial", rep_output_open(out, "events.jsonl", NULL));
    g_assert_cmpuint(count_entries(dir), ==, 1);
    rep_output_free(out);
    g_assert_cmpuint(count_entries(dir), ==, 0);
    g_rmdir(dir);
}

static void test_uncreatable_dir(void) {
    g_autoptr(GError) err = NULL;
    g_assert_null(rep_output_new("/proc/no/such/dir", &err));
    g_assert_nonnull(err);
    g_assert_true(
        g_str_has_prefix(err->message, "cannot create output directory /proc/no/such/dir"));
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/report/output/commit", test_commit);
    g_test_add_func("/report/output/abandon", test_abandon);
    g_test_add_func("/report/output/uncreatable-dir", test_uncreatable_dir);
    return g_test_run();
}
