/* VMOs: page presence and the VMO-side calls into the page source
 * (core/README.md §5: supply runs, fail, eviction, shrink, detach, close).
 *
 * Invariants:
 *  1. src is NULL iff prov is NULL (anonymous memory never faults to a provider);
 *  2. proxy is non-NULL iff prov is a pager or scripted provider;
 *  3. no page at or beyond size is resident;
 *  4. after a detach no page is resident unless supplied later;
 *  5. unused (supplied, not yet touched) is a subset of pages: a page leaves
 *     unused before pages, and enters pages before unused.
 */
#include "sim/model/mdl-pages-private.h"
#include "sim/model/mdl-private.h"
#include "sim/model/mdl-readahead.h"

void mdl__vmo_init(MdlWorld *w, MdlVmo *vmo, guint index) {
    const ScnVmo *scn = &w->sc->vmos[index];
    vmo->world = w;
    vmo->index = index;
    vmo->scn = scn;
    vmo->size = scn->size;
    vmo->pages = mdl_pages_new_windowed();
    vmo->unused = mdl_pages_new_scattered();
    vmo->zeros = mdl_pages_new();
    for (guint i = 0; i < scn->n_resident; i++) {
        uint64_t first = scn->resident[i].offset >> MDL_PAGE_SHIFT;
        uint64_t count = scn->resident[i].length >> MDL_PAGE_SHIFT;
        if (w->mem == NULL || scn->provider == SCN_NONE) {
            mdl_pages_insert_range(vmo->pages, first, count);
            continue;
        }
        for (uint64_t p = first; p < first + count; p++)
            if (mdl_pages_insert(vmo->pages, p))
                mdl__reclaim_inserted(w->mem, vmo, p, TRUE);
    }
    if (scn->provider == SCN_NONE)
        return;
    vmo->prov = &w->providers[scn->provider];
    if (vmo->prov->port) {
        vmo->proxy = core_pager_proxy_new(vmo->prov->port, index);
        vmo->src =
            core_page_source_new(core_pager_proxy_get_ops(), vmo->proxy, &mdl__observer_ops, vmo);
    } else {
        vmo->src = core_page_source_new(&mdl__sync_ops, vmo, &mdl__observer_ops, vmo);
    }
}

void mdl__vmo_clear(MdlVmo *vmo) {
    mdl__ra_free(vmo); /* its requests need the source */
    g_clear_pointer(&vmo->src, core_page_source_free);
    g_clear_pointer(&vmo->proxy, core_pager_proxy_free);
    g_clear_pointer(&vmo->pages, mdl_pages_free);
    g_clear_pointer(&vmo->unused, mdl_pages_free);
    g_clear_pointer(&vmo->zeros, mdl_pages_free);
}

/* An access looks at @page: returns whether it is resident, and counts a
 * supplied page as used the first time an access finds it. */
gboolean mdl__vmo_touch(MdlVmo *vmo, uint64_t page) {
    if (!mdl_pages_test(vmo->pages, page))
        return FALSE;
    if (vmo->world->mem && vmo->src)
        mdl__reclaim_touch(vmo->world->mem, vmo, page);
    if (mdl_pages_count(vmo->unused))
        mdl_pages_remove(vmo->unused, page);
    return TRUE;
}

/* Memory pressure: @page just became resident (before the page source hears
 * of it); reclaim may evict other pages to make room. */
void mdl__vmo_inserted(MdlVmo *vmo, uint64_t page) {
    mdl__reclaim_inserted(vmo->world->mem, vmo, page, FALSE);
}

/* Removes pages [@first, @first + @count), counting supplied pages that go
 * without ever being used. Returns how many were resident. */
static uint64_t remove_pages(MdlVmo *vmo, uint64_t first, uint64_t count) {
    if (vmo->world->mem && vmo->src)
        mdl__reclaim_removed(vmo->world->mem, vmo, first, count);
    vmo->world->stats.unused_pages += mdl_pages_remove_range(vmo->unused, first, count);
    if (mdl_pages_count(vmo->zeros))
        mdl_pages_remove_range(vmo->zeros, first, count);
    return mdl_pages_remove_range(vmo->pages, first, count);
}

/* Requests of this VMO waiting to be read by its pager: the packet in the port
 * and the proxy's FIFO behind it. */
uint64_t mdl__vmo_queued(const MdlVmo *vmo) {
    return vmo->proxy ? mdl__proxy_queued(vmo->proxy) : 0;
}

/* Appends the counter fields of a trace line: outstanding requests, queued
 * requests and resident pages after the operation. */
void mdl__vmo_trace_counters(const MdlVmo *vmo) {
    RepTrace *tr = vmo->world->trace;
    if (vmo->src) {
        rep_trace_u64(tr, REP_KEY_OUTSTANDING, core_page_source_get_head_count(vmo->src));
        rep_trace_u64(tr, REP_KEY_PORT, mdl__vmo_queued(vmo));
    }
    rep_trace_u64(tr, REP_KEY_RESIDENT, mdl_pages_count(vmo->pages));
}

/* Inline: a supply calls it for every run it credits (supply_run), at @now.
 * With @plain (a constant) the VMO is a pager's: it has a source and a proxy. */
G_ALWAYS_INLINE static inline void timeline_counters(const MdlVmo *vmo, MdlWorld *w, SimTime now,
                                                     gboolean plain) {
    if (plain || vmo->src)
        rep_timeline_counters(w->tl, now, vmo->index,
                              REP_TL_HAS_OUT | REP_TL_HAS_PORT | REP_TL_HAS_RES,
                              core_page_source_get_head_count(vmo->src),
                              plain ? mdl__proxy_queued(vmo->proxy) : mdl__vmo_queued(vmo),
                              mdl_pages_count(vmo->pages));
    else
        rep_timeline_counters(w->tl, now, vmo->index, REP_TL_HAS_RES, 0, 0,
                              mdl_pages_count(vmo->pages));
}

void mdl__vmo_timeline_counters(const MdlVmo *vmo) {
    timeline_counters(vmo, vmo->world, mdl__now(vmo->world), FALSE);
}

static void trace_range(MdlVmo *vmo, RepEv ev, uint64_t offset, uint64_t len) {
    rep_trace_begin(vmo->world->trace, mdl__now(vmo->world), ev);
    rep_trace_str(vmo->world->trace, REP_KEY_VMO, vmo->scn->name);
    rep_trace_u64(vmo->world->trace, REP_KEY_OFFSET, offset);
    rep_trace_u64(vmo->world->trace, REP_KEY_LEN, len);
}

/* The supply line of a run (tracing only: out of the supply's way). */
static G_GNUC_NO_INLINE void trace_supply(MdlVmo *vmo, uint64_t offset, uint64_t len,
                                          const char *by) {
    trace_range(vmo, REP_EV_SUPPLY, offset, len);
    rep_trace_str(vmo->world->trace, REP_KEY_BY, by);
    mdl__vmo_trace_counters(vmo);
    rep_trace_end(vmo->world->trace);
}

/* Credits the run [@first, @first + @count) of newly inserted pages, at
 * @now. Inline: the pager's supply of a fault runs through it. With @plain
 * (a constant: mdl__vmo_supply_plain) the VMO is a pager's and the run has no
 * trace or checks, so their tests go. */
G_ALWAYS_INLINE static inline void supply_run(MdlVmo *vmo, uint64_t first, uint64_t count,
                                              const char *by, SimTime now, gboolean plain) {
    MdlWorld *w = vmo->world;
    uint64_t offset = first << MDL_PAGE_SHIFT, len = count << MDL_PAGE_SHIFT;
    w->stats.supplied_pages += count;
    if (plain || vmo->src) {
        core_page_source_on_pages_supplied(vmo->src, offset, len);
        if (!plain)
            mdl__check(w, vmo);
    }
    if (w->tl)
        timeline_counters(vmo, w, now, plain);
    if (!plain && G_UNLIKELY(mdl__tracing(w)))
        trace_supply(vmo, offset, len, by);
}

static G_GNUC_NO_INLINE void supply_run_slow(MdlVmo *vmo, uint64_t first, uint64_t count,
                                             const char *by) {
    supply_run(vmo, first, count, by, mdl__now(vmo->world), FALSE);
}

/* Inserts @p into an empty slot or over a zero marker (either counts as newly
 * supplied); a slot holding a real page refuses it (ALREADY_EXISTS). */
static gboolean insert_page(MdlVmo *vmo, uint64_t p, gboolean zero) {
    if (mdl_pages_insert(vmo->pages, p)) {
        mdl_pages_insert(vmo->unused, p);
        if (vmo->world->mem && vmo->src)
            mdl__vmo_inserted(vmo, p);
        if (zero) {
            mdl_pages_insert(vmo->zeros, p);
            vmo->any_zeros = TRUE;
        }
        return TRUE;
    }
    if (!mdl_pages_count(vmo->zeros) || !mdl_pages_test(vmo->zeros, p))
        return FALSE;
    if (!zero)
        mdl_pages_remove(vmo->zeros, p);
    return TRUE;
}

/* The page-by-page supply when zero markers are involved (a zero supply, or
 * markers present): one credit per run of newly inserted pages (markers
 * overwritten included) among [@first, @first + @count). */
static G_GNUC_NO_INLINE CoreStatus supply_markers(MdlVmo *vmo, uint64_t first, uint64_t count,
                                                  gboolean zero, const char *by) {
    uint64_t run = first, run_len = 0;
    for (uint64_t p = first; p < first + count; p++) {
        if (insert_page(vmo, p, zero)) {
            if (run_len++ == 0)
                run = p;
            continue;
        }
        if (run_len)
            supply_run_slow(vmo, run, run_len, by);
        run_len = 0;
    }
    if (run_len)
        supply_run_slow(vmo, run, run_len, by);
    return CORE_OK;
}

/* Memory pressure: pages [@first, @end) just became resident. */
static G_GNUC_NO_INLINE void reclaim_inserted(MdlVmo *vmo, uint64_t first, uint64_t end) {
    for (uint64_t q = first; vmo->src && q < end; q++)
        mdl__vmo_inserted(vmo, q);
}

/* SPEC(core/README.md §5.4): pages are inserted one by one; a real page already
 * resident refuses the insert (ALREADY_EXISTS) and ends the run, a zero marker is
 * overwritten and counts again, and OnPagesSupplied is called once per maximal
 * run of newly inserted pages. With @zero the pages are zero markers (the
 * kernel's supply from an uncommitted auxiliary VMO): present for the page
 * source and for accesses. Supply after detach inserts pages and credits
 * nothing (the source returns at once); after the pager handle is closed the
 * call is refused with BAD_HANDLE (D9). @plain (a constant) says the VMO is a
 * pager's and the run has no memory pressure, trace or checks. */
G_ALWAYS_INLINE static inline CoreStatus supply(MdlVmo *vmo, uint64_t offset, uint64_t len,
                                                gboolean zero, const char *by, gboolean plain) {
    MdlWorld *w = vmo->world;
    if (vmo->closed || ((plain || vmo->prov) && vmo->prov->closed))
        return CORE_ERR_BAD_HANDLE;
    if (!plain && (offset > vmo->size || len > vmo->size - offset))
        return CORE_ERR_OUT_OF_RANGE;
    if (zero || mdl_pages_count(vmo->zeros))
        return supply_markers(vmo, offset >> MDL_PAGE_SHIFT, len >> MDL_PAGE_SHIFT, zero, by);
    uint64_t p = offset >> MDL_PAGE_SHIFT, end = p + (len >> MDL_PAGE_SHIFT);
    while (p < end) {
        uint64_t run;
        p = mdl_pages_fill_gap(vmo->pages, p, end, &run);
        if (run == end)
            break;
        if (p - run == 1) /* new to pages, so not in unused (invariant 5) */
            mdl_pages_add_absent(vmo->unused, run);
        else
            mdl_pages_insert_range(vmo->unused, run, p - run);
        if (!plain && G_UNLIKELY(w->mem != NULL))
            reclaim_inserted(vmo, run, p);
        supply_run(vmo, run, p - run, by, mdl__now(w), plain);
    }
    return CORE_OK;
}

CoreStatus mdl__vmo_supply_as(MdlVmo *vmo, uint64_t offset, uint64_t len, gboolean zero,
                              const char *by) {
    return supply(vmo, offset, len, zero, by, FALSE);
}

/* The supply of a pager's worker in a plain run (no memory pressure, trace or
 * checks: mdl-provider.c), as mdl__vmo_supply_as does it, minus the tests
 * that cannot pass there. [@offset, @end) is clipped to the VMO's size, so
 * the range test fails only for an @offset past it (a VMO shrunk since),
 * with nothing left: nothing inserted either way. Returns whether any page
 * was new (supplied_pages grew), the only thing the caller needs; a refused
 * call supplies none. The common case, one page inside the VMO that never
 * had zero markers (a fault's READ), goes straight: inserted, into unused,
 * credited; @now is the simulated time (the worker's step holds it). @prov
 * is vmo->prov, passed by the worker that holds it (one load, not two), and
 * any_zeros is read, not the zero set's count: both in lines the step
 * touches anyway (the zero set's own line was often out of the cache). A VMO
 * whose markers are all gone takes supply(), which does the same. */
gboolean mdl__vmo_supply_plain(MdlVmo *vmo, const MdlProvider *prov, uint64_t offset, uint64_t end,
                               const char *by, SimTime now) {
    uint64_t page = offset >> MDL_PAGE_SHIFT;
    if (G_LIKELY(end - offset == MDL_PAGE_SIZE && end <= vmo->size && !vmo->closed &&
                 !prov->closed && !vmo->any_zeros)) {
        if (!mdl__pages_add_one_inline(vmo->pages, page))
            return FALSE;
        mdl_pages_add_absent(vmo->unused, page); /* new to pages, so not in unused */
        supply_run(vmo, page, 1, by, now, TRUE);
        return TRUE;
    }
    uint64_t supplied = vmo->world->stats.supplied_pages;
    supply(vmo, offset, MIN(end - offset, vmo->size - MIN(vmo->size, offset)), FALSE, by, TRUE);
    return vmo->world->stats.supplied_pages != supplied;
}

/* SPEC(core/README.md D7): a commit that finds a zero marker puts a zero page in
 * its place, so a later supply of the slot is refused and not credited. */
void mdl__vmo_commit_marker(MdlVmo *vmo, uint64_t page) {
    if (mdl_pages_count(vmo->zeros))
        mdl_pages_remove(vmo->zeros, page);
}

/* SPEC(core/README.md §5.5): range-checked against the current size, then
 * OnPagesFailed, which is a no-op after detach. Supplied pages stay. */
CoreStatus mdl__vmo_fail(MdlVmo *vmo, uint64_t offset, uint64_t len, CoreStatus status,
                         const char *by) {
    MdlWorld *w = vmo->world;
    if (vmo->src == NULL)
        return CORE_ERR_INVALID_ARGS;
    if (vmo->closed || vmo->prov->closed)
        return CORE_ERR_BAD_HANDLE;
    if (offset > vmo->size || len > vmo->size - offset)
        return CORE_ERR_OUT_OF_RANGE;
    core_page_source_on_pages_failed(vmo->src, offset, len, status);
    mdl__check(w, vmo);
    if (w->tl)
        mdl__vmo_timeline_counters(vmo);
    if (mdl__tracing(w)) {
        trace_range(vmo, REP_EV_FAIL, offset, len);
        rep_trace_str(w->trace, REP_KEY_STATUS, core_status_to_string(status));
        rep_trace_str(w->trace, REP_KEY_BY, by);
        mdl__vmo_trace_counters(vmo);
        rep_trace_end(w->trace);
    }
    return CORE_OK;
}

/* SPEC(core/README.md §5.7): reclaim removes pages without telling the source, so a
 * later supply of them is counted again (the blind pending count). */
void mdl__vmo_evict(MdlVmo *vmo, uint64_t offset, uint64_t len) {
    uint64_t first = offset >> MDL_PAGE_SHIFT;
    uint64_t count = MIN(len, vmo->size - MIN(offset, vmo->size)) >> MDL_PAGE_SHIFT;
    uint64_t removed = remove_pages(vmo, first, count);
    if (vmo->world->tl)
        rep_timeline_counters(vmo->world->tl, mdl__now(vmo->world), vmo->index, REP_TL_HAS_RES, 0,
                              0, mdl_pages_count(vmo->pages));
    if (mdl__tracing(vmo->world)) {
        trace_range(vmo, REP_EV_EVICT, offset, len);
        rep_trace_u64(vmo->world->trace, REP_KEY_PAGES, removed);
        rep_trace_u64(vmo->world->trace, REP_KEY_RESIDENT, mdl_pages_count(vmo->pages));
        rep_trace_end(vmo->world->trace);
    }
}

/* SPEC-QUIRK(core/README.md §5.6): a shrink credits every gap (run of non-resident
 * pages) of the removed range to the source so blocked readers wake, but the
 * mid-2021 VMO passes (gap_start, gap_end) as (offset, len): the end offset is
 * used as the length, which can over-credit a request (core/README.md C12). */
void mdl__vmo_resize(MdlVmo *vmo, uint64_t size) {
    MdlWorld *w = vmo->world;
    uint64_t old = vmo->size;
    vmo->size = size;
    uint64_t p = size >> MDL_PAGE_SHIFT, end = old >> MDL_PAGE_SHIFT;
    while (vmo->src && p < end) {
        uint64_t gap = mdl_pages_next(vmo->pages, p, end, FALSE);
        if (gap == end)
            break;
        uint64_t gap_end = mdl_pages_next(vmo->pages, gap, end, TRUE);
        core_page_source_on_pages_supplied(vmo->src, gap << MDL_PAGE_SHIFT,
                                           gap_end << MDL_PAGE_SHIFT);
        mdl__check(w, vmo);
        p = gap_end;
    }
    if (size < old)
        remove_pages(vmo, size >> MDL_PAGE_SHIFT, end - (size >> MDL_PAGE_SHIFT));
    if (w->tl)
        mdl__vmo_timeline_counters(vmo);
    if (mdl__tracing(w)) {
        rep_trace_begin(w->trace, mdl__now(w), REP_EV_RESIZE);
        rep_trace_str(w->trace, REP_KEY_VMO, vmo->scn->name);
        rep_trace_u64(w->trace, REP_KEY_FROM, old);
        rep_trace_u64(w->trace, REP_KEY_TO, size);
        mdl__vmo_trace_counters(vmo);
        rep_trace_end(w->trace);
    }
}

/* Detach or close: the source goes, and so do the VMO's pages. */
static void teardown(MdlVmo *vmo, RepEv ev, void (*op)(CorePageSource *)) {
    MdlWorld *w = vmo->world;
    if (vmo->src) {
        op(vmo->src);
        mdl__check(w, vmo);
    }
    remove_pages(vmo, 0, vmo->size >> MDL_PAGE_SHIFT);
    if (w->tl)
        mdl__vmo_timeline_counters(vmo);
    if (mdl__tracing(w)) {
        rep_trace_begin(w->trace, mdl__now(w), ev);
        rep_trace_str(w->trace, REP_KEY_VMO, vmo->scn->name);
        mdl__vmo_trace_counters(vmo);
        rep_trace_end(w->trace);
    }
}

/* SPEC(core/README.md §2.11): zx_pager_detach_vmo detaches the source (waiters wake
 * with ZX_OK and their retry gets the detached status) and then removes every
 * committed page of the VMO. The call takes the pager handle, looked up first
 * (as for supply and fail): once the pager handle is closed it is refused
 * with BAD_HANDLE and removes nothing (core/README.md, "Handle order"). */
CoreStatus mdl__vmo_detach(MdlVmo *vmo) {
    if (vmo->prov && vmo->prov->closed)
        return CORE_ERR_BAD_HANDLE;
    teardown(vmo, REP_EV_DETACH, core_page_source_detach);
    return CORE_OK;
}

/* SPEC(core/README.md §2.11): destroying the VMO (its last handle closed) calls
 * Close, which detaches first. The model keeps the object so that threads still
 * using it see the detached status, and its pages go with it. `close` is the
 * destruction itself, at once, even while a thread is inside an access on the
 * VMO: that thread wakes with ZX_OK and its retry fails with ZX_ERR_NOT_FOUND
 * (a decision, core/README.md "Closing a VMO under an access"). */
void mdl__vmo_close(MdlVmo *vmo) {
    teardown(vmo, REP_EV_CLOSE, core_page_source_close);
    vmo->closed = TRUE;
}
