/* The Perfetto converter (see rep-perfetto.h): what each native event draws.
 *
 * This file holds the converter's life cycle and the state of threads, workers
 * and VMOs; rep-perfetto-events.c holds what each native event does.
 *
 * Each native line updates the converter's picture of the run (which thread is
 * in an access or a wait, which worker is serving, counter values) whether or
 * not it is inside the window, and draws only inside it.
 *
 * Invariants:
 *  1. on a thread track, a wait slice is drawn only inside a drawn access slice
 *     when the thread is in an access, and both are ended (wait first) before
 *     anything else begins on that track;
 *  2. a thread is in its VMO's waiter table, for every page of its wait range,
 *     exactly while in_wait;
 *  3. a page_request_signal flow is started only for a thread in a wait, and
 *     every one started is ended inside that wait's slice, so no started flow
 *     is left dangling;
 *  4. a page_request_queue flow's end is written only if its start was.
 */
#include <string.h>

#include "sim/report/rep-perfetto-private.h"

static void track_free(gpointer v) {
    PfTrack *tr = v;
    g_free(tr->name);
    g_free(tr);
}

static void thread_free(gpointer v) {
    PfThread *th = v;
    g_free(th->kind);
    g_free(th->access_vmo);
    g_free(th);
}

static void worker_free(gpointer v) {
    PfWorker *wk = v;
    g_free(wk->serve_vmo);
    g_free(wk);
}

static void vmo_free(gpointer v) {
    PfVmo *vmo = v;
    g_free(vmo->name);
    g_hash_table_unref(vmo->waiters);
    g_free(vmo);
}

static void process_name(RepPerfetto *p, int pid, const char *name) {
    pf__event(p, 'M', "process_name", 0, pid, -1);
    pf__arg_str(p, "name", name);
    pf__end(p);
    pf__event(p, 'M', "process_sort_index", 0, pid, -1);
    pf__arg_i64(p, "sort_index", pid);
    pf__end(p);
}

/* The run's identity as a JSON object, for the trace's "otherData". */
static char *metadata_json(const RepPerfettoOptions *opt) {
    if (opt->scenario == NULL)
        return NULL;
    GString *s = g_string_new("{");
    const char *keys[] = {"scenario", "policy", "pagesim_version"};
    const char *vals[] = {opt->scenario, opt->policy, opt->version};
    for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
        g_string_append_printf(s, "\"%s\":\"", keys[i]);
        for (const char *c = vals[i] ? vals[i] : ""; *c; c++)
            if (*c == '"' || *c == '\\')
                g_string_append_printf(s, "\\%c", *c);
            else if ((unsigned char)*c < 0x20)
                g_string_append_printf(s, "\\u%04x", (unsigned)*c);
            else
                g_string_append_c(s, *c);
        g_string_append(s, "\",");
    }
    g_string_append_printf(s, "\"seed\":%" G_GUINT64_FORMAT "}", opt->seed);
    return g_string_free(s, FALSE);
}

RepPerfetto *rep_perfetto_new(FILE *out, gboolean gzip, const RepPerfettoOptions *opt) {
    RepPerfetto *p = g_new0(RepPerfetto, 1);
    p->sink = rep_sink_new(out, gzip);
    p->line = g_string_sized_new(256);
    p->win_start = opt ? opt->window_start : 0;
    p->win_end = opt ? opt->window_end : UINT64_MAX;
    p->next_tid = PF_FIRST_TID;
    p->next_flow = 1;
    p->tracks = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, track_free);
    p->threads = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, thread_free);
    p->workers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, worker_free);
    p->vmos = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, vmo_free);
    p->queued = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    p->lanes =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_array_unref);
    p->other_data = opt ? metadata_json(opt) : NULL;
    p->waiting_drawn = -1;
    rep_sink_puts(p->sink, "{\"traceEvents\":[");
    process_name(p, PF_PID_THREADS, "simulated threads");
    process_name(p, PF_PID_WORKERS, "pager workers");
    process_name(p, PF_PID_SCENARIO, "scenario");
    p->actions = pf__track(p, PF_PID_SCENARIO, "actions");
    return p;
}

void rep_perfetto_free(RepPerfetto *p) {
    if (p == NULL)
        return;
    rep_sink_free(p->sink);
    g_string_free(p->line, TRUE);
    g_hash_table_unref(p->tracks);
    g_hash_table_unref(p->threads);
    g_hash_table_unref(p->workers);
    g_hash_table_unref(p->vmos);
    g_hash_table_unref(p->queued);
    g_hash_table_unref(p->lanes);
    g_free(p->other_data);
    g_free(p);
}

gboolean rep_perfetto_finish(RepPerfetto *p, GError **error) {
    if (p->opened && !p->closed)
        pf__close_all(p, MIN(p->last_t, p->win_end));
    p->closed = TRUE;
    rep_sink_puts(p->sink, "\n]");
    if (p->other_data) {
        rep_sink_puts(p->sink, ",\"otherData\":");
        rep_sink_puts(p->sink, p->other_data);
    }
    rep_sink_puts(p->sink, "}\n");
    return rep_sink_finish(p->sink, error);
}

/* Lookups that create what they do not find. */

PfThread *pf__get_thread(RepPerfetto *p, const char *name) {
    PfThread *th = g_hash_table_lookup(p->threads, name);
    if (th == NULL) {
        th = g_new0(PfThread, 1);
        const char *hash = strchr(name, '#');
        if (hash) { /* WORKLOAD#N: an open-loop arrival takes the first free lane */
            g_autofree char *group = g_strndup(name, (gsize)(hash - name));
            th->lanes = g_hash_table_lookup(p->lanes, group);
            if (th->lanes == NULL) {
                th->lanes = g_array_new(FALSE, TRUE, sizeof(gboolean));
                g_hash_table_insert(p->lanes, g_strdup(group), th->lanes);
            }
            while (th->lane < th->lanes->len && g_array_index(th->lanes, gboolean, th->lane))
                th->lane++;
            if (th->lane == th->lanes->len)
                g_array_set_size(th->lanes, th->lane + 1);
            g_array_index(th->lanes, gboolean, th->lane) = TRUE;
            g_autofree char *track = g_strdup_printf("%s lane %u", group, th->lane);
            th->track = pf__track(p, PF_PID_THREADS, track);
        } else {
            th->track = pf__track(p, PF_PID_THREADS, name);
        }
        g_hash_table_insert(p->threads, g_strdup(name), th);
    }
    return th;
}

void pf__release_lane(PfThread *th) {
    if (th->lanes)
        g_array_index(th->lanes, gboolean, th->lane) = FALSE;
}

PfWorker *pf__get_worker(RepPerfetto *p, const char *by) {
    PfWorker *wk = g_hash_table_lookup(p->workers, by);
    if (wk == NULL) {
        wk = g_new0(PfWorker, 1);
        wk->is_actions = strcmp(by, "action") == 0;
        wk->track = wk->is_actions ? p->actions : pf__track(p, PF_PID_WORKERS, by);
        g_hash_table_insert(p->workers, g_strdup(by), wk);
    }
    return wk;
}

PfVmo *pf__get_vmo(RepPerfetto *p, const char *name) {
    PfVmo *vmo = g_hash_table_lookup(p->vmos, name);
    if (vmo == NULL) {
        vmo = g_new0(PfVmo, 1);
        vmo->name = g_strdup(name);
        vmo->waiters = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                             (GDestroyNotify)g_ptr_array_unref);
        vmo->outstanding = vmo->queued = vmo->resident = -1;
        vmo->outstanding_drawn = vmo->queued_drawn = vmo->resident_drawn = -1;
        g_hash_table_insert(p->vmos, vmo->name, vmo);
    }
    return vmo;
}

/* Slices of a thread: the access and the wait inside it. */

void pf__draw_access(RepPerfetto *p, PfThread *th) {
    if (!th->in_access || th->access_drawn)
        return;
    th->access_drawn = TRUE;
    pf__begin_slice(p, th->track, th->kind, MAX(th->access_t, p->win_start));
    pf__arg_str(p, "vmo", th->access_vmo);
    pf__arg_u64(p, "offset", th->access_offset);
    pf__arg_u64(p, "len", th->access_len);
    pf__end(p);
}

static void draw_wait(RepPerfetto *p, PfThread *th) {
    pf__draw_access(p, th);
    th->wait_drawn = TRUE;
    pf__begin_slice(p, th->track, "page_request_wait", MAX(th->wait_t, p->win_start));
    pf__arg_str(p, "vmo", th->wait_vmo->name);
    pf__arg_u64(p, "offset", th->wait_offset);
    pf__arg_u64(p, "len", th->wait_len);
    pf__arg_str(p, "request", th->coalesced ? "joined an in-flight request" : "sent");
    pf__end(p);
}

void pf__thread_draw_open(RepPerfetto *p, PfThread *th) {
    if (th->in_wait && !th->wait_drawn)
        draw_wait(p, th);
}

/* Ends the drawn wait slice of @th at @ts, with the signal flow's end inside it
 * and @status (nullable) as its result. */
static void end_wait_slice(RepPerfetto *p, PfThread *th, uint64_t ts, const char *status) {
    if (!th->wait_drawn)
        return;
    if (th->signal_flow)
        pf__flow(p, th->track, 'f', "page_request_signal", th->signal_flow, ts);
    pf__end_slice(p, th->track, ts);
    if (status)
        pf__arg_str(p, "status", status);
    pf__end(p);
    th->wait_drawn = FALSE;
    th->signal_flow = 0;
}

void pf__thread_close(RepPerfetto *p, PfThread *th, uint64_t ts) {
    end_wait_slice(p, th, ts, NULL);
    if (th->access_drawn) {
        pf__end_slice(p, th->track, ts);
        pf__end(p);
        th->access_drawn = FALSE;
    }
}

/* The waiter table: @th is listed under every page of its wait range. */
static void waiters_update(PfThread *th, gboolean add) {
    PfVmo *vmo = th->wait_vmo;
    uint64_t first = th->wait_offset / PF_PAGE_SIZE;
    uint64_t end = (th->wait_offset + th->wait_len + PF_PAGE_SIZE - 1) / PF_PAGE_SIZE;
    for (uint64_t pg = first; pg < end; pg++) {
        gpointer key = GSIZE_TO_POINTER((gsize)pg);
        GPtrArray *list = g_hash_table_lookup(vmo->waiters, key);
        if (add && list == NULL) {
            list = g_ptr_array_new();
            g_hash_table_insert(vmo->waiters, key, list);
        }
        if (add) {
            g_ptr_array_add(list, th);
        } else if (list) {
            g_ptr_array_remove_fast(list, th);
            if (list->len == 0)
                g_hash_table_remove(vmo->waiters, key);
        }
    }
}

/* Ends the wait of @th (drawn or not) at @ts. */
void pf__leave_wait(RepPerfetto *p, PfThread *th, uint64_t ts, const char *status, gboolean live) {
    if (!th->in_wait)
        return;
    if (live)
        end_wait_slice(p, th, ts, status);
    waiters_update(th, FALSE);
    th->in_wait = FALSE;
    th->signal_flow = 0;
    p->waiting--;
}

void pf__enter_wait(RepPerfetto *p, PfThread *th, const RepEvent *e, gboolean coalesced,
                    gboolean live) {
    pf__leave_wait(p, th, e->t, NULL, live);
    const char *vmo = rep_event_get_str(e, REP_KEY_VMO);
    th->in_wait = TRUE;
    th->wait_t = e->t;
    th->coalesced = coalesced;
    th->wait_vmo = pf__get_vmo(p, vmo ? vmo : "?");
    th->wait_offset = th->wait_len = 0;
    rep_event_get_u64(e, REP_KEY_OFFSET, &th->wait_offset);
    rep_event_get_u64(e, REP_KEY_LEN, &th->wait_len);
    th->wait_left = (int64_t)th->wait_len;
    th->signal_flow = 0;
    waiters_update(th, TRUE);
    p->waiting++;
    if (live)
        draw_wait(p, th);
}

void pf__worker_draw_open(RepPerfetto *p, PfWorker *wk) {
    if (!wk->serving || wk->serve_drawn)
        return;
    wk->serve_drawn = TRUE;
    pf__begin_slice(p, wk->track, "serve", MAX(wk->serve_t, p->win_start));
    pf__arg_str(p, "vmo", wk->serve_vmo);
    pf__arg_u64(p, "offset", wk->serve_offset);
    pf__arg_u64(p, "len", wk->serve_len);
    pf__end(p);
}

void pf__worker_close(RepPerfetto *p, PfWorker *wk, uint64_t ts) {
    if (!wk->serve_drawn)
        return;
    pf__end_slice(p, wk->track, ts);
    pf__end(p);
    wk->serve_drawn = FALSE;
}

/* Ends the service of @wk at @ts with @status (nullable). */
void pf__end_service(RepPerfetto *p, PfWorker *wk, uint64_t ts, const char *status, gboolean live) {
    if (!wk->serving)
        return;
    if (live && wk->serve_drawn) {
        pf__end_slice(p, wk->track, ts);
        if (status)
            pf__arg_str(p, "status", status);
        pf__end(p);
        wk->serve_drawn = FALSE;
    }
    wk->serving = FALSE;
}
