/* Per-file atomic writes for the top of a sweep's directory (cli-sweep-files.h).
 *
 * Invariants:
 *  1. until commit, every file lives under a temporary name ".NAME.sweep-XXXXXX"
 *     in the directory, never under its own name;
 *  2. after free, no temporary file of the set remains.
 */
#include "sim/cli/cli-sweep-files.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    char *name;   /* the final name in the directory */
    char *temp;   /* its temporary path; NULL once renamed */
    FILE *stream; /* (nullable) open stream */
} Entry;

struct _CliFiles {
    char *dir;     /* the directory */
    GArray *files; /* (Entry) in the order opened */
};

static void entry_clear(Entry *e) {
    if (e->stream)
        fclose(e->stream);
    if (e->temp)
        g_unlink(e->temp);
    g_free(e->name);
    g_free(e->temp);
}

CliFiles *cli_files_new(const char *dir, GError **error) {
    if (g_mkdir_with_parents(dir, 0755) != 0) {
        int saved = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved),
                    "cannot create directory %s: %s", dir, g_strerror(saved));
        return NULL;
    }
    CliFiles *f = g_new0(CliFiles, 1);
    f->dir = g_strdup(dir);
    f->files = g_array_new(FALSE, TRUE, sizeof(Entry));
    g_array_set_clear_func(f->files, (GDestroyNotify)entry_clear);
    return f;
}

void cli_files_free(CliFiles *f) {
    if (f == NULL)
        return;
    g_array_unref(f->files);
    g_free(f->dir);
    g_free(f);
}

/* Creates the temporary file of @name; returns its entry. */
static Entry *create(CliFiles *f, const char *name, int *fd, GError **error) {
    g_autofree char *base = g_strdup_printf(".%s.sweep-XXXXXX", name);
    g_autofree char *temp = g_build_filename(f->dir, base, NULL);
    *fd = g_mkstemp(temp);
    if (*fd < 0) {
        int saved = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot create %s: %s",
                    temp, g_strerror(saved));
        return NULL;
    }
    Entry e = {g_strdup(name), g_steal_pointer(&temp), NULL};
    g_array_append_val(f->files, e);
    return &g_array_index(f->files, Entry, f->files->len - 1);
}

FILE *cli_files_open(CliFiles *f, const char *name, GError **error) {
    int fd;
    Entry *e = create(f, name, &fd, error);
    if (e == NULL)
        return NULL;
    e->stream = fdopen(fd, "w");
    if (e->stream == NULL) {
        close(fd);
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot open %s", e->temp);
    }
    return e->stream;
}

const char *cli_files_reserve(CliFiles *f, const char *name, GError **error) {
    int fd;
    Entry *e = create(f, name, &fd, error);
    if (e == NULL)
        return NULL;
    close(fd);
    return e->temp;
}

const char *cli_files_temp_path(const CliFiles *f, const char *name) {
    for (guint i = 0; i < f->files->len; i++) {
        const Entry *e = &g_array_index(f->files, Entry, i);
        if (strcmp(e->name, name) == 0)
            return e->temp;
    }
    return NULL;
}

gboolean cli_files_commit(CliFiles *f, GError **error) {
    for (guint i = 0; i < f->files->len; i++) {
        Entry *e = &g_array_index(f->files, Entry, i);
        FILE *s = g_steal_pointer(&e->stream);
        g_autofree char *final = g_build_filename(f->dir, e->name, NULL);
        if ((s && (ferror(s) || fclose(s) != 0)) || g_rename(e->temp, final) != 0) {
            int saved = errno;
            g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot write %s: %s",
                        final, g_strerror(saved));
            return FALSE;
        }
        g_clear_pointer(&e->temp, g_free);
    }
    return TRUE;
}
