/* Providers: the userspace pager (a port read by a pool of workers), the
 * synchronous provider, and the scripted pager driven by timed actions.
 *
 * A pager or scripted provider owns one CorePort shared by all its VMOs; each
 * VMO's CorePagerProxy queues that VMO's packets there (core/). A pager's worker
 * takes the oldest packet, serves a READ after a drawn latency plus a per-page
 * cost, then supplies the range (whole, page by page, or in chunks; optionally
 * widened to an aligned cluster) or fails it when failure injection says so.
 *
 * Invariants:
 *  1. port is non-NULL iff the provider is a pager or scripted;
 *  2. a worker with offset < end is serving; otherwise it is idle or exiting;
 *  3. once closed, no supply or fail of this provider is accepted, and workers
 *     exit at their next step.
 */
#include "sim/model/mdl-lock.h"
#include "sim/model/mdl-private.h"

/* The sync provider always has the page: GetPage returns ZX_OK and the faulting
 * thread inserts it and pays the provider's cost (mdl-access.c). */
static gboolean sync_get_page_sync(gpointer ctx, guint64 offset) { return TRUE; }
static void sync_unused_request(gpointer ctx, CoreReadRequest *r) { g_assert_not_reached(); }
static void sync_unused_swap(gpointer ctx, CoreReadRequest *a, CoreReadRequest *b) {
    g_assert_not_reached();
}
static void sync_nothing(gpointer ctx) {}

const CorePageProviderOps mdl__sync_ops = {
    .get_page_sync = sync_get_page_sync,
    .get_page_async = sync_unused_request,
    .clear_async_request = sync_unused_request,
    .swap_request = sync_unused_swap,
    .on_detach = sync_nothing,
    .on_close = sync_nothing,
    .on_dispatcher_close = sync_nothing,
};

static G_GNUC_NO_INLINE void wake_idle(MdlProvider *p) { sim_wait_queue_wake_one(&p->idle, 0); }

/* A pager's port has a packet: an idle worker wakes to read it (with every
 * worker busy, as under load, the call is a length test). A scripted
 * provider's port (read by actions) has no callback. */
static void packet_available(gpointer ctx, CorePort *port) {
    MdlProvider *p = ctx;
    if (sim_wait_queue_get_len(&p->idle) != 0)
        wake_idle(p);
}

static const CorePortOps pager_port_ops = {.packet_available = packet_available};
static const CorePortOps scripted_port_ops = {.packet_available = NULL};

/* Threads from which prefetching the next waiter pays: fewer (192 bytes
 * each) stay in the caches, and the prefetch would be instructions for
 * nothing, as on the disjoint scan (64 threads) and open M/M/c (a few in
 * flight). */
#define PREFETCH_THREADS 4096u

/* The threads of the closed and explicit workloads, which live all run long;
 * open and trace threads come and go (MdlWorld.spare_cap follows them). */
static guint64 fixed_threads(const ScnScenario *sc) {
    guint64 n = 0;
    for (guint i = 0; i < sc->n_workloads; i++)
        if (sc->workloads[i].kind == SCN_WORKLOAD_CLOSED ||
            sc->workloads[i].kind == SCN_WORKLOAD_EXPLICIT)
            n += sc->workloads[i].threads;
    return n;
}

gboolean mdl__provider_init(MdlWorld *w, MdlProvider *p, guint index, GError **error) {
    const ScnProvider *scn = &w->sc->providers[index];
    p->world = w;
    p->index = index;
    p->scn = scn;
    sim_wait_queue_init(&p->idle);
    if (scn->kind == SCN_PROVIDER_SYNC)
        return TRUE;
    if (scn->kind == SCN_PROVIDER_SCRIPTED) {
        p->port = core_port_new(&scripted_port_ops, p);
        return TRUE;
    }
    p->port = core_port_new(&pager_port_ops, p);
    g_autofree char *stream = g_strdup_printf("provider:%s", scn->name);
    sim_rng_init(&p->rng, w->sc->seed, stream);
    if (!mdl__dist_from_scn(&p->latency, &scn->latency, error))
        return FALSE;
    if (scn->device != SCN_NONE && w->sc->devices[scn->device].kind != SCN_DEVICE_NONE)
        p->device = &w->devices[scn->device];
    /* The latency is then the stream's only use: its draws go through a batch
     * (sim-batch.h); what is left in it at the end is dropped unread. */
    if (!(scn->failure_probability > 0) && p->latency.kind == SIM_DIST_EXPONENTIAL) {
        p->lat_batch = g_new(SimBatch, 1);
        sim_batch_init(p->lat_batch, &p->rng, SIM_BATCH_LOG1P_NEG);
    }
    p->cluster = w->policy.cluster ? w->policy.cluster : scn->supply_cluster;
    p->plain = p->cluster == 0 && !(scn->failure_probability > 0) && p->device == NULL &&
               scn->supply_mode == SCN_SUPPLY_WHOLE;
    p->many_threads = fixed_threads(w->sc) >= PREFETCH_THREADS;
    p->workers = g_new0(MdlWorker, scn->workers);
    for (guint i = 0; i < scn->workers; i++) {
        p->workers[i].prov = p;
        p->workers[i].index = i;
        p->workers[i].name = g_strdup_printf("%s/w%u", scn->name, i);
    }
    return TRUE;
}

void mdl__provider_clear(MdlProvider *p) {
    for (guint i = 0; p->workers && i < p->scn->workers; i++)
        g_free(p->workers[i].name);
    g_clear_pointer(&p->workers, g_free);
    g_clear_pointer(&p->lat_batch, g_free);
    g_clear_pointer(&p->port, core_port_unref);
}

static G_GNUC_NO_INLINE void trace_packet(MdlProvider *p, const CorePortPacketInfo *pkt,
                                          const char *by) {
    MdlWorld *w = p->world;
    rep_trace_begin(w->trace, mdl__now(w), REP_EV_DEQUEUE);
    rep_trace_str(w->trace, REP_KEY_PROVIDER, p->scn->name);
    rep_trace_str(w->trace, REP_KEY_BY, by);
    rep_trace_str(w->trace, REP_KEY_VMO, w->vmos[pkt->key].scn->name);
    rep_trace_str(w->trace, REP_KEY_CMD, pkt->command == CORE_PAGER_VMO_READ ? "READ" : "COMPLETE");
    rep_trace_u64(w->trace, REP_KEY_OFFSET, pkt->offset);
    rep_trace_u64(w->trace, REP_KEY_LEN, pkt->length);
    rep_trace_u64(w->trace, REP_KEY_PORT, mdl__vmo_queued(&w->vmos[pkt->key]));
    rep_trace_end(w->trace);
}

/* Performance only: the thread waiting on the READ about to be dequeued will be
 * woken when its service ends, after other work has pushed it out of the
 * caches; start loading it now, when there are threads enough for that (the
 * arrivals' spares count those that were out at once). The packet at the
 * port's front is its VMO's proxy's active request, whose PageRequest is the
 * acc.req of its thread. */
G_ALWAYS_INLINE static inline void prefetch_waiter(const MdlProvider *p) {
    if (!p->many_threads) /* set once, or when the spares grew (below) */
        return;
    CorePortPacketInfo next;
    if (!core_port_peek(p->port, &next) || next.command != CORE_PAGER_VMO_READ)
        return;
    const CoreReadRequest *r = core_pager_proxy_peek_active(p->world->vmos[next.key].proxy);
    if (r == NULL)
        return;
    const char *t = (const char *)core_read_request_get_page_request(r) -
                    G_STRUCT_OFFSET(MdlThread, acc) - G_STRUCT_OFFSET(MdlAccess, req);
    for (size_t line = 0; line < sizeof(MdlThread); line += 64)
        __builtin_prefetch(t + line);
}

/* The spare stack only grows in a run: once past the threshold, every pager
 * prefetches, as a test of spare_cap per dequeue would decide. */
void mdl__providers_spares_grew(MdlWorld *w, guint spare_cap) {
    if (spare_cap < PREFETCH_THREADS)
        return;
    for (guint i = 0; i < w->sc->n_providers; i++)
        w->providers[i].many_threads = TRUE;
}

/* Reads one packet off the port, as a pager's zx_port_wait does, for worker
 * @wk (NULL: an action). Returns TRUE with @pkt filled if there was one. */
G_ALWAYS_INLINE static inline gboolean dequeue(MdlProvider *p, CorePortPacketInfo *pkt,
                                               const MdlWorker *wk, SimTime now, gboolean plain) {
    prefetch_waiter(p);
    if (!core_port_dequeue(p->port, pkt))
        return FALSE;
    MdlVmo *vmo = &p->world->vmos[pkt->key];
    if (!plain)
        mdl__check(p->world, vmo);
    if (pkt->command == CORE_PAGER_VMO_READ)
        p->requests++;
    RepTimeline *tl = p->world->tl;
    if (tl) {
        if (wk)
            rep_timeline_dequeue_at(tl, wk->tl_worker, now, p->index, wk->index,
                                    pkt->command == CORE_PAGER_VMO_READ);
        rep_timeline_counters(tl, now, vmo->index, REP_TL_HAS_PORT, 0,
                              mdl__proxy_queued(vmo->proxy), 0); /* its packet came from it */
    }
    if (!plain && G_UNLIKELY(mdl__tracing(p->world)))
        trace_packet(p, pkt, wk ? wk->name : "action");
    return TRUE;
}

void mdl__provider_dequeue(MdlProvider *p, const char *by) {
    CorePortPacketInfo pkt;
    g_assert(g_strcmp0(by, "action") == 0); /* workers dequeue in worker_step */
    if (!dequeue(p, &pkt, NULL, mdl__now(p->world), FALSE) && mdl__tracing(p->world)) {
        rep_trace_begin(p->world->trace, mdl__now(p->world), REP_EV_DEQUEUE_EMPTY);
        rep_trace_str(p->world->trace, REP_KEY_PROVIDER, p->scn->name);
        rep_trace_end(p->world->trace);
    }
}

/* Reads [offset, offset + len) of VMO @vmo from the provider's device, from
 * now: returns how long until the data is there (queueing included). */
static SimTime device_read(MdlProvider *p, uint32_t vmo, uint64_t offset, uint64_t len) {
    MdlWorld *w = p->world;
    SimTime now = mdl__now(w);
    MdlDeviceIo io;
    mdl_device_submit(p->device, now, w->dev_base[vmo] + offset, len, &io);
    if (w->tl)
        rep_timeline_device_read(w->tl, now, (guint)(p->device - w->devices), io.start - now,
                                 io.done - io.start);
    if (mdl__tracing(w)) {
        rep_trace_begin(w->trace, now, REP_EV_DEVICE_READ);
        rep_trace_str(w->trace, REP_KEY_DEVICE, p->device->scn->name);
        rep_trace_str(w->trace, REP_KEY_PROVIDER, p->scn->name);
        rep_trace_str(w->trace, REP_KEY_VMO, w->vmos[vmo].scn->name);
        rep_trace_u64(w->trace, REP_KEY_OFFSET, offset);
        rep_trace_u64(w->trace, REP_KEY_LEN, len);
        rep_trace_u64(w->trace, REP_KEY_QUEUED_NS, io.start - now);
        rep_trace_u64(w->trace, REP_KEY_SERVICE_NS, io.done - io.start);
        rep_trace_end(w->trace);
    }
    return io.done - now;
}

/* One latency draw: through the stream's batch when it has one, so that every
 * draw of the provider (plain or not) takes the same values in the same order. */
G_ALWAYS_INLINE static inline SimTime draw_latency(MdlProvider *p) {
    if (G_LIKELY(p->lat_batch != NULL))
        return sim_batch_sample_exponential(p->lat_batch, &p->latency);
    return sim_dist_sample(&p->latency, &p->rng);
}

/* The time one step of @wk takes beyond the latency: the per-page cost of the
 * pages it delivers. */
static SimTime step_cost(const MdlWorker *wk) {
    uint64_t bytes = MIN(wk->chunk, wk->end - wk->offset);
    return wk->prov->scn->per_page_ns * (bytes >> MDL_PAGE_SHIFT);
}

/* start_service for a provider that is not plain: the range widened to the
 * cluster and clipped to the VMO, the failure draw, the supply mode and the
 * device read. */
static G_GNUC_NO_INLINE SimTime start_service_full(MdlWorker *wk, const CorePortPacketInfo *pkt) {
    MdlProvider *p = wk->prov;
    const ScnProvider *scn = p->scn;
    const MdlVmo *vmo = &p->world->vmos[pkt->key];
    uint64_t lo = pkt->offset, hi = pkt->offset + pkt->length;
    uint64_t cluster = p->cluster;
    if (cluster) {
        lo -= lo % cluster;
        hi =
            MIN(hi + (cluster - hi % cluster) % cluster, MAX(vmo->size, pkt->offset + pkt->length));
    }
    wk->offset = lo;
    wk->end = hi;
    if (scn->failure_probability > 0 && sim_rng_uniform01(&p->rng) < scn->failure_probability) {
        wk->fail_status = (int32_t)scn->failure_status;
        wk->offset = pkt->offset; /* a failure names the request's own range */
        wk->end = pkt->offset + pkt->length;
    }
    switch (scn->supply_mode) {
        case SCN_SUPPLY_PAGES:
            wk->chunk = MDL_PAGE_SIZE;
            break;
        case SCN_SUPPLY_CHUNKS:
            wk->chunk = scn->supply_chunk;
            break;
        default:
            wk->chunk = wk->end - wk->offset;
            break;
    }
    if (wk->fail_status != CORE_OK)
        wk->chunk = wk->end - wk->offset;
    SimTime latency = draw_latency(p);
    if (p->device && wk->fail_status == CORE_OK)
        latency += device_read(p, wk->vmo, wk->offset, wk->end - wk->offset);
    return latency;
}

/* Plans the service of a READ: the range to supply (widened to the cluster and
 * clipped to the VMO), whether it fails, and how long the first step takes
 * (the latency and its per-page cost). A plain provider (MdlProvider)
 * supplies the request as it is, in one step. */
G_ALWAYS_INLINE static inline SimTime start_service(MdlWorker *wk, const CorePortPacketInfo *pkt,
                                                    SimTime now) {
    MdlProvider *p = wk->prov;
    wk->vmo = (uint32_t)pkt->key;
    wk->req_offset = pkt->offset;
    wk->req_len = pkt->length;
    wk->status = CORE_OK;
    wk->started = now;
    wk->fail_status = CORE_OK;
    if (G_UNLIKELY(!p->plain))
        return start_service_full(wk, pkt) + step_cost(wk);
    wk->offset = pkt->offset;
    wk->end = pkt->offset + pkt->length;
    wk->chunk = pkt->length;
    return draw_latency(p) + p->scn->per_page_ns * (pkt->length >> MDL_PAGE_SHIFT);
}

/* The failure of a service (one step): a fail line when it was done. */
static G_GNUC_NO_INLINE CoreStatus deliver_fail(MdlWorker *wk, uint64_t len, SimTime now) {
    MdlProvider *p = wk->prov;
    MdlVmo *vmo = &p->world->vmos[wk->vmo];
    CoreStatus st = mdl__vmo_fail(vmo, wk->offset, len, (CoreStatus)wk->fail_status, wk->name);
    if (p->world->tl && st == CORE_OK)
        rep_timeline_worker_op(p->world->tl, now, p->index, wk->index);
    return st;
}

/* Delivers one step of the service: a supply of the next chunk, or the failure.
 * Returns FALSE if the pager is gone and the worker must stop. */
G_ALWAYS_INLINE static inline gboolean deliver(MdlWorker *wk, SimTime now) {
    MdlProvider *p = wk->prov;
    MdlWorld *w = p->world;
    uint64_t len = MIN(wk->chunk, wk->end - wk->offset);
    CoreStatus st;
    if (G_UNLIKELY(wk->fail_status != CORE_OK)) {
        st = deliver_fail(wk, len, now);
    } else {
        MdlVmo *vmo = &w->vmos[wk->vmo];
        uint64_t supplied = w->stats.supplied_pages;
        st = mdl__vmo_supply_as(vmo, wk->offset, MIN(len, vmo->size - MIN(vmo->size, wk->offset)),
                                FALSE, wk->name);
        /* supply lines when pages were new */
        if (w->tl && w->stats.supplied_pages != supplied)
            rep_timeline_worker_op(w->tl, now, p->index, wk->index);
    }
    wk->offset += len;
    if (G_UNLIKELY(st != CORE_OK)) {
        if (wk->status == CORE_OK)
            wk->status = st;
        wk->offset = wk->end; /* a refused call ends the service */
    }
    return !p->closed;
}

static G_GNUC_NO_INLINE void trace_served(MdlWorker *wk, SimTime now) {
    MdlProvider *p = wk->prov;
    MdlWorld *w = p->world;
    rep_trace_begin(w->trace, now, REP_EV_SERVED);
    rep_trace_str(w->trace, REP_KEY_PROVIDER, p->scn->name);
    rep_trace_str(w->trace, REP_KEY_BY, wk->name);
    rep_trace_str(w->trace, REP_KEY_VMO, w->vmos[wk->vmo].scn->name);
    rep_trace_u64(w->trace, REP_KEY_OFFSET, wk->req_offset);
    rep_trace_u64(w->trace, REP_KEY_LEN, wk->req_len);
    CoreStatus st = wk->fail_status != CORE_OK && wk->status == CORE_OK
                        ? (CoreStatus)wk->fail_status
                        : wk->status;
    rep_trace_str(w->trace, REP_KEY_STATUS, core_status_to_string(st));
    rep_trace_end(w->trace);
}

/* The service of a request is over: its last supply, its failure, or the pager's
 * death stopped it. The plain worker (@plain) clears its range only when it
 * reads no next READ, which sets it. */
G_ALWAYS_INLINE static inline void served(MdlWorker *wk, SimTime now, gboolean plain) {
    MdlProvider *p = wk->prov;
    MdlWorld *w = p->world;
    mdl__figures_served(p, wk->started, now);
    if (!plain)
        wk->offset = wk->end = 0;
    if (w->tl)
        rep_timeline_served_at(w->tl, wk->tl_worker, now, p->index, wk->index);
    if (!plain && G_UNLIKELY(mdl__tracing(w)))
        trace_served(wk, now);
}

/* With the VMO lock on: TRUE once @wk holds it and has paid for the pages
 * its next supply covers (mdl-lock.h). */
static gboolean lock_ready(MdlWorker *wk, SimThread *st) {
    const MdlVmo *vmo = &wk->prov->world->vmos[wk->vmo];
    uint64_t len = MIN(wk->chunk, wk->end - wk->offset);
    uint64_t pages = MIN(len, vmo->size - MIN(vmo->size, wk->offset)) >> MDL_PAGE_SHIFT;
    return mdl__lock_worker_ready(wk, st, wk->fail_status != CORE_OK ? 0 : pages);
}

/* deliver with the VMO lock on: FALSE if @wk must wait for the lock first,
 * else TRUE with @alive set as deliver returns it. */
static G_GNUC_NO_INLINE gboolean deliver_locked(MdlWorker *wk, SimThread *st, SimTime now,
                                                gboolean *alive) {
    if (!lock_ready(wk, st))
        return FALSE;
    *alive = deliver(wk, now);
    mdl__lock_worker_done(wk);
    return TRUE;
}

/* One step of a worker: the next step of its service, or the next READ.
 * Simulated time does not move within it: @now holds throughout. */
static void worker_step(SimThread *st, int32_t status, gpointer data) {
    MdlWorker *wk = data;
    MdlProvider *p = wk->prov;
    SimTime now = mdl__now(p->world);
    if (wk->offset < wk->end) {
        gboolean alive;
        if (G_LIKELY(p->world->locks == NULL))
            alive = deliver(wk, now);
        else if (!deliver_locked(wk, st, now, &alive))
            return;
        if (alive && wk->offset < wk->end) {
            sim_thread_sleep(st, step_cost(wk));
            return;
        }
        served(wk, now, FALSE);
    }
    CorePortPacketInfo pkt;
    while (!p->closed && dequeue(p, &pkt, wk, now, FALSE)) {
        if (pkt.command != CORE_PAGER_VMO_READ)
            continue; /* COMPLETE needs no answer */
        sim_thread_sleep(st, start_service(wk, &pkt, now));
        return;
    }
    if (p->closed)
        sim_thread_exit(st);
    else
        sim_thread_wait_queue(st, &p->idle);
}

/* worker_step for a plain provider (MdlProvider.plain) in a run with no VMO
 * lock, memory pressure, trace or checks (mdl__provider_start): a service is
 * one supply of the request as asked, then its end, as in worker_step, with
 * the same calls in the same order and none of the tests that cannot pass
 * there. req_offset, req_len, chunk, fail_status and status serve trace lines,
 * locks and chunked or failing services only: left as they are. */
static void worker_step_plain(SimThread *st, int32_t status, gpointer data) {
    MdlWorker *wk = data;
    MdlProvider *p = wk->prov;
    MdlWorld *w = p->world;
    SimTime now = mdl__now(w);
    if (wk->offset < wk->end) {
        MdlVmo *vmo = &w->vmos[wk->vmo];
        gboolean fresh = mdl__vmo_supply_plain(vmo, p, wk->offset, wk->end, wk->name, now);
        if (w->tl && fresh) /* supply lines when pages were new */
            rep_timeline_worker_op(w->tl, now, p->index, wk->index);
        served(wk, now, TRUE);
    }
    CorePortPacketInfo pkt;
    while (!p->closed && dequeue(p, &pkt, wk, now, TRUE)) {
        if (pkt.command != CORE_PAGER_VMO_READ)
            continue; /* COMPLETE needs no answer */
        wk->vmo = (uint32_t)pkt.key;
        wk->offset = pkt.offset;
        wk->end = pkt.offset + pkt.length;
        wk->started = now;
        sim_thread_sleep(st,
                         draw_latency(p) + p->scn->per_page_ns * (pkt.length >> MDL_PAGE_SHIFT));
        return;
    }
    wk->offset = wk->end = 0; /* not serving (served) */
    if (p->closed)
        sim_thread_exit(st);
    else
        sim_thread_wait_queue(st, &p->idle);
}

void mdl__provider_start(MdlProvider *p) {
    const MdlWorld *w = p->world;
    SimThreadFn step =
        p->plain && w->locks == NULL && w->mem == NULL && !mdl__tracing(w) && !w->check
            ? worker_step_plain
            : worker_step;
    for (guint i = 0; p->workers && i < p->scn->workers; i++) {
        /* resolved once: the timeline's workers do not move (rep-timeline-hot.h) */
        p->workers[i].tl_worker = w->tl ? rep_timeline_worker_ref(w->tl, p->index, i) : NULL;
        sim_thread_spawn(p->world->engine, p->workers[i].name, step, &p->workers[i], NULL);
    }
}

/* SPEC(core/README.md §2.11): closing the pager handle runs
 * OnPageProviderDispatcherClose for every source of the pager; pages stay. */
void mdl__provider_close(MdlProvider *p) {
    MdlWorld *w = p->world;
    if (p->closed)
        return;
    p->closed = TRUE;
    p->closed_at = mdl__now(w);
    for (guint i = 0; i < w->sc->n_vmos; i++) {
        MdlVmo *vmo = &w->vmos[i];
        if (vmo->prov != p)
            continue;
        gboolean was_detached = core_page_source_is_detached(vmo->src);
        core_page_source_on_page_provider_dispatcher_close(vmo->src);
        mdl__check(w, vmo);
        /* OnPageProviderDispatcherClose detached the source: say so per VMO that
         * was still attached, with its counters (its pages stay). */
        if (w->tl && !was_detached)
            mdl__vmo_timeline_counters(vmo);
        if (mdl__tracing(w) && !was_detached) {
            rep_trace_begin(w->trace, mdl__now(w), REP_EV_DETACH);
            rep_trace_str(w->trace, REP_KEY_VMO, vmo->scn->name);
            rep_trace_str(w->trace, REP_KEY_BY, "pager_close");
            mdl__vmo_trace_counters(vmo);
            rep_trace_end(w->trace);
        }
    }
    if (mdl__tracing(w)) {
        rep_trace_begin(w->trace, mdl__now(w), REP_EV_PAGER_CLOSE);
        rep_trace_str(w->trace, REP_KEY_PROVIDER, p->scn->name);
        rep_trace_end(w->trace);
    }
    sim_wait_queue_wake_all(&p->idle, 0);
}

static void pager_death(SimEngine *engine, gpointer data) {
    MdlProvider *p = data;
    if (mdl__tracing(p->world)) {
        rep_trace_begin(p->world->trace, mdl__now(p->world), REP_EV_PAGER_DEATH);
        rep_trace_str(p->world->trace, REP_KEY_PROVIDER, p->scn->name);
        rep_trace_end(p->world->trace);
    }
    mdl__provider_close(p);
}

void mdl__provider_schedule_death(MdlProvider *p) {
    sim_engine_schedule(p->world->engine, p->scn->die_at_ns, pager_death, p, NULL);
}
