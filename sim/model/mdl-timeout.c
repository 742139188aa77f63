/* The pager timeout of every waiting thread (PagerProxy::WaitOnEvent, SEMANTICS
 * §4.7), with one engine event for all of them.
 *
 * Every wait gets the same timeout, so deadlines arrive in the order the waits
 * began: a FIFO of (thread, wait number, deadline) and a single pending "sweep"
 * event at the front deadline serve every waiting thread, where a timer per wait
 * would cost a schedule and a cancel each. A wait that ends before its deadline
 * is not searched for: its entry goes stale (the thread's wait number moved on or
 * it is no longer armed) and is dropped when it reaches the front.
 *
 * Invariants:
 *  1. deadlines in the FIFO never decrease from front to back;
 *  2. armed counts the threads with a live entry; when it drops to 0 the FIFO is
 *     emptied and the sweep cancelled, so an idle world has no pending event;
 *  3. the sweep is pending iff the FIFO is not empty.
 * Threads in the FIFO are never freed before the world (arrival threads are
 * recycled), so a stale entry can always be read.
 */
#include "sim/model/mdl-private.h"

/* SPEC(SEMANTICS §4.7): WaitOnEvent waits in slices of overtime_wait and gives up
 * with ZX_ERR_TIMED_OUT once the slices reach pager_timeout; either being 0 means
 * it never times out. */
static SimTime timeout_after(const ScnKernel *k) {
    if (k->pager_timeout_ns == 0 || k->overtime_wait_ns == 0)
        return 0;
    uint64_t slices = (k->pager_timeout_ns + k->overtime_wait_ns - 1) / k->overtime_wait_ns;
    return slices * k->overtime_wait_ns;
}

static gboolean stale(const MdlDeadline *d) {
    return !d->thread->armed || d->thread->wait_seq != d->seq;
}

static MdlDeadline *front(MdlTimeouts *q) { return &q->ring[q->head]; }

static void pop(MdlTimeouts *q) {
    q->head = (q->head + 1) & (q->cap - 1);
    q->len--;
}

static void drop_stale(MdlTimeouts *q) {
    while (q->len && stale(front(q)))
        pop(q);
}

static void push(MdlTimeouts *q, MdlThread *t, SimTime deadline) {
    if (q->len == q->cap) {
        guint cap = q->cap ? q->cap * 2 : 64;
        MdlDeadline *ring = g_new(MdlDeadline, cap);
        for (guint i = 0; i < q->len; i++)
            ring[i] = q->ring[(q->head + i) & (q->cap - 1)];
        g_free(q->ring);
        q->ring = ring;
        q->head = 0;
        q->cap = cap;
    }
    q->ring[(q->head + q->len) & (q->cap - 1)] = (MdlDeadline){t, t->wait_seq, deadline};
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
        t->armed = FALSE;
        q->armed--;
        t->interrupted = TRUE; /* the timeout beats a completion later at this instant */
        sim_event_signal(&t->ev, MDL_TIMEOUT_STATUS);
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
    t->wait_seq++;
    t->armed = TRUE;
    q->armed++;
    drop_stale(q);
    push(q, t, mdl__now(w) + after);
    if (sim_handle_is_none(q->sweep))
        q->sweep = sim_engine_schedule(w->engine, front(q)->deadline, sweep, w, NULL);
}

void mdl__timeout_disarm(MdlThread *t) {
    MdlTimeouts *q = &t->world->timeouts;
    if (!t->armed)
        return;
    t->armed = FALSE;
    if (--q->armed > 0)
        return;
    q->len = 0;
    if (!sim_handle_is_none(q->sweep))
        sim_engine_cancel(t->world->engine, q->sweep);
    q->sweep = SIM_HANDLE_NONE;
}
