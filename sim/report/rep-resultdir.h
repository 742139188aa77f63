/* The directory operations behind RepOutput's atomic commit (rep-output.h):
 * a result is built in a hidden sibling directory and swapped in with one
 * rename, carrying over the files of the old directory that pagesim did not
 * write. Internal to sim/report/.
 *
 * Names:
 *  - the sibling of DIR is PARENT/.BASE.pagesim-XXXXXX (BASE = DIR's last
 *    component); a live run holds an flock on it, so leftovers of killed runs
 *    (no lock) can be told from a run in progress and removed;
 *  - DIR/.pagesim-files lists, one relative path a line, the files the run
 *    that made DIR wrote. Only those are replaced or removed by a later result;
 *    every other file (and directory) of DIR is kept. A directory that holds
 *    its own .pagesim-files (plots/, written by pagesim plot) is another
 *    result: its listed files are pagesim's too.
 */
#pragma once

#include <glib.h>

#define REP_MANIFEST_NAME ".pagesim-files"
#define REP_TEMP_MARK     ".pagesim-"

/* rep__resultdir_make_temp: (transfer full) a new empty sibling directory of
 * @dir (whose parent must exist), locked through *@lock_fd until it is closed.
 * Removes, first, the unlocked leftovers of earlier runs into @dir. */
char *rep__resultdir_make_temp(const char *dir, int *lock_fd, GError **error);

/* rep__resultdir_carry: links into @tmp every file of the existing @dir that
 * pagesim did not write (recursively, recreating directories), skipping
 * temporary files of older pagesim versions. Fails (G_FILE_ERROR_EXIST) if
 * such a file has the name of a new result file. */
gboolean rep__resultdir_carry(const char *dir, const char *tmp, gboolean update, GError **error);
/* With @update (rep_output_new_update), everything of @dir is carried but the
 * names @tmp already has (the update's files replace them) and the manifest. */

/* rep__resultdir_manifest: (transfer full) the text of @dir's manifest, or "". */
char *rep__resultdir_manifest(const char *dir);

/* rep__resultdir_swap: puts @tmp in the place of @dir with one rename (an
 * exchange when @dir exists), then removes the old tree. */
gboolean rep__resultdir_swap(const char *tmp, const char *dir, GError **error);

/* rep__resultdir_is_foreign: TRUE if @dir/@rel exists and is not listed in
 * @dir's manifest (a file pagesim must not replace). */
gboolean rep__resultdir_is_foreign(const char *dir, const char *rel);

/* rep__rmtree: removes @path and everything under it (never following
 * symbolic links). */
void rep__rmtree(const char *path);
