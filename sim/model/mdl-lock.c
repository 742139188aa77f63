/* The VMO lock (mdl-lock.h): a FIFO mutex per VMO in simulated time.
 *
 * A holder is a simulated thread (its walk), a pager worker (one supply or
 * fail call) or a timed action (supply, fail, detach, resize). Release hands
 * the lock to the oldest waiter at once, so a lock with waiters is never free:
 * a thread or worker is unparked, an action is scheduled. A waiter's time is
 * counted from when it asked to when it was granted; a holder's from the grant
 * to the release. Each grant after a wait is traced as a `lock_wait` line.
 *
 * Invariants:
 *  1. holder == NULL implies the queue is empty;
 *  2. paid is set only while the holder sleeps for a cost it has paid and has
 *     not yet used (the page its walk looks at next, or its supply);
 *  3. a waiter is in at most one lock's queue, at most once.
 */
#include "sim/model/mdl-lock.h"

#include "sim/model/mdl-kernel.h"

typedef enum { WHO_THREAD, WHO_WORKER, WHO_ACTION } WhoKind;

/* A waiter (queued) or a pending action. */
typedef struct {
    gpointer who;     /* MdlThread, MdlWorker or LockedAction */
    WhoKind kind;     /* which */
    SimThread *sim;   /* the simulated thread to unpark (thread, worker) */
    const char *name; /* for the trace; NULL for a thread (mdl__thread_name) */
    SimTime since;    /* when it asked */
} Waiter;

struct _MdlLock {
    MdlWorld *world;     /* owner */
    const MdlVmo *vmo;   /* the VMO it guards */
    gpointer holder;     /* NULL when free */
    SimTime acquired;    /* when the holder got it */
    gboolean paid;       /* the holder has paid the cost of its next step */
    GQueue waiters;      /* Waiter *, oldest first */
    RepLockFigures *fig; /* its figures, in w->stats.locks */
};

/* An action that takes the lock. */
typedef struct {
    MdlWorld *world;
    MdlLock *lock;
    const ScnAction *act;
} LockedAction;

void mdl__locks_init(MdlWorld *w) {
    if (!mdl__kernel_lock_on(&w->sc->kernel))
        return;
    guint n = w->sc->n_vmos;
    w->locks = g_new0(MdlLock, n);
    w->stats.locks = g_new0(RepLockFigures, n);
    w->stats.n_locks = n;
    for (guint i = 0; i < n; i++) {
        MdlLock *l = &w->locks[i];
        l->world = w;
        l->vmo = &w->vmos[i];
        g_queue_init(&l->waiters);
        l->fig = &w->stats.locks[i];
        l->fig->vmo = w->sc->vmos[i].name;
        l->fig->wait = rep_histogram_new();
    }
}

void mdl__locks_free(MdlWorld *w) {
    if (w->locks == NULL)
        return;
    for (guint i = 0; i < w->sc->n_vmos; i++) {
        g_queue_clear_full(&w->locks[i].waiters, g_free);
        rep_histogram_free(w->stats.locks[i].wait);
    }
    g_clear_pointer(&w->stats.locks, g_free);
    w->stats.n_locks = 0;
    g_clear_pointer(&w->locks, g_free);
}

void mdl__locks_start_window(MdlWorld *w) {
    if (w->locks == NULL)
        return;
    for (guint i = 0; i < w->sc->n_vmos; i++) {
        RepLockFigures *f = &w->stats.locks[i];
        f->acquisitions = f->contended = f->wait_ns = f->hold_ns = 0;
        rep_histogram_reset(f->wait);
    }
}

static void trace_wait(MdlLock *l, const char *name, SimTime waited) {
    MdlWorld *w = l->world;
    rep_trace_begin(w->trace, mdl__now(w), REP_EV_LOCK_WAIT);
    rep_trace_str(w->trace, REP_KEY_VMO, l->vmo->scn->name);
    rep_trace_str(w->trace, REP_KEY_BY, name);
    rep_trace_u64(w->trace, REP_KEY_WAITED_NS, waited);
    rep_trace_end(w->trace);
}

/* Makes @who the holder; it asked at @since. */
static void grant(MdlLock *l, gpointer who, const char *name, SimTime since) {
    SimTime now = mdl__now(l->world);
    l->holder = who;
    l->acquired = now;
    l->paid = FALSE;
    l->fig->acquisitions++;
    l->fig->wait_ns += now - since;
    rep_histogram_record(l->fig->wait, now - since);
    if (now > since) {
        l->fig->contended++;
        if (l->world->tl)
            rep_timeline_lock_wait(l->world->tl, now, now - since);
        if (mdl__tracing(l->world))
            trace_wait(l, name, now - since);
    }
}

static void enqueue(MdlLock *l, gpointer who, WhoKind kind, SimThread *sim, const char *name) {
    Waiter *wt = g_new(Waiter, 1);
    *wt = (Waiter){who, kind, sim, name, mdl__now(l->world)};
    g_queue_push_tail(&l->waiters, wt);
}

static void action_run(SimEngine *engine, gpointer data);
static void action_hold(LockedAction *la, gboolean at_once);

/* Ends the holder's hold and hands the lock to the oldest waiter. */
static void release(MdlLock *l) {
    MdlWorld *w = l->world;
    l->fig->hold_ns += mdl__now(w) - l->acquired;
    l->holder = NULL;
    l->paid = FALSE;
    Waiter *next = g_queue_pop_head(&l->waiters);
    if (next != NULL) {
        /* A thread's name is made when it is needed (mdl__thread_name). */
        const char *name =
            next->kind == WHO_THREAD && mdl__tracing(w) ? mdl__thread_name(next->who) : next->name;
        grant(l, next->who, name, next->since);
        if (next->kind == WHO_ACTION)
            action_hold(next->who, FALSE);
        else
            sim_thread_unpark(next->sim, CORE_OK); /* else an interrupt came first:
                                                      the waker finds it holds */
        g_free(next);
    }
}

static MdlLock *lock_of(const MdlVmo *vmo) { return &vmo->world->locks[vmo->index]; }

gboolean mdl__lock_check(const MdlVmo *vmo, GString *why) {
    const MdlLock *l = lock_of(vmo);
    if (l->holder == NULL && (l->waiters.length > 0 || l->paid)) {
        g_string_printf(why, "VMO lock: free with %u waiter(s)%s", l->waiters.length,
                        l->paid ? ", paid" : "");
        return FALSE;
    }
    g_autoptr(GHashTable) seen = g_hash_table_new(NULL, NULL);
    for (const GList *it = l->waiters.head; it != NULL; it = it->next) {
        const Waiter *wt = it->data;
        if (wt->who == l->holder || !g_hash_table_add(seen, wt->who)) {
            g_string_printf(why, "VMO lock: a waiter is queued twice or holds the lock");
            return FALSE;
        }
    }
    return TRUE;
}

gboolean mdl__lock_thread_enter(MdlThread *t) {
    MdlLock *l = lock_of(t->acc.vmo);
    if (l->holder == t)
        return TRUE;
    if (l->holder == NULL) {
        grant(l, t, mdl__tracing(t->world) ? mdl__thread_name(t) : NULL, mdl__now(t->world));
        return TRUE;
    }
    enqueue(l, t, WHO_THREAD, t->sim, NULL);
    sim_thread_park(t->sim);
    return FALSE;
}

void mdl__lock_thread_interrupted(MdlThread *t, int32_t status) {
    MdlLock *l = lock_of(t->acc.vmo);
    if (l->holder == t) {
        release(l);
    } else {
        for (GList *it = l->waiters.head; it != NULL; it = it->next) {
            Waiter *wt = it->data;
            if (wt->who == t) {
                g_queue_delete_link(&l->waiters, it);
                g_free(wt);
                break;
            }
        }
    }
    if (status == MDL_KILL_STATUS) {
        mdl__thread_finish_access(t, CORE_ERR_INTERNAL_INTR_KILLED);
        return;
    }
    /* Decision (core/README.md D6): a suspended access restarts with its
     * arguments once resumed; the engine holds this step until then. */
    t->phase = MDL_PH_RESTART;
    sim_thread_sleep(t->sim, 0);
}

gboolean mdl__lock_walk_pause(MdlThread *t, SimTime *sleep) {
    MdlLock *l = lock_of(t->acc.vmo);
    g_assert(l->holder == t);
    if (l->paid) {
        l->paid = FALSE;
        return FALSE;
    }
    SimTime cost = mdl__kernel_walk_page(t->world);
    if (cost == 0)
        return FALSE;
    l->paid = TRUE;
    *sleep = cost;
    return TRUE;
}

void mdl__lock_walk_same_page(MdlThread *t) { lock_of(t->acc.vmo)->paid = TRUE; }

gboolean mdl__lock_thread_leave(MdlThread *t, gboolean sleeping, gboolean blocking) {
    MdlLock *l = lock_of(t->acc.vmo);
    g_assert(l->holder == t);
    /* A commit's walk holds the lock across its batch (core/README.md 5.8). */
    if (sleeping && (l->paid || t->acc.saw_next))
        return FALSE;
    release(l);
    if (!blocking)
        return FALSE;
    SimTime cost = mdl__kernel_unlock_to_wait(t->world);
    if (cost == 0)
        return FALSE;
    t->phase = MDL_PH_PREWAIT;
    sim_thread_sleep(t->sim, cost);
    return TRUE;
}

gboolean mdl__lock_worker_ready(MdlWorker *wk, SimThread *st, uint64_t pages) {
    MdlWorld *w = wk->prov->world;
    MdlLock *l = &w->locks[wk->vmo];
    if (l->holder != wk) {
        if (l->holder != NULL) {
            enqueue(l, wk, WHO_WORKER, st, wk->name);
            sim_thread_park(st);
            return FALSE;
        }
        grant(l, wk, wk->name, mdl__now(w));
    }
    if (l->paid)
        return TRUE;
    SimTime cost = mdl__kernel_supply_pages(w, pages);
    if (cost == 0)
        return TRUE;
    l->paid = TRUE;
    sim_thread_sleep(st, cost);
    return FALSE;
}

void mdl__lock_worker_done(MdlWorker *wk) { release(&wk->prov->world->locks[wk->vmo]); }

/* The pages a supply action inserts (its range within the VMO's size). */
static uint64_t action_pages(const LockedAction *la) {
    const ScnAction *a = la->act;
    if (a->kind != SCN_ACTION_SUPPLY)
        return 0;
    uint64_t size = la->world->vmos[a->vmo].size;
    uint64_t end = MIN(a->offset + a->length, size);
    return end > a->offset ? (end - a->offset) >> MDL_PAGE_SHIFT : 0;
}

static void action_run(SimEngine *engine, gpointer data) {
    LockedAction *la = data;
    mdl__action_complete(la->world, la->act);
    release(la->lock);
}

/* @la holds the lock: pays for its pages, then completes. Completes at once
 * when it costs nothing and was granted without a wait (@at_once). */
static void action_hold(LockedAction *la, gboolean at_once) {
    SimTime cost = mdl__kernel_supply_pages(la->world, action_pages(la));
    if (at_once && cost == 0) {
        action_run(la->world->engine, la);
        g_free(la);
        return;
    }
    sim_engine_schedule_in(la->world->engine, cost, action_run, la, g_free);
}

gboolean mdl__lock_action(MdlWorld *w, const ScnAction *a) {
    switch (a->kind) {
        case SCN_ACTION_SUPPLY:
        case SCN_ACTION_FAIL:
        case SCN_ACTION_DETACH:
        case SCN_ACTION_RESIZE:
            break;
        default:
            return FALSE;
    }
    LockedAction *la = g_new(LockedAction, 1);
    *la = (LockedAction){w, &w->locks[a->vmo], a};
    if (la->lock->holder != NULL) {
        enqueue(la->lock, la, WHO_ACTION, NULL, "action");
        return TRUE;
    }
    grant(la->lock, la, "action", mdl__now(w));
    action_hold(la, TRUE);
    return TRUE;
}
