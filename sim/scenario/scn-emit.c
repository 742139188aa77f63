/* The resolved scenario as a scenario file (scn_scenario_to_json): every value
 * the loader filled in is written out, durations as integers of nanoseconds and
 * sizes as integers of bytes, so that loading the text gives back the same
 * ScnScenario and therefore the same run.
 *
 * Invariants:
 *  1. every key written is one the loader accepts in that place;
 *  2. numbers round-trip exactly: integers as integers, doubles with 17
 *     significant digits; a lognormal given by p99 is written by p99, so its
 *     sigma is derived again by the same computation;
 *  3. actions are written in run order (sorted by time, file order among equal
 *     times), which loading keeps.
 */
#include "sim/scenario/scn-private.h"
#include "sim/scenario/scn-scenario.h"

#include <jansson.h>

static json_t *u64(uint64_t v) { return json_integer((json_int_t)v); }

static json_t *dist_json(const ScnDist *d) {
    json_t *o = json_object();
    json_object_set_new(o, "dist", json_string(scn_dist_kind_to_string(d->kind)));
    switch (d->kind) {
        case SCN_DIST_CONSTANT:
            json_object_set_new(o, "value", u64(d->value_ns));
            break;
        case SCN_DIST_UNIFORM:
            json_object_set_new(o, "min", u64(d->min_ns));
            json_object_set_new(o, "max", u64(d->max_ns));
            break;
        case SCN_DIST_EXPONENTIAL:
            json_object_set_new(o, "mean", u64(d->mean_ns));
            break;
        case SCN_DIST_NORMAL:
            json_object_set_new(o, "mean", u64(d->mean_ns));
            json_object_set_new(o, "stddev", u64(d->stddev_ns));
            break;
        case SCN_DIST_LOGNORMAL:
            json_object_set_new(o, "median", u64(d->median_ns));
            json_object_set_new(o, d->p99_ns ? "p99" : "sigma",
                                d->p99_ns ? u64(d->p99_ns) : json_real(d->sigma));
            break;
        case SCN_DIST_PARETO:
            json_object_set_new(o, "scale", u64(d->scale_ns));
            json_object_set_new(o, "shape", json_real(d->shape));
            break;
        default: {
            json_t *pts = json_array();
            for (guint i = 0; i < d->n_points; i++)
                json_array_append_new(
                    pts, json_pack("[f, I]", d->points[i].p, (json_int_t)d->points[i].ns));
            json_object_set_new(o, "points", pts);
        }
    }
    return o;
}

static json_t *status_json(int64_t status) {
    const char *name = scn_status_to_string(status);
    return name ? json_string(name) : json_integer((json_int_t)status);
}

static json_t *provider_json(const ScnScenario *sc, const ScnProvider *p) {
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(p->name));
    json_object_set_new(o, "kind", json_string(scn_provider_kind_to_string(p->kind)));
    if (p->kind == SCN_PROVIDER_SYNC)
        json_object_set_new(o, "cost", u64(p->cost_ns));
    if (p->kind != SCN_PROVIDER_PAGER)
        return o;
    json_object_set_new(o, "workers", json_integer(p->workers));
    if (p->device != SCN_NONE)
        json_object_set_new(o, "device", json_string(sc->devices[p->device].name));
    json_object_set_new(o, "latency", dist_json(&p->latency));
    json_object_set_new(o, "per_page", u64(p->per_page_ns));
    json_t *supply = json_object();
    json_object_set_new(supply, "mode", json_string(scn_supply_mode_to_string(p->supply_mode)));
    if (p->supply_mode == SCN_SUPPLY_CHUNKS)
        json_object_set_new(supply, "chunk", u64(p->supply_chunk));
    if (p->supply_cluster)
        json_object_set_new(supply, "cluster", u64(p->supply_cluster));
    json_object_set_new(o, "supply", supply);
    json_object_set_new(o, "failure",
                        json_pack("{s:f, s:o}", "probability", p->failure_probability, "status",
                                  status_json(p->failure_status)));
    if (p->die_at_ns != SCN_NEVER)
        json_object_set_new(o, "die_at", u64(p->die_at_ns));
    return o;
}

/* A device with its preset filled in: every field its kind reads. */
static json_t *device_json(const ScnDevice *d) {
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(d->name));
    json_object_set_new(o, "kind", json_string(scn_device_kind_to_string(d->kind)));
    if (d->kind == SCN_DEVICE_NONE)
        return o;
    json_object_set_new(o, "queue_depth", json_integer(d->queue_depth));
    json_object_set_new(o, "request", u64(d->request_ns));
    json_object_set_new(o, "bandwidth", json_real(d->bandwidth_mbps));
    if (d->has_latency)
        json_object_set_new(o, "latency", dist_json(&d->latency));
    if (d->kind != SCN_DEVICE_HDD) {
        json_object_set_new(o, "position", u64(d->position_ns));
        return o;
    }
    json_object_set_new(o, "settle", u64(d->settle_ns));
    json_object_set_new(o, "stroke", u64(d->stroke_ns));
    json_object_set_new(o, "span", u64(d->span));
    json_object_set_new(o, "rpm", json_integer(d->rpm));
    return o;
}

static json_t *vmo_json(const ScnScenario *sc, const ScnVmo *v) {
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(v->name));
    json_object_set_new(o, "size", u64(v->size));
    if (v->provider != SCN_NONE)
        json_object_set_new(o, "provider", json_string(sc->providers[v->provider].name));
    json_t *res = json_array();
    for (guint i = 0; i < v->n_resident; i++)
        json_array_append_new(res, json_pack("[I, I]", (json_int_t)v->resident[i].offset,
                                             (json_int_t)v->resident[i].length));
    json_object_set_new(o, "resident", res);
    return o;
}

static json_t *pattern_json(const ScnPattern *p) {
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(scn_pattern_kind_to_string(p->kind)));
    if (p->kind == SCN_PATTERN_STRIDED)
        json_object_set_new(o, "stride", u64(p->stride));
    if (p->kind == SCN_PATTERN_ZIPF) {
        json_object_set_new(o, "hot_set", u64(p->hot_set));
        json_object_set_new(o, "theta", json_real(p->theta));
    }
    if (p->per_thread)
        json_object_set_new(o, "per_thread", json_true());
    return o;
}

/* The keys closed and open workloads share. */
static void put_stream(json_t *o, const ScnScenario *sc, const ScnWorkload *w) {
    json_object_set_new(o, "vmo", json_string(sc->vmos[w->vmo].name));
    json_object_set_new(o, "access", json_string(scn_access_kind_to_string(w->access)));
    json_object_set_new(o, "pages", u64(w->pages));
    json_object_set_new(o, "pattern", pattern_json(&w->pattern));
    json_object_set_new(o, "range",
                        json_pack("{s:I, s:I}", "offset", (json_int_t)w->range_offset, "size",
                                  (json_int_t)w->range_size));
    json_object_set_new(o, "start", u64(w->start_ns));
}

static json_t *explicit_json(const ScnScenario *sc, const ScnWorkload *w) {
    json_t *a = json_array();
    for (guint i = 0; i < w->n_accesses; i++) {
        const ScnAccess *x = &w->accesses[i];
        json_array_append_new(a, json_pack("{s:s, s:I, s:s, s:s, s:I, s:I}", "thread",
                                           w->thread_names[x->thread], "at", (json_int_t)x->at_ns,
                                           "vmo", sc->vmos[x->vmo].name, "access",
                                           scn_access_kind_to_string(x->access), "offset",
                                           (json_int_t)x->offset, "pages", (json_int_t)x->pages));
    }
    return a;
}

/* A trace workload: its file by absolute path (the resolved scenario lives
 * elsewhere than the original), its mode and its threads in their order. */
static void put_trace(json_t *o, const ScnWorkload *w) {
    g_autofree char *file = g_canonicalize_filename(w->trace_file, NULL);
    json_object_set_new(o, "file", json_string(file));
    json_object_set_new(o, "mode",
                        json_string(w->trace_mode == SCN_TRACE_CLOSED ? "closed" : "as_recorded"));
    json_t *threads = json_array();
    for (guint i = 0; w->thread_names && w->thread_names[i]; i++)
        json_array_append_new(threads, json_string(w->thread_names[i]));
    json_object_set_new(o, "threads", threads);
}

static json_t *workload_json(const ScnScenario *sc, const ScnWorkload *w) {
    static const char *const kinds[] = {"closed", "open", "explicit", "trace"};
    G_STATIC_ASSERT(G_N_ELEMENTS(kinds) == SCN_WORKLOAD_KIND_COUNT);
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(w->name));
    json_object_set_new(o, "kind", json_string(kinds[w->kind]));
    static const char *const hints[] = {"normal", "sequential", "random"};
    if (w->kind != SCN_WORKLOAD_TRACE && w->hint != SCN_HINT_NORMAL)
        json_object_set_new(o, "hint", json_string(hints[w->hint]));
    if (w->kind == SCN_WORKLOAD_EXPLICIT) {
        json_object_set_new(o, "accesses", explicit_json(sc, w));
        return o;
    }
    if (w->kind == SCN_WORKLOAD_TRACE) {
        put_trace(o, w);
        return o;
    }
    put_stream(o, sc, w);
    if (w->kind == SCN_WORKLOAD_CLOSED) {
        json_object_set_new(o, "threads", json_integer(w->threads));
        json_object_set_new(o, "think", dist_json(&w->think));
        if (w->access_limit) /* absent: until the run stops */
            json_object_set_new(o, "accesses", u64(w->access_limit));
        return o;
    }
    json_object_set_new(
        o, "arrival",
        w->arrival == SCN_ARRIVAL_POISSON
            ? json_pack("{s:s, s:f}", "process", "poisson", "rate", w->rate_per_s)
            : json_pack("{s:s, s:I}", "process", "interval", "every", (json_int_t)w->every_ns));
    if (w->count) /* absent: until the run stops */
        json_object_set_new(o, "count", u64(w->count));
    return o;
}

static char *thread_name(const ScnScenario *sc, const ScnThreadRef *t) {
    const ScnWorkload *w = &sc->workloads[t->workload];
    if (w->kind == SCN_WORKLOAD_EXPLICIT || w->kind == SCN_WORKLOAD_TRACE)
        return g_strdup(w->thread_names[t->index]);
    return g_strdup_printf("%s/%u", w->name, t->index);
}

static void put_action_args(json_t *o, const ScnScenario *sc, const ScnAction *a) {
    if (a->vmo != SCN_NONE)
        json_object_set_new(o, "vmo", json_string(sc->vmos[a->vmo].name));
    switch (a->kind) {
        case SCN_ACTION_FAIL:
            json_object_set_new(o, "status", status_json(a->status));
            json_object_set_new(o, "raw", json_boolean(a->raw));
            if (a->raw && a->provider != SCN_NONE)
                json_object_set_new(o, "provider", json_string(sc->providers[a->provider].name));
            G_GNUC_FALLTHROUGH; /* offset and length */
        case SCN_ACTION_SUPPLY:
        case SCN_ACTION_EVICT:
            json_object_set_new(o, "offset", u64(a->offset));
            json_object_set_new(o, "length", u64(a->length));
            if (a->zero) /* supply: zero markers; absent means false */
                json_object_set_new(o, "zero", json_true());
            break;
        case SCN_ACTION_RESIZE:
            json_object_set_new(o, "size", u64(a->size));
            break;
        case SCN_ACTION_DEQUEUE:
        case SCN_ACTION_PAGER_CLOSE:
            json_object_set_new(o, "provider", json_string(sc->providers[a->provider].name));
            break;
        case SCN_ACTION_KILL:
        case SCN_ACTION_SUSPEND:
        case SCN_ACTION_RESUME: {
            g_autofree char *name = thread_name(sc, &a->thread);
            json_object_set_new(o, "thread", json_string(name));
            break;
        }
        default:
            break;
    }
}

static json_t *top_json(const ScnScenario *sc) {
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(sc->name));
    json_object_set_new(o, "description", json_string(sc->description));
    g_autofree char *seed = g_strdup_printf("%" G_GUINT64_FORMAT, sc->seed);
    json_object_set_new(o, "seed", sc->seed <= G_MAXINT64 ? u64(sc->seed) : json_string(seed));
    json_object_set_new(o, "policy", json_string(sc->policy.spec));
    json_t *stop = json_object();
    if (sc->stop_time_ns != SCN_NEVER)
        json_object_set_new(stop, "time", u64(sc->stop_time_ns));
    if (sc->stop_events)
        json_object_set_new(stop, "events", u64(sc->stop_events));
    if (sc->warmup_ns)
        json_object_set_new(stop, "warmup", u64(sc->warmup_ns));
    json_object_set_new(o, "stop", stop);
    json_t *kernel = json_object();
    json_object_set_new(kernel, "fault_entry", dist_json(&sc->kernel.fault_entry));
    json_object_set_new(kernel, "wake_latency", dist_json(&sc->kernel.wake_latency));
    json_object_set_new(kernel, "pager_timeout", u64(sc->kernel.pager_timeout_ns));
    json_object_set_new(kernel, "overtime_wait", u64(sc->kernel.overtime_wait_ns));
    /* The VMO lock's costs only when given (0 by default: the lock is off). */
    if (sc->kernel.walk_page_ns)
        json_object_set_new(kernel, "walk_page", dist_json(&sc->kernel.walk_page));
    if (sc->kernel.unlock_to_wait_ns)
        json_object_set_new(kernel, "unlock_to_wait", dist_json(&sc->kernel.unlock_to_wait));
    if (sc->kernel.supply_page_ns)
        json_object_set_new(kernel, "supply_page", dist_json(&sc->kernel.supply_page));
    json_object_set_new(o, "kernel", kernel);
    if (sc->memory.enabled) {
        const ScnMemory *m = &sc->memory;
        json_t *mem = json_object();
        json_object_set_new(mem, "capacity", u64(m->capacity));
        json_object_set_new(mem, "reclaim", json_string(scn_reclaim_to_string(m->reclaim)));
        json_object_set_new(mem, "low", u64(m->low));
        json_object_set_new(mem, "high", u64(m->high));
        if (m->vmo_limit)
            json_object_set_new(mem, "vmo_limit", u64(m->vmo_limit));
        json_object_set_new(mem, "reclaim_cost", u64(m->reclaim_cost_ns));
        json_object_set_new(mem, "batch", json_integer(m->batch));
        json_object_set_new(mem, "aging_period", u64(m->aging_period_ns));
        json_object_set_new(mem, "generations", json_integer(m->generations));
        json_object_set_new(mem, "shadows", json_integer(m->shadows));
        json_object_set_new(o, "memory", mem);
    }
    return o;
}

char *scn_scenario_to_json(const ScnScenario *sc) {
    json_auto_t *o = top_json(sc);
    json_t *a = json_array();
    for (guint i = 0; i < sc->n_providers; i++)
        json_array_append_new(a, provider_json(sc, &sc->providers[i]));
    json_object_set_new(o, "providers", a);
    if (sc->n_devices) {
        a = json_array();
        for (guint i = 0; i < sc->n_devices; i++)
            json_array_append_new(a, device_json(&sc->devices[i]));
        json_object_set_new(o, "devices", a);
    }
    a = json_array();
    for (guint i = 0; i < sc->n_vmos; i++)
        json_array_append_new(a, vmo_json(sc, &sc->vmos[i]));
    json_object_set_new(o, "vmos", a);
    a = json_array();
    for (guint i = 0; i < sc->n_workloads; i++)
        json_array_append_new(a, workload_json(sc, &sc->workloads[i]));
    json_object_set_new(o, "workloads", a);
    a = json_array();
    for (guint i = 0; i < sc->n_actions; i++) {
        const ScnAction *x = &sc->actions[i];
        json_t *e = json_pack("{s:I, s:s}", "at", (json_int_t)x->at_ns, "do",
                              scn_action_kind_to_string(x->kind));
        put_action_args(e, sc, x);
        json_array_append_new(a, e);
    }
    json_object_set_new(o, "actions", a);
    char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    char *out = g_strconcat(text, "\n", NULL);
    free(text);
    return out;
}
