/* The pager timeout of every waiting thread (PagerProxy::WaitOnEvent, core/README.md
 * §4.7), with one engine event for all of them.
 *
 * Every wait gets the same timeout, so deadlines arrive in the order the waits
 * began: a FIFO of (thread, deadline) and a single pending "sweep" event at the
 * front deadline serve every waiting thread, where a timer per wait would cost a
 * schedule and a cancel each. A wait that ends before its deadline clears its
 * own entry (the thread remembers the entry's position), and cleared entries are
 * dropped when they reach the front, without touching any thread.
 *
 * Invariants:
 *  1. deadlines in the FIFO never decrease from front to back;
 *  2. armed counts the threads with a live entry; when it drops to 0 the FIFO is
 *     emptied and the sweep cancelled, so an idle world has no pending event;
 *  3. the sweep is pending iff the FIFO is not empty;
 *  4. an armed thread's entry is at its deadline_pos, in [first, first + len).
 */
#include "sim/model/mdl-private.h"

/* SPEC(core/README.md §4.7): WaitOnEvent waits in slices of overtime_wait and gives up
 * with ZX_ERR_TIMED_OUT once the slices reach pager_timeout; either being 0 means
 * it never times out. */
static SimTime timeout_after(const ScnKernel *k) {
    if (k->pager_timeout_ns == 0 || k->overtime_wait_ns == 0)
        return 0;
    uint64_t slices = (k->pager_timeout_ns + k->overtime_wait_ns - 1) / k->overtime_wait_ns;
    return slices * k->overtime_wait_ns;
}

/* A wait that ended before its deadline cleared its entry's thread. */
static gboolean stale(const MdlDeadline *d) { return d->thread == NULL; }

static MdlDeadline *slot(MdlTimeouts *q, uint64_t pos) { return &q->ring[pos & (q->cap - 1)]; }

static MdlDeadline *front(MdlTimeouts *q) { return slot(q, q->first); }

static void pop(MdlTimeouts *q) {
    q->first++;
    q->len--;
}

static void drop_stale(MdlTimeouts *q) {
    while (q->len && stale(front(q)))
        pop(q);
}

/* Entries keep their absolute position: a position maps to ring[pos % cap]. */
static void push(MdlTimeouts *q, MdlThread *t, SimTime deadline) {
    if (q->len == q->cap) {
        guint cap = q->cap ? q->cap * 2 : 64;
        MdlDeadline *ring = g_new(MdlDeadline, cap);
        for (uint64_t pos = q->first; pos < q->first + q->len; pos++)
            ring[pos & (cap - 1)] = *slot(q, pos);
        g_free(q->ring);
        q->ring = ring;
        q->cap = cap;
    }
    t->wait.deadline_pos = q->first + q->len;
    *slot(q, t->wait.deadline_pos) = (MdlDeadline){t, deadline};
    q->len++;
}

static void sweep(SimEngine *engine, gpointer data) {
    MdlWorld *w = data;
    MdlTimeouts *q = &w->timeouts;
    SimTime now = sim_engine_now(engine);
    q->sweep = SIM_HANDLE_NONE;
    while (q->len && front(q)->deadline <= now) {
        MdlThread *t = front(q)->thread;
        gboolean live = !stale(front(q));
        pop(q);
        if (!live)
            continue;
        t->wait.armed = FALSE;
        q->armed--;
        sim_thread_unpark(t->sim, MDL_TIMEOUT_STATUS);
    }
    drop_stale(q);
    if (q->len)
        q->sweep = sim_engine_schedule(engine, front(q)->deadline, sweep, w, NULL);
}

void mdl__timeout_arm(MdlThread *t) {
    MdlWorld *w = t->world;
    MdlTimeouts *q = &w->timeouts;
    SimTime after = timeout_after(&w->sc->kernel);
    if (after == 0)
        return;
    t->wait.armed = TRUE;
    q->armed++;
    drop_stale(q);
    push(q, t, mdl__now(w) + after);
    if (sim_handle_is_none(q->sweep))
        q->sweep = sim_engine_schedule(w->engine, front(q)->deadline, sweep, w, NULL);
}

void mdl__timeout_disarm(MdlThread *t) {
    MdlTimeouts *q = &t->world->timeouts;
    if (!t->wait.armed)
        return;
    t->wait.armed = FALSE;
    slot(q, t->wait.deadline_pos)->thread = NULL;
    if (--q->armed > 0)
        return;
    q->first += q->len;
    q->len = 0;
    if (!sim_handle_is_none(q->sweep))
        sim_engine_cancel(t->world->engine, q->sweep);
    q->sweep = SIM_HANDLE_NONE;
}
