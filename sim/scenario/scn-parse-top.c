/* First pass over the top level of a scenario: name, description, seed, policy,
 * stop, kernel, and the four section arrays (each element is handed to its
 * section's parser). Also the lifetime of ScnRaw and its defaults.
 *
 * Invariant: a ScnRaw from scn__raw_new() already holds every top-level default,
 * so the walk only overwrites what the file states.
 */
#include "sim/scenario/scn-raw.h"

#include <string.h>

typedef struct {
    ScnElemFn fn; /* parser of one element */
    gsize max;    /* most elements allowed; 0: no limit */
} ArrayArg;

static const ScnU64Limits events_limits = {1, G_MAXINT64};
static const ScnU64Limits positive = {1, SCN_NEVER - 1};

static const ArrayArg providers_arg = {scn__parse_provider, 0};
static const ArrayArg devices_arg = {scn__parse_device, 0};
static const ArrayArg vmos_arg = {scn__parse_vmo, 0};
static const ArrayArg workloads_arg = {scn__parse_workload, SCN_MAX_WORKLOADS};
static const ArrayArg actions_arg = {scn__parse_action, 0};

/* Walks a section array into the GArray at @field. */
static gboolean parse_array(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                            GError **error) {
    const ArrayArg *a = arg;
    if (a->max && json_is_array(value) && json_array_size(value) > a->max)
        return scn__fail(ctx, error, SCN_ERROR_VALUE, "has %zu elements; at most %zu are supported",
                         json_array_size(value), a->max);
    return scn__walk_array(ctx, value, *(GArray **)field, a->fn, error);
}

/* A seed is an integer >= 0, or a string of decimal digits for the full uint64
 * range (JSON integers stop at 2^63 - 1 here). */
static gboolean parse_seed(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                           GError **error) {
    guint64 v = 0;
    const char *s;

    if (json_is_integer(value) && json_integer_value(value) >= 0) {
        *(uint64_t *)field = (uint64_t)json_integer_value(value);
        return TRUE;
    }
    if (json_is_integer(value))
        return scn__fail(ctx, error, SCN_ERROR_VALUE, "must not be negative");
    if (!json_is_string(value))
        return scn__type_error(ctx, error, "an integer", value);
    s = json_string_value(value);
    if (!g_ascii_isdigit(*s) || !g_ascii_string_to_unsigned(s, 10, 0, G_MAXUINT64, &v, NULL))
        return scn__fail(ctx, error, SCN_ERROR_VALUE,
                         "bad seed \"%s\" (expected a decimal integer from 0 to 2^64 - 1)", s);
    *(uint64_t *)field = v;
    return TRUE;
}

/* The policy is parsed here, not only stored, so a bad spec is reported at
 * $.policy like any other value. */
static gboolean parse_policy(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                             GError **error) {
    g_autoptr(GError) local = NULL;
    ScnPolicy p;

    if (!json_is_string(value))
        return scn__type_error(ctx, error, "a string such as \"fuchsia\"", value);
    if (!scn_policy_parse(json_string_value(value), &p, &local))
        return scn__fail(ctx, error, SCN_ERROR_VALUE, "%s", local->message);
    scn_policy_clear(field);
    *(ScnPolicy *)field = p;
    return TRUE;
}

static const ScnField stop_fields[] = {
    SCN_OPT("time", scn__parse_duration, ScnScenario, stop_time_ns, &positive),
    SCN_OPT("events", scn__parse_u64, ScnScenario, stop_events, &events_limits),
    SCN_OPT("warmup", scn__parse_duration, ScnScenario, warmup_ns, NULL),
    SCN_END,
};

static const ScnField kernel_fields[] = {
    SCN_OPT_SELF("fault_entry", scn__parse_kernel_cost, &scn__fault_entry_cost),
    SCN_OPT_SELF("wake_latency", scn__parse_kernel_cost, &scn__wake_latency_cost),
    SCN_OPT_SELF("walk_page", scn__parse_kernel_cost, &scn__walk_page_cost),
    SCN_OPT_SELF("unlock_to_wait", scn__parse_kernel_cost, &scn__unlock_to_wait_cost),
    SCN_OPT_SELF("supply_page", scn__parse_kernel_cost, &scn__supply_page_cost),
    SCN_OPT("pager_timeout", scn__parse_duration, ScnKernel, pager_timeout_ns, NULL),
    SCN_OPT("overtime_wait", scn__parse_duration, ScnKernel, overtime_wait_ns, NULL),
    SCN_END,
};

static const ScnField top_fields[] = {
    SCN_OPT("name", scn__parse_name, ScnRaw, sc.name, NULL),
    SCN_OPT("description", scn__parse_string, ScnRaw, sc.description, NULL),
    SCN_OPT("seed", parse_seed, ScnRaw, sc.seed, NULL),
    SCN_OPT("policy", parse_policy, ScnRaw, sc.policy, NULL),
    SCN_OPT("stop", scn__parse_object, ScnRaw, sc, stop_fields),
    SCN_OPT("kernel", scn__parse_object, ScnRaw, sc.kernel, kernel_fields),
    SCN_OPT("devices", parse_array, ScnRaw, devices, &devices_arg),
    SCN_OPT("memory", scn__parse_memory, ScnRaw, sc.memory, NULL),
    SCN_OPT("providers", parse_array, ScnRaw, providers, &providers_arg),
    SCN_OPT("vmos", parse_array, ScnRaw, vmos, &vmos_arg),
    SCN_OPT("workloads", parse_array, ScnRaw, workloads, &workloads_arg),
    SCN_OPT("actions", parse_array, ScnRaw, actions, &actions_arg),
    SCN_END,
};

/* The root must be an object; JSON_DECODE_ANY lets the parser accept any
 * value so that this check can give a message with a path. */
gboolean scn__parse_top(ScnCtx *ctx, json_t *root, ScnRaw *raw, GError **error) {
    if (!json_is_object(root))
        return scn__fail(ctx, error, SCN_ERROR_TYPE, "the top level must be an object, got %s",
                         scn__type_name(root));
    return scn__walk_object(ctx, root, top_fields, raw, NULL, error);
}

static void provider_clear(gpointer p) { scn__provider_clear(p); }

static void device_clear(gpointer d) { scn__device_clear(d); }

static void raw_vmo_clear(gpointer p) {
    ScnRawVmo *v = p;

    scn__vmo_clear(&v->pub);
    g_free(v->provider);
    if (v->resident != NULL)
        g_array_unref(v->resident);
}

static void raw_access_clear(gpointer p) {
    ScnRawAccess *a = p;

    g_free(a->thread);
    g_free(a->vmo);
}

static void raw_workload_clear(gpointer p) {
    ScnRawWorkload *w = p;

    scn__workload_clear(&w->pub);
    g_free(w->vmo);
    if (w->accesses != NULL)
        g_array_unref(w->accesses);
}

static void raw_action_clear(gpointer p) {
    ScnRawAction *a = p;

    g_free(a->vmo);
    g_free(a->provider);
    g_free(a->thread);
}

/* Makes an empty array of @size-byte items cleared by @clear. */
static GArray *item_array(gsize size, GDestroyNotify clear) {
    GArray *a = g_array_new(FALSE, TRUE, (guint)size);

    g_array_set_clear_func(a, clear);
    return a;
}

/* The top-level defaults live here, in one place (README: "Top level"). */
ScnRaw *scn__raw_new(void) {
    ScnRaw *raw = g_new0(ScnRaw, 1);

    raw->sc.seed = 1;
    if (!scn_policy_parse(SCN_POLICY_DEFAULT, &raw->sc.policy, NULL))
        g_assert_not_reached();
    raw->sc.stop_time_ns = SCN_NEVER;
    raw->sc.kernel.pager_timeout_ns = 300 * SCN_SEC;
    raw->sc.kernel.overtime_wait_ns = 20 * SCN_SEC;
    raw->providers = item_array(sizeof(ScnProvider), provider_clear);
    raw->vmos = item_array(sizeof(ScnRawVmo), raw_vmo_clear);
    raw->devices = item_array(sizeof(ScnDevice), device_clear);
    raw->workloads = item_array(sizeof(ScnRawWorkload), raw_workload_clear);
    raw->actions = item_array(sizeof(ScnRawAction), raw_action_clear);
    raw->threads = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    return raw;
}

/* The access arrays of explicit workloads use this clear function too. */
GArray *scn__raw_access_array(void) { return item_array(sizeof(ScnRawAccess), raw_access_clear); }

/* Frees whatever the passes left in @raw: everything on failure, only the
 * raw-only parts after a successful move. */
void scn__raw_free(ScnRaw *raw) {
    if (raw == NULL)
        return;
    g_free(raw->sc.name);
    g_free(raw->sc.description);
    g_free(raw->sc.source);
    scn_policy_clear(&raw->sc.policy);
    scn_dist_clear(&raw->sc.kernel.fault_entry);
    scn_dist_clear(&raw->sc.kernel.wake_latency);
    scn_dist_clear(&raw->sc.kernel.walk_page);
    scn_dist_clear(&raw->sc.kernel.unlock_to_wait);
    scn_dist_clear(&raw->sc.kernel.supply_page);
    g_clear_pointer(&raw->providers, g_array_unref);
    g_clear_pointer(&raw->vmos, g_array_unref);
    g_clear_pointer(&raw->devices, g_array_unref);
    g_clear_pointer(&raw->workloads, g_array_unref);
    g_clear_pointer(&raw->actions, g_array_unref);
    g_clear_pointer(&raw->threads, g_hash_table_unref);
    g_free(raw);
}
