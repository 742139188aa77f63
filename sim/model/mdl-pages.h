/* A set of pages of one VMO (resident pages, or supplied pages not yet used),
 * kept as runs: maximal ranges of consecutive pages in the set. Pages are
 * numbered from 0 (byte offset / 4096).
 *
 * Memory grows with the runs, not with the VMO's size or the pages in it: a
 * 1 PiB VMO entirely resident is one run, and 200,000 scattered pages are
 * 200,000 runs of about 48 bytes each, beyond a fixed 33 KiB per set (its
 * hints, below). Range operations cost per run they meet,
 * not per page, so supplying or evicting a 1 PiB range is cheap.
 *
 * The runs are ordered in a skip list; a finger (the run the last lookup
 * found) and a direct-mapped table of 4,096 hints that remembers, for each
 * 64 pages, a run at or before them (few collisions among the ranges of
 * 64 threads) make the lookups of a thread walking pages in
 * order O(1). Without a hit a lookup is O(log runs).
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#define MDL_PAGE_SIZE  4096ULL
#define MDL_PAGE_SHIFT 12

typedef struct _MdlPages MdlPages;

MdlPages *mdl_pages_new(void);

/* mdl_pages_new_scattered: a set whose pages mostly come and go one at a time
 * (the unused set: a supplied page until its first touch). It behaves exactly
 * as a set from mdl_pages_new; single pages are kept in a table of 256
 * before the runs (2 KiB, made at the first), so inserting and removing one costs O(1), and
 * mdl_pages_get_runs does not count the pages held there. */
MdlPages *mdl_pages_new_scattered(void);

/* mdl_pages_new_windowed: a set whose pages are mostly supplied near a
 * moving frontier, out of order (a VMO's resident pages). It behaves exactly
 * as a set from mdl_pages_new; once two new runs start within 256 pages of
 * each other it keeps 512 pages there as a bitmap (64 bytes, in the set)
 * that slides forward, so supplying or testing a page there costs O(1), and
 * mdl_pages_get_runs does not count the pages held there. */
MdlPages *mdl_pages_new_windowed(void);
void mdl_pages_free(MdlPages *p);

/* mdl_pages_test: whether page @page is in the set. */
gboolean mdl_pages_test(MdlPages *p, uint64_t page);

/* mdl_pages_insert: adds @page.
 * Returns TRUE if it was not in the set before, FALSE if it already was. */
gboolean mdl_pages_insert(MdlPages *p, uint64_t page);

/* mdl_pages_add_absent: adds @page, which the caller knows is not in the
 * set (the unused set's supplied page, new to the VMO's pages: unused is a
 * subset of them). A scattered set keeps it aside (newest) where the next
 * mdl_pages_remove of it, the page's first touch, finds it first: O(1) with
 * no hashing. Adding a page already in the set breaks the set. */
void mdl_pages_add_absent(MdlPages *p, uint64_t page);

/* mdl_pages_remove: removes @page (below UINT64_MAX, as every page is).
 * Returns TRUE if it was in the set. */
gboolean mdl_pages_remove(MdlPages *p, uint64_t page);

/* mdl_pages_insert_range: adds pages [@first, @first + @count).
 * Returns how many of them were not in the set before.
 * O(log runs + runs met). */
uint64_t mdl_pages_insert_range(MdlPages *p, uint64_t first, uint64_t count);

/* mdl_pages_fill_gap: adds the first run of absent pages in [@from, @end):
 * sets @gap to its first page and returns one past its last (at most @end).
 * Returns @end, with @gap set to @end, if every page there is in the set.
 * One lookup: O(1) near a recent one, else O(log runs). */
uint64_t mdl_pages_fill_gap(MdlPages *p, uint64_t from, uint64_t end, uint64_t *gap);

/* mdl_pages_remove_range: removes pages [@first, @first + @count).
 * Returns how many were in the set. O(log runs + runs met). */
uint64_t mdl_pages_remove_range(MdlPages *p, uint64_t first, uint64_t count);

/* mdl_pages_next: the first page in [@from, @end) whose membership is
 * @resident, or @end if there is none (also when @from >= @end).
 * O(log runs) at most, whatever the length of the range. */
uint64_t mdl_pages_next(MdlPages *p, uint64_t from, uint64_t end, gboolean resident);

/* mdl_pages_count: how many pages are in the set. O(1). */
uint64_t mdl_pages_count(const MdlPages *p);

/* mdl_pages_get_runs: how many runs hold them (a scattered set: those not in
 * its table; a windowed set: those not in its window). O(1). */
uint64_t mdl_pages_get_runs(const MdlPages *p);

/* mdl_pages_check: checks the invariants listed in mdl-pages.c. For tests;
 * O(runs).
 * Returns NULL if they hold.
 * Returns (transfer full) a description of the first broken one otherwise. */
char *mdl_pages_check(const MdlPages *p);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(MdlPages, mdl_pages_free)
