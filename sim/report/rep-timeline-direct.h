/* Feeding a run's timeline directly: the model calls these typed functions at
 * the points where it would trace the matching native event, with integer ids
 * (VMO, provider, worker and device indices) and an opaque thread identity
 * instead of names, so no trace record is built when nothing is traced.
 *
 * Each call folds exactly what rep_timeline_feed() folds from the matching
 * line (rep-timeline.h), in the same order, so a run's timeline.tsv is the
 * one `pagesim plot` folds from the same run's events.jsonl. A timeline is fed
 * either way, never both: declare its VMOs (rep_timeline_direct_init) first.
 *
 * Threads: the model keeps, per thread, whether the timeline counts it as
 * waiting (a name in the fold's set of waiting threads) and reports the
 * changes of that count. A thread that ends while counted stays counted, as
 * its name would (names are never reused).
 */
#pragma once

#include "sim/report/rep-timeline.h"

/* rep_timeline_direct_init: the run has @n_vmos VMOs (indices of the calls). */
void rep_timeline_direct_init(RepTimeline *tl, guint n_vmos);

/* A thread became counted as waiting (@delta +1: a request or coalesce line
 * of a thread not counted) or stopped (-1: its wake, cancel or done line). */
void rep_timeline_waiting_add(RepTimeline *tl, uint64_t t, int delta);
/* A wake or cancel line of a thread not counted as waiting: its wait began
 * before the timeline's start and is credited from there. */
void rep_timeline_wait_unknown(RepTimeline *tl, uint64_t t);
/* A done line that ended an access with a fault: its @latency, and whether its
 * status is not ZX_OK. */
void rep_timeline_fault_done(RepTimeline *tl, uint64_t t, uint64_t latency, gboolean failed);

/* The counters a line carries, for VMO @vmo: the fields present are those of
 * @mask (REP_TL_HAS_*). */
enum { REP_TL_HAS_OUT = 1, REP_TL_HAS_PORT = 2, REP_TL_HAS_RES = 4 };
void rep_timeline_counters(RepTimeline *tl, uint64_t t, guint vmo, guint mask, uint64_t out,
                           uint64_t port, uint64_t res);

/* Worker @worker of provider @prov: a dequeue line (a READ or a COMPLETE), a
 * served line, and a supply or fail line it made. */
void rep_timeline_dequeue(RepTimeline *tl, uint64_t t, guint prov, guint worker, gboolean read);
void rep_timeline_served(RepTimeline *tl, uint64_t t, guint prov, guint worker);
void rep_timeline_worker_op(RepTimeline *tl, uint64_t t, guint prov, guint worker);

/* A device_read line of device @dev (the index of rep_timeline_add_device). */
void rep_timeline_device_read(RepTimeline *tl, uint64_t t, guint dev, uint64_t queued,
                              uint64_t service);

/* A lock_wait line: a grant at @t after @waited ns in the queue. */
void rep_timeline_lock_wait(RepTimeline *tl, uint64_t t, uint64_t waited);

/* A reclaim line: @pages evicted (its resident field goes to rep_timeline_counters). */
void rep_timeline_reclaim(RepTimeline *tl, uint64_t t, uint64_t pages);
