/* The model's observer of every page source (core/provider.h): what core/
 * changed, counted for summary.json and traced, and the completions that wake
 * waiting threads. Core calls it after each change, so the counters it reads
 * (outstanding heads, queued packets) already include the change.
 *
 * The context is the MdlVmo whose source changed.
 */
#include "sim/model/mdl-readahead.h"
#include "sim/model/mdl-timeout-inline.h"

/* Who sent @req: its thread, or for background readahead the thread whose
 * access sent it. */
static const char *thread_name(const CorePageRequest *req) {
    if (mdl__ra_is_background(req))
        return mdl__ra_sender(req);
    return mdl__thread_name(mdl__req_thread(req));
}

/* The timeline counts the thread that sent @req (see thread_name) as waiting
 * from its request or coalesce to its wake, cancel or access's end, as the
 * fold of events.jsonl counts the names in those lines. */
G_ALWAYS_INLINE static inline void timeline_wait_begin(MdlWorld *w, const CorePageRequest *req) {
    MdlThread *t = mdl__ra_is_background(req) ? mdl__ra_sender_thread(req) : mdl__req_thread(req);
    if (!t->tl_waiting) {
        t->tl_waiting = TRUE;
        rep_timeline_waiting_add(w->tl, mdl__now(w), +1);
    }
}

void mdl__timeline_wait_end(MdlThread *t, gboolean done) { mdl__timeline_wait_end_inline(t, done); }

/* The "request" line of on_sent. Out of line: traced runs only. */
G_NO_INLINE static void trace_sent(MdlVmo *vmo, const CorePageRequest *req, uint64_t len) {
    MdlWorld *w = vmo->world;
    rep_trace_begin(w->trace, mdl__now(w), REP_EV_REQUEST);
    rep_trace_str(w->trace, REP_KEY_VMO, vmo->scn->name);
    rep_trace_u64(w->trace, REP_KEY_OFFSET, core_page_request_get_offset(req));
    rep_trace_u64(w->trace, REP_KEY_LEN, len);
    rep_trace_str(w->trace, REP_KEY_PROVIDER, vmo->prov->scn->name);
    rep_trace_str(w->trace, REP_KEY_THREAD, thread_name(req));
    rep_trace_u64(w->trace, REP_KEY_OUTSTANDING, core_page_source_get_head_count(vmo->src));
    rep_trace_u64(w->trace, REP_KEY_PORT, mdl__vmo_queued(vmo));
    rep_trace_end(w->trace);
}

/* A request became a head: the provider (the VMO's PagerProxy) has queued it. */
static void on_sent(gpointer ctx, CorePageRequest *req) {
    MdlVmo *vmo = ctx;
    MdlWorld *w = vmo->world;
    w->stats.requests_sent++;
    if (w->tl) {
        timeline_wait_begin(w, req);
        rep_timeline_counters(w->tl, mdl__now(w), vmo->index, REP_TL_HAS_OUT | REP_TL_HAS_PORT,
                              core_page_source_get_head_count(vmo->src),
                              mdl__proxy_queued(vmo->proxy), 0); /* sent to it */
    }
    /* The length read only now, and requests_pages apart from requests_sent
     * (only summary.json reads either): two adds to memory, where the pair was
     * merged into a vector add through the stack, and fewer values kept across
     * the timeline's calls. */
    uint64_t len = core_page_request_get_len(req);
    w->stats.requests_pages += len >> MDL_PAGE_SHIFT;
    if (mdl__tracing(w))
        trace_sent(vmo, req, len);
}

/* A request joined an in-flight one instead of reaching the provider. */
static void on_coalesced(gpointer ctx, CorePageRequest *req) {
    MdlVmo *vmo = ctx;
    MdlWorld *w = vmo->world;
    w->stats.requests_coalesced++;
    if (w->tl)
        timeline_wait_begin(w, req);
    if (!mdl__tracing(w))
        return;
    rep_trace_begin(w->trace, mdl__now(w), REP_EV_COALESCE);
    rep_trace_str(w->trace, REP_KEY_THREAD, thread_name(req));
    rep_trace_str(w->trace, REP_KEY_VMO, vmo->scn->name);
    rep_trace_u64(w->trace, REP_KEY_OFFSET, core_page_request_get_offset(req));
    rep_trace_u64(w->trace, REP_KEY_LEN, core_page_request_get_len(req));
    rep_trace_end(w->trace);
}

/* A request was completed: its thread's Wait ends. */
static void on_signalled(gpointer ctx, CorePageRequest *req, CoreStatus status) {
    /* background readahead: nobody waits; completion made it inactive */
    if (!mdl__ra_is_background(req))
        mdl__access_signalled(mdl__req_thread(req), status);
}

/* Core calls each hook directly (core/provider.h). */
const CoreObserverOps mdl__observer_ops = {
    .on_sent = on_sent,
    .on_coalesced = on_coalesced,
    .on_signalled = on_signalled,
};
