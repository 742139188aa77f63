/* The native trace writer: events.jsonl, one JSON object per line, in the order
 * the simulation emits them (which is simulated-time order). Every line starts
 * with "t" (integer ns) and "ev" (the event name); the fields after it are added
 * one call at a time, as the schema (rep-schema.h) lists them. Lines are
 * formatted into one buffer from precomputed key text and a digit-pair table,
 * and written out in large blocks, because a run emits millions of them: to a
 * regular file by a background thread, bypassing the page cache where it can
 * (rep-blocks.h); to any other stream with stdio. rep_trace_flush() waits
 * for the writes. The stream must not be written otherwise meanwhile.
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

/* Private: the part of a writer the inline adders below read. A writer that
 * only feeds a tee (no stream) fills its record here without a call per field:
 * every run folds its timeline from these records, traced or not, so this path
 * runs tens of millions of times. Builds with REP_TRACE_CHECK check the schema
 * on it too (rep_trace__check_*). */
typedef struct {
    gboolean records_only; /* a tee and no stream */
    gboolean check;        /* rep_trace_checks_schema() */
    RepEventFn tee;        /* nullable */
    gpointer tee_data;     /* for tee */
    RepEvent rec;          /* the current line as a record */
} RepTraceHot;

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
void rep_trace__begin(RepTrace *tr, uint64_t t, RepEv ev);
void rep_trace__check_begin(RepTrace *tr);
void rep_trace__check_field(RepTrace *tr, RepKey key, RepFieldType type);
void rep_trace__check_end(RepTrace *tr);
static inline void rep_trace_begin(RepTrace *tr, uint64_t t, RepEv ev) {
    RepTraceHot *h = (RepTraceHot *)tr;
    if (!h->records_only) {
        rep_trace__begin(tr, t, ev);
        return;
    }
    h->rec.t = t;
    h->rec.ev = ev;
    h->rec.n_fields = 0;
    if (G_UNLIKELY(h->check))
        rep_trace__check_begin(tr);
}

/* Adds one field to the current line. Fields come in the order of the event's
 * schema (rep-schema.h), optional ones left out where they do not apply, each
 * with its key's type; builds with REP_TRACE_CHECK (every build with debug
 * info) assert this. Keys are written from precomputed text; string values
 * are escaped. */
void rep_trace__u64(RepTrace *tr, RepKey key, uint64_t v);
void rep_trace__str(RepTrace *tr, RepKey key, const char *v);
static inline void rep_trace_u64(RepTrace *tr, RepKey key, uint64_t v) {
    RepTraceHot *h = (RepTraceHot *)tr;
    if (!h->records_only) {
        rep_trace__u64(tr, key, v);
        return;
    }
    if (G_UNLIKELY(h->check))
        rep_trace__check_field(tr, key, REP_FIELD_U64);
    RepField *f = &h->rec.fields[h->rec.n_fields++];
    f->key = key;
    f->type = REP_FIELD_U64;
    f->u = v;
}
static inline void rep_trace_str(RepTrace *tr, RepKey key, const char *v) {
    RepTraceHot *h = (RepTraceHot *)tr;
    if (!h->records_only) {
        rep_trace__str(tr, key, v);
        return;
    }
    if (G_UNLIKELY(h->check))
        rep_trace__check_field(tr, key, REP_FIELD_STR);
    RepField *f = &h->rec.fields[h->rec.n_fields++];
    f->key = key;
    f->type = REP_FIELD_STR;
    f->s = v;
}

/* rep_trace_end: closes the line. */
void rep_trace__end(RepTrace *tr);
static inline void rep_trace_end(RepTrace *tr) {
    RepTraceHot *h = (RepTraceHot *)tr;
    if (!h->records_only) {
        rep_trace__end(tr);
        return;
    }
    if (G_UNLIKELY(h->check))
        rep_trace__check_end(tr);
    h->tee(&h->rec, h->tee_data);
}

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
