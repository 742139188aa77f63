/* One line of the native trace as a record: its time, its event name and its
 * fields, with every string borrowed from whoever produced the record.
 *
 * Records come from two places and go to the same consumers (the Perfetto
 * converter, the per-interval timeline of `pagesim plot`):
 *  - a live run: RepTrace fills a record as the model adds fields to a line and
 *    hands it to its tee (rep_trace_set_tee) when the line ends, so a consumer
 *    sees every event without any JSON being parsed;
 *  - a file: rep_event_read_file() parses events.jsonl with jansson, one line at a
 *    time, checks it against the schema (rep-schema.h) and hands it to the same
 *    kind of callback. A line may leave fields out (hand-written traces), but an
 *    unknown event, an unknown field or a value of the wrong type is an error.
 * A record and its strings are valid only during the callback.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/report/rep-schema.h"

typedef struct {
    RepKey key;        /* which field */
    RepFieldType type; /* rep_key_type(key): which member of the union is set */
    union {
        uint64_t u;    /* REP_FIELD_U64 */
        const char *s; /* REP_FIELD_STR (borrowed) */
    };
} RepField;

typedef struct {
    uint64_t t;                             /* simulated time, ns */
    RepEv ev;                               /* which event */
    guint n_fields;                         /* fields used */
    RepField fields[REP_SCHEMA_MAX_FIELDS]; /* the fields after "t" and "ev", in order */
} RepEvent;

/* A consumer of records. */
typedef void (*RepEventFn)(const RepEvent *e, gpointer data);

/* rep_event_get_str: (transfer none) (nullable) the string field @key, or NULL
 * when it is absent (or @key is not a string key). O(fields). */
const char *rep_event_get_str(const RepEvent *e, RepKey key);

/* rep_event_get_u64: sets @out to the integer field @key.
 * Returns FALSE (leaving @out alone) when it is absent (or not an integer key). */
gboolean rep_event_get_u64(const RepEvent *e, RepKey key, uint64_t *out);

#define REP_EVENT_ERROR (rep_event_error_quark())
GQuark rep_event_error_quark(void);
typedef enum {
    REP_EVENT_ERROR_SYNTAX, /* a line is not a JSON object with integer "t" and string "ev" */
    REP_EVENT_ERROR_ORDER,  /* a line's "t" is earlier than the line before */
    REP_EVENT_ERROR_SCHEMA, /* an event or field outside the schema, or a value of the
                               wrong type (rep-schema.h) */
} RepEventError;

/* rep_event_read_stream: reads native trace lines from @in and calls @fn for each,
 * in file order. @name is used in messages ("NAME:LINE: ..."). Empty lines are
 * skipped. Returns FALSE and sets @error (REP_EVENT_ERROR, or G_FILE_ERROR for a
 * read error) at the first bad line; the lines before it were delivered. */
gboolean rep_event_read_stream(FILE *in, const char *name, RepEventFn fn, gpointer data,
                               GError **error);

/* rep_event_read_file: rep_event_read_stream() on the file at @path, gunzipped
 * when its name ends in .gz. */
gboolean rep_event_read_file(const char *path, RepEventFn fn, gpointer data, GError **error);
