/* Trace workloads: accesses replayed from a file while the run goes.
 *
 * - as recorded: one reader; each record becomes, at its recorded time, a
 *   short-lived thread that makes the access and exits (an open workload whose
 *   arrivals are the records). Only the next record is held.
 * - closed: one thread per recorded thread, each with its own reader that skips
 *   the other threads' records. A thread's first access starts at its recorded
 *   time; each later one after the recorded think time: the gap between the two
 *   recorded starts less the previous record's recorded duration (at least 0),
 *   counted from the end of the previous access in the simulation.
 * Memory is one line buffer per reader, whatever the number of records. The
 * loader has read the whole file through already (scn-parse-trace.c); a file
 * that changed since and now fails to read ends its thread with a warning.
 *
 * Invariant: a reader's records are delivered in file order, each once.
 */
#include "sim/model/mdl-private.h"
#include "sim/scenario/scn-trace.h"

struct _MdlReplay {
    MdlWorld *world;            /* owner */
    guint wi;                   /* the workload */
    ScnTraceReader *rd;         /* as recorded: the reader */
    ScnTraceRecord next;        /* as recorded: the record due next */
    ScnTraceReader **per;       /* closed: a reader per thread */
    uint64_t *prev_end;         /* closed: recorded end of each thread's last record */
    guint n;                    /* closed: threads */
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
    char *name = mdl__tracing(w)
                     ? g_strdup(scn_trace_reader_thread_name(rp->rd, rp->next.thread))
                     : NULL;
    mdl__spawn_access(w, wl, name, &acc);
    if (read_next(rp->rd, G_MAXUINT, &rp->next))
        sim_engine_schedule(engine, MAX(rp->next.t_ns, mdl__now(w)), replay_arrival, rp, NULL);
}

void mdl__replay_next(MdlThread *t) {
    MdlReplay *rp = t->world->replays[t->wl - t->world->sc->workloads];
    ScnTraceRecord r;
    if (!read_next(rp->per[t->index], t->index, &r)) {
        sim_thread_exit(t->sim);
        return;
    }
    SimTime now = mdl__now(t->world);
    SimTime at = r.t_ns;
    if (t->done > 0) {
        uint64_t think = r.t_ns > rp->prev_end[t->index] ? r.t_ns - rp->prev_end[t->index] : 0;
        at = now + think;
    }
    rp->prev_end[t->index] = r.t_ns + r.dur_ns;
    set_access(&t->acc, t->world, &r);
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
    if (wl->trace_mode == SCN_TRACE_CLOSED) {
        rp->n = wl->threads;
        rp->per = g_new0(ScnTraceReader *, rp->n);
        rp->prev_end = g_new0(uint64_t, rp->n);
        for (guint i = 0; i < rp->n; i++)
            rp->per[i] = open_reader(w, wl);
        return;
    }
    rp->rd = open_reader(w, wl);
    if (read_next(rp->rd, G_MAXUINT, &rp->next))
        sim_engine_schedule(w->engine, rp->next.t_ns, replay_arrival, rp, NULL);
}

void mdl__replay_free(MdlWorld *w) {
    for (guint wi = 0; w->replays != NULL && wi < w->sc->n_workloads; wi++) {
        MdlReplay *rp = w->replays[wi];
        if (rp == NULL)
            continue;
        scn_trace_reader_free(rp->rd);
        for (guint i = 0; i < rp->n; i++)
            scn_trace_reader_free(rp->per[i]);
        g_free(rp->per);
        g_free(rp->prev_end);
        g_free(rp);
    }
    g_clear_pointer(&w->replays, g_free);
}
