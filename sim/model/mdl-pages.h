/* The set of resident pages of one VMO, kept sparsely: memory grows with the
 * pages that are resident, not with the VMO's size, so a 4 TiB VMO with a few
 * resident pages costs a few KiB. Pages are numbered from 0 (byte offset / 4096).
 *
 * The set is a hash table of fixed-size bitmap chunks, created when a page in
 * them first becomes resident and dropped when their last page goes. Lookups of
 * nearby pages hit a one-entry chunk cache.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#define MDL_PAGE_SIZE  4096ULL
#define MDL_PAGE_SHIFT 12

typedef struct _MdlPages MdlPages;

MdlPages *mdl_pages_new(void);
void mdl_pages_free(MdlPages *p);

/* mdl_pages_test: whether page @page is resident. O(1). */
gboolean mdl_pages_test(MdlPages *p, uint64_t page);

/* mdl_pages_insert: makes @page resident.
 * Returns TRUE if it was not resident before, FALSE if it already was. O(1). */
gboolean mdl_pages_insert(MdlPages *p, uint64_t page);

/* mdl_pages_remove: makes @page non-resident.
 * Returns TRUE if it was resident. O(1). */
gboolean mdl_pages_remove(MdlPages *p, uint64_t page);

/* mdl_pages_remove_range: removes pages [@first, @first + @count).
 * Returns how many were resident. O(count / 64 + chunks). */
uint64_t mdl_pages_remove_range(MdlPages *p, uint64_t first, uint64_t count);

/* mdl_pages_next: the first page in [@from, @end) whose residency is @resident,
 * or @end if there is none. Skips absent chunks whole, so it is O(range / 32,768)
 * hash lookups plus O(pages scanned / 64) inside present chunks. */
uint64_t mdl_pages_next(MdlPages *p, uint64_t from, uint64_t end, gboolean resident);

/* mdl_pages_count: how many pages are resident. O(1). */
uint64_t mdl_pages_count(const MdlPages *p);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(MdlPages, mdl_pages_free)
