/* core/page-request.c: PageRequest construction, Init, Wait, destruction and
 * the read-only view of a request (core/README.md §1, §2.9, §2.10).
 *
 * The request's AutounsignalEvent is modelled here as two fields: a signal is
 * stored until a wait consumes it, and Init clears it. The environment only
 * blocks and wakes threads; it never holds event state of its own.
 *
 * Invariants:
 * 1. magic is CORE_PAGE_REQUEST_MAGIC from construct until destroy.
 * 2. offset == G_MAXUINT64 iff the request is inactive; an inactive request
 *    is in no container (place IN_NONE).
 * 3. The state is derived from the offset and the place: head iff in the
 *    tree, waiter iff on an overlap list (a head's fields and a waiter's
 *    link share memory, so the links alone cannot tell).
 * 4. A stored signal exists only on an inactive request (completion makes the
 *    request inactive before signalling; Init clears the signal).
 */
#include "core/page-source-private.h"

#include <string.h>

CorePageRequest *core_read_request_get_page_request(const CoreReadRequest *request) {
    g_return_val_if_fail(request != NULL, NULL);
    return CORE_CONTAINER_OF(request, CorePageRequest, read_request);
}

/* signal_status is a gint16 (core/page-request.h): every status code fits. */
G_STATIC_ASSERT(CORE_ERR_INTERNAL_INTR_KILLED >= G_MININT16);

void core_page_request_construct(CorePageRequest *req, gboolean allow_batching) {
    g_return_if_fail(req != NULL);
    memset(req, 0, sizeof(*req));
    req->magic = CORE_PAGE_REQUEST_MAGIC;
    req->allow_batching = allow_batching != FALSE;
    req->signal_status = CORE_OK;
    req->offset = CORE_OFFSET_NONE;
    req->place = CORE_PAGE_REQUEST_IN_NONE;
    core__list_link_clear(&req->read_request.provider_link);
}

/* SPEC(core/README.md §2.10): a request destroyed while still active (an early
 * return with a batch accumulated, or after a failed Finalize) is cancelled. */
void core_page_request_destroy(CorePageRequest *req) {
    if (req == NULL || req->magic == 0)
        return;
    g_return_if_fail(req->magic == CORE_PAGE_REQUEST_MAGIC);
    if (req->offset != CORE_OFFSET_NONE)
        core_page_source_cancel_request(req->src, req);
    req->magic = 0;
}

void core__page_request_init(CorePageRequest *req, CorePageSource *src, guint64 offset) {
    /* SPEC(core/README.md §2.1 4): offset set, length 0, source recorded, and the
     * event unsignalled so that a stale signal cannot end the next wait. */
    req->src = src;
    req->offset = offset;
    req->len = 0;
    req->pending_size = 0;
    req->signalled = FALSE;
    req->signal_status = CORE_OK;
}

CoreStatus core_page_request_wait(CorePageRequest *req, CoreStatus wake_status) {
    g_return_val_if_fail(req != NULL && req->magic == CORE_PAGE_REQUEST_MAGIC, CORE_ERR_INTERNAL);
    CoreStatus status;

    if (req->signalled) {
        /* SPEC(core/README.md §2.9 event semantics, decision): a stored signal is
         * returned at once and cleared, and it wins over a kill or suspend
         * that arrives with it. */
        status = req->signal_status;
        req->signalled = FALSE;
    } else {
        /* Without a signal the wait can only have ended by interruption. */
        g_return_val_if_fail(wake_status != CORE_OK, CORE_ERR_INTERNAL);
        g_return_val_if_fail(!core_page_source_is_valid_failure_code(wake_status),
                             CORE_ERR_INTERNAL);
        status = wake_status;
    }

    if (status != CORE_OK && !core_page_source_is_valid_failure_code(status)) {
        /* SPEC(core/README.md §2.9 2): killed (-502), suspended (-6) or timed out
         * (-21): the request must leave all tracking. A failure code needs no
         * cancel, because OnPagesFailed already made the request inactive. */
        if (req->src != NULL)
            core_page_source_cancel_request(req->src, req);
    }
    /* SPEC(core/README.md §2.9 3): the status goes back to the VMO code. */
    return status;
}

CoreStatus core_page_request_wait_interrupted(CorePageRequest *req, CoreStatus status) {
    g_return_val_if_fail(req != NULL && req->magic == CORE_PAGE_REQUEST_MAGIC, CORE_ERR_INTERNAL);
    g_return_val_if_fail(status != CORE_OK && !core_page_source_is_valid_failure_code(status),
                         CORE_ERR_INTERNAL);
    /* SPEC(core/README.md §2.9 2): the interrupted Wait cancels its request; if a
     * completion got there in between, the request is inactive and the cancel
     * does nothing. The event keeps that signal until the next Init clears it. */
    if (req->src != NULL)
        core_page_source_cancel_request(req->src, req);
    return status;
}

gboolean core_page_request_is_signalled(const CorePageRequest *req) {
    g_return_val_if_fail(req != NULL, FALSE);
    return req->signalled;
}

CorePageRequestState core_page_request_get_state(const CorePageRequest *req) {
    g_return_val_if_fail(req != NULL, CORE_PAGE_REQUEST_INACTIVE);
    if (req->offset == CORE_OFFSET_NONE)
        return CORE_PAGE_REQUEST_INACTIVE;
    if (req->place == CORE_PAGE_REQUEST_IN_TREE)
        return CORE_PAGE_REQUEST_HEAD;
    if (req->place == CORE_PAGE_REQUEST_IN_OVERLAP)
        return CORE_PAGE_REQUEST_WAITER;
    return CORE_PAGE_REQUEST_ACCUMULATING;
}

const char *core_page_request_state_to_string(CorePageRequestState state) {
    static const char *const names[CORE_PAGE_REQUEST_STATE_COUNT] = {
        "inactive",
        "accumulating",
        "head",
        "waiter",
    };
    g_return_val_if_fail(state < CORE_PAGE_REQUEST_STATE_COUNT, "invalid");
    return names[state];
}

guint64 core_page_request_get_offset(const CorePageRequest *req) {
    g_return_val_if_fail(req != NULL, CORE_OFFSET_NONE);
    return req->offset;
}

guint64 core_page_request_get_len(const CorePageRequest *req) {
    g_return_val_if_fail(req != NULL, 0);
    return req->len;
}

guint64 core_page_request_get_pending_size(const CorePageRequest *req) {
    g_return_val_if_fail(req != NULL, 0);
    return req->place == CORE_PAGE_REQUEST_IN_TREE ? req->pending_size : 0;
}

CorePageSource *core_page_request_get_source(const CorePageRequest *req) {
    g_return_val_if_fail(req != NULL, NULL);
    return req->src;
}

CorePageRequest *core_page_request_peek_first_waiter(const CorePageRequest *req) {
    g_return_val_if_fail(req != NULL, NULL);
    if (req->place != CORE_PAGE_REQUEST_IN_TREE || req->waiters == NULL)
        return NULL;
    return core__request_of_overlap_link(req->waiters);
}

CorePageRequest *core_page_request_peek_next_waiter(const CorePageRequest *req,
                                                    const CorePageRequest *waiter) {
    g_return_val_if_fail(req != NULL && waiter != NULL, NULL);
    if (req->place != CORE_PAGE_REQUEST_IN_TREE || waiter->place != CORE_PAGE_REQUEST_IN_OVERLAP ||
        waiter->overlap_link.next == req->waiters)
        return NULL;
    return core__request_of_overlap_link(waiter->overlap_link.next);
}

guint core_page_request_get_waiter_count(const CorePageRequest *req) {
    g_return_val_if_fail(req != NULL, 0);
    guint n = 0;
    for (const CorePageRequest *w = core_page_request_peek_first_waiter(req); w != NULL;
         w = core_page_request_peek_next_waiter(req, w))
        n++;
    return n;
}
