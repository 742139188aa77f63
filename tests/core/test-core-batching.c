/* tests/core/test-core-batching.c: every branch of the end-of-batch rule
 * (core/README.md §2.1 6a/6b), measured from the batch start: no node; a node
 * containing the batch start; a node after it; a batch ending on its first
 * page; the non-contiguous page; heads vanishing mid-batch (§5.8).
 */
#include "stub-provider.h"

typedef struct {
    Stub *stub; /* Source on the recording provider. */
} Fixture;

static void setup(Fixture *f, gconstpointer data) { f->stub = stub_new(FALSE); }

static void teardown(Fixture *f, gconstpointer data) {
    stub_check(f->stub);
    stub_free(f->stub);
}

/* Sends a batched head covering pages [first, end) for request @r. */
static void make_head(Fixture *f, CorePageRequest *r, guint id, guint64 first, guint64 end) {
    stub_request(r, TRUE, id);
    for (guint64 p = first; p < end; p++)
        g_assert_cmpint(core_page_source_get_page(f->stub->src, p * 4096, r), ==, CORE_ERR_NEXT);
    g_assert_cmpint(core_page_source_finalize_request(f->stub->src, r), ==, CORE_ERR_SHOULD_WAIT);
}

/* Feeds pages [first, last] to batch @r; every page but the last must give
 * NEXT; returns what the last gave. */
static CoreStatus feed(Fixture *f, CorePageRequest *r, guint64 first, guint64 last) {
    for (guint64 p = first; p < last; p++)
        g_assert_cmpint(core_page_source_get_page(f->stub->src, p * 4096, r), ==, CORE_ERR_NEXT);
    CoreStatus st = core_page_source_get_page(f->stub->src, last * 4096, r);
    stub_check(f->stub);
    return st;
}

static void no_node_never_ends(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) r = {0};
    stub_request(&r, TRUE, 1);
    g_assert_cmpint(feed(f, &r, 0, 63), ==, CORE_ERR_NEXT);
    g_assert_cmpuint(core_page_request_get_len(&r), ==, 64 * 4096);
    ASSERT_LOG(f->stub, "");
}

/* Head [2,6); a batch starting at page 3 ends on reaching page 6, the head's
 * end, and becomes a waiter without a provider call. */
static void start_inside_head_ends_at_head_end(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) h = {0};
    g_auto(CorePageRequest) r = {0};
    make_head(f, &h, 1, 2, 6);
    stub_request(&r, TRUE, 2);
    g_assert_cmpint(feed(f, &r, 3, 5), ==, CORE_ERR_SHOULD_WAIT);
    g_assert_cmpint(core_page_request_get_state(&r), ==, CORE_PAGE_REQUEST_WAITER);
    g_assert_cmpuint(core_page_request_get_len(&r), ==, 3 * 4096);
    g_assert_true(core_page_request_peek_first_waiter(&h) == &r);
    ASSERT_LOG(f->stub, "A(8192,16384)");
}

/* Head [5,7); a batch starting at page 2 ends when it reaches page 5. */
static void node_after_start_ends_at_node_start(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) h = {0};
    g_auto(CorePageRequest) r = {0};
    make_head(f, &h, 1, 5, 7);
    stub_request(&r, TRUE, 2);
    g_assert_cmpint(feed(f, &r, 2, 4), ==, CORE_ERR_SHOULD_WAIT);
    g_assert_cmpint(core_page_request_get_state(&r), ==, CORE_PAGE_REQUEST_HEAD);
    ASSERT_LOG(f->stub, "A(20480,8192) A(8192,12288)");
}

/* A batch that starts on the last page of a head ends on its first page. */
static void first_page_is_last_of_head(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) h = {0};
    g_auto(CorePageRequest) r = {0};
    make_head(f, &h, 1, 0, 3);
    stub_request(&r, TRUE, 2);
    g_assert_cmpint(feed(f, &r, 2, 2), ==, CORE_ERR_SHOULD_WAIT);
    g_assert_cmpint(core_page_request_get_state(&r), ==, CORE_PAGE_REQUEST_WAITER);
    ASSERT_LOG(f->stub, "A(0,12288)");
}

/* A batch that starts just before a head ends on its first page. */
static void first_page_just_before_head(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) h = {0};
    g_auto(CorePageRequest) r = {0};
    make_head(f, &h, 1, 3, 5);
    stub_request(&r, TRUE, 2);
    g_assert_cmpint(feed(f, &r, 2, 2), ==, CORE_ERR_SHOULD_WAIT);
    g_assert_cmpint(core_page_request_get_state(&r), ==, CORE_PAGE_REQUEST_HEAD);
    ASSERT_LOG(f->stub, "A(12288,8192) A(8192,4096)");
}

/* The rule looks up the batch START: a head ending beyond the batch start
 * decides, even though the page just added lies after another boundary. */
static void lookup_uses_batch_start(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) h1 = {0};
    g_auto(CorePageRequest) h2 = {0};
    g_auto(CorePageRequest) r = {0};
    make_head(f, &h1, 1, 0, 4);
    make_head(f, &h2, 2, 4, 6);
    stub_request(&r, TRUE, 3);
    /* Starts at 1 inside h1: ends at 4 (h1's end), never looks at h2. */
    g_assert_cmpint(feed(f, &r, 1, 3), ==, CORE_ERR_SHOULD_WAIT);
    g_assert_true(core_page_request_peek_first_waiter(&h1) == &r);
    g_assert_null(core_page_request_peek_first_waiter(&h2));
}

/* A non-contiguous page sends the batch without it. */
static void non_contiguous_sends_without_page(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) r = {0};
    stub_request(&r, TRUE, 1);
    g_assert_cmpint(feed(f, &r, 0, 1), ==, CORE_ERR_NEXT);
    g_assert_cmpint(core_page_source_get_page(f->stub->src, 3 * 4096, &r), ==,
                    CORE_ERR_SHOULD_WAIT);
    g_assert_cmpuint(core_page_request_get_len(&r), ==, 8192);
    ASSERT_LOG(f->stub, "A(0,8192)");
    /* Going backwards is not contiguous either. */
    g_auto(CorePageRequest) s = {0};
    stub_request(&s, TRUE, 2);
    g_assert_cmpint(feed(f, &s, 8, 9), ==, CORE_ERR_NEXT);
    g_assert_cmpint(core_page_source_get_page(f->stub->src, 8 * 4096, &s), ==,
                    CORE_ERR_SHOULD_WAIT);
    ASSERT_LOG(f->stub, "A(0,8192) A(32768,8192)");
}

/* A batch that started inside a head and is cut short by a non-contiguous
 * page still joins that head's overlap list. */
static void non_contiguous_inside_head_joins(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) h = {0};
    g_auto(CorePageRequest) r = {0};
    make_head(f, &h, 1, 0, 8);
    stub_request(&r, TRUE, 2);
    g_assert_cmpint(feed(f, &r, 2, 3), ==, CORE_ERR_NEXT);
    g_assert_cmpint(core_page_source_get_page(f->stub->src, 6 * 4096, &r), ==,
                    CORE_ERR_SHOULD_WAIT);
    g_assert_cmpint(core_page_request_get_state(&r), ==, CORE_PAGE_REQUEST_WAITER);
    ASSERT_LOG(f->stub, "A(0,32768)");
}

static void finalize_inside_head_joins(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) h = {0};
    g_auto(CorePageRequest) r = {0};
    make_head(f, &h, 1, 0, 8);
    stub_request(&r, TRUE, 2);
    g_assert_cmpint(feed(f, &r, 2, 4), ==, CORE_ERR_NEXT);
    g_assert_cmpint(core_page_source_finalize_request(f->stub->src, &r), ==, CORE_ERR_SHOULD_WAIT);
    g_assert_cmpint(core_page_request_get_state(&r), ==, CORE_PAGE_REQUEST_WAITER);
    g_assert_cmpuint(core_page_source_get_stats(f->stub->src)->coalesced, ==, 1);
}

/* CancelRequest runs without the VMO lock and can remove the head a batch
 * started in; the rule then sees no node and the batch runs on (§5.8). */
static void head_cancelled_mid_batch(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) h = {0};
    g_auto(CorePageRequest) r = {0};
    make_head(f, &h, 1, 0, 3);
    stub_request(&r, TRUE, 2);
    g_assert_cmpint(feed(f, &r, 1, 1), ==, CORE_ERR_NEXT);
    core_page_source_cancel_request(f->stub->src, &h);
    g_assert_cmpint(feed(f, &r, 2, 5), ==, CORE_ERR_NEXT);
    g_assert_cmpint(core_page_source_finalize_request(f->stub->src, &r), ==, CORE_ERR_SHOULD_WAIT);
    g_assert_cmpint(core_page_request_get_state(&r), ==, CORE_PAGE_REQUEST_HEAD);
    ASSERT_LOG(f->stub, "A(0,12288) C(0,12288) A(4096,20480)");
}

/* Pages are appended, never assigned: a batch's length grows page by page
 * and the first GetPage after Init is always contiguous. */
static void batch_grows_by_pages(Fixture *f, gconstpointer data) {
    g_auto(CorePageRequest) r = {0};
    stub_request(&r, TRUE, 1);
    for (guint64 p = 0; p < 5; p++) {
        g_assert_cmpint(core_page_source_get_page(f->stub->src, (7 + p) * 4096 + 5, &r), ==,
                        CORE_ERR_NEXT);
        g_assert_cmpuint(core_page_request_get_offset(&r), ==, 7 * 4096);
        g_assert_cmpuint(core_page_request_get_len(&r), ==, (p + 1) * 4096);
    }
}

#define ADD(path, fn) g_test_add("/core/batching/" path, Fixture, NULL, setup, fn, teardown)

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    ADD("no-node-never-ends", no_node_never_ends);
    ADD("start-inside-head-ends-at-head-end", start_inside_head_ends_at_head_end);
    ADD("node-after-start-ends-at-node-start", node_after_start_ends_at_node_start);
    ADD("ends-on-first-page-last-of-head", first_page_is_last_of_head);
    ADD("ends-on-first-page-just-before-head", first_page_just_before_head);
    ADD("lookup-uses-batch-start", lookup_uses_batch_start);
    ADD("non-contiguous-sends-without-page", non_contiguous_sends_without_page);
    ADD("non-contiguous-inside-head-joins", non_contiguous_inside_head_joins);
    ADD("finalize-inside-head-joins", finalize_inside_head_joins);
    ADD("head-cancelled-mid-batch", head_cancelled_mid_batch);
    ADD("batch-grows-by-pages", batch_grows_by_pages);
    return g_test_run();
}
