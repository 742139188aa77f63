/* The native trace writer: events.jsonl, one JSON object per line, in the order
 * the simulation emits them (which is simulated-time order). Every line starts
 * with "t" (integer ns) and "ev" (the event name); the fields after it are added
 * one call at a time, as the schema (rep-schema.h) lists them. Lines are
 * formatted into one buffer from precomputed key text and a digit-pair table,
 * and written out in large blocks, because a run emits millions of them.
 *
 * A writer created with a NULL stream and no tee is disabled: rep_trace_on() is
 * FALSE and callers skip the formatting altogether (--trace none).
 *
 * A tee (rep_trace_set_tee) receives every line as a RepEvent record when it ends,
 * whether or not it is written: the Perfetto converter of `pagesim run` reads the
 * model's events this way, without a second writer in the model and without
 * parsing JSON. A window (rep_trace_set_window) limits which lines reach the
 * stream; the tee still sees all of them.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/report/rep-event.h"

typedef struct _RepTrace RepTrace;

/* rep_trace_new: a writer on @stream (transfer none; the caller closes it), or a
 * disabled writer when @stream is NULL. */
RepTrace *rep_trace_new(FILE *stream);

/* rep_trace_free: flushes what is buffered, then frees the writer. */
void rep_trace_free(RepTrace *tr);

/* rep_trace_set_tee: hands every completed line to @fn as a record. While a tee
 * is set, string values passed to rep_trace_str() must stay valid until
 * rep_trace_end(). Set it before the model starts. */
void rep_trace_set_tee(RepTrace *tr, RepEventFn fn, gpointer data);

/* rep_trace_set_window: only lines with @start <= t < @end are written to the
 * stream (the tee sees all). The default is [0, UINT64_MAX). */
void rep_trace_set_window(RepTrace *tr, uint64_t start, uint64_t end);

/* rep_trace_on: whether lines are produced at all (a stream or a tee). */
gboolean rep_trace_on(const RepTrace *tr);

/* rep_trace_begin: starts the line {"t":@t,"ev":"<name of @ev>". Requires
 * rep_trace_on(). */
void rep_trace_begin(RepTrace *tr, uint64_t t, RepEv ev);

/* Adds one field to the current line. Fields come in the order of the event's
 * schema (rep-schema.h), optional ones left out where they do not apply, each
 * with its key's type; builds with REP_TRACE_CHECK (every build with debug
 * info) assert this. Keys are written from precomputed text; string values
 * are escaped. */
void rep_trace_u64(RepTrace *tr, RepKey key, uint64_t v);
void rep_trace_str(RepTrace *tr, RepKey key, const char *v);

/* rep_trace_end: closes the line. */
void rep_trace_end(RepTrace *tr);

/* rep_trace_set_max: the stream gets no line that would take it past
 * @max_bytes (default UINT64_MAX), nor any line after that one; the tee still
 * sees every line. */
void rep_trace_set_max(RepTrace *tr, uint64_t max_bytes);

/* rep_trace_truncated_at: the time (ns) of the first line left out by the
 * limit, or UINT64_MAX when none was. */
uint64_t rep_trace_truncated_at(const RepTrace *tr);

/* rep_trace_lines: how many lines were written to the stream. */
uint64_t rep_trace_lines(const RepTrace *tr);

/* rep_trace_checks_schema: whether this build asserts the schema on every line
 * (REP_TRACE_CHECK). */
gboolean rep_trace_checks_schema(void);

/* rep_trace_flush: writes out the buffer. Returns FALSE if the stream failed. */
gboolean rep_trace_flush(RepTrace *tr);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RepTrace, rep_trace_free)
