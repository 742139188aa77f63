/* gzip streams as stdio FILEs (glibc's fopencookie over zlib's gz functions),
 * so that the native trace writer writes events.jsonl.gz and every reader of
 * native traces (rep_event_read_file: plot, the Perfetto converter) reads it,
 * unchanged. */
#pragma once

#include <stdio.h>

/* rep_gz_wrap_write: a stream compressing into @under (transfer none; it stays
 * open and must be closed after the returned stream). NULL on failure. Closing
 * the returned stream writes the gzip trailer; it returns EOF if anything failed. */
FILE *rep_gz_wrap_write(FILE *under);

/* rep_gz_open_read: a stream of the uncompressed contents of the gzip file at
 * @path (plain files are read as they are). NULL with errno set on failure. */
FILE *rep_gz_open_read(const char *path);
