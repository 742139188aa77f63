/* latency-splits.tsv: the fault latency histogram of each final status and of
 * each workload of a run (the splits of summary.json, rep-figures.h), written by
 * `pagesim run` beside latency-histogram.tsv and read back by `pagesim plot`
 * for the per-status and per-workload CDF figures.
 *
 * Tab-separated lines, '#' lines are comments, values in ns:
 *   split   KIND  NAME                      (KIND: status or workload)
 *   hist    COUNT  MIN  MAX  SUM  CLAMPED    (of the split before it)
 *   bucket  BUCKET  COUNT                    (its non-empty buckets)
 * Statuses come sorted by name, workloads in scenario order; a split without a
 * fault has its split and hist lines only.
 */
#pragma once

#include <glib.h>
#include <stdio.h>

#include "sim/report/rep-figures.h"
#include "sim/report/rep-histogram.h"

typedef enum { REP_SPLIT_STATUS, REP_SPLIT_WORKLOAD, REP_SPLIT_KIND_COUNT } RepSplitKind;

typedef struct {
    RepSplitKind kind;
    char *name;            /* status or workload name */
    RepHistogram *latency; /* its fault latency */
} RepSplitHist;

/* rep_splits_write: @f's status and workload splits (fault latency) to @out.
 * FALSE with G_FILE_ERROR_IO if @out failed. */
gboolean rep_splits_write(const RepFigures *f, FILE *out, GError **error);

/* rep_splits_read: (transfer full) the splits in the file at @path, as an array
 * of RepSplitHist (freed with it). NULL with @error (G_FILE_ERROR; INVAL with
 * "PATH:LINE: ..."). */
GPtrArray *rep_splits_read(const char *path, GError **error);

/* rep_splits_with_faults: how many splits of @kind in @splits have a fault. */
guint rep_splits_with_faults(const GPtrArray *splits, RepSplitKind kind);
