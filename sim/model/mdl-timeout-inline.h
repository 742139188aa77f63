/* The pager timeout's arm and disarm (mdl-timeout.c), inline: every wait of
 * the plain run's fast path (mdl-fast.c) arms and disarms one. The rare parts
 * (a full ring, the sweep's schedule and cancel) stay out of line in
 * mdl-timeout.c, where the FIFO's invariants are. Also the end of a wait on
 * the run's timeline (mdl__timeline_wait_end, mdl-observe.c), inline for the
 * fast path's wake, and the start of an access, before any wait.
 */
#pragma once

#include "sim/model/mdl-private.h"

/* Out of line (mdl-timeout.c): make room in a full ring; schedule the sweep
 * for the front entry; empty the FIFO and cancel the sweep once no wait is
 * armed. */
void mdl__timeout_make_room(MdlTimeouts *q);
void mdl__timeout_schedule_sweep(MdlWorld *w);
void mdl__timeout_idle(MdlWorld *w);
void mdl__timeout_schedule_lazy(MdlThread *t);

G_ALWAYS_INLINE static inline MdlDeadline *mdl__deadlines_slot(MdlTimeouts *q, uint64_t pos) {
    return &q->ring[pos & (q->cap - 1)];
}

/* Appends @t's entry with deadline number @expiry; sets t->timeout_pos. */
G_ALWAYS_INLINE static inline void mdl__deadlines_push_inline(MdlTimeouts *q, MdlThread *t,
                                                              uint32_t expiry) {
    if (G_UNLIKELY(q->len == q->cap))
        mdl__timeout_make_room(q);
    uint64_t pos = q->first + q->len;
    t->timeout_pos = (uint32_t)pos;
    *mdl__deadlines_slot(q, pos) = (MdlDeadline){sim_thread_get_id(t->sim), expiry};
    q->len++;
}

/* The timeout of a wait @t began (t->wait.start is now): armed. Until the
 * first sweep runs (q->lazy), the wait only takes the next position: no entry
 * can expire before then, so none is pushed (mdl__deadlines_build makes them
 * from the armed threads if the sweep ever runs); the first arm of an idle
 * FIFO schedules the sweep, as its push would. Without slices (overtime_wait
 * 0, !q->on) no sweep is scheduled, so the FIFO stays lazy and the arm only
 * counts, one test less for every other run. */
G_ALWAYS_INLINE static inline void mdl__timeout_arm_inline(MdlThread *t) {
    MdlWorld *w = t->world;
    MdlTimeouts *q = &w->timeouts;
    t->timeout_armed = TRUE;
    if (G_LIKELY(q->lazy)) {
        t->timeout_pos = (uint32_t)q->next;
        if (q->armed++ == 0)
            mdl__timeout_schedule_lazy(t);
        q->next++;
        return;
    }
    q->armed++;
    mdl__deadlines_push_inline(q, t, 1);
    if (sim_handle_is_none(q->sweep))
        mdl__timeout_schedule_sweep(w);
}

/* mdl__timeout_disarm: @t's wait ended: its entry goes stale, or, at the
 * front, goes with the stale entries behind it, so that the ring does not
 * grow while the oldest waits end first (stale entries behind a live front
 * are dropped by a full ring's compaction, or the sweep). The last live
 * entry's disarm empties the FIFO (mdl__timeout_idle): no entry to clear.
 * Otherwise a live entry is left, where the front's drop stops. A lazy FIFO
 * has no entry: the disarm only counts. */
G_ALWAYS_INLINE static inline void mdl__timeout_disarm_inline(MdlThread *t) {
    MdlTimeouts *q = &t->world->timeouts;
    if (!t->timeout_armed)
        return;
    t->timeout_armed = FALSE;
    if (--q->armed == 0) {
        mdl__timeout_idle(t->world);
        return;
    }
    if (q->lazy) /* no entry to clear */
        return;
    if (t->timeout_pos != (uint32_t)q->first) {
        mdl__deadlines_slot(q, t->timeout_pos)->thread = MDL_DEADLINE_STALE;
        return;
    }
    do {
        q->first++;
        q->len--;
    } while (mdl__deadlines_slot(q, q->first)->thread == MDL_DEADLINE_STALE);
}

/* @t blocks in Wait (fast_block, block): the wait starts now (@now, the
 * engine's), its timeout is armed and the thread parks until the signal or an
 * interrupt resumes it. */
G_ALWAYS_INLINE static inline void mdl__wait_begin_at_inline(MdlThread *t, SimTime now) {
    t->wait.start = now;
    mdl__timeout_arm_inline(t);
    sim_thread_park(t->sim);
}

/* mdl__wait_begin_at_inline at the engine's now. */
G_ALWAYS_INLINE static inline void mdl__wait_begin_inline(MdlThread *t) {
    mdl__wait_begin_at_inline(t, mdl__now(t->world));
}

/* @t's Wait, if it blocked, is counted with its length (the end of a Wait
 * without its disarm: fast_wake's, which has nothing armed). */
G_ALWAYS_INLINE static inline void mdl__wait_count_inline(MdlThread *t) {
    MdlWorld *w = t->world;
    if (t->wait.start != SIM_TIME_INVALID) {
        w->stats.waits++;
        w->stats.wait_ns += mdl__now(w) - t->wait.start;
        t->wait.start = SIM_TIME_INVALID;
    }
}

/* @t's Wait ended (finish_wait): its timeout is disarmed and the wait, if it
 * blocked, is counted with its length. */
G_ALWAYS_INLINE static inline void mdl__wait_end_inline(MdlThread *t) {
    mdl__timeout_disarm_inline(t);
    mdl__wait_count_inline(t);
}

/* mdl__timeline_wait_end (mdl-observe.c): @t's wait ended (@done: with its
 * access); the timeline stops counting it as waiting. */
G_ALWAYS_INLINE static inline void mdl__timeline_wait_end_inline(MdlThread *t, gboolean done) {
    MdlWorld *w = t->world;
    if (t->tl_waiting) {
        /* t->tl_waiting = FALSE as a store of the whole word: the access's
         * end loads the word (wl_index) just after, and a load that spans a
         * narrower store still in flight waits for it (no store forwarding) */
        MdlThread bit = {.done_word = 0};
        bit.tl_waiting = TRUE;
        t->done_word &= ~bit.done_word;
        rep_timeline_waiting_add(w->tl, mdl__now(w), -1);
    } else if (!done) {
        rep_timeline_wait_unknown(w->tl, mdl__now(w));
    }
}

/* The start every access makes (mdl__access_begin, the fast path's
 * fast_start): its start time, nothing faulted or entered, no wait begun. */
G_ALWAYS_INLINE static inline void mdl__access_start_inline(MdlThread *t) {
    t->acc.start = mdl__now(t->world);
    t->acc.faulted = FALSE;
    t->acc.entered = FALSE;
    t->wait.start = SIM_TIME_INVALID;
}
