/* Access patterns (see mdl-pattern.h).
 *
 * Invariants: access <= n_pages; cursor + access <= n_pages before each draw;
 * every offset returned lies in [first_page, first_page + n_pages - access].
 */
#include "sim/model/mdl-pattern.h"

#include "sim/model/mdl-pages.h"

/* The slice @slice of @n_slices of @w: its first page and its pages. */
static void slice_of(const ScnWorkload *w, uint64_t slice, uint64_t n_slices, uint64_t *first_page,
                     uint64_t *n_pages) {
    uint64_t first = w->range_offset >> MDL_PAGE_SHIFT;
    uint64_t total = w->range_size >> MDL_PAGE_SHIFT;
    uint64_t lo = total * slice / n_slices, hi = total * (slice + 1) / n_slices;
    *first_page = first + lo;
    *n_pages = MAX(hi - lo, w->pages);
    if (*first_page + *n_pages > first + total) /* a slice too thin for one access */
        *first_page = first + total - *n_pages;
}

void mdl_walker_init(MdlWalker *wk, const ScnWorkload *w, uint64_t slice, uint64_t n_slices) {
    uint64_t n_pages;
    g_assert(w->pattern.kind == SCN_PATTERN_SEQUENTIAL || w->pattern.kind == SCN_PATTERN_STRIDED);
    slice_of(w, slice, n_slices, &wk->next, &n_pages);
    wk->last = wk->next + (n_pages - w->pages); /* cursor 0; the highest start that fits */
}

void mdl_pattern_init(MdlPattern *p, const ScnWorkload *w, uint64_t slice, uint64_t n_slices) {
    p->kind = w->pattern.kind;
    slice_of(w, slice, n_slices, &p->first_page, &p->n_pages);
    p->access = w->pages;
    p->step =
        p->kind == SCN_PATTERN_STRIDED ? MAX(w->pattern.stride >> MDL_PAGE_SHIFT, 1) : w->pages;
    p->cursor = 0;
    if (p->kind == SCN_PATTERN_ZIPF) {
        uint64_t hot = MIN(MAX(w->pattern.hot_set >> MDL_PAGE_SHIFT, 1), p->n_pages);
        mdl_zipf_init(&p->zipf, hot, w->pattern.theta);
    }
}

/* The drawn start of a uniform or zipf pattern, at most @last. Out of line:
 * the cursor of the others (every arrival of a sequential open workload)
 * then saves no registers. */
G_NO_INLINE static uint64_t draw_random(const MdlPattern *shape, uint64_t last, SimRng *rng) {
    if (shape->kind == SCN_PATTERN_UNIFORM)
        return sim_rng_range(rng, last + 1);
    return MIN(mdl_zipf_sample(&shape->zipf, rng) - 1, last);
}

/* The next start in the slice [first_page, first_page + n_pages) of @shape's
 * kind, moving @cursor. */
static uint64_t draw(const MdlPattern *shape, uint64_t first_page, uint64_t n_pages,
                     uint64_t *cursor, SimRng *rng) {
    uint64_t last = n_pages - shape->access; /* the highest start that fits */
    uint64_t page;
    if (shape->kind == SCN_PATTERN_UNIFORM || shape->kind == SCN_PATTERN_ZIPF) {
        page = draw_random(shape, last, rng);
    } else {
        if (*cursor > last)
            *cursor = 0;
        page = *cursor;
        *cursor += shape->step;
    }
    return (first_page + page) << MDL_PAGE_SHIFT;
}

uint64_t mdl_pattern_next(MdlPattern *p, SimRng *rng) {
    return draw(p, p->first_page, p->n_pages, &p->cursor, rng);
}

/* draw() for a sequential or strided walker: wraps (cursor 0) when the cursor
 * passed the highest start that fits (next > last), then moves it one step.
 * The shape's kind is asserted where the walker starts and wraps, not at
 * every access (a closed thread's every access comes here). */
uint64_t mdl_walker_next(MdlWalker *wk, const MdlPattern *shape, const ScnWorkload *w,
                         uint64_t slice, uint64_t n_slices) {
    if (G_UNLIKELY(wk->next > wk->last)) {
        g_assert(shape->kind == SCN_PATTERN_SEQUENTIAL || shape->kind == SCN_PATTERN_STRIDED);
        mdl_walker_init(wk, w, slice, n_slices);
    }
    uint64_t page = wk->next;
    wk->next += shape->step;
    return page << MDL_PAGE_SHIFT;
}
