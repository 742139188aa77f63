/* timeline.tsv: a run's timeline (rep-timeline.h), written by `pagesim run`
 * beside summary.json and read back by `pagesim plot`, so figures over time need
 * neither events.jsonl nor a pass over it.
 *
 * Tab-separated lines, each starting with its kind; '#' lines are comments;
 * times and latencies in ns; reals printed exactly (%.17g):
 *
 *   timeline  START  INTERVAL  N  END
 *   provider  WORKERS  NAME                          (in declaration order)
 *   device    DEPTH  NAME                            (in declaration order)
 *   memory                                            (resident and reclaim folded)
 *   interval  I  FAILED  then area, known_ns, max of each step series in
 *             RepTimelineSeries order: waiting, outstanding, queued, resident
 *             (a file may have fewer: the series after them are unknown)
 *   busy      I  P  BUSY_NS                           (busy worker x ns)
 *   io        I  D  READS  BUSY_NS  SERVICE  QUEUED   (reads submitted; ns with a
 *             read in service; read x ns in service; read x ns waiting)
 *   reclaimed I  PAGES                                (pages evicted by reclaim)
 *   latency   I  COUNT  MIN  MAX  SUM  CLAMPED       (the interval's faults)
 *   bucket    I  BUCKET  COUNT                        (their histogram)
 *
 * Intervals without faults and zero values are left out. The size is bounded
 * by the number of intervals (rep_timeline_set_max) and non-empty buckets.
 */
#pragma once

#include <glib.h>
#include <stdio.h>

#include "sim/report/rep-timeline.h"

/* rep_timeline_write: writes the finished @tl to @out. Returns FALSE with
 * G_FILE_ERROR_IO if @out failed. */
gboolean rep_timeline_write(const RepTimeline *tl, FILE *out, GError **error);

/* rep_timeline_read: (transfer full) the timeline in the file at @path. NULL with
 * @error (G_FILE_ERROR; INVAL with "PATH:LINE: ..." for a bad line). */
RepTimeline *rep_timeline_read(const char *path, GError **error);
