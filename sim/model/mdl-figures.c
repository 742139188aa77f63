/* The model's side of a run's figures (RepFigures, rep-figures.h): describing
 * the workloads and providers, counting each access where it finishes, a
 * pager's busy time within the measured window and its life, and the start of
 * the measured window at the end of the warm-up (stop.warmup).
 *
 * Invariants:
 *  1. busy time is counted only from the window's start: a service that began
 *     during the warm-up counts from the warm-up's end (the start of every
 *     worker's service is moved there when the window starts, so a service's
 *     end is never before its counted start);
 *  2. busy_alive_ns <= busy_ns: a service still running when its pager closed
 *     counts as alive only up to the close.
 */
#include "sim/model/mdl-lock.h"
#include "sim/model/mdl-private.h"

static const char *workload_kind(ScnWorkloadKind kind) {
    switch (kind) {
        case SCN_WORKLOAD_CLOSED:
            return "closed";
        case SCN_WORKLOAD_OPEN:
            return "open";
        case SCN_WORKLOAD_TRACE:
            return "trace";
        default:
            return "explicit";
    }
}

/* The access kind of @wl: its own, or the one all its listed accesses share,
 * or "mixed" (also for a trace, whose records each have their own). */
static const char *workload_access(const ScnWorkload *wl) {
    if (wl->kind == SCN_WORKLOAD_TRACE)
        return "mixed";
    if (wl->kind != SCN_WORKLOAD_EXPLICIT)
        return scn_access_kind_to_string(wl->access);
    for (guint i = 1; i < wl->n_accesses; i++)
        if (wl->accesses[i].access != wl->accesses[0].access)
            return "mixed";
    return wl->n_accesses ? scn_access_kind_to_string(wl->accesses[0].access) : "fault";
}

/* Accesses @wl makes in all; 0 when it runs until the run stops. */
static uint64_t workload_total(const ScnWorkload *wl) {
    switch (wl->kind) {
        case SCN_WORKLOAD_CLOSED:
            return (uint64_t)wl->threads * wl->access_limit;
        case SCN_WORKLOAD_OPEN:
            return wl->count;
        case SCN_WORKLOAD_TRACE:
            return wl->trace_records;
        default:
            return wl->n_accesses;
    }
}

void mdl__figures_init(MdlWorld *w) {
    const ScnScenario *sc = w->sc;
    rep_figures_init(&w->stats, sc->n_workloads, sc->n_providers);
    for (guint i = 0; i < sc->n_workloads; i++) {
        const ScnWorkload *wl = &sc->workloads[i];
        rep_figures_set_workload(&w->stats, i, wl->name, workload_kind(wl->kind),
                                 workload_access(wl), workload_total(wl));
    }
    for (guint i = 0; i < sc->n_providers; i++) {
        const ScnProvider *p = &sc->providers[i];
        MdlProviderStats *ps = &w->stats.providers[i];
        ps->name = g_strdup(p->name);
        ps->kind = scn_provider_kind_to_string(p->kind);
        ps->workers = p->kind == SCN_PROVIDER_PAGER ? p->workers : 0;
    }
}

void mdl__figures_start_window(MdlWorld *w, SimTime start) {
    rep_figures_start_window(&w->stats, start);
    for (guint i = 0; i < w->sc->n_providers; i++) {
        MdlProvider *p = &w->providers[i];
        p->requests = p->busy_ns = p->busy_alive_ns = 0;
        for (guint k = 0; p->workers && k < p->scn->workers; k++) /* invariant 1 */
            p->workers[k].started = MAX(p->workers[k].started, start);
    }
    /* Pages supplied during the warm-up are no longer candidates for "unused". */
    for (guint i = 0; i < w->sc->n_vmos; i++)
        mdl_pages_remove_range(w->vmos[i].unused, 0, G_MAXUINT64);
    mdl__locks_start_window(w);
}

void mdl__figures_record_access(MdlThread *t, CoreStatus status, SimTime latency, SimTime now) {
    MdlWorld *w = t->world;
    guint wi = t->wl_index;
    rep_figures_record_access(&w->stats, wi, core_status_to_string(status), status == CORE_OK,
                              t->acc.faulted, t->acc.pages, latency, now);
}

/* @from, when the service began, is at or after the window's start and not
 * after @now (invariant 1). */
void mdl__figures_served(MdlProvider *p, SimTime from, SimTime now) {
    p->busy_ns += now - from;
    if (G_LIKELY(!p->closed)) { /* alive all along: up to now */
        p->busy_alive_ns += now - from;
        return;
    }
    SimTime to = MIN(now, p->closed_at);
    if (to > from)
        p->busy_alive_ns += to - from;
}
