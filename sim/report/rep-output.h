/* A result written atomically: every file of a run is written into a hidden
 * sibling directory of the output directory (PARENT/.NAME.pagesim-XXXXXX), and
 * rep_output_commit() swaps that directory in with one rename, so the output
 * directory always holds one complete result: the earlier one until the
 * commit, the new one after it, never a mix, even if the process is killed at
 * any moment. rep_output_free() without a commit removes the temporary tree
 * (and parent directories it created); the leftovers of a killed run are
 * removed by the next run into the same directory.
 *
 * Files of the output directory that pagesim did not write survive a new
 * result: the commit records in DIR/.pagesim-files which files the result has,
 * and only those are replaced or removed later; the others are carried into the
 * new result (as hard links). A file name may contain '/' (a subdirectory of
 * the result, made as needed).
 */
#pragma once

#include <glib.h>
#include <stdio.h>

typedef struct _RepOutput RepOutput;

/* rep_output_new: prepares a result for @dir: creates @dir's missing parents
 * and the temporary directory beside it (not @dir itself). Returns NULL and
 * sets @error (G_FILE_ERROR, naming @dir and the system's reason) if it cannot. */
RepOutput *rep_output_new(const char *dir, GError **error);

/* rep_output_new_update: as rep_output_new(), for files added to the result
 * already in @dir (plot's report.html beside a run's files): every file there
 * is kept, and those of the same names are replaced, at once, by the commit. */
RepOutput *rep_output_new_update(const char *dir, GError **error);

/* rep_output_sub: (transfer full) a part of @parent's result: files opened in
 * it go to @parent's subdirectory @prefix and are committed with @parent (its
 * own commit does nothing). @parent must outlive it. */
RepOutput *rep_output_sub(RepOutput *parent, const char *prefix);

/* rep_output_free: removes the temporary tree of a result that was not
 * committed, and the parents that rep_output_new() created if still empty. */
void rep_output_free(RepOutput *out);

/* rep_output_check_name: FALSE with G_FILE_ERROR_EXIST if the output directory
 * holds a file @name that pagesim did not write (a new result may not replace
 * it). rep_output_open() checks this too. */
gboolean rep_output_check_name(const RepOutput *out, const char *name, GError **error);

/* rep_output_open: (transfer none) a stream for the result file @name, in the
 * temporary tree until commit. The stream is closed by commit or free.
 * Returns NULL and sets @error if the file cannot be created. */
FILE *rep_output_open(RepOutput *out, const char *name, GError **error);

/* rep_output_reserve: (transfer none) the path of an (empty) file standing for
 * the result file @name, for a program that writes it by path (gnuplot).
 * Returns NULL and sets @error if it cannot be created. */
const char *rep_output_reserve(RepOutput *out, const char *name, GError **error);

/* rep_output_temp_path: (transfer none) (nullable) where the result file @name
 * opened or reserved so far is written until commit, or NULL. */
const char *rep_output_temp_path(const RepOutput *out, const char *name);

/* rep_output_flush: flushes the stream of result file @name (NULL: of every
 * file), so that a write that failed (a full disk) is reported now, with the
 * file, the directory and the system's reason. */
gboolean rep_output_flush(RepOutput *out, const char *name, GError **error);

/* rep_output_commit: flushes and closes every stream, writes the manifest, and
 * swaps the result in. Returns FALSE and sets @error (naming the file, the
 * directory and the system's reason, e.g. a full disk) on a failure, which
 * leaves the output directory as it was. */
gboolean rep_output_commit(RepOutput *out, GError **error);

/* rep_output_dir: (transfer none) the output directory, as given. */
const char *rep_output_dir(const RepOutput *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RepOutput, rep_output_free)
