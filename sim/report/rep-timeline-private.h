/* Internals of the timeline, shared by rep-timeline.c (folding events in) and
 * rep-timeline-io.c (timeline.tsv, written by a run, read by `pagesim plot`).
 * Not for use outside sim/report/. */
#pragma once

#include "sim/report/rep-timeline.h"

typedef struct {
    double *area;     /* value x ns, per interval */
    double *known_ns; /* ns during which the value was known, per interval */
    double *max;      /* largest value held for a positive time, per interval */
    gboolean known;   /* a value has been seen */
    double cur;       /* the value since `since` */
    uint64_t since;   /* when cur began */
} Gauge;

typedef struct {
    char *name;    /* provider name */
    guint workers; /* its worker count */
    double *busy;  /* busy worker x ns, per interval */
} Prov;

typedef struct {
    int prov;         /* index in provs; -1 not declared */
    gboolean serving; /* in a service */
    uint64_t start;   /* when the service began */
    uint64_t last;    /* its last supply or fail */
} Worker;

struct _RepTimeline {
    uint64_t start;                     /* first interval's start */
    uint64_t interval;                  /* ns per interval */
    guint n;                            /* intervals in use */
    guint cap;                          /* intervals allocated (>= n) */
    guint max_n;                        /* coarsen beyond this many; 0: never */
    uint64_t end;                       /* set by finish; 0 before */
    RepHistogram **latency;             /* faults finished, per interval; NULL: none */
    RepHistogram *empty;                /* stands for a NULL latency[i] */
    uint64_t *failed;                   /* of those, not ZX_OK */
    Gauge gauges[REP_TL_SERIES_COUNT];  /* waiting, outstanding, port */
    GHashTable *waiting;                /* threads in a wait (set of names) */
    GHashTable *outstanding;            /* VMO -> last outstanding (uint64_t *) */
    GHashTable *port;                   /* VMO -> last port (uint64_t *) */
    char *last_vmo;                     /* the VMO of the last counters line */
    uint64_t *last_parts[2];            /* its parts in outstanding and port */
    double totals[REP_TL_SERIES_COUNT]; /* current sums behind the gauges */
    GPtrArray *provs;                   /* of Prov */
    GHashTable *workers;                /* by -> Worker */
    gboolean saw_served;                /* the trace has served lines */
    guint64 events;                     /* events folded in */
    gboolean has_counters[REP_EV_COUNT]; /* the event may carry outstanding or port */
};

/* rep_timeline__grow: makes room for @cap intervals (new ones empty). */
void rep_timeline__grow(RepTimeline *tl, guint cap);

/* rep_timeline__set_n: the intervals in use and the end (after a load). */
void rep_timeline__set_n(RepTimeline *tl, guint n, uint64_t end);
