/* trace.json: the native event stream converted, as it arrives, to the Chrome
 * trace event format that Perfetto (ui.perfetto.dev) and chrome://tracing open.
 *
 * Tracks (pids and tids are fixed by order of first appearance):
 *  - pid 1 "simulated threads": one thread track per simulated thread, except that
 *    the short-lived threads of open-loop arrivals ("WORKLOAD#N") share the
 *    tracks "WORKLOAD lane K": an arrival takes the lowest lane free when it
 *    starts, and frees it when its access ends, so the number of tracks is the
 *    largest number of arrivals in flight at once, not the number of arrivals. An access
 *    is a slice named after its kind (fault, read, commit) from `access` to
 *    `done`; accesses that found every page resident and took no simulated time
 *    are left out (summary.json counts them). Inside it, each wait is a slice
 *    `page_request_wait` (Zircon's name) from the thread's `request` or
 *    `coalesce` to its `wake` or `cancel`; a cancel is also an instant.
 *  - pid 2 "pager workers": one track per worker; a `serve` slice from the
 *    worker's `dequeue` of a READ to its `served` line (before the model emits
 *    `served`, to its last supply or fail), with a zero-length `supply` or `fail`
 *    slice inside for each call it makes.
 *  - pid 3 "scenario": a track "actions" for timed actions and what they do
 *    directly (dequeue, supply, fail, evict, resize, refusals), and the counter
 *    tracks: "threads waiting", and per VMO "<vmo> outstanding requests",
 *    "<vmo> queued requests" (its requests in the pager's port or FIFO, not yet
 *    read) and "<vmo> resident pages", from the `outstanding`, `port` and
 *    `resident` fields where the native lines carry them.
 *  - global instants for detach, close, pager_close and pager death.
 * Flows (category "vm"): `page_request_queue` from the wait slice of the thread
 * whose request was sent to the slice of the dequeue that took it off the port;
 * `page_request_signal` from the supply (or fail) slice that completed a waiting
 * request to that waiter's wait slice, ending just before the wait does. A
 * waiter counts as completed once supplies have covered its range (the page
 * source's own pending count), or at once by a fail of an overlapping range.
 *
 * The document's "otherData" holds the scenario, policy, seed and pagesim
 * version when the options name them.
 *
 * Timestamps are microseconds since simulated t = 0, with nanosecond fractions.
 * Slices are B/E pairs written in simulated-time order, so they nest on every
 * track; an access slice is written when its first nested slice or its end is
 * known, still with its own start time. A window [start, end) limits what is
 * drawn: slices open at its start begin there, slices open at its end end there.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/report/rep-event.h"

typedef struct {
    uint64_t window_start; /* nothing is drawn before it; 0 for the whole run */
    uint64_t window_end;   /* nothing is drawn from it on; UINT64_MAX for the whole run */
    const char *scenario;  /* nullable: with policy, seed and version, written as the
                              trace's "otherData" metadata */
    const char *policy;
    const char *version;
    guint64 seed;
} RepPerfettoOptions;

typedef struct _RepPerfetto RepPerfetto;

/* rep_perfetto_new: a converter writing to @out (transfer none; the caller closes
 * it), gzip-compressed when @gzip. @opt may be NULL (the whole run). */
RepPerfetto *rep_perfetto_new(FILE *out, gboolean gzip, const RepPerfettoOptions *opt);

/* rep_perfetto_feed: converts one native event. A RepEventFn: @self is the
 * RepPerfetto. Events must come in simulated-time order. */
void rep_perfetto_feed(const RepEvent *e, gpointer self);

/* rep_perfetto_finish: ends the slices still open (at the window's end, or at the
 * last event's time), closes the JSON document and flushes. Returns FALSE with
 * G_FILE_ERROR_IO if writing failed. */
gboolean rep_perfetto_finish(RepPerfetto *p, GError **error);

/* rep_perfetto_bytes: bytes written so far (before compression), for a size limit. */
guint64 rep_perfetto_bytes(const RepPerfetto *p);

/* rep_perfetto_free: accepts NULL. */
void rep_perfetto_free(RepPerfetto *p);

/* rep_perfetto_convert_file: converts the events.jsonl file at @path into @out.
 * Returns FALSE and sets @error for a bad input line (REP_EVENT_ERROR) or I/O. */
gboolean rep_perfetto_convert_file(const char *path, FILE *out, gboolean gzip,
                                   const RepPerfettoOptions *opt, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RepPerfetto, rep_perfetto_free)
