/* Result files written atomically: each file is written under a temporary name in
 * the output directory and renamed into place only when the whole run succeeded,
 * so a failed or interrupted run never leaves a half-written result. A run opens
 * its files with rep_output_open(), writes them, and calls rep_output_commit();
 * rep_output_free() without a commit removes every temporary file.
 */
#pragma once

#include <glib.h>
#include <stdio.h>

typedef struct _RepOutput RepOutput;

/* rep_output_new: prepares @dir (created with its parents if missing).
 * Returns NULL and sets @error (G_FILE_ERROR) if it cannot be created. */
RepOutput *rep_output_new(const char *dir, GError **error);

/* rep_output_free: removes the temporary files of a run that was not committed. */
void rep_output_free(RepOutput *out);

/* rep_output_open: (transfer none) a stream for the result file @name, written to
 * a temporary file until commit. The stream is closed by commit or free.
 * Returns NULL and sets @error if the file cannot be created. */
FILE *rep_output_open(RepOutput *out, const char *name, GError **error);

/* rep_output_reserve: (transfer none) the path of a temporary file standing for the
 * result file @name, for a program that writes it by path (such as gnuplot). The
 * file exists (empty) and is renamed by commit or removed by free, like the
 * others. Returns NULL and sets @error if it cannot be created. */
const char *rep_output_reserve(RepOutput *out, const char *name, GError **error);

/* rep_output_temp_path: (transfer none) (nullable) the temporary path of the
 * result file @name opened or reserved so far, or NULL. */
const char *rep_output_temp_path(const RepOutput *out, const char *name);

/* rep_output_commit: flushes and closes every stream, then renames each temporary
 * file to its final name. Returns FALSE and sets @error on the first failure; the
 * files not yet renamed are removed. A rename failing after others succeeded (a
 * full or read-only file system in the middle of the commit) leaves those others
 * in place: the commit is atomic per file, not across files. */
gboolean rep_output_commit(RepOutput *out, GError **error);

/* rep_output_dir: (transfer none) the directory. */
const char *rep_output_dir(const RepOutput *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RepOutput, rep_output_free)
