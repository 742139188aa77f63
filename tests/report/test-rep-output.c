/* Atomic results: nothing is visible before commit, everything after it; an
 * abandoned result leaves the directory as it was (and removes the parents it
 * made); files pagesim did not write survive a new result, files of the old
 * result that the new one does not have are gone; leftovers of killed runs
 * are removed by the next one. */
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "sim/report/rep-output.h"

static gint cmp_names(gconstpointer a, gconstpointer b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in @dir, sorted, joined with ' '. */
static char *listing(const char *dir) {
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    while (d && (name = g_dir_read_name(d)) != NULL)
        g_ptr_array_add(names, g_strdup(name));
    g_ptr_array_sort(names, cmp_names);
    g_ptr_array_add(names, NULL);
    return g_strjoinv(" ", (char **)names->pdata);
}

static char *read_file(const char *dir, const char *name) {
    g_autofree char *path = g_build_filename(dir, name, NULL);
    char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, NULL))
        return NULL;
    return text;
}

static void write_file(const char *dir, const char *name, const char *text) {
    g_autofree char *path = g_build_filename(dir, name, NULL);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
}

static void rmtree(const char *path) {
    const char *argv[] = {"rm", "-rf", path, NULL};
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, NULL, NULL));
}

/* Writes a result with @n files named by @names, each holding @text. */
static void write_result(const char *dir, const char *const *names, const char *text) {
    g_autoptr(GError) err = NULL;
    g_autoptr(RepOutput) out = rep_output_new(dir, &err);
    g_assert_no_error(err);
    for (guint i = 0; names[i]; i++) {
        FILE *f = rep_output_open(out, names[i], &err);
        g_assert_no_error(err);
        fputs(text, f);
    }
    g_assert_true(rep_output_commit(out, &err));
    g_assert_no_error(err);
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
    /* before the commit, the directory does not exist */
    g_assert_false(g_file_test(dir, G_FILE_TEST_EXISTS));
    g_assert_true(rep_output_commit(out, &err));
    g_assert_no_error(err);
    g_autofree char *text = read_file(dir, "summary.json");
    g_assert_cmpstr(text, ==, "{}\n");
    g_autofree char *names = listing(dir);
    g_assert_cmpstr(names, ==, ".pagesim-files summary.json");
    g_autofree char *manifest = read_file(dir, ".pagesim-files");
    g_assert_cmpstr(manifest, ==, "summary.json\n");
    /* and nothing else was left beside it */
    g_autofree char *mid = g_build_filename(tmp, "a", NULL);
    g_autofree char *beside = listing(mid);
    g_assert_cmpstr(beside, ==, "b");
    rmtree(tmp);
}

static void test_abandon(void) {
    g_autofree char *tmp = g_dir_make_tmp("rep-output-XXXXXX", NULL);
    g_autofree char *dir = g_build_filename(tmp, "new", "run", NULL);
    RepOutput *out = rep_output_new(dir, NULL);
    fputs("partial", rep_output_open(out, "events.jsonl", NULL));
    rep_output_free(out);
    /* the parent it made is gone again, and no temporary is left */
    g_autofree char *names = listing(tmp);
    g_assert_cmpstr(names, ==, "");
    rmtree(tmp);
}

static void test_replace_keeps_foreign(void) {
    g_autofree char *dir = g_dir_make_tmp("rep-output-XXXXXX", NULL);
    const char *first[] = {"summary.json", "events.jsonl", "plots/old.png", NULL};
    write_result(dir, first, "one");
    write_file(dir, "notes.txt", "mine");
    write_file(dir, "plots/mine.png", "mine too");
    const char *second[] = {"summary.json", "trace.json", NULL};
    write_result(dir, second, "two");
    g_autofree char *names = listing(dir);
    g_assert_cmpstr(names, ==, ".pagesim-files notes.txt plots summary.json trace.json");
    g_autofree char *plots = g_build_filename(dir, "plots", NULL);
    g_autofree char *plot_names = listing(plots);
    g_assert_cmpstr(plot_names, ==, "mine.png");
    g_autofree char *summary = read_file(dir, "summary.json");
    g_autofree char *notes = read_file(dir, "notes.txt");
    g_assert_cmpstr(summary, ==, "two");
    g_assert_cmpstr(notes, ==, "mine");
    rmtree(dir);
}

static void test_foreign_name_refused(void) {
    g_autofree char *dir = g_dir_make_tmp("rep-output-XXXXXX", NULL);
    write_file(dir, "trace.json", "the user's");
    g_autoptr(GError) err = NULL;
    g_autoptr(RepOutput) out = rep_output_new(dir, &err);
    g_assert_no_error(err);
    g_assert_null(rep_output_open(out, "trace.json", &err));
    g_assert_error(err, G_FILE_ERROR, G_FILE_ERROR_EXIST);
    g_autofree char *expect = g_strdup_printf(
        "%s/trace.json exists and was not written by pagesim; move it away or choose another "
        "output directory",
        dir);
    g_assert_cmpstr(err->message, ==, expect);
    g_autofree char *kept = read_file(dir, "trace.json");
    g_assert_cmpstr(kept, ==, "the user's");
    rmtree(dir);
}

static void test_leftovers_removed(void) {
    g_autofree char *tmp = g_dir_make_tmp("rep-output-XXXXXX", NULL);
    g_autofree char *dir = g_build_filename(tmp, "res", NULL);
    const char *names[] = {"summary.json", NULL};
    write_result(dir, names, "one");
    /* a killed run's tree beside it, an old version's temporary inside it, and
     * a live run's tree (locked) */
    g_autofree char *dead = g_build_filename(tmp, ".res.pagesim-AAAAAA", NULL);
    g_autofree char *live = g_build_filename(tmp, ".res.pagesim-BBBBBB", NULL);
    g_assert_cmpint(g_mkdir(dead, 0755), ==, 0);
    g_assert_cmpint(g_mkdir(live, 0755), ==, 0);
    write_file(dead, "events.jsonl", "partial");
    write_file(dir, ".events.jsonl.Q1W2E3.tmp", "partial");
    int fd = open(live, O_RDONLY | O_DIRECTORY);
    g_assert_cmpint(flock(fd, LOCK_EX), ==, 0);
    write_result(dir, names, "two");
    g_autofree char *beside = listing(tmp);
    g_assert_cmpstr(beside, ==, ".res.pagesim-BBBBBB res");
    g_autofree char *inside = listing(dir);
    g_assert_cmpstr(inside, ==, ".pagesim-files summary.json");
    close(fd);
    rmtree(tmp);
}

static void test_uncreatable_dir(void) {
    g_autoptr(GError) err = NULL;
    g_assert_null(rep_output_new("/proc/no/such/dir", &err));
    g_assert_nonnull(err);
    g_assert_true(
        g_str_has_prefix(err->message, "cannot create output directory /proc/no/such/dir: "));
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/report/output/commit", test_commit);
    g_test_add_func("/report/output/abandon", test_abandon);
    g_test_add_func("/report/output/replace-keeps-foreign", test_replace_keeps_foreign);
    g_test_add_func("/report/output/foreign-name-refused", test_foreign_name_refused);
    g_test_add_func("/report/output/leftovers-removed", test_leftovers_removed);
    g_test_add_func("/report/output/uncreatable-dir", test_uncreatable_dir);
    return g_test_run();
}
