/* The sparse resident-page set against a plain bitmap reference. */
#include "sim/model/mdl-pages.h"

static void test_random_against_bitmap(void) {
    const uint64_t n = 200000; /* spans seven chunks */
    g_autofree guint8 *ref = g_malloc0(n);
    g_autoptr(MdlPages) p = mdl_pages_new();
    GRand *r = g_rand_new_with_seed(42);
    uint64_t count = 0;
    for (int i = 0; i < 300000; i++) {
        uint64_t page = (uint64_t)g_rand_int_range(r, 0, (gint32)n);
        switch (g_rand_int_range(r, 0, 5)) {
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
    }
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

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/model/pages/random-against-bitmap", test_random_against_bitmap);
    g_test_add_func("/model/pages/huge-sparse", test_huge_sparse);
    return g_test_run();
}
