/* The overtime_wait expiries and pager timeout of every waiting thread
 * (PagerProxy::WaitOnEvent, core/README.md §4.7), with one engine event for all
 * of them.
 *
 * Every wait expires every overtime_wait, so deadlines arrive in the order the
 * waits began (an expiry that does not time out re-queues the wait one slice
 * later, behind every other entry): a FIFO of (thread, deadline) and a single
 * pending "sweep" event at the front deadline serve every waiting thread, where
 * a timer per wait would cost a schedule and a cancel each. An entry is 8 bytes
 * (a million waiting threads): the thread's engine id, and the deadline as its
 * number of slices from the wait's start. A wait that ends before its deadline
 * clears its own entry (the thread remembers the entry's position), and cleared
 * entries are dropped when the front's wait ends (with the cleared ones behind
 * it), by the sweep, or by a push that finds the ring full.
 *
 * Invariants:
 *  1. deadlines in the FIFO never decrease from front to back;
 *  2. armed counts the threads with a live entry (while lazy, or with
 *     overtime_wait 0, the threads armed); when it drops to 0 the FIFO is
 *     emptied and the sweep cancelled, so an idle world has no pending event;
 *  3. once the FIFO is not lazy (6), the sweep is pending iff the FIFO is not
 *     empty; while lazy, iff a thread is armed and overtime_wait is not 0;
 *  4. an armed thread's entry is at the position in [first, first + len) that
 *     is its timeout_pos modulo 2^32 (the same slot: cap divides 2^32);
 *  5. a live entry's deadline is its thread's wait.start plus expiry slices,
 *     expiry >= 1 its expiry's number (entries are expired exactly at their
 *     deadline);
 *  6. lazy (until the first sweep runs): the FIFO holds no entry; an armed
 *     thread's timeout_pos is its arm's number, and the live entries are the
 *     armed threads in that order, each at expiry 1, which the sweep builds
 *     (mdl__deadlines_build) before it goes on as above. A run whose waits
 *     all end within overtime_wait (every run shorter than 20 s, by default)
 *     never pushes, clears or pops an entry: its arms and disarms count.
 */
#include "sim/model/mdl-timeout-inline.h"

#include <stdlib.h>

/* SPEC(core/README.md §4.7): WaitOnEvent waits in slices of overtime_wait; at
 * each expiry it gives up with ZX_ERR_TIMED_OUT once the slices reach
 * pager_timeout (0 = never), and otherwise warns (an overtime) and waits again.
 * Returns TRUE if expiry number @n (from 1) ends the wait. */
static gboolean expiry_times_out(const ScnKernel *k, uint64_t n) {
    return k->pager_timeout_ns != 0 && n * k->overtime_wait_ns >= k->pager_timeout_ns;
}

/* A wait that ended before its deadline cleared its entry's thread. */
static gboolean stale(const MdlDeadline *d) { return d->thread == MDL_DEADLINE_STALE; }

MdlThread *mdl__deadlines_thread(const MdlTimeouts *q, const MdlDeadline *d) {
    return sim_thread_get_data(sim_thread_lookup(q->engine, d->thread));
}

/* The deadline of live entry @d. */
static SimTime deadline(const MdlWorld *w, const MdlDeadline *d) {
    return mdl__deadlines_thread(&w->timeouts, d)->wait.start +
           d->expiry * w->sc->kernel.overtime_wait_ns;
}

static MdlDeadline *slot(MdlTimeouts *q, uint64_t pos) { return mdl__deadlines_slot(q, pos); }

static MdlDeadline *front(MdlTimeouts *q) { return slot(q, q->first); }

static void pop(MdlTimeouts *q) {
    q->first++;
    q->len--;
}

static void drop_stale(MdlTimeouts *q) {
    while (q->len && stale(front(q)))
        pop(q);
}

/* Drops the stale entries anywhere in the ring, keeping the order of the
 * others (and their threads' timeout_pos right). */
static void compact(MdlTimeouts *q) {
    uint64_t to = q->first;
    for (uint64_t pos = q->first; pos < q->first + q->len; pos++) {
        MdlDeadline d = *slot(q, pos);
        if (stale(&d))
            continue;
        mdl__deadlines_thread(q, &d)->timeout_pos = (uint32_t)to;
        *slot(q, to++) = d;
    }
    q->len = (guint)(to - q->first);
}

/* Doubles the capacity in place (a realloc, no second copy alive): the
 * entries whose position has the old capacity's bit set move up by it. */
static void grow(MdlTimeouts *q) {
    g_assert(q->cap < (1u << 31)); /* so that cap still divides 2^32 */
    guint old = q->cap, cap = old ? old * 2 : 64;
    q->ring = g_renew(MdlDeadline, q->ring, cap);
    for (uint64_t pos = q->first; pos < q->first + q->len; pos++)
        if (pos & old)
            q->ring[(pos & (old - 1)) + old] = q->ring[pos & (old - 1)];
    q->cap = cap;
}

/* Entries keep their absolute position: a position maps to ring[pos % cap].
 * Why compact: every wait pushes an entry, and a wait that ends early leaves
 * it stale until the front passes it, a whole overtime_wait slice later (20 s
 * by default: every fault of a run shorter than that). A full ring drops its
 * stale entries first and doubles only if that left it over half full, so it
 * stays within twice the most waits armed at once (amortized O(1) a push). */
G_NO_INLINE void mdl__timeout_make_room(MdlTimeouts *q) {
    compact(q);
    if (q->len >= q->cap / 2)
        grow(q);
}

/* The push of every wait (mdl-timeout-inline.h): the rare full ring is out of
 * line, so that it inlines into the arm without saving registers. */
static void push(MdlTimeouts *q, MdlThread *t, uint32_t expiry) {
    mdl__deadlines_push_inline(q, t, expiry);
}

void mdl__deadlines_push(MdlTimeouts *q, MdlThread *t, uint32_t expiry) { push(q, t, expiry); }

MdlDeadline *mdl__deadlines_front(MdlTimeouts *q) { return q->len ? front(q) : NULL; }

void mdl__deadlines_pop(MdlTimeouts *q) { pop(q); }

void mdl__deadlines_clear(MdlTimeouts *q, MdlThread *t) {
    slot(q, t->timeout_pos)->thread = MDL_DEADLINE_STALE;
}

/* An "overtime" line: @t still waits after expiry @n. */
static void trace_overtime(MdlWorld *w, const MdlThread *t, uint64_t n) {
    rep_trace_begin(w->trace, mdl__now(w), REP_EV_OVERTIME);
    rep_trace_str(w->trace, REP_KEY_THREAD, mdl__thread_name(t));
    rep_trace_str(w->trace, REP_KEY_VMO, t->acc.vmo->scn->name);
    rep_trace_u64(w->trace, REP_KEY_EXPIRY, n);
    rep_trace_u64(w->trace, REP_KEY_WAITED_NS, n * w->sc->kernel.overtime_wait_ns);
    rep_trace_end(w->trace);
}

/* Expiry of the front entry @d (popped): the wait times out, or warns and
 * waits one more slice. Re-pushing at now + slice keeps the FIFO sorted: every
 * other entry expires within one slice of now. */
static void expire(MdlWorld *w, MdlDeadline d) {
    MdlTimeouts *q = &w->timeouts;
    MdlThread *t = mdl__deadlines_thread(q, &d);
    uint64_t n = d.expiry; /* this expiry's number */
    g_assert(t->wait.start + n * w->sc->kernel.overtime_wait_ns == mdl__now(w));
    if (n == 1)
        w->stats.overtime_waits++;
    if (expiry_times_out(&w->sc->kernel, n)) {
        t->timeout_armed = FALSE;
        q->armed--;
        sim_thread_unpark(t->sim, MDL_TIMEOUT_STATUS);
        return;
    }
    if (mdl__tracing(w))
        trace_overtime(w, t, n);
    /* 2^32 expiries of one wait would take hours of sweeps first. */
    g_assert(n < UINT32_MAX - 1);
    push(q, t, (uint32_t)n + 1);
}

/* Without a pager timeout, waits left when nothing else is pending can never
 * end: the kernel would warn for ever; the model stops their expiries so the
 * run ends (core/README.md D13). */
static void drop_endless(MdlWorld *w) {
    MdlTimeouts *q = &w->timeouts;
    if (w->sc->kernel.pager_timeout_ns != 0 || sim_engine_get_pending(w->engine) != 0)
        return;
    for (; q->len; pop(q))
        if (!stale(front(q)))
            mdl__deadlines_thread(q, front(q))->timeout_armed = FALSE;
    q->armed = 0;
}

/* Sorts by position from q->base (qsort's context: a static, as the sweep
 * runs one at a time and the test calls build directly). */
static uint32_t build_base;

static int by_position(const void *a, const void *b) {
    uint32_t pa = (*(MdlThread *const *)a)->timeout_pos - build_base;
    uint32_t pb = (*(MdlThread *const *)b)->timeout_pos - build_base;
    return (pa > pb) - (pa < pb);
}

/* Positions are distinct modulo 2^32 while fewer than 2^32 waits were armed
 * since the sweep was scheduled (the base): every armed thread armed after
 * it, as the FIFO has not been idle since. */
void mdl__deadlines_build(MdlTimeouts *q, MdlThread **armed, guint n) {
    g_assert(q->lazy && q->len == 0);
    g_assert(q->next - q->base <= UINT32_MAX);
    build_base = (uint32_t)q->base;
    qsort(armed, n, sizeof *armed, by_position);
    q->lazy = FALSE;
    q->first = 0;
    for (guint i = 0; i < n; i++)
        push(q, armed[i], 1);
}

/* The lazy FIFO's first sweep: every armed thread, from the workloads'
 * blocks and the owned threads ever made (mdl-workload.c), into the ring. */
static void build_from_world(MdlWorld *w) {
    g_autoptr(GPtrArray) armed = g_ptr_array_new();
    for (guint wi = 0; w->threads && wi < w->sc->n_workloads; wi++)
        for (guint i = 0; w->threads[wi] && i < w->sc->workloads[wi].threads; i++)
            if (w->threads[wi][i].timeout_armed)
                g_ptr_array_add(armed, &w->threads[wi][i]);
    for (guint i = 0; w->owned && i < w->owned->len; i++) {
        MdlThread *t = g_ptr_array_index(w->owned, i);
        if (t->timeout_armed)
            g_ptr_array_add(armed, t);
    }
    g_assert(armed->len == w->timeouts.armed);
    mdl__deadlines_build(&w->timeouts, (MdlThread **)armed->pdata, armed->len);
}

static void sweep(SimEngine *engine, gpointer data) {
    MdlWorld *w = data;
    MdlTimeouts *q = &w->timeouts;
    SimTime now = sim_engine_now(engine);
    q->sweep = SIM_HANDLE_NONE;
    if (q->lazy)
        build_from_world(w);
    while (q->len && (stale(front(q)) || deadline(w, front(q)) <= now)) {
        MdlDeadline d = *front(q);
        pop(q);
        if (!stale(&d))
            expire(w, d);
    }
    drop_stale(q);
    drop_endless(w);
    if (q->len)
        q->sweep = sim_engine_schedule(engine, deadline(w, front(q)), sweep, w, NULL);
}

/* The sweep for the front entry, when none is pending. Out of line, as
 * make_room: the arm saves no registers. */
G_NO_INLINE void mdl__timeout_schedule_sweep(MdlWorld *w) {
    MdlTimeouts *q = &w->timeouts;
    q->sweep = sim_engine_schedule(w->engine, deadline(w, front(q)), sweep, w, NULL);
}

/* The first arm of an idle lazy FIFO (mdl-timeout-inline.h): the sweep for
 * its wait, the front entry the push would have made (expiry 1). */
G_NO_INLINE void mdl__timeout_schedule_lazy(MdlThread *t) {
    MdlWorld *w = t->world;
    MdlTimeouts *q = &w->timeouts;
    q->base = q->next;
    if (!q->on) /* overtime_wait 0: waits without slices */
        return;
    q->sweep = sim_engine_schedule(w->engine, t->wait.start + w->sc->kernel.overtime_wait_ns, sweep,
                                   w, NULL);
}

/* No wait is armed any more: the FIFO empties and the sweep goes, so that an
 * idle world has no pending event (invariant 2). */
G_NO_INLINE void mdl__timeout_idle(MdlWorld *w) {
    MdlTimeouts *q = &w->timeouts;
    q->first += q->len;
    q->len = 0;
    if (!sim_handle_is_none(q->sweep))
        sim_engine_cancel(w->engine, q->sweep);
    q->sweep = SIM_HANDLE_NONE;
}

void mdl__wait_begin(MdlThread *t) { mdl__wait_begin_inline(t); }

void mdl__timeout_disarm(MdlThread *t) { mdl__timeout_disarm_inline(t); }

void mdl__wait_end(MdlThread *t) { mdl__wait_end_inline(t); }
