/* The trace schema: names map back to their enums, no event lists a key twice,
 * and README.md's event table is exactly the schema's rendering, row by row. */
#include <string.h>

#include "sim/report/rep-schema.h"

static void test_names_round_trip(void) {
    for (guint ev = 0; ev < REP_EV_COUNT; ev++) {
        const char *name = rep_schema_event((RepEv)ev)->name;
        RepEv back = REP_EV_COUNT;
        g_assert_true(rep_ev_from_name(name, strlen(name), &back));
        g_assert_cmpuint(back, ==, ev);
    }
    for (guint k = 0; k < REP_KEY_COUNT; k++) {
        const char *name = rep_key_name((RepKey)k);
        RepKey back = REP_KEY_COUNT;
        g_assert_true(rep_key_from_name(name, strlen(name), &back));
        g_assert_cmpuint(back, ==, k);
    }
    RepEv ev;
    RepKey key;
    g_assert_false(rep_ev_from_name("wak", 3, &ev));
    g_assert_false(rep_ev_from_name("wakes", 5, &ev));
    g_assert_false(rep_key_from_name("threads", 7, &key));
    /* Only the first @len bytes count. */
    g_assert_true(rep_ev_from_name("wakeXYZ", 4, &ev));
    g_assert_cmpuint(ev, ==, REP_EV_WAKE);
}

static void test_fields_unique(void) {
    for (guint ev = 0; ev < REP_EV_COUNT; ev++) {
        const RepSchemaEvent *e = rep_schema_event((RepEv)ev);
        g_assert_cmpuint(e->n_fields, >=, 1);
        g_assert_cmpuint(e->n_fields, <=, REP_SCHEMA_MAX_FIELDS);
        for (guint i = 0; i < e->n_fields; i++)
            g_assert_cmpint(rep_schema_field_index((RepEv)ev, e->fields[i].key), ==, (int)i);
    }
    g_assert_cmpint(rep_schema_field_index(REP_EV_WAKE, REP_KEY_LATENCY_NS), ==, -1);
}

static void test_render_row(void) {
    g_autofree char *row = rep_schema_render_row(REP_EV_DETACH);
    g_assert_cmpstr(row, ==,
                    "| `detach` | `vmo`, `by`?, `outstanding`?, `port`?, `resident` | the VMO was "
                    "detached from its pager; a pager close detaches each of its VMOs (`by` is "
                    "then `pager_close`) |");
}

/* README.md's table under "| `ev` | fields | meaning |" holds one row per event,
 * in schema order, each exactly as rendered. */
static void test_readme_agrees(void) {
    g_autofree char *path = g_test_build_filename(G_TEST_DIST, "..", "README.md", NULL);
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    guint i = 0;
    while (lines[i] && strcmp(lines[i], "| `ev` | fields | meaning |") != 0)
        i++;
    g_assert_nonnull(lines[i]);
    g_assert_cmpstr(lines[i + 1], ==, "| --- | --- | --- |");
    i += 2;
    for (guint ev = 0; ev < REP_EV_COUNT; ev++, i++) {
        g_autofree char *want = rep_schema_render_row((RepEv)ev);
        g_assert_cmpstr(lines[i], ==, want);
    }
    g_assert_false(g_str_has_prefix(lines[i], "|"));
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/report/schema/names-round-trip", test_names_round_trip);
    g_test_add_func("/report/schema/fields-unique", test_fields_unique);
    g_test_add_func("/report/schema/render-row", test_render_row);
    g_test_add_func("/report/schema/readme-agrees", test_readme_agrees);
    return g_test_run();
}
