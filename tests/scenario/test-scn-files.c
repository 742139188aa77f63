/* Data-driven scenario tests. Every .json file in tests/scenario/valid/ and in
 * scenarios/ must load; every tests/scenario/invalid/<case>.json must fail
 * with exactly the message in <case>.err (one line), after applying the
 * overrides listed one per line in <case>.set when that file exists. The test
 * runs from G_TEST_SRCDIR so messages name the files as "scenario/invalid/...".
 */
#include "sim/scenario/scn-scenario.h"

#include <string.h>
#include <unistd.h>

static gint cmp_str(gconstpointer a, gconstpointer b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the "*.json" files of @dir (relative to the test dir), sorted. */
static GPtrArray *list_json(const char *dir) {
    g_autofree char *path = g_test_build_filename(G_TEST_DIST, dir, NULL);
    g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    const char *name;

    while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
        if (g_str_has_suffix(name, ".json"))
            g_ptr_array_add(out, g_strndup(name, strlen(name) - 5));
    }
    g_ptr_array_sort(out, cmp_str);
    return out;
}

static void test_valid(gconstpointer data) {
    const char *rel = data;
    g_autoptr(GError) error = NULL;
    g_autoptr(ScnScenario) sc = scn_scenario_load_file(rel, NULL, &error);
    g_autoptr(GString) out = g_string_new(NULL);

    g_assert_no_error(error);
    g_assert_nonnull(sc);
    scn_scenario_describe(sc, out);
    g_assert_cmpuint(out->len, >, 0);
}

/* Reads the optional overrides file of an invalid case. */
static char **read_overrides(const char *rel_base) {
    g_autofree char *path = g_strconcat(rel_base, ".set", NULL);
    g_autofree char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return NULL;
    g_strchomp(text);
    return g_strsplit(text, "\n", -1);
}

static void test_invalid(gconstpointer data) {
    const char *base = data;
    g_autofree char *json = g_strconcat(base, ".json", NULL);
    g_autofree char *err_path = g_strconcat(base, ".err", NULL);
    g_autofree char *expected = NULL;
    g_auto(GStrv) overrides = read_overrides(base);
    g_autoptr(GError) error = NULL;
    g_autoptr(GError) io = NULL;
    g_autoptr(ScnScenario) sc = NULL;

    g_file_get_contents(err_path, &expected, NULL, &io);
    g_assert_no_error(io);
    g_strchomp(expected);
    sc = scn_scenario_load_file(json, (const char *const *)overrides, &error);
    g_assert_null(sc);
    g_assert_nonnull(error);
    g_assert_true(error->domain == SCN_ERROR);
    g_assert_cmpstr(error->message, ==, expected);
}

/* The task asks for a broad bad-input corpus; keep it from shrinking unnoticed. */
static void test_invalid_count(void) {
    g_autoptr(GPtrArray) names = list_json("scenario/invalid");
    g_assert_cmpuint(names->len, >=, 35);
}

/* Registers one test per file of @dir under @prefix. */
static void add_dir(const char *dir, const char *prefix, GTestDataFunc fn, gboolean with_ext) {
    g_autoptr(GPtrArray) names = list_json(dir);

    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        g_autofree char *test = g_strdup_printf("%s/%s", prefix, name);
        char *rel = g_strdup_printf("%s/%s%s", dir, name, with_ext ? ".json" : "");

        g_test_add_data_func_full(test, rel, fn, g_free);
    }
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    if (chdir(g_test_get_dir(G_TEST_DIST)) != 0)
        g_error("cannot enter %s", g_test_get_dir(G_TEST_DIST));
    add_dir("scenario/valid", "/scn/valid", test_valid, TRUE);
    add_dir("scenario/invalid", "/scn/invalid", test_invalid, FALSE);
    add_dir("../scenarios", "/scn/scenarios", test_valid, TRUE);
    g_test_add_func("/scn/invalid-count", test_invalid_count);
    return g_test_run();
}
