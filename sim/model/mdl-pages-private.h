/* The page sets' layout (mdl-pages.c explains it) and the common case of
 * mdl_pages_fill_gap inline, for the supply of a pager's worker
 * (mdl-vmo.c): a call there costs as much as the case itself. Include it
 * only from mdl-pages.c and mdl-vmo.c; everything else goes through
 * mdl-pages.h.
 */
#pragma once

#include "sim/model/mdl-pages.h"

#define MAX_LEVEL  24 /* enough for 4^24 runs */
#define HINT_BITS  9  /* 512 hints */
#define HINT_SHIFT 6  /* one hint per 64 pages */
#define BAG_BITS   7  /* 128 buckets of two slots: 256 pages held outside the runs */
#define BAG_EMPTY  UINT64_MAX

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
    Bag *bag;                   /* its table, from its first single insert; else NULL */
    guint level;                /* levels in use */
    uint64_t count;             /* pages in the set */
    uint64_t runs;              /* runs in the set */
    uint64_t rng;               /* xorshift state drawing node levels */
    Run *free[MAX_LEVEL];       /* free nodes by level - 1, linked by next[0] */
    Run *hint[1u << HINT_BITS]; /* a node at or before pages of that slot */
};

static inline Run **hint_slot(MdlPages *p, uint64_t page) {
    return &p->hint[((page >> HINT_SHIFT) * 0x9E3779B97F4A7C15ULL) >> (64 - HINT_BITS)];
}

/* mdl_pages_fill_gap, its common case with no call: the run that ends at
 * @from (the finger, or the hint of @from's slot: a supply for one of many
 * threads each in its own range, where the finger is another's) grows by
 * [@from, @end), which stops short of the next run. A node r with r->start <=
 * @from == r->end and @end < r->next_start is the run at or before @from; a
 * freed one (start UINT64_MAX) never passes, as its end would have to be
 * UINT64_MAX, below its next_start. */
static inline uint64_t mdl__pages_fill_gap_inline(MdlPages *p, uint64_t from, uint64_t end,
                                                  uint64_t *gap) {
    Run *r = p->finger;
    if (!(r->start <= from && from < r->next_start))
        r = *hint_slot(p, from);
    if (G_LIKELY(r->end == from && from < end && end < r->next_start && r->start <= from &&
                 r != p->head && p->bag == NULL)) {
        p->finger = r;
        r->end = end;
        p->count += end - from;
        *gap = from;
        return end;
    }
    return mdl_pages_fill_gap(p, from, end, gap);
}
