/* The per-thread walker (mdl_walker_next, mdl-pattern.c): the offsets a
 * thread's slice gives, worked out by hand for a sequential and a strided
 * walk that wrap, and, for random ranges, slices, access sizes and strides,
 * the same offsets as a whole MdlPattern made for the slice (the simple
 * reference: its own cursor over [first_page, first_page + n_pages)). */
#include "sim/model/mdl-pages.h"
#include "sim/model/mdl-pattern.h"

static ScnWorkload workload(ScnPatternKind kind, uint64_t range_pages, uint64_t pages,
                            uint64_t stride_pages) {
    ScnWorkload w = {0};
    w.range_offset = 0;
    w.range_size = range_pages << MDL_PAGE_SHIFT;
    w.pages = pages;
    w.pattern.kind = kind;
    w.pattern.stride = stride_pages << MDL_PAGE_SHIFT;
    w.pattern.per_thread = TRUE;
    return w;
}

/* Slice 1 of 3 of 20 pages is pages [6, 13): 7 pages, so an access of 2
 * pages starts at most at page 11, one of 1 page at page 12. */
static void by_hand(void) {
    static const uint64_t seq[] = {6, 8, 10, 6, 8, 10, 6};
    static const uint64_t strided[] = {6, 9, 6, 9, 6};
    ScnWorkload w = workload(SCN_PATTERN_SEQUENTIAL, 20, 2, 0);
    MdlPattern shape;
    MdlWalker wk;
    mdl_pattern_init(&shape, &w, 0, 1);
    mdl_walker_init(&wk, &w, 1, 3);
    for (guint i = 0; i < G_N_ELEMENTS(seq); i++)
        g_assert_cmpuint(mdl_walker_next(&wk, &shape, &w, 1, 3), ==, seq[i] << MDL_PAGE_SHIFT);
    /* an access of 1 page: every start up to the slice's last page, 12 */
    w = workload(SCN_PATTERN_SEQUENTIAL, 20, 1, 0);
    mdl_pattern_init(&shape, &w, 0, 1);
    mdl_walker_init(&wk, &w, 1, 3);
    for (guint i = 0; i < 15; i++)
        g_assert_cmpuint(mdl_walker_next(&wk, &shape, &w, 1, 3), ==, (6 + i % 7) << MDL_PAGE_SHIFT);
    w = workload(SCN_PATTERN_STRIDED, 20, 2, 3);
    mdl_pattern_init(&shape, &w, 0, 1);
    mdl_walker_init(&wk, &w, 1, 3);
    for (guint i = 0; i < G_N_ELEMENTS(strided); i++)
        g_assert_cmpuint(mdl_walker_next(&wk, &shape, &w, 1, 3), ==, strided[i] << MDL_PAGE_SHIFT);
}

static void against_pattern(void) {
    g_autoptr(SimRng) rng = sim_rng_new(7, "walker");
    SimRng unused = {0};
    for (guint round = 0; round < 2000; round++) {
        gboolean strided = sim_rng_range(rng, 2);
        uint64_t range = 1 + sim_rng_range(rng, 300), pages = 1 + sim_rng_range(rng, 8);
        uint64_t n = 1 + sim_rng_range(rng, 40), slice = sim_rng_range(rng, n);
        ScnWorkload w = workload(strided ? SCN_PATTERN_STRIDED : SCN_PATTERN_SEQUENTIAL,
                                 MAX(range, pages), pages, sim_rng_range(rng, 12));
        MdlPattern shape, ref;
        MdlWalker wk;
        mdl_pattern_init(&shape, &w, 0, 1);
        mdl_pattern_init(&ref, &w, slice, n);
        mdl_walker_init(&wk, &w, slice, n);
        for (guint i = 0; i < 100; i++)
            g_assert_cmpuint(mdl_walker_next(&wk, &shape, &w, slice, n), ==,
                             mdl_pattern_next(&ref, &unused));
    }
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/mdl/walker/by-hand", by_hand);
    g_test_add_func("/mdl/walker/against-pattern", against_pattern);
    return g_test_run();
}
