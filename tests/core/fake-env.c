/* tests/core/fake-env.c: the test environment of fake-env.h.
 *
 * The VMO model follows core/README.md §5: reads and faults use a fresh
 * non-batching request per page; a commit walks its range with one batching
 * request (present pages skipped, NEXT / SHOULD_WAIT / committed_len, Finalize
 * after a NEXT, re-walk after a wake); a supply inserts only missing pages and
 * reports each maximal run of new pages; a shrink reports its gaps with the
 * (gap_start, gap_end) quirk.
 */
#include "fake-env.h"

static void thread_run_read(FakeThread *t);
static void thread_run_commit(FakeThread *t);

static void append_sep(GString *s) {
    if (s->len > 0)
        g_string_append_c(s, ' ');
}

/* A signal: log it and make a blocked owner runnable. */
static void on_signal(gpointer ctx, CorePageRequest *req, CoreStatus status) {
    FakeEnv *env = ctx;
    FakeThread *t = CORE_CONTAINER_OF(req, FakeThread, req);
    append_sep(env->signals);
    g_string_append_printf(env->signals, "T%u:%d", t->id, status);
    if (t->state == FAKE_THREAD_BLOCKED) {
        t->state = FAKE_THREAD_WOKEN;
        g_queue_push_tail(&env->runnable, t);
    }
}

static void on_packet_available(gpointer ctx, CorePort *port) {
    FakeEnv *env = ctx;
    env->available_hooks++;
}

/* The observer: only signals matter here. */
static void on_sent_or_coalesced(gpointer ctx, CorePageRequest *req) {}

static const CoreObserverOps fake_observer_ops = {
    .on_sent = on_sent_or_coalesced,
    .on_coalesced = on_sent_or_coalesced,
    .on_signalled = on_signal,
};
static const CorePortOps fake_port_ops = {.packet_available = on_packet_available};

FakeEnv *fake_env_new(void) {
    FakeEnv *env = g_new0(FakeEnv, 1);
    env->port = core_port_new(&fake_port_ops, env);
    env->vmos = g_ptr_array_new();
    env->threads = g_ptr_array_new();
    g_queue_init(&env->runnable);
    env->packets = g_string_new(NULL);
    env->signals = g_string_new(NULL);
    env->calls = g_string_new(NULL);
    env->why = g_string_sized_new(256);
    env->auto_settle = TRUE;
    return env;
}

void fake_env_free(FakeEnv *env) {
    if (env == NULL)
        return;
    env->mirror = NULL;
    for (guint i = 0; i < env->threads->len; i++) {
        FakeThread *t = g_ptr_array_index(env->threads, i);
        if (t != NULL)
            core_page_request_destroy(&t->req);
    }
    for (guint i = 0; i < env->threads->len; i++)
        g_free(g_ptr_array_index(env->threads, i));
    for (guint i = 0; i < env->vmos->len; i++) {
        FakeVmo *vmo = g_ptr_array_index(env->vmos, i);
        core_page_source_free(vmo->src);
        core_pager_proxy_free(vmo->proxy);
        g_free(vmo->slots);
        g_string_free(vmo->tree, TRUE);
        g_free(vmo);
    }
    g_ptr_array_unref(env->vmos);
    g_ptr_array_unref(env->threads);
    g_queue_clear(&env->runnable);
    core_port_unref(env->port);
    g_string_free(env->packets, TRUE);
    g_string_free(env->signals, TRUE);
    g_string_free(env->calls, TRUE);
    g_string_free(env->why, TRUE);
    g_free(env);
}

FakeVmo *fake_env_add_vmo(FakeEnv *env, guint64 pages) {
    FakeVmo *vmo = g_new0(FakeVmo, 1);
    vmo->env = env;
    vmo->index = env->vmos->len;
    vmo->key = vmo->index + 1;
    vmo->proxy = core_pager_proxy_new(env->port, vmo->key);
    vmo->src =
        core_page_source_new(core_pager_proxy_get_ops(), vmo->proxy, &fake_observer_ops, env);
    vmo->size = pages;
    vmo->capacity = MAX(pages, 1);
    vmo->slots = g_new0(FakeSlot, vmo->capacity);
    vmo->tree = g_string_new(NULL);
    g_ptr_array_add(env->vmos, vmo);
    return vmo;
}

FakeThread *fake_env_thread(FakeEnv *env, guint id) {
    if (id < env->threads->len && g_ptr_array_index(env->threads, id) != NULL)
        return g_ptr_array_index(env->threads, id);
    if (id >= env->threads->len)
        g_ptr_array_set_size(env->threads, id + 1);
    FakeThread *t = g_new0(FakeThread, 1);
    t->id = id;
    t->env = env;
    core_page_request_construct(&t->req, FALSE);
    g_ptr_array_index(env->threads, id) = t;
    return t;
}

void fake_env_check(FakeEnv *env) {
    g_string_truncate(env->why, 0);
    for (guint i = 0; i < env->vmos->len; i++) {
        FakeVmo *vmo = g_ptr_array_index(env->vmos, i);
        if (!core_page_source_check_invariants(vmo->src, env->why) ||
            !core_pager_proxy_check_invariants(vmo->proxy, vmo->src, env->why))
            break;
    }
    if (env->why->len == 0)
        core_port_check_invariants(env->port, env->why);
    g_assert_cmpstr(env->why->str, ==, "");
}

void fake_env_clear_logs(FakeEnv *env) {
    g_string_truncate(env->packets, 0);
    g_string_truncate(env->signals, 0);
    g_string_truncate(env->calls, 0);
}

/* ---- Calls into core/, mirrored when a reference model is attached. ---- */

static void thread_new_request(FakeThread *t, gboolean batching) {
    core_page_request_destroy(&t->req);
    if (t->env->mirror != NULL)
        t->env->mirror->destroy(t->env->mirror_ctx, t);
    core_page_request_construct(&t->req, batching);
}

static CoreStatus thread_get_page(FakeThread *t, guint64 page) {
    FakeEnv *env = t->env;
    CoreStatus st = core_page_source_get_page(t->vmo->src, page * PG, &t->req);
    t->get_page_calls++;
    if (env->mirror != NULL) {
        CoreStatus m = env->mirror->get_page(env->mirror_ctx, t, t->req.allow_batching, page * PG);
        g_assert_cmpint(st, ==, m);
    }
    return st;
}

static CoreStatus thread_finalize(FakeThread *t) {
    FakeEnv *env = t->env;
    CoreStatus st = core_page_source_finalize_request(t->vmo->src, &t->req);
    if (env->mirror != NULL)
        g_assert_cmpint(st, ==, env->mirror->finalize(env->mirror_ctx, t));
    return st;
}

static void vmo_supplied(FakeVmo *vmo, guint64 offset, guint64 len) {
    FakeEnv *env = vmo->env;
    append_sep(env->calls);
    g_string_append_printf(env->calls, "S(%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ")", offset,
                           len);
    core_page_source_on_pages_supplied(vmo->src, offset, len);
    if (env->mirror != NULL)
        env->mirror->supplied(env->mirror_ctx, vmo, offset, len);
}

/* ---- Threads. ---- */

static void thread_finish(FakeThread *t, CoreStatus status) {
    thread_new_request(t, FALSE);
    t->state = FAKE_THREAD_DONE;
    t->result = status;
    t->pending_interrupt = CORE_OK;
}

static void thread_after_wait(FakeThread *t, CoreStatus status) {
    if (status == CORE_ERR_INTERNAL_INTR_RETRY) {
        t->state = FAKE_THREAD_SUSPENDED;
        t->result = status;
        return;
    }
    if (status != CORE_OK) {
        thread_finish(t, status);
        return;
    }
    if (t->kind != FAKE_ACCESS_COMMIT) {
        /* Decision: after a wake the end of the whole read is re-checked. */
        if (t->arg_page + t->arg_count > t->vmo->size)
            thread_finish(t, CORE_ERR_OUT_OF_RANGE);
        else
            thread_run_read(t);
        return;
    }
    /* §5.3: re-trim against the current size; a commit that shrank away ends OK. */
    if (t->cur >= t->vmo->size)
        t->left = 0;
    else if (t->cur + t->left > t->vmo->size)
        t->left = t->vmo->size - t->cur;
    thread_run_commit(t);
}

static void thread_finish_wait(FakeThread *t, CoreStatus wake) {
    FakeEnv *env = t->env;
    CoreStatus st = core_page_request_wait(&t->req, wake);
    if (env->mirror != NULL)
        g_assert_cmpint(st, ==, env->mirror->wait(env->mirror_ctx, t, wake));
    thread_after_wait(t, st);
}

static void thread_enter_wait_internal(FakeThread *t) {
    if (core_page_request_is_signalled(&t->req)) {
        thread_finish_wait(t, CORE_OK);
    } else if (t->pending_interrupt != CORE_OK) {
        CoreStatus st = t->pending_interrupt;
        t->pending_interrupt = CORE_OK;
        thread_finish_wait(t, st);
    } else {
        t->state = FAKE_THREAD_BLOCKED;
    }
}

static void thread_block(FakeThread *t) {
    if (t->defer_wait)
        t->state = FAKE_THREAD_PRE_WAIT;
    else
        thread_enter_wait_internal(t);
}

/* §5.1/§5.2: page by page; a present page (or marker) is read as is. */
static void thread_run_read(FakeThread *t) {
    while (t->cur < t->arg_page + t->arg_count) {
        if (fake_vmo_slot(t->vmo, t->cur) != FAKE_SLOT_EMPTY) {
            t->cur++;
            continue;
        }
        thread_new_request(t, FALSE);
        CoreStatus st = thread_get_page(t, t->cur);
        if (st == CORE_ERR_SHOULD_WAIT) {
            thread_block(t);
            return;
        }
        if (st != CORE_OK) {
            thread_finish(t, st);
            return;
        }
        t->vmo->slots[t->cur] = FAKE_SLOT_PAGE;
    }
    thread_finish(t, CORE_OK);
}

/* §5.3 inner walk. Returns the status that ends it and sets *committed. */
static CoreStatus commit_walk(FakeThread *t, gboolean *seen_next, guint64 *committed) {
    FakeSlot *slots = t->vmo->slots;
    for (guint64 p = t->cur; p < t->cur + t->left; p++) {
        if (slots[p] == FAKE_SLOT_PAGE)
            continue;
        if (slots[p] == FAKE_SLOT_MARKER) {
            /* Decision: COMMIT replaces a zero marker by a zero page. */
            slots[p] = FAKE_SLOT_PAGE;
            continue;
        }
        CoreStatus st = thread_get_page(t, p);
        if (st == CORE_OK) {
            slots[p] = FAKE_SLOT_PAGE;
        } else if (st == CORE_ERR_NEXT || st == CORE_ERR_SHOULD_WAIT) {
            if (!*seen_next)
                *committed = p - t->cur;
            *seen_next = *seen_next || st == CORE_ERR_NEXT;
            if (st == CORE_ERR_SHOULD_WAIT)
                return st;
        } else {
            return st;
        }
    }
    return CORE_OK;
}

static void thread_run_commit(FakeThread *t) {
    gboolean seen_next = FALSE;
    guint64 committed = 0;
    CoreStatus st = commit_walk(t, &seen_next, &committed);
    if (st == CORE_OK) {
        if (!seen_next) {
            thread_finish(t, CORE_OK);
            return;
        }
        st = thread_finalize(t);
    }
    if (st != CORE_ERR_SHOULD_WAIT) {
        thread_finish(t, st);
        return;
    }
    t->cur += committed;
    t->left -= committed;
    thread_block(t);
}

static void thread_begin(FakeThread *t) {
    t->result = CORE_OK;
    t->cur = t->arg_page;
    t->left = t->arg_count;
    if (t->arg_page + t->arg_count > t->vmo->size) {
        thread_finish(t, CORE_ERR_OUT_OF_RANGE);
    } else if (t->kind == FAKE_ACCESS_COMMIT) {
        thread_new_request(t, TRUE);
        thread_run_commit(t);
    } else {
        thread_run_read(t);
    }
    fake_env_check(t->env);
}

static FakeThreadState thread_start(FakeThread *t, FakeVmo *vmo, FakeAccessKind kind, guint64 page,
                                    guint64 n) {
    g_assert_true(t->state == FAKE_THREAD_IDLE || t->state == FAKE_THREAD_DONE);
    t->vmo = vmo;
    t->kind = kind;
    t->arg_page = page;
    t->arg_count = n;
    thread_begin(t);
    return t->state;
}

FakeThreadState fake_thread_read(FakeThread *t, FakeVmo *vmo, guint64 page, guint64 n) {
    return thread_start(t, vmo, FAKE_ACCESS_READ, page, n);
}

FakeThreadState fake_thread_fault(FakeThread *t, FakeVmo *vmo, guint64 page) {
    return thread_start(t, vmo, FAKE_ACCESS_FAULT, page, 1);
}

FakeThreadState fake_thread_commit(FakeThread *t, FakeVmo *vmo, guint64 page, guint64 n) {
    return thread_start(t, vmo, FAKE_ACCESS_COMMIT, page, n);
}

FakeThreadState fake_thread_enter_wait(FakeThread *t) {
    g_assert_cmpint(t->state, ==, FAKE_THREAD_PRE_WAIT);
    thread_enter_wait_internal(t);
    fake_env_check(t->env);
    return t->state;
}

FakeThreadState fake_thread_interrupt(FakeThread *t, CoreStatus status) {
    switch (t->state) {
        case FAKE_THREAD_WOKEN:
            g_queue_remove(&t->env->runnable, t);
            thread_finish_wait(t, status);
            break;
        case FAKE_THREAD_BLOCKED:
            thread_finish_wait(t, status);
            break;
        case FAKE_THREAD_PRE_WAIT:
            t->pending_interrupt = status;
            break;
        default:
            break;
    }
    fake_env_check(t->env);
    return t->state;
}

FakeThreadState fake_thread_resume(FakeThread *t) {
    g_assert_cmpint(t->state, ==, FAKE_THREAD_SUSPENDED);
    /* Decision: a resumed access restarts with its original arguments. */
    thread_begin(t);
    return t->state;
}

void fake_env_settle(FakeEnv *env) {
    FakeThread *t;
    while ((t = g_queue_pop_head(&env->runnable)) != NULL) {
        g_assert_cmpint(t->state, ==, FAKE_THREAD_WOKEN);
        thread_finish_wait(t, CORE_OK);
        fake_env_check(env);
    }
}

static void after_vmo_op(FakeEnv *env) {
    fake_env_check(env);
    if (env->auto_settle)
        fake_env_settle(env);
}

/* ---- The port. ---- */

gboolean fake_env_dequeue(FakeEnv *env) { return fake_env_dequeue_packet(env, NULL); }

gboolean fake_env_dequeue_packet(FakeEnv *env, CorePortPacketInfo *out) {
    CorePortPacketInfo info;
    if (!core_port_dequeue(env->port, &info))
        return FALSE;
    g_assert_cmpuint(info.type, ==, CORE_PKT_TYPE_PAGE_REQUEST);
    append_sep(env->packets);
    if (env->log_keys)
        g_string_append_printf(env->packets, "k%" G_GUINT64_FORMAT ":", info.key);
    if (info.command == CORE_PAGER_VMO_COMPLETE)
        g_string_append(env->packets, "COMPLETE");
    else
        g_string_append_printf(env->packets, "READ(%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ")",
                               info.offset, info.length);
    if (env->mirror != NULL)
        env->mirror->dequeue(env->mirror_ctx);
    fake_env_check(env);
    if (out != NULL)
        *out = info;
    return TRUE;
}

guint fake_env_dequeue_all(FakeEnv *env) {
    guint n = 0;
    while (fake_env_dequeue(env))
        n++;
    return n;
}

void fake_env_pager_close(FakeEnv *env) {
    for (guint i = 0; i < env->vmos->len; i++) {
        FakeVmo *vmo = g_ptr_array_index(env->vmos, i);
        core_page_source_on_page_provider_dispatcher_close(vmo->src);
        if (env->mirror != NULL)
            env->mirror->dispatcher_close(env->mirror_ctx, vmo);
        vmo->pager_closed = TRUE;
    }
    after_vmo_op(env);
}

void fake_env_port_close(FakeEnv *env) {
    core_port_on_zero_handles(env->port);
    if (env->mirror != NULL)
        env->mirror->port_zero_handles(env->mirror_ctx);
    fake_env_check(env);
}

/* ---- VMO operations. ---- */

FakeSlot fake_vmo_slot(const FakeVmo *vmo, guint64 page) {
    return page < vmo->size ? vmo->slots[page] : FAKE_SLOT_EMPTY;
}

/* §5.4: insert only into empty slots and over markers; a real page ends the
 * current run; each run of new pages is reported once. */
static CoreStatus vmo_supply(FakeVmo *vmo, guint64 page, guint64 n, FakeSlot kind) {
    guint64 run = G_MAXUINT64;
    if (vmo->pager_closed)
        return CORE_ERR_BAD_HANDLE;
    if (page + n > vmo->size)
        return CORE_ERR_OUT_OF_RANGE;
    for (guint64 p = page; p <= page + n; p++) {
        gboolean insert = p < page + n && vmo->slots[p] != FAKE_SLOT_PAGE;
        if (insert) {
            vmo->slots[p] = kind;
            if (run == G_MAXUINT64)
                run = p;
        } else if (run != G_MAXUINT64) {
            vmo_supplied(vmo, run * PG, (p - run) * PG);
            run = G_MAXUINT64;
        }
    }
    after_vmo_op(vmo->env);
    return CORE_OK;
}

CoreStatus fake_vmo_supply(FakeVmo *vmo, guint64 page, guint64 n) {
    return vmo_supply(vmo, page, n, FAKE_SLOT_PAGE);
}

CoreStatus fake_vmo_supply_zero(FakeVmo *vmo, guint64 page, guint64 n) {
    return vmo_supply(vmo, page, n, FAKE_SLOT_MARKER);
}

CoreStatus fake_vmo_fail(FakeVmo *vmo, guint64 offset, guint64 length, guint64 data) {
    FakeEnv *env = vmo->env;
    CoreStatus code = CORE_OK;
    CoreStatus handles = vmo->pager_closed ? CORE_ERR_BAD_HANDLE : CORE_OK;
    CoreStatus st = core_pager_op_range_check(CORE_PAGER_OP_FAIL, offset, length, data, handles,
                                              TRUE, vmo->size * PG, &code);
    if (st != CORE_OK) {
        fake_env_check(env);
        return st;
    }
    append_sep(env->calls);
    g_string_append_printf(env->calls, "F(%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%d)", offset,
                           length, code);
    core_page_source_on_pages_failed(vmo->src, offset, length, code);
    if (env->mirror != NULL)
        env->mirror->failed(env->mirror_ctx, vmo, offset, length, code);
    after_vmo_op(env);
    return CORE_OK;
}

CoreStatus fake_vmo_fail_pages(FakeVmo *vmo, guint64 page, guint64 n, CoreStatus status) {
    return fake_vmo_fail(vmo, page * PG, n * PG, (guint64)(gint64)status);
}

void fake_vmo_evict(FakeVmo *vmo, guint64 page, guint64 n) {
    for (guint64 p = page; p < page + n && p < vmo->size; p++)
        vmo->slots[p] = FAKE_SLOT_EMPTY;
    fake_env_check(vmo->env);
}

/* §5.6: a shrink reports every gap of the removed range, with the mid-2021
 * quirk of passing the gap's END as the length. */
void fake_vmo_resize(FakeVmo *vmo, guint64 pages) {
    if (pages < vmo->size) {
        guint64 gap = G_MAXUINT64;
        for (guint64 p = pages; p <= vmo->size; p++) {
            gboolean empty = p < vmo->size && vmo->slots[p] == FAKE_SLOT_EMPTY;
            if (empty && gap == G_MAXUINT64) {
                gap = p;
            } else if (!empty && gap != G_MAXUINT64) {
                vmo_supplied(vmo, gap * PG, p * PG); /* SPEC-QUIRK(core/README.md §5.6) */
                gap = G_MAXUINT64;
            }
        }
        for (guint64 p = pages; p < vmo->size; p++)
            vmo->slots[p] = FAKE_SLOT_EMPTY;
    }
    if (pages > vmo->capacity) {
        vmo->slots = g_renew(FakeSlot, vmo->slots, pages);
        for (guint64 p = vmo->capacity; p < pages; p++)
            vmo->slots[p] = FAKE_SLOT_EMPTY;
        vmo->capacity = pages;
    }
    vmo->size = pages;
    after_vmo_op(vmo->env);
}

void fake_vmo_detach(FakeVmo *vmo) {
    core_page_source_detach(vmo->src);
    if (vmo->env->mirror != NULL)
        vmo->env->mirror->detach(vmo->env->mirror_ctx, vmo);
    /* §2.11: zx_pager_detach_vmo also removes every committed page. */
    for (guint64 p = 0; p < vmo->size; p++)
        vmo->slots[p] = FAKE_SLOT_EMPTY;
    vmo->detached = TRUE;
    after_vmo_op(vmo->env);
}

void fake_vmo_close(FakeVmo *vmo) {
    core_page_source_close(vmo->src);
    if (vmo->env->mirror != NULL)
        vmo->env->mirror->close(vmo->env->mirror_ctx, vmo);
    vmo->closed = TRUE;
    after_vmo_op(vmo->env);
}

/* Heads as "T<id>[first,end)p=<pending bytes>{T<id>,...}", pages in brackets. */
const char *fake_vmo_tree(FakeVmo *vmo) {
    GString *s = vmo->tree;
    g_string_truncate(s, 0);
    for (CorePageRequest *h = core_page_source_peek_first_head(vmo->src); h != NULL;
         h = core_page_source_peek_next_head(vmo->src, h)) {
        guint64 off = core_page_request_get_offset(h);
        append_sep(s);
        g_string_append_printf(
            s, "T%u[%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ")p=%" G_GUINT64_FORMAT,
            CORE_CONTAINER_OF(h, FakeThread, req)->id, off / PG,
            (off + core_page_request_get_len(h)) / PG, core_page_request_get_pending_size(h));
        for (CorePageRequest *w = core_page_request_peek_first_waiter(h); w != NULL;
             w = core_page_request_peek_next_waiter(h, w)) {
            g_string_append_printf(s, "%sT%u",
                                   w == core_page_request_peek_first_waiter(h) ? "{" : ",",
                                   CORE_CONTAINER_OF(w, FakeThread, req)->id);
        }
        if (core_page_request_peek_first_waiter(h) != NULL)
            g_string_append_c(s, '}');
    }
    return s->str;
}
