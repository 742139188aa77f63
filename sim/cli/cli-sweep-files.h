/* The files a sweep writes at the top of its directory (sweep-plan.json,
 * jobs.txt, sweep.slurm, the tables and figures), each written under a hidden
 * temporary name in the directory and renamed into place on commit, one file
 * at a time.
 *
 * Why not RepOutput: a sweep's directory also holds the run directories, which
 * other processes (the sweep's children, GNU parallel, Slurm tasks) create
 * while the sweep may be collecting. Replacing single files leaves them alone,
 * whatever RepOutput does with a result directory as a whole.
 */
#pragma once

#include <glib.h>
#include <stdio.h>

typedef struct _CliFiles CliFiles;

/* cli_files_new: (transfer full) a set of files to write into @dir (created
 * with its parents if missing). Returns NULL with @error (G_FILE_ERROR). */
CliFiles *cli_files_new(const char *dir, GError **error);

/* cli_files_free: removes the temporary files of a set not committed. */
void cli_files_free(CliFiles *f);

/* cli_files_open: (transfer none) a stream for file @name, closed by commit or
 * free. Returns NULL with @error if it cannot be created. */
FILE *cli_files_open(CliFiles *f, const char *name, GError **error);

/* cli_files_reserve: (transfer none) the temporary path standing for file
 * @name, for a program that writes it by path (gnuplot). The file exists,
 * empty. Returns NULL with @error if it cannot be created. */
const char *cli_files_reserve(CliFiles *f, const char *name, GError **error);

/* cli_files_temp_path: (transfer none) (nullable) the temporary path of @name
 * opened or reserved so far. */
const char *cli_files_temp_path(const CliFiles *f, const char *name);

/* cli_files_commit: closes every stream and renames each file into place.
 * Returns FALSE with @error on the first failure (a full disk, ...); files not
 * yet renamed are removed. */
gboolean cli_files_commit(CliFiles *f, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(CliFiles, cli_files_free)
