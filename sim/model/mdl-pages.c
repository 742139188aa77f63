/* Page sets as runs in a skip list (see mdl-pages.h).
 *
 * The head is a sentinel run [0, 0) that is never in the set and never moves;
 * "the run at or before page x" is the last node, head included, whose start is
 * <= x. Hints are only hints: a hinted node is used only if it is in the list,
 * and then the search walks from it, back or forward, to the answer (a few
 * steps at most, else it starts over from the head), so a stale hint costs a
 * search, never a wrong answer. Freed nodes go to a free list by
 * level (never to the allocator until the set is freed) with start =
 * UINT64_MAX, which no check accepts.
 *
 * Invariants:
 *  1. runs are non-empty (start < end), ordered and maximal: a run ends strictly
 *     before the next one starts (two runs never touch);
 *  2. count is the sum of the runs' lengths, runs their number;
 *  3. level 0 links every run in order from the head, with prev the inverse;
 *     level i links, in order, exactly the runs whose level is > i;
 *  4. head->next[i] is NULL for every i >= level, and level >= 1.
 */
#include "sim/model/mdl-pages.h"

#define MAX_LEVEL  24 /* enough for 4^24 runs */
#define HINT_BITS  8  /* 256 hints */
#define HINT_SHIFT 6  /* one hint per 64 pages */

typedef struct _Run Run;
struct _Run {
    uint64_t start; /* first page; UINT64_MAX while on a free list */
    uint64_t end;   /* one past the last page */
    Run *prev;      /* the run before at level 0 (the head for the first run) */
    guint level;    /* forward pointers in next */
    Run *next[];    /* next[i]: the following run whose level is > i */
};

struct _MdlPages {
    Run *head;                  /* sentinel [0, 0) of MAX_LEVEL levels */
    guint level;                /* levels in use */
    uint64_t count;             /* pages in the set */
    uint64_t runs;              /* runs in the set */
    uint64_t rng;               /* xorshift state drawing node levels */
    Run *free[MAX_LEVEL];       /* free nodes by level - 1, linked by next[0] */
    Run *hint[1u << HINT_BITS]; /* a node at or before pages of that slot */
};

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
    r->start = UINT64_MAX;
    r->next[0] = p->free[r->level - 1];
    p->free[r->level - 1] = r;
}

MdlPages *mdl_pages_new(void) {
    MdlPages *p = g_new0(MdlPages, 1);
    p->head = g_malloc0(sizeof(Run) + MAX_LEVEL * sizeof(Run *));
    p->head->level = MAX_LEVEL;
    p->level = 1;
    p->rng = 0x9E3779B97F4A7C15ULL;

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

static inline Run **hint_slot(MdlPages *p, uint64_t page) {
    return &p->hint[((page >> HINT_SHIFT) * 0x9E3779B97F4A7C15ULL) >> (64 - HINT_BITS)];
}

/* The run at or before @page: the last node, head included, with start <= @page.
 * Why: any live hinted node is a valid place to start, since level 0 is a
 * doubly linked list in order; a few steps cover the runs created since the
 * hint was stored (supplies landing out of order) and neighbours sharing a
 * slot (many threads each in its own small slice). */
static inline Run *find(MdlPages *p, uint64_t page) {
    Run **slot = hint_slot(p, page);
    Run *r = *slot;
    if (r != NULL && r->start != UINT64_MAX) {
        for (guint steps = 0; steps < 8; steps++) {
            Run *n = r->next[0];
            if (r->start > page) {
                r = r->prev;
            } else if (n == NULL || n->start > page) {
                *slot = r;
                return r;
            } else {
                r = n;
            }
        }
    }
    r = p->head;
    for (guint i = p->level; i-- > 0;) {
        while (r->next[i] != NULL && r->next[i]->start <= page)
            r = r->next[i];
    }
    *slot = r;
    return r;
}

/* Links a new run [@start, @end) right after @before at level 0. */
static Run *link_new(MdlPages *p, Run *before, uint64_t start, uint64_t end) {
    guint level = draw_level(p);
    Run *r = node_alloc(p, level);
    Run *update[MAX_LEVEL];
    r->start = start;
    r->end = end;
    if (level > 1) {
        while (p->level < level)
            p->head->next[p->level++] = NULL;
        search_before(p, start, update);
        g_assert(update[0] == before);
    }
    update[0] = before;
    for (guint i = 0; i < level; i++) {
        r->next[i] = update[i]->next[i];
        update[i]->next[i] = r;
    }
    r->prev = before;
    if (r->next[0] != NULL)
        r->next[0]->prev = r;
    p->runs++;
    return r;
}

static void unlink_run(MdlPages *p, Run *r) {
    Run *update[MAX_LEVEL];
    if (r->level > 1)
        search_before(p, r->start, update);
    update[0] = r->prev;
    for (guint i = 0; i < r->level; i++)
        update[i]->next[i] = r->next[i];
    if (r->next[0] != NULL)
        r->next[0]->prev = r->prev;
    while (p->level > 1 && p->head->next[p->level - 1] == NULL)
        p->level--;
    p->runs--;
    node_release(p, r);
}

gboolean mdl_pages_test(MdlPages *p, uint64_t page) { return page < find(p, page)->end; }

gboolean mdl_pages_insert(MdlPages *p, uint64_t page) {
    return mdl_pages_insert_range(p, page, 1) == 1;
}

gboolean mdl_pages_remove(MdlPages *p, uint64_t page) {
    return mdl_pages_remove_range(p, page, 1) == 1;
}

/* Why: the gap is filled by growing the run before it, the run after it, or
 * both joined into one, and only a gap touching neither needs a new node, so
 * the runs stay maximal (invariant 1). */
uint64_t mdl_pages_fill_gap(MdlPages *p, uint64_t from, uint64_t end, uint64_t *gap) {
    Run *r = find(p, from);
    from = MAX(from, r->end);
    if (from >= end) {
        *gap = end;
        return end;
    }
    Run *n = r->next[0];
    uint64_t stop = n != NULL && n->start < end ? n->start : end;
    if (r != p->head && r->end == from) {
        r->end = stop;
        if (n != NULL && n->start == stop) {
            r->end = n->end;
            unlink_run(p, n);
        }
    } else if (n != NULL && n->start == stop) {
        n->start = from;
        r = n;
    } else {
        r = link_new(p, r, from, stop);
    }
    *hint_slot(p, from) = r;
    p->count += stop - from;
    *gap = from;
    return stop;
}

uint64_t mdl_pages_insert_range(MdlPages *p, uint64_t first, uint64_t count) {
    uint64_t end = first + count, added = 0, gap;
    while (first < end) {
        first = mdl_pages_fill_gap(p, first, end, &gap);
        added += first - gap;
    }
    return added;
}

/* Why: a run inside the range goes, a run across one of its ends is cut, and a
 * run across both is split in two, the only case that needs a new node. */
uint64_t mdl_pages_remove_range(MdlPages *p, uint64_t first, uint64_t count) {
    uint64_t end = first + count, removed = 0;
    if (count == 0 || p->count == 0)
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
        if (r->start < lo)
            r->end = lo;
        else if (r->end > hi)
            r->start = hi;
        else
            unlink_run(p, r);
        r = n;
    }
    p->count -= removed;
    return removed;
}

uint64_t mdl_pages_next(MdlPages *p, uint64_t from, uint64_t end, gboolean resident) {
    if (from >= end)
        return end;
    Run *r = find(p, from);
    if (!resident)
        return from < r->end ? MIN(r->end, end) : from;
    if (from < r->end)
        return from;
    Run *n = r->next[0];
    return n != NULL && n->start < end ? n->start : end;
}

uint64_t mdl_pages_count(const MdlPages *p) { return p->count; }

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

char *mdl_pages_check(const MdlPages *p) {
    uint64_t count = 0, runs = 0;
    const Run *prev = p->head;
    for (const Run *r = p->head->next[0]; r != NULL; prev = r, r = r->next[0]) {
        if (r->start >= r->end)
            return g_strdup_printf("empty run at page %" G_GUINT64_FORMAT, r->start);
        if (prev != p->head && prev->end >= r->start)
            return g_strdup_printf("runs touch or overlap at page %" G_GUINT64_FORMAT, r->start);
        if (r->prev != prev)
            return g_strdup_printf("bad prev link at page %" G_GUINT64_FORMAT, r->start);
        count += r->end - r->start;
        runs++;
    }
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
