/* tests/core/test-core-checkers.c: every message of core's invariant checkers,
 * produced by corrupting a valid state on purpose (STYLE B13: "a checker proves
 * it can fail").
 *
 * Each case builds a valid state with core's public API, driven through the
 * fake environment of fake-env.h (one pager: a port, a pager proxy with key 1
 * and its page source), checks that all three checkers accept it, corrupts one
 * field (two where the checker's earlier tests pin a pair, said at the case)
 * through the private headers, and requires the named checker to report
 * exactly the expected message, computed by hand from the checker's format.
 * The corrupted objects are then restored byte for byte and all three checkers
 * must accept the state again, so the corruption alone made the difference.
 *
 * Counts: core_page_source_check_invariants has 21 messages of its own (3 of
 * the source, 9 of a head, 6 of a waiter, 3 of the batch) and reports the 9 of
 * the radix tree's checker (core__tree_check), which it runs first;
 * core_pager_proxy_check_invariants has 18 (its "COMPLETE pending before
 * detach" is produced at both of its sites) and core_port_check_invariants 5
 * (its "broken FIFO" by a forward and by a back link).
 */
#include <glib.h>
#include <string.h>

#include "core/page-source-private.h"
#include "core/pager-proxy-private.h"
#include "fake-env.h"

/* The valid states the cases start from. */
typedef enum {
    BUILD_IDLE,          /* No request. */
    BUILD_TWO_HEADS,     /* a = head [0,+4096) in the port, b = head [4096,+4096) in the FIFO. */
    BUILD_WAITER,        /* a = head [0,+4096) in the port, b = its waiter at 0. */
    BUILD_BATCH,         /* a = head [0,+4096), c = a batch accumulating at 8192. */
    BUILD_DETACHED,      /* TWO_HEADS, then detached: both completed, COMPLETE in the port. */
    BUILD_LOST,          /* a's packet dropped by a port without handles, b in the FIFO. */
    BUILD_LOST_DETACHED, /* LOST, then detached: COMPLETE waits in the FIFO for ever. */
    BUILD_DEEP,          /* a = head [0,+4096) (key 1), b = head [258048,+4096) (key 64):
                            a root at shift 6 over the leaves of keys 0-63 and 64-127. */
} Build;

typedef enum { CHECK_SOURCE, CHECK_PROXY, CHECK_PORT } Checker;

typedef struct {
    FakeEnv *env;          /* One pager: its port, proxies and sources. */
    CorePort *port;        /* The pager's port. */
    CorePagerProxy *proxy; /* The proxy of VMO 0 (128 pages), key 1. */
    CorePageSource *src;   /* Its page source. */
    CorePageSource *other; /* The source of VMO 1, for "of another source". */
    CorePageRequest *a;    /* Thread 1's request (non-batching). */
    CorePageRequest *b;    /* Thread 2's request (non-batching). */
    CorePageRequest c;     /* A batching request of the test's own. */
} Fix;

/* A byte copy of every object a corruption may touch: the root of the tree and
 * its children (the trees here have two levels at most) included. */
typedef struct {
    CorePageSource src;
    CorePagerProxy proxy;
    CorePort port;
    CorePageRequest a, b, c;
    CoreTreeNode *node_at[3]; /* the root, then its children in slot order */
    CoreTreeNode node[3];     /* their contents */
    guint n_nodes;
} Snapshot;

typedef struct {
    const char *path;        /* Test path under /core/checkers/. */
    Build build;             /* The valid state. */
    void (*corrupt)(Fix *f); /* The corruption. */
    Checker checker;         /* The checker that must report it. */
    const char *message;     /* Exactly what it appends to @why. */
} Case;

/* Thread @id faults @page of VMO 0 and blocks: its request is a head or a waiter. */
static void fault(Fix *f, guint id, guint64 page) {
    FakeThread *t = fake_env_thread(f->env, id);
    g_assert_cmpint(fake_thread_fault(t, g_ptr_array_index(f->env->vmos, 0), page), ==,
                    FAKE_THREAD_BLOCKED);
}

/* Builds @b with the fake environment's faults and VMO operations (each checked
 * by all three checkers as it goes), and the batch with core's GetPage. */
static void build(Fix *f, Build b) {
    core_page_request_construct(&f->c, TRUE);
    if (b == BUILD_IDLE)
        return;
    fault(f, 1, 0);
    if (b == BUILD_LOST || b == BUILD_LOST_DETACHED)
        fake_env_port_close(f->env);
    if (b == BUILD_WAITER)
        fault(f, 2, 0);
    else if (b == BUILD_BATCH)
        g_assert_cmpint(core_page_source_get_page(f->src, 8192, &f->c), ==, CORE_ERR_NEXT);
    else if (b == BUILD_DEEP)
        fault(f, 2, 63);
    else
        fault(f, 2, 1);
    if (b == BUILD_DETACHED || b == BUILD_LOST_DETACHED)
        fake_vmo_detach(g_ptr_array_index(f->env->vmos, 0));
}

static Fix *fix_new(Build b) {
    Fix *f = g_new0(Fix, 1);
    f->env = fake_env_new();
    FakeVmo *vmo = fake_env_add_vmo(f->env, 128);
    f->port = f->env->port;
    f->proxy = vmo->proxy;
    f->src = vmo->src;
    f->other = fake_env_add_vmo(f->env, 1)->src;
    f->a = &fake_env_thread(f->env, 1)->req;
    f->b = &fake_env_thread(f->env, 2)->req;
    build(f, b);
    return f;
}

static void fix_free(Fix *f) {
    core_page_request_destroy(&f->c);
    fake_env_free(f->env);
    g_free(f);
}

static gboolean run_checker(Fix *f, Checker c, GString *why) {
    switch (c) {
        case CHECK_SOURCE:
            return core_page_source_check_invariants(f->src, why);
        case CHECK_PROXY:
            return core_pager_proxy_check_invariants(f->proxy, f->src, why);
        default:
            return core_port_check_invariants(f->port, why);
    }
}

static void assert_all_valid(Fix *f) {
    g_autoptr(GString) why = g_string_new(NULL);
    for (Checker c = CHECK_SOURCE; c <= CHECK_PORT; c++) {
        g_assert_true(run_checker(f, c, why));
        g_assert_cmpstr(why->str, ==, "");
    }
}

static void take_snapshot(const Fix *f, Snapshot *s) {
    CoreTreeNode *root = f->src->outstanding.root;
    s->n_nodes = 0;
    if (root != NULL)
        s->node_at[s->n_nodes++] = root;
    for (guint d = 0; root != NULL && root->shift > 0 && d < CORE_TREE_FANOUT; d++) {
        if (root->slot[d] != NULL) {
            g_assert_cmpuint(s->n_nodes, <, G_N_ELEMENTS(s->node_at));
            s->node_at[s->n_nodes++] = root->slot[d];
        }
    }
    for (guint i = 0; i < s->n_nodes; i++)
        memcpy(&s->node[i], s->node_at[i], sizeof(CoreTreeNode));
    memcpy(&s->src, f->src, sizeof(s->src));
    memcpy(&s->proxy, f->proxy, sizeof(s->proxy));
    memcpy(&s->port, f->port, sizeof(s->port));
    s->a = *f->a;
    s->b = *f->b;
    s->c = f->c;
}

static void restore_snapshot(Fix *f, const Snapshot *s) {
    for (guint i = 0; i < s->n_nodes; i++)
        memcpy(s->node_at[i], &s->node[i], sizeof(CoreTreeNode));
    memcpy(f->src, &s->src, sizeof(s->src));
    memcpy(f->proxy, &s->proxy, sizeof(s->proxy));
    memcpy(f->port, &s->port, sizeof(s->port));
    *f->a = s->a;
    *f->b = s->b;
    f->c = s->c;
}

static void run_case(gconstpointer data) {
    const Case *tc = data;
    Fix *f = fix_new(tc->build);
    g_autoptr(GString) why = g_string_new(NULL);
    Snapshot saved;
    assert_all_valid(f);
    take_snapshot(f, &saved);
    tc->corrupt(f);
    g_assert_false(run_checker(f, tc->checker, why));
    g_assert_cmpstr(why->str, ==, tc->message);
    g_assert_false(run_checker(f, tc->checker, NULL));
    restore_snapshot(f, &saved);
    assert_all_valid(f);
    fix_free(f);
}

/* Page source: the source itself. */
static void src_magic(Fix *f) { f->src->magic = 0; }
static void src_closed(Fix *f) { f->src->closed = TRUE; }
static void src_detached(Fix *f) { f->src->detached = TRUE; }
static void src_fast(Fix *f) { f->src->get_page_fast = !f->src->get_page_fast; }
/* Page source: a head (a, unless said). */
static void head_foreign(Fix *f) { f->a->src = f->other; }
static void head_unaligned(Fix *f) { f->a->len = 100; }
static void head_key(Fix *f) { f->a->len = 8192; }
/* The key test pins b's end, so b grows down over a: two fields. */
static void head_overlap(Fix *f) {
    f->b->offset = 0;
    f->b->len = 8192;
}
static void head_pending(Fix *f) { f->a->pending_size = 8192; }
static void head_too_long(Fix *f) { f->src->max_head_pages = 0; }
static void head_place(Fix *f) { f->a->place = CORE_PAGE_REQUEST_IN_OVERLAP; }
static void head_signalled(Fix *f) { f->a->signalled = TRUE; }
static void head_overlap_list(Fix *f) { f->b->overlap_link.prev = NULL; }
/* Page source: a waiter (b). */
static void waiter_foreign(Fix *f) { f->b->src = f->other; }
static void waiter_empty(Fix *f) { f->b->len = 0; }
static void waiter_outside(Fix *f) { f->b->len = 8192; }
static void waiter_in_tree(Fix *f) { f->b->place = CORE_PAGE_REQUEST_IN_TREE; }
static void waiter_owned(Fix *f) {
    f->b->read_request.provider_link.next = &f->b->read_request.provider_link;
}
static void waiter_signalled(Fix *f) { f->b->signalled = TRUE; }
/* Page source: the batch (c). */
static void batch_not_batching(Fix *f) { f->c.allow_batching = FALSE; }
static void batch_inactive(Fix *f) { f->c.offset = CORE_OFFSET_NONE; }
static void batch_empty(Fix *f) { f->c.len = 0; }

/* The radix tree of BUILD_DEEP: its root and the leaf of keys 64-127 (b's). */
static CoreTreeNode *root_of(Fix *f) { return f->src->outstanding.root; }
static CoreTreeNode *leaf_b(Fix *f) { return core__tree_entry_leaf(&f->b->tree_entry); }
static void tree_back_link(Fix *f) { leaf_b(f)->parent = NULL; }
static void tree_node_level(Fix *f) { leaf_b(f)->shift = 6; }
static void tree_empty_node(Fix *f) { leaf_b(f)->bitmap = 0; }
static void tree_bitmap(Fix *f) { leaf_b(f)->bitmap |= (guint64)1 << 5; }
static void tree_entry(Fix *f) { f->b->tree_entry.at ^= 1; /* Slot 0 says digit 1. */ }
static void tree_root_level(Fix *f) { root_of(f)->shift = 5; }
static void tree_height(Fix *f) { root_of(f)->bitmap = 1; }
/* Keys have at most 64 bits, so a root at shift 60 uses slots 0-15; no real
 * tree gets that high (the largest key is 2^52 pages), so the level is forged
 * as well as the digit. */
static void tree_root_digit(Fix *f) {
    root_of(f)->shift = 60;
    root_of(f)->bitmap |= (guint64)1 << 16;
}
static void tree_count(Fix *f) { f->src->outstanding.count = 3; }

/* Pager proxy. */
static void proxy_magic(Fix *f) { f->proxy->magic = 0; }
static void proxy_no_active(Fix *f) { f->proxy->active = NULL; }
/* The packet's link is its queued state: linked into the (empty) FIFO of an
 * idle proxy's port, or unlinked from it while busy (the port's count is left,
 * so only the proxy's checker is asked). Both restore with the byte copies of
 * the proxy and the port, which hold every link changed. */
static void proxy_queued_idle(Fix *f) {
    core__list_push_back(&f->port->fifo, &f->proxy->packet.link);
}
static void proxy_not_queued(Fix *f) { core__list_unlink(&f->proxy->packet.link); }
static void proxy_command(Fix *f) { f->proxy->packet.info.command = CORE_PAGER_VMO_COMPLETE; }
static void proxy_range(Fix *f) { f->proxy->packet.info.offset = 4096; }
static void proxy_foreign(Fix *f) { f->a->src = f->other; }
static void proxy_not_head(Fix *f) { f->a->place = CORE_PAGE_REQUEST_IN_NONE; }
/* b waits in the FIFO: the record check at the FIFO's call site. */
static void proxy_fifo_not_head(Fix *f) { f->b->place = CORE_PAGE_REQUEST_IN_OVERLAP; }
static void proxy_fifo_link(Fix *f) { f->proxy->pending.prev = &f->proxy->pending; }
/* COMPLETE in the FIFO of a proxy that was never detached. complete_pending is
 * cleared too, so that only the FIFO's site can say it. */
static void proxy_complete_in_fifo(Fix *f) {
    f->proxy->detached = FALSE;
    f->proxy->complete_pending = FALSE;
}
static void proxy_pending_count(Fix *f) { f->proxy->pending_count = 2; }
/* a in the port and b in the FIFO make 2: one of them forgotten. */
static void proxy_queued_reads(Fix *f) { f->proxy->queued_reads = 1; }
/* The packet freed (active NULL) with requests still pending. */
static void proxy_free_with_fifo(Fix *f) { f->proxy->active = NULL; }
static void proxy_complete_twice(Fix *f) { f->proxy->complete_queue_count = 2; }
static void proxy_complete_pending(Fix *f) { f->proxy->complete_pending = TRUE; }
static void proxy_closed(Fix *f) { f->proxy->closed = TRUE; }
static void proxy_detached(Fix *f) { f->proxy->detached = TRUE; }

/* Port. */
static void port_link(Fix *f) { f->proxy->packet.link.next = NULL; }
/* The back link, which a withdrawal (core__list_unlink) follows. */
static void port_back_link(Fix *f) { f->proxy->packet.link.prev = NULL; }
static void port_status(Fix *f) { f->proxy->packet.info.status = CORE_ERR_IO; }
static void port_complete_range(Fix *f) { f->proxy->packet.info.length = 4096; }
static void port_count(Fix *f) { f->port->count = 2; }
static void port_no_handles(Fix *f) { f->port->zero_handles = TRUE; }

#define PP "pager proxy (key 1): "

static const Case cases[] = {
    {"source/bad-magic", BUILD_IDLE, src_magic, CHECK_SOURCE, "source: bad magic"},
    {"source/get-page-fast", BUILD_IDLE, src_fast, CHECK_SOURCE, "source: get_page_fast disagrees"},
    {"source/get-page-fast-batch", BUILD_BATCH, src_fast, CHECK_SOURCE,
     "source: get_page_fast disagrees"},
    {"source/closed-not-detached", BUILD_IDLE, src_closed, CHECK_SOURCE,
     "source: closed but not detached"},
    {"source/detached-with-heads", BUILD_TWO_HEADS, src_detached, CHECK_SOURCE,
     "source: detached with 2 heads"},
    {"source/head-foreign", BUILD_TWO_HEADS, head_foreign, CHECK_SOURCE,
     "head: not a request of this source"},
    {"source/head-unaligned", BUILD_TWO_HEADS, head_unaligned, CHECK_SOURCE,
     "head [0,+100): inactive, empty or unaligned"},
    {"source/head-key", BUILD_TWO_HEADS, head_key, CHECK_SOURCE,
     "head at 0: key is not its end page"},
    {"source/head-overlap", BUILD_TWO_HEADS, head_overlap, CHECK_SOURCE,
     "head at 0: overlaps the previous head"},
    {"source/head-too-long", BUILD_TWO_HEADS, head_too_long, CHECK_SOURCE,
     "head at 0: longer than max_head_pages"},
    {"source/head-pending-size", BUILD_TWO_HEADS, head_pending, CHECK_SOURCE,
     "head at 0: pending_size 8192"},
    {"source/head-not-placed", BUILD_TWO_HEADS, head_place, CHECK_SOURCE,
     "head at 0: not placed in the tree"},
    {"source/head-signalled", BUILD_TWO_HEADS, head_signalled, CHECK_SOURCE,
     "head at 0: signalled or accumulating"},
    {"source/head-overlap-list", BUILD_WAITER, head_overlap_list, CHECK_SOURCE,
     "head at 0: broken overlap list"},
    {"source/waiter-foreign", BUILD_WAITER, waiter_foreign, CHECK_SOURCE,
     "waiter of head 0: not a request of this source"},
    {"source/waiter-empty", BUILD_WAITER, waiter_empty, CHECK_SOURCE,
     "waiter of head 0: inactive or empty"},
    {"source/waiter-outside", BUILD_WAITER, waiter_outside, CHECK_SOURCE,
     "waiter [0,+8192) outside its head at 0"},
    {"source/waiter-in-tree", BUILD_WAITER, waiter_in_tree, CHECK_SOURCE,
     "waiter at 0: not placed on an overlap list"},
    {"source/waiter-provider", BUILD_WAITER, waiter_owned, CHECK_SOURCE,
     "waiter at 0: provider presence"},
    {"source/waiter-signalled", BUILD_WAITER, waiter_signalled, CHECK_SOURCE,
     "waiter at 0: signalled or accumulating"},
    {"source/batch-not-batching", BUILD_BATCH, batch_not_batching, CHECK_SOURCE,
     "batch: not a batching request of this source"},
    {"source/batch-state", BUILD_BATCH, batch_inactive, CHECK_SOURCE, "batch: state inactive"},
    {"source/batch-empty", BUILD_BATCH, batch_empty, CHECK_SOURCE,
     "batch at 8192: empty or provider-linked"},

    {"tree/back-link", BUILD_DEEP, tree_back_link, CHECK_SOURCE,
     "tree: bad back link of a node at key 64"},
    {"tree/node-level", BUILD_DEEP, tree_node_level, CHECK_SOURCE,
     "tree: bad node level at key 64"},
    {"tree/empty-node", BUILD_DEEP, tree_empty_node, CHECK_SOURCE,
     "tree: bad empty node at key 64"},
    {"tree/bitmap", BUILD_DEEP, tree_bitmap, CHECK_SOURCE, "tree: bad bitmap at key 69"},
    {"tree/entry", BUILD_DEEP, tree_entry, CHECK_SOURCE, "tree: bad entry at key 64"},
    {"tree/root-level", BUILD_DEEP, tree_root_level, CHECK_SOURCE, "tree: bad root level at key 0"},
    {"tree/height", BUILD_DEEP, tree_height, CHECK_SOURCE,
     "tree: bad height (root with only slot 0) at key 0"},
    {"tree/root-digit", BUILD_DEEP, tree_root_digit, CHECK_SOURCE, "tree: bad root digit at key 0"},
    {"tree/count", BUILD_DEEP, tree_count, CHECK_SOURCE,
     "tree: count 3 and 3 nodes but 2 entries and 3 nodes reachable"},

    {"proxy/bad-magic", BUILD_IDLE, proxy_magic, CHECK_PROXY, PP "bad magic"},
    {"proxy/queued-without-active", BUILD_TWO_HEADS, proxy_no_active, CHECK_PROXY,
     PP "packet queued but not busy"},
    {"proxy/queued-not-busy", BUILD_IDLE, proxy_queued_idle, CHECK_PROXY,
     PP "packet queued but not busy"},
    {"proxy/busy-not-queued", BUILD_TWO_HEADS, proxy_not_queued, CHECK_PROXY,
     PP "packet busy but not in the port"},
    {"proxy/packet-command", BUILD_TWO_HEADS, proxy_command, CHECK_PROXY,
     PP "queued packet has the wrong key or command"},
    {"proxy/packet-range", BUILD_TWO_HEADS, proxy_range, CHECK_PROXY,
     PP "queued packet range differs from the active record"},
    {"proxy/record-foreign", BUILD_TWO_HEADS, proxy_foreign, CHECK_PROXY,
     PP "READ record of another source"},
    {"proxy/record-not-head", BUILD_TWO_HEADS, proxy_not_head, CHECK_PROXY,
     PP "READ record of a request that is not a head"},
    {"proxy/fifo-record-not-head", BUILD_TWO_HEADS, proxy_fifo_not_head, CHECK_PROXY,
     PP "READ record of a request that is not a head"},
    {"proxy/fifo-broken", BUILD_TWO_HEADS, proxy_fifo_link, CHECK_PROXY, PP "broken pending FIFO"},
    {"proxy/fifo-complete-before-detach", BUILD_LOST_DETACHED, proxy_complete_in_fifo, CHECK_PROXY,
     PP "COMPLETE pending before detach"},
    {"proxy/fifo-count", BUILD_TWO_HEADS, proxy_pending_count, CHECK_PROXY,
     PP "pending_count differs from the FIFO"},
    {"proxy/queued-reads", BUILD_TWO_HEADS, proxy_queued_reads, CHECK_PROXY,
     PP "queued_reads differs from the FIFO and the port"},
    {"proxy/fifo-packet-free", BUILD_LOST, proxy_free_with_fifo, CHECK_PROXY,
     PP "requests pending while the packet is free"},
    {"proxy/complete-twice", BUILD_IDLE, proxy_complete_twice, CHECK_PROXY,
     PP "COMPLETE queued more than once"},
    {"proxy/complete-before-detach", BUILD_IDLE, proxy_complete_pending, CHECK_PROXY,
     PP "COMPLETE pending before detach"},
    {"proxy/closed-before-detach", BUILD_IDLE, proxy_closed, CHECK_PROXY,
     PP "closed before detach"},
    {"proxy/disagrees-with-source", BUILD_IDLE, proxy_detached, CHECK_PROXY,
     PP "detached/closed disagree with the source"},

    {"port/broken-fifo", BUILD_TWO_HEADS, port_link, CHECK_PORT, "port: broken FIFO (1 queued)"},
    {"port/broken-back-link", BUILD_TWO_HEADS, port_back_link, CHECK_PORT,
     "port: broken FIFO (1 queued)"},
    {"port/not-page-request", BUILD_TWO_HEADS, port_status, CHECK_PORT,
     "port: packet is not a page request (1 queued)"},
    {"port/complete-with-range", BUILD_DETACHED, port_complete_range, CHECK_PORT,
     "port: COMPLETE packet with a range (1 queued)"},
    {"port/count", BUILD_TWO_HEADS, port_count, CHECK_PORT,
     "port: count differs from the FIFO (2 queued)"},
    {"port/no-handles", BUILD_TWO_HEADS, port_no_handles, CHECK_PORT,
     "port: packets queued on a port without handles (1 queued)"},
};

/* The states themselves, before any corruption: what each build left where. */
static void builds_are_as_described(void) {
    Fix *f = fix_new(BUILD_LOST_DETACHED);
    g_assert_true(core_pager_proxy_is_packet_busy(f->proxy));
    g_assert_cmpuint(core_pager_proxy_get_pending_count(f->proxy), ==, 1);
    g_assert_cmpuint(core_pager_proxy_peek_pending(f->proxy, 0)->length, ==, 0);
    g_assert_cmpuint(core_port_get_count(f->port), ==, 0);
    fix_free(f);
    f = fix_new(BUILD_DETACHED);
    g_assert_true(core_pager_proxy_is_complete_pending(f->proxy));
    g_assert_cmpuint(core_port_get_count(f->port), ==, 1);
    g_assert_cmpint(f->proxy->packet.info.command, ==, CORE_PAGER_VMO_COMPLETE);
    fix_free(f);
    f = fix_new(BUILD_LOST);
    g_assert_null(core_pager_proxy_peek_active(f->proxy));
    g_assert_true(core_pager_proxy_peek_pending(f->proxy, 0) == &f->b->read_request);
    fix_free(f);
    f = fix_new(BUILD_DEEP);
    g_assert_cmpuint(root_of(f)->shift, ==, 6);
    g_assert_cmpuint(root_of(f)->bitmap, ==, 3);
    g_assert_true(root_of(f)->slot[1] == leaf_b(f));
    g_assert_cmpuint(core__tree_entry_key(&f->b->tree_entry), ==, 64);
    g_assert_cmpuint(f->src->outstanding.nodes, ==, 3);
    fix_free(f);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/core/checkers/builds", builds_are_as_described);
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = g_strconcat("/core/checkers/", cases[i].path, NULL);
        g_test_add_data_func(path, &cases[i], run_case);
    }
    return g_test_run();
}
