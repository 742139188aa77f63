/* The page sets' layout (mdl-pages.c explains it) and the common case of
 * mdl_pages_fill_gap inline, for the supply of a pager's worker
 * (mdl-vmo.c): a call there costs as much as the case itself. Include it
 * only from mdl-pages.c and mdl-vmo.c; everything else goes through
 * mdl-pages.h.
 */
#pragma once

#include "sim/model/mdl-pages.h"

#define MAX_LEVEL  24 /* enough for 4^24 runs */
#define HINT_BITS  12 /* 4096 hints (32 KiB): few collisions among 64 threads */
#define HINT_SHIFT 6  /* one hint per 64 pages */
#define BAG_BITS   7  /* 128 buckets of two slots: 256 pages held outside the runs */
#define BAG_EMPTY  UINT64_MAX
#define WIN_WORDS  8 /* a window of 512 pages */
#define WIN_PAGES  (64u * WIN_WORDS)
#define WIN_OFF    ((uint64_t)0 - WIN_PAGES) /* wbase of a closed window */
#define ASIDE_BAG  1u                        /* a scattered set's table exists */
#define ASIDE_WIN  2u                        /* the window is open */
#define ASIDE_WANT 4u                        /* a windowed set's window opens next */

typedef struct _Run Run;
struct _Run {
    uint64_t start;      /* first page; UINT64_MAX while on a free list */
    uint64_t end;        /* one past the last page */
    uint64_t next_start; /* next[0]'s start, UINT64_MAX if last: spares a load */
    Run *prev;           /* the run before at level 0 (the head for the first run) */
    guint level;         /* forward pointers in next */
    Run *next[];         /* next[i]: the following run whose level is > i */
};

typedef struct {
    uint64_t n;                    /* pages held, newest included */
    uint64_t newest;               /* the page mdl_pages_add_absent last added, or BAG_EMPTY */
    uint64_t page[2u << BAG_BITS]; /* bucket b is slots 2b, 2b + 1; BAG_EMPTY if free */
} Bag;

struct _MdlPages {
    Run *finger;                /* the run the last lookup found, or any node */
    Run *head;                  /* sentinel [0, 0) of MAX_LEVEL levels */
    gboolean scattered;         /* made by mdl_pages_new_scattered */
    gboolean windowed;          /* made by mdl_pages_new_windowed */
    guint aside;                /* ASIDE_*: pages may be held outside the runs */
    Bag *bag;                   /* its table, from its first single insert; else NULL */
    guint level;                /* levels in use */
    uint64_t count;             /* pages in the set */
    uint64_t runs;              /* runs in the set */
    uint64_t rng;               /* xorshift state drawing node levels */
    uint64_t last_new;          /* a windowed set's last new run's start (window closed) */
    uint64_t wbase;             /* the window's first page (a multiple of 64), or WIN_OFF */
    uint64_t wbits[WIN_WORDS];  /* page q of the window is bit q % 64 of word (q / 64) % 8 */
    Run *free[MAX_LEVEL];       /* free nodes by level - 1, linked by next[0] */
    Run *hint[1u << HINT_BITS]; /* a node at or before pages of that slot, or mdl__pages_nil */
};

static inline Run **hint_slot(MdlPages *p, uint64_t page) {
    return &p->hint[((page >> HINT_SHIFT) * 0x9E3779B97F4A7C15ULL) >> (64 - HINT_BITS)];
}

/* What a hint slot holds before any lookup stored a node there: a node no
 * check accepts (start and end UINT64_MAX, next_start 0), shared by every
 * set and never written. */
extern Run mdl__pages_nil;

/* mdl_pages_fill_gap, its common case with no call, for one page: whether
 * @page was absent (it is in the set now). The run that ends at @page,
 * found through the hint of @page's slot (a supply for one of many threads
 * each in its own range, where the finger is another's; or a thread's next
 * page, whose slot the run's growth set, below), grows by it if that stops
 * short of the next run. A node r with r->end == @page < @page + 1 <
 * r->next_start is the run at or before @page: a live run has start < end, a
 * freed node and the nil one have end UINT64_MAX, and no slot holds the head
 * (find_at stores nil in its place). The run's growth into a new slot's pages
 * sets that slot (mdl__pages_hint_set: once per 64 pages), so the next page's
 * supply finds it there. A set with a table or a window takes the call, but
 * for a page in an open window (open M/M/c), which is its bit. */
void mdl__pages_hint_set(MdlPages *p, uint64_t page, Run *r);

static inline gboolean mdl__pages_add_one_inline(MdlPages *p, uint64_t page) {
    uint64_t gap;
    if (G_UNLIKELY(p->aside != 0)) {
        if (p->aside == ASIDE_WIN && page - p->wbase < WIN_PAGES) {
            uint64_t *w = &p->wbits[(page >> 6) & (WIN_WORDS - 1)], bit = 1ULL << (page & 63);
            if (G_UNLIKELY(*w & bit))
                return FALSE;
            *w |= bit;
            p->count++;
            return TRUE;
        }
        mdl_pages_fill_gap(p, page, page + 1, &gap);
        return gap == page;
    }
    Run *r = *hint_slot(p, page);
    if (G_LIKELY(r->end == page && page + 1 < r->next_start)) {
        p->finger = r;
        r->end = page + 1;
        p->count++;
        if (G_UNLIKELY(((page + 1) & ((1u << HINT_SHIFT) - 1)) == 0))
            mdl__pages_hint_set(p, page + 1, r);
        return TRUE;
    }
    mdl_pages_fill_gap(p, page, page + 1, &gap);
    return gap == page;
}

/* The window (mdl-pages-window.c; invariant 7 of mdl-pages.c). */
static inline gboolean mdl__win_has(const MdlPages *p, uint64_t page) {
    return page - p->wbase < WIN_PAGES;
}
static inline uint64_t *mdl__win_word(MdlPages *p, uint64_t page) {
    return &p->wbits[(page >> 6) & (WIN_WORDS - 1)];
}
void mdl__win_set_range(MdlPages *p, uint64_t first, uint64_t end);
void mdl__win_close(MdlPages *p);
gboolean mdl__win_fill_gap(MdlPages *p, uint64_t from, uint64_t end, uint64_t *gap, uint64_t *stop);
char *mdl__win_check(const MdlPages *p, uint64_t *held);
/* mdl-pages.c, for the window: the runs alone. */
uint64_t mdl__pages_runs_insert(MdlPages *p, uint64_t first, uint64_t count);
void mdl__pages_runs_take(MdlPages *p, uint64_t lo, uint64_t hi);
