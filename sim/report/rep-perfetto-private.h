/* Internals of the Perfetto converter, shared by rep-perfetto.c (what each native
 * event draws) and rep-perfetto-out.c (the JSON writer, tracks, counters and the
 * window). Not for use outside sim/report/. */
#pragma once

#include "sim/report/rep-perfetto.h"
#include "sim/report/rep-sink.h"

#define PF_PID_THREADS  1  /* simulated threads */
#define PF_PID_WORKERS  2  /* pager workers */
#define PF_PID_SCENARIO 3  /* actions track and counters */
#define PF_FIRST_TID    10 /* tids never equal a pid */
#define PF_PAGE_SIZE    4096

typedef struct {
    char *name;     /* shown as the thread name */
    int pid;        /* PF_PID_* */
    int64_t tid;    /* unique over the whole trace */
    gboolean named; /* its metadata has been written */
} PfTrack;

typedef struct _PfVmo PfVmo;

typedef struct {
    PfTrack *track;         /* its thread track */
    gboolean in_access;     /* between access and done */
    gboolean access_drawn;  /* its B has been written */
    uint64_t access_t;      /* when the access began */
    char *kind;             /* fault, read or commit */
    char *access_vmo;       /* the access's VMO name */
    uint64_t access_offset; /* bytes */
    uint64_t access_len;    /* bytes */
    gboolean in_wait;       /* between request/coalesce and wake/cancel/done */
    gboolean wait_drawn;    /* its B has been written */
    uint64_t wait_t;        /* when the wait began */
    gboolean coalesced;     /* it joined an in-flight request */
    PfVmo *wait_vmo;        /* where it waits */
    uint64_t wait_offset;   /* bytes */
    uint64_t wait_len;      /* bytes */
    int64_t wait_left;      /* bytes not yet covered by supplies */
    uint64_t signal_flow;   /* the page_request_signal flow to end in its wait; 0 none */
    GArray *lanes;          /* an open-loop arrival's workload lanes (busy flags); or NULL */
    guint lane;             /* its lane in them */
} PfThread;

typedef struct {
    PfTrack *track;       /* its track (pid 2, or the actions track) */
    gboolean is_actions;  /* the "action" pseudo-worker */
    gboolean serving;     /* between dequeue of a READ and served */
    gboolean serve_drawn; /* its B has been written */
    uint64_t serve_t;     /* when the service began */
    char *serve_vmo;      /* what it serves */
    uint64_t serve_offset, serve_len;
    uint64_t last_t; /* its last supply or fail (fallback end of service) */
} PfWorker;

struct _PfVmo {
    char *name;          /* VMO name */
    GHashTable *waiters; /* page index -> GPtrArray of PfThread waiting on it */
    int64_t outstanding; /* last "outstanding" seen; -1 unknown */
    int64_t queued;      /* last "port" seen (its requests queued for the pager); -1 unknown */
    int64_t resident;    /* last "resident" seen; -1 unknown */
    int64_t outstanding_drawn, queued_drawn, resident_drawn; /* last values written; -1 none */
};

typedef struct {
    uint64_t id;    /* flow id */
    gboolean drawn; /* its start was written */
} PfFlow;

struct _RepPerfetto {
    RepSink *sink;      /* output */
    GString *line;      /* the event being formatted */
    gboolean has_args;  /* line has an open "args" object */
    guint64 n_events;   /* events written */
    uint64_t win_start; /* window */
    uint64_t win_end;
    gboolean opened;       /* the window has begun */
    gboolean closed;       /* the window has ended */
    uint64_t last_t;       /* time of the last native event */
    int64_t next_tid;      /* next tid to hand out */
    uint64_t next_flow;    /* next flow id */
    GHashTable *tracks;    /* name -> PfTrack (per pid: keys are "pid/name") */
    GHashTable *threads;   /* name -> PfThread */
    GHashTable *workers;   /* name -> PfWorker */
    GHashTable *vmos;      /* name -> PfVmo */
    GHashTable *queued;    /* "vmo/offset/len" -> PfFlow: requests not yet dequeued */
    PfTrack *actions;      /* the actions track */
    int64_t waiting;       /* threads in a wait */
    int64_t waiting_drawn; /* last value written; -1 none */
    GHashTable *lanes;     /* open-loop workload -> GArray of gboolean: lane busy */
    char *other_data;      /* the "otherData" JSON object (metadata); NULL none */
};

/* pf__release_lane: an open-loop arrival's access ended: its lane is free. */
void pf__release_lane(PfThread *th);

/* The JSON writer: an event is begun, given top-level fields, then args, then
 * ended. Strings are escaped. */
void pf__event(RepPerfetto *p, char ph, const char *name, uint64_t ts, int pid, int64_t tid);
void pf__field_str(RepPerfetto *p, const char *key, const char *v);
void pf__field_u64(RepPerfetto *p, const char *key, uint64_t v);
void pf__field_dur(RepPerfetto *p, uint64_t ns); /* "dur" of an 'X' event, as ts */
void pf__arg_str(RepPerfetto *p, const char *key, const char *v);
void pf__arg_u64(RepPerfetto *p, const char *key, uint64_t v);
void pf__arg_i64(RepPerfetto *p, const char *key, int64_t v);
void pf__end(RepPerfetto *p);

/* pf__track: (transfer none) the track @name in @pid, created on first use;
 * pf__use names it (metadata) the first time something is drawn on it. */
PfTrack *pf__track(RepPerfetto *p, int pid, const char *name);
void pf__use(RepPerfetto *p, PfTrack *tr);

/* Shapes drawn on a track: slice begin and end, a zero-length slice's begin
 * (end it with pf__end_slice), an instant, and the ends of a flow. */
void pf__begin_slice(RepPerfetto *p, PfTrack *tr, const char *name, uint64_t ts);
void pf__end_slice(RepPerfetto *p, PfTrack *tr, uint64_t ts);
void pf__instant(RepPerfetto *p, PfTrack *tr, const char *name, uint64_t ts);
void pf__global_instant(RepPerfetto *p, const char *name, uint64_t ts);
void pf__flow(RepPerfetto *p, PfTrack *tr, char ph, const char *name, uint64_t id, uint64_t ts);

/* Counters: written when the value differs from the last one written. */
void pf__counter(RepPerfetto *p, const char *name, const char *key, int64_t v, int64_t *drawn,
                 uint64_t ts);
void pf__counters_all(RepPerfetto *p, uint64_t ts);

/* The window: pf__live() advances it to @t and says whether @t is drawn. */
gboolean pf__live(RepPerfetto *p, uint64_t t);
void pf__close_all(RepPerfetto *p, uint64_t ts);

/* State of threads, workers, VMOs and providers (rep-perfetto.c). Lookups create
 * what they do not find. @live says whether the event at hand is drawn. */
PfThread *pf__get_thread(RepPerfetto *p, const char *name);
PfWorker *pf__get_worker(RepPerfetto *p, const char *by);
PfVmo *pf__get_vmo(RepPerfetto *p, const char *name);
void pf__draw_access(RepPerfetto *p, PfThread *th);
void pf__enter_wait(RepPerfetto *p, PfThread *th, const RepEvent *e, gboolean coalesced,
                    gboolean live);
void pf__leave_wait(RepPerfetto *p, PfThread *th, uint64_t ts, const char *status, gboolean live);
void pf__end_service(RepPerfetto *p, PfWorker *wk, uint64_t ts, const char *status, gboolean live);

/* Drawing of the open slices of a thread or worker (rep-perfetto.c): begun no
 * earlier than the window's start, ended at @ts. */
void pf__thread_draw_open(RepPerfetto *p, PfThread *th);
void pf__thread_close(RepPerfetto *p, PfThread *th, uint64_t ts);
void pf__worker_draw_open(RepPerfetto *p, PfWorker *wk);
void pf__worker_close(RepPerfetto *p, PfWorker *wk, uint64_t ts);
