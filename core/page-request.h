/* core/page-request.h: PageRequest, a caller-owned request for pages.
 *
 * A CorePageRequest is what a faulting or committing thread hands to
 * core_page_source_get_page. The caller allocates it (in the kernel it lives on
 * the thread's stack), so its layout is public, but only @user may be touched
 * directly; everything else is private to core/ and read through the getters.
 * The environment finds its own thread from a request by where it embedded
 * it (a request holds no owner pointer: 8 bytes less per blocked thread).
 *
 * Lifecycle (SPEC: page_source.h.txt, "For asynchronous requests, the lifecycle
 * is as follows", steps 1-6; core/README.md §1 states):
 * 1. core_page_request_construct: inactive.
 * 2. GetPage initialises it (Init: unsignals the event) and either returns
 *    NEXT (accumulating a batch) or sends it: it becomes a head (tree, owned by
 *    the provider from get_page_async until clear/swap) or a waiter (on the
 *    overlap list of the head its start falls in).
 * 3. The environment blocks the thread on the request's event and then calls
 *    core_page_request_wait (this split replaces the spec's blocking Wait).
 * 4. Completion (supply, fail, detach) or cancellation makes it inactive again;
 *    it may be reused by the next GetPage.
 * 5. core_page_request_destroy (~PageRequest) cancels it if still active.
 * The struct must not be moved in memory between construct and destroy.
 */
#pragma once

#include <glib.h>

#include "core/list.h"
#include "core/provider.h"
#include "core/request-tree.h"
#include "core/status.h"

G_BEGIN_DECLS

/* The states of core/README.md §1. */
typedef enum {
    CORE_PAGE_REQUEST_INACTIVE,     /* offset == MAX, in no container. */
    CORE_PAGE_REQUEST_ACCUMULATING, /* Initialised, in no container (batch, or failed send). */
    CORE_PAGE_REQUEST_HEAD,         /* In the outstanding tree; sent to the provider. */
    CORE_PAGE_REQUEST_WAITER,       /* On a head's overlap list. */
    CORE_PAGE_REQUEST_STATE_COUNT
} CorePageRequestState;

/* Where a request is (core/README.md §1): in no container (inactive or
 * accumulating, told apart by the offset), the outstanding tree (a head) or
 * a head's overlap list (a waiter). Private to core/. */
typedef enum {
    CORE_PAGE_REQUEST_IN_NONE,
    CORE_PAGE_REQUEST_IN_TREE,
    CORE_PAGE_REQUEST_IN_OVERLAP,
} CorePageRequestPlace;

struct _CorePageRequest {
    /* The first six share one word (a simulation may hold a million blocked
     * requests). */
    guint32 magic;        /* Private: CORE_PAGE_REQUEST_MAGIC while constructed. */
    gint16 signal_status; /* Private event state: the stored CoreStatus when
                             signalled (CORE_OK or a valid failure code: all fit). */
    guint8 user;          /* Public: the environment's byte (0 after construction;
                             core/ never reads it). */
    union {
        struct {
            guint8 allow_batching : 1; /* Private: boolean, fixed at construction. */
            guint8 signalled : 1;      /* Private event state: a signal not yet waited for. */
            guint8 place : 2;          /* Private: CorePageRequestPlace, its container. */
        };
        guint8 flags; /* Private: the three above as one byte (CORE_REQ_FLAGS). */
    };
    /* Private fields below. */
    CorePageSource *src; /* The source of the last Init (nullable). */
    union {
        /* The record given to the provider while a head. Its range is the
         * request's own (a head's range never changes while the provider
         * holds it), so the two share their memory. */
        CoreReadRequest read_request;
        struct {
            guint64 offset; /* Byte offset; G_MAXUINT64 when inactive. */
            guint64 len;    /* Byte length. */
        };
    };
    /* A request is a head or a waiter, never both: a waiter becomes a head
     * only once it has left its list (promotion, core/README.md §2.8), and a
     * head never becomes a waiter without going through inactive. */
    union {
        struct {                      /* A head's (place IN_TREE): */
            guint64 pending_size;     /* Bytes still to be supplied. */
            CoreTreeEntry tree_entry; /* Outstanding tree link, key = (offset + len) / page. */
            CoreListLink *waiters;    /* Its first waiter's overlap_link, NULL if none: the
                                         waiters' links form a ring in arrival order, with
                                         no sentinel (list.h, core__ring_*). */
        };
        CoreListLink overlap_link; /* A waiter's (place IN_OVERLAP): its link in the ring. */
    };
};

/* The byte @flags of a request with those fields (bit-fields are allocated
 * from the lowest bit on the ABIs GLib supports; test-core-page-source
 * checks it), so that the fault path writes them in one store. */
#define CORE_REQ_FLAGS(allow_batching, signalled, place)                                           \
    ((guint8)((allow_batching) | (signalled) << 1 | (place) << 2))

/* 72 bytes on 64-bit hosts (a head's and a waiter's fields overlap). */
G_STATIC_ASSERT(sizeof(gpointer) != 8 || sizeof(CorePageRequest) == 72);

/* core_page_request_construct:
 * Constructs @req (out, caller-allocated) as an inactive request with @user 0.
 * Batching is fixed here, as in the spec's constructor.
 * Context: any; atomic. */
void core_page_request_construct(CorePageRequest *req, gboolean allow_batching);

/* core_page_request_destroy:
 * The spec's destructor: if @req is still active, cancels it with
 * core_page_source_cancel_request (core/README.md §2.10). Accepts NULL and an
 * all-zero struct. The source of an active request must still exist.
 * Context: any; atomic. */
void core_page_request_destroy(CorePageRequest *req);

/* core_page_request_wait:
 * Finishes PageRequest::Wait after the environment's blocking part. The
 * environment first blocks its thread on @req's event unless
 * core_page_request_is_signalled() (then the spec's Wait returns at once), and
 * passes why the block ended as @wake_status: CORE_OK when woken by the signal
 * (its on_signalled), or ZX_ERR_INTERNAL_INTR_KILLED / _RETRY / ZX_ERR_TIMED_OUT for a kill,
 * a suspend or the pager timeout. A stored signal always wins over
 * @wake_status, and is consumed (auto-unsignal).
 * Returns CORE_OK if the request completed (pages may or may not be present).
 * Returns a valid failure code (IO, IO_DATA_INTEGRITY, BAD_STATE) if the
 * provider failed it; nothing is cancelled.
 * Returns @wake_status otherwise, after cancelling @req.
 * Context: the waiting thread; atomic. SPEC: page_source.h.txt "Returns ZX_OK
 * on success, or a permitted error code ..."; core/README.md §2.9. */
CoreStatus core_page_request_wait(CorePageRequest *req, CoreStatus wake_status);

/* core_page_request_wait_interrupted:
 * Finishes PageRequest::Wait when the block was ended by @status (a kill, a
 * suspend or the pager timeout) before the event was signalled, even if a
 * completion has signalled it since: that Wait already returned @status, so
 * the later signal is not its result (it stays stored until the next Init).
 * Returns @status, after CancelRequest (a no-op if the request completed).
 * Context: the waiting thread; atomic. SPEC: core/README.md §2.9 step 2. */
CoreStatus core_page_request_wait_interrupted(CorePageRequest *req, CoreStatus status);

/* core_page_request_is_signalled:
 * Returns TRUE if @req's event holds a signal that no wait has consumed. */
gboolean core_page_request_is_signalled(const CorePageRequest *req);

/* core_page_request_get_state:
 * Returns the state of @req (see CorePageRequestState). O(1). */
CorePageRequestState core_page_request_get_state(const CorePageRequest *req);

/* core_page_request_state_to_string:
 * Returns "inactive", "accumulating", "head" or "waiter" (static). */
const char *core_page_request_state_to_string(CorePageRequestState state);

/* core_page_request_get_offset:
 * Returns the byte offset, or G_MAXUINT64 if @req is inactive. */
guint64 core_page_request_get_offset(const CorePageRequest *req);

/* core_page_request_get_len:
 * Returns the byte length (meaningful while active). */
guint64 core_page_request_get_len(const CorePageRequest *req);

/* core_page_request_get_pending_size:
 * Returns the bytes still to be supplied (meaningful for heads only). */
guint64 core_page_request_get_pending_size(const CorePageRequest *req);

/* core_page_request_get_source:
 * Returns the source of the last GetPage that initialised @req (transfer
 * none, nullable). */
CorePageSource *core_page_request_get_source(const CorePageRequest *req);

/* core_page_request_peek_first_waiter:
 * Returns the first waiter on head @req's overlap list, in arrival order.
 * Returns NULL if there is none (or @req is not a head). */
CorePageRequest *core_page_request_peek_first_waiter(const CorePageRequest *req);

/* core_page_request_peek_next_waiter:
 * Returns the waiter after @waiter on head @req's overlap list.
 * Returns NULL after the last one. */
CorePageRequest *core_page_request_peek_next_waiter(const CorePageRequest *req,
                                                    const CorePageRequest *waiter);

/* core_page_request_get_waiter_count:
 * Returns the number of waiters on head @req. O(waiters). */
guint core_page_request_get_waiter_count(const CorePageRequest *req);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CorePageRequest, core_page_request_destroy)

G_END_DECLS
