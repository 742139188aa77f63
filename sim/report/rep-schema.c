/* The native trace's schema (see rep-schema.h).
 *
 * Invariants:
 *  1. every event lists each key at most once, and at most REP_SCHEMA_MAX_FIELDS;
 *  2. names are plain ASCII identifiers, so they need no JSON escaping.
 */
#include "sim/report/rep-schema.h"

#include <string.h>

#define KEY_NAME(e, n, t) [REP_KEY_##e] = #n,
static const char *const key_names[REP_KEY_COUNT] = {REP_KEYS(KEY_NAME)};
#undef KEY_NAME

#define KEY_TYPE(e, n, t) [REP_KEY_##e] = REP_FIELD_##t,
static const RepFieldType key_types[REP_KEY_COUNT] = {REP_KEYS(KEY_TYPE)};
#undef KEY_TYPE

/* A required field, and one written only when it applies. */
#define R(k)                                                                                       \
    { REP_KEY_##k, FALSE }
#define O(k)                                                                                       \
    { REP_KEY_##k, TRUE }
#define EV(e, n, meaning, ...)                                                                     \
    [REP_EV_##e] = {#n,                                                                            \
                    meaning,                                                                       \
                    sizeof((RepSchemaField[]){__VA_ARGS__}) / sizeof(RepSchemaField),              \
                    {__VA_ARGS__}}
/* The counters after an operation (README: "counters"). */
#define COUNTERS O(OUTSTANDING), O(PORT), R(RESIDENT)

static const RepSchemaEvent events[REP_EV_COUNT] = {
    EV(ACCESS, access, "an access (`fault`, `read` or `commit`) starts", R(THREAD), R(KIND), R(VMO),
       R(OFFSET), R(LEN)),
    EV(REQUEST, request,
       "the page source sends a request to the provider (it becomes an outstanding head)", R(VMO),
       R(OFFSET), R(LEN), R(PROVIDER), R(THREAD), R(OUTSTANDING), R(PORT)),
    EV(COALESCE, coalesce,
       "a request starts inside an in-flight one and joins its overlap list: no provider call",
       R(THREAD), R(VMO), R(OFFSET), R(LEN)),
    EV(DEQUEUE, dequeue,
       "a packet (`READ` or `COMPLETE`) is read off the pager's port, by a worker or an action",
       R(PROVIDER), R(BY), R(VMO), R(CMD), R(OFFSET), R(LEN), R(PORT)),
    EV(SERVED, served,
       "a worker finished serving a READ (after its last supply, its failure, or a refusal)",
       R(PROVIDER), R(BY), R(VMO), R(OFFSET), R(LEN), R(STATUS)),
    EV(DEVICE_READ, device_read,
       "a worker's read reaches its device; it waits `queued_ns` for a slot, then is served for "
       "`service_ns`",
       R(DEVICE), R(PROVIDER), R(VMO), R(OFFSET), R(LEN), R(QUEUED_NS), R(SERVICE_NS)),
    EV(DEQUEUE_EMPTY, dequeue_empty, "a scripted dequeue found the port empty", R(PROVIDER)),
    EV(SUPPLY, supply, "a run of newly inserted pages is credited to the page source", R(VMO),
       R(OFFSET), R(LEN), R(BY), COUNTERS),
    EV(FAIL, fail, "outstanding requests in the range are failed", R(VMO), R(OFFSET), R(LEN),
       R(STATUS), R(BY), COUNTERS),
    EV(WAKE, wake, "a thread's `PageRequest::Wait` returned", R(THREAD), R(STATUS)),
    EV(CANCEL, cancel,
       "`Wait` returned a kill, suspend or timeout status and cancelled the request", R(THREAD),
       R(STATUS), COUNTERS),
    EV(DONE, done, "an access finished; `fault` is 1 if a page was missing", R(THREAD), R(KIND),
       R(STATUS), R(LATENCY_NS), R(FAULT)),
    EV(ACTION, action,
       "a timed action of the scenario, before what it causes (`zero` 1: a supply of zero markers)",
       R(DO), O(VMO), O(PROVIDER), O(THREAD), O(OFFSET), O(LEN), O(SIZE), O(ZERO)),
    EV(REFUSED, refused, "the action's call failed (e.g. a supply after the pager closed)", R(DO),
       R(STATUS)),
    EV(EVICT, evict, "pages removed by reclaim, without telling the page source", R(VMO), R(OFFSET),
       R(LEN), R(PAGES), R(RESIDENT)),
    EV(RESIZE, resize, "the VMO's size changed", R(VMO), R(FROM), R(TO), COUNTERS),
    EV(DETACH, detach,
       "the VMO was detached from its pager; a pager close detaches each of its VMOs (`by` is "
       "then `pager_close`)",
       R(VMO), O(BY), COUNTERS),
    EV(CLOSE, close, "the VMO was destroyed", R(VMO), COUNTERS),
    EV(PAGER_CLOSE, pager_close, "the pager handle was closed (an action, or after `pager_death`)",
       R(PROVIDER)),
    EV(PAGER_DEATH, pager_death, "the pager died at the scenario's `die_at`", R(PROVIDER)),
    EV(DROPPED, dropped,
       "an open-workload arrival found `max_in_flight` accesses in flight and started no thread",
       R(WORKLOAD), R(IN_FLIGHT)),
    EV(OVERTIME, overtime,
       "a waiting thread's `overtime_wait` expired and it keeps waiting (the kernel's warning); "
       "`expiry` counts from 1, `waited_ns` since the wait began",
       R(THREAD), R(VMO), R(EXPIRY), R(WAITED_NS)),
    EV(RECLAIM, reclaim,
       "memory pressure (a `memory` section) evicted `pages` pages of the VMO; `by` is "
       "`reclaimer`, `direct` or `insert`",
       R(BY), R(VMO), R(PAGES), R(RESIDENT)),
    EV(LOCK_WAIT, lock_wait,
       "`by` (a thread, a pager worker or `action`) was granted the VMO lock after waiting "
       "`waited_ns` behind other holders (only with a VMO lock cost)",
       R(VMO), R(BY), R(WAITED_NS)),
};

const RepSchemaEvent *rep_schema_event(RepEv ev) {
    g_return_val_if_fail((guint)ev < REP_EV_COUNT, NULL);
    return &events[ev];
}

const char *rep_key_name(RepKey key) {
    g_return_val_if_fail((guint)key < REP_KEY_COUNT, NULL);
    return key_names[key];
}

RepFieldType rep_key_type(RepKey key) {
    g_return_val_if_fail((guint)key < REP_KEY_COUNT, REP_FIELD_TYPE_COUNT);
    return key_types[key];
}

gboolean rep_ev_from_name(const char *name, size_t len, RepEv *out) {
    for (guint i = 0; i < REP_EV_COUNT; i++) {
        if (strncmp(events[i].name, name, len) == 0 && events[i].name[len] == '\0') {
            *out = (RepEv)i;
            return TRUE;
        }
    }
    return FALSE;
}

gboolean rep_key_from_name(const char *name, size_t len, RepKey *out) {
    for (guint i = 0; i < REP_KEY_COUNT; i++) {
        if (strncmp(key_names[i], name, len) == 0 && key_names[i][len] == '\0') {
            *out = (RepKey)i;
            return TRUE;
        }
    }
    return FALSE;
}

int rep_schema_field_index(RepEv ev, RepKey key) {
    const RepSchemaEvent *e = rep_schema_event(ev);
    for (guint i = 0; i < e->n_fields; i++)
        if (e->fields[i].key == key)
            return (int)i;
    return -1;
}

char *rep_schema_render_row(RepEv ev) {
    const RepSchemaEvent *e = rep_schema_event(ev);
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "| `%s` | ", e->name);
    for (guint i = 0; i < e->n_fields; i++)
        g_string_append_printf(s, "%s`%s`%s", i ? ", " : "", key_names[e->fields[i].key],
                               e->fields[i].optional ? "?" : "");
    g_string_append_printf(s, " | %s |", e->meaning);
    return g_string_free(s, FALSE);
}
