/* Access traces: a file of recorded accesses that a "trace" workload replays.
 *
 * A trace is CSV or JSON lines (one object per line), plain or gzip-compressed
 * (detected from the content, not the name). Blank lines and lines starting
 * with '#' are skipped. The first other line decides the format: '{' starts
 * JSON lines; anything else is the CSV header naming the columns, in any order:
 *   t | gap  when the access starts: "t" is the time since the trace's start,
 *            "gap" the time since the previous record of the file (exactly one)
 *   thread   the thread's name (scenario name rules)
 *   vmo      the VMO's name in the scenario
 *   offset   first byte touched within the VMO (rounded down to its page)
 *   len      bytes touched (optional, default one page); the access covers every
 *            page of [offset, offset + len)
 *   kind     fault, read or commit (optional, default fault)
 *   dur      how long the recorded access took (optional, default 0): closed
 *            replay subtracts it from the gap to the thread's next access
 * JSON lines use the same names as keys. Times are integer ns or strings with a
 * unit ("80us"); offsets and lengths integer bytes or strings with a unit.
 *
 * The reader streams: it holds one line and the thread name table, never the
 * records. Every error names the file and line: "FILE:LINE: message".
 */
#pragma once

#include "sim/scenario/scn-workload.h"

#include <glib.h>
#include <stdint.h>

typedef struct {
    uint64_t t_ns;      /* recorded start since the trace's start */
    uint64_t dur_ns;    /* recorded duration, 0 when not given */
    guint thread;       /* index into the reader's thread table */
    guint vmo;          /* index into the VMO names given to the reader */
    ScnAccessKind kind; /* fault, read or commit */
    uint64_t offset;    /* first byte, page aligned */
    uint64_t pages;     /* pages, >= 1 */
    uint64_t line;      /* line number in the file, from 1 */
} ScnTraceRecord;

typedef struct _ScnTraceReader ScnTraceReader;

/* scn_trace_reader_open: opens @path for reading. @vmo_names (NULL terminated)
 * are the names a record may use. @threads (nullable, NULL terminated): the
 * only thread names allowed, in index order; NULL accepts any valid name and
 * numbers them in order of first use. Returns (transfer full) the reader, or
 * NULL with SCN_ERROR_IO. */
ScnTraceReader *scn_trace_reader_open(const char *path, const char *const *vmo_names,
                                      const char *const *threads, GError **error);

/* scn_trace_reader_next: reads the next record into @out. Returns 1 for a
 * record, 0 at the end of the file, -1 with an error ("FILE:LINE: ..."). */
int scn_trace_reader_next(ScnTraceReader *rd, ScnTraceRecord *out, GError **error);

/* scn_trace_reader_thread_names: (transfer full) the thread names seen or given
 * so far, NULL terminated, in index order. */
char **scn_trace_reader_thread_names(ScnTraceReader *rd);

/* scn_trace_reader_thread_name: (transfer none) the name of thread @index. */
const char *scn_trace_reader_thread_name(const ScnTraceReader *rd, guint index);

/* scn_trace_reader_path: (transfer none) the file name used in messages. */
const char *scn_trace_reader_path(const ScnTraceReader *rd);

/* scn_trace_reader_free: closes the file. Accepts NULL. */
void scn_trace_reader_free(ScnTraceReader *rd);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScnTraceReader, scn_trace_reader_free)
