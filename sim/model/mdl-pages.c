/* Page sets as runs in a skip list (see mdl-pages.h).
 *
 * The head is a sentinel run [0, 0) that is never in the set and never moves;
 * "the run at or before page x" is the last node, head included, whose start is
 * <= x. A lookup first tries the finger, the run the previous lookup found
 * (a thread's next page, a supply's waiter looking again), then the hint of
 * the page's slot. Fingers and hints are only hints: a node is used only if it
 * is in the list and covers the page (start <= page < next_start; a freed
 * node's start never is), a hinted node is used only if it is in the list,
 * and then the search walks from it, back or forward, to the answer (a few
 * steps at most, else it starts over from the head), so a stale hint costs a
 * search, never a wrong answer. Freed nodes go to a free list by
 * level (never to the allocator until the set is freed) with start and end
 * UINT64_MAX, which no check accepts; a slot no lookup has set holds
 * mdl__pages_nil, which none accepts either, and no slot holds the head.
 *
 * Invariants:
 *  1. runs are non-empty (start < end), ordered and maximal: a run ends strictly
 *     before the next one starts (two runs never touch);
 *  2. count is the sum of the runs' lengths, runs their number;
 *  3. level 0 links every run in order from the head, with prev the inverse;
 *     level i links, in order, exactly the runs whose level is > i;
 *  4. head->next[i] is NULL for every i >= level, and level >= 1;
 *  5. every node's next_start is its level-0 successor's start, or UINT64_MAX
 *     for the last one;
 *  6. a scattered set's table (Bag) holds distinct pages none of which is in a
 *     run, each in one of the two slots of its bucket or in newest; n counts
 *     them, and count (invariant 2) includes them;
 *  7. a windowed set's window, when open (wbase != WIN_OFF, ASIDE_WIN set),
 *     is the 512 pages from wbase, a multiple of 64: a page there is in the
 *     set iff its bit is set, no run has a page there, and count includes
 *     them; a closed window has no bit set (mdl-pages-window.c).
 *
 * Why the table: in the unused set a supplied page is inserted alone and
 * removed alone when first touched, so as a run it costs a node, a level draw
 * and a skip-list search both ways; a slot costs a hash and a compare. A page
 * goes to the runs only when both slots of its bucket are taken (the older
 * one moves), and range operations other than removal first empty the table.
 */
#include "sim/model/mdl-pages-private.h"

#include "sim/model/mdl-estimate.h"

/* A VMO's three sets are within what the memory estimate counts for it. */
G_STATIC_ASSERT(3 * sizeof(MdlPages) <= MDL_ESTIMATE_VMO_BYTES);

Run mdl__pages_nil = {.start = UINT64_MAX, .end = UINT64_MAX, .next_start = 0, .level = 1};

static Run *node_alloc(MdlPages *p, guint level) {
    Run *r = p->free[level - 1];
    if (r != NULL) {
        p->free[level - 1] = r->next[0];
    } else {
        r = g_malloc(sizeof(Run) + level * sizeof(Run *));
        r->level = level;
    }
    return r;
}

static void node_release(MdlPages *p, Run *r) {
    r->start = r->end = UINT64_MAX;
    r->next[0] = p->free[r->level - 1];
    p->free[r->level - 1] = r;
}

MdlPages *mdl_pages_new(void) {
    MdlPages *p = g_new0(MdlPages, 1);
    p->head = g_malloc0(sizeof(Run) + MAX_LEVEL * sizeof(Run *));
    p->head->level = MAX_LEVEL;
    p->head->next_start = UINT64_MAX;
    p->finger = p->head;
    p->level = 1;
    p->rng = 0x9E3779B97F4A7C15ULL;
    p->wbase = WIN_OFF;
    p->last_new = WIN_OFF;
    for (guint i = 0; i < G_N_ELEMENTS(p->hint); i++)
        p->hint[i] = &mdl__pages_nil; /* never NULL: the fills read one with no test */

    return p;
}

MdlPages *mdl_pages_new_scattered(void) {
    MdlPages *p = mdl_pages_new();
    p->scattered = TRUE;
    return p;
}

MdlPages *mdl_pages_new_windowed(void) {
    MdlPages *p = mdl_pages_new();
    p->windowed = TRUE;
    return p;
}

void mdl_pages_free(MdlPages *p) {
    if (p == NULL)
        return;
    for (Run *r = p->head->next[0], *n; r != NULL; r = n) {
        n = r->next[0];
        g_free(r);
    }
    for (guint i = 0; i < MAX_LEVEL; i++) {
        for (Run *r = p->free[i], *n; r != NULL; r = n) {
            n = r->next[0];
            g_free(r);
        }
    }
    g_free(p->head);
    g_free(p->bag);
    g_free(p);
}

/* Levels are drawn so that a node reaches level i + 1 with probability 4^-i;
 * the draw never affects what the set contains, only its search paths. */
static guint draw_level(MdlPages *p) {
    uint64_t x = p->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    p->rng = x;
    guint level = 1;
    while ((x & 3) == 0 && level < MAX_LEVEL) {
        level++;
        x >>= 2;
    }
    return level;
}

/* Fills @update[i] with the last node of level > i whose start is < @key. */
static void search_before(MdlPages *p, uint64_t key, Run **update) {
    Run *x = p->head;
    for (guint i = p->level; i-- > 0;) {
        while (x->next[i] != NULL && x->next[i]->start < key)
            x = x->next[i];
        update[i] = x;
    }
}

/* The run at or before @page: the last node, head included, with start <= @page.
 * Why: any live hinted node is a valid place to start, since level 0 is a
 * doubly linked list in order; a few steps cover the runs created since the
 * hint was stored (supplies landing out of order) and neighbours sharing a
 * slot (many threads each in its own small slice). */
static inline Run *find_at(MdlPages *p, Run **slot, uint64_t page) {
    Run *r = *slot;
    if (r->start != UINT64_MAX) { /* nil or freed: no hint */
        for (guint steps = 0; steps < 8; steps++) {
            if (r->start > page) {
                r = r->prev;
            } else if (r->next_start > page) {
                *slot = r != p->head ? r : &mdl__pages_nil;
                return r;
            } else {
                r = r->next[0];
            }
        }
    }
    r = p->head;
    for (guint i = p->level; i-- > 0;) {
        while (r->next[i] != NULL && r->next[i]->start <= page)
            r = r->next[i];
    }
    *slot = r != p->head ? r : &mdl__pages_nil; /* the inline fill's test needs no head */
    return r;
}

/* find without the finger: through the page's hint (first the node there
 * covering the page, as for a thread's next page where the finger is
 * another's), then kept as the finger. */
static G_GNUC_NO_INLINE Run *find_slow(MdlPages *p, uint64_t page) {
    Run **slot = hint_slot(p, page), *r = *slot;
    if (!(r->start <= page && page < r->next_start))
        r = find_at(p, slot, page);
    p->finger = r;
    return r;
}

/* The run at or before @page, the finger first: the common lookups (a thread
 * looking at the page after its last, or again at the page just supplied)
 * cost two compares. */
G_ALWAYS_INLINE static inline Run *find(MdlPages *p, uint64_t page) {
    Run *r = p->finger;
    if (G_LIKELY(r->start <= page && page < r->next_start))
        return r;
    return find_slow(p, page);
}

/* Fills @update[i], 0 < i < @level <= p->level, as search_before(@key) does,
 * walking back along level 0 from @x, the last node (head included) whose
 * start is < @key: the first node met of level > i is update[i]. A few steps
 * when such a node is near, as where runs come and go behind a long-lived
 * one (runs joining behind a frontier); past 16 steps, the search. */
static void upper_before(MdlPages *p, Run *x, guint level, uint64_t key, Run **update) {
    guint steps = 0;
    for (guint i = 1; i < level; i++) {
        while (x->level <= i) { /* the head's level is MAX_LEVEL: it stops there */
            if (++steps > 16) {
                search_before(p, key, update);
                return;
            }
            x = x->prev;
        }
        update[i] = x;
    }
}

/* Links node @r of level > 1, whose start is set, at levels 1 and up; @before
 * is the node it follows at level 0. */
static G_GNUC_NO_INLINE void link_upper(MdlPages *p, Run *r, Run *before) {
    Run *update[MAX_LEVEL];
    while (p->level < r->level)
        p->head->next[p->level++] = NULL;
    upper_before(p, before, r->level, r->start, update);
    for (guint i = 1; i < r->level; i++) {
        r->next[i] = update[i]->next[i];
        update[i]->next[i] = r;
    }
}

/* Links a new run [@start, @end) right after @before: most nodes have one
 * level (3 in 4), linked with no search. */
static Run *link_new(MdlPages *p, Run *before, uint64_t start, uint64_t end) {
    Run *r = node_alloc(p, draw_level(p));
    r->start = start;
    r->end = end;
    if (G_UNLIKELY(r->level > 1))
        link_upper(p, r, before);
    r->next[0] = before->next[0];
    before->next[0] = r;
    r->prev = before;
    r->next_start = before->next_start;
    before->next_start = start;
    if (r->next[0] != NULL)
        r->next[0]->prev = r;
    p->runs++;
    return r;
}

/* Unlinks node @r of level > 1 at levels 1 and up; drops levels left empty. */
static G_GNUC_NO_INLINE void unlink_upper(MdlPages *p, Run *r) {
    Run *update[MAX_LEVEL];
    upper_before(p, r->prev, r->level, r->start, update);
    for (guint i = 1; i < r->level; i++)
        update[i]->next[i] = r->next[i];
    while (p->level > 1 && p->head->next[p->level - 1] == NULL)
        p->level--;
}

static void unlink_run(MdlPages *p, Run *r) {
    if (G_UNLIKELY(r->level > 1))
        unlink_upper(p, r);
    r->prev->next[0] = r->next[0];
    r->prev->next_start = r->next_start;
    if (r->next[0] != NULL)
        r->next[0]->prev = r->prev;
    p->runs--;
    node_release(p, r);
}

/* The cases of runs_fill_gap other than growing the run before the gap by
 * pages that do not reach the next run: growing the next run down, joining
 * the two (@r and the next), or a new node after @r; the gap is [@start,
 * @stop). Why: the gap is filled by growing the run before it, the run after
 * it, or both joined into one, and only a gap touching neither needs a new
 * node, so the runs stay maximal (invariant 1). */
static G_GNUC_NO_INLINE uint64_t fill_gap_slow(MdlPages *p, Run *r, uint64_t start, uint64_t stop,
                                               uint64_t *gap) {
    gboolean meets_next = r->next_start == stop && r->next[0] != NULL;
    gboolean meets_prev = r != p->head && r->end == start;
    if (meets_prev && meets_next) {
        Run *n = r->next[0];
        r->end = n->end;
        unlink_run(p, n);
    } else if (meets_prev) {
        r->end = stop;
    } else if (meets_next) {
        r->next_start = start;
        r = r->next[0];
        r->start = start;
    } else {
        r = link_new(p, r, start, stop);
        if (G_UNLIKELY(p->windowed) && !(p->aside & ASIDE_WIN)) {
            if (start - p->last_new < WIN_PAGES / 2) /* two close together */
                p->aside |= ASIDE_WANT;
            p->last_new = start;
        }
    }
    *hint_slot(p, start) = r;
    p->finger = r;
    p->count += stop - start;
    *gap = start;
    return stop;
}

/* One lookup, then straight on in the common case: the gap starts at the end
 * of the run before it and stops short of the next run (every supply of a
 * thread faulting pages in order), so that run grows. */
G_ALWAYS_INLINE static inline uint64_t runs_fill_gap_at(MdlPages *p, Run *r, uint64_t from,
                                                        uint64_t end, uint64_t *gap) {
    uint64_t start = MAX(from, r->end);
    if (start >= end) {
        *gap = end;
        return end;
    }
    if (G_LIKELY(r->end == start && end < r->next_start && r != p->head)) {
        r->end = end;
        p->count += end - start;
        *gap = start;
        return end;
    }
    return fill_gap_slow(p, r, start, MIN(r->next_start, end), gap);
}

/* runs_fill_gap_at of the run at or before @from. */
G_ALWAYS_INLINE static inline uint64_t runs_fill_gap(MdlPages *p, uint64_t from, uint64_t end,
                                                     uint64_t *gap) {
    return runs_fill_gap_at(p, find(p, from), from, end, gap);
}

/* The two slots of @page's bucket in @bag. Pages of one aligned block of 128
 * take consecutive buckets from a start drawn by hashing the block, so pages
 * faulted in order share cache lines while blocks far apart (threads in
 * their own ranges) land anywhere. */
static inline uint64_t *bag_bucket(Bag *bag, uint64_t page) {
    uint64_t start = ((page >> BAG_BITS) * 0x9E3779B97F4A7C15ULL) >> (64 - BAG_BITS);
    return &bag->page[((start + page) & ((1u << BAG_BITS) - 1)) * 2];
}

/* Takes from the table the pages of [@first, @end); returns how many. */
static uint64_t bag_take_range(MdlPages *p, uint64_t first, uint64_t end) {
    Bag *bag = p->bag;
    uint64_t taken = 0;
    if (bag == NULL || bag->n == 0 || first >= end)
        return 0;
    if (bag->newest >= first && bag->newest < end) { /* BAG_EMPTY never is */
        bag->newest = BAG_EMPTY;
        taken++;
    }
    if (end - first <= 16) { /* probe each page's bucket */
        for (uint64_t page = first; page < end; page++) {
            uint64_t *s = bag_bucket(bag, page);
            for (guint i = 0; i < 2; i++)
                if (s[i] == page) {
                    s[i] = BAG_EMPTY;
                    taken++;
                }
        }
    } else {
        for (guint i = 0; i < G_N_ELEMENTS(bag->page); i++)
            if (bag->page[i] >= first && bag->page[i] < end) { /* BAG_EMPTY never is */
                bag->page[i] = BAG_EMPTY;
                taken++;
            }
    }
    bag->n -= taken;
    p->count -= taken;
    return taken;
}

static gboolean runs_test(MdlPages *p, uint64_t page) {
    return p->runs != 0 && page < find(p, page)->end;
}

static uint64_t runs_remove_range(MdlPages *p, uint64_t first, uint64_t count);

static uint64_t runs_insert_range(MdlPages *p, uint64_t first, uint64_t count) {
    uint64_t end = first + count, added = 0, gap;
    while (first < end) {
        first = runs_fill_gap(p, first, end, &gap);
        added += first - gap;
    }
    return added;
}

/* Moves every page of the table into the runs (before an operation that
 * reads the runs alone). */
static G_GNUC_NO_INLINE void bag_flush(MdlPages *p) {
    Bag *bag = p->bag;
    if (bag != NULL && bag->newest != BAG_EMPTY) {
        uint64_t page = bag->newest;
        bag->newest = BAG_EMPTY;
        bag->n--;
        p->count--;
        runs_insert_range(p, page, 1);
    }
    for (guint i = 0; bag != NULL && bag->n != 0 && i < G_N_ELEMENTS(bag->page); i++) {
        uint64_t page = bag->page[i];
        if (page == BAG_EMPTY)
            continue;
        bag->page[i] = BAG_EMPTY;
        bag->n--;
        p->count--;
        runs_insert_range(p, page, 1);
    }
}

/* Both slots of bucket @s are taken: @page goes first, the older of the two
 * moves to the runs. */
static G_GNUC_NO_INLINE gboolean bag_spill(MdlPages *p, uint64_t *s, uint64_t page) {
    uint64_t old = s[1];
    s[1] = s[0];
    s[0] = page;
    p->count--; /* old is counted again by the runs */
    runs_insert_range(p, old, 1);
    p->count++; /* page */
    return TRUE;
}

/* Inserts one page into the table @bag of a scattered set: into a free slot
 * of its bucket, or in place of the older of the two, which moves to the
 * runs. With @runs FALSE the set has no runs to look in first. */
G_ALWAYS_INLINE static inline gboolean bag_put(MdlPages *p, Bag *bag, uint64_t page,
                                               gboolean runs) {
    uint64_t *s = bag_bucket(bag, page);
    if (s[0] == page || s[1] == page || bag->newest == page || (runs && runs_test(p, page)))
        return FALSE;
    if (s[0] == BAG_EMPTY)
        s[0] = page;
    else if (s[1] == BAG_EMPTY)
        s[1] = page;
    else
        return bag_spill(p, s, page);
    bag->n++;
    p->count++;
    return TRUE;
}

/* bag_put where the table may not exist yet (made at the first page) or the
 * set has runs (pages spilled from the table). */
static G_GNUC_NO_INLINE gboolean bag_insert_slow(MdlPages *p, uint64_t page) {
    if (p->bag == NULL) {
        p->bag = g_new(Bag, 1);
        p->aside |= ASIDE_BAG;
        p->bag->n = 0;
        p->bag->newest = BAG_EMPTY;
        for (guint i = 0; i < G_N_ELEMENTS(p->bag->page); i++)
            p->bag->page[i] = BAG_EMPTY;
    }
    return bag_put(p, p->bag, page, p->runs != 0);
}

/* Inserts one page into a scattered set. It runs for every supplied page:
 * the common case (a table and no runs) has no call. */
G_ALWAYS_INLINE static inline gboolean bag_insert(MdlPages *p, uint64_t page) {
    if (G_LIKELY(p->bag != NULL && p->runs == 0))
        return bag_put(p, p->bag, page, FALSE);
    return bag_insert_slow(p, page);
}

/* mdl_pages_test of a set with a table. */
static G_GNUC_NO_INLINE gboolean test_scattered(MdlPages *p, uint64_t page) {
    const uint64_t *s = bag_bucket(p->bag, page);
    if (p->bag->n != 0 && (p->bag->newest == page || s[0] == page || s[1] == page))
        return TRUE;
    return page < find(p, page)->end;
}

/* mdl_pages_test of a set with a table or a window. */
static G_GNUC_NO_INLINE gboolean test_aside(MdlPages *p, uint64_t page) {
    if (mdl__win_has(p, page))
        return (*mdl__win_word(p, page) >> (page & 63)) & 1;
    if (p->bag != NULL)
        return test_scattered(p, page);
    return page < find(p, page)->end;
}

gboolean mdl_pages_test(MdlPages *p, uint64_t page) {
    if (G_UNLIKELY(p->aside)) {
        if (mdl__win_has(p, page)) /* never with the window closed */
            return (*mdl__win_word(p, page) >> (page & 63)) & 1;
        return test_aside(p, page);
    }
    return page < find(p, page)->end;
}

gboolean mdl_pages_insert(MdlPages *p, uint64_t page) {
    return mdl_pages_insert_range(p, page, 1) == 1;
}

static G_GNUC_NO_INLINE gboolean remove_from_runs(MdlPages *p, uint64_t page) {
    return runs_remove_range(p, page, 1) == 1;
}

/* The table first, newest first, with no call: a touched page leaves the
 * unused set so, most often the page supplied last. */
/* mdl_pages_remove past the table's newest page. */
static G_GNUC_NO_INLINE gboolean remove_slow(MdlPages *p, uint64_t page) {
    Bag *bag = p->bag;
    if (mdl__win_has(p, page)) {
        uint64_t *w = mdl__win_word(p, page), bit = 1ULL << (page & 63);
        gboolean was = (*w & bit) != 0;
        *w &= ~bit;
        p->count -= was;
        return was;
    }
    if (bag != NULL && bag->n != 0) {
        uint64_t *s = bag_bucket(bag, page);
        guint i = s[0] == page ? 0 : s[1] == page ? 1 : 2;
        if (i < 2) {
            s[i] = BAG_EMPTY;
            bag->n--;
            p->count--;
            return TRUE;
        }
    }
    return remove_from_runs(p, page);
}

/* Small, so that it inlines where the model touches a page: most often the
 * page removed (from a VMO's unused set) is the one supplied last. */
gboolean mdl_pages_remove(MdlPages *p, uint64_t page) {
    Bag *bag = p->bag;
    if (G_LIKELY(bag != NULL && bag->newest == page)) { /* n >= 1 (page < UINT64_MAX) */
        bag->newest = BAG_EMPTY;
        bag->n--;
        p->count--;
        return TRUE;
    }
    return remove_slow(p, page);
}

/* mdl_pages_add_absent when newest is taken (its page moves to a bucket), the
 * set has no table yet, or is not scattered. */
static G_GNUC_NO_INLINE void add_absent_slow(MdlPages *p, uint64_t page) {
    if (!p->scattered) {
        mdl_pages_insert_range(p, page, 1);
        return;
    }
    if (p->bag == NULL) {
        bag_insert_slow(p, page); /* makes the table; the page goes to a bucket */
        return;
    }
    /* page takes old's place and count; bag_put counts old again */
    uint64_t old = p->bag->newest;
    p->bag->newest = page;
    bag_put(p, p->bag, old, p->runs != 0);
}

void mdl_pages_add_absent(MdlPages *p, uint64_t page) {
    Bag *bag = p->bag;
    if (G_LIKELY(bag != NULL && bag->newest == BAG_EMPTY)) {
        bag->newest = page;
        bag->n++;
        p->count++;
        return;
    }
    add_absent_slow(p, page);
}

/* mdl_pages_fill_gap of a set whose table holds pages: they go to the runs
 * first. */
static G_GNUC_NO_INLINE uint64_t fill_gap_flush(MdlPages *p, uint64_t from, uint64_t end,
                                                uint64_t *gap) {
    bag_flush(p);
    return runs_fill_gap(p, from, end, gap);
}

/* One lookup, the finger first, then the hint of @from's slot tested with no
 * call (a supply for one of many threads each in its own range, where the
 * finger is another's), then a search. A node covering @from is the run at
 * or before it; a freed one (start UINT64_MAX) never covers a page, since
 * next_start <= UINT64_MAX. */
uint64_t mdl_pages_fill_gap(MdlPages *p, uint64_t from, uint64_t end, uint64_t *gap) {
    if (G_UNLIKELY(p->aside)) {
        uint64_t stop;
        if (p->bag != NULL && p->bag->n != 0)
            return fill_gap_flush(p, from, end, gap);
        if ((p->aside & (ASIDE_WIN | ASIDE_WANT)) && mdl__win_fill_gap(p, from, end, gap, &stop))
            return stop;
    }
    Run *r = p->finger;
    if (!(r->start <= from && from < r->next_start)) {
        r = *hint_slot(p, from);
        if (r->start <= from && from < r->next_start)
            p->finger = r;
        else
            r = find_slow(p, from);
    }
    return runs_fill_gap_at(p, r, from, end, gap);
}

/* A page of the table counts as present: taking it out first and putting the
 * range into the runs adds it again, so it is not counted as added. */
static G_GNUC_NO_INLINE uint64_t insert_range_runs(MdlPages *p, uint64_t first, uint64_t count) {
    if (p->aside & (ASIDE_WIN | ASIDE_WANT)) { /* a windowed set: the window's fill */
        uint64_t end = first + count, added = 0, gap;
        while (first < end) {
            first = mdl_pages_fill_gap(p, first, end, &gap);
            added += first - gap;
        }
        return added;
    }
    uint64_t moved = bag_take_range(p, first, first + count);
    return runs_insert_range(p, first, count) - moved;
}

uint64_t mdl_pages_insert_range(MdlPages *p, uint64_t first, uint64_t count) {
    if (p->scattered && count == 1)
        return bag_insert(p, first);
    return insert_range_runs(p, first, count);
}

/* Why: a run inside the range goes, a run across one of its ends is cut, and a
 * run across both is split in two, the only case that needs a new node. */
static uint64_t runs_remove_range(MdlPages *p, uint64_t first, uint64_t count) {
    uint64_t end = first + count, removed = 0;
    if (count == 0 || p->runs == 0)
        return 0;
    Run *r = find(p, first);
    if (first >= r->end)
        r = r->next[0];
    while (r != NULL && r->start < end) {
        Run *n = r->next[0];
        uint64_t lo = MAX(r->start, first), hi = MIN(r->end, end);
        removed += hi - lo;
        if (r->start < lo && r->end > hi) {
            uint64_t old_end = r->end;
            r->end = lo;
            link_new(p, r, hi, old_end);
            break;
        }
        if (r->start < lo) {
            r->end = lo;
        } else if (r->end > hi) {
            r->start = hi;
            r->prev->next_start = hi;
        } else {
            unlink_run(p, r);
        }
        r = n;
    }
    p->count -= removed;
    return removed;
}

uint64_t mdl_pages_remove_range(MdlPages *p, uint64_t first, uint64_t count) {
    uint64_t end = count > UINT64_MAX - first ? UINT64_MAX : first + count;
    if ((p->aside & ASIDE_WIN) && first < p->wbase + WIN_PAGES && end > p->wbase && count != 0)
        mdl__win_close(p);
    uint64_t taken = bag_take_range(p, first, end);
    return taken + runs_remove_range(p, first, count);
}

uint64_t mdl_pages_next(MdlPages *p, uint64_t from, uint64_t end, gboolean resident) {
    if (from >= end)
        return end;
    if (p->bag != NULL)
        bag_flush(p);
    if (p->aside & ASIDE_WIN)
        mdl__win_close(p);
    Run *r = find(p, from);
    if (!resident)
        return from < r->end ? MIN(r->end, end) : from;
    if (from < r->end)
        return from;
    return MIN(r->next_start, end);
}

uint64_t mdl_pages_count(const MdlPages *p) { return p->count; }

void mdl__pages_hint_set(MdlPages *p, uint64_t page, Run *r) { *hint_slot(p, page) = r; }

uint64_t mdl__pages_runs_insert(MdlPages *p, uint64_t first, uint64_t count) {
    return runs_insert_range(p, first, count);
}

/* Moves the runs' pages in [@lo, @hi) (in the window) to the window's bits. */
void mdl__pages_runs_take(MdlPages *p, uint64_t lo, uint64_t hi) {
    if (p->runs == 0)
        return;
    Run *r = find(p, lo);
    if (lo >= r->end) {
        if (r->next_start >= hi)
            return;
        r = r->next[0];
    }
    for (; r != NULL && r->start < hi; r = r->next[0])
        mdl__win_set_range(p, MAX(r->start, lo), MIN(r->end, hi));
    p->count += runs_remove_range(p, lo, hi - lo);
}

uint64_t mdl_pages_get_runs(const MdlPages *p) { return p->runs; }

/* Checks invariant 3 at level @i > 0: the level-@i chain is the subsequence of
 * level 0 made of the nodes of level > @i. */
static gboolean level_ok(const MdlPages *p, guint i) {
    Run *up = p->head->next[i];
    for (Run *r = p->head->next[0]; r != NULL; r = r->next[0]) {
        if (r->level <= i)
            continue;
        if (up != r)
            return FALSE;
        up = r->next[i];
    }
    return up == NULL;
}

/* Checks invariant 6 (O(table * runs): tests only); sets @held to the pages
 * in the table. */
static char *bag_check(const MdlPages *p, uint64_t *held) {
    *held = 0;
    if (p->bag == NULL)
        return NULL;
    uint64_t newest = p->bag->newest;
    if (newest != BAG_EMPTY) {
        (*held)++;
        const uint64_t *s = bag_bucket(p->bag, newest);
        if (s[0] == newest || s[1] == newest)
            return g_strdup_printf("newest page %" G_GUINT64_FORMAT " also in a bucket", newest);
        for (const Run *r = p->head->next[0]; r != NULL; r = r->next[0])
            if (newest >= r->start && newest < r->end)
                return g_strdup_printf("newest page %" G_GUINT64_FORMAT " also in a run", newest);
    }
    for (guint i = 0; i < G_N_ELEMENTS(p->bag->page); i++) {
        uint64_t page = p->bag->page[i];
        if (page == BAG_EMPTY)
            continue;
        (*held)++;
        if (bag_bucket(p->bag, page) != &p->bag->page[i & ~1u])
            return g_strdup_printf("table page %" G_GUINT64_FORMAT " in a wrong bucket", page);
        if (p->bag->page[i ^ 1u] == page && (i & 1u))
            return g_strdup_printf("table page %" G_GUINT64_FORMAT " held twice", page);
        for (const Run *r = p->head->next[0]; r != NULL; r = r->next[0])
            if (page >= r->start && page < r->end)
                return g_strdup_printf("table page %" G_GUINT64_FORMAT " also in a run", page);
    }
    if (*held != p->bag->n)
        return g_strdup_printf("table holds %" G_GUINT64_FORMAT " pages, %" G_GUINT64_FORMAT
                               " recorded",
                               *held, p->bag->n);
    return NULL;
}

char *mdl_pages_check(const MdlPages *p) {
    uint64_t count = 0, runs = 0, held, in_window;
    char *why = bag_check(p, &held);
    if (why == NULL)
        why = mdl__win_check(p, &in_window);
    if (why != NULL)
        return why;
    count = held + in_window;
    const Run *prev = p->head;
    for (const Run *r = p->head->next[0]; r != NULL; prev = r, r = r->next[0]) {
        if (r->start >= r->end)
            return g_strdup_printf("empty run at page %" G_GUINT64_FORMAT, r->start);
        if (prev != p->head && prev->end >= r->start)
            return g_strdup_printf("runs touch or overlap at page %" G_GUINT64_FORMAT, r->start);
        if (r->prev != prev)
            return g_strdup_printf("bad prev link at page %" G_GUINT64_FORMAT, r->start);
        if (prev->next_start != r->start)
            return g_strdup_printf("bad next_start before page %" G_GUINT64_FORMAT, r->start);
        count += r->end - r->start;
        runs++;
    }
    if (prev->next_start != UINT64_MAX)
        return g_strdup("last run's next_start is not UINT64_MAX");
    if (count != p->count || runs != p->runs)
        return g_strdup_printf("count %" G_GUINT64_FORMAT " / runs %" G_GUINT64_FORMAT
                               " recorded, %" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT " found",
                               p->count, p->runs, count, runs);
    if (p->level < 1 || p->level > MAX_LEVEL)
        return g_strdup_printf("level %u out of range", p->level);
    for (guint i = 1; i < MAX_LEVEL; i++) {
        if (i >= p->level ? p->head->next[i] != NULL : !level_ok(p, i))
            return g_strdup_printf("level %u is not the runs of level > %u in order", i, i);
    }
    return NULL;
}
