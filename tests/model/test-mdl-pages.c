/* The run-based page set against a plain bitmap reference. */
#include "sim/model/mdl-pages.h"

static void assert_sound(const MdlPages *p) {
    g_autofree char *why = mdl_pages_check(p);
    g_assert_null(why);
}

static void test_random_against_bitmap(void) {
    const uint64_t n = 200000; /* spans seven chunks */
    g_autofree guint8 *ref = g_malloc0(n);
    g_autoptr(MdlPages) p = mdl_pages_new();
    GRand *r = g_rand_new_with_seed(42);
    uint64_t count = 0;
    for (int i = 0; i < 300000; i++) {
        uint64_t page = (uint64_t)g_rand_int_range(r, 0, (gint32)n);
        switch (g_rand_int_range(r, 0, 7)) {
            case 0:
            case 1:
                g_assert_cmpint(mdl_pages_insert(p, page), ==, !ref[page]);
                count += !ref[page];
                ref[page] = 1;
                break;
            case 2:
                g_assert_cmpint(mdl_pages_remove(p, page), ==, ref[page]);
                count -= ref[page];
                ref[page] = 0;
                break;
            case 3: {
                uint64_t len = (uint64_t)g_rand_int_range(r, 0, 70000), want = 0;
                len = MIN(len, n - page);
                for (uint64_t j = page; j < page + len; j++) {
                    want += ref[j];
                    ref[j] = 0;
                }
                g_assert_cmpuint(mdl_pages_remove_range(p, page, len), ==, want);
                count -= want;
                break;
            }
            case 4: {
                uint64_t len = (uint64_t)g_rand_int_range(r, 0, 300), want = 0;
                len = MIN(len, n - page);
                for (uint64_t j = page; j < page + len; j++) {
                    want += !ref[j];
                    ref[j] = 1;
                }
                g_assert_cmpuint(mdl_pages_insert_range(p, page, len), ==, want);
                count += want;
                break;
            }
            case 5: {
                uint64_t end = page + (uint64_t)g_rand_int_range(r, 0, 400), want = page, gap;
                end = MIN(end, n);
                while (want < end && ref[want])
                    want++;
                uint64_t want_end = want;
                while (want_end < end && !ref[want_end])
                    ref[want_end++] = 1;
                g_assert_cmpuint(mdl_pages_fill_gap(p, page, end, &gap), ==, want_end);
                g_assert_cmpuint(gap, ==, want);
                count += want_end - want;
                break;
            }
            default: {
                gboolean res = g_rand_boolean(r);
                uint64_t end = page + (uint64_t)g_rand_int_range(r, 0, 100000), want = page;
                end = MIN(end, n);
                while (want < end && ref[want] != res)
                    want++;
                g_assert_cmpuint(mdl_pages_next(p, page, end, res), ==, want);
            }
        }
        g_assert_cmpint(mdl_pages_test(p, page), ==, ref[page]);
        g_assert_cmpuint(mdl_pages_count(p), ==, count);
        if (i % 997 == 0)
            assert_sound(p);
    }
    uint64_t runs = 0;
    for (uint64_t j = 0; j < n; j++)
        runs += ref[j] && (j == 0 || !ref[j - 1]);
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, runs);
    assert_sound(p);
    g_rand_free(r);
}

/* A 4 TiB VMO with pages at both ends costs two chunks, and searching the hole
 * between them does not walk a billion pages one by one. */
static void test_huge_sparse(void) {
    const uint64_t pages = (4ULL << 40) / MDL_PAGE_SIZE;
    g_autoptr(MdlPages) p = mdl_pages_new();
    g_assert_true(mdl_pages_insert(p, 0));
    g_assert_true(mdl_pages_insert(p, pages - 1));
    g_assert_cmpuint(mdl_pages_next(p, 1, pages, TRUE), ==, pages - 1);
    g_assert_cmpuint(mdl_pages_next(p, 0, pages, FALSE), ==, 1);
    g_assert_cmpuint(mdl_pages_remove_range(p, 1, pages - 1), ==, 1);
    g_assert_cmpuint(mdl_pages_count(p), ==, 1);
    g_assert_true(mdl_pages_test(p, 0));
}

/* A whole 1 PiB range is one run: inserting, probing, cutting and removing it
 * costs per run, and memory does not grow with its 2^38 pages. */
static void test_petabyte_range(void) {
    const uint64_t pages = (1ULL << 50) / MDL_PAGE_SIZE;
    g_autoptr(MdlPages) p = mdl_pages_new();
    g_assert_true(mdl_pages_insert(p, 1000));
    g_assert_cmpuint(mdl_pages_insert_range(p, 0, pages), ==, pages - 1);
    g_assert_cmpuint(mdl_pages_count(p), ==, pages);
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 1);
    g_assert_cmpuint(mdl_pages_next(p, 0, pages, FALSE), ==, pages);
    /* Evicting the middle third leaves two runs of a third each. */
    uint64_t third = pages / 3;
    g_assert_cmpuint(mdl_pages_remove_range(p, third, third), ==, third);
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 2);
    g_assert_cmpuint(mdl_pages_next(p, 5, pages, FALSE), ==, third);
    g_assert_cmpuint(mdl_pages_next(p, third, pages, TRUE), ==, 2 * third);
    g_assert_false(mdl_pages_test(p, 2 * third - 1));
    g_assert_true(mdl_pages_test(p, 2 * third));
    /* Refilling it joins the two runs into one again. */
    g_assert_cmpuint(mdl_pages_insert_range(p, 0, pages), ==, third);
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 1);
    g_assert_cmpuint(mdl_pages_remove_range(p, 0, pages), ==, pages);
    g_assert_cmpuint(mdl_pages_count(p), ==, 0);
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 0);
    assert_sound(p);
}

/* Scattered single pages are one run each; a range across them fills the
 * gaps and joins them, counting only the pages it added. */
static void test_scattered_join(void) {
    g_autoptr(MdlPages) p = mdl_pages_new();
    for (uint64_t i = 0; i < 1000; i++)
        g_assert_true(mdl_pages_insert(p, i * 10 + 5));
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 1000);
    g_assert_false(mdl_pages_insert(p, 505));
    g_assert_cmpuint(mdl_pages_insert_range(p, 0, 10000), ==, 9000);
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 1);
    g_assert_cmpuint(mdl_pages_remove(p, 0), ==, TRUE);
    g_assert_cmpuint(mdl_pages_remove(p, 9999), ==, TRUE);
    g_assert_cmpuint(mdl_pages_remove(p, 500), ==, TRUE);
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 2);
    g_assert_cmpuint(mdl_pages_count(p), ==, 9997);
    assert_sound(p);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/model/pages/random-against-bitmap", test_random_against_bitmap);
    g_test_add_func("/model/pages/huge-sparse", test_huge_sparse);
    g_test_add_func("/model/pages/petabyte-range", test_petabyte_range);
    g_test_add_func("/model/pages/scattered-join", test_scattered_join);
    return g_test_run();
}
