/* The fast path of a plain run's faults and reads (MdlWorld.fast): a run
 * without a trace, VMO lock, memory pressure, fault-entry or wake-up cost or
 * checkers, under the none or fuchsia policy (mdl__access_init decides once).
 * Its threads step through mdl__thread_step_fast: an access begins, walks,
 * sends its request and blocks in Wait, and is woken, in one short chain
 * without the general walk's dispatch (mdl-access.c), making the same calls
 * into core/ in the same order, so that a run's outputs are the same bytes as
 * the general walk's (tests/golden/test-untraced.sh: untraced runs take this
 * path, traced ones the general walk). Anything else (a commit, an interrupt,
 * a restart) goes through mdl__thread_step.
 */
#include "sim/model/mdl-timeout-inline.h"

G_ALWAYS_INLINE static inline void fast_block(MdlThread *t, SimTime now);
static void fast_wake(MdlThread *t);

/* mdl__vmo_touch in a plain run: no memory pressure, so no reclaim to tell. */
G_ALWAYS_INLINE static inline gboolean fast_touch(MdlVmo *vmo, uint64_t page) {
    if (!mdl_pages_test(vmo->pages, page))
        return FALSE;
    if (mdl_pages_count(vmo->unused))
        mdl_pages_remove(vmo->unused, page);
    return TRUE;
}

/* The plain run's walk of a fault or read (w->fast; see mdl__access_init):
 * walk_single, with what such a run cannot meet left out (the VMO lock,
 * memory pressure, the fault-entry cost, readahead state, which only the
 * adaptive policy makes, and the checkers), the page and the walk's budget in
 * registers, and the walk's end handled here: the thread sleeps, blocks in
 * Wait or ends its access. The same calls into core/ in the same order. */
static void fast_walk_from(MdlThread *t, uint64_t left) {
    MdlVmo *vmo = t->acc.vmo;
    uint64_t cur = t->acc.cur, end = t->acc.end;
    CoreStatus st = CORE_OK;
    t->phase = MDL_PH_WALK;
    for (;;) {
        if (cur >= end)
            break;
        if (left-- == 0) { /* walk_spent: go on in a later event */
            t->acc.cur = cur;
            sim_thread_sleep(t->sim, 0);
            return;
        }
        if (cur >= vmo->size >> MDL_PAGE_SHIFT) {
            st = CORE_ERR_OUT_OF_RANGE;
            break;
        }
        if (fast_touch(vmo, cur)) {
            cur++;
            continue;
        }
        t->acc.faulted = TRUE;
        if (vmo->src == NULL) { /* anonymous: a zero page, looked at again */
            mdl_pages_insert(vmo->pages, cur);
            continue;
        }
        st = core_page_source_get_page(vmo->src, cur << MDL_PAGE_SHIFT, &t->acc.req);
        if (st == CORE_ERR_SHOULD_WAIT) {
            t->acc.cur = cur;
            fast_block(t, mdl__now(t->world));
            return;
        }
        if (st != CORE_OK)
            break; /* the detached status */
        /* a synchronous provider's page */
        mdl_pages_insert(vmo->pages, cur++);
        SimTime cost = vmo->prov->scn->cost_ns;
        if (cost > 0) {
            t->acc.cur = cur;
            sim_thread_sleep(t->sim, cost);
            return;
        }
    }
    t->acc.cur = cur;
    mdl__thread_finish_access(t, st);
}

/* The walk with this event's whole budget of pages. */
static void fast_walk(MdlThread *t) { fast_walk_from(t, t->world->walk_chunk); }

/* block() and, when the signal had come already, the wake at once; @now is
 * the engine's. Inline in the walk's two places that block. */
G_ALWAYS_INLINE static inline void fast_block(MdlThread *t, SimTime now) {
    t->phase = MDL_PH_WAIT;
    if (G_UNLIKELY(core_page_request_is_signalled(&t->acc.req))) {
        fast_wake(t);
        return;
    }
    mdl__wait_begin_at_inline(t, now);
}

/* The plain run's wake with OK: finish_wait, wake and after_wake for a fault
 * or read. No wake latency: no delayed wake can be pending, the signal came
 * first. */
static void fast_wake(MdlThread *t) {
    MdlWorld *w = t->world;
    /* the end of the Wait without its disarm, which would find nothing
     * armed: in a plain run the one resumption with OK is the signal's
     * (mdl__access_signalled), which disarmed the wait, and a wait whose
     * signal came first (fast_block) never armed it */
    mdl__wait_count_inline(t);
    /* active: not inactive, which alone has no offset (one compare, where
     * the state's four-way answer took several) */
    gboolean was_active = core_page_request_get_offset(&t->acc.req) != G_MAXUINT64;
    CoreStatus st = core_page_request_wait(&t->acc.req, CORE_OK);
    if (G_UNLIKELY(st != CORE_OK) && was_active && !core_page_source_is_valid_failure_code(st))
        w->stats.requests_cancelled++;
    if (w->tl)
        mdl__timeline_wait_end_inline(t, FALSE);
    if (st == CORE_OK && t->acc.kind == SCN_ACCESS_READ &&
        t->acc.end > t->acc.vmo->size >> MDL_PAGE_SHIFT)
        st = CORE_ERR_OUT_OF_RANGE;
    if (st != CORE_OK) {
        mdl__thread_finish_access(t, st);
        return;
    }
    /* Most often the page waited for was the last: found resident, it ends
     * the access, as fast_walk would end it (one page of the walk's budget,
     * which is at least 1; a page not found costs fast_walk nothing more). */
    MdlVmo *vmo = t->acc.vmo;
    uint64_t cur = t->acc.cur;
    if (cur + 1 == t->acc.end && cur < vmo->size >> MDL_PAGE_SHIFT && fast_touch(vmo, cur)) {
        t->acc.cur = cur + 1; /* (its phase: the access's end sets it) */
        mdl__thread_finish_access(t, CORE_OK);
        return;
    }
    fast_walk(t);
}

/* The start every access makes (mdl__access_start_inline), then walk_reset
 * of a fault or read, and its walk. Inline in its three entries. */
G_ALWAYS_INLINE static inline void fast_begin(MdlThread *t) {
    /* Why the length is read before the start: the start stores bytes of
     * the word that holds it (faulted, entered), and a load of the whole
     * word just after such a store waits for it to be written (no store
     * forwarding from a narrower store) */
    uint64_t cur = t->acc.offset >> MDL_PAGE_SHIFT, end = cur + t->acc.pages;
    mdl__access_start_inline(t);
    core_page_request_construct(&t->acc.req, FALSE); /* none, or fuchsia's fault/read */
    /* walk_start, committed and saw_next are a commit's (and missed the
     * adaptive policy's): left as they are, no fault or read reads them, and
     * a restart sets them again (walk_reset) */
    t->acc.cur = cur;
    t->acc.end = end;
    MdlVmo *vmo = t->acc.vmo;
    if (t->acc.kind == SCN_ACCESS_READ && t->acc.end > vmo->size >> MDL_PAGE_SHIFT) {
        mdl__thread_finish_access(t, CORE_ERR_OUT_OF_RANGE);
        return;
    }
    /* Most often the first page is missing from a paged VMO: fast_walk's
     * first step (a page of the budget, which is at least 1; mdl__vmo_touch
     * finds the page missing and does nothing else), where the thread most
     * often blocks. */
    if (cur >= t->acc.end || cur >= vmo->size >> MDL_PAGE_SHIFT || vmo->src == NULL ||
        mdl_pages_test(vmo->pages, cur)) {
        fast_walk(t);
        return;
    }
    t->acc.faulted = TRUE;
    CoreStatus st = core_page_source_get_page(vmo->src, cur << MDL_PAGE_SHIFT, &t->acc.req);
    if (st == CORE_ERR_SHOULD_WAIT) {
        fast_block(t, t->acc.start); /* the access began in this event */
        return;
    }
    t->phase = MDL_PH_WALK;
    if (st != CORE_OK) {
        mdl__thread_finish_access(t, st); /* the detached status */
        return;
    }
    /* a synchronous provider's page */
    mdl_pages_insert(vmo->pages, cur);
    t->acc.cur = cur + 1;
    SimTime cost = vmo->prov->scn->cost_ns;
    if (cost > 0) {
        sim_thread_sleep(t->sim, cost);
        return;
    }
    fast_walk_from(t, t->world->walk_chunk - 1);
}

void mdl__access_fast_begin(MdlThread *t) { fast_begin(t); }

/* mdl__thread_step_fast's step of phase BEGIN: mdl__access_begin's start,
 * and its fast path, or mdl__thread_step for a killed thread (@t's simulated
 * thread is the step's). Out of line, so that the step itself makes only
 * tail calls and saves no register. */
G_NO_INLINE static void fast_start(MdlThread *t) {
    if (G_UNLIKELY(sim_thread_is_killed(t->sim))) {
        mdl__thread_step(t->sim, CORE_OK, t);
        return;
    }
    fast_begin(t);
}

/* fast_start in a run where no thread is ever killed (mdl__thread_step_plain). */
G_NO_INLINE static void plain_start(MdlThread *t) { fast_begin(t); }

/* Can an access of @w's run be a commit? Closed and open workloads make
 * their one kind; explicit ones their listed kinds; a replayed trace's are
 * known only as it is read: they may. */
static gboolean run_may_commit(const MdlWorld *w) {
    for (guint wi = 0; wi < w->sc->n_workloads; wi++) {
        const ScnWorkload *wl = &w->sc->workloads[wi];
        if (wl->kind == SCN_WORKLOAD_TRACE)
            return TRUE;
        if (wl->kind == SCN_WORKLOAD_EXPLICIT) {
            for (guint i = 0; i < wl->n_accesses; i++)
                if (wl->accesses[i].access == SCN_ACCESS_COMMIT)
                    return TRUE;
        } else if (wl->access == SCN_ACCESS_COMMIT) {
            return TRUE;
        }
    }
    return FALSE;
}

/* Can a thread of @w's run be killed? Only a kill action kills one. */
static gboolean run_may_kill(const MdlWorld *w) {
    for (guint i = 0; i < w->sc->n_actions; i++)
        if (w->sc->actions[i].kind == SCN_ACTION_KILL)
            return TRUE;
    return FALSE;
}

void mdl__access_init(MdlWorld *w) {
    const ScnKernel *k = &w->sc->kernel;
    w->timeouts.engine = w->engine; /* whose threads the pager timeouts name */
    w->timeouts.on = k->overtime_wait_ns != 0;
    w->timeouts.lazy = TRUE; /* no entry until a sweep runs (mdl-timeout-inline.h) */
    w->fast = w->locks == NULL && w->mem == NULL && w->trace == NULL && !w->check &&
              k->fault_entry_ns == 0 && k->wake_latency_ns == 0 &&
              (w->policy.kind == MDL_POLICY_NONE || w->policy.kind == MDL_POLICY_FUCHSIA);
    w->thread_step = !w->fast                               ? mdl__thread_step
                     : run_may_commit(w) || run_may_kill(w) ? mdl__thread_step_fast
                                                            : mdl__thread_step_plain;
}

/* The step of a thread in a plain run (w->fast): the fast path's steps at
 * once, the others by mdl__thread_step. With @plain (a constant: a run where
 * no access is a commit and no thread is killed, mdl__access_init), without
 * testing for either. */
G_ALWAYS_INLINE static inline void step_fast(SimThread *st, int32_t status, MdlThread *t,
                                             gboolean plain) {
    if (G_LIKELY(status == CORE_OK) && (plain || t->acc.kind != SCN_ACCESS_COMMIT)) {
        /* the two steps of every fault first, a compare each */
        uint8_t phase = t->phase;
        if (G_LIKELY(phase == MDL_PH_WAIT)) {
            fast_wake(t);
            return;
        }
        if (G_LIKELY(phase == MDL_PH_BEGIN)) {
            if (plain)
                plain_start(t);
            else
                fast_start(t);
            return;
        }
        if (phase == MDL_PH_WALK) {
            fast_walk(t);
            return;
        }
    }
    mdl__thread_step(st, status, t);
}

void mdl__thread_step_fast(SimThread *st, int32_t status, gpointer data) {
    step_fast(st, status, data, FALSE);
}

void mdl__thread_step_plain(SimThread *st, int32_t status, gpointer data) {
    step_fast(st, status, data, TRUE);
}
