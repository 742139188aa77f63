/* A byte sink for large generated files: buffered writes to a stream, either as
 * they are or gzip-compressed with zlib (the gzip format, so `gzip -d`, `zcat`
 * and Perfetto's trace loader all read it). Write errors are sticky and reported
 * once, by rep_sink_finish().
 */
#pragma once

#include <glib.h>
#include <stdio.h>

typedef struct _RepSink RepSink;

/* rep_sink_new: a sink writing to @out (transfer none; the caller closes it),
 * compressing when @gzip is TRUE. */
RepSink *rep_sink_new(FILE *out, gboolean gzip);

/* rep_sink_write: appends @n bytes of @buf. */
void rep_sink_write(RepSink *s, const void *buf, size_t n);

/* rep_sink_puts: appends the string @str. */
void rep_sink_puts(RepSink *s, const char *str);

/* rep_sink_finish: writes out what is buffered (and the gzip trailer) and flushes
 * the stream. Returns FALSE with G_FILE_ERROR_IO if any write failed. Nothing may
 * be written after it. */
gboolean rep_sink_finish(RepSink *s, GError **error);

/* rep_sink_bytes_in: bytes given to the sink so far (before compression). */
guint64 rep_sink_bytes_in(const RepSink *s);

/* rep_sink_free: frees the sink without finishing it. Accepts NULL. */
void rep_sink_free(RepSink *s);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RepSink, rep_sink_free)
