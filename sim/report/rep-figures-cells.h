/* The hot path of rep_figures_record_access(): an access is counted once, in
 * the cell of its workload and final status, instead of in four histograms
 * (its status split and its workload split, each with all accesses and with
 * faults only). rep_figures_finish() folds the cells into the splits, which
 * then hold what recording every access into them would have left.
 *
 * Exactness: a histogram's sum is a double. Recorded one by one, the sum of
 * whole nanoseconds is exact while it stays below 2^53, and so is any sum of
 * such sums. The figures keep exact_room, 2^53 minus the latency the cells
 * hold; an access that does not fit folds the cells (rep_figures__cells_spill)
 * and every later access of the window is recorded into the splits directly,
 * one by one as the splits always were, so the doubles are the same either way.
 * Internal to sim/report/.
 */
#pragma once

#include "sim/report/rep-figures.h"

#define REP_FIGURES_EXACT ((uint64_t)1 << 53)

/* The accesses of one workload that ended with one status, in the window.
 * The fields a fault adds to (faults, pages, faults_failed, faulted_ns) lie
 * between ones it only reads, so that GCC adds to each in place rather than
 * pairing two in a vector register. Its accesses are faults + hits. Its
 * histograms are flat (a few per run: a count is one add, without a page to
 * look up). */
struct _RepFiguresCell {
    const char *status;    /* static name (rep_figures__no_cell's is its own) */
    uint64_t faults;       /* as RepSplit */
    RepHistogram *faulted; /* latency of its faults (clamped, min, max; buckets: carries) */
    uint64_t pages;        /* as RepSplit */
    RepHistogram *hit;     /* latency of its other accesses; NULL until one */
    uint32_t *faulted32;   /* faulted's bucket counts, 32 bits (rep_figures__place32) */
    uint32_t *hit32;       /* hit's; NULL with it */
    uint64_t faults_failed;
    uint64_t hits;       /* accesses that were not faults */
    uint64_t faulted_ns; /* the sum of the faults' latencies */
    uint64_t hit_ns;     /* the sum of the others' */
};

/* rep_figures__place32: counts @v (bucket @b, rep_hist_paged__index(v)) in a
 * cell's histogram: its bucket counts are kept in 32 bits in @lo (half the
 * cache lines of 64-bit ones: a fault's count is a load that often misses),
 * each wrap to 0 carrying 2^32 into @h's bucket (which holds nothing else
 * until rep_figures__fold32), and clamped, min and max in @h as
 * rep_histogram_record() keeps them. */
static inline void rep_figures__place32(uint32_t *lo, RepHistogram *h, uint64_t v, size_t b) {
    if (G_UNLIKELY(v >> (REP_HIST_MAX_EXP + 1))) {
        b = REP_HIST_BUCKETS - 1;
        h->clamped++;
    }
    if (G_UNLIKELY(++lo[b] == 0))
        h->counts[b] += (uint64_t)1 << 32;
    if (G_UNLIKELY(v < h->min)) /* (rarely a new extreme: a branch, not a store each time) */
        h->min = v;
    if (G_UNLIKELY(v > h->max))
        h->max = v;
}

/* rep_figures__fold32: adds the counts of @lo into @h's buckets (making them
 * what rep_histogram_record() would have left, count and sum aside) and
 * zeroes them; only the buckets of @h's min to max can be non-zero. */
void rep_figures__fold32(uint32_t *lo, RepHistogram *h);

/* rep_figures__no_cell: what w->cell is when no cell was used last: a cell
 * whose status (a name of its own) matches no access's, never written. */
extern RepFiguresCell rep_figures__no_cell;

/* rep_figures__cell: the cell of @w for @status, made if it is new. */
RepFiguresCell *rep_figures__cell(RepWorkloadFigures *w, const char *status);

/* rep_figures__cells_spill: folds every cell into the splits and the status
 * counts, empties them, and leaves exact_room 0 (record directly from now on). */
void rep_figures__cells_spill(RepFigures *f);

/* rep_figures__cells_reset: empties every cell, exact_room back to 2^53 (the
 * start of a window). */
void rep_figures__cells_reset(RepFigures *f);

/* rep_figures__count_status: adds @n to @status in @counts (RepStatusCount). */
void rep_figures__count_status(GArray *counts, const char *status, uint64_t n);

/* rep_figures__status_split: the split of @status, added if it is new. */
RepSplit *rep_figures__status_split(RepFigures *f, const char *status);
