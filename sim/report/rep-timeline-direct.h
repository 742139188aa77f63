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
 * Thread identity: a name in a trace; here any pointer that is unique while
 * the thread lives. Because a name is never reused, a thread whose identity
 * is about to be reused (a recycled arrival thread) must be retired with
 * rep_timeline_thread_gone(): if it was counted as waiting it stays counted,
 * as its name would.
 */
#pragma once

#include "sim/report/rep-timeline.h"

/* rep_timeline_direct_init: the run has @n_vmos VMOs (indices of the calls). */
void rep_timeline_direct_init(RepTimeline *tl, guint n_vmos);

/* A request or coalesce line of thread @who. */
void rep_timeline_wait_begin(RepTimeline *tl, uint64_t t, gconstpointer who);
/* A wake or cancel line of thread @who. */
void rep_timeline_wait_end(RepTimeline *tl, uint64_t t, gconstpointer who);
/* A done line of thread @who; @fault, @latency and whether its status is not ZX_OK. */
void rep_timeline_done(RepTimeline *tl, uint64_t t, gconstpointer who, gboolean fault,
                       uint64_t latency, gboolean failed);
/* @who's identity may be reused from now on. */
void rep_timeline_thread_gone(RepTimeline *tl, gconstpointer who);

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

/* A reclaim line: @pages evicted (its resident field goes to rep_timeline_counters). */
void rep_timeline_reclaim(RepTimeline *tl, uint64_t t, uint64_t pages);
