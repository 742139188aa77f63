/* Per-interval figures of a run, folded from its native events: the data behind
 * the latency heat map and the timeline of `pagesim plot`.
 *
 * The run (or the part of it the trace covers) is cut into equal intervals. For
 * each interval the timeline keeps:
 *  - the latency of the faults that finished in it (`done` lines with fault = 1),
 *    as a full log-linear histogram, so p50, p99 and max are as exact as
 *    summary.json's (kept paged, RepHistPaged: about 340 B plus 1 KiB per power
 *    of two of latency in use), and how many of them failed;
 *  - time-weighted mean and maximum of three step functions: threads waiting
 *    (from request/coalesce to wake/cancel/done; always known), outstanding
 *    requests (the sum over VMOs of the last `outstanding` field) and requests
 *    queued for a pager (the sum over VMOs of the last `port` field: packets in
 *    the port plus the pager proxy's FIFO); the last two are unknown until a
 *    line carries the field;
 *  - per provider, the mean number of busy workers: a worker is busy from its
 *    dequeue of a READ to its `served` line (or, in traces without `served`, to
 *    its last supply or fail);
 *  - per device (rep_timeline_add_device), from `device_read` lines: reads
 *    submitted, time with at least one read in service (the union, as
 *    summary.json's utilization), and the time-weighted mean reads in service
 *    and waiting for a slot;
 *  - with rep_timeline_set_memory: resident pages (the sum over VMOs of the
 *    last `resident` field) and the pages evicted by reclaim (`reclaim` lines);
 *  - from `lock_wait` lines: the mean number of holders-to-be queued for a VMO
 *    lock (each line's wait, [t - waited_ns, t), spread over the intervals).
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "sim/report/rep-event.h"
#include "sim/report/rep-hist-paged.h"

typedef enum {
    REP_TL_WAITING,     /* threads in PageRequest::Wait */
    REP_TL_OUTSTANDING, /* outstanding requests, all VMOs */
    REP_TL_PORT,        /* requests queued for the pagers (port + FIFO), all VMOs */
    REP_TL_RESIDENT,    /* resident pages, all VMOs (only after rep_timeline_set_memory) */
    /* A new step series is one entry here, before COUNT, its name in
     * rep-timeline.c's series_names, and its updates (gauge_set) in
     * rep_timeline_feed(); timeline.tsv, coarsening, re-binning and the plot
     * data (two columns appended to plots/timeline.tsv) carry it. */
    REP_TL_SERIES_COUNT
} RepTimelineSeries;

/* rep_timeline_series_name: (transfer none) the series' column name
 * ("waiting", "outstanding", "queued", "resident", ...). */
const char *rep_timeline_series_name(RepTimelineSeries s);

typedef struct {
    gboolean known; /* the series had a value during part of the interval */
    double mean;    /* time-weighted mean over the part where it was known */
    double max;     /* largest value held for a positive time */
} RepTimelineGauge;

typedef struct _RepTimeline RepTimeline;

/* rep_timeline_nice_interval: the smallest 1, 2 or 5 times a power of ten (ns)
 * that cuts @length into at most @target intervals. */
uint64_t rep_timeline_nice_interval(uint64_t length, guint target);

/* rep_timeline_new: @n intervals of @interval ns from @start. Events later than
 * the last interval add intervals. */
RepTimeline *rep_timeline_new(uint64_t start, uint64_t interval, guint n);

/* rep_timeline_set_max: bounds memory: when an event falls beyond @max_n
 * intervals, neighbouring intervals merge (2 or 5 at a time, so an interval of
 * 1, 2 or 5 x 10^k ns stays 1 or 2 x 10^k) until it fits. 0: never merge. */
void rep_timeline_set_max(RepTimeline *tl, guint max_n);
void rep_timeline_free(RepTimeline *tl);

/* rep_timeline_add_provider: declares provider @name with @workers workers (for
 * utilisation); returns its index. Providers not declared are ignored. */
guint rep_timeline_add_provider(RepTimeline *tl, const char *name, guint workers);

/* rep_timeline_feed: folds one native event in (a RepEventFn; @self is the
 * timeline). Events must come in simulated-time order. */
void rep_timeline_feed(const RepEvent *e, gpointer self);

/* rep_timeline_finish: closes what is still open at @end (ns), the end of the
 * run: the last interval may be partial (see rep_timeline_span). */
void rep_timeline_finish(RepTimeline *tl, uint64_t end);

/* rep_timeline_span: how much of interval @i the run covered (ns): the interval,
 * less for a last interval cut by the end. Rates and busy fractions are per
 * this span, so a partial last interval is not understated. */
uint64_t rep_timeline_span(const RepTimeline *tl, guint i);

/* Reading the result (after rep_timeline_finish: a directly fed timeline holds
 * the figures of its current interval apart until then). */
guint rep_timeline_n(const RepTimeline *tl);
uint64_t rep_timeline_start(const RepTimeline *tl, guint i);
uint64_t rep_timeline_interval(const RepTimeline *tl);
/* rep_timeline_latency: interval @i's latencies, expanded from the compact
 * per-interval form into one histogram the timeline owns: valid until the next
 * call (one at a time; not for concurrent readers). */
const RepHistogram *rep_timeline_latency(const RepTimeline *tl, guint i);
uint64_t rep_timeline_failed(const RepTimeline *tl, guint i);
RepTimelineGauge rep_timeline_gauge(const RepTimeline *tl, RepTimelineSeries s, guint i);
guint rep_timeline_n_providers(const RepTimeline *tl);
const char *rep_timeline_provider(const RepTimeline *tl, guint p);
guint rep_timeline_workers(const RepTimeline *tl, guint p);
/* rep_timeline_busy: mean busy workers of provider @p over the span of interval @i. */
double rep_timeline_busy(const RepTimeline *tl, guint p, guint i);
/* rep_timeline_add_device: declares device @name with @queue_depth slots;
 * returns its index. `device_read` lines of other devices are ignored. */
guint rep_timeline_add_device(RepTimeline *tl, const char *name, guint queue_depth);

/* rep_timeline_set_memory: also folds resident pages and reclaim (a run with a
 * "memory" section). */
void rep_timeline_set_memory(RepTimeline *tl, gboolean memory);
gboolean rep_timeline_has_memory(const RepTimeline *tl);

/* rep_timeline_set_horizon: a device read's service is credited no later than
 * @t (the run's stop time), as summary.json leaves out service past the end. */
void rep_timeline_set_horizon(RepTimeline *tl, uint64_t t);

typedef struct {
    uint64_t reads;    /* reads submitted in the interval */
    double busy;       /* fraction of the span with a read in service */
    double in_service; /* mean reads in service */
    double queued;     /* mean reads waiting for a slot */
} RepTimelineDeviceIo;

guint rep_timeline_n_devices(const RepTimeline *tl);
const char *rep_timeline_device(const RepTimeline *tl, guint d);
guint rep_timeline_device_depth(const RepTimeline *tl, guint d);
RepTimelineDeviceIo rep_timeline_device_io(const RepTimeline *tl, guint d, guint i);

/* rep_timeline_has_lock: a `lock_wait` line was folded in (the run has a VMO
 * lock and it was contended). rep_timeline_lock_waiting: the mean number of
 * threads, workers and actions queued for a VMO lock (all VMOs) over interval
 * @i's span, counting the waits that ended in a grant. */
gboolean rep_timeline_has_lock(const RepTimeline *tl);
double rep_timeline_lock_waiting(const RepTimeline *tl, guint i);

/* rep_timeline_reclaimed: pages evicted by reclaim in interval @i. */
uint64_t rep_timeline_reclaimed(const RepTimeline *tl, guint i);

/* rep_timeline_rebin: merges every @factor neighbouring intervals into one (the
 * interval becomes @factor times longer; the last may be partial). */
void rep_timeline_rebin(RepTimeline *tl, guint factor);

/* rep_timeline_events: how many native events were folded in. */
guint64 rep_timeline_events(const RepTimeline *tl);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RepTimeline, rep_timeline_free)
