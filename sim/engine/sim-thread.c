/* sim-thread.c: simulated threads, their steps, kill and suspend.
 *
 * A thread runs only inside sim__thread_run_inline (sim-thread-run-private.h), the
 * handler of its resumption event: the function records one step, and
 * sim__thread_finish_step carries it out once the function has returned, so
 * the "exactly one step" rule, the forced exit after a kill and the hold after
 * a suspend are decided in one place (the inline fast path only takes the two
 * steps that need none of them, with the same outcome).
 *
 * Invariants:
 * 1. A thread has at most one queued resumption, and has one iff it is READY or
 *    SLEEPING.
 * 2. PARKED iff the thread's last step was a park not yet ended by an unpark or
 *    an interrupt; WAITING iff the thread is linked in arg.queue; SUSPENDED iff
 *    SUSPENDED flag is set and step holds a step.
 * 3. At most one of KILL_PENDING and KILL_DELIVERED is set; neither coexists with
 *    SUSPEND_PENDING; KILL_DELIVERED never coexists with SUSPENDED.
 * 4. step != SIM__STEP_NONE only while RUNNING (requested) or SUSPENDED (held).
 * 5. The id table's slot for id (sim-thread-private.h) holds the thread's
 *    place until it exits, 0 afterwards; a chunk's live counts its non-zero
 *    slots, and a chunk is NULL in the table iff it was filled and emptied.
 * 6. engine->interrupts holds an entry for a thread iff its KILL_PENDING or
 *    SUSPEND_PENDING flag is set: the status to deliver with it. */
#include "sim/engine/sim-thread-run-private.h"

#include <string.h>
#if defined(__linux__)
#include <sys/mman.h> /* madvise: a hint on memory, nothing else (slab_add) */
#endif

G_STATIC_ASSERT(sizeof(gpointer) != 8 || sizeof(SimThread) == 32);

/* The kind of @t, which lives on @e. */
static inline const SimThreadKind *kind_on(const SimEngine *e, const SimThread *t) {
    return &e->kinds[t->kind];
}

static inline const SimThreadKind *kind_of(const SimThread *t) {
    return kind_on(sim__thread_engine(t), t);
}

/* The sequence numbers of 2^47 events are used up: nothing sensible is left. */
G_GNUC_NO_INLINE void sim__thread_seq_exhausted(void) {
    g_error("sim_thread: the event sequence numbers are exhausted");
}

G_GNUC_NO_INLINE void sim__thread_queue_slow(SimEngine *e, SimThread *t) {
    sim__thread_queue(e, e->now, t);
}

/* The handler of every resumption, as a SimEventFn (the run loop inlines it
 * as sim__thread_run_inline). */
void sim__thread_run(SimEngine *engine, gpointer data) { sim__thread_run_inline(engine, data); }

/* The latched interrupts: an entry in engine->interrupts exists for @t iff
 * its flags hold KILL_PENDING or SUSPEND_PENDING (at most one of them). */
static void latch_interrupt(SimThread *t, int32_t status) {
    SimEngine *e = sim__thread_engine(t);
    if (e->interrupts == NULL)
        e->interrupts = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_hash_table_insert(e->interrupts, t, GINT_TO_POINTER(status));
}

/* Removes @t's latched status and returns it. */
static int32_t take_interrupt(SimThread *t) {
    SimEngine *e = sim__thread_engine(t);
    gpointer v = g_hash_table_lookup(e->interrupts, t);
    g_hash_table_remove(e->interrupts, t);
    return GPOINTER_TO_INT(v);
}

/* Why: a delivered kill overrides any suspend, latched or delivered, and drops a
 * held step: the thread's only remaining move is to exit. */
static void deliver_kill(SimThread *t, int32_t status) {
    t->flags &=
        (uint8_t) ~(SIM__THREAD_KILL_PENDING | SIM__THREAD_SUSPEND_PENDING | SIM__THREAD_SUSPENDED);
    t->flags |= SIM__THREAD_KILL_DELIVERED;
    t->step = SIM__STEP_NONE;
    sim__thread_wake(t, status);
}

static void deliver_suspend(SimThread *t, int32_t status) {
    t->flags &= (uint8_t)~SIM__THREAD_SUSPEND_PENDING;
    t->flags |= SIM__THREAD_SUSPENDED;
    sim__thread_wake(t, status);
}

/* Delivers a latched kill, else a latched suspend. Returns TRUE if one was. */
static gboolean deliver_latched(SimThread *t) {
    if (t->flags & SIM__THREAD_KILL_PENDING)
        deliver_kill(t, take_interrupt(t));
    else if (t->flags & SIM__THREAD_SUSPEND_PENDING)
        deliver_suspend(t, take_interrupt(t));
    else
        return FALSE;
    return TRUE;
}

/* Takes @t off whatever it waits on, so that it can be woken by other means. */
static void detach(SimThread *t) {
    if (t->state == SIM_THREAD_WAITING)
        sim__wait_queue_remove(t->arg.queue, t);
}

/* Why: the destroy notify runs before the id is released, so it may still look
 * the thread up (and drop its own references to it). */
void sim__thread_free(SimEngine *e, SimThread *t) {
    if (G_UNLIKELY(t->flags & (SIM__THREAD_KILL_PENDING | SIM__THREAD_SUSPEND_PENDING)))
        take_interrupt(t);
    sim__thread_free_unflagged(e, t);
}

G_GNUC_NO_INLINE void sim__thread_chunk_free(SimEngine *e, guint ci) {
    g_free(g_ptr_array_index(e->threads, ci));
    g_ptr_array_index(e->threads, ci) = NULL;
}

/* Why: with millions of threads, each event resumes a thread at random among
 * them, so with 4 KiB pages nearly every one costs a TLB miss and a page walk
 * before its cache miss (10 million threads: 80,000 pages), and so does the
 * queue's prefetch of it; as one 2 MiB page, a slab costs one TLB entry (10
 * million threads: 153). Only from the second slab on: a run of fewer threads
 * touches only the 4 KiB pages it uses. A hint: nothing but timing and memory
 * layout changes, and without it (other systems) slabs are plain memory.
 * Known cost: a slab freed back to the heap (below glibc's mmap threshold,
 * once it has risen) keeps its hint, so later allocations there may get huge
 * pages too. */
static void slab_hint_huge(gpointer slab) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    (void)madvise(slab, SIM__SLAB_BYTES, MADV_HUGEPAGE);
#else
    (void)slab;
#endif
}

/* Why: a run spawns a thread per arrival (millions) or a million threads at
 * once; taking them from slabs saves a malloc and a free each and the
 * allocator's per-block header, and a freed one is reused first, while it is
 * still in cache. A slab is SIM__SLAB_BYTES aligned to its size, and its first
 * slot holds a header (the engine, the slab's index), so that a thread need
 * not hold the engine (8 bytes less each) and the id table can hold 4-byte
 * places instead of pointers. Its slots are handed to the spare list by
 * slab_refill, SIM__SLAB_BATCH at a time. */
static void slab_add(SimEngine *e) {
    SimThread *slab = g_aligned_alloc(1, SIM__SLAB_BYTES, SIM__SLAB_BYTES);
    G_STATIC_ASSERT(sizeof(SimThread) >= sizeof(SimSlabHeader));
    if (e->slabs == NULL)
        e->slabs = g_ptr_array_new_with_free_func(g_aligned_free);
    else
        slab_hint_huge(slab);
    g_assert(e->slabs->len < G_MAXUINT32 / SIM__SLAB_SLOTS); /* places fit 32 bits */
    *(SimSlabHeader *)(gpointer)slab = (SimSlabHeader){e, e->slabs->len};
    g_ptr_array_add(e->slabs, slab);
    e->fresh = slab + 1;
    e->fresh_end = slab + SIM__SLAB_SLOTS;
}

/* Why a batch at a time: a run of a few threads then touches a page of its
 * slab, not all 2 MiB of it. The spare list, empty here, gets the next
 * fresh slots in address order, as if the whole slab had been listed. */
static G_GNUC_NO_INLINE void slab_refill(SimEngine *e) {
    if (e->fresh == e->fresh_end)
        slab_add(e);
    SimThread *first = e->fresh;
    SimThread *end = first + MIN((gsize)(e->fresh_end - first), SIM__SLAB_BATCH);
    for (SimThread *t = end; t-- > first;) {
        t->data = e->spare;
        e->spare = t;
    }
    e->fresh = end;
}

/* Appends the kind (@fn, @destroy, @prefix), the next with @prefix being @next. */
static uint32_t kind_add(SimEngine *e, SimThreadFn fn, GDestroyNotify destroy, const char *prefix,
                         guint next) {
    if (e->n_kinds == e->kinds_cap) {
        e->kinds_cap = e->kinds_cap ? 2 * e->kinds_cap : 8;
        e->kinds = g_renew(SimThreadKind, e->kinds, e->kinds_cap);
    }
    e->kinds[e->n_kinds++] = (SimThreadKind){fn, destroy, prefix, next};
    g_hash_table_insert(e->kind_chain, (gpointer)prefix, GUINT_TO_POINTER(e->n_kinds));
    return e->n_kinds - 1;
}

/* The kind (body, finalizer, name prefix) of a spawn, added when new: the
 * kinds with the same prefix are searched. */
static G_GNUC_NO_INLINE uint32_t intern_kind_slow(SimEngine *e, const char *name, SimThreadFn fn,
                                                  GDestroyNotify destroy) {
    const SimThreadKind *k = e->kinds;
    if (e->kind_chain == NULL)
        e->kind_chain = g_hash_table_new(g_direct_hash, g_direct_equal);
    const char *prefix = g_intern_string(name);
    guint first = GPOINTER_TO_UINT(g_hash_table_lookup(e->kind_chain, prefix));
    guint i = first;
    while (i != 0 && !(k[i - 1].fn == fn && k[i - 1].destroy == destroy))
        i = k[i - 1].next;
    e->last_kind = i != 0 ? i - 1 : kind_add(e, fn, destroy, prefix, first);
    e->last_name = name;
    return e->last_kind;
}

/* The kind of a spawn. Why: spawns come in runs of one kind (a workload's
 * threads, its arrivals), so the last one is compared first: by the name's
 * pointer (the string is not read), else by its text, without
 * g_intern_string's lock and hash. */
static inline uint32_t intern_kind(SimEngine *e, const char *name, SimThreadFn fn,
                                   GDestroyNotify destroy) {
    if (G_UNLIKELY(e->n_kinds == 0))
        return intern_kind_slow(e, name, fn, destroy);
    const SimThreadKind *k = &e->kinds[e->last_kind];
    if (G_LIKELY(k->fn == fn && k->destroy == destroy)) {
        if (G_LIKELY(name == e->last_name))
            return e->last_kind;
        if (strcmp(k->prefix, name) == 0) {
            e->last_name = name;
            return e->last_kind;
        }
    }
    return intern_kind_slow(e, name, fn, destroy);
}

static void do_step(SimEngine *e, SimThread *t, uint8_t step) {
    t->step = SIM__STEP_NONE;
    if (step == SIM__STEP_SLEEP && t->arg.duration >= SIM_TIME_INVALID - e->now) {
        g_critical("sim_thread_sleep: a sleep of %" G_GUINT64_FORMAT " ns from %" G_GUINT64_FORMAT
                   " ns ends beyond the last time: the thread exits",
                   t->arg.duration, e->now);
        step = SIM__STEP_EXIT;
    }
    switch (step) {
        case SIM__STEP_SLEEP:
            sim__thread_sleep_step(e, t);
            break;
        case SIM__STEP_PARK:
            if (!deliver_latched(t))
                t->state = SIM_THREAD_PARKED;
            break;
        case SIM__STEP_WAIT:
            if (!deliver_latched(t)) {
                sim__wait_queue_append(t->arg.queue, t);
                t->state = SIM_THREAD_WAITING;
            }
            break;
        default:
            sim__thread_free(e, t);
            break;
    }
}

/* Why: a function that returns without a request has finished, so it exits; a
 * killed thread may only exit; a suspended one parks its step until resumed,
 * unless a kill arrived meanwhile. Why out of line: inlined in the run loop
 * (LTO), its loads of the step and the flags were made on every event, ahead
 * of the inline steps' test, though only the rare steps come here. */
G_GNUC_NO_INLINE void sim__thread_finish_step(SimEngine *e, SimThread *t) {
    uint8_t step = t->step;
    if (step == SIM__STEP_NONE || (t->flags & SIM__THREAD_KILL_DELIVERED))
        step = SIM__STEP_EXIT;
    if (t->flags & SIM__THREAD_SUSPENDED) {
        if (t->flags & SIM__THREAD_KILL_PENDING) {
            deliver_kill(t, take_interrupt(t));
            return;
        }
        t->step = step;
        t->state = SIM_THREAD_SUSPENDED;
        return;
    }
    do_step(e, t, step);
}

/* The refused spawn (a NULL argument, or no id left): finalizes @data. */
static G_GNUC_NO_INLINE SimThread *spawn_refused(SimEngine *engine, SimThreadFn fn, gpointer data,
                                                 GDestroyNotify destroy) {
    if (destroy != NULL)
        destroy(data);
    g_return_val_if_fail(engine != NULL && fn != NULL, NULL);
    g_return_val_if_fail(engine->next_id != SIM__THREAD_NONE, NULL);
    return NULL;
}

/* Spawns a thread of kind @kind with @data: a spare struct and room in the
 * last id chunk are at hand, and the next id is valid. */
static inline SimThread *spawn_with(SimEngine *e, uint32_t kind, gpointer data) {
    SimThread *t = e->spare;
    SimIdChunk *c = e->id_chunk;
    e->spare = t->data;
    /* every field but arg (read only after a step sets it); state and status
     * are the wake's */
    t->data = data;
    t->id = e->next_id++;
    t->kind = kind;
    t->step = SIM__STEP_NONE;
    t->flags = 0;
    c->slot[c->used++] = sim__thread_place(t);
    c->live++;
    e->live_threads++;
    sim__thread_wake_on(e, t, 0);
    return t;
}

/* The spawn that needs more than spawn_with: a check, a slab, a kind other
 * than the last one's, or a new id chunk. */
static G_GNUC_NO_INLINE SimThread *spawn_slow(SimEngine *engine, const char *name, SimThreadFn fn,
                                              gpointer data, GDestroyNotify destroy) {
    if (G_UNLIKELY(engine == NULL || fn == NULL || engine->next_id == SIM__THREAD_NONE))
        return spawn_refused(engine, fn, data, destroy);
    if (G_UNLIKELY(engine->spare == NULL))
        slab_refill(engine);
    uint32_t kind = intern_kind(engine, name != NULL ? name : "thread", fn, destroy);
    if (engine->next_id % SIM__ID_CHUNK == 0) {
        engine->id_chunk = g_new0(SimIdChunk, 1);
        g_ptr_array_add(engine->threads, engine->id_chunk);
    }
    return spawn_with(engine, kind, data);
}

/* Why two paths: an open workload spawns a thread per arrival, all of one
 * kind and name, so the common spawn (the last kind, by the name's pointer;
 * a struct and an id slot at hand) is checked in one test and makes no call
 * but the wake's rare one, so that it needs no stack frame. */
SimThread *sim_thread_spawn(SimEngine *engine, const char *name, SimThreadFn fn, gpointer data,
                            GDestroyNotify destroy) {
    if (G_LIKELY(engine != NULL && name != NULL && name == engine->last_name &&
                 engine->spare != NULL && engine->next_id % SIM__ID_CHUNK != 0 &&
                 engine->next_id != SIM__THREAD_NONE)) {
        const SimThreadKind *k = &engine->kinds[engine->last_kind];
        if (G_LIKELY(k->fn == fn && k->destroy == destroy))
            return spawn_with(engine, engine->last_kind, data);
    }
    return spawn_slow(engine, name, fn, data, destroy);
}

/* Checks the calling context of a step request. */
static gboolean can_request(const SimThread *t) {
    return t->state == SIM_THREAD_RUNNING && t->step == SIM__STEP_NONE;
}

void sim_thread_sleep(SimThread *thread, SimTime duration) {
    g_return_if_fail(thread != NULL && can_request(thread));
    /* a duration past the last time is refused when the step is carried out
     * (do_step), where the engine is at hand */
    thread->arg.duration = duration;
    thread->step = SIM__STEP_SLEEP;
}

void sim_thread_park(SimThread *thread) {
    g_return_if_fail(thread != NULL && can_request(thread));
    thread->step = SIM__STEP_PARK;
}

gboolean sim_thread_unpark(SimThread *thread, int32_t status) {
    g_return_val_if_fail(thread != NULL, FALSE);
    if (thread->state != SIM_THREAD_PARKED)
        return FALSE;
    sim__thread_wake(thread, status);
    return TRUE;
}

void sim_thread_wait_queue(SimThread *thread, SimWaitQueue *queue) {
    g_return_if_fail(thread != NULL && can_request(thread));
    g_return_if_fail(queue != NULL);
    thread->arg.queue = queue;
    thread->step = SIM__STEP_WAIT;
}

void sim_thread_exit(SimThread *thread) {
    g_return_if_fail(thread != NULL && can_request(thread));
    thread->step = SIM__STEP_EXIT;
}

/* Why: only a thread parked on a wait object (or held by a suspend) can be
 * woken early; one that is running, ready or sleeping keeps the kill for its
 * next real wait, as Zircon delivers it at the next interruptible block. */
void sim_thread_kill(SimThread *thread, int32_t status) {
    g_return_if_fail(thread != NULL);
    if (thread->flags & (SIM__THREAD_KILL_PENDING | SIM__THREAD_KILL_DELIVERED))
        return;
    if (thread->state == SIM_THREAD_PARKED || thread->state == SIM_THREAD_WAITING ||
        thread->state == SIM_THREAD_SUSPENDED) {
        detach(thread);
        deliver_kill(thread, status);
        return;
    }
    latch_interrupt(thread, status); /* replaces a latched suspend's */
    thread->flags &= (uint8_t)~SIM__THREAD_SUSPEND_PENDING;
    thread->flags |= SIM__THREAD_KILL_PENDING;
}

void sim_thread_suspend(SimThread *thread, int32_t status) {
    g_return_if_fail(thread != NULL);
    if (thread->flags & (SIM__THREAD_KILL_PENDING | SIM__THREAD_KILL_DELIVERED |
                         SIM__THREAD_SUSPEND_PENDING | SIM__THREAD_SUSPENDED))
        return;
    if (thread->state == SIM_THREAD_PARKED || thread->state == SIM_THREAD_WAITING) {
        detach(thread);
        deliver_suspend(thread, status);
        return;
    }
    latch_interrupt(thread, status);
    thread->flags |= SIM__THREAD_SUSPEND_PENDING;
}

/* Why: a held step starts at the resume time, so a sleep held across a suspend
 * lasts its full duration after the resume. */
void sim_thread_resume(SimThread *thread) {
    g_return_if_fail(thread != NULL);
    if (thread->flags & SIM__THREAD_SUSPEND_PENDING) {
        take_interrupt(thread);
        thread->flags &= (uint8_t)~SIM__THREAD_SUSPEND_PENDING;
        return;
    }
    if (!(thread->flags & SIM__THREAD_SUSPENDED))
        return;
    thread->flags &= (uint8_t)~SIM__THREAD_SUSPENDED;
    if (thread->state == SIM_THREAD_SUSPENDED)
        do_step(sim__thread_engine(thread), thread, thread->step);
}

uint32_t sim_thread_get_id(const SimThread *thread) {
    g_return_val_if_fail(thread != NULL, 0);
    return thread->id;
}

const char *sim_thread_get_name_prefix(const SimThread *thread) {
    g_return_val_if_fail(thread != NULL, NULL);
    return kind_of(thread)->prefix;
}

char *sim_thread_dup_name(const SimThread *thread) {
    g_return_val_if_fail(thread != NULL, NULL);
    return g_strdup_printf("%s-%" G_GUINT32_FORMAT, kind_of(thread)->prefix, thread->id);
}

gpointer sim_thread_get_data(const SimThread *thread) {
    g_return_val_if_fail(thread != NULL, NULL);
    return thread->data;
}

SimEngine *sim_thread_get_engine(const SimThread *thread) {
    g_return_val_if_fail(thread != NULL, NULL);
    return sim__thread_engine(thread);
}

SimThreadState sim_thread_get_state(const SimThread *thread) {
    g_return_val_if_fail(thread != NULL, SIM_THREAD_READY);
    return (SimThreadState)thread->state;
}

gboolean sim_thread_is_killed(const SimThread *thread) {
    g_return_val_if_fail(thread != NULL, FALSE);
    return (thread->flags & (SIM__THREAD_KILL_PENDING | SIM__THREAD_KILL_DELIVERED)) != 0;
}

gboolean sim_thread_is_suspended(const SimThread *thread) {
    g_return_val_if_fail(thread != NULL, FALSE);
    return (thread->flags & SIM__THREAD_SUSPENDED) != 0;
}

SimThread *sim_thread_lookup(SimEngine *engine, uint32_t id) {
    g_return_val_if_fail(engine != NULL, NULL);
    if (id / SIM__ID_CHUNK >= engine->threads->len)
        return NULL;
    const SimIdChunk *c = g_ptr_array_index(engine->threads, id / SIM__ID_CHUNK);
    if (c == NULL || id % SIM__ID_CHUNK >= c->used || c->slot[id % SIM__ID_CHUNK] == 0)
        return NULL;
    return sim__thread_at(engine, c->slot[id % SIM__ID_CHUNK]);
}

guint sim_thread_get_live_count(const SimEngine *engine) {
    g_return_val_if_fail(engine != NULL, 0);
    return engine->live_threads;
}

const char *sim_thread_state_to_string(SimThreadState state) {
    static const char *const names[SIM_THREAD_STATE_COUNT] = {
        [SIM_THREAD_READY] = "ready",       [SIM_THREAD_RUNNING] = "running",
        [SIM_THREAD_SLEEPING] = "sleeping", [SIM_THREAD_PARKED] = "parked",
        [SIM_THREAD_WAITING] = "waiting",   [SIM_THREAD_SUSPENDED] = "suspended",
    };
    g_return_val_if_fail(state < SIM_THREAD_STATE_COUNT, "invalid");
    return names[state];
}

void sim__thread_free_all(SimEngine *engine) {
    for (guint i = 0; i < engine->threads->len; i++) {
        for (guint j = 0; j < SIM__ID_CHUNK; j++) {
            SimIdChunk *c = g_ptr_array_index(engine->threads, i);
            if (c == NULL || j >= c->used) /* freed by its last thread_free, or done */
                break;
            if (c->slot[j] == 0)
                continue;
            SimThread *t = sim__thread_at(engine, c->slot[j]);
            detach(t);
            sim__thread_free(engine, t);
        }
        g_clear_pointer(&g_ptr_array_index(engine->threads, i), g_free);
    }
}
