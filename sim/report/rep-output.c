/* Atomic results (see rep-output.h): files are written into a hidden sibling
 * directory of the output directory, which the commit swaps in with one rename
 * (rep-resultdir.c).
 *
 * Invariants:
 *  1. until commit, the output directory is exactly as it was: nothing of this
 *     run is inside it, and it is not created if it did not exist;
 *  2. every entry of files has its file in tmp, and an open stream until commit
 *     unless it was reserved for a program that writes it by path;
 *  3. parents of the output directory that this run created are removed again
 *     if the run is not committed (when they are still empty).
 */
#include "sim/report/rep-output.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "sim/report/rep-resultdir.h"

typedef struct {
    char *rel;    /* path inside the result */
    char *path;   /* where it is written: tmp/rel */
    FILE *stream; /* open on path; NULL once closed or for a reserved file */
    char *buf;    /* stream's buffer (freed when it is closed) */
} OutFile;

/* A stream's buffer: the default (a 4 KiB block) made a run's timeline.tsv
 * (megabytes) cost a write call each 4 KiB. */
#define OUT_BUF_BYTES ((size_t)256 << 10)

struct _RepOutput {
    char *dir;         /* the output directory, as given (for messages) */
    char *real;        /* the output directory, absolute */
    char *tmp;         /* the result being built; NULL once committed */
    int lock_fd;       /* holds the lock on tmp, or -1 */
    GPtrArray *files;  /* of OutFile, in open order */
    GPtrArray *made;   /* parent directories this run created, innermost last */
    gboolean update;   /* adds files to the existing result (rep_output_new_update) */
    RepOutput *parent; /* a part of a result (rep_output_sub): where files go */
    char *prefix;      /* its subdirectory in the parent */
};

static void out_file_free(gpointer p) {
    OutFile *f = p;
    if (f->stream)
        fclose(f->stream);
    g_free(f->rel);
    g_free(f->path);
    g_free(f->buf);
    g_free(f);
}

static gboolean errno_error(GError **error, int saved, const char *what, const char *name,
                            const char *dir) {
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot %s %s in %s: %s", what,
                name, dir, g_strerror(saved));
    return FALSE;
}

/* Creates the missing ancestors of @path, recording them in @made. */
static gboolean make_parents(const char *path, GPtrArray *made, const char *dir, GError **error) {
    if (g_file_test(path, G_FILE_TEST_IS_DIR))
        return TRUE;
    g_autofree char *up = g_path_get_dirname(path);
    if (strcmp(up, path) != 0 && !make_parents(up, made, dir, error))
        return FALSE;
    if (g_mkdir(path, 0777) != 0 && errno != EEXIST) {
        int saved = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved),
                    "cannot create output directory %s: %s", dir, g_strerror(saved));
        return FALSE;
    }
    g_ptr_array_add(made, g_strdup(path));
    return TRUE;
}

RepOutput *rep_output_new(const char *dir, GError **error) {
    g_return_val_if_fail(dir != NULL, NULL);
    g_autoptr(RepOutput) out = g_new0(RepOutput, 1);
    out->dir = g_strdup(dir);
    out->lock_fd = -1;
    out->files = g_ptr_array_new_with_free_func(out_file_free);
    out->made = g_ptr_array_new_with_free_func(g_free);
    char *resolved = realpath(dir, NULL);
    out->real = resolved ? g_strdup(resolved) : g_canonicalize_filename(dir, NULL);
    free(resolved);
    if (g_file_test(out->real, G_FILE_TEST_EXISTS) && !g_file_test(out->real, G_FILE_TEST_IS_DIR)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR,
                    "cannot create output directory %s: it exists and is not a directory", dir);
        return NULL;
    }
    g_autofree char *parent = g_path_get_dirname(out->real);
    if (!make_parents(parent, out->made, dir, error))
        return NULL;
    out->tmp = rep__resultdir_make_temp(out->real, &out->lock_fd, error);
    if (out->tmp == NULL)
        return NULL;
    return g_steal_pointer(&out);
}

RepOutput *rep_output_new_update(const char *dir, GError **error) {
    RepOutput *out = rep_output_new(dir, error);
    if (out)
        out->update = TRUE;
    return out;
}

RepOutput *rep_output_sub(RepOutput *parent, const char *prefix) {
    RepOutput *out = g_new0(RepOutput, 1);
    out->parent = parent;
    out->prefix = g_strdup(prefix);
    out->dir = g_build_filename(parent->dir, prefix, NULL);
    out->lock_fd = -1;
    return out;
}

/* A part's file name in its parent's result. */
static char *in_parent(const RepOutput *out, const char *name) {
    return g_build_filename(out->prefix, name, NULL);
}

void rep_output_free(RepOutput *out) {
    if (out == NULL)
        return;
    if (out->parent) {
        g_free(out->prefix);
        g_free(out->dir);
        g_free(out);
        return;
    }
    g_ptr_array_unref(out->files);
    if (out->tmp)
        rep__rmtree(out->tmp);
    if (out->lock_fd >= 0)
        close(out->lock_fd);
    for (guint i = out->made->len; i-- > 0;)
        g_rmdir(g_ptr_array_index(out->made, i)); /* only if still empty */
    g_ptr_array_unref(out->made);
    g_free(out->tmp);
    g_free(out->real);
    g_free(out->dir);
    g_free(out);
}

const char *rep_output_dir(const RepOutput *out) { return out->dir; }

gboolean rep_output_check_name(const RepOutput *out, const char *name, GError **error) {
    if (out->parent) {
        g_autofree char *full = in_parent(out, name);
        return rep_output_check_name(out->parent, full, error);
    }
    if (!rep__resultdir_is_foreign(out->real, name))
        return TRUE;
    g_autofree char *path = g_build_filename(out->dir, name, NULL);
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                "%s exists and was not written by pagesim; move it away or choose another "
                "output directory",
                path);
    return FALSE;
}

FILE *rep_output_open(RepOutput *out, const char *name, GError **error) {
    if (out && out->parent) {
        g_autofree char *full = in_parent(out, name);
        return rep_output_open(out->parent, full, error);
    }
    g_return_val_if_fail(out != NULL && out->tmp != NULL && name != NULL, NULL);
    if (!rep_output_check_name(out, name, error))
        return NULL;
    OutFile *f = g_new0(OutFile, 1);
    f->rel = g_strdup(name);
    f->path = g_build_filename(out->tmp, name, NULL);
    g_ptr_array_add(out->files, f);
    g_autofree char *sub = g_path_get_dirname(f->path);
    int fd = -1;
    if (g_mkdir_with_parents(sub, 0777) != 0 ||
        (fd = open(f->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) < 0 ||
        (f->stream = fdopen(fd, "w")) == NULL) {
        int saved = errno;
        if (fd >= 0)
            close(fd);
        errno_error(error, saved, "create", name, out->dir);
        return NULL;
    }
    f->buf = g_malloc(OUT_BUF_BYTES);
    setvbuf(f->stream, f->buf, _IOFBF, OUT_BUF_BYTES);
    return f->stream;
}

const char *rep_output_reserve(RepOutput *out, const char *name, GError **error) {
    if (out->parent) {
        g_autofree char *full = in_parent(out, name);
        return rep_output_reserve(out->parent, full, error);
    }
    FILE *f = rep_output_open(out, name, error);
    if (f == NULL)
        return NULL;
    OutFile *entry = g_ptr_array_index(out->files, out->files->len - 1);
    fclose(f);
    entry->stream = NULL;
    g_clear_pointer(&entry->buf, g_free); /* (not held until rep_output_free) */
    return entry->path;
}

const char *rep_output_temp_path(const RepOutput *out, const char *name) {
    if (out->parent) {
        g_autofree char *full = in_parent(out, name);
        return rep_output_temp_path(out->parent, full);
    }
    for (guint i = 0; out->tmp && i < out->files->len; i++) {
        const OutFile *f = g_ptr_array_index(out->files, i);
        if (strcmp(f->rel, name) == 0)
            return f->path;
    }
    return NULL;
}

/* Closes @f's stream; a write that failed earlier (a full disk) is reported
 * with the system's reason, found by flushing again. */
static gboolean close_file(RepOutput *out, OutFile *f, GError **error) {
    if (f->stream == NULL)
        return TRUE;
    errno = 0;
    gboolean bad = fflush(f->stream) != 0 || ferror(f->stream) != 0;
    int saved = errno ? errno : EIO;
    if (fclose(f->stream) != 0 && !bad) {
        bad = TRUE;
        saved = errno;
    }
    f->stream = NULL;
    g_clear_pointer(&f->buf, g_free); /* (compare closes runs x files: not held until the end) */
    return !bad || errno_error(error, saved, "write", f->rel, out->dir);
}

/* Flushes @f's stream; FALSE with the reason if a write failed (now or
 * earlier: the flush is tried again to learn why). */
static gboolean flush_file(RepOutput *out, OutFile *f, GError **error) {
    if (f->stream == NULL)
        return TRUE;
    errno = 0;
    if (fflush(f->stream) == 0 && !ferror(f->stream))
        return TRUE;
    if (errno == 0) {
        /* the failed write left nothing buffered to learn the reason from: try
         * one byte more (the file is not kept) */
        clearerr(f->stream);
        if (fputc('\n', f->stream) == EOF || fflush(f->stream) != 0)
            return errno_error(error, errno ? errno : EIO, "write", f->rel, out->dir);
    }
    return errno_error(error, errno ? errno : EIO, "write", f->rel, out->dir);
}

gboolean rep_output_flush(RepOutput *out, const char *name, GError **error) {
    if (out->parent) {
        g_autofree char *full = name ? in_parent(out, name) : NULL;
        return rep_output_flush(out->parent, full, error);
    }
    for (guint i = 0; out->tmp && i < out->files->len; i++) {
        OutFile *f = g_ptr_array_index(out->files, i);
        if ((name == NULL || strcmp(f->rel, name) == 0) && !flush_file(out, f, error))
            return FALSE;
    }
    return TRUE;
}

/* Writes the manifest: the files of this result, one a line. */
static gboolean write_manifest(RepOutput *out, GError **error) {
    g_autoptr(GString) text = g_string_new(NULL);
    g_autofree char *old = out->update ? rep__resultdir_manifest(out->real) : NULL;
    g_auto(GStrv) lines = old ? g_strsplit(old, "\n", -1) : NULL;
    for (guint i = 0; lines && lines[i]; i++)
        if (lines[i][0] && !rep_output_temp_path(out, lines[i]))
            g_string_append_printf(text, "%s\n", lines[i]); /* an update keeps the old list */
    for (guint i = 0; i < out->files->len; i++)
        g_string_append_printf(text, "%s\n", ((OutFile *)g_ptr_array_index(out->files, i))->rel);
    g_autofree char *path = g_build_filename(out->tmp, REP_MANIFEST_NAME, NULL);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return errno_error(error, errno, "create", REP_MANIFEST_NAME, out->dir);
    gboolean ok = fwrite(text->str, 1, text->len, f) == text->len;
    int saved = errno;
    if (fclose(f) != 0 && ok) {
        ok = FALSE;
        saved = errno;
    }
    return ok || errno_error(error, saved, "write", REP_MANIFEST_NAME, out->dir);
}

gboolean rep_output_commit(RepOutput *out, GError **error) {
    if (out && out->parent)
        return TRUE; /* committed with its parent */
    g_return_val_if_fail(out != NULL && out->tmp != NULL, FALSE);
    for (guint i = 0; i < out->files->len; i++)
        if (!close_file(out, g_ptr_array_index(out->files, i), error))
            return FALSE;
    if (!write_manifest(out, error) ||
        !rep__resultdir_carry(out->real, out->tmp, out->update, error) ||
        !rep__resultdir_swap(out->tmp, out->real, error))
        return FALSE;
    g_clear_pointer(&out->tmp, g_free);
    g_ptr_array_set_size(out->made, 0);
    return TRUE;
}
