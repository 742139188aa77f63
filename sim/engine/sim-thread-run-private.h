/* sim-thread-run-private.h: the inline body of a thread's resumption (its
 * function, then its step) and the free of an exited thread, shared by the
 * run loop (sim-engine.c) and sim-thread.c. Not for use outside sim/engine/. */
#pragma once

#include "sim/engine/sim-thread-private.h"

/* sim__thread_chunk_free: frees id chunk @ci of @e, all of whose ids were
 * given out and all of whose threads exited (out of line: rare). */
void sim__thread_chunk_free(SimEngine *e, guint ci);

/* sim__thread_free_unflagged:
 * sim__thread_free of a thread with no flag set (no latched interrupt to
 * drop). Why inline: every short-lived thread ends here, from the run loop,
 * whose frame it then shares. */
static inline void sim__thread_free_unflagged(SimEngine *e, SimThread *t) {
    GDestroyNotify destroy = e->kinds[t->kind].destroy;
    if (destroy != NULL) /* before the id is released: it may look the thread up */
        destroy(t->data);
    guint ci = t->id / SIM__ID_CHUNK;
    SimIdChunk *c = g_ptr_array_index(e->threads, ci);
    c->slot[t->id % SIM__ID_CHUNK] = 0;
    if (G_UNLIKELY(--c->live == 0 && c->used == SIM__ID_CHUNK))
        sim__thread_chunk_free(e, ci);
    e->live_threads--;
    t->data = e->spare;
    e->spare = t;
}

/* sim__thread_finish_step:
 * Carries out the step @t requested in the call that just returned, with every
 * rule of sim-thread.h (exit, kill, suspend, a sleep past the last time). */
void sim__thread_finish_step(SimEngine *e, SimThread *t);

/* sim__thread_run_inline:
 * Runs the resumption of @t: its function, then its step. Why inline: it is
 * the body of most events, and the run loop inlines it; every step of a
 * thread with no kill or suspend about, but a sleep that ends past the last
 * time, is taken here, as sim__thread_finish_step would take it. */
static inline void sim__thread_run_inline(SimEngine *e, SimThread *t) {
    g_assert(t->state == SIM_THREAD_READY || t->state == SIM_THREAD_SLEEPING);
    t->state = SIM_THREAD_RUNNING;
    t->step = SIM__STEP_NONE;
    e->kinds[t->kind].fn(t, t->status, t->data);
    /* Why the step and the flags as one value: the steps taken here are
     * those of a thread with no flag set, so that one comparison each tests
     * both (the two bytes are adjacent: one load) */
    unsigned step = t->step | (unsigned)t->flags << 8;
    if (step == SIM__STEP_SLEEP && t->arg.duration < SIM_TIME_INVALID - e->now) {
        sim__thread_sleep_step(e, t);
        return;
    }
    if (step == SIM__STEP_PARK) {
        t->step = SIM__STEP_NONE;
        t->state = SIM_THREAD_PARKED;
        return;
    }
    if (step == SIM__STEP_WAIT) {
        t->step = SIM__STEP_NONE;
        sim__wait_queue_append(t->arg.queue, t);
        t->state = SIM_THREAD_WAITING;
        return;
    }
    if (step == SIM__STEP_NONE || step == SIM__STEP_EXIT) {
        sim__thread_free_unflagged(e, t);
        return;
    }
    sim__thread_finish_step(e, t);
}
