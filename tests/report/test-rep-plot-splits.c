/* latency-splits.tsv as written (rep_splits_write) and read back. */
#include <glib.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sim/report/rep-plot-splits.h"

static char *written(const RepFigures *f) {
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    g_autoptr(GError) err = NULL;
    g_assert_true(rep_splits_write(f, out, &err));
    g_assert_no_error(err);
    fclose(out);
    return buf;
}

/* One workload "w": faults of 5 ns (twice) and 300 ns (bucket 278) end ZX_OK,
 * one of 7 ns ZX_ERR_IO. Statuses come sorted by name. */
static void test_by_hand(void) {
    RepFigures f = {0};
    rep_figures_init(&f, 1, 0);
    rep_figures_set_workload(&f, 0, "w", "closed", "fault", 4);
    rep_figures_record_access(&f, 0, "ZX_OK", TRUE, TRUE, 1, 5, 10);
    rep_figures_record_access(&f, 0, "ZX_OK", TRUE, TRUE, 1, 5, 20);
    rep_figures_record_access(&f, 0, "ZX_ERR_IO", FALSE, TRUE, 1, 7, 30);
    rep_figures_record_access(&f, 0, "ZX_OK", TRUE, TRUE, 1, 300, 40);
    rep_figures_finish(&f, 50, TRUE);
    g_autofree char *text = written(&f);
    g_assert_cmpstr(text, ==,
                    "# pagesim fault latency per final status and per workload (ns)\n"
                    "split\tstatus\tZX_ERR_IO\n"
                    "hist\t1\t7\t7\t7\t0\n"
                    "bucket\t7\t1\n"
                    "split\tstatus\tZX_OK\n"
                    "hist\t3\t5\t300\t310\t0\n"
                    "bucket\t5\t2\n"
                    "bucket\t278\t1\n"
                    "split\tworkload\tw\n"
                    "hist\t4\t5\t300\t317\t0\n"
                    "bucket\t5\t2\n"
                    "bucket\t7\t1\n"
                    "bucket\t278\t1\n");
    rep_figures_clear(&f);
}

/* Faults in every bucket up to 2^20 ns and a few beyond (more lines than one
 * buffer holds): the bucket lines are what fprintf makes of the histogram, and
 * reading the file back gives its counts. */
static void test_many_buckets(void) {
    RepFigures f = {0};
    rep_figures_init(&f, 1, 0);
    rep_figures_set_workload(&f, 0, "w", "closed", "fault", 0);
    for (uint64_t v = 0; v < ((uint64_t)1 << 20); v += 1 + v / 64)
        rep_figures_record_access(&f, 0, "ZX_OK", TRUE, TRUE, 1, v, 1);
    rep_figures_record_access(&f, 0, "ZX_OK", TRUE, TRUE, 1, (uint64_t)1 << 50, 1); /* clamped */
    rep_figures_finish(&f, 2, TRUE);
    g_autofree char *text = written(&f);
    const RepHistogram *h = rep_figures_find_status(&f, "ZX_OK")->latency;
    GString *want = g_string_new(NULL);
    for (size_t b = 0; b < REP_HIST_BUCKETS; b++)
        if (h->counts[b])
            g_string_append_printf(want, "bucket\t%zu\t%" PRIu64 "\n", b, h->counts[b]);
    g_assert_cmpuint(want->len, >, 8192);
    const char *first = strstr(text, "\nbucket\t") + 1;
    const char *second = strstr(text, "split\tworkload");
    g_assert_nonnull(second);
    g_assert_cmpmem(first, (size_t)(second - first), want->str, want->len);
    g_string_free(want, TRUE);
    g_autofree char *path = g_build_filename(g_get_tmp_dir(), "test-rep-plot-splits.tsv", NULL);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    g_autoptr(GError) err = NULL;
    g_autoptr(GPtrArray) back = rep_splits_read(path, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(back->len, ==, 2);
    const RepSplitHist *s = g_ptr_array_index(back, 0);
    g_assert_cmpmem(s->latency->counts, sizeof h->counts, h->counts, sizeof h->counts);
    g_assert_cmpuint(s->latency->count, ==, h->count);
    g_remove(path);
    rep_figures_clear(&f);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rep/plot-splits/by-hand", test_by_hand);
    g_test_add_func("/rep/plot-splits/many-buckets", test_many_buckets);
    return g_test_run();
}
