/* A checker of Chrome trace event files, for the structure Perfetto's JSON
 * importer relies on. Shared by tests/report (fixtures) and tests/plot (traces
 * of real scenarios).
 *
 * It checks, and reports the first failure as a message:
 *  - the document is an object with a "traceEvents" array (gzip is undone when
 *    the file name ends in .gz);
 *  - every event has a one-letter "ph" among those pagesim may write, a string
 *    "name", an integer "pid", a number "ts" >= 0 (metadata may omit it), and an
 *    integer "tid" when it is drawn on a thread track (B, E, X, i with s = "t",
 *    s, t, f);
 *  - every thread track used has thread_name metadata, every pid process_name;
 *  - per track, after a stable sort by ts (as Perfetto's sorter does), B and E
 *    pair up and nest, X slices nest in the open ones, and nothing is left open;
 *  - every flow event (s, t, f) lies inside an open slice of its track at its
 *    time, an f binds to its enclosing slice ("bp": "e"), and every flow id
 *    that ends was started no later than it ends;
 *  - async events b/e pair up per (pid, cat, id, name);
 *  - counter events have an object of numeric args.
 */
#pragma once

#include <glib.h>
#include <jansson.h>

typedef struct {
    guint events;        /* events in the file */
    guint slices;        /* B/E pairs and X events */
    guint flows_started; /* s events */
    guint flows_ended;   /* f events */
    guint counters;      /* C events */
    guint instants;      /* i and I events */
    guint tracks;        /* thread tracks used */
    double ts_min;       /* smallest ts (µs), excluding metadata */
    double ts_max;       /* largest ts (µs) */
} TraceCheckStats;

/* trace_check_load: (transfer full) the parsed file at @path (gunzipped when it
 * ends in .gz), or NULL with @error. */
json_t *trace_check_load(const char *path, GError **error);

/* trace_check: checks @doc. Returns NULL when it is well formed (and fills
 * @stats), or (transfer full) a message describing the first problem. */
char *trace_check(json_t *doc, TraceCheckStats *stats);

/* trace_check_find: (transfer none) (nullable) the @nth (from 0) event with
 * phase @ph and name @name (any name when NULL), in file order. */
json_t *trace_check_find(json_t *doc, char ph, const char *name, guint nth);

/* trace_check_count: how many events have phase @ph and name @name (any when NULL). */
guint trace_check_count(json_t *doc, char ph, const char *name);
