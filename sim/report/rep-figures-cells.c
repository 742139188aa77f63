/* Cells of (workload, final status) (see rep-figures-cells.h).
 *
 * Invariants:
 *  1. a workload's cells have distinct status names; w->cell is one of them or
 *     &rep_figures__no_cell (whose status is no access's: the hot path's one
 *     compare sends it here);
 *  2. while exact_room > 0, the latencies the cells hold add up to 2^53 -
 *     exact_room, and the splits hold no access of the window the cells hold;
 *     with exact_room 0 every cell is empty;
 *  3. a cell's histograms have the buckets, clamped, min and max of its
 *     accesses; their count and sum are set from the cell when it is folded.
 */
#include "sim/report/rep-figures-cells.h"

#include <string.h>

static const char no_status[] = "(none)";
RepFiguresCell rep_figures__no_cell = {.status = no_status};

static void cell_free(gpointer p) {
    RepFiguresCell *c = p;
    rep_histogram_free(c->faulted);
    rep_histogram_free(c->hit);
    g_free(c->faulted32);
    g_free(c->hit32);
    g_free(c);
}

RepFiguresCell *rep_figures__cell(RepWorkloadFigures *w, const char *status) {
    if (w->cells == NULL)
        w->cells = g_ptr_array_new_with_free_func(cell_free);
    for (guint i = 0; i < w->cells->len; i++) {
        RepFiguresCell *c = g_ptr_array_index(w->cells, i);
        if (c->status == status || strcmp(c->status, status) == 0)
            return w->cell = c;
    }
    RepFiguresCell *c = g_new0(RepFiguresCell, 1);
    c->status = status;
    c->faulted = rep_histogram_new();
    c->faulted32 = g_new0(uint32_t, REP_HIST_BUCKETS);
    g_ptr_array_add(w->cells, c);
    return w->cell = c;
}

void rep_figures__fold32(uint32_t *lo, RepHistogram *h) {
    if (h->min > h->max) /* empty */
        return;
    size_t b1 = rep_histogram_bucket_of(h->max);
    for (size_t b = rep_histogram_bucket_of(h->min); b <= b1; b++) {
        h->counts[b] += lo[b];
        lo[b] = 0;
    }
}

/* Adds cell @c's accesses to split @s (count and sum of its histograms set). */
static void fold_into(RepSplit *s, const RepFiguresCell *c) {
    s->accesses += c->faults + c->hits;
    s->faults += c->faults;
    s->faults_failed += c->faults_failed;
    s->pages += c->pages;
    rep_histogram_merge(s->latency, c->faulted);
    rep_histogram_merge(s->access_latency, c->faulted);
    if (c->hit)
        rep_histogram_merge(s->access_latency, c->hit);
}

static void cells_clear(RepWorkloadFigures *w) {
    w->cell = &rep_figures__no_cell;
    if (w->cells)
        g_ptr_array_set_size(w->cells, 0);
}

void rep_figures__cells_spill(RepFigures *f) {
    for (guint i = 0; i < f->n_workloads; i++) {
        RepWorkloadFigures *w = &f->workloads[i];
        for (guint k = 0; w->cells && k < w->cells->len; k++) {
            RepFiguresCell *c = g_ptr_array_index(w->cells, k);
            rep_figures__fold32(c->faulted32, c->faulted);
            c->faulted->count = c->faults;
            c->faulted->sum = (double)c->faulted_ns; /* exact: below 2^53 */
            if (c->hit) {
                rep_figures__fold32(c->hit32, c->hit);
                c->hit->count = c->hits;
                c->hit->sum = (double)c->hit_ns;
            }
            fold_into(rep_figures__status_split(f, c->status), c);
            fold_into(&w->split, c);
            rep_figures__count_status(w->statuses, c->status, c->faults + c->hits);
        }
        cells_clear(w);
    }
    f->exact_room = 0;
}

void rep_figures__cells_reset(RepFigures *f) {
    for (guint i = 0; i < f->n_workloads; i++)
        cells_clear(&f->workloads[i]);
    f->exact_room = REP_FIGURES_EXACT;
}
