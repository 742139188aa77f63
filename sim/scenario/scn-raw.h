/* The scenario as the first pass leaves it: every object checked on its own, with
 * references still spelled as names. The second pass (scn-resolve.c) checks the
 * relations, resolves names to indices and moves the public parts into a
 * ScnScenario. Internal to sim/scenario/.
 */
#pragma once

#include "sim/scenario/scn-private.h"
#include "sim/scenario/scn-scenario.h"

typedef struct {
    ScnVmo pub;       /* resident is filled by the resolver */
    char *provider;   /* provider name, NULL when absent */
    GArray *resident; /* ScnRange, in file order */
} ScnRawVmo;

typedef struct {
    ScnAccess pub; /* thread and vmo are filled by the resolver */
    char *thread;  /* thread name */
    char *vmo;     /* VMO name */
} ScnRawAccess;

typedef struct {
    ScnWorkload pub;  /* vmo, thread_names and accesses filled by the resolver */
    char *vmo;        /* closed, open: VMO name */
    GArray *accesses; /* explicit: ScnRawAccess */
} ScnRawWorkload;

typedef struct {
    ScnAction pub;  /* indices filled by the resolver */
    char *vmo;      /* VMO name, NULL when absent */
    char *provider; /* provider name, NULL when absent */
    char *thread;   /* thread name, NULL when absent */
} ScnRawAction;

typedef struct {
    ScnScenario sc;      /* scalars parsed in place; arrays filled by the resolver */
    GArray *providers;   /* ScnProvider (device_name resolved in place) */
    GArray *devices;     /* ScnDevice */
    GArray *vmos;        /* ScnRawVmo */
    GArray *workloads;   /* ScnRawWorkload */
    GArray *actions;     /* ScnRawAction */
    GHashTable *threads; /* resolver scratch: explicit thread name -> ScnThreadRef* */
} ScnRaw;

/* scn__raw_new: (transfer full) an empty ScnRaw with every default set. */
ScnRaw *scn__raw_new(void);
void scn__raw_free(ScnRaw *raw);

/* scn__raw_access_array: (transfer full) an empty array of ScnRawAccess. */
GArray *scn__raw_access_array(void);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScnRaw, scn__raw_free)

/* First pass, per section (scn-parse-*.c): checks @root into @raw. */
gboolean scn__parse_top(ScnCtx *ctx, json_t *root, ScnRaw *raw, GError **error);
gboolean scn__parse_device(ScnCtx *ctx, json_t *elem, void *item, GError **error);
gboolean scn__resolve_devices(ScnCtx *ctx, ScnRaw *raw, GError **error);
const ScnDevice *scn__device_preset(ScnDeviceKind kind);
void scn__device_clear(ScnDevice *d);
gboolean scn__parse_provider(ScnCtx *ctx, json_t *elem, void *item, GError **error);
gboolean scn__parse_vmo(ScnCtx *ctx, json_t *elem, void *item, GError **error);
gboolean scn__parse_workload(ScnCtx *ctx, json_t *elem, void *item, GError **error);
gboolean scn__parse_action(ScnCtx *ctx, json_t *elem, void *item, GError **error);
gboolean scn__parse_memory(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                           GError **error);

/* Second pass (scn-resolve*.c): checks relations and builds the scenario.
 * Returns (transfer full) the scenario, or NULL with an error. */
ScnScenario *scn__resolve(ScnCtx *ctx, ScnRaw *raw, GError **error);

/* Helpers of the second pass shared between its files. */
typedef gboolean (*ScnCheckFn)(ScnCtx *ctx, ScnRaw *raw, guint i, GError **error);
gboolean scn__resolve_each(ScnCtx *ctx, ScnRaw *raw, const char *section, guint n, ScnCheckFn check,
                           GError **error);
gboolean scn__check_workload(ScnCtx *ctx, ScnRaw *raw, guint i, GError **error);
gboolean scn__resolve_actions(ScnCtx *ctx, ScnRaw *raw, GError **error);
uint64_t scn__vmo_max_size(const ScnRaw *raw, guint vmo);
guint scn__find_vmo(const ScnRaw *raw, const char *name);
guint scn__find_provider(const ScnRaw *raw, const char *name);
gboolean scn__check_range(ScnCtx *ctx, const ScnRaw *raw, guint vmo, uint64_t offset,
                          uint64_t length, gboolean max_size, GError **error);
gboolean scn__reference_error(ScnCtx *ctx, GError **error, const char *what, const char *name,
                              const char *const *names);

/* Trace workloads (scn-parse-trace.c): the keys, and the second pass that
 * reads the file through once. */
extern const ScnField scn__trace_fields[];
gboolean scn__check_trace(ScnCtx *ctx, ScnRaw *raw, guint wi, GError **error);

/* Kernel costs given as a duration or a distribution (scn-parse-kernel.c); the
 * argument selects which cost of the ScnKernel target. */
typedef struct {
    gsize dist_offset, ns_offset; /* within ScnKernel */
} ScnKernelCost;
extern const ScnKernelCost scn__fault_entry_cost, scn__wake_latency_cost;
extern const ScnKernelCost scn__walk_page_cost, scn__unlock_to_wait_cost, scn__supply_page_cost;
gboolean scn__parse_kernel_cost(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                                GError **error);

/* Destructors of the public element types (scn-load.c); accept half-built items. */
void scn__provider_clear(ScnProvider *p);
void scn__vmo_clear(ScnVmo *v);
void scn__workload_clear(ScnWorkload *w);
