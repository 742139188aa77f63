/* Internals of the timeline, shared by rep-timeline.c (folding events in) and
 * rep-timeline-io.c (timeline.tsv, written by a run, read by `pagesim plot`).
 * Not for use outside sim/report/. */
#pragma once

#include "sim/report/rep-timeline-direct.h"
#include "sim/report/rep-timeline.h"

typedef struct {
    double *area;     /* value x ns, per interval */
    double *known_ns; /* ns during which the value was known, per interval */
    double *max;      /* largest value held for a positive time, per interval */
    gboolean known;   /* a value has been seen */
    double cur;       /* the value since `since` */
    uint64_t since;   /* when cur began */
} Gauge;

typedef RepTimelineWorker Worker; /* (rep-timeline-hot.h) */

typedef struct {
    char *name;    /* provider name */
    guint workers; /* its worker count */
    double *busy;  /* busy worker x ns, per interval */
    Worker *ws;    /* its workers, by index (direct feeding) */
} Prov;

typedef struct {
    char *name;          /* device name */
    guint depth;         /* its queue depth */
    uint64_t busy_until; /* end of the service union so far */
    uint64_t *reads;     /* reads submitted, per interval */
    double *busy;        /* ns with a read in service, per interval */
    double *service;     /* read x ns in service, per interval */
    double *queued;      /* read x ns waiting for a slot, per interval */
} Dev;

struct _RepTimeline {
    RepTimelineHot hot;                  /* direct feeding's (first: rep-timeline-direct.h) */
    uint64_t start;                      /* first interval's start */
    uint64_t interval;                   /* ns per interval */
    guint n;                             /* intervals in use */
    guint cap;                           /* intervals allocated (>= n) */
    guint max_n;                         /* coarsen beyond this many; 0: never */
    uint64_t end;                        /* set by finish; 0 before */
    RepHistPaged **latency;              /* faults finished, per interval; NULL: none */
    RepHistPagePool *pages;              /* the pages of latency[] freed, for reuse */
    RepHistogram *view;                  /* rep_timeline_latency()'s expansion */
    uint64_t *failed;                    /* of those, not ZX_OK */
    Gauge gauges[REP_TL_SERIES_COUNT];   /* waiting, outstanding, port */
    GHashTable *waiting;                 /* threads in a wait (set of names) */
    guint named_waiting;                 /* its size (kept, read per change) */
    GHashTable *outstanding;             /* VMO -> last outstanding (uint64_t *) */
    GHashTable *port;                    /* VMO -> last port (uint64_t *) */
    char *last_vmo;                      /* the VMO of the last counters line */
    uint64_t *last_parts[3];             /* its parts in outstanding, port, resident */
    double totals[REP_TL_SERIES_COUNT];  /* current sums behind the gauges */
    GPtrArray *provs;                    /* of Prov */
    GHashTable *workers;                 /* by -> Worker */
    guint64 events;                      /* events folded in */
    GPtrArray *devs;                     /* of Dev */
    gboolean memory;                     /* fold resident pages and reclaim */
    uint64_t *reclaimed;                 /* pages evicted by reclaim, per interval */
    gboolean lock;                       /* a lock_wait line was seen (rep-timeline-res.c) */
    double *lockwait;                    /* waiter x ns queued for a VMO lock, per interval */
    GHashTable *resident;                /* VMO -> last resident (uint64_t *) */
    uint64_t horizon;                    /* device service is clipped here */
    gboolean has_counters[REP_EV_COUNT]; /* the event may carry outstanding or port */
};

/* rep_timeline__grow: makes room for @cap intervals (new ones empty). */
void rep_timeline__grow(RepTimeline *tl, guint cap);

/* rep_timeline__add_span: credits @v over [a, b) to @area (and to @known_ns
 * and @max when they are given), interval by interval. */
void rep_timeline__add_span(RepTimeline *tl, double **area, double **known_ns, double **max,
                            uint64_t a, uint64_t b, double v);

/* rep_timeline__credit: credits @v over @d ns of interval @i: @area by v x d,
 * @known_ns by d, @max by v (each when given). */
static inline void rep_timeline__credit(double **area, double **known_ns, double **max, uint64_t i,
                                        uint64_t d, double v) {
    (*area)[i] += v * (double)d;
    if (known_ns)
        (*known_ns)[i] += (double)d;
    if (max)
        (*max)[i] = MAX((*max)[i], v);
}

/* rep_timeline__span: rep_timeline__add_span() with its common case inline:
 * a non-empty [a, b) within the interval add_span used last (span_i, whose
 * bounds are >= start), credited with the same arithmetic. */
static inline void rep_timeline__span(RepTimeline *tl, double **area, double **known_ns,
                                      double **max, uint64_t a, uint64_t b, double v) {
    if (G_LIKELY(a < b && a >= tl->hot.span_lo && b <= tl->hot.span_hi)) {
        rep_timeline__credit(area, known_ns, max, tl->hot.span_i, b - a, v);
        return;
    }
    rep_timeline__add_span(tl, area, known_ns, max, a, b, v);
}

/* A service of worker @w ends at @end: its span is credited to its provider. */
static inline void rep_timeline__end_service(RepTimeline *tl, Worker *w, uint64_t end) {
    if (w->serving && w->prov >= 0) {
        Prov *p = g_ptr_array_index(tl->provs, w->prov);
        rep_timeline__span(tl, &p->busy, NULL, NULL, w->start, end, 1.0);
    }
    w->serving = FALSE;
}

/* Worker @w's line @ev at @t (@read: a dequeued READ). */
static inline void rep_timeline__worker_step(RepTimeline *tl, Worker *w, RepEv ev, uint64_t t,
                                             gboolean read) {
    if (ev == REP_EV_DEQUEUE) {
        rep_timeline__end_service(tl, w, w->last);
        w->serving = read;
        w->start = w->last = t;
    } else if (ev == REP_EV_SERVED) {
        if (!w->serving) { /* it began before the trace: see rep_timeline__wait_unknown() */
            w->start = tl->start;
            w->serving = TRUE;
        }
        rep_timeline__end_service(tl, w, t);
        tl->hot.saw_served = TRUE;
        w->last = t;
    } else {
        w->last = t;
    }
}

/* rep_timeline__gauge_set: series @s takes value @v at @t; the value held
 * since the last change is credited up to @t (invariant 2 of rep-timeline.c). */
static inline void rep_timeline__gauge_set(RepTimeline *tl, RepTimelineSeries s, uint64_t t,
                                           double v) {
    Gauge *g = &tl->gauges[s];
    if (g->known) {
        if (v == g->cur)
            return; /* the step goes on: credited when it changes */
        rep_timeline__span(tl, &g->area, &g->known_ns, &g->max, g->since, t, g->cur);
    }
    g->known = TRUE;
    g->cur = v;
    g->since = t;
}

/* rep_timeline__update_sum: replaces a VMO's @part of the sum behind series @s
 * by @v. An unchanged part of a known series changes nothing (its gauge holds
 * the sum), so it returns early. */
static inline void rep_timeline__update_sum(RepTimeline *tl, uint64_t *part, RepTimelineSeries s,
                                            uint64_t v, uint64_t t) {
    if (v == *part && tl->gauges[s].known)
        return;
    tl->totals[s] += (double)v - (double)*part;
    *part = v;
    rep_timeline__gauge_set(tl, s, t, tl->totals[s]);
}

/* rep_timeline__lazy_flush: ends direct feeding's active interval: writes its
 * figures and values back (before anything else reads or changes the gauges). */
void rep_timeline__lazy_flush(RepTimeline *tl);

/* rep_timeline__hot_busy: sets every provider's busy_i for the active
 * interval (NULL when none): when one is made active, ended, or the arrays
 * move (grow) or a provider is added. */
void rep_timeline__hot_busy(RepTimeline *tl);

/* rep_timeline__reach: the interval holding @t (>= start), made to exist (may
 * coarsen). */
guint rep_timeline__reach(RepTimeline *tl, uint64_t t);

/* Shared by the fold of lines and direct feeding (rep-timeline-direct.c). */
void rep_timeline__waiting_changed(RepTimeline *tl, uint64_t t);
void rep_timeline__wait_unknown(RepTimeline *tl, uint64_t t);
void rep_timeline__latency(RepTimeline *tl, uint64_t t, uint64_t latency, gboolean failed);
void rep_timeline__dev_read(RepTimeline *tl, Dev *d, uint64_t t, uint64_t queued, uint64_t service);

/* rep-timeline-res.c: devices and memory. */
void rep_timeline__res_init(RepTimeline *tl);
void rep_timeline__res_free(RepTimeline *tl);
void rep_timeline__res_grow(RepTimeline *tl, guint old, guint cap);
void rep_timeline__res_merge(RepTimeline *tl, guint j, guint k);
void rep_timeline__on_device_read(RepTimeline *tl, const RepEvent *e);
void rep_timeline__on_memory(RepTimeline *tl, const RepEvent *e);
void rep_timeline__on_lock_wait(RepTimeline *tl, const RepEvent *e);
void rep_timeline__lock_wait(RepTimeline *tl, uint64_t t, uint64_t waited);

/* rep_timeline__set_n: the intervals in use and the end (after a load). */
void rep_timeline__set_n(RepTimeline *tl, guint n, uint64_t end);
