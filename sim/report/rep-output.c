/* Atomic result files (see rep-output.h).
 *
 * Invariants:
 *  1. every entry of files has a temporary file on disk until commit renames it
 *     or free removes it, and an open stream until commit, unless it was
 *     reserved for a program that writes it by path (stream NULL);
 *  2. temporary names start with '.' and end with ".tmp", so a listing of the
 *     output directory never mistakes one for a result.
 */
#include "sim/report/rep-output.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>

typedef struct {
    char *final_path; /* where the file goes on commit */
    char *temp_path;  /* where it is written until then */
    FILE *stream;     /* open on temp_path; NULL once closed */
} OutFile;

struct _RepOutput {
    char *dir;        /* the output directory */
    GPtrArray *files; /* of OutFile, in open order */
};

static void out_file_free(gpointer p) {
    OutFile *f = p;
    if (f->stream)
        fclose(f->stream);
    if (f->temp_path)
        g_unlink(f->temp_path);
    g_free(f->final_path);
    g_free(f->temp_path);
    g_free(f);
}

RepOutput *rep_output_new(const char *dir, GError **error) {
    g_return_val_if_fail(dir != NULL, NULL);
    if (g_mkdir_with_parents(dir, 0755) != 0) {
        int saved = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved),
                    "cannot create output directory %s: %s", dir, g_strerror(saved));
        return NULL;
    }
    RepOutput *out = g_new0(RepOutput, 1);
    out->dir = g_strdup(dir);
    out->files = g_ptr_array_new_with_free_func(out_file_free);
    return out;
}

void rep_output_free(RepOutput *out) {
    if (out == NULL)
        return;
    g_ptr_array_unref(out->files);
    g_free(out->dir);
    g_free(out);
}

const char *rep_output_dir(const RepOutput *out) { return out->dir; }

FILE *rep_output_open(RepOutput *out, const char *name, GError **error) {
    g_return_val_if_fail(out != NULL && name != NULL, NULL);
    g_autofree char *base = g_strdup_printf(".%s.XXXXXX.tmp", name);
    g_autofree char *tmpl = g_build_filename(out->dir, base, NULL);
    int fd = g_mkstemp_full(tmpl, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) {
        int saved = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot create %s: %s",
                    tmpl, g_strerror(saved));
        return NULL;
    }
    OutFile *f = g_new0(OutFile, 1);
    f->temp_path = g_steal_pointer(&tmpl);
    f->final_path = g_build_filename(out->dir, name, NULL);
    f->stream = fdopen(fd, "w");
    g_ptr_array_add(out->files, f);
    if (f->stream == NULL) {
        int saved = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot open %s: %s",
                    f->temp_path, g_strerror(saved));
        return NULL;
    }
    return f->stream;
}

const char *rep_output_reserve(RepOutput *out, const char *name, GError **error) {
    FILE *f = rep_output_open(out, name, error);
    if (f == NULL)
        return NULL;
    OutFile *entry = g_ptr_array_index(out->files, out->files->len - 1);
    fclose(f);
    entry->stream = NULL;
    return entry->temp_path;
}

const char *rep_output_temp_path(const RepOutput *out, const char *name) {
    g_autofree char *final = g_build_filename(out->dir, name, NULL);
    for (guint i = 0; i < out->files->len; i++) {
        const OutFile *f = g_ptr_array_index(out->files, i);
        if (f->temp_path && strcmp(f->final_path, final) == 0)
            return f->temp_path;
    }
    return NULL;
}

static gboolean close_file(OutFile *f, GError **error) {
    if (f->stream == NULL)
        return TRUE;
    gboolean bad = ferror(f->stream) != 0;
    bad |= fclose(f->stream) != 0;
    f->stream = NULL;
    if (bad) {
        int saved = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot write %s: %s",
                    f->final_path, g_strerror(saved));
    }
    return !bad;
}

gboolean rep_output_commit(RepOutput *out, GError **error) {
    g_return_val_if_fail(out != NULL, FALSE);
    for (guint i = 0; i < out->files->len; i++) {
        if (!close_file(g_ptr_array_index(out->files, i), error))
            return FALSE;
    }
    for (guint i = 0; i < out->files->len; i++) {
        OutFile *f = g_ptr_array_index(out->files, i);
        if (g_rename(f->temp_path, f->final_path) != 0) {
            int saved = errno;
            g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved),
                        "cannot rename %s to %s: %s", f->temp_path, f->final_path,
                        g_strerror(saved));
            return FALSE;
        }
        g_clear_pointer(&f->temp_path, g_free);
    }
    return TRUE;
}
