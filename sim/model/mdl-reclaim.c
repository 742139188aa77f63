/* Memory pressure: capacity, reclaimer, direct reclaim (see mdl-reclaim.h).
 *
 * Pages are counted in pages: capacity, high and low watermarks from the
 * scenario's bytes. The reclaimer (Linux's kswapd, Zircon's evictor) is an
 * engine event chain: woken when an insert leaves more than high pages
 * resident, each step evicts up to batch pages (down to low) and is then busy
 * batch x reclaim_cost; it sleeps when a step finds low or fewer. Direct reclaim
 * evicts up to batch pages in the faulting thread, which sleeps for the cost.
 * An insert into full memory evicts at once (the capacity is a hard bound).
 *
 * Shadows (as Linux's workingset entries, kept by mdl-memory.c): for each page
 * reclaim evicted, the eviction count at that time (modulo 2^32), so a fault on
 * it later is a refault whose distance is the number of evictions in between.
 * At most shadows x capacity of them are kept, the oldest forgotten first (as
 * Linux's shadow node shrinker bounds them relative to memory). A page with a
 * shadow that comes back without a fault on it (read ahead, a cluster, an
 * unasked supply) is a read-ahead refault, counted apart.
 *
 * Invariants:
 *  1. the bookkeeping tracks exactly the resident pages of VMOs with a source;
 *  2. after any insert, tracked pages <= capacity (unless the resident ranges at
 *     start exceeded it) and each VMO's resident pages <= its limit;
 *  3. a page has a shadow only while it is not resident;
 *  4. shadows <= shadows x capacity.
 */
#include "sim/model/mdl-reclaim.h"

#include "sim/model/mdl-private.h"

typedef enum { BY_RECLAIMER, BY_DIRECT, BY_INSERT, BY_COUNT } By;
static const char *const by_names[BY_COUNT] = {"reclaimer", "direct", "insert"};

struct _MdlReclaim {
    MdlWorld *w;
    const ScnMemory *scn;
    MdlMemory *mem;
    uint64_t capacity, high, low, vmo_limit; /* pages; vmo_limit 0 = none */
    uint64_t *vmo_resident;                  /* per VMO: tracked pages */
    gboolean running;                        /* the reclaimer is awake */
    uint64_t initial;                        /* pages resident from the start */
    SimTime since;                           /* resident_area covers [0, since) */
    double resident_area;                    /* integral of tracked pages, page x ns */
    MdlMemoryStats stats;
};

MdlReclaim *mdl__reclaim_new(MdlWorld *w) {
    const ScnMemory *m = &w->sc->memory;
    MdlReclaim *r = g_new0(MdlReclaim, 1);
    r->w = w;
    r->scn = m;
    r->mem = mdl_memory_new(m->reclaim, m->generations);
    r->capacity = m->capacity >> MDL_PAGE_SHIFT;
    mdl_memory_set_shadow_limit(r->mem, r->capacity * m->shadows);
    if (m->vmo_limit)
        mdl_memory_track_vmos(r->mem, w->sc->n_vmos);
    r->high = m->high >> MDL_PAGE_SHIFT;
    r->low = m->low >> MDL_PAGE_SHIFT;
    r->vmo_limit = m->vmo_limit >> MDL_PAGE_SHIFT;
    r->vmo_resident = g_new0(uint64_t, w->sc->n_vmos);
    r->stats.reclaim = scn_reclaim_to_string(m->reclaim);
    r->stats.capacity_pages = r->capacity;
    r->stats.high_pages = r->high;
    r->stats.low_pages = r->low;
    r->stats.shadow_limit = r->capacity * m->shadows;
    r->stats.refault_distance = rep_histogram_new();
    r->stats.direct_latency = rep_histogram_new();
    w->stats.memory = &r->stats;
    return r;
}

void mdl__reclaim_free(MdlReclaim *r) {
    if (r == NULL)
        return;
    r->w->stats.memory = NULL;
    mdl_memory_free(r->mem);
    g_free(r->vmo_resident);
    rep_histogram_free(r->stats.refault_distance);
    rep_histogram_free(r->stats.direct_latency);
    g_free(r);
}

/* One "reclaim" line: @pages of @vmo went; its resident pages after that. */
static void trace_reclaim(MdlReclaim *r, By by, const MdlVmo *vmo, uint64_t pages) {
    MdlWorld *w = r->w;
    if (w->tl) {
        rep_timeline_reclaim(w->tl, mdl__now(w), pages);
        rep_timeline_counters(w->tl, mdl__now(w), vmo->index, REP_TL_HAS_RES, 0, 0,
                              mdl_pages_count(vmo->pages));
    }
    if (!mdl__tracing(w))
        return;
    rep_trace_begin(w->trace, mdl__now(w), REP_EV_RECLAIM);
    rep_trace_str(w->trace, REP_KEY_BY, by_names[by]);
    rep_trace_str(w->trace, REP_KEY_VMO, vmo->scn->name);
    rep_trace_u64(w->trace, REP_KEY_PAGES, pages);
    rep_trace_u64(w->trace, REP_KEY_RESIDENT, mdl_pages_count(vmo->pages));
    rep_trace_end(w->trace);
}

/* Adds the tracked pages since the last change to the area under the resident
 * curve; called before each change. */
static void advance(MdlReclaim *r) {
    SimTime now = mdl__now(r->w);
    r->resident_area += (double)mdl_memory_count(r->mem) * (double)(now - r->since);
    r->since = now;
}

/* Evicts one page: of VMO @only unless it is G_MAXUINT. Returns the VMO index
 * of the page, or G_MAXUINT if there was none. */
static guint evict_one(MdlReclaim *r, guint only) {
    uint64_t key;
    uint32_t stamp = (uint32_t)(r->stats.evictions + 1);
    if (only == G_MAXUINT ? !mdl_memory_victim(r->mem, stamp, &key)
                          : !mdl_memory_victim_of_vmo(r->mem, only, stamp, &key))
        return G_MAXUINT;
    guint v = mdl_memory_key_vmo(key);
    uint64_t page = mdl_memory_key_page(key);
    MdlVmo *vmo = &r->w->vmos[v];
    r->vmo_resident[v]--;
    r->stats.evictions++;
    if (mdl_pages_remove(vmo->unused, page)) {
        r->stats.evicted_unused++;
        r->w->stats.unused_pages++;
    }
    mdl_pages_remove(vmo->pages, page);
    r->stats.shadows_max = MAX(r->stats.shadows_max, mdl_memory_shadows(r->mem));
    return v;
}

/* Evicts up to @n pages (of VMO @only, or any). Returns how many went. Traces
 * one line per run of pages of the same VMO. */
static uint64_t evict(MdlReclaim *r, uint64_t n, guint only, By by) {
    uint64_t done = 0, run = 0;
    guint last = G_MAXUINT, v;
    advance(r);
    while (done < n && (v = evict_one(r, only)) != G_MAXUINT) {
        done++;
        if (!mdl__tracing(r->w) && r->w->tl == NULL)
            continue;
        if (v != last && run)
            trace_reclaim(r, by, &r->w->vmos[last], run);
        run = v != last ? 1 : run + 1;
        last = v;
    }
    if (run)
        trace_reclaim(r, by, &r->w->vmos[last], run);
    r->stats.evicted_by[by] += done;
    return done;
}

static void reclaimer_step(SimEngine *engine, gpointer data) {
    MdlReclaim *r = data;
    uint64_t resident = mdl_memory_count(r->mem);
    if (resident <= r->low) {
        r->running = FALSE;
        return;
    }
    uint64_t n = evict(r, MIN(r->scn->batch, resident - r->low), G_MAXUINT, BY_RECLAIMER);
    uint64_t busy = n * r->scn->reclaim_cost_ns;
    r->stats.reclaimer_busy_ns += busy;
    if (n == 0) {
        r->running = FALSE;
        return;
    }
    sim_engine_schedule_in(engine, busy, reclaimer_step, r, NULL);
}

static void wake_reclaimer(MdlReclaim *r) {
    if (r->running)
        return;
    r->running = TRUE;
    r->stats.reclaimer_wakeups++;
    sim_engine_schedule_in(r->w->engine, 0, reclaimer_step, r, NULL);
}

/* The aging thread: one rotation per period while anything else is pending
 * (so that it never keeps an otherwise finished run alive). */
static void aging_step(SimEngine *engine, gpointer data) {
    MdlReclaim *r = data;
    mdl_memory_age(r->mem);
    r->stats.agings++;
    if (sim_engine_get_pending(engine) > 0)
        sim_engine_schedule_in(engine, r->scn->aging_period_ns, aging_step, r, NULL);
}

void mdl__reclaim_start(MdlReclaim *r) {
    if (r->scn->reclaim == SCN_RECLAIM_PAGE_QUEUES)
        sim_engine_schedule_in(r->w->engine, r->scn->aging_period_ns, aging_step, r, NULL);
}

void mdl__reclaim_inserted(MdlReclaim *r, MdlVmo *vmo, uint64_t page, gboolean initial) {
    uint64_t key = mdl_memory_key(vmo->index, page);
    g_assert(page >> MDL_MEMORY_PAGE_BITS == 0);
    if (!initial) {
        if (r->vmo_limit && r->vmo_resident[vmo->index] >= r->vmo_limit)
            evict(r, r->vmo_resident[vmo->index] - r->vmo_limit + 1, vmo->index, BY_INSERT);
        uint64_t resident = mdl_memory_count(r->mem);
        if (resident >= r->capacity)
            evict(r, resident - r->capacity + 1, G_MAXUINT, BY_INSERT);
    }
    advance(r);
    if (mdl_memory_insert(r->mem, key)) /* a shadow: evicted, back with no fault on it */
        r->stats.readahead_refaults++;
    r->vmo_resident[vmo->index]++;
    r->initial += initial;
    r->stats.resident_max = MAX(r->stats.resident_max, mdl_memory_count(r->mem));
    if (!initial && mdl_memory_count(r->mem) > r->high)
        wake_reclaimer(r);
}

void mdl__reclaim_touch(MdlReclaim *r, MdlVmo *vmo, uint64_t page) {
    mdl_memory_touch(r->mem, mdl_memory_key(vmo->index, page));
}

void mdl__reclaim_removed(MdlReclaim *r, MdlVmo *vmo, uint64_t first, uint64_t count) {
    uint64_t end = first + count, p = first;
    advance(r);
    while ((p = mdl_pages_next(vmo->pages, p, end, TRUE)) < end) {
        if (mdl_memory_remove(r->mem, mdl_memory_key(vmo->index, p)))
            r->vmo_resident[vmo->index]--;
        p++;
    }
}

uint64_t mdl__reclaim_fault(MdlReclaim *r, MdlVmo *vmo, uint64_t page) {
    uint32_t at;
    if (mdl_memory_shadows(r->mem) &&
        mdl_memory_take_shadow(r->mem, mdl_memory_key(vmo->index, page), &at)) {
        r->stats.refaults++;
        rep_histogram_record(r->stats.refault_distance, (uint32_t)r->stats.evictions - at);
    }
    uint64_t n = 0;
    if (r->vmo_limit && r->vmo_resident[vmo->index] >= r->vmo_limit)
        n = evict(r, r->scn->batch, vmo->index, BY_DIRECT);
    else if (mdl_memory_count(r->mem) >= r->capacity)
        n = evict(r, r->scn->batch, G_MAXUINT, BY_DIRECT);
    if (n == 0)
        return 0;
    uint64_t ns = n * r->scn->reclaim_cost_ns;
    r->stats.direct_stalls++;
    r->stats.direct_ns += ns;
    rep_histogram_record(r->stats.direct_latency, ns);
    return ns;
}

gboolean mdl__reclaim_check(const MdlReclaim *r, const MdlVmo *vmo, GString *why) {
    uint64_t tracked = r->vmo_resident[vmo->index], resident = mdl_pages_count(vmo->pages);
    if (tracked != resident) {
        g_string_printf(why,
                        "memory tracks %" G_GUINT64_FORMAT " pages of the VMO, %" G_GUINT64_FORMAT
                        " are resident",
                        tracked, resident);
        return FALSE;
    }
    if (mdl_memory_count(r->mem) > MAX(r->capacity, r->initial)) {
        g_string_printf(why, "%" G_GUINT64_FORMAT " pages resident, capacity %" G_GUINT64_FORMAT,
                        mdl_memory_count(r->mem), r->capacity);
        return FALSE;
    }
    if (mdl_memory_shadows(r->mem) > r->stats.shadow_limit) {
        g_string_printf(why, "%" G_GUINT64_FORMAT " shadows kept, at most %" G_GUINT64_FORMAT,
                        mdl_memory_shadows(r->mem), r->stats.shadow_limit);
        return FALSE;
    }
    return TRUE;
}

void mdl__reclaim_finish(MdlReclaim *r) {
    advance(r);
    r->stats.resident_end = mdl_memory_count(r->mem);
    r->stats.resident_mean =
        r->since ? r->resident_area / (double)r->since : (double)r->stats.resident_end;
    r->stats.shadows_dropped = mdl_memory_shadows_dropped(r->mem);
}
