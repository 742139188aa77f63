/* A scenario, loaded from JSON and fully validated into plain C structs.
 *
 * scn_scenario_load_file() reads the file, applies PATH=VALUE overrides to the
 * document, checks every field (types, units, ranges, unknown and missing keys,
 * names and references, ranges within VMOs) and returns a ScnScenario in which
 * every default is filled in, every name is resolved to an index, every duration
 * is uint64 ns and every size uint64 bytes. Nothing in it refers to JSON. The
 * format itself is documented in scenarios/README.md.
 *
 * Errors are reported in SCN_ERROR (scn-error.h): the first problem found stops
 * the load. Checking order: the file is read and parsed (SCN_ERROR_IO,
 * SCN_ERROR_SYNTAX), overrides are applied in order (SCN_ERROR_OVERRIDE), then the
 * document is walked in file order (each object's keys in the order written;
 * missing required keys of an object are reported after its other keys), then
 * names and references are resolved: providers, VMOs, workloads, actions.
 */
#pragma once

#include "sim/scenario/scn-dist.h"
#include "sim/scenario/scn-error.h"
#include "sim/scenario/scn-policy.h"
#include "sim/scenario/scn-status.h"
#include "sim/scenario/scn-units.h"
#include "sim/scenario/scn-workload.h"

#include <glib.h>
#include <stdint.h>

typedef enum {
    SCN_PROVIDER_PAGER,    /* userspace pager: worker pool, latency, supply shape */
    SCN_PROVIDER_SYNC,     /* answers synchronously, inside GetPage */
    SCN_PROVIDER_SCRIPTED, /* does nothing by itself: dequeue/supply/fail actions */
    SCN_PROVIDER_KIND_COUNT
} ScnProviderKind;

typedef enum {
    SCN_SUPPLY_WHOLE,  /* one supply call for the whole request */
    SCN_SUPPLY_PAGES,  /* one supply call per page */
    SCN_SUPPLY_CHUNKS, /* one supply call per @supply_chunk bytes */
    SCN_SUPPLY_MODE_COUNT
} ScnSupplyMode;

typedef struct {
    char *name;                 /* unique among providers */
    ScnProviderKind kind;       /* selects the fields that apply */
    guint workers;              /* pager: requests served at once, >= 1 */
    ScnDist latency;            /* pager: service time drawn per request */
    uint64_t per_page_ns;       /* pager: added per page of the request */
    ScnSupplyMode supply_mode;  /* pager: how a served request is supplied */
    uint64_t supply_chunk;      /* pager, chunks: bytes per supply call */
    uint64_t supply_cluster;    /* pager: 0, or a power-of-two page multiple: the
                                   supplied range is widened to aligned clusters */
    double failure_probability; /* pager: chance a request is failed, 0..1 */
    int64_t failure_status;     /* pager: the zx status of those failures */
    uint64_t die_at_ns;         /* pager: dispatcher close time; SCN_NEVER */
    uint64_t cost_ns;           /* sync: time GetPage spends */
    char *device_name;          /* pager: the device it reads from, or NULL */
    guint device;               /* pager: index into ScnScenario.devices; SCN_NONE */
} ScnProvider;

typedef enum {
    SCN_DEVICE_NONE,     /* no device: the provider's latency alone (the default) */
    SCN_DEVICE_NVME,     /* flash behind NVMe: many requests in service at once */
    SCN_DEVICE_SATA_SSD, /* flash behind SATA: few in service, 500 MB/s link */
    SCN_DEVICE_HDD,      /* one arm: seek by distance, rotational delay */
    SCN_DEVICE_KIND_COUNT
} ScnDeviceKind;

/* A storage device shared by the pagers naming it (sim/model/mdl-device.h).
 * Fields the file leaves out take the kind's preset (scenarios/README.md). */
typedef struct {
    char *name;            /* unique among devices */
    ScnDeviceKind kind;    /* selects the preset and the positioning model */
    guint queue_depth;     /* requests in service at once, >= 1 */
    uint64_t request_ns;   /* paid by every request */
    uint64_t position_ns;  /* flash: paid by a random (non-sequential) request */
    double bandwidth_mbps; /* transfer rate, 10^6 bytes/s, > 0 */
    uint64_t settle_ns;    /* hdd: seek time of the shortest seek */
    uint64_t stroke_ns;    /* hdd: seek = settle + stroke * sqrt(distance / span) */
    uint64_t span;         /* hdd: bytes of a full stroke (the disk's capacity) */
    guint rpm;             /* hdd: rotation speed; delay uniform over one turn */
    gboolean has_latency;  /* a latency distribution is added per request */
    ScnDist latency;       /* that distribution (for the tail) */
} ScnDevice;

typedef struct {
    uint64_t offset; /* first byte, page aligned */
    uint64_t length; /* bytes, page multiple */
} ScnRange;

typedef struct {
    char *name;         /* unique among VMOs */
    uint64_t size;      /* bytes, page multiple, > 0 */
    guint provider;     /* index into ScnScenario.providers; SCN_NONE for a VMO
                           with no page source (anonymous memory) */
    ScnRange *resident; /* ranges present at t = 0, in file order (owned) */
    guint n_resident;   /* length of @resident */
} ScnVmo;

typedef enum {
    SCN_ACTION_SUPPLY,      /* zx_pager_supply_pages(vmo, offset, length) */
    SCN_ACTION_FAIL,        /* ZX_PAGER_OP_FAIL(vmo, offset, length, status) */
    SCN_ACTION_DEQUEUE,     /* a scripted provider reads one packet off its port */
    SCN_ACTION_EVICT,       /* the kernel evicts pages without telling the source */
    SCN_ACTION_RESIZE,      /* zx_vmo_set_size(vmo, size) */
    SCN_ACTION_DETACH,      /* zx_pager_detach_vmo(vmo) */
    SCN_ACTION_CLOSE,       /* the last VMO handle is closed */
    SCN_ACTION_PAGER_CLOSE, /* the provider's pager handle is closed */
    SCN_ACTION_KILL,        /* the thread is killed */
    SCN_ACTION_SUSPEND,     /* the thread is suspended */
    SCN_ACTION_RESUME,      /* the thread is resumed */
    SCN_ACTION_KIND_COUNT
} ScnActionKind;

typedef struct {
    guint workload; /* index into ScnScenario.workloads (closed or explicit) */
    guint index;    /* closed: thread number; explicit: index into thread_names */
} ScnThreadRef;

typedef struct {
    uint64_t at_ns;      /* when it happens */
    ScnActionKind kind;  /* selects the fields that apply */
    guint src_index;     /* position in the file's "actions" array */
    guint vmo;           /* supply .. close: VMO index; else SCN_NONE */
    guint provider;      /* dequeue, pager_close: provider index; raw fail: the
                            pager issuing the op; else SCN_NONE */
    ScnThreadRef thread; /* kill, suspend, resume */
    uint64_t offset;     /* supply, fail, evict: first byte */
    uint64_t length;     /* supply, fail, evict: bytes (fail may be 0) */
    uint64_t size;       /* resize: the new size in bytes */
    int64_t status;      /* fail: the zx status (or raw data value) */
    gboolean raw;        /* fail: arguments unchecked, for the syscall checks */
    gboolean zero;       /* supply: insert zero markers instead of pages */
} ScnAction;

typedef struct {
    uint64_t fault_entry_ns;   /* time from an access to its first GetPage */
    uint64_t wake_latency_ns;  /* time from a signal to the woken thread running */
    uint64_t pager_timeout_ns; /* total wait before ZX_ERR_TIMED_OUT; 0 = never */
    uint64_t overtime_wait_ns; /* wait slice between timeout checks; 0 = infinite */
    ScnDist fault_entry;       /* fault_entry as a distribution (a constant unless the
                                  file gives one; then fault_entry_ns is its mean,
                                  at least 1 ns) */
    ScnDist wake_latency;      /* likewise for wake_latency_ns */
    /* The VMO lock's costs (0 = the lock is off; likewise a distribution's ns
     * is its mean, at least 1): */
    uint64_t walk_page_ns;      /* per page a walk examines, under the lock */
    uint64_t unlock_to_wait_ns; /* from dropping the lock to blocking in Wait */
    uint64_t supply_page_ns;    /* per page a supply inserts, under the lock */
    ScnDist walk_page, unlock_to_wait, supply_page;
} ScnKernel;

/* Reclaim policies of the "memory" section (scenarios/README.md). */
typedef enum {
    SCN_RECLAIM_LRU,         /* exact least recently used */
    SCN_RECLAIM_CLOCK,       /* second chance with a reference bit */
    SCN_RECLAIM_TWO_LIST,    /* Linux's active and inactive lists */
    SCN_RECLAIM_PAGE_QUEUES, /* Zircon's pager-backed age queues */
    SCN_RECLAIM_COUNT
} ScnReclaim;

/* The "memory" section: a capacity for the resident pages of every VMO with a
 * page source. Absent (enabled FALSE): memory is unbounded, as before. */
typedef struct {
    gboolean enabled;         /* the scenario has a "memory" section */
    uint64_t capacity;        /* bytes, a page multiple, >= one page */
    uint64_t low, high;       /* watermarks in bytes: low <= high <= capacity */
    uint64_t vmo_limit;       /* bytes per VMO; 0 = none */
    ScnReclaim reclaim;       /* the policy */
    uint64_t reclaim_cost_ns; /* time spent per page evicted */
    guint batch;              /* pages per reclaimer step and per direct reclaim */
    uint64_t aging_period_ns; /* page-queues: time between rotations */
    guint generations;        /* page-queues: age queues, 2..16 */
    guint shadows;            /* shadows kept, per page of capacity, 0..1024 */
} ScnMemory;

typedef struct {
    char *name;             /* from "name", or the file's basename */
    char *description;      /* may be empty, never NULL */
    char *source;           /* the file name as given to the loader */
    uint64_t seed;          /* RNG seed */
    ScnPolicy policy;       /* batching policy */
    uint64_t stop_time_ns;  /* horizon; SCN_NEVER = none */
    uint64_t stop_events;   /* event budget; 0 = none */
    uint64_t warmup_ns;     /* stop.warmup: figures cover [warmup_ns, end) */
    ScnKernel kernel;       /* kernel timing constants */
    ScnMemory memory;       /* the page cache's capacity and reclaim */
    ScnProvider *providers; /* in file order */
    guint n_providers;
    ScnDevice *devices; /* in file order */
    guint n_devices;
    ScnVmo *vmos; /* in file order */
    guint n_vmos;
    ScnWorkload *workloads; /* in file order */
    guint n_workloads;      /* at most SCN_MAX_WORKLOADS */
    ScnAction *actions;     /* sorted by at_ns, file order among equal times */
    guint n_actions;
} ScnScenario;

/* scn_scenario_load_file:
 * Loads @path and applies @overrides (nullable, NULL-terminated "PATH=VALUE"
 * strings, e.g. "providers[0].latency.mean=90us" or "$.seed=7") to the document
 * before validation. VALUE is JSON if it parses as JSON, else a string.
 * Returns (transfer full) the scenario; NULL with an SCN_ERROR otherwise. */
ScnScenario *scn_scenario_load_file(const char *path, const char *const *overrides, GError **error);

/* scn_scenario_load_data:
 * As scn_scenario_load_file() for @len bytes of @data; @source_name stands for
 * the file in messages and gives the default scenario name. */
ScnScenario *scn_scenario_load_data(const char *data, gsize len, const char *source_name,
                                    const char *const *overrides, GError **error);

/* scn_scenario_set_policy:
 * Replaces the policy of @sc with @spec (e.g. from --policy).
 * Returns TRUE on success; FALSE with SCN_ERROR_VALUE, @sc unchanged. */
gboolean scn_scenario_set_policy(ScnScenario *sc, const char *spec, GError **error);

/* The seed is a plain field: assign sc->seed to override it. */

/* scn_scenario_describe: appends to @out a multi-line human-readable summary of
 * what would run, with every default resolved and units spelled out. */
void scn_scenario_describe(const ScnScenario *sc, GString *out);

/* scn_scenario_to_json: (transfer full) @sc as a scenario file with every
 * default written out (durations in ns, sizes in bytes), which loads back into
 * the same scenario: `pagesim run DIR/scenario.json` repeats the run. */
char *scn_scenario_to_json(const ScnScenario *sc);

/* Names of the enumerations, as the file spells them. (transfer none) */
const char *scn_provider_kind_to_string(ScnProviderKind kind);
const char *scn_device_kind_to_string(ScnDeviceKind kind);
const char *scn_supply_mode_to_string(ScnSupplyMode mode);
const char *scn_action_kind_to_string(ScnActionKind kind);
const char *scn_reclaim_to_string(ScnReclaim reclaim);

/* scn_scenario_free: frees @sc and everything it owns. Accepts NULL. */
void scn_scenario_free(ScnScenario *sc);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScnScenario, scn_scenario_free)
