/* Trace workloads: accesses replayed from a file while the run goes.
 *
 * - as recorded: one reader; each record becomes, at its recorded time, a
 *   short-lived thread that makes the access and exits (an open workload whose
 *   arrivals are the records). Only the next record is held.
 * - closed: one thread per recorded thread. A thread's first access starts at
 *   its recorded time; each later one after the recorded think time: the gap
 *   between the two recorded starts less the previous record's recorded
 *   duration (at least 0), counted from the end of the previous access in the
 *   simulation. One shared reader serves them all: a thread that needs a record
 *   takes it from its queue, or reads on, queueing the records of the threads
 *   it passes. At most SHARED_MAX records are queued in all; a thread whose
 *   record would pass that gets a reader of its own, which skips the records
 *   it already had, and its queue is dropped. Records of exited threads are
 *   dropped.
 * Memory is bounded whatever the number of records: a line buffer per reader
 * and at most SHARED_MAX queued records. The loader has read the whole file
 * through already (scn-parse-trace.c); a file that changed since and now fails
 * to read ends its thread with a warning.
 *
 * Invariant: each thread gets its records in file order, each once.
 */
#include "sim/model/mdl-replay.h"
#include "sim/scenario/scn-trace.h"

#define SHARED_MAX 65536 /* records queued for threads behind the shared reader */

/* A closed thread's source of records. */
typedef struct {
    GQueue queue;        /* ScnTraceRecord *, read ahead by the shared reader */
    ScnTraceReader *own; /* after an overflow: its own reader; else NULL */
    uint64_t taken;      /* records delivered to the thread so far */
    uint64_t prev_end;   /* recorded end (start + dur) of its last record */
} MdlReplayThread;

struct _MdlReplay {
    MdlWorld *world;     /* owner */
    guint wi;            /* the workload */
    ScnTraceReader *rd;  /* the shared reader (both modes) */
    ScnTraceRecord next; /* as recorded: the record due next */
    MdlReplayThread *th; /* closed: per thread */
    guint n;             /* closed: threads */
    guint held;          /* closed: records queued over all threads */
};

static ScnTraceReader *open_reader(MdlWorld *w, const ScnWorkload *wl) {
    g_autoptr(GPtrArray) vmos = g_ptr_array_new();
    for (guint i = 0; i < w->sc->n_vmos; i++)
        g_ptr_array_add(vmos, w->sc->vmos[i].name);
    g_ptr_array_add(vmos, NULL);
    g_autoptr(GError) err = NULL;
    ScnTraceReader *rd = scn_trace_reader_open(wl->trace_file, (const char *const *)vmos->pdata,
                                               (const char *const *)wl->thread_names, &err);
    if (rd == NULL)
        g_printerr("pagesim: workload %s: %s\n", wl->name, err->message);
    return rd;
}

/* The next record of @rd for @thread (G_MAXUINT: any); FALSE at the end. */
static gboolean read_next(ScnTraceReader *rd, guint thread, ScnTraceRecord *r) {
    g_autoptr(GError) err = NULL;
    int got;
    while (rd != NULL && (got = scn_trace_reader_next(rd, r, &err)) == 1)
        if (thread == G_MAXUINT || r->thread == thread)
            return TRUE;
    if (rd != NULL && got < 0)
        g_printerr("pagesim: the trace changed since it was checked: %s\n", err->message);
    return FALSE;
}

static void set_access(MdlAccessArgs *acc, MdlWorld *w, const ScnTraceRecord *r) {
    acc->kind = r->kind;
    acc->vmo = &w->vmos[r->vmo];
    acc->offset = r->offset;
    acc->pages = r->pages;
}

/* As recorded: the record in rp->next starts now on a thread of its own. */
static void replay_arrival(SimEngine *engine, gpointer data) {
    MdlReplay *rp = data;
    MdlWorld *w = rp->world;
    const ScnWorkload *wl = &w->sc->workloads[rp->wi];
    MdlAccessArgs acc = {0};
    set_access(&acc, w, &rp->next);
    char *name =
        mdl__tracing(w) ? g_strdup(scn_trace_reader_thread_name(rp->rd, rp->next.thread)) : NULL;
    mdl__spawn_access(w, wl, name, &acc);
    if (read_next(rp->rd, G_MAXUINT, &rp->next))
        sim_engine_schedule(engine, MAX(rp->next.t_ns, mdl__now(w)), replay_arrival, rp, NULL);
}

static void drop_queue(MdlReplay *rp, MdlReplayThread *th) {
    rp->held -= g_queue_get_length(&th->queue);
    g_queue_clear_full(&th->queue, g_free);
}

/* Thread @j's records would overflow the queues: it reads on its own from the
 * record after the last one it had. */
static void go_own(MdlReplay *rp, guint j) {
    MdlReplayThread *th = &rp->th[j];
    ScnTraceRecord skip;
    drop_queue(rp, th);
    th->own = open_reader(rp->world, &rp->world->sc->workloads[rp->wi]);
    for (uint64_t k = 0; k < th->taken && read_next(th->own, j, &skip); k++)
        ;
}

/* Queues @r for its thread, unless that thread has exited or reads on its own. */
static void hold(MdlReplay *rp, const ScnTraceRecord *r) {
    MdlReplayThread *th = &rp->th[r->thread];
    if (th->own != NULL)
        return;
    if (rp->world->threads[rp->wi][r->thread].sim == NULL) {
        drop_queue(rp, th);
        return;
    }
    if (rp->held >= SHARED_MAX) {
        go_own(rp, r->thread);
        return;
    }
    g_queue_push_tail(&th->queue, g_memdup2(r, sizeof *r));
    rp->held++;
}

/* The next record of closed thread @i, in file order. */
static gboolean closed_next(MdlReplay *rp, guint i, ScnTraceRecord *r) {
    MdlReplayThread *th = &rp->th[i];
    gboolean got = FALSE;
    if (th->own != NULL) {
        got = read_next(th->own, i, r);
    } else if (!g_queue_is_empty(&th->queue)) {
        g_autofree ScnTraceRecord *q = g_queue_pop_head(&th->queue);
        rp->held--;
        *r = *q;
        got = TRUE;
    } else {
        while (!got && read_next(rp->rd, G_MAXUINT, r)) {
            got = r->thread == i;
            if (!got)
                hold(rp, r);
        }
    }
    th->taken += got;
    return got;
}

void mdl__replay_next(MdlThread *t) {
    MdlReplay *rp = t->world->replays[t->wl_index];
    MdlReplayThread *th = &rp->th[t->index];
    ScnTraceRecord r;
    if (!closed_next(rp, t->index, &r)) {
        sim_thread_exit(t->sim);
        return;
    }
    SimTime now = mdl__now(t->world);
    SimTime at = r.t_ns;
    if (t->done > 0)
        at = now + (r.t_ns > th->prev_end ? r.t_ns - th->prev_end : 0);
    th->prev_end = r.t_ns + r.dur_ns;
    MdlAccessArgs args = {0};
    set_access(&args, t->world, &r);
    mdl__access_set(&t->acc, &args);
    if (at <= now) {
        mdl__access_begin(t);
        return;
    }
    t->phase = MDL_PH_BEGIN;
    sim_thread_sleep(t->sim, at - now);
}

void mdl__replay_start(MdlWorld *w, guint wi) {
    const ScnWorkload *wl = &w->sc->workloads[wi];
    MdlReplay *rp = g_new0(MdlReplay, 1);
    if (w->replays == NULL)
        w->replays = g_new0(MdlReplay *, w->sc->n_workloads);
    rp->world = w;
    rp->wi = wi;
    w->replays[wi] = rp;
    rp->rd = open_reader(w, wl);
    if (wl->trace_mode == SCN_TRACE_CLOSED) {
        rp->n = wl->threads;
        rp->th = g_new0(MdlReplayThread, rp->n);
        return;
    }
    if (read_next(rp->rd, G_MAXUINT, &rp->next))
        sim_engine_schedule(w->engine, rp->next.t_ns, replay_arrival, rp, NULL);
}

void mdl__replay_free(MdlWorld *w) {
    for (guint wi = 0; w->replays != NULL && wi < w->sc->n_workloads; wi++) {
        MdlReplay *rp = w->replays[wi];
        if (rp == NULL)
            continue;
        scn_trace_reader_free(rp->rd);
        for (guint i = 0; i < rp->n; i++) {
            g_queue_clear_full(&rp->th[i].queue, g_free);
            scn_trace_reader_free(rp->th[i].own);
        }
        g_free(rp->th);
        g_free(rp);
    }
    g_clear_pointer(&w->replays, g_free);
}
