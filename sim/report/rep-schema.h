/* The native trace's schema: every event of events.jsonl with its typed fields,
 * in the order they are written. It is the one description of the vocabulary:
 *  - the writer (rep-trace.h) takes events and keys as these enums and formats
 *    them from precomputed text; in checking builds it asserts that every line
 *    follows its event's field list;
 *  - the reader (rep-event.h) maps names back to the enums and rejects an
 *    unknown event, an unknown field or a value of the wrong type;
 *  - consumers (the Perfetto converter, the timeline, the plot data) switch on
 *    the enums instead of comparing strings;
 *  - README.md's event table is rendered from it (rep_schema_render_row) and a
 *    test checks that the two agree.
 * A key has one type wherever it appears. Optional fields are written only when
 * they apply (the counters `outstanding` and `port` exist only for a VMO with a
 * page source; `action` names only what its kind uses).
 */
#pragma once

#include <glib.h>
#include <stdint.h>

/* X(ENUM, name, type): every field key. */
#define REP_KEYS(X)                                                                                \
    X(THREAD, thread, STR)                                                                         \
    X(KIND, kind, STR)                                                                             \
    X(VMO, vmo, STR)                                                                               \
    X(OFFSET, offset, U64)                                                                         \
    X(LEN, len, U64)                                                                               \
    X(PROVIDER, provider, STR)                                                                     \
    X(OUTSTANDING, outstanding, U64)                                                               \
    X(PORT, port, U64)                                                                             \
    X(BY, by, STR)                                                                                 \
    X(CMD, cmd, STR)                                                                               \
    X(STATUS, status, STR)                                                                         \
    X(RESIDENT, resident, U64)                                                                     \
    X(LATENCY_NS, latency_ns, U64)                                                                 \
    X(FAULT, fault, U64)                                                                           \
    X(DO, do, STR)                                                                                 \
    X(SIZE, size, U64)                                                                             \
    X(PAGES, pages, U64)                                                                           \
    X(FROM, from, U64)                                                                             \
    X(TO, to, U64)                                                                                 \
    X(DEVICE, device, STR)                                                                         \
    X(QUEUED_NS, queued_ns, U64)                                                                   \
    X(SERVICE_NS, service_ns, U64)                                                                 \
    X(WORKLOAD, workload, STR)                                                                     \
    X(IN_FLIGHT, in_flight, U64)                                                                   \
    X(EXPIRY, expiry, U64)                                                                         \
    X(WAITED_NS, waited_ns, U64)                                                                   \
    X(ZERO, zero, U64)

#define REP_KEY_ENUM(e, n, t) REP_KEY_##e,
typedef enum { REP_KEYS(REP_KEY_ENUM) REP_KEY_COUNT } RepKey;
#undef REP_KEY_ENUM

/* Every event, in README order (names in rep-schema.c's table). */
typedef enum {
    REP_EV_ACCESS,
    REP_EV_REQUEST,
    REP_EV_COALESCE,
    REP_EV_DEQUEUE,
    REP_EV_SERVED,
    REP_EV_DEVICE_READ,
    REP_EV_DEQUEUE_EMPTY,
    REP_EV_SUPPLY,
    REP_EV_FAIL,
    REP_EV_WAKE,
    REP_EV_CANCEL,
    REP_EV_DONE,
    REP_EV_ACTION,
    REP_EV_REFUSED,
    REP_EV_EVICT,
    REP_EV_RESIZE,
    REP_EV_DETACH,
    REP_EV_CLOSE,
    REP_EV_PAGER_CLOSE,
    REP_EV_PAGER_DEATH,
    REP_EV_DROPPED,
    REP_EV_OVERTIME,
    REP_EV_RECLAIM,
    REP_EV_LOCK_WAIT,
    REP_EV_COUNT
} RepEv;

typedef enum {
    REP_FIELD_U64, /* an integer >= 0 */
    REP_FIELD_STR, /* a string */
    REP_FIELD_TYPE_COUNT
} RepFieldType;

#define REP_SCHEMA_MAX_FIELDS 10 /* the most fields an event has */

typedef struct {
    RepKey key;        /* which field */
    gboolean optional; /* written only when it applies */
} RepSchemaField;

typedef struct {
    const char *name;                             /* the "ev" value */
    const char *meaning;                          /* README's "meaning" column (Markdown) */
    guint n_fields;                               /* entries used in fields */
    RepSchemaField fields[REP_SCHEMA_MAX_FIELDS]; /* in written order */
} RepSchemaEvent;

/* rep_schema_event: (transfer none) the description of @ev. */
const RepSchemaEvent *rep_schema_event(RepEv ev);

/* rep_key_name, rep_key_type: a key's JSON name and its value type. */
const char *rep_key_name(RepKey key);
RepFieldType rep_key_type(RepKey key);

/* rep_ev_from_name, rep_key_from_name: the enum for a name of @len bytes.
 * Return FALSE for a name outside the schema. */
gboolean rep_ev_from_name(const char *name, size_t len, RepEv *out);
gboolean rep_key_from_name(const char *name, size_t len, RepKey *out);

/* rep_schema_field_index: where @key stands in @ev's field list, or -1 if @ev
 * has no such field. */
int rep_schema_field_index(RepEv ev, RepKey key);

/* rep_schema_render_row: (transfer full) README's table row for @ev:
 * "| `name` | `f1`, `f2`?, ... | meaning |", a "?" marking an optional field. */
char *rep_schema_render_row(RepEv ev);
