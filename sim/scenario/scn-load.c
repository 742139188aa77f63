/* Loading a scenario: read the file, parse the JSON, apply overrides, run the two
 * validation passes, and hand out the result. Also the destructors and the
 * enum spellings of the public structs.
 *
 * Invariants:
 * 1. A load either returns a fully validated scenario or NULL with exactly one
 *    error; nothing is printed.
 * 2. Syntax errors carry jansson's line and column; no other error does.
 */
#include "sim/scenario/scn-raw.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define MAX_FILE_BYTES (256u << 20)

/* G_DEFINE_QUARK stringifies its first argument as written. */
/* clang-format off */
G_DEFINE_QUARK(scn-error-quark, scn_error)
/* clang-format on */

static const char *const provider_kind_names[] = {"pager", "sync", "scripted"};
static const char *const supply_mode_names[] = {"whole", "pages", "chunks"};
static const char *const action_names[] = {"supply", "fail",    "dequeue", "evict",
                                           "resize", "detach",  "close",   "pager_close",
                                           "kill",   "suspend", "resume"};
static const char *const pattern_names[] = {"sequential", "strided", "uniform", "zipf"};

G_STATIC_ASSERT(G_N_ELEMENTS(provider_kind_names) == SCN_PROVIDER_KIND_COUNT);
G_STATIC_ASSERT(G_N_ELEMENTS(supply_mode_names) == SCN_SUPPLY_MODE_COUNT);
G_STATIC_ASSERT(G_N_ELEMENTS(action_names) == SCN_ACTION_KIND_COUNT);
G_STATIC_ASSERT(G_N_ELEMENTS(pattern_names) == SCN_PATTERN_KIND_COUNT);

/* Spellings of the public enums, as the file writes them; the static asserts
 * above keep the tables and the enums in step. */
const char *scn_provider_kind_to_string(ScnProviderKind kind) {
    g_return_val_if_fail(kind < SCN_PROVIDER_KIND_COUNT, "?");
    return provider_kind_names[kind];
}

const char *scn_supply_mode_to_string(ScnSupplyMode mode) {
    g_return_val_if_fail(mode < SCN_SUPPLY_MODE_COUNT, "?");
    return supply_mode_names[mode];
}

const char *scn_action_kind_to_string(ScnActionKind kind) {
    g_return_val_if_fail(kind < SCN_ACTION_KIND_COUNT, "?");
    return action_names[kind];
}

const char *scn_access_kind_to_string(ScnAccessKind kind) {
    g_return_val_if_fail(kind < SCN_ACCESS_KIND_COUNT, "?");
    return scn__access_names[kind];
}

const char *scn_pattern_kind_to_string(ScnPatternKind kind) {
    g_return_val_if_fail(kind < SCN_PATTERN_KIND_COUNT, "?");
    return pattern_names[kind];
}

/* The element destructors leave the element owning nothing, so the raw and
 * the public arrays may both call them on an element that has been moved. */
void scn__provider_clear(ScnProvider *p) {
    g_free(p->name);
    scn_dist_clear(&p->latency);
    g_free(p->device_name);
    p->device_name = NULL;
    p->name = NULL;
}

void scn__vmo_clear(ScnVmo *v) {
    g_free(v->name);
    g_free(v->resident);
    v->name = NULL;
    v->resident = NULL;
}

void scn__workload_clear(ScnWorkload *w) {
    g_free(w->name);
    scn_dist_clear(&w->think);
    g_strfreev(w->thread_names);
    g_free(w->accesses);
    g_free(w->trace_file);
    w->trace_file = NULL;
    w->name = NULL;
    w->thread_names = NULL;
    w->accesses = NULL;
}

/* Frees every element, then the arrays, then the scenario. */
void scn_scenario_free(ScnScenario *sc) {
    if (sc == NULL)
        return;
    g_free(sc->name);
    g_free(sc->description);
    g_free(sc->source);
    scn_policy_clear(&sc->policy);
    scn_dist_clear(&sc->kernel.fault_entry);
    scn_dist_clear(&sc->kernel.wake_latency);
    scn_dist_clear(&sc->kernel.walk_page);
    scn_dist_clear(&sc->kernel.unlock_to_wait);
    scn_dist_clear(&sc->kernel.supply_page);
    for (guint i = 0; i < sc->n_providers; i++)
        scn__provider_clear(&sc->providers[i]);
    for (guint i = 0; i < sc->n_vmos; i++)
        scn__vmo_clear(&sc->vmos[i]);
    for (guint i = 0; i < sc->n_workloads; i++)
        scn__workload_clear(&sc->workloads[i]);
    for (guint i = 0; i < sc->n_devices; i++)
        scn__device_clear(&sc->devices[i]);
    g_free(sc->devices);
    g_free(sc->providers);
    g_free(sc->vmos);
    g_free(sc->workloads);
    g_free(sc->actions);
    g_free(sc);
}

/* The new policy is parsed completely before the old one is dropped, so a
 * bad --policy leaves the scenario as it was. */
gboolean scn_scenario_set_policy(ScnScenario *sc, const char *spec, GError **error) {
    ScnPolicy p;

    g_return_val_if_fail(sc != NULL && spec != NULL, FALSE);
    g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
    if (!scn_policy_parse(spec, &p, error))
        return FALSE;
    scn_policy_clear(&sc->policy);
    sc->policy = p;
    return TRUE;
}

/* The default scenario name: the file's basename without ".json", with any
 * character a name may not hold replaced by '-'. */
static char *default_name(const char *source) {
    g_autofree char *base = g_path_get_basename(source);
    GString *out = g_string_new(NULL);

    if (g_str_has_suffix(base, ".json"))
        base[strlen(base) - 5] = '\0';
    for (const char *p = base; *p != '\0' && out->len < 64; p++)
        g_string_append_c(out, g_ascii_isalnum(*p) || strchr("_-.", *p) ? *p : '-');
    if (out->len == 0 || out->str[0] == '.')
        g_string_prepend(out, "scenario");
    return g_string_free(out, FALSE);
}

/* Whether @data holds nothing but JSON whitespace. */
static gboolean is_blank(const char *data, gsize len) {
    for (gsize i = 0; i < len; i++) {
        if (strchr(" \t\r\n", data[i]) == NULL || data[i] == '\0')
            return FALSE;
    }
    return TRUE;
}

/* Parses @data into a JSON value, reporting syntax errors with line and column. */
static json_t *parse_json(const char *source, const char *data, gsize len, GError **error) {
    json_error_t jerr;
    json_t *root;

    if (is_blank(data, len)) {
        g_set_error(error, SCN_ERROR, SCN_ERROR_SYNTAX,
                    "%s: the file is empty (expected a JSON "
                    "object)",
                    source);
        return NULL;
    }
    root = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (root == NULL)
        g_set_error(error, SCN_ERROR, SCN_ERROR_SYNTAX, "%s:%d:%d: %s", source, jerr.line,
                    jerr.column, jerr.text);
    return root;
}

/* The pipeline: syntax, overrides, first pass (each object), the default
 * name, second pass (relations). The JSON tree and the raw form are freed on
 * every path; only a fully resolved scenario leaves this function. */
ScnScenario *scn_scenario_load_data(const char *data, gsize len, const char *source_name,
                                    const char *const *overrides, GError **error) {
    g_autoptr(ScnRaw) raw = NULL;
    json_auto_t *root = NULL;
    ScnCtx ctx;
    ScnScenario *sc = NULL;

    g_return_val_if_fail(data != NULL || len == 0, NULL);
    g_return_val_if_fail(source_name != NULL, NULL);
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    root = parse_json(source_name, data != NULL ? data : "", len, error);
    if (root == NULL)
        return NULL;
    scn__ctx_init(&ctx, source_name);
    raw = scn__raw_new();
    if (scn__apply_overrides(&ctx, root, overrides, error) &&
        scn__parse_top(&ctx, root, raw, error)) {
        if (raw->sc.name == NULL)
            raw->sc.name = default_name(source_name);
        raw->sc.source = g_strdup(source_name);
        sc = scn__resolve(&ctx, raw, error);
    }
    scn__ctx_clear(&ctx);
    g_debug("loaded %s: %s", source_name, sc != NULL ? "ok" : "failed");
    return sc;
}

/* Reads the whole of @path; the message names the file and the system's reason. */
static char *read_file(const char *path, gsize *len, GError **error) {
    g_autoptr(GString) buf = g_string_new(NULL);
    char chunk[65536];
    FILE *f = fopen(path, "rb");
    gsize n;
    int err = 0;

    if (f == NULL) {
        err = errno;
        g_set_error(error, SCN_ERROR, SCN_ERROR_IO, "%s: cannot open: %s", path, g_strerror(err));
        return NULL;
    }
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && buf->len <= MAX_FILE_BYTES)
        g_string_append_len(buf, chunk, (gssize)n);
    if (ferror(f))
        err = errno != 0 ? errno : EIO;
    fclose(f);
    if (err != 0)
        g_set_error(error, SCN_ERROR, SCN_ERROR_IO, "%s: cannot read: %s", path, g_strerror(err));
    else if (buf->len > MAX_FILE_BYTES)
        g_set_error(error, SCN_ERROR, SCN_ERROR_IO, "%s: the file is larger than %u MiB", path,
                    MAX_FILE_BYTES >> 20);
    if (err != 0 || buf->len > MAX_FILE_BYTES)
        return NULL;
    *len = buf->len;
    return g_string_free(g_steal_pointer(&buf), FALSE);
}

/* Reading and loading are separate so that tests and tools can load text
 * that never was a file (scn_scenario_load_data). */
ScnScenario *scn_scenario_load_file(const char *path, const char *const *overrides,
                                    GError **error) {
    g_autofree char *data = NULL;
    gsize len = 0;

    g_return_val_if_fail(path != NULL, NULL);
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    data = read_file(path, &len, error);
    if (data == NULL)
        return NULL;
    return scn_scenario_load_data(data, len, path, overrides, error);
}
