/* The figures of one run: every number that summary.json, the one-line summary,
 * the comparison tables and the sweep tables show, gathered in one structure.
 *
 * The model fills a RepFigures while it runs (counters it increments directly,
 * and rep_figures_record_access() for each access that finishes) and completes
 * it at the end of the run (rep_figures_finish()). Everything else only reads
 * it: rep-summary.c writes it as summary.json, rep-metrics.c picks the metrics
 * of the comparison tables out of that JSON.
 *
 * The measured window. Counters, histograms and throughput cover accesses and
 * events in [window_start_ns, sim_time_ns): rep_figures_start_window() at the
 * end of the warm-up clears them. An access is counted where it finishes, with
 * its whole latency; a Wait likewise. Per-workload finish times (makespan)
 * ignore the window.
 *
 * Splits. Every access is counted twice: in the split of its final status
 * (statuses, e.g. ZX_OK apart from ZX_ERR_IO) and in its workload's split, whose
 * status counts are kept too. The run's totals (all) are the sum of the status
 * splits, made by rep_figures_finish().
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "sim/report/rep-figures-res.h"
#include "sim/report/rep-histogram.h"

#define REP_FIGURES_NONE UINT64_MAX /* "no such time" */

/* Counts and latencies of a set of accesses. */
typedef struct {
    uint64_t accesses;            /* accesses that finished */
    uint64_t faults;              /* of those, found a page missing */
    uint64_t faults_failed;       /* of the faults, ended with a status other than ZX_OK */
    uint64_t pages;               /* pages the accesses covered */
    RepHistogram *latency;        /* fault latency, ns (owned) */
    RepHistogram *access_latency; /* latency of every access, hits included (owned) */
} RepSplit;

/* One final status: its name (static string, e.g. "ZX_ERR_IO") and its split. */
typedef struct {
    const char *name;
    RepSplit split;
} RepStatusFigures;

/* A status name and a count. */
typedef struct {
    const char *name; /* static string */
    uint64_t count;
} RepStatusCount;

typedef struct _RepFiguresCell RepFiguresCell; /* rep-figures-cells.h */

typedef struct {
    char *name;            /* workload name (owned) */
    const char *kind;      /* "closed", "open" or "explicit" (static) */
    const char *access;    /* "fault", "read", "commit", or "mixed" (static) */
    uint64_t total;        /* accesses it makes in all; 0 = until the run stops */
    uint64_t finished;     /* accesses finished over the whole run (window aside) */
    RepFiguresCell *cell;  /* the one used last, or a cell no status matches (set by
                              rep_figures_init; between the two fields each access
                              stores, so that GCC stores them one by one) */
    uint64_t last_done_ns; /* when its latest access finished */
    RepSplit split;        /* its accesses in the window */
    GArray *statuses;      /* RepStatusCount, in the window, sorted by name at the end */
    uint64_t makespan_ns;  /* set by rep_figures_finish(): when it finished, or
                              REP_FIGURES_NONE (it never ends, or did not finish) */
    GPtrArray *cells;      /* RepFiguresCell: accesses by status not yet in split */
} RepWorkloadFigures;

typedef struct {
    char *name;               /* provider name (owned) */
    const char *kind;         /* "pager", "sync" or "scripted" (static) */
    guint workers;            /* pager workers; 0 otherwise */
    uint64_t requests;        /* READ requests taken (dequeued or served) */
    uint64_t busy_ns;         /* summed worker time spent serving */
    uint64_t closed_at_ns;    /* when the pager closed or died; REP_FIGURES_NONE */
    double utilization;       /* busy_ns / (workers x window length); 0 without workers */
    uint64_t alive_ns;        /* time in the window before the pager closed or died */
    uint64_t busy_alive_ns;   /* busy_ns within that time */
    double utilization_alive; /* busy_alive_ns / (workers x alive_ns); 0 if never alive */
} RepProviderFigures;

typedef struct {
    uint64_t sim_time_ns;          /* simulated time at the end */
    uint64_t events;               /* engine events executed */
    const char *stop_reason;       /* "empty", "horizon", "budget", "requested" */
    uint64_t window_start_ns;      /* start of the measured window (the warm-up) */
    RepSplit all;                  /* every access of the window (rep_figures_finish) */
    GArray *statuses;              /* RepStatusFigures, sorted by name at the end */
    RepWorkloadFigures *workloads; /* in scenario order */
    guint n_workloads;
    uint64_t requests_sent;        /* requests that became heads (sent to a provider) */
    uint64_t requests_pages;       /* pages in those requests */
    uint64_t requests_coalesced;   /* requests that joined an in-flight one */
    uint64_t requests_cancelled;   /* requests cancelled (kill, suspend, timeout) */
    uint64_t supplied_pages;       /* pages newly inserted by supplies */
    uint64_t unused_pages;         /* of those, never touched by an access before they
                                      were removed or the run ended */
    uint64_t waits;                /* PageRequest::Wait calls that blocked */
    uint64_t wait_ns;              /* time spent blocked in them */
    uint64_t overtime_waits;       /* of those, waits that reached an overtime_wait expiry */
    RepProviderFigures *providers; /* one per provider, in scenario order */
    guint n_providers;
    RepDeviceFigures *devices; /* one per device, in scenario order */
    guint n_devices;
    RepMemoryFigures *memory; /* NULL without a "memory" section (borrowed) */
    RepLockFigures *locks;    /* one per VMO, or NULL when the VMO lock is off
                                 (every lock cost 0) (borrowed) */
    guint n_locks;
    uint64_t arrivals_dropped; /* open-workload arrivals past max_in_flight */
    gboolean interrupted;      /* stopped early by a signal: the figures so far */
    uint64_t makespan_ns;      /* when the last workload finished, if every workload
                                  makes a fixed number of accesses and finished;
                                  else REP_FIGURES_NONE */
    gboolean checked;          /* the invariant checkers ran (--check) */
    char *violation;           /* first invariant violation (--check), or NULL */
    uint64_t exact_room;       /* latency the cells may still take (rep-figures-cells.h) */
} RepFigures;

/* rep_figures_init: sets up @f (zeroed by the caller) with @n_workloads workloads
 * and @n_providers providers, to be described by the caller. */
void rep_figures_init(RepFigures *f, guint n_workloads, guint n_providers);

/* rep_figures_clear: frees what @f owns. Accepts NULL and a zeroed @f. */
void rep_figures_clear(RepFigures *f);

/* rep_figures_set_workload: describes workload @i: @name (copied), @kind and
 * @access (static strings), @total accesses (0 = until the run stops). */
void rep_figures_set_workload(RepFigures *f, guint i, const char *name, const char *kind,
                              const char *access, uint64_t total);

/* rep_figures_record_access: counts an access of workload @workload that
 * finished at @now_ns with final status @status (a static name) after
 * @latency_ns, covering @pages pages; @fault says whether it found a page
 * missing, @ok whether @status is ZX_OK. O(1) while the statuses come in runs
 * (it is counted in its workload's cell for @status, rep-figures-cells.h);
 * O(statuses the workload saw) when the status changes. */
void rep_figures_record_access(RepFigures *f, guint workload, const char *status, gboolean ok,
                               gboolean fault, uint64_t pages, uint64_t latency_ns,
                               uint64_t now_ns);

/* rep_figures_status_split: (transfer none) the split of final status @status
 * (a static name), added if it is new, for a caller that fills it with counts
 * it kept itself (a real pager measured outside the model). */
RepSplit *rep_figures_status_split(RepFigures *f, const char *status);

/* rep_figures_start_window: the warm-up ended at @start_ns: clears every
 * windowed counter and histogram (the caller clears what it keeps itself, such
 * as provider busy time). */
void rep_figures_start_window(RepFigures *f, uint64_t start_ns);

/* rep_figures_finish: completes @f at the end of the run: the end time, the
 * provider utilisations, makespans (@all_done: the run ended with nothing left
 * to do) and the status order. */
void rep_figures_finish(RepFigures *f, uint64_t end_ns, gboolean all_done);

/* rep_figures_window_ns: the length of the measured window. */
uint64_t rep_figures_window_ns(const RepFigures *f);

/* rep_figures_rate: @count per simulated second of the window; NAN for an
 * empty window. */
double rep_figures_rate(const RepFigures *f, double count);

/* rep_figures_mean_wait: the mean time (ns) of the Waits that blocked; 0 if none. */
double rep_figures_mean_wait(const RepFigures *f);

/* rep_figures_find_status: (nullable) (transfer none) the split of @status. */
const RepSplit *rep_figures_find_status(const RepFigures *f, const char *status);
