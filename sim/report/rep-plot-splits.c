/* latency-splits.tsv (see rep-plot-splits.h).
 *
 * Invariant: reading what rep_splits_write() wrote gives histograms equal to the
 * run's, bucket for bucket, with the exact count, min, max and sum.
 */
#include "sim/report/rep-plot-splits.h"

#include <inttypes.h>
#include <string.h>

#include "sim/report/rep-digits.h"

static const char *const kind_names[REP_SPLIT_KIND_COUNT] = {"status", "workload"};

static void write_split(FILE *out, RepSplitKind kind, const char *name, const RepHistogram *h) {
    fprintf(out, "split\t%s\t%s\n", kind_names[kind], name);
    fprintf(out, "hist\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%.17g\t%" PRIu64 "\n", h->count,
            h->min, h->max, h->sum, h->clamped);
    /* the lines as "bucket\t%zu\t%" PRIu64 "\n" would be, through one buffer
     * (a line is at most 7 + 20 + 1 + 20 + 1 bytes) */
    char buf[4096], *p = buf;
    for (size_t b = 0; b < REP_HIST_BUCKETS; b++) {
        if (h->counts[b] == 0)
            continue;
        p = rep_put_room(buf, sizeof buf, p, 64, out);
        memcpy(p, "bucket\t", 7);
        p = rep_put_u64(p + 7, b);
        *p++ = '\t';
        p = rep_put_u64(p, h->counts[b]);
        *p++ = '\n';
    }
    fwrite(buf, 1, (size_t)(p - buf), out);
}

gboolean rep_splits_write(const RepFigures *f, FILE *out, GError **error) {
    fputs("# pagesim fault latency per final status and per workload (ns)\n", out);
    for (guint i = 0; f->statuses && i < f->statuses->len; i++) {
        const RepStatusFigures *st = &g_array_index(f->statuses, RepStatusFigures, i);
        write_split(out, REP_SPLIT_STATUS, st->name, st->split.latency);
    }
    for (guint i = 0; i < f->n_workloads; i++)
        write_split(out, REP_SPLIT_WORKLOAD, f->workloads[i].name, f->workloads[i].split.latency);
    if (fflush(out) != 0 || ferror(out)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "cannot write latency-splits.tsv");
        return FALSE;
    }
    return TRUE;
}

static void split_free(gpointer p) {
    RepSplitHist *s = p;
    g_free(s->name);
    rep_histogram_free(s->latency);
    g_free(s);
}

static gboolean u64_at(char **f, guint k, uint64_t *out) {
    char *end;
    if (f[k] == NULL || f[k][0] == '\0')
        return FALSE;
    *out = g_ascii_strtoull(f[k], &end, 10);
    return *end == '\0';
}

/* Folds one line's fields @f (@nf of them) into @splits. */
static gboolean read_line(GPtrArray *splits, char **f, guint nf) {
    RepSplitHist *cur = splits->len ? g_ptr_array_index(splits, splits->len - 1) : NULL;
    if (strcmp(f[0], "split") == 0 && nf == 3) {
        for (int k = 0; k < REP_SPLIT_KIND_COUNT; k++) {
            if (strcmp(f[1], kind_names[k]) != 0)
                continue;
            RepSplitHist *s = g_new0(RepSplitHist, 1);
            s->kind = (RepSplitKind)k;
            s->name = g_strdup(f[2]);
            s->latency = rep_histogram_new();
            g_ptr_array_add(splits, s);
            return TRUE;
        }
        return FALSE;
    }
    if (cur == NULL)
        return FALSE;
    RepHistogram *h = cur->latency;
    if (strcmp(f[0], "hist") == 0 && nf == 6) {
        char *end;
        h->sum = g_ascii_strtod(f[4], &end);
        return *end == '\0' && u64_at(f, 1, &h->count) && u64_at(f, 2, &h->min) &&
               u64_at(f, 3, &h->max) && u64_at(f, 5, &h->clamped);
    }
    uint64_t b = 0;
    return strcmp(f[0], "bucket") == 0 && nf == 3 && u64_at(f, 1, &b) && b < REP_HIST_BUCKETS &&
           u64_at(f, 2, &h->counts[b]);
}

GPtrArray *rep_splits_read(const char *path, GError **error) {
    g_autofree char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, error))
        return NULL;
    g_autoptr(GPtrArray) splits = g_ptr_array_new_with_free_func(split_free);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (guint i = 0; lines[i]; i++) {
        if (lines[i][0] == '#' || lines[i][0] == '\0')
            continue;
        g_auto(GStrv) f = g_strsplit(lines[i], "\t", -1);
        if (!read_line(splits, f, g_strv_length(f))) {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                        "%s:%u: not a line of pagesim's latency splits", path, i + 1);
            return NULL;
        }
    }
    return g_steal_pointer(&splits);
}

guint rep_splits_with_faults(const GPtrArray *splits, RepSplitKind kind) {
    guint n = 0;
    for (guint i = 0; splits && i < splits->len; i++) {
        const RepSplitHist *s = g_ptr_array_index(splits, i);
        n += s->kind == kind && s->latency->count > 0;
    }
    return n;
}
