/* timeline.tsv (see rep-timeline-io.h).
 *
 * Invariant: reading what rep_timeline_write() wrote gives a timeline whose
 * accessors return the same values (reals are printed with 17 digits).
 */
#include "sim/report/rep-timeline-io.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sim/report/rep-digits.h"
#include "sim/report/rep-timeline-private.h"

/* The "bucket" lines of interval @i's histogram @h, as fprintf would print
 * "bucket\t%u\t%zu\t%" PRIu64 "\n" for each non-zero bucket (all lie between
 * the buckets of min and max), through one buffer: there are tens of
 * thousands. Each line starts with the same "bucket\t<i>\t", made once. The
 * scan goes page by page (a page not made has no counts), so a zero count
 * costs a load and a test; the buffer is flushed, if it must be, before a
 * page, with room for all of the page's lines. */
/* The decimal digits of every bucket index (below 10^4: at most 4) and a tab,
 * with their count in byte 7, made once per process: a run writes hundreds of
 * thousands. */
G_STATIC_ASSERT(REP_HIST_BUCKETS <= 10000);
static char bucket_digits[REP_HIST_BUCKETS][8];

static gpointer make_bucket_digits(gpointer data) {
    (void)data;
    for (size_t b = 0; b < REP_HIST_BUCKETS; b++) {
        char *end = rep_put_u64(bucket_digits[b], b);
        *end++ = '\t';
        bucket_digits[b][7] = (char)(end - bucket_digits[b]);
    }
    return NULL;
}

static void write_buckets(const RepHistPaged *h, guint i, FILE *out) {
    static GOnce once = G_ONCE_INIT;
    g_once(&once, make_bucket_digits, NULL);
    enum { PAGE = (size_t)1 << REP_HIST_SUB_BITS, LINE = 80 }; /* 7 + 3 * 20 + 3 < LINE */
    char buf[PAGE * LINE + 4096], head[32] = "bucket\t";
    char *p = rep_put_u64(head + 7, i);
    *p++ = '\t';
    size_t head_len = (size_t)(p - head);
    p = buf;
    size_t lo = rep_histogram_bucket_of(h->min), hi = rep_histogram_bucket_of(h->max);
    for (size_t pg = lo / PAGE; pg <= hi / PAGE; pg++) {
        const uint32_t *page = h->pages[pg];
        if (page == NULL)
            continue;
        const uint32_t *high = h->high ? h->high[pg] : NULL; /* (NULL but after 2^32) */
        p = rep_put_room(buf, sizeof buf, p, PAGE * LINE, out);
        size_t k_end = pg == hi / PAGE ? hi % PAGE + 1 : PAGE;
        for (size_t k = pg == lo / PAGE ? lo % PAGE : 0; k < k_end; k++) {
            uint64_t c = page[k];
            if (high)
                c += (uint64_t)high[k] << 32;
            if (c == 0)
                continue;
            memcpy(p, head, sizeof head); /* (a whole copy: cheaper than one of head_len) */
            p += head_len;
            const char *d = bucket_digits[pg * PAGE + k];
            memcpy(p, d, 8);
            p += d[7];
            p = rep_put_u64(p, c);
            *p++ = '\n';
        }
    }
    fwrite(buf, 1, (size_t)(p - buf), out);
}

/* Interval @i's gauges, as "interval\t%u\t%" PRIu64 then "\t%.17g" for each
 * figure, into @line (512 bytes: 9 + 10 + 1 + 20 + 12 * (1 + 24) + 1 at most). */
static void write_gauges(const RepTimeline *tl, guint i, char *line, FILE *out) {
    char *q = rep_put_u64(stpcpy(line, "interval\t"), i);
    *q++ = '\t';
    q = rep_put_u64(q, tl->failed[i]);
    for (int s = 0; s < REP_TL_SERIES_COUNT; s++) {
        const Gauge *g = &tl->gauges[s];
        *q++ = '\t';
        q = rep_put_g17(q, g->area[i]);
        *q++ = '\t';
        q = rep_put_g17(q, g->known_ns[i]);
        *q++ = '\t';
        q = rep_put_g17(q, g->max[i]);
    }
    *q++ = '\n';
    fwrite(line, 1, (size_t)(q - line), out);
}

static void write_interval(const RepTimeline *tl, guint i, FILE *out) {
    gboolean any = tl->failed[i] > 0;
    for (int s = 0; s < REP_TL_SERIES_COUNT; s++)
        any = any || tl->gauges[s].known_ns[i] > 0 || tl->gauges[s].area[i] > 0;
    char line[512];
    if (any)
        write_gauges(tl, i, line, out);
    for (guint p = 0; p < tl->provs->len; p++) {
        const Prov *pr = g_ptr_array_index(tl->provs, p);
        if (pr->busy[i] > 0) { /* as "busy\t%u\t%u\t%.17g\n" */
            char *q = rep_put_u64(stpcpy(line, "busy\t"), i);
            *q++ = '\t';
            q = rep_put_u64(q, p);
            *q++ = '\t';
            q = rep_put_g17(q, pr->busy[i]);
            *q++ = '\n';
            fwrite(line, 1, (size_t)(q - line), out);
        }
    }
    for (guint d = 0; d < tl->devs->len; d++) {
        const Dev *dv = g_ptr_array_index(tl->devs, d);
        if (dv->reads[i] || dv->busy[i] > 0 || dv->queued[i] > 0)
            fprintf(out, "io\t%u\t%u\t%" PRIu64 "\t%.17g\t%.17g\t%.17g\n", i, d, dv->reads[i],
                    dv->busy[i], dv->service[i], dv->queued[i]);
    }
    if (tl->reclaimed[i])
        fprintf(out, "reclaimed\t%u\t%" PRIu64 "\n", i, tl->reclaimed[i]);
    if (tl->lockwait[i] > 0)
        fprintf(out, "lockwait\t%u\t%.17g\n", i, tl->lockwait[i]);
    const RepHistPaged *h = tl->latency[i];
    if (h == NULL || h->count == 0)
        return;
    /* as "latency\t%u\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%.17g\t%" PRIu64 "\n" */
    char *q = rep_put_u64(stpcpy(line, "latency\t"), i);
    const uint64_t whole[3] = {h->count, h->min, h->max};
    for (int k = 0; k < 3; k++) {
        *q++ = '\t';
        q = rep_put_u64(q, whole[k]);
    }
    *q++ = '\t';
    q = rep_put_g17(q, h->sum);
    *q++ = '\t';
    q = rep_put_u64(q, h->clamped);
    *q++ = '\n';
    fwrite(line, 1, (size_t)(q - line), out);
    write_buckets(h, i, out);
}

gboolean rep_timeline_write(const RepTimeline *tl, FILE *out, GError **error) {
    fprintf(out, "# pagesim timeline: per-interval data of the timeline and heat-map figures\n");
    fprintf(out, "timeline\t%" PRIu64 "\t%" PRIu64 "\t%u\t%" PRIu64 "\n", tl->start, tl->interval,
            tl->n, tl->end);
    for (guint p = 0; p < tl->provs->len; p++) {
        const Prov *pr = g_ptr_array_index(tl->provs, p);
        fprintf(out, "provider\t%u\t%s\n", pr->workers, pr->name);
    }
    for (guint d = 0; d < tl->devs->len; d++) {
        const Dev *dv = g_ptr_array_index(tl->devs, d);
        fprintf(out, "device\t%u\t%s\n", dv->depth, dv->name);
    }
    if (tl->memory)
        fputs("memory\n", out);
    if (tl->lock)
        fputs("lock\n", out);
    for (guint i = 0; i < tl->n; i++)
        write_interval(tl, i, out);
    if (fflush(out) != 0 || ferror(out)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "cannot write timeline.tsv");
        return FALSE;
    }
    return TRUE;
}

/* Parses field @k of @f as an unsigned integer or a real into *@u or *@d. */
static gboolean num(char **f, guint k, uint64_t *u, double *d) {
    if (f[k] == NULL || f[k][0] == '\0')
        return FALSE;
    char *end;
    if (u)
        *u = g_ascii_strtoull(f[k], &end, 10);
    else
        *d = g_ascii_strtod(f[k], &end);
    return *end == '\0';
}

static RepHistPaged *hist_at(RepTimeline *tl, uint64_t i) {
    if (tl->latency[i] == NULL)
        tl->latency[i] = rep_hist_paged_new();
    return tl->latency[i];
}

/* An "interval" line's fields @f of interval @i. Files of older versions have
 * fewer series: the others stay unknown. */
static gboolean read_interval(RepTimeline *tl, guint i, char **f, guint nf) {
    if (nf < 3 + 3 * REP_TL_PORT + 3 || nf > 3 + 3 * REP_TL_SERIES_COUNT || (nf - 3) % 3 ||
        !num(f, 2, &tl->failed[i], NULL))
        return FALSE;
    for (guint s = 0; s < (nf - 3) / 3; s++)
        if (!num(f, 3 + 3 * s, NULL, &tl->gauges[s].area[i]) ||
            !num(f, 4 + 3 * s, NULL, &tl->gauges[s].known_ns[i]) ||
            !num(f, 5 + 3 * s, NULL, &tl->gauges[s].max[i]))
            return FALSE;
    return TRUE;
}

/* Folds one line's fields @f into @tl (created by the "timeline" line). */
static gboolean read_line(RepTimeline **tlp, char **f, guint nf) {
    uint64_t a[6] = {0};
    if (strcmp(f[0], "timeline") == 0) {
        if (*tlp || nf != 5 || !num(f, 1, &a[0], NULL) || !num(f, 2, &a[1], NULL) ||
            !num(f, 3, &a[2], NULL) || !num(f, 4, &a[3], NULL) || a[1] == 0 || a[2] == 0 ||
            a[2] > 10000000)
            return FALSE;
        *tlp = rep_timeline_new(a[0], a[1], 1);
        rep_timeline__set_n(*tlp, (guint)a[2], a[3]);
        return TRUE;
    }
    RepTimeline *tl = *tlp;
    if (tl == NULL)
        return FALSE;
    if (strcmp(f[0], "provider") == 0)
        return nf == 3 && num(f, 1, &a[0], NULL) &&
               (rep_timeline_add_provider(tl, f[2], (guint)a[0]), TRUE);
    if (strcmp(f[0], "device") == 0)
        return nf == 3 && num(f, 1, &a[0], NULL) &&
               (rep_timeline_add_device(tl, f[2], (guint)a[0]), TRUE);
    if (strcmp(f[0], "memory") == 0)
        return nf == 1 && (rep_timeline_set_memory(tl, TRUE), TRUE);
    if (strcmp(f[0], "lock") == 0)
        return nf == 1 && (tl->lock = TRUE, TRUE);
    if (nf < 2 || !num(f, 1, &a[0], NULL) || a[0] >= tl->n)
        return FALSE;
    guint i = (guint)a[0];
    if (strcmp(f[0], "interval") == 0)
        return read_interval(tl, i, f, nf);
    if (strcmp(f[0], "busy") == 0)
        return nf == 4 && num(f, 2, &a[1], NULL) && a[1] < tl->provs->len &&
               num(f, 3, NULL, &((Prov *)g_ptr_array_index(tl->provs, a[1]))->busy[i]);
    if (strcmp(f[0], "io") == 0) {
        if (nf != 7 || !num(f, 2, &a[1], NULL) || a[1] >= tl->devs->len)
            return FALSE;
        Dev *d = g_ptr_array_index(tl->devs, a[1]);
        return num(f, 3, &d->reads[i], NULL) && num(f, 4, NULL, &d->busy[i]) &&
               num(f, 5, NULL, &d->service[i]) && num(f, 6, NULL, &d->queued[i]);
    }
    if (strcmp(f[0], "reclaimed") == 0)
        return nf == 3 && num(f, 2, &tl->reclaimed[i], NULL);
    if (strcmp(f[0], "lockwait") == 0)
        return nf == 3 && num(f, 2, NULL, &tl->lockwait[i]);
    if (strcmp(f[0], "latency") == 0) {
        RepHistPaged *h = hist_at(tl, i);
        return nf == 7 && num(f, 2, &h->count, NULL) && num(f, 3, &h->min, NULL) &&
               num(f, 4, &h->max, NULL) && num(f, 5, NULL, &h->sum) && num(f, 6, &h->clamped, NULL);
    }
    if (strcmp(f[0], "bucket") == 0) {
        if (nf != 4 || !num(f, 2, &a[1], NULL) || a[1] >= REP_HIST_BUCKETS ||
            !num(f, 3, &a[2], NULL))
            return FALSE;
        rep_hist_paged_set(hist_at(tl, i), a[1], a[2]);
        return TRUE;
    }
    return FALSE;
}

RepTimeline *rep_timeline_read(const char *path, GError **error) {
    g_autofree char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, error))
        return NULL;
    g_autoptr(RepTimeline) tl = NULL;
    char *save = NULL;
    guint line = 0;
    for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        line++;
        if (l[0] == '#')
            continue;
        g_auto(GStrv) f = g_strsplit(l, "\t", -1);
        if (!read_line(&tl, f, g_strv_length(f))) {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                        "%s:%u: not a line of a pagesim timeline", path, line);
            return NULL;
        }
    }
    if (tl == NULL)
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: no \"timeline\" line", path);
    return g_steal_pointer(&tl);
}
