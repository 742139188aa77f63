/* The adaptive policy's run-time side (mdl-readahead.c): Linux's readahead
 * decisions on one VMO's shared file_ra_state, and the background requests that
 * carry the windows no thread waits for. */
#pragma once

#include "sim/model/mdl-private.h"

/* The pages one miss reads: the window [start, end) (already clipped to the
 * VMO) and the page whose PG_readahead marker it sets (UINT64_MAX = none). */
typedef struct {
    uint64_t start, end;
    uint64_t marker;
} MdlRaWindow;

/* mdl__ra_cached: whether page @p of @vmo is in the "page cache": resident, or
 * in a request in flight (Linux's locked, not yet uptodate folio). */
gboolean mdl__ra_cached(MdlVmo *vmo, uint64_t p);

/* mdl__ra_hit: @t's read or fault found page @p cached: the mmap_miss count and
 * the PG_readahead check (page_cache_async_ra), which may send the next window
 * in the background. */
void mdl__ra_hit(MdlThread *t, uint64_t p);

/* mdl__ra_miss: @t's access misses page @p (not cached): fills @win with what
 * Linux reads for it (updating the VMO's state). */
void mdl__ra_miss(MdlThread *t, uint64_t p, MdlRaWindow *win);

/* mdl__ra_send: sends every run of uncached pages in [@from, @to) as batching
 * requests no thread waits on (background readahead). */
void mdl__ra_send(MdlThread *t, uint64_t from, uint64_t to);

/* mdl__ra_read_done: a read by @t reached page @end (one past its last page):
 * Linux's ra->prev_pos. */
void mdl__ra_read_done(MdlThread *t, uint64_t end);

/* mdl__ra_is_background: whether @req is a background request (the observer
 * wakes nobody for it). */
static inline gboolean mdl__ra_is_background(const CorePageRequest *req) {
    return req->user != 0; /* a thread's own request keeps 0 */
}

/* mdl__ra_sender: (transfer none) the name of the thread that sent background
 * request @req. */
const char *mdl__ra_sender(const CorePageRequest *req);
/* mdl__ra_sender_thread: that thread (its memory may since serve a later
 * arrival's thread; it is never freed before the world). */
MdlThread *mdl__ra_sender_thread(const CorePageRequest *req);

/* mdl__ra_free: destroys @vmo's readahead state (before its page source). */
void mdl__ra_free(MdlVmo *vmo);
