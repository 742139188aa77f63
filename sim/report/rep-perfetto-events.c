/* The Perfetto converter's handlers: what each native event of the schema
 * (rep-schema.h) changes and draws, in one table indexed by the event. The
 * reader has already refused events and fields outside the schema.
 *
 * Invariants:
 *  1. a handler draws only when @live (the event lies inside the window);
 *  2. zero-length slices (dequeue, supply, fail) are begun, given their flows
 *     and ended within one handler, so nothing else nests inside them;
 *  3. counters are updated from any line with a "vmo" that carries
 *     "outstanding", "port" or "resident" (all per VMO), and are drawn only when
 *     their value changes.
 */
#include <string.h>

#include "sim/report/rep-perfetto-private.h"

typedef void (*Handler)(RepPerfetto *p, const RepEvent *e, gboolean live);

static uint64_t u64_or(const RepEvent *e, RepKey key, uint64_t dflt) {
    uint64_t v = dflt;
    rep_event_get_u64(e, key, &v);
    return v;
}

static const char *str_or(const RepEvent *e, RepKey key, const char *dflt) {
    const char *v = rep_event_get_str(e, key);
    return v ? v : dflt;
}

/* Copies the fields of @e that say something into the args of the event being
 * written. */
static void args_from(RepPerfetto *p, const RepEvent *e) {
    for (guint i = 0; i < e->n_fields; i++) {
        const RepField *f = &e->fields[i];
        if (f->type == REP_FIELD_STR)
            pf__arg_str(p, rep_key_name(f->key), f->s);
        else
            pf__arg_u64(p, rep_key_name(f->key), f->u);
    }
}

/* The range of @e (vmo, offset, len) as args of the event being written. */
static void range_args(RepPerfetto *p, const RepEvent *e) {
    pf__arg_str(p, "vmo", str_or(e, REP_KEY_VMO, "?"));
    pf__arg_u64(p, "offset", u64_or(e, REP_KEY_OFFSET, 0));
    pf__arg_u64(p, "len", u64_or(e, REP_KEY_LEN, 0));
}

static char *queue_key(const char *vmo, uint64_t offset, uint64_t len) {
    return g_strdup_printf("%s/%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT, vmo, offset, len);
}

static void on_access(RepPerfetto *p, const RepEvent *e, gboolean live) {
    PfThread *th = pf__get_thread(p, str_or(e, REP_KEY_THREAD, "?"));
    if (th->in_access) {
        pf__leave_wait(p, th, e->t, NULL, live);
        if (live)
            pf__thread_close(p, th, e->t);
    }
    th->in_access = TRUE;
    th->access_drawn = FALSE;
    th->access_t = e->t;
    g_free(th->kind);
    g_free(th->access_vmo);
    th->kind = g_strdup(str_or(e, REP_KEY_KIND, "access"));
    th->access_vmo = g_strdup(str_or(e, REP_KEY_VMO, "?"));
    th->access_offset = u64_or(e, REP_KEY_OFFSET, 0);
    th->access_len = u64_or(e, REP_KEY_LEN, 0);
}

/* A request sent to the provider: the thread's wait begins, and the
 * page_request_queue flow starts inside it. The newest request for a range
 * replaces any older one that was never dequeued (it was cancelled). */
static void on_request(RepPerfetto *p, const RepEvent *e, gboolean live) {
    const char *vmo = str_or(e, REP_KEY_VMO, "?");
    PfThread *th = pf__get_thread(p, str_or(e, REP_KEY_THREAD, "?"));
    pf__enter_wait(p, th, e, FALSE, live);
    PfFlow *flow = g_new0(PfFlow, 1);
    flow->id = p->next_flow++;
    flow->drawn = live;
    if (live)
        pf__flow(p, th->track, 's', "page_request_queue", flow->id, e->t);
    g_hash_table_replace(p->queued, queue_key(vmo, th->wait_offset, th->wait_len), flow);
}

static void on_coalesce(RepPerfetto *p, const RepEvent *e, gboolean live) {
    pf__enter_wait(p, pf__get_thread(p, str_or(e, REP_KEY_THREAD, "?")), e, TRUE, live);
}

/* Ends the page_request_queue flow of the request dequeued by @e, if its start
 * was drawn. Call with the dequeue's slice open. */
static void end_queue_flow(RepPerfetto *p, PfTrack *tr, const RepEvent *e, gboolean live) {
    g_autofree char *key = queue_key(str_or(e, REP_KEY_VMO, "?"), u64_or(e, REP_KEY_OFFSET, 0),
                                     u64_or(e, REP_KEY_LEN, 0));
    PfFlow *flow = g_hash_table_lookup(p->queued, key);
    if (flow == NULL)
        return;
    if (flow->drawn && live)
        pf__flow(p, tr, 'f', "page_request_queue", flow->id, e->t);
    g_hash_table_remove(p->queued, key);
}

/* A worker's dequeue of a READ begins its service; anything else (a COMPLETE,
 * or a dequeue by an action) is a zero-length slice. */
static void on_dequeue(RepPerfetto *p, const RepEvent *e, gboolean live) {
    PfWorker *wk = pf__get_worker(p, str_or(e, REP_KEY_BY, "?"));
    const char *cmd = str_or(e, REP_KEY_CMD, "READ");
    gboolean read = strcmp(cmd, "READ") == 0;
    pf__end_service(p, wk, wk->last_t, NULL, live);
    if (read && !wk->is_actions) {
        wk->serving = TRUE;
        wk->serve_t = wk->last_t = e->t;
        g_free(wk->serve_vmo);
        wk->serve_vmo = g_strdup(str_or(e, REP_KEY_VMO, "?"));
        wk->serve_offset = u64_or(e, REP_KEY_OFFSET, 0);
        wk->serve_len = u64_or(e, REP_KEY_LEN, 0);
        if (live)
            pf__worker_draw_open(p, wk);
        end_queue_flow(p, wk->track, e, live);
        return;
    }
    if (!live) {
        end_queue_flow(p, wk->track, e, live);
        return;
    }
    g_autofree char *name = g_strdup_printf("dequeue %s", cmd);
    pf__begin_slice(p, wk->track, name, e->t);
    range_args(p, e);
    pf__end(p);
    if (read)
        end_queue_flow(p, wk->track, e, live);
    pf__end_slice(p, wk->track, e->t);
    pf__end(p);
}

static void on_served(RepPerfetto *p, const RepEvent *e, gboolean live) {
    PfWorker *wk = pf__get_worker(p, str_or(e, REP_KEY_BY, "?"));
    pf__end_service(p, wk, e->t, rep_event_get_str(e, REP_KEY_STATUS), live);
    wk->last_t = e->t;
}

/* Starts a page_request_signal flow to @th from the slice open on @tr. */
static void start_signal_flow(RepPerfetto *p, PfTrack *tr, PfThread *th, uint64_t t) {
    if (th->signal_flow || !th->wait_drawn)
        return;
    th->signal_flow = p->next_flow++;
    pf__flow(p, tr, 's', "page_request_signal", th->signal_flow, t);
}

/* Credits a supply (or a fail, which completes every overlapping waiter) of
 * [offset, offset + len) to the threads waiting there. */
static void credit_waiters(RepPerfetto *p, PfTrack *tr, const RepEvent *e, gboolean fail,
                           gboolean live) {
    PfVmo *vmo = pf__get_vmo(p, str_or(e, REP_KEY_VMO, "?"));
    uint64_t offset = u64_or(e, REP_KEY_OFFSET, 0), len = u64_or(e, REP_KEY_LEN, 0);
    if (g_hash_table_size(vmo->waiters) == 0)
        return;
    for (uint64_t pg = offset / PF_PAGE_SIZE; pg * PF_PAGE_SIZE < offset + len; pg++) {
        GPtrArray *list = g_hash_table_lookup(vmo->waiters, GSIZE_TO_POINTER((gsize)pg));
        for (guint i = 0; list && i < list->len; i++) {
            PfThread *th = g_ptr_array_index(list, i);
            th->wait_left -= PF_PAGE_SIZE;
            if ((fail || th->wait_left <= 0) && live)
                start_signal_flow(p, tr, th, e->t);
        }
    }
}

static void on_supply_or_fail(RepPerfetto *p, const RepEvent *e, gboolean live) {
    gboolean fail = (e->ev == REP_EV_FAIL);
    PfWorker *wk = pf__get_worker(p, str_or(e, REP_KEY_BY, "?"));
    wk->last_t = e->t;
    if (live) {
        g_autofree char *name =
            fail ? g_strdup_printf("fail %s", str_or(e, REP_KEY_STATUS, "")) : NULL;
        pf__begin_slice(p, wk->track, fail ? name : "supply", e->t);
        range_args(p, e);
        pf__end(p);
    }
    credit_waiters(p, wk->track, e, fail, live);
    if (live) {
        pf__end_slice(p, wk->track, e->t);
        pf__end(p);
    }
}

static void on_wake(RepPerfetto *p, const RepEvent *e, gboolean live) {
    PfThread *th = pf__get_thread(p, str_or(e, REP_KEY_THREAD, "?"));
    pf__leave_wait(p, th, e->t, rep_event_get_str(e, REP_KEY_STATUS), live);
}

static void on_cancel(RepPerfetto *p, const RepEvent *e, gboolean live) {
    PfThread *th = pf__get_thread(p, str_or(e, REP_KEY_THREAD, "?"));
    if (live && th->wait_drawn) {
        pf__instant(p, th->track, "cancel", e->t);
        pf__arg_str(p, "status", str_or(e, REP_KEY_STATUS, ""));
        pf__end(p);
    }
    pf__leave_wait(p, th, e->t, rep_event_get_str(e, REP_KEY_STATUS), live);
}

/* An access ends. One that took no time and found its pages resident is not
 * drawn at all; a failed one gets an instant inside its slice. */
static void on_done(RepPerfetto *p, const RepEvent *e, gboolean live) {
    PfThread *th = pf__get_thread(p, str_or(e, REP_KEY_THREAD, "?"));
    pf__leave_wait(p, th, e->t, NULL, live);
    if (!th->in_access)
        return;
    uint64_t latency = u64_or(e, REP_KEY_LATENCY_NS, 0), fault = u64_or(e, REP_KEY_FAULT, 0);
    if (live && (th->access_drawn || latency > 0 || fault > 0))
        pf__draw_access(p, th);
    th->in_access = FALSE;
    pf__release_lane(th);
    if (!th->access_drawn)
        return;
    const char *status = str_or(e, REP_KEY_STATUS, "");
    if (strcmp(status, "ZX_OK") != 0 && status[0]) {
        pf__instant(p, th->track, "access failed", e->t);
        pf__arg_str(p, "status", status);
        pf__end(p);
    }
    pf__end_slice(p, th->track, e->t);
    pf__arg_str(p, "status", status);
    pf__arg_u64(p, "latency_ns", latency);
    pf__end(p);
    th->access_drawn = FALSE;
}

/* A device read: an async slice named after the device (its track, in the
 * pager workers' process; reads in service at once stack on it) from the start
 * of its service to its end, clipped to the window. */
static void on_device_read(RepPerfetto *p, const RepEvent *e, gboolean live) {
    uint64_t start = e->t + u64_or(e, REP_KEY_QUEUED_NS, 0);
    uint64_t end = start + u64_or(e, REP_KEY_SERVICE_NS, 0);
    if (!live || start > p->win_end)
        return;
    end = MIN(end, p->win_end);
    uint64_t id = ++p->next_flow;
    const char *dev = str_or(e, REP_KEY_DEVICE, "device");
    pf__event(p, 'b', dev, start, PF_PID_WORKERS, 0);
    pf__field_str(p, "cat", "device");
    pf__field_u64(p, "id", id);
    range_args(p, e);
    pf__arg_str(p, "provider", str_or(e, REP_KEY_PROVIDER, "?"));
    pf__arg_u64(p, "queued_ns", u64_or(e, REP_KEY_QUEUED_NS, 0));
    pf__end(p);
    pf__event(p, 'e', dev, end, PF_PID_WORKERS, 0);
    pf__field_str(p, "cat", "device");
    pf__field_u64(p, "id", id);
    pf__end(p);
}

/* Timed actions and reclaim: instants on the actions track. */
static void on_action_instant(RepPerfetto *p, const RepEvent *e, gboolean live) {
    if (!live)
        return;
    const char *what = rep_event_get_str(e, REP_KEY_DO);
    const char *ev = rep_schema_event(e->ev)->name;
    g_autofree char *name = what ? g_strdup_printf("%s %s", ev, what) : g_strdup(ev);
    pf__instant(p, p->actions, name, e->t);
    args_from(p, e);
    pf__end(p);
}

/* An open-workload arrival turned away at max_in_flight: an instant on the
 * actions track named after the workload (no thread exists to carry it). */
static void on_dropped(RepPerfetto *p, const RepEvent *e, gboolean live) {
    if (!live)
        return;
    g_autofree char *name = g_strdup_printf("dropped %s", str_or(e, REP_KEY_WORKLOAD, "?"));
    pf__instant(p, p->actions, name, e->t);
    args_from(p, e);
    pf__end(p);
}

/* Detach, close, pager close and pager death concern everything: global instants. */
static void on_global(RepPerfetto *p, const RepEvent *e, gboolean live) {
    if (!live)
        return;
    const char *what = rep_event_get_str(e, REP_KEY_VMO);
    what = what ? what : str_or(e, REP_KEY_PROVIDER, "");
    g_autofree char *name = g_strdup_printf(
        "%s %s", e->ev == REP_EV_PAGER_DEATH ? "pager death" : rep_schema_event(e->ev)->name, what);
    pf__global_instant(p, name, e->t);
    args_from(p, e);
    pf__end(p);
}

/* A wait for the VMO lock: a complete ('X') slice `lock_wait` on the track of
 * the thread or pager worker (or the actions track) that waited, ending at the
 * grant. */
static void on_lock_wait(RepPerfetto *p, const RepEvent *e, gboolean live) {
    if (!live)
        return;
    const char *by = str_or(e, REP_KEY_BY, "?");
    PfThread *th = g_hash_table_lookup(p->threads, by);
    PfTrack *tr = th ? th->track : pf__get_worker(p, by)->track;
    if (th != NULL)
        pf__draw_access(p, th); /* the slice nests in the access's */
    uint64_t start = e->t - MIN(u64_or(e, REP_KEY_WAITED_NS, 0), e->t);
    start = MAX(start, p->win_start);
    pf__use(p, tr);
    pf__event(p, 'X', "lock_wait", start, tr->pid, tr->tid);
    pf__field_dur(p, e->t - start);
    args_from(p, e);
    pf__end(p);
}

/* What each event does: every event of the schema has its entry. */
static const Handler handlers[REP_EV_COUNT] = {
    [REP_EV_ACCESS] = on_access,
    [REP_EV_REQUEST] = on_request,
    [REP_EV_COALESCE] = on_coalesce,
    [REP_EV_DEQUEUE] = on_dequeue,
    [REP_EV_SERVED] = on_served,
    [REP_EV_DEVICE_READ] = on_device_read,
    [REP_EV_DEQUEUE_EMPTY] = on_action_instant,
    [REP_EV_SUPPLY] = on_supply_or_fail,
    [REP_EV_FAIL] = on_supply_or_fail,
    [REP_EV_WAKE] = on_wake,
    [REP_EV_CANCEL] = on_cancel,
    [REP_EV_DONE] = on_done,
    [REP_EV_ACTION] = on_action_instant,
    [REP_EV_REFUSED] = on_action_instant,
    [REP_EV_EVICT] = on_action_instant,
    [REP_EV_RESIZE] = on_action_instant,
    [REP_EV_DETACH] = on_global,
    [REP_EV_CLOSE] = on_global,
    [REP_EV_PAGER_CLOSE] = on_global,
    [REP_EV_PAGER_DEATH] = on_global,
    [REP_EV_DROPPED] = on_dropped,
    [REP_EV_OVERTIME] = on_action_instant,
    [REP_EV_RECLAIM] = on_action_instant,
    [REP_EV_LOCK_WAIT] = on_lock_wait,
};

/* Takes the counter fields of @e, wherever they appear. */
static void update_counters(RepPerfetto *p, const RepEvent *e, gboolean live) {
    const char *vmo_name = rep_event_get_str(e, REP_KEY_VMO);
    PfVmo *vmo = vmo_name ? pf__get_vmo(p, vmo_name) : NULL;
    uint64_t v;
    if (vmo && rep_event_get_u64(e, REP_KEY_OUTSTANDING, &v))
        vmo->outstanding = (int64_t)v;
    if (vmo && rep_event_get_u64(e, REP_KEY_PORT, &v))
        vmo->queued = (int64_t)v;
    if (vmo && rep_event_get_u64(e, REP_KEY_RESIDENT, &v))
        vmo->resident = (int64_t)v;
    if (!live)
        return;
    pf__counter(p, "threads", "waiting", p->waiting, &p->waiting_drawn, e->t);
    if (vmo) {
        pf__counter(p, vmo->name, "outstanding requests", vmo->outstanding, &vmo->outstanding_drawn,
                    e->t);
        pf__counter(p, vmo->name, "queued requests", vmo->queued, &vmo->queued_drawn, e->t);
        pf__counter(p, vmo->name, "resident pages", vmo->resident, &vmo->resident_drawn, e->t);
    }
}

void rep_perfetto_feed(const RepEvent *e, gpointer self) {
    RepPerfetto *p = self;
    gboolean live = pf__live(p, e->t);
    if (p->closed)
        return;
    handlers[e->ev](p, e, live);
    update_counters(p, e, live);
}

gboolean rep_perfetto_convert_file(const char *path, FILE *out, gboolean gzip,
                                   const RepPerfettoOptions *opt, GError **error) {
    g_autoptr(RepPerfetto) p = rep_perfetto_new(out, gzip, opt);
    if (!rep_event_read_file(path, rep_perfetto_feed, p, error))
        return FALSE;
    return rep_perfetto_finish(p, error);
}
