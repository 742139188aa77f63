/* The kernel paths a simulated thread takes into the page source
 * (core/README.md §5): a page fault, zx_vmo_read and ZX_VMO_OP_COMMIT, each calling
 * core/ exactly as the kernel does, and PageRequest::Wait on the engine.
 *
 * A walk runs until it must block in Wait, sleep (a synchronous provider's cost
 * or the fault-entry cost), or the access ends. Wait is split: the Wait's state
 * is the request's event in core/ (signalled, status); the thread parks unless
 * it is already signalled, and is unparked by whatever ends the Wait first: the
 * signal (the observer, mdl-observe.c, after the wake latency), a kill or
 * suspend (the engine), or the pager timeout (mdl-timeout.c). On resumption
 * core_page_request_wait() finishes the spec's Wait (cancelling on a kill,
 * suspend or timeout).
 *
 * A plain run (MdlWorld.fast) takes the fast path of mdl-fast.c for faults
 * and reads instead of this file's general walk.
 *
 * Invariants:
 *  1. walk_start <= cur <= end while walking; pages in [walk_start, cur) were
 *     resident or handed to the request when they were looked at;
 *  2. a thread in MDL_PH_WAIT is parked, or its resumption is queued;
 *  3. timer (a delayed wake) is pending only while the thread is in MDL_PH_WAIT,
 *     and only if the signal came while the thread was still parked.
 */
#include "sim/model/mdl-kernel.h"
#include "sim/model/mdl-lock.h"
#include "sim/model/mdl-private.h"
#include "sim/model/mdl-readahead.h"
#include "sim/model/mdl-timeout-inline.h"

typedef enum { WALK_BLOCK, WALK_SLEEP, WALK_DONE } WalkResult;

/* The pending delayed wake of @t's signal (wake_latency), or SIM_HANDLE_NONE.
 * Kept by thread in w->wake_timers, made only when a run has a wake latency:
 * 16 bytes less in every thread of the others (a million blocked threads). */
static SimHandle wake_timer(const MdlThread *t) {
    GHashTable *timers = t->world->wake_timers;
    const SimHandle *h = timers ? g_hash_table_lookup(timers, t) : NULL;
    return h ? *h : SIM_HANDLE_NONE;
}

static void set_wake_timer(MdlThread *t, SimHandle h) {
    MdlWorld *w = t->world;
    if (sim_handle_is_none(h)) {
        if (w->wake_timers)
            g_hash_table_remove(w->wake_timers, t);
        return;
    }
    if (!w->wake_timers)
        w->wake_timers = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    g_hash_table_insert(w->wake_timers, t, g_memdup2(&h, sizeof(h)));
}

/* The signal's delayed wake. If an interrupt already woke the thread at this
 * same instant (its resumption is queued but has not run), the handle stays set:
 * it is finish_wait's mark that the signal came first. */
static void delayed_wake(SimEngine *engine, gpointer data) {
    MdlThread *t = data;
    if (sim_thread_unpark(t->sim, CORE_OK))
        set_wake_timer(t, SIM_HANDLE_NONE);
}

/* The signal's wake after the configured wake-up latency. Out of line: the
 * wake at once saves no registers. Drawn for every signal, so the kernel
 * stream does not depend on the race. */
G_NO_INLINE static void signalled_later(MdlThread *t) {
    MdlWorld *w = t->world;
    SimTime latency = mdl__kernel_wake_latency(w);
    if (sim_thread_get_state(t->sim) == SIM_THREAD_PARKED)
        set_wake_timer(t, sim_engine_schedule_in(w->engine, latency, delayed_wake, t, NULL));
}

/* From the observer (mdl-observe.c): @t's request was completed with @status.
 * The woken thread runs after the current operation, at the same time, or
 * after the configured wake-up latency. */
void mdl__access_signalled(MdlThread *t, CoreStatus status) {
    MdlWorld *w = t->world;
    mdl__timeout_disarm(t);
    /* A thread that is not parked was already woken by a kill, suspend or
     * timeout (or has not parked: the signal is then found before it would).
     * Either way there is nothing to wake: see finish_wait for the race. */
    if (G_LIKELY(w->fast || w->sc->kernel.wake_latency_ns == 0)) { /* a plain run has none */
        sim_thread_unpark(t->sim, CORE_OK);
        return;
    }
    signalled_later(t);
}

/* A "wake" line, or a "cancel" line with the counters the cancel changed. */
static void trace_wait_end(MdlThread *t, gboolean cancelled, CoreStatus status) {
    MdlWorld *w = t->world;
    rep_trace_begin(w->trace, mdl__now(w), cancelled ? REP_EV_CANCEL : REP_EV_WAKE);
    rep_trace_str(w->trace, REP_KEY_THREAD, mdl__thread_name(t));
    rep_trace_str(w->trace, REP_KEY_STATUS, core_status_to_string(status));
    if (cancelled)
        mdl__vmo_trace_counters(t->acc.vmo);
    rep_trace_end(w->trace);
}

/* Handles a page that is not resident before GetPage: the fault-entry cost,
 * and anonymous memory, which gets a zero page without any request.
 * Returns TRUE if the caller must go on to GetPage. */
G_ALWAYS_INLINE static inline gboolean before_get_page(MdlThread *t, WalkResult *r,
                                                       SimTime *sleep) {
    MdlVmo *vmo = t->acc.vmo;
    t->acc.faulted = TRUE;
    if (!t->acc.entered && t->world->sc->kernel.fault_entry_ns) {
        t->acc.entered = TRUE;
        *sleep = mdl__kernel_fault_entry(t->world);
        *r = WALK_SLEEP;
        return FALSE;
    }
    if (vmo->src == NULL) {
        mdl_pages_insert(vmo->pages, t->acc.cur);
        if (G_UNLIKELY(t->world->locks != NULL))
            mdl__lock_walk_same_page(t); /* looked at again at once: paid */
        return FALSE;
    }
    if (t->world->mem && (*sleep = mdl__reclaim_fault(t->world->mem, vmo, t->acc.cur)) > 0) {
        *r = WALK_SLEEP; /* direct reclaim: then look at the page again */
        return FALSE;
    }
    return TRUE;
}

/* A synchronous provider answered: the VMO inserts the page and the thread pays
 * the provider's cost. Returns TRUE if the walk must sleep for it. */
static gboolean took_sync_page(MdlThread *t, SimTime *sleep) {
    if (mdl_pages_insert(t->acc.vmo->pages, t->acc.cur) && t->world->mem)
        mdl__vmo_inserted(t->acc.vmo, t->acc.cur);
    t->acc.cur++;
    *sleep = t->acc.vmo->prov->scn->cost_ns;
    return *sleep > 0;
}

typedef enum { FOUND_MISSING, FOUND_STOP, FOUND_END, FOUND_YIELD } Found;

/* Counts one page of the walk against this event's walk_chunk; TRUE once
 * they are spent. */
static inline gboolean walk_spent(MdlWorld *w) {
    if (w->walk_left == 0)
        return TRUE;
    w->walk_left--;
    return FALSE;
}

/* Moves t->acc.cur past resident pages (SPEC(core/README.md §5.3): a commit skips them
 * without calling GetPage) to the next missing page of the walk.
 * Returns FOUND_MISSING when t->acc.cur needs GetPage, FOUND_END at the end of the
 * range, and FOUND_STOP with @r set when the walk must stop first (a page past
 * the VMO's size, or the fault-entry cost to sleep). FOUND_YIELD (with @r a
 * sleep of 0) when this event has looked at walk_chunk pages: a long walk
 * goes on in a later event at the same time, so stop conditions apply. */
G_ALWAYS_INLINE static inline Found find_missing_inline(MdlThread *t, WalkResult *r,
                                                        CoreStatus *out, SimTime *sleep) {
    MdlWorld *w = t->world;
    MdlVmo *vmo = t->acc.vmo;
    while (t->acc.cur < t->acc.end) {
        if (walk_spent(w)) {
            *sleep = 0;
            *r = WALK_SLEEP;
            return FOUND_YIELD;
        }
        if (G_UNLIKELY(w->locks != NULL) && mdl__lock_walk_pause(t, sleep)) {
            *r = WALK_SLEEP; /* the page's walk_page cost, under the VMO lock */
            return FOUND_STOP;
        }
        if (t->acc.cur >= vmo->size >> MDL_PAGE_SHIFT) {
            *out = CORE_ERR_OUT_OF_RANGE;
            *r = WALK_DONE;
            return FOUND_STOP;
        }
        if (mdl__vmo_touch(vmo, t->acc.cur)) {
            if (vmo->ra != NULL) /* adaptive: mmap_miss and PG_readahead */
                mdl__ra_hit(t, t->acc.cur);
            if (t->acc.kind == SCN_ACCESS_COMMIT)
                mdl__vmo_commit_marker(vmo, t->acc.cur);
            t->acc.cur++;
            continue;
        }
        if (before_get_page(t, r, sleep))
            return FOUND_MISSING;
        if (*r == WALK_SLEEP)
            return FOUND_STOP;
    }
    return FOUND_END;
}

/* find_missing for the batching walks; the single-page walk of every fault
 * and read has its own copy inlined (no call, no register saves per page). */
static Found find_missing(MdlThread *t, WalkResult *r, CoreStatus *out, SimTime *sleep) {
    return find_missing_inline(t, r, out, sleep);
}

/* SPEC(core/README.md §5.1, §5.2): a fault, and zx_vmo_read, take the pages one at a
 * time with a fresh non-batching request each (always one page), wait, and look
 * at the same page again after waking. */
G_ALWAYS_INLINE static inline WalkResult walk_single(MdlThread *t, CoreStatus *out,
                                                     SimTime *sleep) {
    MdlVmo *vmo = t->acc.vmo;
    WalkResult r = WALK_DONE;
    for (;;) {
        Found f = find_missing_inline(t, &r, out, sleep);
        if (f == FOUND_END)
            break;
        if (f != FOUND_MISSING)
            return r;
        CoreStatus st =
            core_page_source_get_page(vmo->src, t->acc.cur << MDL_PAGE_SHIFT, &t->acc.req);
        mdl__check(t->world, vmo);
        if (st == CORE_OK) {
            if (took_sync_page(t, sleep))
                return WALK_SLEEP;
            continue;
        }
        if (st == CORE_ERR_SHOULD_WAIT) {
            return WALK_BLOCK;
        }
        *out = st; /* the detached status */
        return WALK_DONE;
    }
    *out = CORE_OK;
    return WALK_DONE;
}

/* One GetPage of a commit walk. Returns TRUE to go on walking; FALSE with @r set
 * to stop. SPEC(core/README.md §5.3): committed_len is the distance from the walk's
 * start to the page where the batch began (first NEXT) or where the wait began. */
static gboolean commit_get_page(MdlThread *t, WalkResult *r, CoreStatus *out, SimTime *sleep) {
    MdlVmo *vmo = t->acc.vmo;
    CoreStatus st = core_page_source_get_page(vmo->src, t->acc.cur << MDL_PAGE_SHIFT, &t->acc.req);
    mdl__check(t->world, vmo);
    switch (st) {
        case CORE_OK:
            if (!took_sync_page(t, sleep))
                return TRUE;
            *r = WALK_SLEEP;
            return FALSE;
        case CORE_ERR_NEXT:
            if (!t->acc.saw_next)
                t->acc.committed = t->acc.cur - t->acc.walk_start;
            t->acc.saw_next = TRUE;
            t->acc.cur++;
            return TRUE;
        case CORE_ERR_SHOULD_WAIT:
            if (!t->acc.saw_next)
                t->acc.committed = t->acc.cur - t->acc.walk_start;
            *r = WALK_BLOCK;
            return FALSE;
        default:
            *out = st;
            *r = WALK_DONE;
            return FALSE;
    }
}

/* SPEC(core/README.md §5.3): COMMIT walks the range with one batching request,
 * skipping resident pages without calling GetPage, and finalizes the batch at
 * the end if GetPage ever said NEXT. */
static WalkResult walk_commit(MdlThread *t, CoreStatus *out, SimTime *sleep) {
    MdlVmo *vmo = t->acc.vmo;
    WalkResult r = WALK_DONE;
    for (;;) {
        Found f = find_missing(t, &r, out, sleep);
        if (f == FOUND_END || (f == FOUND_YIELD && t->acc.saw_next))
            break; /* a yield sends the batch so far */
        if (f != FOUND_MISSING || !commit_get_page(t, &r, out, sleep))
            return r;
    }
    if (!t->acc.saw_next) {
        *out = CORE_OK;
        return WALK_DONE;
    }
    CoreStatus st = core_page_source_finalize_request(vmo->src, &t->acc.req);
    mdl__check(t->world, vmo);
    if (st == CORE_ERR_SHOULD_WAIT) {
        return WALK_BLOCK;
    }
    *out = st;
    return WALK_DONE;
}

/* Builds one batch from t->acc.cur while the policy's @limit allows, stopping before
 * a resident page; the page source ends it early where it would start (or stop)
 * overlapping an in-flight request. Returns TRUE to go on walking (a synchronous
 * provider answered); FALSE with @r set otherwise. */
static gboolean extend_from(MdlThread *t, uint64_t p, uint64_t limit, WalkResult *r,
                            CoreStatus *out, SimTime *sleep) {
    MdlVmo *vmo = t->acc.vmo;
    CoreStatus st;
    for (;;) {
        st = core_page_source_get_page(vmo->src, p << MDL_PAGE_SHIFT, &t->acc.req);
        mdl__check(t->world, vmo);
        if (st != CORE_ERR_NEXT)
            break;
        if (++p >= limit || mdl_pages_test(vmo->pages, p) || walk_spent(t->world)) {
            st = core_page_source_finalize_request(vmo->src, &t->acc.req);
            mdl__check(t->world, vmo);
            break;
        }
    }
    *r = WALK_DONE;
    if (st == CORE_OK) {
        if (!took_sync_page(t, sleep))
            return TRUE;
        *r = WALK_SLEEP;
    } else if (st == CORE_ERR_SHOULD_WAIT) {
        *r = WALK_BLOCK;
    } else {
        *out = st;
    }
    return FALSE;
}

static gboolean extend_batch(MdlThread *t, uint64_t limit, WalkResult *r, CoreStatus *out,
                             SimTime *sleep) {
    return extend_from(t, t->acc.cur, limit, r, out, sleep);
}

/* The adaptive policy at a missing page (mdl-readahead.c): a page in flight
 * is cached for Linux (its marker may start the next window) and the thread
 * waits on it; otherwise the window Linux reads, in page order: the thread's
 * request covers the uncached run around its page (with a pager: a
 * synchronous provider answers for the thread's page only), background
 * requests the window's other runs. Returns what extend_batch returns. */
static gboolean adaptive_miss(MdlThread *t, WalkResult *r, CoreStatus *out, SimTime *sleep) {
    uint64_t p = t->acc.cur;
    if (mdl__ra_cached(t->acc.vmo, p)) {
        mdl__ra_hit(t, p);
        t->acc.missed = p + 1;
        return extend_batch(t, p + 1, r, out, sleep);
    }
    MdlRaWindow win;
    t->acc.missed = p + 1;
    mdl__ra_miss(t, p, &win);
    gboolean inside = p >= win.start && p < win.end;
    uint64_t first = p;
    while (inside && t->acc.vmo->proxy != NULL && first > win.start &&
           !mdl__ra_cached(t->acc.vmo, first - 1))
        first--;
    if (inside)
        mdl__ra_send(t, win.start, first);
    gboolean go = extend_from(t, first, inside ? win.end : p + 1, r, out, sleep);
    if (inside && *out == CORE_OK)
        mdl__ra_send(t, p + 1, win.end);
    return go;
}

/* The readahead and adaptive policies (mdl-policy.h): at each missing page, one
 * batching request covering as many pages as the policy's extent allows. */
static WalkResult walk_extent(MdlThread *t, CoreStatus *out, SimTime *sleep) {
    MdlVmo *vmo = t->acc.vmo;
    uint64_t size = vmo->size >> MDL_PAGE_SHIFT;
    gboolean adaptive = t->world->policy.kind == MDL_POLICY_ADAPTIVE;
    WalkResult r = WALK_DONE;
    for (;;) {
        Found f = find_missing(t, &r, out, sleep);
        if (f == FOUND_END)
            break;
        if (f != FOUND_MISSING)
            return r;
        if (adaptive) {
            if (!adaptive_miss(t, &r, out, sleep))
                return r;
            continue;
        }
        uint64_t extent = mdl_policy_extent(&t->world->policy, t->acc.kind, t->acc.cur, t->acc.end);
        if (!extend_batch(t, MIN(t->acc.cur + extent, size), &r, out, sleep))
            return r;
    }
    if (adaptive && t->acc.kind == SCN_ACCESS_READ)
        mdl__ra_read_done(t, t->acc.end);
    *out = CORE_OK;
    return WALK_DONE;
}

/* The walk the policy gives an access (mdl-policy.h). One call site of
 * walk_single, which is inlined. */
static WalkResult walk(MdlThread *t, CoreStatus *out, SimTime *sleep) {
    MdlPolicyKind kind = t->world->policy.kind;
    if (kind == MDL_POLICY_FUCHSIA && t->acc.kind == SCN_ACCESS_COMMIT)
        return walk_commit(t, out, sleep);
    if (kind == MDL_POLICY_NONE || kind == MDL_POLICY_FUCHSIA)
        return walk_single(t, out, sleep);
    return walk_extent(t, out, sleep);
}

/* Sets the walk up from the access's arguments, at the start and again when a
 * suspended access restarts (a restarted syscall checks its range again):
 * SPEC(vm_object_paged.cc ReadWriteInternalLocked) a read whose end lies past
 * the current size fails with OUT_OF_RANGE before any page is looked at;
 * SPEC(vm_object_paged.cc CommitRangeInternal, TrimRange) a commit is trimmed
 * to the current size: OUT_OF_RANGE only if it starts past the end, OK if
 * nothing is left. A fault checks each page as it reaches it.
 * Returns FALSE with @out set if the access ends here. */
static gboolean walk_reset(MdlThread *t, CoreStatus *out) {
    uint64_t size_pages = t->acc.vmo->size >> MDL_PAGE_SHIFT;
    t->acc.walk_start = t->acc.cur = t->acc.offset >> MDL_PAGE_SHIFT;
    t->acc.end = t->acc.cur + t->acc.pages;
    t->acc.committed = 0;
    t->acc.missed = 0;
    t->acc.saw_next = FALSE;
    if (t->acc.kind == SCN_ACCESS_READ && t->acc.end > size_pages) {
        *out = CORE_ERR_OUT_OF_RANGE;
        return FALSE;
    }
    if (t->acc.kind != SCN_ACCESS_COMMIT)
        return TRUE;
    if (t->acc.walk_start > size_pages) {
        *out = CORE_ERR_OUT_OF_RANGE;
        return FALSE;
    }
    t->acc.end = MIN(t->acc.end, size_pages);
    *out = CORE_OK;
    return t->acc.walk_start < t->acc.end;
}

/* After a wake with ZX_OK: SPEC(core/README.md §5.2) a read checks the end of the
 * whole range against the current size; SPEC(core/README.md §5.3) a commit moves past
 * committed_len, trims to the current size (a shrink ends it with OK) and walks
 * the rest again. Returns FALSE with @out set if the access ends here. */
static gboolean after_wake(MdlThread *t, CoreStatus *out) {
    uint64_t size_pages = t->acc.vmo->size >> MDL_PAGE_SHIFT;
    if (t->acc.kind == SCN_ACCESS_READ && t->acc.end > size_pages) {
        *out = CORE_ERR_OUT_OF_RANGE;
        return FALSE;
    }
    if (t->acc.kind != SCN_ACCESS_COMMIT)
        return TRUE;
    if (t->world->policy.kind == MDL_POLICY_FUCHSIA) {
        t->acc.walk_start += t->acc.committed;
        t->acc.cur = t->acc.walk_start;
        t->acc.committed = 0;
        t->acc.saw_next = FALSE;
    }
    t->acc.end = MIN(t->acc.end, size_pages);
    if (t->acc.cur >= t->acc.end) {
        *out = CORE_OK;
        return FALSE;
    }
    return TRUE;
}

/* Blocks in PageRequest::Wait, unless the request was completed already (the
 * signal core/ stored is not lost: Wait returns at once). Returns TRUE if
 * parked. */
static gboolean block(MdlThread *t) {
    t->phase = MDL_PH_WAIT;
    if (core_page_request_is_signalled(&t->acc.req))
        return FALSE;
    mdl__wait_begin(t);
    return TRUE;
}

/* Finishes PageRequest::Wait after the thread resumed with @status. Returns the
 * status Wait returns. */
static CoreStatus finish_wait(MdlThread *t, int32_t status) {
    MdlWorld *w = t->world;
    mdl__wait_end(t);
    /* Who ended the Wait: the signal (status OK), or an interrupt. An interrupt
     * that found the signal's delayed wake pending came second: the signal
     * wins (core_page_request_wait). Otherwise the interrupt came first, and
     * a completion since then is not this Wait's result (SPEC(core/README.md §2.9)):
     * with no wake latency a signal that came first would have resumed the
     * thread with OK, so this one rule covers both. */
    SimHandle timer = wake_timer(t);
    gboolean signal_first = status == CORE_OK || !sim_handle_is_none(timer);
    if (!sim_handle_is_none(timer)) {
        sim_engine_cancel(w->engine, timer);
        set_wake_timer(t, SIM_HANDLE_NONE);
    }
    gboolean was_active = core_page_request_get_state(&t->acc.req) != CORE_PAGE_REQUEST_INACTIVE;
    CoreStatus st = signal_first
                        ? core_page_request_wait(&t->acc.req, (CoreStatus)status)
                        : core_page_request_wait_interrupted(&t->acc.req, (CoreStatus)status);
    mdl__check(w, t->acc.vmo);
    gboolean cancelled = was_active && st != CORE_OK && !core_page_source_is_valid_failure_code(st);
    if (cancelled)
        w->stats.requests_cancelled++;
    /* A cancel line's counters are not folded: the line names no VMO (the
     * fold of events.jsonl cannot place them either). */
    if (w->tl)
        mdl__timeline_wait_end(t, FALSE);
    if (mdl__tracing(w))
        trace_wait_end(t, cancelled, st);
    return st;
}

/* Handles the end of a wait. Returns TRUE to keep walking; FALSE when the
 * thread's next step has been requested (or the access ended). */
static gboolean wake(MdlThread *t, int32_t status) {
    CoreStatus st = finish_wait(t, status);
    gboolean failed = core_page_source_is_valid_failure_code(st);
    if (status == MDL_SUSPEND_STATUS && !failed) {
        /* Decision (core/README.md D6): a suspended access restarts with its original
         * arguments once resumed; the engine holds this step until then. */
        t->phase = MDL_PH_RESTART;
        sim_thread_sleep(t->sim, 0);
        return FALSE;
    }
    if (status == MDL_KILL_STATUS && st == CORE_OK)
        st = CORE_ERR_INTERNAL_INTR_KILLED;
    if (st == CORE_OK && after_wake(t, &st))
        return TRUE;
    mdl__thread_finish_access(t, st);
    return FALSE;
}

/* With the VMO lock on, a walk runs holding it (mdl-lock.h). A resumption in
 * MDL_PH_WALK with an interrupt can only come while the thread waited for the
 * lock (sleeps are not interrupted). Returns TRUE when @t holds the lock. */
static gboolean lock_walk(MdlThread *t, int32_t status) {
    if (t->phase == MDL_PH_WALK && status != CORE_OK) {
        mdl__lock_thread_interrupted(t, status);
        return FALSE;
    }
    t->phase = MDL_PH_WALK;
    return mdl__lock_thread_enter(t);
}

void mdl__access_resume(MdlThread *t, int32_t status) {
    MdlWorld *w = t->world;
    for (;;) {
        CoreStatus out = CORE_OK;
        SimTime sleep = 0;
        w->walk_left = w->walk_chunk;
        /* MDL_PH_PREWAIT: the unlock_to_wait cost is paid, Wait now (mdl-lock.h). */
        if (t->phase != MDL_PH_PREWAIT) {
            if (t->phase == MDL_PH_WAIT && !wake(t, status))
                return;
            if (t->phase == MDL_PH_RESTART) {
                /* Killed while suspended: the interrupted access ends with
                 * the kill instead of restarting (the engine turns any
                 * further step into an exit, so a restart would leave a head
                 * without a thread). */
                if (status == MDL_KILL_STATUS)
                    out = CORE_ERR_INTERNAL_INTR_KILLED;
                if (status == MDL_KILL_STATUS || !walk_reset(t, &out)) {
                    mdl__thread_finish_access(t, out);
                    return;
                }
            }
            if (G_UNLIKELY(w->locks != NULL) && !lock_walk(t, status))
                return;
            t->phase = MDL_PH_WALK;
            WalkResult r = walk(t, &out, &sleep);
            if (G_UNLIKELY(w->locks != NULL) &&
                mdl__lock_thread_leave(t, r == WALK_SLEEP, r == WALK_BLOCK))
                return;
            if (r == WALK_SLEEP) {
                sim_thread_sleep(t->sim, sleep);
                return;
            }
            if (r == WALK_DONE) {
                mdl__thread_finish_access(t, out);
                return;
            }
        }
        if (block(t))
            return;
        status = CORE_OK; /* completed before Wait: the stored status is returned */
    }
}

void mdl__access_begin(MdlThread *t) {
    MdlWorld *w = t->world;
    if (G_LIKELY(w->fast) && t->acc.kind != SCN_ACCESS_COMMIT) {
        mdl__access_fast_begin(t); /* mdl-fast.c: the start too */
        return;
    }
    mdl__access_start_inline(t);
    core_page_request_construct(&t->acc.req, mdl_policy_batches(&w->policy, t->acc.kind));
    if (mdl__tracing(w)) {
        rep_trace_begin(w->trace, t->acc.start, REP_EV_ACCESS);
        rep_trace_str(w->trace, REP_KEY_THREAD, mdl__thread_name(t));
        rep_trace_str(w->trace, REP_KEY_KIND, scn_access_kind_to_string(t->acc.kind));
        rep_trace_str(w->trace, REP_KEY_VMO, t->acc.vmo->scn->name);
        rep_trace_u64(w->trace, REP_KEY_OFFSET, t->acc.offset);
        rep_trace_u64(w->trace, REP_KEY_LEN, t->acc.pages << MDL_PAGE_SHIFT);
        rep_trace_end(w->trace);
    }
    t->phase = MDL_PH_RESTART;
    mdl__access_resume(t, CORE_OK);
}
