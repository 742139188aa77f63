/* The reclaim policies' bookkeeping: which resident page goes next.
 *
 * A page is a 64-bit key (mdl_memory_key: VMO index and page number). Every
 * resident page of a pager-backed VMO has one node, found through an
 * open-addressing hash table and linked into the policy's intrusive lists, so
 * memory grows with the resident pages only, and every operation is O(1)
 * (amortized: clock's second chances, two-list's deactivations and
 * page-queues' empty queues are each paid for by an earlier access or rotation).
 *
 * The policies (scenarios/README.md, "memory"):
 *  - LRU: one list in access order; the least recently used page goes.
 *  - CLOCK: one ring with a hand and a reference bit per page; new pages enter
 *    behind the hand with the bit clear; an access sets it; the hand clears a
 *    set bit and moves on (second chance) and takes the first page found clear.
 *  - TWO_LIST: an inactive and an active list. New pages (faulted or read
 *    ahead) enter the young end of inactive; the first access marks a page
 *    referenced, a second access on the inactive list promotes it to active.
 *    Before evicting, pages move from the old end of active to the young end of
 *    inactive, unreferenced, while active is longer than inactive. Victims come
 *    from the old end of inactive.
 *  - PAGE_QUEUES: a ring of @generations age queues. New and accessed pages go
 *    to the newest queue; mdl_memory_age() (the aging thread) opens a new
 *    newest queue, folding the oldest into the next one when the ring is full.
 *    Victims come from the oldest non-empty queue, oldest first.
 *
 * An evicted page leaves a shadow (as Linux's workingset entries do): its node
 * stays in the table, in no policy list, with a stamp given by the caller, until
 * the page is inserted again, its shadow is taken, or it is the oldest of more
 * shadows than the limit (mdl_memory_set_shadow_limit), which drops it. Shadows
 * are not counted as tracked pages.
 *
 * Per-VMO lists (mdl_memory_track_vmos) chain each VMO's pages in every policy
 * list as well, so that a per-VMO victim is found in O(1) too.
 *
 * Nothing here knows about VMOs, time or capacity (mdl-reclaim.c does).
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "sim/scenario/scn-scenario.h"

#define MDL_MEMORY_PAGE_BITS 40 /* page numbers below 2^40 (4 PiB of VMO) */
#define MDL_MEMORY_MAX_LISTS 16 /* page-queues: generations at most */

static inline uint64_t mdl_memory_key(guint vmo, uint64_t page) {
    return ((uint64_t)vmo << MDL_MEMORY_PAGE_BITS) | page;
}
static inline guint mdl_memory_key_vmo(uint64_t key) {
    return (guint)(key >> MDL_MEMORY_PAGE_BITS);
}
static inline uint64_t mdl_memory_key_page(uint64_t key) {
    return key & ((1ULL << MDL_MEMORY_PAGE_BITS) - 1);
}

typedef struct _MdlMemory MdlMemory;

/* mdl_memory_new: (transfer full) empty bookkeeping for @policy; @generations
 * (2..MDL_MEMORY_MAX_LISTS) is used by SCN_RECLAIM_PAGE_QUEUES only. Shadows
 * are unlimited until mdl_memory_set_shadow_limit(). */
MdlMemory *mdl_memory_new(ScnReclaim policy, guint generations);
void mdl_memory_free(MdlMemory *m);

/* mdl_memory_track_vmos: keeps per-VMO lists for VMO indices below @n_vmos,
 * which mdl_memory_victim_of_vmo() needs. Call before the first insert. Costs
 * 8 bytes per node and O(@n_vmos) per mdl_memory_age(). */
void mdl_memory_track_vmos(MdlMemory *m, guint n_vmos);

/* mdl_memory_set_shadow_limit: keeps at most @limit shadows from now on (0:
 * none); when an eviction makes one too many, the oldest shadow is dropped. */
void mdl_memory_set_shadow_limit(MdlMemory *m, uint64_t limit);

/* mdl_memory_insert: @key became resident (it must not be tracked already).
 * Returns TRUE if @key had a shadow, which the insert drops. */
gboolean mdl_memory_insert(MdlMemory *m, uint64_t key);

/* mdl_memory_touch: an access used resident @key. Returns FALSE (and does
 * nothing) if @key is not tracked. */
gboolean mdl_memory_touch(MdlMemory *m, uint64_t key);

/* mdl_memory_remove: @key stopped being resident for a reason other than the
 * policy's choice (an evict action, a shrink, a detach). Returns whether it was
 * tracked. */
gboolean mdl_memory_remove(MdlMemory *m, uint64_t key);

/* mdl_memory_victim: the policy picks the page to evict, stops tracking it
 * (leaving a shadow stamped @stamp) and stores it in @key. Returns FALSE when
 * nothing is tracked. */
gboolean mdl_memory_victim(MdlMemory *m, uint32_t stamp, uint64_t *key);

/* mdl_memory_victim_of_vmo: as mdl_memory_victim() among the pages of VMO
 * @vmo only (a per-VMO limit): the first of them in the order the policy
 * would evict (mdl_memory_order), without giving second chances. Needs
 * mdl_memory_track_vmos(). O(1): one look per policy list. */
gboolean mdl_memory_victim_of_vmo(MdlMemory *m, guint vmo, uint32_t stamp, uint64_t *key);

/* mdl_memory_order: appends the tracked keys to @keys (of uint64_t) in the
 * order the policy would evict them if nothing changed and no page got a second
 * chance (the old end of the first list first). O(tracked pages): for tests. */
void mdl_memory_order(const MdlMemory *m, GArray *keys);

/* mdl_memory_take_shadow: if @key has a shadow, drops it, stores its stamp in
 * @stamp and returns TRUE. */
gboolean mdl_memory_take_shadow(MdlMemory *m, uint64_t key, uint32_t *stamp);

/* mdl_memory_age: the aging thread's rotation (page-queues; a no-op otherwise). */
void mdl_memory_age(MdlMemory *m);

/* mdl_memory_count: pages tracked. */
uint64_t mdl_memory_count(const MdlMemory *m);

/* mdl_memory_shadows: shadows kept; mdl_memory_shadows_dropped: shadows the
 * limit has dropped so far. */
uint64_t mdl_memory_shadows(const MdlMemory *m);
uint64_t mdl_memory_shadows_dropped(const MdlMemory *m);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(MdlMemory, mdl_memory_free)
