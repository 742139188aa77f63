/* Large sequential output to a regular file, written by a background thread
 * while the caller fills the next block: the native trace of a big run is
 * hundreds of megabytes, and formatting it should not wait for the disk.
 *
 * Whole blocks of REP_BLOCKS_SIZE bytes at block-aligned file offsets are
 * written with O_DIRECT where the file system allows it: the bytes go from the
 * block to the disk without a copy into the page cache, which would otherwise
 * cost about a third of a traced run's CPU time (and more, unpredictably,
 * when the kernel throttles a writer that dirties memory faster than it is
 * written back). Anything else (a partial block, a file system refusing
 * O_DIRECT) is written the ordinary way. The file's bytes are the same either
 * way.
 *
 * The stream stays the caller's: it is flushed before the first block, and
 * after rep_blocks_wait() its position is where the blocks ended, so stdio
 * calls on it (ftell, fclose) see the file as written. A failed write is
 * replayed through the stream so that its error indicator and errno say why,
 * as if the stream itself had failed.
 */
#pragma once

#include <glib.h>
#include <stdio.h>

#define REP_BLOCKS_SIZE  ((size_t)4 << 20)  /* a full block; a multiple of any O_DIRECT alignment */
#define REP_BLOCKS_SLACK ((size_t)64 << 10) /* room past a full block in every buffer */

typedef struct _RepBlocks RepBlocks;

/* rep_blocks_new: a writer appending to @stream (transfer none), or NULL when
 * @stream is not a regular file with a descriptor (a pipe, a memory or gzip
 * stream): the caller then writes with stdio. */
RepBlocks *rep_blocks_new(FILE *stream);

/* rep_blocks_buffer: (transfer none) a buffer of REP_BLOCKS_SIZE +
 * REP_BLOCKS_SLACK bytes to fill, waiting for one to come back from the disk
 * if all are in flight. Its contents are undefined. */
char *rep_blocks_buffer(RepBlocks *b);

/* rep_blocks_submit: writes the first @len bytes (at most REP_BLOCKS_SIZE +
 * REP_BLOCKS_SLACK) of @buf (from rep_blocks_buffer) after those submitted
 * before, in the background; @buf belongs to the writer again. */
void rep_blocks_submit(RepBlocks *b, char *buf, size_t len);

/* rep_blocks_wait: waits until every submitted block is written and puts the
 * stream's position at the end. Returns FALSE if any write failed (the
 * stream's error indicator is then set, and errno says why). With nothing
 * submitted since the last wait and no failure it does not touch the stream
 * (which may be closed by then). */
gboolean rep_blocks_wait(RepBlocks *b);

/* rep_blocks_free: waits (rep_blocks_wait) and frees the writer. Accepts NULL. */
void rep_blocks_free(RepBlocks *b);
