/* The world of one run (see mdl-world.h): construction from a scenario, the run
 * loop, the invariant checks of --check, and the figures of the run.
 *
 * Invariants:
 *  1. providers are built before VMOs (a VMO's proxy lives on its provider's
 *     port) and freed after them;
 *  2. the engine is freed before the VMOs, so that threads still blocked at the
 *     end release their requests while the sources exist;
 *  3. stats.violation, once set, stays set and the engine stops.
 */
#include "sim/model/mdl-lock.h"
#include "sim/model/mdl-private.h"

/* G_DEFINE_QUARK stringifies its first argument as written. */
/* clang-format off */
G_DEFINE_QUARK(mdl-error-quark, mdl_error)
/* clang-format on */

/* The loader checks distributions against the engine's limits (scn-dist.h). */
G_STATIC_ASSERT(SCN_DIST_MAX_NS == SIM_DIST_MAX_SAMPLE);
G_STATIC_ASSERT(SCN_DIST_MAX_POINTS == SIM_DIST_EMPIRICAL_MAX);

/* Runs every checker that sees @vmo's source, its proxy and its port. */
void mdl__check_now(MdlWorld *w, const MdlVmo *vmo) {
    if (w->stats.violation || vmo->src == NULL)
        return;
    gboolean ok = core_page_source_check_invariants(vmo->src, w->why);
    if (ok && vmo->proxy)
        ok = core_pager_proxy_check_invariants(vmo->proxy, vmo->src, w->why);
    if (ok && vmo->prov->port)
        ok = core_port_check_invariants(vmo->prov->port, w->why);
    if (ok && w->mem)
        ok = mdl__reclaim_check(w->mem, vmo, w->why);
    if (ok && w->locks)
        ok = mdl__lock_check(vmo, w->why);
    if (ok)
        return;
    w->stats.violation = g_strdup_printf("at %" G_GUINT64_FORMAT " ns, VMO %s: %s", mdl__now(w),
                                         vmo->scn->name, w->why->str);
    sim_engine_stop(w->engine);
}

/* Turns a scenario distribution into an engine sampler. */
gboolean mdl__dist_from_scn(SimDist *out, const ScnDist *in, GError **error) {
    switch (in->kind) {
        case SCN_DIST_CONSTANT:
            return sim_dist_init_constant(out, in->value_ns, error);
        case SCN_DIST_UNIFORM:
            return sim_dist_init_uniform(out, in->min_ns, in->max_ns, error);
        case SCN_DIST_EXPONENTIAL:
            return sim_dist_init_exponential(out, in->mean_ns, error);
        case SCN_DIST_NORMAL:
            return sim_dist_init_normal(out, in->mean_ns, in->stddev_ns, error);
        case SCN_DIST_LOGNORMAL:
            return sim_dist_init_lognormal(out, in->median_ns, in->sigma, error);
        case SCN_DIST_PARETO:
            return sim_dist_init_pareto(out, in->scale_ns, in->shape, error);
        default:
            break;
    }
    SimDistPoint pts[SIM_DIST_EMPIRICAL_MAX];
    if (in->n_points > SIM_DIST_EMPIRICAL_MAX) {
        g_set_error(error, MDL_ERROR, MDL_ERROR_UNSUPPORTED,
                    "an empirical distribution has %u points; at most %d are supported",
                    in->n_points, SIM_DIST_EMPIRICAL_MAX);
        return FALSE;
    }
    for (guint i = 0; i < in->n_points; i++) {
        pts[i].p = in->points[i].p;
        pts[i].value = in->points[i].ns;
    }
    return sim_dist_init_empirical(out, pts, in->n_points, error);
}

/* Devices, and where each VMO read through one lies on it: the VMOs of a
 * device follow each other in scenario order from address 0. */
static gboolean build_devices(MdlWorld *w, GError **error) {
    const ScnScenario *sc = w->sc;
    w->devices = g_new0(MdlDevice, sc->n_devices);
    for (guint i = 0; i < sc->n_devices; i++)
        if (!mdl_device_init(&w->devices[i], &sc->devices[i], sc->seed, error))
            return FALSE;
    g_autofree uint64_t *next = g_new0(uint64_t, sc->n_devices + 1);
    w->dev_base = g_new0(uint64_t, sc->n_vmos);
    for (guint i = 0; i < sc->n_vmos; i++) {
        guint prov = sc->vmos[i].provider;
        guint dev = prov == SCN_NONE ? SCN_NONE : sc->providers[prov].device;
        if (dev == SCN_NONE)
            continue;
        w->dev_base[i] = next[dev];
        next[dev] += sc->vmos[i].size;
    }
    return TRUE;
}

static gboolean build(MdlWorld *w, GError **error) {
    const ScnScenario *sc = w->sc;
    if (sc->n_workloads > MDL_MAX_WORKLOADS) {
        g_set_error(error, MDL_ERROR, MDL_ERROR_UNSUPPORTED, "more than %u workloads",
                    MDL_MAX_WORKLOADS);
        return FALSE;
    }
    if (!build_devices(w, error))
        return FALSE;
    w->providers = g_new0(MdlProvider, sc->n_providers);
    for (guint i = 0; i < sc->n_providers; i++)
        if (!mdl__provider_init(w, &w->providers[i], i, error))
            return FALSE;
    w->vmos = g_new0(MdlVmo, sc->n_vmos);
    for (guint i = 0; i < sc->n_vmos; i++)
        mdl__vmo_init(w, &w->vmos[i], i);
    w->threads = g_new0(MdlThread *, sc->n_workloads);
    w->think = g_new0(SimDist, sc->n_workloads);
    w->shared = g_new0(MdlPattern, sc->n_workloads);
    w->wl_rng = g_new0(SimRng, sc->n_workloads);
    w->arrivals = g_new0(MdlArrivals, sc->n_workloads);
    for (guint i = 0; i < sc->n_workloads; i++)
        if (sc->workloads[i].kind == SCN_WORKLOAD_CLOSED &&
            !mdl__dist_from_scn(&w->think[i], &sc->workloads[i].think, error))
            return FALSE;
    return TRUE;
}

MdlWorld *mdl_world_new(const ScnScenario *sc, const MdlOptions *opt, GError **error) {
    g_return_val_if_fail(sc != NULL && opt != NULL, NULL);
    g_autoptr(MdlWorld) w = g_new0(MdlWorld, 1);
    w->sc = sc;
    mdl_policy_from_scn(&w->policy, &sc->policy);
    w->engine = sim_engine_new();
    w->trace = opt->trace && rep_trace_on(opt->trace) ? opt->trace : NULL;
    w->check = opt->check;
    w->tl = opt->timeline;
    if (w->tl)
        rep_timeline_direct_init(w->tl, sc->n_vmos);
    w->walk_chunk = opt->walk_chunk ? opt->walk_chunk : MDL_WALK_CHUNK;
    w->stats.checked = opt->check;
    w->why = g_string_new(NULL);
    w->timeouts.sweep = SIM_HANDLE_NONE;
    mdl__figures_init(w);
    if (sc->memory.enabled)
        w->mem = mdl__reclaim_new(w);
    if (!build(w, error))
        return NULL;
    mdl__locks_init(w);
    if (w->mem)
        mdl__reclaim_start(w->mem);
    for (guint i = 0; i < sc->n_providers; i++)
        mdl__provider_start(&w->providers[i]);
    mdl__workloads_start(w);
    mdl__actions_schedule(w);
    for (guint i = 0; i < sc->n_providers; i++)
        if (sc->providers[i].kind == SCN_PROVIDER_PAGER && sc->providers[i].die_at_ns != SCN_NEVER)
            mdl__provider_schedule_death(&w->providers[i]);
    return g_steal_pointer(&w);
}

void mdl_world_free(MdlWorld *w) {
    if (w == NULL)
        return;
    g_clear_pointer(&w->engine, sim_engine_free);
    mdl__workloads_free(w);
    g_free(w->timeouts.ring);
    for (guint i = 0; w->vmos && i < w->sc->n_vmos; i++)
        mdl__vmo_clear(&w->vmos[i]);
    for (guint i = 0; w->providers && i < w->sc->n_providers; i++)
        mdl__provider_clear(&w->providers[i]);
    g_free(w->vmos);
    g_clear_pointer(&w->mem, mdl__reclaim_free);
    mdl__locks_free(w);
    g_free(w->providers);
    for (guint i = 0; w->devices && i < w->sc->n_devices; i++)
        mdl_device_clear(&w->devices[i]);
    g_free(w->devices);
    g_free(w->dev_base);
    g_free(w->think);
    g_free(w->shared);
    g_free(w->wl_rng);
    g_free(w->arrivals);
    g_free(w->kcosts);
    rep_figures_clear(&w->stats);
    g_string_free(w->why, TRUE);
    g_free(w);
}

static void collect_devices(MdlWorld *w) {
    MdlStats *s = &w->stats;
    s->sim_time_ns = mdl__now(w);
    s->n_devices = w->sc->n_devices;
    s->devices = g_new0(MdlDeviceStats, s->n_devices);
    for (guint i = 0; i < s->n_devices; i++) {
        const MdlDevice *d = &w->devices[i];
        MdlDeviceStats *ds = &s->devices[i];
        MdlDeviceFigures f;
        mdl_device_figures(d, s->sim_time_ns, &f);
        ds->name = g_strdup(d->scn->name);
        ds->kind = scn_device_kind_to_string(d->scn->kind);
        ds->queue_depth = d->scn->queue_depth;
        ds->requests = d->requests;
        ds->bytes = d->bytes;
        ds->sequential = d->sequential;
        ds->utilization = f.utilization;
        ds->queue = f.queue;
        ds->in_service = f.in_service;
        ds->iops = f.iops;
        ds->mbps = f.mbps;
    }
}

static void collect(MdlWorld *w, SimStopReason reason) {
    MdlStats *s = &w->stats;
    if (w->sc->warmup_ns && !w->warmed) /* the run ended before the warm-up */
        mdl__figures_start_window(w, w->sc->warmup_ns);
    s->events = sim_engine_get_events_executed(w->engine);
    s->stop_reason = sim_stop_reason_to_string(reason);
    for (guint i = 0; i < w->sc->n_vmos; i++)
        s->unused_pages += mdl_pages_count(w->vmos[i].unused);
    for (guint i = 0; i < s->n_providers; i++) {
        const MdlProvider *p = &w->providers[i];
        MdlProviderStats *ps = &s->providers[i];
        ps->requests = p->requests;
        ps->busy_ns = p->busy_ns;
        ps->busy_alive_ns = p->busy_alive_ns;
        ps->closed_at_ns = p->closed ? p->closed_at : REP_FIGURES_NONE;
    }
    collect_devices(w);
    rep_figures_finish(s, mdl__now(w), reason == SIM_STOP_EMPTY);
}

/* Runs to @until or the stop condition; see mdl_world_run_until(). */
static gboolean run_to(MdlWorld *w, uint64_t until) {
    const ScnScenario *sc = w->sc;
    if (w->over)
        return FALSE;
    SimTime stop = sc->stop_time_ns == SCN_NEVER ? SIM_TIME_INVALID : sc->stop_time_ns;
    SimTime horizon = MIN(until, stop);
    uint64_t budget = SIM_BUDGET_UNLIMITED;
    if (sc->stop_events) {
        uint64_t done = sim_engine_get_events_executed(w->engine);
        budget = sc->stop_events > done ? sc->stop_events - done : 0;
    }
    SimStopReason reason = sim_engine_run(w->engine, horizon, budget);
    if (reason == SIM_STOP_HORIZON && horizon < stop && w->stats.violation == NULL)
        return TRUE;
    w->over = TRUE;
    collect(w, reason);
    if (w->mem)
        mdl__reclaim_finish(w->mem);
    return FALSE;
}

/* The warm-up (stop.warmup) ends between the events before it and those at
 * its time: the run stops just before it, the measured window starts, and the
 * run goes on (running in slices gives the same run). */
gboolean mdl_world_run_until(MdlWorld *w, uint64_t until) {
    uint64_t warmup = w->sc->warmup_ns;
    if (warmup && !w->warmed && !w->over) {
        if (until < warmup)
            return run_to(w, until);
        if (!run_to(w, warmup - 1))
            return FALSE;
        mdl__figures_start_window(w, warmup);
        w->warmed = TRUE;
    }
    return run_to(w, until);
}

gboolean mdl_world_run(MdlWorld *w) {
    mdl_world_run_until(w, SIM_TIME_INVALID);
    return w->stats.violation == NULL;
}

uint64_t mdl_world_get_now(const MdlWorld *w) { return sim_engine_now(w->engine); }

uint64_t mdl_world_get_events(const MdlWorld *w) {
    return sim_engine_get_events_executed(w->engine);
}

uint64_t mdl_world_get_stop_time(const MdlWorld *w) { return w->sc->stop_time_ns; }

const MdlStats *mdl_world_get_stats(MdlWorld *w) { return &w->stats; }

void mdl_world_interrupt(MdlWorld *w) {
    if (w->over)
        return;
    w->stats.interrupted = TRUE;
    sim_engine_stop(w->engine);
}
