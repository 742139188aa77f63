/* The adaptive policy: Linux's readahead, as Linux 6.1 does it in
 * mm/readahead.c (page_cache_sync_ra, page_cache_async_ra, ondemand_readahead,
 * try_context_readahead, do_page_cache_ra) and mm/filemap.c (filemap_get_pages,
 * do_sync_mmap_readahead, do_async_mmap_readahead). Function names below are
 * Linux's; the rules are restated, not copied.
 *
 * A VMO is the file: its MdlReadahead is the file's file_ra_state, shared by
 * every thread that reads or faults on it. "Cached" means resident or in a
 * request in flight (Linux's page cache holds a locked folio while it reads).
 * A window's pages are read by the missing thread's own request (the run that
 * starts at its page) and, for the rest, by background requests that nobody
 * waits on, like the I/O Linux starts for pages its reader does not need yet.
 *
 * Simplifications (README.md's policy table): one PG_readahead marker per file
 * (the latest window's); ra_pages is also the largest window of an oversized
 * read (no bdi io_pages); a fault that finds its page resident counts as a
 * page-cache hit of filemap_fault (there are no page tables, so no fault-around).
 */
#include "sim/model/mdl-readahead.h"

#define MMAP_LOTSAMISS 100 /* mm/filemap.c */
#define NO_PAGE        UINT64_MAX

/* A background request, and the name of the thread whose access sent it. */
typedef struct {
    CorePageRequest req; /* first (mdl__ra_sender casts); user byte 1 (mdl__ra_is_background) */
    char *by;            /* the sending thread's name; NULL when not tracing */
    MdlThread *sender;   /* the sending thread (its timeline count) */
} MdlRaRequest;

static MdlReadahead *ra_get(MdlVmo *vmo) {
    if (vmo->ra == NULL) {
        vmo->ra = g_new0(MdlReadahead, 1);
        vmo->ra->prev_pos = UINT64_MAX; /* file_ra_state_init: prev_pos = -1 */
        vmo->ra->marker = NO_PAGE;
        vmo->ra->bg = g_ptr_array_new();
    }
    return vmo->ra;
}

const char *mdl__ra_sender(const CorePageRequest *req) { return ((const MdlRaRequest *)req)->by; }
MdlThread *mdl__ra_sender_thread(const CorePageRequest *req) {
    return ((const MdlRaRequest *)req)->sender;
}

gboolean mdl__ra_cached(MdlVmo *vmo, uint64_t p) {
    if (mdl_pages_test(vmo->pages, p))
        return TRUE;
    return vmo->src != NULL &&
           core_page_source_peek_head_containing(vmo->src, p << MDL_PAGE_SHIFT) != NULL;
}

/* page_cache_next_miss: the first uncached page in [@from, @from + @max), or
 * @from + @max if there is none. */
static uint64_t next_miss(MdlVmo *vmo, uint64_t from, uint64_t max) {
    for (uint64_t p = from; p < from + max; p++)
        if (!mdl__ra_cached(vmo, p))
            return p;
    return from + max;
}

/* count_history_pages: the cached pages just before @index as Linux counts
 * them with page_cache_prev_miss over @max pages (max - 1 when all are). */
static uint64_t history(MdlVmo *vmo, uint64_t index, uint64_t max) {
    uint64_t k = 0;
    for (uint64_t p = index; p > 0 && k < max; k++)
        if (!mdl__ra_cached(vmo, --p))
            return k;
    return k == max ? max - 1 : k;
}

/* try_context_readahead: more cached history than the request means a stream
 * (twice as long when it starts at the file's beginning); the window is
 * min(history + request, max) from @index with one page read ahead. */
static gboolean context_readahead(MdlVmo *vmo, MdlReadahead *ra, uint64_t index, uint64_t req,
                                  uint64_t max) {
    uint64_t size = history(vmo, index, max);
    if (size <= req)
        return FALSE; /* "it could be a random read" */
    if (size >= index)
        size *= 2;
    ra->start = index;
    ra->size = MIN(size + req, max);
    ra->async_size = 1;
    return TRUE;
}

/* The initial_readahead label: a fresh window from the request size, all but
 * the request read ahead asynchronously. */
static void initial(MdlReadahead *ra, uint64_t index, uint64_t req, uint64_t max) {
    ra->start = index;
    ra->size = mdl_readahead_init_size(req, max);
    ra->async_size = ra->size > req ? ra->size - req : ra->size;
}

/* The readit label of a synchronous call: a fresh window at the reader's page
 * that is all asynchronous is extended by the next size at once (ramp-up),
 * or to max with half of it asynchronous when that would pass max. */
static void ramp_up(MdlReadahead *ra, uint64_t index, uint64_t max) {
    if (index != ra->start || ra->size != ra->async_size)
        return;
    uint64_t add = mdl_readahead_next_size(ra->size, max);
    if (ra->size + add <= max) {
        ra->async_size = add;
        ra->size += add;
    } else {
        ra->size = max;
        ra->async_size = max / 2;
    }
}

/* ondemand_readahead for page @index and a request of @req pages; @hit says the
 * reader touched the PG_readahead marker (the asynchronous call). Returns TRUE
 * if the state now holds the window to read; FALSE if a synchronous read goes
 * as is (a standalone small random read, state untouched) or an asynchronous
 * one reads nothing. */
static gboolean ondemand(MdlVmo *vmo, MdlReadahead *ra, uint64_t index, uint64_t req,
                         gboolean hit) {
    uint64_t max = vmo->world->policy.readahead;
    if (index == 0) { /* start of file */
        initial(ra, index, req, max);
    } else if (index == ra->start + ra->size - ra->async_size || index == ra->start + ra->size) {
        /* the expected page (marker or just past the window): move on */
        ra->start += ra->size;
        ra->size = mdl_readahead_next_size(ra->size, max);
        ra->async_size = ra->size;
    } else if (hit) { /* a marker of an interleaved stream: from the next miss */
        uint64_t start = next_miss(vmo, index + 1, max);
        if (start - index > max)
            return FALSE;
        ra->start = start;
        ra->size = mdl_readahead_next_size(start - index + req, max);
        ra->async_size = ra->size;
        return TRUE;
    } else if (req > max) { /* oversize read */
        initial(ra, index, req, max);
    } else if (index - (ra->prev_pos >> MDL_PAGE_SHIFT) <= 1) {
        /* sequential cache miss: the page at or after the previous read's end */
        initial(ra, index, req, max);
    } else if (!context_readahead(vmo, ra, index, req, max)) {
        return FALSE;
    }
    if (!hit)
        ramp_up(ra, index, max);
    return TRUE;
}

/* do_page_cache_ra / page_cache_ra_unbounded: the state's window clipped to the
 * VMO's end; PG_readahead goes on the page async_size before its end, only if
 * that page is newly read. */
static void window_from_state(MdlVmo *vmo, MdlReadahead *ra, MdlRaWindow *win) {
    uint64_t eof = vmo->size >> MDL_PAGE_SHIFT;
    win->start = ra->start;
    win->end = ra->start >= eof ? ra->start : ra->start + MIN(ra->size, eof - ra->start);
    win->marker = NO_PAGE;
    uint64_t nr = win->end - win->start;
    if (ra->async_size >= 1 && ra->async_size <= nr) {
        uint64_t mark = win->start + nr - ra->async_size;
        if (!mdl__ra_cached(vmo, mark))
            win->marker = ra->marker = mark;
    }
}

/* The pages [@p, @p + @n) read as is, clipped to the VMO: no marker. */
static void as_is(MdlVmo *vmo, uint64_t p, uint64_t n, MdlRaWindow *win) {
    uint64_t eof = vmo->size >> MDL_PAGE_SHIFT;
    win->start = p;
    win->end = p >= eof ? p + 1 : p + MIN(n, eof - p);
    win->marker = NO_PAGE;
}

/* do_sync_mmap_readahead: VM_RAND_READ reads the page alone; VM_SEQ_READ
 * reads as page_cache_sync_ra with ra_pages; otherwise mmap_miss counts the
 * miss (up to 10 x MMAP_LOTSAMISS) and, unless it passes MMAP_LOTSAMISS,
 * read-around: ra_pages starting ra_pages/2 before the fault (not before page
 * 0), the last ra_pages/4 of them asynchronous. */
static void fault_miss(MdlThread *t, MdlReadahead *ra, uint64_t p, MdlRaWindow *win) {
    MdlVmo *vmo = t->acc.vmo;
    uint64_t max = vmo->world->policy.readahead;
    switch (mdl__thread_wl(t)->hint) {
        case SCN_HINT_RANDOM:
            as_is(vmo, p, 1, win);
            return;
        case SCN_HINT_SEQUENTIAL:
            if (ondemand(vmo, ra, p, max, FALSE))
                window_from_state(vmo, ra, win);
            else
                as_is(vmo, p, max, win);
            return;
        default:
            break;
    }
    if (ra->mmap_miss < MMAP_LOTSAMISS * 10)
        ra->mmap_miss++;
    if (ra->mmap_miss > MMAP_LOTSAMISS) {
        as_is(vmo, p, 1, win);
        return;
    }
    ra->start = p > max / 2 ? p - max / 2 : 0;
    ra->size = max;
    ra->async_size = max / 4;
    window_from_state(vmo, ra, win);
}

void mdl__ra_miss(MdlThread *t, uint64_t p, MdlRaWindow *win) {
    MdlVmo *vmo = t->acc.vmo;
    MdlReadahead *ra = ra_get(vmo);
    switch (t->acc.kind) {
        case SCN_ACCESS_FAULT:
            fault_miss(t, ra, p, win);
            return;
        case SCN_ACCESS_READ:
            /* filemap_get_pages: page_cache_sync_ra with the pages left */
            if (ondemand(vmo, ra, p, t->acc.end - p, FALSE))
                window_from_state(vmo, ra, win);
            else
                as_is(vmo, p, t->acc.end - p, win);
            return;
        default:
            /* a commit has no Linux counterpart here: its range as is */
            as_is(vmo, p, t->acc.end - p, win);
            return;
    }
}

void mdl__ra_hit(MdlThread *t, uint64_t p) {
    MdlVmo *vmo = t->acc.vmo;
    MdlReadahead *ra = vmo->ra;
    uint64_t req;
    if (ra == NULL || t->acc.kind == SCN_ACCESS_COMMIT)
        return;
    if (t->acc.kind == SCN_ACCESS_FAULT) {
        /* filemap_fault calls it only when it finds the page at once, not
         * when it looks again after reading (or waiting for) it */
        if (p + 1 == t->acc.missed)
            return;
        /* do_async_mmap_readahead: nothing under VM_RAND_READ; a hit lowers
         * mmap_miss; the marker starts page_cache_async_ra with ra_pages */
        if (mdl__thread_wl(t)->hint == SCN_HINT_RANDOM)
            return;
        if (ra->mmap_miss > 0)
            ra->mmap_miss--;
        req = vmo->world->policy.readahead;
    } else {
        req = t->acc.end - p; /* filemap_readahead: last_index - folio->index */
    }
    if (p != ra->marker)
        return;
    ra->marker = NO_PAGE; /* folio_clear_readahead */
    MdlRaWindow win;
    if (!ondemand(vmo, ra, p, req, TRUE))
        return;
    window_from_state(vmo, ra, &win);
    mdl__ra_send(t, win.start, win.end);
}

void mdl__ra_read_done(MdlThread *t, uint64_t end) {
    /* filemap_read: prev_pos is where the read stopped */
    ra_get(t->acc.vmo)->prev_pos = end << MDL_PAGE_SHIFT;
}

/* An inactive background request of @vmo's (completion made it inactive
 * again), or a new one. */
static MdlRaRequest *bg_request(MdlVmo *vmo, MdlThread *t) {
    GPtrArray *bg = vmo->ra->bg;
    MdlRaRequest *r = NULL;
    for (guint i = 0; i < bg->len && r == NULL; i++) {
        MdlRaRequest *c = g_ptr_array_index(bg, i);
        if (core_page_request_get_state(&c->req) == CORE_PAGE_REQUEST_INACTIVE)
            r = c;
    }
    if (r == NULL) {
        r = g_new0(MdlRaRequest, 1);
        core_page_request_construct(&r->req, TRUE);
        r->req.user = 1;
        g_ptr_array_add(bg, r);
    }
    g_free(r->by);
    r->by = g_strdup(mdl__thread_name(t));
    r->sender = t;
    return r;
}

/* Sends one background batch from *@pp (uncached) up to @to or the first
 * cached page; *@pp moves past what was handled. Returns FALSE if the source
 * refused (detached or closed). */
static gboolean send_run(MdlThread *t, uint64_t *pp, uint64_t to) {
    MdlVmo *vmo = t->acc.vmo;
    MdlRaRequest *r = bg_request(vmo, t);
    uint64_t p = *pp;
    CoreStatus st;
    for (;;) {
        st = core_page_source_get_page(vmo->src, p << MDL_PAGE_SHIFT, &r->req);
        mdl__check(vmo->world, vmo);
        if (st != CORE_ERR_NEXT)
            break;
        if (++p >= to || mdl__ra_cached(vmo, p)) {
            st = core_page_source_finalize_request(vmo->src, &r->req);
            mdl__check(vmo->world, vmo);
            break;
        }
    }
    if (st == CORE_OK) /* a synchronous provider answered at once */
        mdl_pages_insert(vmo->pages, p);
    *pp = MAX(p, *pp + 1);
    return st == CORE_OK || st == CORE_ERR_SHOULD_WAIT;
}

void mdl__ra_send(MdlThread *t, uint64_t from, uint64_t to) {
    MdlVmo *vmo = t->acc.vmo;
    uint64_t eof = vmo->size >> MDL_PAGE_SHIFT;
    if (vmo->src == NULL)
        return;
    for (uint64_t p = from; p < MIN(to, eof);) {
        if (mdl__ra_cached(vmo, p))
            p++;
        else if (!send_run(t, &p, MIN(to, eof)))
            return;
    }
}

void mdl__ra_free(MdlVmo *vmo) {
    if (vmo->ra == NULL)
        return;
    for (guint i = 0; i < vmo->ra->bg->len; i++) {
        MdlRaRequest *r = g_ptr_array_index(vmo->ra->bg, i);
        core_page_request_destroy(&r->req);
        g_free(r->by);
        g_free(r);
    }
    g_ptr_array_unref(vmo->ra->bg);
    g_clear_pointer(&vmo->ra, g_free);
}
