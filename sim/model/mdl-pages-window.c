/* The window of a windowed page set (mdl_pages_new_windowed): 512 pages
 * kept as bits instead of runs, where pages are supplied out of order near a
 * moving frontier (open M/M/c: each arrival faults the page after the last,
 * and the services end in any order). As runs, about one page in three
 * there starts a run and one in three joins two; as bits each is a bit set,
 * and the window's pages go to the runs a word (64 pages) at a time when it
 * slides forward, by then mostly one full word that grows the run before it.
 *
 * The window opens when a new run starts within 256 pages after the
 * previous new run (two out-of-order supplies close together), at the next
 * mdl_pages_fill_gap; it closes (its pages go to the runs) when an operation
 * other than a fill of pages inside it, a removal of one page or a test
 * meets it, and when a fill lands beyond the window and a window further on.
 * Invariant 7 (mdl-pages.c) says what it holds.
 */
#include "sim/model/mdl-pages-private.h"

/* Sets the bits of pages [@first, @end), all in the window. */
void mdl__win_set_range(MdlPages *p, uint64_t first, uint64_t end) {
    for (uint64_t q = first; q < end;) {
        uint64_t stop = MIN(end, (q | 63) + 1);
        unsigned n = (unsigned)(stop - q);
        uint64_t mask = n == 64 ? ~0ULL : ((1ULL << n) - 1) << (q & 63);
        *mdl__win_word(p, q) |= mask;
        q = stop;
    }
}

/* Moves the pages of the window's word of pages [@base, @base + 64) to the
 * runs, a run of set bits at a time (one whole word in the common case). */
static void flush_word(MdlPages *p, uint64_t base) {
    uint64_t *w = mdl__win_word(p, base), bits = *w;
    *w = 0;
    p->count -= (uint64_t)__builtin_popcountll(bits); /* counted again by the runs */
    while (bits != 0) {
        unsigned s = (unsigned)__builtin_ctzll(bits);
        uint64_t holes = ~(bits >> s); /* 0 only when every bit is set */
        unsigned len = holes == 0 ? 64 : (unsigned)__builtin_ctzll(holes);
        mdl__pages_runs_insert(p, base + s, len);
        bits = s + len >= 64 ? 0 : bits & (~0ULL << (s + len));
    }
}

void mdl__win_close(MdlPages *p) {
    for (guint k = 0; k < WIN_WORDS; k++)
        flush_word(p, p->wbase + 64u * k);
    p->wbase = WIN_OFF;
    p->aside &= ~ASIDE_WIN;
    p->last_new = WIN_OFF; /* two more new runs close together to open again */
}

/* Opens the window with @from in its upper half, taking the runs' pages
 * there. */
static void open_at(MdlPages *p, uint64_t from) {
    uint64_t base = from & ~63ULL;
    p->aside &= ~ASIDE_WANT;
    if (from >= (1ULL << 62)) /* no window near the top of the page numbers */
        return;
    p->wbase = base >= WIN_PAGES / 2 ? base - WIN_PAGES / 2 : 0;
    p->aside |= ASIDE_WIN;
    mdl__pages_runs_take(p, p->wbase, p->wbase + WIN_PAGES);
}

/* Moves the window 64 pages on: its first word to the runs, the runs' pages
 * of the next 64 into the word. */
static void slide(MdlPages *p) {
    uint64_t top = p->wbase + WIN_PAGES;
    flush_word(p, p->wbase);
    p->wbase += 64;
    mdl__pages_runs_take(p, top, top + 64);
}

static inline gboolean has_bit(MdlPages *p, uint64_t q) {
    return (*mdl__win_word(p, q) >> (q & 63)) & 1;
}

/* mdl_pages_fill_gap where the window is open or about to open: TRUE with
 * @gap and @stop set as it sets them if [@from, @end) is in the window (after
 * sliding it on as far as @from allows), else FALSE for the runs to do it
 * (the window closed first if it met the range or lies behind it). */
gboolean mdl__win_fill_gap(MdlPages *p, uint64_t from, uint64_t end, uint64_t *gap,
                           uint64_t *stop) {
    if (p->aside & ASIDE_WANT)
        open_at(p, from);
    if (!(p->aside & ASIDE_WIN))
        return FALSE;
    uint64_t wend = p->wbase + WIN_PAGES;
    if (end > wend && from >= p->wbase && end - wend <= WIN_PAGES) {
        uint64_t k = (end - wend + 63) / 64;
        if (from >= p->wbase + 64 * k)
            while (k-- > 0)
                slide(p);
        wend = p->wbase + WIN_PAGES;
    }
    if (from < p->wbase || end > wend) {
        if (from >= wend || end > p->wbase)
            mdl__win_close(p);
        return FALSE;
    }
    uint64_t q = from;
    while (q < end && has_bit(p, q))
        q++;
    if (q >= end) {
        *gap = *stop = end;
        return TRUE;
    }
    *gap = q;
    uint64_t first = q;
    do {
        *mdl__win_word(p, q) |= 1ULL << (q & 63);
        q++;
    } while (q < end && !has_bit(p, q));
    p->count += q - first;
    *stop = q;
    return TRUE;
}

/* Checks invariant 7; sets @held to the pages in the window. */
char *mdl__win_check(const MdlPages *p, uint64_t *held) {
    gboolean open = p->wbase != WIN_OFF;
    *held = 0;
    if (open != ((p->aside & ASIDE_WIN) != 0))
        return g_strdup("window open and its flag disagree");
    for (guint k = 0; k < WIN_WORDS; k++) {
        if (!open && p->wbits[k] != 0)
            return g_strdup("a closed window holds pages");
        *held += (uint64_t)__builtin_popcountll(p->wbits[k]);
    }
    if (!open)
        return NULL;
    if (!p->windowed || (p->wbase & 63) != 0)
        return g_strdup_printf("window at page %" G_GUINT64_FORMAT " misplaced", p->wbase);
    for (const Run *r = p->head->next[0]; r != NULL; r = r->next[0])
        if (r->start < p->wbase + WIN_PAGES && r->end > p->wbase)
            return g_strdup_printf("run at page %" G_GUINT64_FORMAT " inside the window", r->start);
    return NULL;
}
