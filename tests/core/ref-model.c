/* tests/core/ref-model.c: the reference model of ref-model.h.
 *
 * Everything is in page units inside; calls arrive in bytes. Heads are found
 * through head_at[] (which page belongs to which head), never through a tree:
 * "upper_bound(x)" is "the head covering page x, else the first head after x".
 * The provider side is a per-VMO queue whose first entry may be in the port,
 * and the port is a queue of VMO indices.
 */
#include "ref-model.h"

typedef enum { R_NONE, R_ACC, R_HEAD, R_WAITER } RState;

typedef struct {
    RState state;       /* Request state. */
    gboolean batching;  /* Batching request. */
    guint vmo;          /* VMO of the last Init. */
    guint64 off, len;   /* Pages. */
    guint64 pending;    /* Pages still to be supplied (heads). */
    guint head;         /* Waiters: the head's thread id. */
    GArray *waiters;    /* Heads: waiter ids (guint), FIFO. */
    gboolean signalled; /* Event holds a signal. */
    CoreStatus sig;     /* Its status. */
} RReq;

typedef struct {
    gboolean complete; /* COMPLETE rather than READ. */
    guint owner;       /* READ: id of the head owning it. */
    guint64 off, len;  /* READ: pages. */
} REntry;

typedef struct {
    gint *head_at;             /* Per page: head id, or -1. */
    gboolean detached, closed; /* Lifecycle. */
    gboolean busy;             /* The proxy's packet is out. */
    gboolean in_port;          /* ... and sits in the port. */
    REntry active;             /* What the packet carries. */
    GArray *pending;           /* REntry FIFO behind it. */
    gboolean complete_pending; /* COMPLETE not yet delivered. */
} RVmo;

struct _RefModel {
    guint n_vmos;     /* VMOs. */
    guint64 npages;   /* Pages tracked per VMO. */
    RVmo *vmos;       /* Per VMO. */
    GArray *reqs;     /* RReq by thread id. */
    GArray *port;     /* VMO indices with a packet in the port, FIFO. */
    gboolean dead;    /* The port has no handles. */
    GString *signals; /* "T<id>:<status>" log. */
    GString *packets; /* Dequeued packets, with keys. */
    GString *tree;    /* Scratch. */
};

static RReq *req_of(RefModel *m, guint id) {
    g_assert_true(m->reqs->len == 0 || id < m->reqs->len);
    if (id >= m->reqs->len) {
        guint old = m->reqs->len;
        g_array_set_size(m->reqs, id + 1);
        for (guint i = old; i <= id; i++)
            g_array_index(m->reqs, RReq, i).waiters = g_array_new(FALSE, FALSE, sizeof(guint));
    }
    return &g_array_index(m->reqs, RReq, id);
}

RefModel *ref_model_new(guint n_vmos, guint64 max_pages) {
    RefModel *m = g_new0(RefModel, 1);
    m->n_vmos = n_vmos;
    m->npages = max_pages;
    m->vmos = g_new0(RVmo, n_vmos);
    for (guint i = 0; i < n_vmos; i++) {
        m->vmos[i].head_at = g_new(gint, max_pages);
        for (guint64 p = 0; p < max_pages; p++)
            m->vmos[i].head_at[p] = -1;
        m->vmos[i].pending = g_array_new(FALSE, FALSE, sizeof(REntry));
    }
    m->reqs = g_array_new(FALSE, TRUE, sizeof(RReq));
    req_of(m, 63); /* Room for every thread id, so RReq pointers stay valid. */
    m->port = g_array_new(FALSE, FALSE, sizeof(guint));
    m->signals = g_string_new(NULL);
    m->packets = g_string_new(NULL);
    m->tree = g_string_new(NULL);
    return m;
}

void ref_model_free(RefModel *m) {
    if (m == NULL)
        return;
    for (guint i = 0; i < m->n_vmos; i++) {
        g_free(m->vmos[i].head_at);
        g_array_unref(m->vmos[i].pending);
    }
    for (guint i = 0; i < m->reqs->len; i++)
        g_array_unref(g_array_index(m->reqs, RReq, i).waiters);
    g_free(m->vmos);
    g_array_unref(m->reqs);
    g_array_unref(m->port);
    g_string_free(m->signals, TRUE);
    g_string_free(m->packets, TRUE);
    g_string_free(m->tree, TRUE);
    g_free(m);
}

GString *ref_model_signals(RefModel *m) { return m->signals; }

guint ref_model_port_count(RefModel *m) { return m->port->len; }

GString *ref_model_packets(RefModel *m) { return m->packets; }

/* ---- Provider side. ---- */

static void port_remove(RefModel *m, guint vi) {
    for (guint i = 0; i < m->port->len; i++) {
        if (g_array_index(m->port, guint, i) == vi) {
            g_array_remove_index(m->port, i);
            return;
        }
    }
    g_assert_not_reached();
}

static void queue_entry(RefModel *m, guint vi, REntry e) {
    RVmo *v = &m->vmos[vi];
    if (v->busy) {
        g_array_append_val(v->pending, e);
        return;
    }
    v->busy = TRUE;
    v->active = e;
    v->in_port = !m->dead; /* A dead port swallows it: busy forever. */
    if (v->in_port)
        g_array_append_val(m->port, vi);
}

static void post_next(RefModel *m, guint vi) {
    RVmo *v = &m->vmos[vi];
    v->busy = FALSE;
    v->in_port = FALSE;
    if (v->pending->len > 0) {
        REntry e = g_array_index(v->pending, REntry, 0);
        g_array_remove_index(v->pending, 0);
        queue_entry(m, vi, e);
    }
}

static gint pending_index(RVmo *v, guint owner) {
    for (guint i = 0; i < v->pending->len; i++) {
        REntry *e = &g_array_index(v->pending, REntry, i);
        if (!e->complete && e->owner == owner)
            return (gint)i;
    }
    return -1;
}

static void provider_clear(RefModel *m, guint vi, guint owner) {
    RVmo *v = &m->vmos[vi];
    gint i;
    if ((i = pending_index(v, owner)) >= 0) {
        g_array_remove_index(v->pending, (guint)i);
    } else if (v->busy && !v->active.complete && v->active.owner == owner && v->in_port) {
        port_remove(m, vi);
        post_next(m, vi);
    }
}

static void provider_swap(RefModel *m, guint vi, guint old, guint repl) {
    RVmo *v = &m->vmos[vi];
    gint i = pending_index(v, old);
    if (i >= 0)
        g_array_index(v->pending, REntry, i).owner = repl;
    else if (v->busy && !v->active.complete && v->active.owner == old)
        v->active.owner = repl;
}

/* ---- Source side. ---- */

static void signal_req(RefModel *m, guint id, CoreStatus st) {
    RReq *r = req_of(m, id);
    r->state = R_NONE;
    r->signalled = TRUE;
    r->sig = st;
    g_string_append_printf(m->signals, "%sT%u:%d", m->signals->len ? " " : "", id, st);
}

static void set_head_pages(RVmo *v, RReq *h, gint id) {
    for (guint64 p = h->off; p < h->off + h->len; p++)
        v->head_at[p] = id;
}

static void complete(RefModel *m, guint vi, guint id, CoreStatus st) {
    RReq *h = req_of(m, id);
    set_head_pages(&m->vmos[vi], h, -1);
    provider_clear(m, vi, id);
    for (guint i = 0; i < h->waiters->len; i++)
        signal_req(m, g_array_index(h->waiters, guint, i), st);
    g_array_set_size(h->waiters, 0);
    signal_req(m, id, st);
}

static void send(RefModel *m, guint id) {
    RReq *r = req_of(m, id);
    RVmo *v = &m->vmos[r->vmo];
    gint h = v->head_at[r->off];
    if (h >= 0) {
        RReq *head = req_of(m, (guint)h);
        g_assert_cmpuint(r->off + r->len, <=, head->off + head->len);
        r->state = R_WAITER;
        r->head = (guint)h;
        g_array_append_val(head->waiters, id);
        return;
    }
    for (guint64 p = r->off; p < r->off + r->len; p++)
        g_assert_cmpint(v->head_at[p], ==, -1);
    r->state = R_HEAD;
    r->pending = r->len;
    set_head_pages(v, r, (gint)id);
    queue_entry(m, r->vmo, (REntry){FALSE, id, r->off, r->len});
}

/* Whether the batch of @r, just grown, must end (core/README.md §2.1 6a). */
static gboolean batch_ends(RefModel *m, RReq *r) {
    RVmo *v = &m->vmos[r->vmo];
    gint h = v->head_at[r->off];
    if (h >= 0) {
        RReq *head = req_of(m, (guint)h);
        return r->off + r->len == head->off + head->len;
    }
    for (guint64 p = r->off + 1; p < m->npages; p++) {
        if (v->head_at[p] >= 0)
            return r->off + r->len == p;
    }
    return FALSE;
}

static CoreStatus m_get_page(gpointer ctx, FakeThread *t, gboolean batching, guint64 offset) {
    RefModel *m = ctx;
    RReq *r = req_of(m, t->id);
    guint64 page = offset / PG;
    if (m->vmos[t->vmo->index].detached)
        return CORE_ERR_NOT_FOUND;
    if (r->state == R_NONE) {
        r->state = R_ACC;
        r->batching = batching;
        r->vmo = t->vmo->index;
        r->off = page;
        r->len = 0;
        r->signalled = FALSE;
    }
    if (!r->batching) {
        r->len = 1;
        send(m, t->id);
        return CORE_ERR_SHOULD_WAIT;
    }
    if (r->off + r->len != page) {
        send(m, t->id);
        return CORE_ERR_SHOULD_WAIT;
    }
    r->len++;
    if (!batch_ends(m, r))
        return CORE_ERR_NEXT;
    send(m, t->id);
    return CORE_ERR_SHOULD_WAIT;
}

static CoreStatus m_finalize(gpointer ctx, FakeThread *t) {
    RefModel *m = ctx;
    if (m->vmos[t->vmo->index].detached)
        return CORE_ERR_NOT_FOUND;
    send(m, t->id);
    return CORE_ERR_SHOULD_WAIT;
}

static void cancel(RefModel *m, guint id) {
    RReq *r = req_of(m, id);
    RVmo *v = &m->vmos[r->vmo];
    if (r->state == R_WAITER) {
        GArray *w = req_of(m, r->head)->waiters;
        for (guint i = 0; i < w->len; i++) {
            if (g_array_index(w, guint, i) == id) {
                g_array_remove_index(w, i);
                break;
            }
        }
    } else if (r->state == R_HEAD && r->waiters->len > 0) {
        guint wid = g_array_index(r->waiters, guint, 0);
        RReq *w = req_of(m, wid);
        g_array_remove_index(r->waiters, 0);
        for (guint i = 0; i < r->waiters->len; i++)
            req_of(m, g_array_index(r->waiters, guint, i))->head = wid;
        g_array_append_vals(w->waiters, r->waiters->data, r->waiters->len);
        g_array_set_size(r->waiters, 0);
        w->state = R_HEAD;
        w->off = r->off;
        w->len = r->len;
        w->pending = r->pending;
        set_head_pages(v, w, (gint)wid);
        provider_swap(m, r->vmo, id, wid);
    } else if (r->state == R_HEAD) {
        set_head_pages(v, r, -1);
        provider_clear(m, r->vmo, id);
    }
    r->state = R_NONE;
}

static CoreStatus m_wait(gpointer ctx, FakeThread *t, CoreStatus wake) {
    RefModel *m = ctx;
    RReq *r = req_of(m, t->id);
    CoreStatus st = wake;
    if (r->signalled) {
        st = r->sig;
        r->signalled = FALSE;
    }
    if (st != CORE_OK && st != CORE_ERR_IO && st != CORE_ERR_IO_DATA_INTEGRITY &&
        st != CORE_ERR_BAD_STATE)
        cancel(m, t->id);
    return st;
}

static void m_destroy(gpointer ctx, FakeThread *t) {
    RefModel *m = ctx;
    cancel(m, t->id);
    req_of(m, t->id)->signalled = FALSE;
}

/* Heads with a page in [off, end), ascending, into @out (ids). */
static void heads_in(RefModel *m, guint vi, guint64 off, guint64 end, GArray *out) {
    gint last = -1;
    for (guint64 p = off; p < end && p < m->npages; p++) {
        gint h = m->vmos[vi].head_at[p];
        if (h >= 0 && h != last)
            g_array_append_val(out, h);
        last = h;
    }
}

static void m_supplied(gpointer ctx, FakeVmo *vmo, guint64 offset, guint64 len) {
    RefModel *m = ctx;
    guint64 off = offset / PG, end = (offset + len) / PG;
    g_autoptr(GArray) hs = g_array_new(FALSE, FALSE, sizeof(gint));
    if (m->vmos[vmo->index].detached)
        return;
    heads_in(m, vmo->index, off, end, hs);
    for (guint i = 0; i < hs->len; i++) {
        guint id = (guint)g_array_index(hs, gint, i);
        RReq *h = req_of(m, id);
        guint64 fulfill = MIN(end, h->off + h->len) - MAX(off, h->off);
        if (fulfill < h->pending)
            h->pending -= fulfill;
        else
            complete(m, vmo->index, id, CORE_OK);
    }
}

static void m_failed(gpointer ctx, FakeVmo *vmo, guint64 offset, guint64 len, CoreStatus st) {
    RefModel *m = ctx;
    guint64 off = offset / PG;
    g_autoptr(GArray) hs = g_array_new(FALSE, FALSE, sizeof(gint));
    RVmo *v = &m->vmos[vmo->index];
    if (v->detached)
        return;
    if (len == 0) {
        /* The zero-length quirk: only a head strictly around the offset. */
        if (off < m->npages && v->head_at[off] >= 0 && req_of(m, (guint)v->head_at[off])->off < off)
            g_array_append_val(hs, v->head_at[off]);
    } else {
        heads_in(m, vmo->index, off, (offset + len) / PG, hs);
    }
    for (guint i = 0; i < hs->len; i++)
        complete(m, vmo->index, (guint)g_array_index(hs, gint, i), st);
}

static void m_detach(gpointer ctx, FakeVmo *vmo) {
    RefModel *m = ctx;
    RVmo *v = &m->vmos[vmo->index];
    g_autoptr(GArray) hs = g_array_new(FALSE, FALSE, sizeof(gint));
    if (v->detached)
        return;
    v->detached = TRUE;
    heads_in(m, vmo->index, 0, m->npages, hs);
    for (guint i = 0; i < hs->len; i++)
        complete(m, vmo->index, (guint)g_array_index(hs, gint, i), CORE_OK);
    v->complete_pending = TRUE;
    queue_entry(m, vmo->index, (REntry){TRUE, 0, 0, 0});
}

static void m_close(gpointer ctx, FakeVmo *vmo) {
    RefModel *m = ctx;
    m_detach(ctx, vmo);
    m->vmos[vmo->index].closed = TRUE;
}

static void m_dispatcher_close(gpointer ctx, FakeVmo *vmo) {
    RefModel *m = ctx;
    RVmo *v = &m->vmos[vmo->index];
    m_close(ctx, vmo);
    if (v->complete_pending && v->busy && v->active.complete && v->in_port) {
        port_remove(m, vmo->index);
        v->in_port = FALSE;
        v->busy = FALSE;
        v->complete_pending = FALSE;
    }
}

static void m_port_zero_handles(gpointer ctx) {
    RefModel *m = ctx;
    m->dead = TRUE;
    for (guint i = 0; i < m->port->len; i++)
        m->vmos[g_array_index(m->port, guint, i)].in_port = FALSE;
    g_array_set_size(m->port, 0);
}

static void m_dequeue(gpointer ctx) {
    RefModel *m = ctx;
    g_assert_cmpuint(m->port->len, >, 0);
    guint vi = g_array_index(m->port, guint, 0);
    RVmo *v = &m->vmos[vi];
    g_array_remove_index(m->port, 0);
    if (m->packets->len > 0)
        g_string_append_c(m->packets, ' ');
    if (v->active.complete) {
        g_string_append_printf(m->packets, "k%u:COMPLETE", vi + 1);
        v->complete_pending = FALSE;
    } else {
        g_string_append_printf(m->packets, "k%u:READ(%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ")",
                               vi + 1, v->active.off * PG, v->active.len * PG);
    }
    post_next(m, vi);
}

static const FakeMirrorOps ref_ops = {
    .get_page = m_get_page,
    .finalize = m_finalize,
    .wait = m_wait,
    .destroy = m_destroy,
    .supplied = m_supplied,
    .failed = m_failed,
    .detach = m_detach,
    .close = m_close,
    .dispatcher_close = m_dispatcher_close,
    .port_zero_handles = m_port_zero_handles,
    .dequeue = m_dequeue,
};

const FakeMirrorOps *ref_model_get_ops(void) { return &ref_ops; }

const char *ref_model_tree(RefModel *m, guint vi) {
    g_autoptr(GArray) hs = g_array_new(FALSE, FALSE, sizeof(gint));
    g_string_truncate(m->tree, 0);
    heads_in(m, vi, 0, m->npages, hs);
    for (guint i = 0; i < hs->len; i++) {
        guint id = (guint)g_array_index(hs, gint, i);
        RReq *h = req_of(m, id);
        g_string_append_printf(
            m->tree, "%sT%u[%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ")p=%" G_GUINT64_FORMAT,
            i > 0 ? " " : "", id, h->off, h->off + h->len, h->pending * PG);
        for (guint j = 0; j < h->waiters->len; j++)
            g_string_append_printf(m->tree, "%sT%u", j == 0 ? "{" : ",",
                                   g_array_index(h->waiters, guint, j));
        if (h->waiters->len > 0)
            g_string_append_c(m->tree, '}');
    }
    return m->tree->str;
}
