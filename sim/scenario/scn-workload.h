/* Workloads of a scenario: who touches which pages, when, and how.
 *
 * - closed:   @threads simulated threads, each looping access -> think -> access,
 *             @access_limit times (0 = until the run stops), from @start_ns.
 * - open:     arrivals (poisson at @rate_per_s, or one every @every_ns) from
 *             @start_ns, @count in total (0 = until the run stops); each arrival is
 *             a new thread that performs one access and ends; at most
 *             @max_in_flight of them at once (an arrival beyond is dropped).
 * - explicit: the listed accesses, each at its time on its named thread; the
 *             accesses of one thread run in list order, each starting at its `at`
 *             or when the thread's previous access ends, whichever is later.
 * - trace:    the accesses of a trace file (scn-trace.h), replayed as recorded
 *             (each access starts at its recorded time, on a thread of its own) or
 *             closed (one thread per recorded thread, keeping its order and its
 *             recorded think times). The file is read while the run goes, never
 *             held in memory; the loader reads it through once to check it.
 * Offsets and sizes are bytes, multiples of SCN_PAGE_SIZE; times are ns.
 */
#pragma once

#include "sim/scenario/scn-dist.h"

#include <glib.h>
#include <stdint.h>

/* The most workloads a scenario may have (the model keeps a thread's workload
 * in 16 bits). */
#define SCN_MAX_WORKLOADS 65536u

typedef enum {
    SCN_WORKLOAD_CLOSED,
    SCN_WORKLOAD_OPEN,
    SCN_WORKLOAD_EXPLICIT,
    SCN_WORKLOAD_TRACE,
    SCN_WORKLOAD_KIND_COUNT
} ScnWorkloadKind;

typedef enum {
    SCN_ACCESS_FAULT,  /* a mapping access: one non-batching request per page */
    SCN_ACCESS_READ,   /* zx_vmo_read: page by page, fresh request per page */
    SCN_ACCESS_COMMIT, /* ZX_VMO_OP_COMMIT: one batching request over the range */
    SCN_ACCESS_KIND_COUNT
} ScnAccessKind;

typedef enum {
    SCN_TRACE_AS_RECORDED, /* open: each access at its recorded time */
    SCN_TRACE_CLOSED,      /* per thread: order and think times kept */
    SCN_TRACE_MODE_COUNT
} ScnTraceMode;

typedef enum {
    SCN_PATTERN_SEQUENTIAL, /* a cursor walks the range, wrapping at its end */
    SCN_PATTERN_STRIDED,    /* the cursor advances by @stride, modulo the range */
    SCN_PATTERN_UNIFORM,    /* a page-aligned offset drawn uniformly */
    SCN_PATTERN_ZIPF,       /* page i of the hot set drawn with weight 1/(i+1)^theta */
    SCN_PATTERN_KIND_COUNT
} ScnPatternKind;

typedef enum {
    SCN_ARRIVAL_POISSON,  /* exponential gaps with mean 1/rate */
    SCN_ARRIVAL_INTERVAL, /* one arrival every @every_ns exactly */
    SCN_ARRIVAL_KIND_COUNT
} ScnArrivalKind;

typedef struct {
    ScnPatternKind kind; /* how offsets are chosen within the range */
    uint64_t stride;     /* strided: bytes between accesses, page multiple */
    uint64_t hot_set;    /* zipf: bytes at the start of the range that are drawn
                            from (resolved: the whole range by default) */
    double theta;        /* zipf exponent, > 0 */
    gboolean per_thread; /* sequential/strided in closed workloads: thread i of n
                            walks its own slice [i*size/n, (i+1)*size/n), page
                            aligned, instead of sharing one cursor */
} ScnPattern;

typedef struct {
    guint thread;         /* index into the workload's thread_names */
    uint64_t at_ns;       /* earliest start */
    guint vmo;            /* index into ScnScenario.vmos */
    ScnAccessKind access; /* fault, read or commit */
    uint64_t offset;      /* first byte, page aligned */
    uint64_t pages;       /* pages from @offset, >= 1 */
} ScnAccess;

/* An access hint as madvise sets it on the mapping (MADV_NORMAL,
 * MADV_SEQUENTIAL -> VM_SEQ_READ, MADV_RANDOM -> VM_RAND_READ). */
typedef enum { SCN_HINT_NORMAL, SCN_HINT_SEQUENTIAL, SCN_HINT_RANDOM } ScnHint;

typedef struct {
    char *name;              /* unique among workloads */
    ScnWorkloadKind kind;    /* selects the fields that apply */
    guint vmo;               /* closed, open: index into ScnScenario.vmos; explicit:
                                SCN_NONE (each access names its VMO) */
    ScnAccessKind access;    /* closed, open */
    uint64_t pages;          /* closed, open: pages per access, >= 1 */
    ScnPattern pattern;      /* closed, open */
    uint64_t range_offset;   /* closed, open: first byte of the accessed range */
    uint64_t range_size;     /* closed, open: bytes in the range (resolved) */
    uint64_t start_ns;       /* closed, open: first access or arrival */
    guint threads;           /* closed: thread count; explicit, trace: n
                                thread_names; open: 0 */
    ScnDist think;           /* closed: pause between a thread's accesses */
    uint64_t access_limit;   /* closed: accesses per thread; 0 = until stop */
    ScnArrivalKind arrival;  /* open */
    double rate_per_s;       /* open, poisson: arrivals per second */
    uint64_t every_ns;       /* open, interval: gap between arrivals, > 0 */
    uint64_t count;          /* open: total arrivals; 0 = until stop */
    uint64_t max_in_flight;  /* open: arrivals whose access has not ended, at most;
                                an arrival beyond it is dropped and counted */
    char **thread_names;     /* explicit, trace: names in order of first use, or
                                as the trace workload lists them (NULL
                                terminated, owned); NULL otherwise */
    ScnAccess *accesses;     /* explicit: in file order (owned) */
    guint n_accesses;        /* explicit: length of @accesses */
    char *trace_file;        /* trace: the file, relative paths resolved against
                                the scenario's directory (owned) */
    ScnTraceMode trace_mode; /* trace */
    uint64_t trace_records;  /* trace: records in the file (counted by the loader) */
    ScnHint hint;            /* closed, open, explicit: the mapping's madvise hint
                                (adaptive policy's faults); default normal */
} ScnWorkload;

/* scn_access_kind_to_string: (transfer none) "fault", "read" or "commit". */
const char *scn_access_kind_to_string(ScnAccessKind kind);

/* scn_pattern_kind_to_string: (transfer none) "sequential", "strided", ... */
const char *scn_pattern_kind_to_string(ScnPatternKind kind);
