/* Workloads: the simulated threads that make accesses, and when.
 *
 * - closed: each thread loops think -> access, from the workload's start;
 * - open: an arrival process spawns a short-lived thread per arrival, which
 *   makes one access and exits;
 * - explicit: named threads make listed accesses, each at its time or when the
 *   thread's previous access ends, whichever is later.
 * Random draws come from per-thread streams (closed) or per-workload streams
 * (arrivals, shared cursors), named after the workload, so a change elsewhere in
 * the scenario or in the batching policy does not move them.
 *
 * Invariants:
 *  1. a thread's phase says what its next resumption does (mdl-private.h);
 *  2. threads of closed and explicit workloads are owned by the world and
 *     outlive their simulated thread; arrival threads are freed with theirs.
 */
#include "sim/model/mdl-private.h"
#include "sim/model/mdl-replay.h"

#include <math.h>
#include <string.h>

static void pick_next(MdlThread *t, uint64_t done, guint wi);
static void release(MdlThread *t);
G_ALWAYS_INLINE static inline void release_slot(MdlThread *t);

/* The end of an owned thread (an arrival's or a replayed access's), which
 * makes no further access: it exits, or, an arrival's thread of a plain run
 * (w->fast), it parks idle on the spare stack, its simulated thread kept for
 * the next arrival (arrival_spawn unparks it where it would spawn one: the
 * same event at the same place in the now-FIFO, without a spawn and an exit).
 * What thread_exited would do is done here, at the same point of the run. A
 * plain run has no delayed wake that could find the idle thread, and no
 * action names an arrival's thread. */
static void end_owned(MdlThread *t) {
    /* (mdl__thread_step_plain steps a plain run where no thread is killed) */
    MdlWorld *w = t->world;
    if (w->thread_step != mdl__thread_step_plain && (!w->fast || sim_thread_is_killed(t->sim))) {
        t->phase = MDL_PH_NEXT;
        sim_thread_exit(t->sim);
        return;
    }
    /* release() but for the request, which the access's end destroyed, and
     * the name: a plain run has no trace, so no thread has a name. Phase
     * NEXT is not stored first: nothing reads it before IDLE, and release_slot
     * loads the word the phase byte is part of (see mdl__thread_finish_access) */
    release_slot(t);
    t->phase = MDL_PH_IDLE;
    sim_thread_park(t->sim);
}

/* The "done" line of @t's access. Out of line: traced runs only. */
G_NO_INLINE static void trace_done(MdlThread *t, CoreStatus status, SimTime latency) {
    MdlWorld *w = t->world;
    rep_trace_begin(w->trace, mdl__now(w), REP_EV_DONE);
    rep_trace_str(w->trace, REP_KEY_THREAD, mdl__thread_name(t));
    rep_trace_str(w->trace, REP_KEY_KIND, scn_access_kind_to_string(t->acc.kind));
    rep_trace_str(w->trace, REP_KEY_STATUS, core_status_to_string(status));
    rep_trace_u64(w->trace, REP_KEY_LATENCY_NS, latency);
    rep_trace_u64(w->trace, REP_KEY_FAULT, t->acc.faulted);
    rep_trace_end(w->trace);
}

void mdl__thread_finish_access(MdlThread *t, CoreStatus status) {
    MdlWorld *w = t->world;
    SimTime now = mdl__now(w), latency = now - t->acc.start;
    core_page_request_destroy(&t->acc.req);
    mdl__check(w, t->acc.vmo);
    mdl__figures_record_access(t, status, latency, now);
    if (w->tl) {
        if (t->tl_waiting) /* else mdl__timeline_wait_end(t, TRUE) does nothing */
            mdl__timeline_wait_end(t, TRUE);
        if (t->acc.faulted)
            rep_timeline_fault_done(w->tl, now, latency, status != CORE_OK);
    }
    if (mdl__tracing(w))
        trace_done(t, status, latency);
    if (status == CORE_ERR_INTERNAL_INTR_KILLED) {
        t->done++;
        sim_thread_exit(t->sim);
        return;
    }
    /* next_access, with done counted only for the threads that go on (the
     * threads that read it: an arrival's or a replayed access's exits). Why
     * phase NEXT is stored after the loads of its word (owned_by_sim, done,
     * wl_index): a load of the whole word just after a store of its phase
     * byte waits for the store to be written (no store forwarding). */
    if (t->owned_by_sim) {
        end_owned(t); /* phase NEXT, or IDLE */
        return;
    }
    if (sim_thread_is_killed(t->sim)) {
        t->phase = MDL_PH_NEXT;
        sim_thread_exit(t->sim);
        return;
    }
    t->done_word++; /* t->done++, one add */
    uint64_t done = t->done;
    guint wi = t->wl_index;
    t->phase = MDL_PH_NEXT;
    pick_next(t, done, wi);
}

/* Starts the access in t->acc after @delay (0: at once). */
static void begin_after(MdlThread *t, SimTime delay) {
    if (delay == 0) {
        mdl__access_begin(t);
        return;
    }
    t->phase = MDL_PH_BEGIN;
    sim_thread_sleep(t->sim, delay);
}

/* A closed thread's own random stream ("workload:NAME/INDEX"), used only for
 * think times: a per-thread pattern is sequential or strided (scn validates)
 * and draws nothing. A constant think time draws nothing either, so then no
 * stream is kept at all (32 bytes less per thread: a million blocked threads)
 * and sim_dist_sample gets a stand-in it never reads. */
static SimRng *thread_rng(MdlThread *t) {
    static SimRng unused;
    SimRng *rngs = t->world->thread_rng[t->wl_index];
    return rngs ? &rngs[t->index] : &unused;
}

/* The think time before a closed thread's next access (not its first): the
 * workload's constant one, which draws nothing, or a draw. */
static inline SimTime think_time(MdlThread *t, guint wi) {
    SimTime c = t->world->think_ns[wi];
    return c != SIM_TIME_INVALID ? c : sim_dist_sample(&t->world->think[wi], thread_rng(t));
}

/* Inline in mdl__thread_finish_access (@done: t->done, @wi: t->wl_index). */
G_ALWAYS_INLINE static inline void next_closed(MdlThread *t, uint64_t done, guint wi) {
    MdlWorld *w = t->world;
    const ScnWorkload *wl = &w->sc->workloads[wi];
    if (wl->access_limit && done >= wl->access_limit) {
        sim_thread_exit(t->sim);
        return;
    }
    SimTime delay = done == 0 ? wl->start_ns : think_time(t, wi);
    /* A closed loop never starts two accesses at the same instant: with no think
     * time, accesses that hit resident pages would otherwise spin forever without
     * simulated time moving. */
    if (done > 0 && delay == 0 && t->acc.start == mdl__now(w))
        delay = 1;
    /* kind, VMO and length: the workload's, set once by start_closed */
    if (wl->pattern.per_thread) /* the workload's shared walker gives the shape */
        t->acc.offset = mdl_walker_next(&t->walk, &w->shared[wi], wl, t->index, wl->threads);
    else
        t->acc.offset = mdl_pattern_next(&w->shared[wi], &w->wl_rng[wi]);
    begin_after(t, delay);
}

G_NO_INLINE static void next_explicit(MdlThread *t) {
    MdlWorld *w = t->world;
    const ScnWorkload *wl = mdl__thread_wl(t);
    while (t->next_explicit < wl->n_accesses && wl->accesses[t->next_explicit].thread != t->index)
        t->next_explicit++;
    if (t->next_explicit >= wl->n_accesses) {
        sim_thread_exit(t->sim);
        return;
    }
    const ScnAccess *a = &wl->accesses[t->next_explicit++];
    SimTime now = mdl__now(w);
    t->acc.kind = a->access;
    t->acc.vmo = &w->vmos[a->vmo];
    t->acc.offset = a->offset;
    t->acc.pages = a->pages;
    begin_after(t, a->at_ns > now ? a->at_ns - now : 0);
}

/* Out of line: only closed threads take next_access's hot path. */
G_NO_INLINE static void replay_next(MdlThread *t) { mdl__replay_next(t); }

/* The next access of a thread that goes on, by the kind of its workload:
 * a closed thread's inline (mdl__thread_finish_access, next_access). @done
 * and @wi are t->done and t->wl_index, read by the caller before its store of
 * the phase byte of their word (see mdl__thread_finish_access). */
G_ALWAYS_INLINE static inline void pick_next(MdlThread *t, uint64_t done, guint wi) {
    const ScnWorkload *wl = &t->world->sc->workloads[wi];
    if (G_LIKELY(wl->kind == SCN_WORKLOAD_CLOSED))
        next_closed(t, done, wi);
    else if (wl->kind == SCN_WORKLOAD_TRACE)
        replay_next(t);
    else
        next_explicit(t);
}

/* Picks the thread's next access and requests the step that starts it, or exits.
 * A killed thread does not start another access. */
static void next_access(MdlThread *t) {
    uint64_t done = t->done;
    guint wi = t->wl_index;
    t->phase = MDL_PH_NEXT;
    if (sim_thread_is_killed(t->sim) || t->owned_by_sim) {
        sim_thread_exit(t->sim);
        return;
    }
    pick_next(t, done, wi);
}

/* Out of line: mdl__thread_step_fast's fallback stays a jump. */
G_NO_INLINE void mdl__thread_step(SimThread *st, int32_t status, gpointer data) {
    MdlThread *t = data;
    switch (t->phase) {
        case MDL_PH_NEXT:
            next_access(t);
            break;
        case MDL_PH_BEGIN:
            /* A thread killed while it waited to start (think time, or a start
             * held by a suspend) does not start the access (see next_access). */
            if (sim_thread_is_killed(st))
                sim_thread_exit(st);
            else
                mdl__access_begin(t);
            break;
        default:
            mdl__access_resume(t, status);
            break;
    }
}

/* An owned thread (owned_by_sim) is done: out of flight, and onto the spare
 * stack, kept for reuse by the next arrival (fewer allocations). */
G_ALWAYS_INLINE static inline void release_slot(MdlThread *t) {
    MdlWorld *w = t->world;
    MdlArrivals *a = &w->arrivals[t->wl_index];
    if (a->world != NULL) /* an open workload's (its arrivals are set up), not a replay's */
        a->in_flight--;
    if (G_UNLIKELY(w->n_spare == w->spare_cap)) {
        w->spare_cap = MAX(2 * w->spare_cap, 16u);
        w->spare = g_renew(MdlThread *, w->spare, w->spare_cap);
        mdl__providers_spares_grew(w, w->spare_cap);
    }
    w->spare[w->n_spare++] = t;
}

static void release(MdlThread *t) {
    /* Its tl_waiting is cleared with the rest: if it was counted as
     * waiting it stays counted (rep-timeline-direct.h). */
    core_page_request_destroy(&t->acc.req);
    g_clear_pointer(&t->name, g_free);
    release_slot(t);
}

static void thread_exited(gpointer data) {
    MdlThread *t = data;
    gboolean idle = t->phase == MDL_PH_IDLE; /* on the spare stack already (end_owned) */
    t->sim = NULL;
    if (t->owned_by_sim && !idle)
        release(t);
}

/* Sets up @t (zeroed) as thread @index of workload @wi, named @name (transfer full;
 * only for threads owned by their simulated thread: NULL for the others). */
static void thread_init(MdlThread *t, MdlWorld *w, guint wi, guint index, char *name) {
    t->world = w;
    t->wl_index = wi & (MDL_MAX_WORKLOADS - 1); /* fits: build() */
    t->index = index;
    t->name = name;
}

G_STATIC_ASSERT(G_STRUCT_OFFSET(MdlThread, acc.req) + sizeof(CorePageRequest) ==
                    G_STRUCT_OFFSET(MdlThread, wait) &&
                G_STRUCT_OFFSET(MdlThread, wait) + sizeof(MdlWait) == sizeof(MdlThread));

/* An arrival's thread: a recycled one when there is one, else a new one.
 * Out of line: arrival_thread reuses the spare on top in plain runs. */
G_NO_INLINE static MdlThread *thread_new(MdlWorld *w, guint wi, guint index, char *name) {
    MdlThread *t;
    if (w->n_spare) {
        t = w->spare[--w->n_spare];
        SimThread *idle = t->sim; /* parked for reuse (end_owned), or NULL */
        /* All but the request, which release() destroyed (magic 0, as a
         * zeroed one) and the access constructs again: sizeof(CorePageRequest)
         * bytes less to clear per arrival. The request ends the access, and
         * the Wait is the one field after it (asserted above). */
        memset(t, 0, G_STRUCT_OFFSET(MdlThread, acc.req));
        t->wait = (MdlWait){0};
        t->sim = idle;
        if (w->wake_timers) /* a reused thread has no pending wake, as a new one */
            g_hash_table_remove(w->wake_timers, t);
    } else {
        t = g_new0(MdlThread, 1);
        if (!w->owned)
            w->owned = g_ptr_array_new();
        g_ptr_array_add(w->owned, t);
    }
    thread_init(t, w, wi, index, name);
    return t;
}

/* Starts @t's simulated thread: a new one, or @t's idle one (end_owned)
 * woken, which queues its first step as a spawn does. */
static void spawn(MdlThread *t, const char *prefix) {
    if (t->sim != NULL) {
        sim_thread_unpark(t->sim, CORE_OK);
        return;
    }
    t->sim = sim_thread_spawn(t->world->engine, prefix, t->world->thread_step, t, thread_exited);
}

/* A thread for the one access @acc, now (trace replay as recorded). */
void mdl__spawn_access(MdlWorld *w, const ScnWorkload *wl, char *name, const MdlAccessArgs *acc) {
    MdlThread *t = thread_new(w, (guint)(wl - w->sc->workloads), 0, name);
    t->owned_by_sim = TRUE;
    mdl__access_set(&t->acc, acc);
    t->phase = MDL_PH_BEGIN;
    spawn(t, wl->name);
}

/* An arrival beyond the workload's max_in_flight: no thread; its offset is
 * drawn all the same, so later arrivals go where they would have gone. Out
 * of line, with its trace line: arrival() saves fewer registers. */
G_NO_INLINE static void arrival_drop(MdlArrivals *a, const ScnWorkload *wl) {
    MdlWorld *w = a->world;
    (void)mdl_pattern_next(&w->shared[a->wl], &w->wl_rng[a->wl]);
    w->stats.arrivals_dropped++;
    if (mdl__tracing(w)) {
        rep_trace_begin(w->trace, mdl__now(w), REP_EV_DROPPED);
        rep_trace_str(w->trace, REP_KEY_WORKLOAD, wl->name);
        rep_trace_u64(w->trace, REP_KEY_IN_FLIGHT, a->in_flight);
        rep_trace_end(w->trace);
    }
}

/* An arrival's thread, in phase BEGIN: the spare on top when it served this
 * workload, where what thread_new would set again is still set (world, index
 * 0, workload, owned_by_sim, the access's kind, VMO and length; the rest is
 * set when the access begins) and the finished access may have left
 * tl_waiting (and done, if it was killed); else thread_new's. The same
 * thread either way (no delayed wake to forget when there are none). */
static MdlThread *arrival_thread(MdlArrivals *a, const ScnWorkload *wl, char *name) {
    MdlWorld *w = a->world;
    MdlThread *t;
    if (w->n_spare && (t = w->spare[w->n_spare - 1])->wl_index == a->wl && w->wake_timers == NULL) {
        w->n_spare--;
        /* done 0, tl_waiting and timeout_armed FALSE (as a new one: every
         * Wait disarmed already), wl_index kept (this workload's), owned_by_sim
         * set, which is what it was (only owned threads reach the spare stack:
         * release_slot's callers), and phase BEGIN:
         * one store of the whole word, where clearing its bit-fields took
         * three read-modify-writes of parts of it (two constant words: a
         * thread built from a runtime value is built on the stack) */
        MdlThread keep = {.done_word = 0}, set = {.done_word = 0};
        keep.wl_index = MDL_MAX_WORKLOADS - 1;
        set.owned_by_sim = TRUE;
        set.phase = MDL_PH_BEGIN;
        t->done_word = (t->done_word & keep.done_word) | set.done_word;
        t->name = name;
        return t;
    }
    t = thread_new(w, a->wl, 0, name);
    t->owned_by_sim = TRUE;
    t->acc.kind = wl->access;
    t->acc.vmo = &w->vmos[wl->vmo];
    t->acc.pages = wl->pages;
    t->phase = MDL_PH_BEGIN;
    return t;
}

/* An arrival's thread, for one access whose offset is drawn now, in arrival
 * order, so that it does not depend on the policy. */
static void arrival_spawn(MdlArrivals *a, const ScnWorkload *wl) {
    MdlWorld *w = a->world;
    a->in_flight++;
    char *name = mdl__tracing(w) ? mdl__name_numbered(wl->name, '#', a->count) : NULL;
    MdlThread *t = arrival_thread(a, wl, name);
    t->acc.offset = mdl_pattern_next(a->pattern, a->pattern_rng); /* (phase: BEGIN) */
    spawn(t, wl->name);
}

/* llround(@x) for 0 <= @x < 2^63, without the library call (every arrival
 * of a Poisson workload rounds its gap): @x minus its integer part is exact
 * in binary floating point, so halves round up, away from zero, as llround
 * rounds them. Below 2^63 (every gap of a rate above one per eight years) the
 * conversions are the signed ones, one instruction each, where the unsigned
 * ones test and branch; the same values. */
static inline uint64_t round_ns(double x) {
    if (G_LIKELY(x < 9223372036854775808.0)) { /* 2^63 */
        int64_t r = (int64_t)x;
        return (uint64_t)r + (x - (double)r >= 0.5);
    }
    uint64_t r = (uint64_t)x;
    return r + (x - (double)r >= 0.5);
}

/* One arrival: its thread, or its drop. */
G_ALWAYS_INLINE static inline void arrival_one(MdlArrivals *a, const ScnWorkload *wl) {
    if (G_UNLIKELY(a->in_flight >= wl->max_in_flight))
        arrival_drop(a, wl);
    else
        arrival_spawn(a, wl);
}

/* The workload's last arrival, which schedules none. Out of line: once a run. */
G_NO_INLINE static void arrival_last(MdlArrivals *a, const ScnWorkload *wl) { arrival_one(a, wl); }

/* One arrival of an open workload, and the next one scheduled. The gap
 * first (the stream of gaps has no other use, so its draw may come before
 * the spawn's): its chain of multiply, divide and rounding runs while the
 * thread is spawned, where after it the schedule waited for it. */
static void arrival(SimEngine *engine, gpointer data) {
    MdlArrivals *a = data;
    const ScnWorkload *wl = a->scn;
    a->count++;
    if (G_UNLIKELY(wl->count && a->count >= wl->count)) {
        arrival_last(a, wl);
        return;
    }
    SimTime gap = wl->every_ns;
    if (wl->arrival == SCN_ARRIVAL_POISSON)
        gap = round_ns(-sim_batch_next(a->gaps) * 1e9 / wl->rate_per_s); /* log(u) */
    arrival_one(a, wl);
    sim_engine_schedule_in(engine, gap, arrival, a, NULL);
}

/* Closed and explicit threads live in one block per workload, owned by the
 * world; names are only made when there is a trace to write them to. */
static void start_closed(MdlWorld *w, guint wi) {
    const ScnWorkload *wl = &w->sc->workloads[wi];
    w->threads[wi] = g_new0(MdlThread, wl->threads);
    g_autofree char *prefix = g_strdup_printf("workload:%s/", wl->name);
    uint64_t prefix_hash = sim_rng_hash_name(prefix);
    if (!w->thread_rng)
        w->thread_rng = g_new0(SimRng *, w->sc->n_workloads);
    if (!w->think_ns)
        w->think_ns = g_new0(SimTime, w->sc->n_workloads);
    w->think_ns[wi] = SIM_TIME_INVALID;
    if (w->think[wi].kind != SIM_DIST_CONSTANT)
        w->thread_rng[wi] = g_new(SimRng, wl->threads);
    else /* a constant draws nothing: sim_dist_sample's value, once */
        w->think_ns[wi] = sim_dist_sample(&w->think[wi], &(SimRng){0});
    for (guint i = 0; i < wl->threads; i++) {
        MdlThread *t = &w->threads[wi][i];
        thread_init(t, w, wi, i, NULL); /* named by mdl__thread_name */
        /* The stream "workload:NAME/INDEX", without formatting 100,000 names. */
        if (w->thread_rng[wi])
            sim_rng_init_numbered(&w->thread_rng[wi][i], w->sc->seed, prefix_hash, i);
        if (wl->pattern.per_thread) /* sequential or strided (scn validates) */
            mdl_walker_init(&t->walk, wl, i, wl->threads);
        t->acc.kind = wl->access; /* every access of the thread: next_closed */
        t->acc.vmo = &w->vmos[wl->vmo];
        t->acc.pages = wl->pages;
        t->phase = MDL_PH_NEXT;
        spawn(t, wl->name);
    }
}

static void start_explicit(MdlWorld *w, guint wi) {
    const ScnWorkload *wl = &w->sc->workloads[wi];
    w->threads[wi] = g_new0(MdlThread, wl->threads);
    for (guint i = 0; i < wl->threads; i++) {
        MdlThread *t = &w->threads[wi][i];
        thread_init(t, w, wi, i, NULL); /* named by mdl__thread_name */
        t->phase = MDL_PH_NEXT;
        spawn(t, wl->thread_names[i]);
    }
}

void mdl__workloads_start(MdlWorld *w) {
    mdl__access_init(w);
    for (guint wi = 0; wi < w->sc->n_workloads; wi++) {
        const ScnWorkload *wl = &w->sc->workloads[wi];
        g_autofree char *stream = g_strdup_printf("workload:%s", wl->name);
        sim_rng_init(&w->wl_rng[wi], w->sc->seed, stream);
        if (wl->kind == SCN_WORKLOAD_CLOSED || wl->kind == SCN_WORKLOAD_OPEN)
            mdl_pattern_init(&w->shared[wi], wl, 0, 1);
        if (wl->kind == SCN_WORKLOAD_TRACE)
            mdl__replay_start(w, wi);
        if (wl->kind == SCN_WORKLOAD_CLOSED) {
            start_closed(w, wi);
        } else if (wl->kind == SCN_WORKLOAD_EXPLICIT ||
                   (wl->kind == SCN_WORKLOAD_TRACE && wl->trace_mode == SCN_TRACE_CLOSED)) {
            start_explicit(w, wi);
        } else if (wl->kind == SCN_WORKLOAD_OPEN) {
            MdlArrivals *a = &w->arrivals[wi];
            g_autofree char *astream = g_strdup_printf("workload:%s/arrivals", wl->name);
            a->world = w;
            a->wl = wi;
            a->scn = wl;
            a->pattern = &w->shared[wi];
            a->pattern_rng = &w->wl_rng[wi];
            sim_rng_init(&a->rng, w->sc->seed, astream);
            /* The gaps are the stream's only use: its logs go through a batch
             * (sim-batch.h); what is left in it at the end is dropped unread. */
            if (wl->arrival == SCN_ARRIVAL_POISSON) {
                a->gaps = g_new(SimBatch, 1);
                sim_batch_init(a->gaps, &a->rng, SIM_BATCH_LOG);
            }
            sim_engine_schedule(w->engine, wl->start_ns, arrival, a, NULL);
        }
    }
}

void mdl__workloads_free(MdlWorld *w) {
    mdl__replay_free(w);
    for (guint wi = 0; w->threads && wi < w->sc->n_workloads; wi++) {
        for (guint i = 0; w->threads[wi] && i < w->sc->workloads[wi].threads; i++) {
            MdlThread *t = &w->threads[wi][i];
            core_page_request_destroy(&t->acc.req);
        }
        g_free(w->threads[wi]);
        if (w->thread_rng)
            g_free(w->thread_rng[wi]);
    }
    for (guint wi = 0; w->arrivals && wi < w->sc->n_workloads; wi++)
        g_clear_pointer(&w->arrivals[wi].gaps, g_free);
    g_clear_pointer(&w->threads, g_free);
    g_clear_pointer(&w->thread_rng, g_free);
    g_clear_pointer(&w->think_ns, g_free);
    g_clear_pointer(&w->wake_timers, g_hash_table_unref);
    mdl__names_free(w);
    /* After the engine: exiting its threads filled the stack. */
    for (guint i = 0; i < w->n_spare; i++)
        g_free(w->spare[i]);
    g_clear_pointer(&w->spare, g_free);
    g_clear_pointer(&w->owned, g_ptr_array_unref);
    w->n_spare = w->spare_cap = 0;
}

const ScnWorkload *mdl__thread_wl(const MdlThread *t) {
    return &t->world->sc->workloads[t->wl_index];
}

MdlThread *mdl__thread_lookup(MdlWorld *w, const ScnThreadRef *ref) {
    return &w->threads[ref->workload][ref->index];
}
