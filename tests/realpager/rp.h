/* realpager: a scenario's closed workload run for real on Linux, against a
 * userspace pager built on userfaultfd, to hold pagesim's figures against a
 * real kernel (see README.md, "Checking the model against a real pager").
 *
 * Toucher threads make the scenario's accesses on memory registered with
 * userfaultfd (missing mode); pager threads read the fault messages, wait the
 * service time drawn from the provider's latency distribution and resolve each
 * page once with UFFDIO_COPY. Each toucher measures its own access latency
 * with CLOCK_MONOTONIC. Outputs are those of `pagesim run`: summary.json and
 * latency-histogram.tsv (through sim/report and the CLI's summary writer).
 */
#pragma once

#include "sim/engine/sim-dist.h"
#include "sim/engine/sim-rng.h"
#include "sim/model/mdl-pattern.h"
#include "sim/model/mdl-world.h"
#include "sim/report/rep-histogram.h"
#include "sim/scenario/scn-scenario.h"

#include <glib.h>
#include <stdatomic.h>
#include <stdint.h>

#define RP_EXIT_SKIP 77 /* meson's "skipped": userfaultfd is not available here */

/* Page states, one byte per page of every region. */
enum { RP_ABSENT = 0, RP_SERVING = 1, RP_PRESENT = 2 };

typedef struct {
    char *base;             /* the registered mapping */
    uint64_t size;          /* bytes */
    _Atomic uint8_t *state; /* per page: RP_ABSENT, RP_SERVING, RP_PRESENT */
} RpRegion;

typedef struct {
    const ScnScenario *sc; /* the checked scenario */
    guint provider;        /* the one pager provider */
    int uffd;              /* userfaultfd, nonblocking */
    int stop_fd;           /* eventfd that tells the pager threads to stop */
    RpRegion *regions;     /* per VMO */
    SimDist latency;       /* the provider's service time */
    SimDist *think;        /* per workload */
    MdlPattern *shared;    /* per workload: shared walker */
    SimRng *wl_rng;        /* per workload: its draws */
    GMutex shared_lock;    /* guards @shared and @wl_rng */
    uint64_t spin_ns;      /* pager threads: busy-wait before each service deadline */
    /* Figures, updated atomically by the pager threads. */
    _Atomic uint64_t messages, served, coalesced, eexist, busy_ns;
} RpRun;

/* The figures of one toucher thread, merged after the run. */
typedef struct {
    RepHistogram *latency; /* fault latency, ns */
    uint64_t accesses, faults;
} RpTally;

/* rp-time.c */
uint64_t rp_now_ns(void);
void rp_sleep_until(uint64_t deadline_ns, uint64_t spin_ns);
void rp_timer_slack_min(void);

/* rp-check.c: what of a scenario can run for real. FALSE with a message. */
gboolean rp_check_scenario(const ScnScenario *sc, guint *provider, GError **error);

/* rp-uffd.c */
gboolean rp_uffd_open(int *uffd, GError **error);
gboolean rp_region_map(RpRun *run, RpRegion *r, uint64_t size, GError **error);
void rp_region_unmap(RpRegion *r);
gboolean rp_supply(RpRun *run, RpRegion *r, uint64_t page, gboolean *existed, GError **error);

/* rp-run.c */
gboolean rp_run(RpRun *run, RpTally *total, uint64_t *elapsed_ns, GError **error);

/* rp-calibrate.c: measures fault entry and wake-after-copy costs, writes the
 * "kernel" fragment to @path. */
gboolean rp_calibrate(const char *path, guint samples, GError **error);
