/* summary.json: the one writer of a run's figures (RepFigures), and a reader of
 * the files it writes, for the comparison and sweep tables.
 *
 * A RepSummary is the document of one run: built from the figures of a run that
 * just ended, or loaded from a summary.json file. Keys are written in a fixed
 * order and statuses sorted by name, so the same run gives the same bytes
 * (wall_s and the "provenance" object aside). The fields are listed in README.md
 * ("What a run writes"). Values that do not exist (a percentile of zero samples,
 * the throughput of an empty window, the makespan of a workload that never ends)
 * are JSON null.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/report/rep-figures.h"

typedef struct _RepSummary RepSummary;

/* The traces a run wrote, and the simulated times they cover. */
typedef struct {
    const char *native;    /* "events.jsonl", or NULL for none */
    const char *perfetto;  /* the Perfetto trace's file name, or NULL */
    uint64_t window_start; /* traced times are window_start <= t < window_end */
    uint64_t window_end;   /* UINT64_MAX: to the end */
    gboolean truncated;    /* --trace-max cut the traces */
    uint64_t truncated_at; /* where (simulated ns) */
} RepTraceFiles;

/* Where a result came from, so that it can be reproduced from itself. */
typedef struct {
    const char *version;          /* pagesim's version */
    const char *revision;         /* the git revision it was built from */
    const char *source;           /* the scenario file as given */
    const char *const *command;   /* the command line, NULL-terminated */
    const char *const *overrides; /* the --set overrides, NULL-terminated (nullable) */
    const char *resolved;         /* the resolved scenario's file name, or NULL */
} RepProvenance;

/* What a summary says besides the figures. Strings are borrowed. */
typedef struct {
    const char *scenario;            /* scenario name */
    uint64_t seed;                   /* the seed the run used */
    const char *policy;              /* the batching policy's spec */
    double wall_s;                   /* wall-clock seconds the run took */
    const RepTraceFiles *trace;      /* nullable: no "trace" object */
    const RepProvenance *provenance; /* nullable: no "provenance" object */
} RepRunInfo;

/* rep_summary_new: (transfer full) the summary of the run @info with figures @f
 * (which rep_figures_finish() completed). */
RepSummary *rep_summary_new(const RepRunInfo *info, const RepFigures *f);

/* rep_summary_load: (transfer full) the summary in the file @path.
 * Returns NULL with a G_FILE_ERROR if it cannot be read or is not a JSON object. */
RepSummary *rep_summary_load(const char *path, GError **error);

void rep_summary_free(RepSummary *s);

/* rep_summary_write: writes @s as JSON (indented, one trailing newline).
 * Returns FALSE with G_FILE_ERROR_IO if @out fails. */
gboolean rep_summary_write(const RepSummary *s, FILE *out, GError **error);

/* rep_summary_get_number: the number at @path, keys joined by '.'
 * ("access_latency_ns.p99", "statuses.ZX_OK.latency_ns.p50"), a decimal key
 * indexing an array ("providers.0.workers"); "[]" after a key that holds an
 * array takes the largest value over its elements ("providers[].utilization").
 * Returns TRUE with @out set; FALSE if there is no number there (absent or
 * null). */
gboolean rep_summary_get_number(const RepSummary *s, const char *path, double *out);

/* rep_summary_get_integer: the integer at @path, exactly (a number that is
 * not an integer does not count). Returns FALSE if there is none. */
gboolean rep_summary_get_integer(const RepSummary *s, const char *path, gint64 *out);

/* rep_summary_get_string: (transfer none) (nullable) the string at @path
 * ("policy", "providers.1.name"). */
const char *rep_summary_get_string(const RepSummary *s, const char *path);

/* rep_summary_get_length: the number of elements of the array at @path; 0 if
 * there is none. */
guint rep_summary_get_length(const RepSummary *s, const char *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RepSummary, rep_summary_free)
