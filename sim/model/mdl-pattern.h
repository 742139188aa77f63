/* Access patterns: which page an access of a workload starts at.
 *
 * A pattern draws page-aligned offsets inside a workload's range so that the
 * whole access (pages per access) fits in it:
 * - sequential: a cursor starts at the range's start and moves by the access
 *   size, wrapping to the start when the next access would not fit;
 * - strided: the same cursor, moving by the stride instead;
 * - uniform: a start page drawn uniformly among those where the access fits;
 * - zipf: rank k of the hot set (k = 1 hottest) drawn with weight k^-theta; rank k
 *   is page k - 1 of the range, clamped so the access fits.
 * With per_thread, thread i of n walks its own slice [i*size/n, (i+1)*size/n) of
 * the range (page aligned). Otherwise one cursor is shared by the workload.
 */
#pragma once

#include <stdint.h>

#include "sim/engine/sim-rng.h"
#include "sim/model/mdl-zipf.h"
#include "sim/scenario/scn-workload.h"

typedef struct {
    ScnPatternKind kind; /* from the scenario */
    uint64_t first_page; /* first page of this walker's slice */
    uint64_t n_pages;    /* pages in the slice, >= access pages */
    uint64_t access;     /* pages per access */
    uint64_t step;       /* sequential and strided: pages the cursor moves */
    uint64_t cursor;     /* sequential and strided: next start, relative */
    MdlZipf zipf;        /* zipf only */
} MdlPattern;

/* A per-thread walker that shares everything but its slice and cursor with a
 * walker of the same workload (16 bytes instead of a whole MdlPattern, for
 * workloads of many threads). Only sequential and strided patterns are per thread
 * (the scenario says so); a zipf hot set would depend on the slice. It keeps
 * the next start and the highest start that fits (one store a draw, where a
 * count of the pages left took two); the slice's bounds are computed again
 * only when the cursor wraps. */
typedef struct {
    uint64_t next; /* the next start, a page (the slice's first page + cursor) */
    uint64_t last; /* the highest start that fits: beyond it, the next access
                      wraps to the first */
} MdlWalker;

/* mdl_pattern_init: a walker for @w; @slice and @n_slices select the per-thread
 * slice (pass 0 and 1 for a shared walker). */
void mdl_pattern_init(MdlPattern *p, const ScnWorkload *w, uint64_t slice, uint64_t n_slices);

/* mdl_pattern_next: the byte offset where the next access starts. */
uint64_t mdl_pattern_next(MdlPattern *p, SimRng *rng);

/* mdl_walker_init: the slice of @w that mdl_pattern_init would give, cursor 0. */
void mdl_walker_init(MdlWalker *wk, const ScnWorkload *w, uint64_t slice, uint64_t n_slices);

/* mdl_walker_next: mdl_pattern_next for @wk, a walker of slice @slice of
 * @n_slices of @w, with the access size and step of @shape (a sequential or
 * strided walker of the same workload). Draws nothing. */
uint64_t mdl_walker_next(MdlWalker *wk, const MdlPattern *shape, const ScnWorkload *w,
                         uint64_t slice, uint64_t n_slices);
