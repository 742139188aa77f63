/* Directory operations of the atomic result commit (see rep-resultdir.h).
 *
 * Invariants:
 *  1. nothing here removes a file of the final directory that is not listed in
 *     a manifest: foreign files reach the new tree as hard links before the
 *     swap, so removing the old tree after it loses no data;
 *  2. a temporary tree is only removed when no process holds its lock (or by
 *     the process that made it).
 */
#include "sim/report/rep-resultdir.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* Files every pagesim run, compare or plot wrote before manifests existed; a
 * result directory without a manifest but with a summary.json or compare.json
 * (or a plots/ directory) is taken to hold these. */
static const char *const legacy_names[] = {
    "summary.json",
    "events.jsonl",
    "latency-spectrum.tsv",
    "latency-histogram.tsv",
    "compare.json",
    "compare.csv",
    "compare.md",
    "compare-cdf.png",
    "compare-cdf.svg",
    "compare-spectrum.png",
    "compare-spectrum.svg",
    "latency-cdf.png",
    "latency-cdf.svg",
    "latency-cdf.tsv",
    "latency-spectrum.png",
    "latency-spectrum.svg",
    "latency-histogram.png",
    "latency-histogram.svg",
    "latency-heatmap.png",
    "latency-heatmap.svg",
    "latency-heatmap.tsv",
    "timeline.png",
    "timeline.svg",
    "timeline.tsv",
    "timeline-utilization.tsv",
    "summary.csv",
    "latency.hgrm",
    "events.jsonl.gz",
    "report.html",
    "latency-splits.tsv", /* in results/sample, committed without its manifest */
    NULL,
};

/* Sets @error to "WHAT A[ B]: REASON" for errno @saved. */
static gboolean set_errno_error(GError **error, int saved, const char *what, const char *a,
                                const char *b) {
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "%s %s%s%s: %s", what, a,
                b[0] ? " " : "", b, g_strerror(saved));
    return FALSE;
}

void rep__rmtree(const char *path) {
    GStatBuf st;
    if (g_lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
        const char *name;
        while (d && (name = g_dir_read_name(d)) != NULL) {
            g_autofree char *child = g_build_filename(path, name, NULL);
            rep__rmtree(child);
        }
        g_rmdir(path);
    } else {
        g_unlink(path);
    }
}

/* Adds the manifest of directory @dir (relative @prefix, "" at the top) to
 * @ours, as paths relative to the top. */
static void read_manifest(const char *dir, const char *prefix, GHashTable *ours) {
    g_autofree char *path = g_build_filename(dir, REP_MANIFEST_NAME, NULL);
    g_autofree char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        g_autofree char *s = g_build_filename(dir, "summary.json", NULL);
        g_autofree char *c = g_build_filename(dir, "compare.json", NULL);
        g_autofree char *base = g_path_get_basename(dir);
        if (strcmp(base, "plots") != 0 && !g_file_test(s, G_FILE_TEST_EXISTS) &&
            !g_file_test(c, G_FILE_TEST_EXISTS))
            return;
        for (guint i = 0; legacy_names[i]; i++)
            g_hash_table_add(ours, prefix[0] ? g_build_filename(prefix, legacy_names[i], NULL)
                                             : g_strdup(legacy_names[i]));
        return;
    }
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (guint i = 0; lines[i]; i++)
        if (lines[i][0])
            g_hash_table_add(ours, prefix[0] ? g_build_filename(prefix, lines[i], NULL)
                                             : g_strdup(lines[i]));
}

/* A temporary file or directory of a pagesim run (of this version or an older
 * one, which wrote ".NAME.XXXXXX.tmp" files into the output directory). */
static gboolean is_temporary(const char *name) {
    return name[0] == '.' && strcmp(name, REP_MANIFEST_NAME) != 0 &&
           (g_str_has_suffix(name, ".tmp") || strstr(name, REP_TEMP_MARK));
}

gboolean rep__resultdir_is_foreign(const char *dir, const char *rel) {
    g_autofree char *path = g_build_filename(dir, rel, NULL);
    GStatBuf st;
    if (g_lstat(path, &st) != 0)
        return FALSE;
    g_autoptr(GHashTable) ours = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    read_manifest(dir, "", ours);
    /* a nested result (plots/) lists its own files */
    g_autofree char *sub = g_path_get_dirname(rel);
    if (strcmp(sub, ".") != 0) {
        g_autofree char *subdir = g_build_filename(dir, sub, NULL);
        read_manifest(subdir, sub, ours);
    }
    return !g_hash_table_contains(ours, rel);
}

static gboolean carry_dir(const char *src, const char *dst, const char *rel, GHashTable *ours,
                          gboolean update, GError **error);

/* Carries the subdirectory @name of @src (relative path @rel) into @dst. An
 * existing new output directory is filled; otherwise the directory is made
 * with the old one's mode and dropped again if nothing foreign went into it
 * (it held only pagesim's files), unless it was empty to begin with. */
static gboolean carry_subdir(const char *src, const char *dst, const char *rel, mode_t mode,
                             GHashTable *ours, gboolean update, GError **error) {
    gboolean made = FALSE;
    if (!g_file_test(dst, G_FILE_TEST_IS_DIR)) {
        if (g_mkdir(dst, (int)(mode & 07777)) != 0)
            return set_errno_error(error, errno, "cannot create", dst, "");
        made = TRUE;
    }
    g_autoptr(GDir) probe = g_dir_open(src, 0, NULL);
    gboolean was_empty = probe == NULL || g_dir_read_name(probe) == NULL;
    if (!carry_dir(src, dst, rel, ours, update, error))
        return FALSE;
    g_autoptr(GDir) d = g_dir_open(dst, 0, NULL);
    if (made && !was_empty && d && g_dir_read_name(d) == NULL)
        g_rmdir(dst);
    return TRUE;
}

/* Links the foreign entry @name of @src into @dst. */
static gboolean carry_entry(const char *src, const char *dst, const char *name, const char *rel,
                            GHashTable *ours, gboolean update, GError **error) {
    g_autofree char *from = g_build_filename(src, name, NULL);
    g_autofree char *to = g_build_filename(dst, name, NULL);
    GStatBuf st;
    if (g_lstat(from, &st) != 0)
        return TRUE; /* gone meanwhile */
    if (S_ISDIR(st.st_mode))
        return carry_subdir(from, to, rel, st.st_mode, ours, update, error);
    if (link(from, to) == 0 || (update && errno == EEXIST))
        return TRUE; /* an update's new file replaces the old one */
    if (errno == EEXIST) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                    "%s exists and was not written by pagesim; move it away or choose another "
                    "output directory",
                    from);
        return FALSE;
    }
    return set_errno_error(error, errno, "cannot keep in the new result", from, "");
}

static gboolean carry_dir(const char *src, const char *dst, const char *rel, GHashTable *ours,
                          gboolean update, GError **error) {
    if (rel[0] && !update)
        read_manifest(src, rel, ours);
    g_autoptr(GDir) d = g_dir_open(src, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d)) != NULL) {
        g_autofree char *sub = rel[0] ? g_build_filename(rel, name, NULL) : g_strdup(name);
        if ((strcmp(name, REP_MANIFEST_NAME) == 0 && (!update || !rel[0])) || is_temporary(name) ||
            g_hash_table_contains(ours, sub))
            continue;
        if (!carry_entry(src, dst, name, sub, ours, update, error))
            return FALSE;
    }
    return TRUE;
}

gboolean rep__resultdir_carry(const char *dir, const char *tmp, gboolean update, GError **error) {
    GStatBuf st;
    if (g_stat(dir, &st) != 0)
        return TRUE;
    g_chmod(tmp, (int)(st.st_mode & 07777));
    g_autoptr(GHashTable) ours = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if (!update)
        read_manifest(dir, "", ours);
    return carry_dir(dir, tmp, "", ours, update, error);
}

char *rep__resultdir_manifest(const char *dir) {
    g_autofree char *path = g_build_filename(dir, REP_MANIFEST_NAME, NULL);
    char *text = NULL;
    if (g_file_get_contents(path, &text, NULL, NULL))
        return text;
    /* an earlier version's result: the legacy names it holds */
    g_autoptr(GHashTable) ours = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    read_manifest(dir, "", ours);
    GString *list = g_string_new(NULL);
    for (guint i = 0; legacy_names[i]; i++) {
        g_autofree char *file = g_build_filename(dir, legacy_names[i], NULL);
        if (g_hash_table_contains(ours, legacy_names[i]) && g_file_test(file, G_FILE_TEST_EXISTS))
            g_string_append_printf(list, "%s\n", legacy_names[i]);
    }
    return g_string_free(list, FALSE);
}

/* Removes the unlocked leftovers PARENT/.BASE.pagesim-* of earlier runs. */
static void remove_leftovers(const char *parent, const char *base) {
    g_autofree char *prefix = g_strdup_printf(".%s%s", base, REP_TEMP_MARK);
    g_autoptr(GDir) d = g_dir_open(parent, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d)) != NULL) {
        if (!g_str_has_prefix(name, prefix))
            continue;
        g_autofree char *path = g_build_filename(parent, name, NULL);
        int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            continue;
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            rep__rmtree(path);
        close(fd);
    }
}

char *rep__resultdir_make_temp(const char *dir, int *lock_fd, GError **error) {
    g_autofree char *parent = g_path_get_dirname(dir);
    g_autofree char *base = g_path_get_basename(dir);
    remove_leftovers(parent, base);
    g_autofree char *name = g_strdup_printf(".%s%sXXXXXX", base, REP_TEMP_MARK);
    char *tmp = g_build_filename(parent, name, NULL);
    if (g_mkdtemp_full(tmp, 0777) == NULL) {
        int saved = errno;
        set_errno_error(error, saved, "cannot create a temporary directory in", parent, "");
        g_free(tmp);
        return NULL;
    }
    *lock_fd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (*lock_fd >= 0)
        flock(*lock_fd, LOCK_EX | LOCK_NB);
    return tmp;
}

/* A mount point cannot be renamed, and a result is swapped in by a rename. */
static gboolean mount_point_error(const char *dir, GError **error) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                "cannot write the result into %s: it is a mount point (%s), and a result is "
                "swapped in by renaming its directory; write into a subdirectory of it",
                dir, g_strerror(EBUSY));
    return FALSE;
}

gboolean rep__resultdir_swap(const char *tmp, const char *dir, GError **error) {
    if (g_rename(tmp, dir) == 0)
        return TRUE;
    if (errno == EBUSY)
        return mount_point_error(dir, error);
    if (errno != EEXIST && errno != ENOTEMPTY && errno != EISDIR)
        return set_errno_error(error, errno, "cannot rename", tmp, dir);
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_EXCHANGE) == 0) {
        rep__rmtree(tmp); /* now the old result */
        return TRUE;
    }
    if (errno == EBUSY)
        return mount_point_error(dir, error);
    if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
        return set_errno_error(error, errno, "cannot exchange", tmp, dir);
    /* No atomic exchange on this file system: move the old result aside first
     * (a kill in between leaves no result rather than a mixed one). */
    g_autofree char *old = g_strdup_printf("%s.old", tmp);
    if (g_rename(dir, old) != 0)
        return set_errno_error(error, errno, "cannot rename", dir, old);
    if (g_rename(tmp, dir) != 0) {
        int saved = errno;
        g_rename(old, dir);
        return set_errno_error(error, saved, "cannot rename", tmp, dir);
    }
    rep__rmtree(old);
    return TRUE;
}
