/* Memory pressure (scenarios/README.md, "memory"): the capacity shared by the
 * resident pages of every VMO with a page source, the watermarks, the
 * background reclaimer, direct reclaim in the faulting thread, refault shadows
 * and the figures. Internal to sim/model/; the world has an MdlReclaim only when
 * the scenario has a "memory" section, and every hook is skipped without one.
 */
#pragma once

#include "sim/model/mdl-memory.h"

typedef struct _MdlReclaim MdlReclaim;
typedef struct _MdlWorld MdlWorld;
typedef struct _MdlVmo MdlVmo;

MdlReclaim *mdl__reclaim_new(MdlWorld *w);
void mdl__reclaim_free(MdlReclaim *r);

/* Starts the aging thread (page-queues). */
void mdl__reclaim_start(MdlReclaim *r);

/* mdl__reclaim_inserted: @page of @vmo became resident (a supply, a synchronous
 * provider, or a resident range at start when @initial). Makes room first when
 * memory or the VMO's limit is full (evictions "at insert", no time charged),
 * and wakes the reclaimer past the high watermark. */
void mdl__reclaim_inserted(MdlReclaim *r, MdlVmo *vmo, uint64_t page, gboolean initial);

/* mdl__reclaim_touch: an access found @page of @vmo resident. */
void mdl__reclaim_touch(MdlReclaim *r, MdlVmo *vmo, uint64_t page);

/* mdl__reclaim_removed: resident pages of @vmo in [@first, @first + @count) are
 * going for another reason (evict action, shrink, detach, close). */
void mdl__reclaim_removed(MdlReclaim *r, MdlVmo *vmo, uint64_t first, uint64_t count);

/* mdl__reclaim_fault: a thread found @page of @vmo missing and is about to ask
 * the page source for it. Counts a refault; when memory (or the VMO's limit) is
 * full, reclaims directly and returns the time the thread spends doing it. */
uint64_t mdl__reclaim_fault(MdlReclaim *r, MdlVmo *vmo, uint64_t page);

/* mdl__reclaim_check: --check's invariants (mdl-reclaim.c 1, 2, 4) for @vmo.
 * Returns FALSE with @why set when one is broken. */
gboolean mdl__reclaim_check(const MdlReclaim *r, const MdlVmo *vmo, GString *why);

/* mdl__reclaim_finish: final figures into the world's stats. */
void mdl__reclaim_finish(MdlReclaim *r);
