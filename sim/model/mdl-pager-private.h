/* The pager side's internal calls: VMOs (mdl-vmo.c) and providers
 * (mdl-provider.c). Included by mdl-private.h after the model's types, which
 * these use; include mdl-private.h, not this header.
 */
#pragma once

#include "sim/model/mdl-private.h"

/* mdl-vmo.c */
void mdl__vmo_init(MdlWorld *w, MdlVmo *vmo, guint index);
void mdl__vmo_clear(MdlVmo *vmo);
/* The counters of a line about @vmo, to the run's timeline (w->tl set). */
void mdl__vmo_timeline_counters(const MdlVmo *vmo);
/* mdl-observe.c: the run's timeline (w->tl set) learns that @t stopped
 * waiting: its wake or cancel (@done FALSE), or its access's end. */
void mdl__timeline_wait_end(MdlThread *t, gboolean done);
CoreStatus mdl__vmo_supply_as(MdlVmo *vmo, uint64_t offset, uint64_t len, gboolean zero,
                              const char *by);
/* mdl__vmo_supply_as(.., FALSE, ..) of [@offset, @end) clipped to the VMO's
 * size, by a worker of @prov (vmo->prov, which the caller holds) in a run
 * with no memory pressure, trace or checks: whether any page was new. */
gboolean mdl__vmo_supply_plain(MdlVmo *vmo, const MdlProvider *prov, uint64_t offset, uint64_t end,
                               const char *by, SimTime now);
void mdl__vmo_commit_marker(MdlVmo *vmo, uint64_t page);
CoreStatus mdl__vmo_fail(MdlVmo *vmo, uint64_t offset, uint64_t len, CoreStatus status,
                         const char *by);
void mdl__vmo_evict(MdlVmo *vmo, uint64_t offset, uint64_t len);
void mdl__vmo_resize(MdlVmo *vmo, uint64_t size);
CoreStatus mdl__vmo_detach(MdlVmo *vmo);
void mdl__vmo_close(MdlVmo *vmo);
uint64_t mdl__vmo_queued(const MdlVmo *vmo);
/* mdl__vmo_queued of a VMO known to have a proxy (a pager's or scripted). */
static inline uint64_t mdl__proxy_queued(const CorePagerProxy *proxy) {
    return core_pager_proxy_get_queued_count(proxy);
}
gboolean mdl__vmo_touch(MdlVmo *vmo, uint64_t page);
void mdl__vmo_inserted(MdlVmo *vmo, uint64_t page);
void mdl__vmo_trace_counters(const MdlVmo *vmo);

/* mdl-provider.c */
gboolean mdl__provider_init(MdlWorld *w, MdlProvider *p, guint index, GError **error);
void mdl__provider_clear(MdlProvider *p);
void mdl__provider_start(MdlProvider *p);
void mdl__provider_close(MdlProvider *p);
void mdl__provider_dequeue(MdlProvider *p, const char *by);
void mdl__provider_schedule_death(MdlProvider *p);
/* The arrivals' spare stack grew to @spare_cap: the pagers prefetch their next
 * waiter from PREFETCH_THREADS threads on (MdlProvider.many_threads). */
void mdl__providers_spares_grew(MdlWorld *w, guint spare_cap);
extern const CorePageProviderOps mdl__sync_ops;
