/* Internals shared by the files of sim/scenario/: the validation context, the
 * table-driven object walker and the generic field parsers. Never included
 * outside sim/scenario/: this header and scn-raw.h are the only ones that name
 * json_t.
 *
 * A field table lists, per JSON object, each allowed key with the parser that
 * checks its value and the offset at which the parser stores the result in the
 * target struct. scn__walk_object() visits the object's keys in file order,
 * rejects unknown keys with a suggestion, runs the parsers with the JSON path
 * extended by the key, then reports missing required keys. Objects whose keys
 * depend on a selector ("kind", "dist", "do", ...) use a ScnVariantSet.
 */
#pragma once

#include "sim/scenario/scn-error.h"

#include <glib.h>
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Suggestions and names (scn-suggest.c, scn-status.c). */
const char *scn__suggest(const char *word, const char *const *cands);
const char *const *scn__status_names(void);

typedef struct {
    const char *source; /* the file name used in messages */
    GString *path;      /* JSON path of the value under check, "$.a[0].b" */
    GPtrArray *notes;   /* char* pairs: normalized override path, override text */
} ScnCtx;

void scn__ctx_init(ScnCtx *ctx, const char *source);
void scn__ctx_clear(ScnCtx *ctx);

/* Path bookkeeping: each push returns a mark that scn__path_pop() restores. */
gsize scn__path_key(ScnCtx *ctx, const char *key);
gsize scn__path_index(ScnCtx *ctx, gsize index);
void scn__path_pop(ScnCtx *ctx, gsize mark);

/* scn__fail: sets @error to "SOURCE: PATH: message" with @code and returns FALSE.
 * A note naming the override is appended when PATH lies under an overridden one. */
G_GNUC_PRINTF(4, 5)
gboolean scn__fail(ScnCtx *ctx, GError **error, ScnError code, const char *fmt, ...);

/* scn__fail_key: as scn__fail() at the path extended by @key. */
G_GNUC_PRINTF(5, 6)
gboolean scn__fail_key(ScnCtx *ctx, GError **error, ScnError code, const char *key, const char *fmt,
                       ...);

/* scn__type_error: "expected @expected, got <the JSON type of @value>". */
gboolean scn__type_error(ScnCtx *ctx, GError **error, const char *expected, const json_t *value);

/* scn__choice_error: "unknown @noun "@value" (did you mean ...? | expected ...)". */
gboolean scn__choice_error(ScnCtx *ctx, GError **error, const char *noun, const char *value,
                           const char *const *names);

/* scn__type_name: (transfer none) "an object", "an array", "a string", ... */
const char *scn__type_name(const json_t *value);

typedef gboolean (*ScnParseFn)(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                               GError **error);

typedef struct {
    const char *key;   /* the JSON key; NULL ends a table */
    ScnParseFn parse;  /* checks the value and stores it at @offset */
    gsize offset;      /* where in the target struct the parser writes */
    gconstpointer arg; /* parser argument: limits, names, a sub-table */
    gboolean required; /* a missing key is an error */
} ScnField;

#define SCN_OPT(key, fn, type, member, arg)                                                        \
    { key, fn, offsetof(type, member), arg, FALSE }
#define SCN_REQ(key, fn, type, member, arg)                                                        \
    { key, fn, offsetof(type, member), arg, TRUE }
/* A key whose parser receives the whole target struct (e.g. "range", whose two
 * keys fill two fields of the workload itself). */
#define SCN_OPT_SELF(key, fn, arg)                                                                 \
    { key, fn, 0, arg, FALSE }
#define SCN_REQ_SELF(key, fn, arg)                                                                 \
    { key, fn, 0, arg, TRUE }
#define SCN_END                                                                                    \
    { NULL, NULL, 0, NULL, FALSE }

typedef struct {
    const char *name;       /* the selector's value; NULL ends a set */
    const ScnField *fields; /* keys allowed besides the selector and "comment" */
} ScnVariant;

typedef struct {
    const char *tag;            /* the selecting key: "kind", "dist", ... */
    const char *what;           /* noun for messages: "provider", "pattern" */
    const char *tag_what;       /* noun for the selector: "provider kind" */
    const char *dflt;           /* variant when the tag is absent; NULL: required */
    gsize tag_offset;           /* where the variant's index is stored (an enum) */
    const ScnVariant *variants; /* in enum order */
} ScnVariantSet;

/* scn__walk_object: checks that @value is an object and walks it with @fields
 * into @target. @seen (nullable) receives a bit per field index that was present.
 * Returns FALSE with an error at the first problem. */
gboolean scn__walk_object(ScnCtx *ctx, json_t *value, const ScnField *fields, void *target,
                          guint64 *seen, GError **error);

/* scn__walk_variant: as scn__walk_object() with the table selected by the tag. */
gboolean scn__walk_variant(ScnCtx *ctx, json_t *value, const ScnVariantSet *set, void *target,
                           guint64 *seen, GError **error);

typedef gboolean (*ScnElemFn)(ScnCtx *ctx, json_t *elem, void *item, GError **error);

/* scn__walk_array: checks that @value is an array and appends one zeroed item per
 * element to @out, filled by @fn with the path extended by the index. */
gboolean scn__walk_array(ScnCtx *ctx, json_t *value, GArray *out, ScnElemFn fn, GError **error);

/* Arguments for the generic parsers below (bounds inclusive). */
typedef struct {
    const char *noun;         /* "access kind", for messages */
    const char *const *names; /* NULL-terminated, in enum order */
} ScnEnumArg;

typedef struct {
    uint64_t min, max;
} ScnU64Limits;

typedef struct {
    double min, max;   /* bounds */
    gboolean min_open; /* the minimum itself is excluded */
} ScnDoubleLimits;

typedef struct {
    uint64_t min, max; /* bounds in bytes */
    gboolean aligned;  /* must be a multiple of SCN_PAGE_SIZE */
    gboolean pow2;     /* must be 0 or a power of two */
} ScnSizeRule;

/* Generic parsers; the comment names the field type each one writes. */
gboolean scn__parse_string(ScnCtx *, json_t *, void *, gconstpointer, GError **);   /* char * */
gboolean scn__parse_name(ScnCtx *, json_t *, void *, gconstpointer, GError **);     /* char * */
gboolean scn__parse_bool(ScnCtx *, json_t *, void *, gconstpointer, GError **);     /* gboolean */
gboolean scn__parse_u64(ScnCtx *, json_t *, void *, gconstpointer, GError **);      /* uint64_t */
gboolean scn__parse_uint(ScnCtx *, json_t *, void *, gconstpointer, GError **);     /* guint */
gboolean scn__parse_double(ScnCtx *, json_t *, void *, gconstpointer, GError **);   /* double */
gboolean scn__parse_duration(ScnCtx *, json_t *, void *, gconstpointer, GError **); /* u64 ns */
gboolean scn__parse_size(ScnCtx *, json_t *, void *, gconstpointer, GError **);     /* u64 bytes */
gboolean scn__parse_rate(ScnCtx *, json_t *, void *, gconstpointer, GError **);     /* double /s */
gboolean scn__parse_enum(ScnCtx *, json_t *, void *, gconstpointer, GError **);     /* int enum */
gboolean scn__parse_object(ScnCtx *, json_t *, void *, gconstpointer, GError **);   /* sub-table */
gboolean scn__parse_variant(ScnCtx *, json_t *, void *, gconstpointer, GError **);  /* set */
gboolean scn__parse_dist(ScnCtx *, json_t *, void *, gconstpointer, GError **);     /* ScnDist */
gboolean scn__parse_fail_status(ScnCtx *, json_t *, void *, gconstpointer, GError **); /* i64 */
gboolean scn__parse_any_status(ScnCtx *, json_t *, void *, gconstpointer, GError **);  /* i64 */

/* scn__is_valid_name: whether @name is 1..64 of [A-Za-z0-9_.-], not starting
 * with '.'; the rule for scenario, provider, VMO, workload and thread names. */
gboolean scn__is_valid_name(const char *name);

/* Shared enum spellings (NULL-terminated, in enum order). */
extern const char *const scn__access_names[];

/* scn__apply_overrides: applies each "PATH=VALUE" of @overrides to @root and
 * records the paths in @ctx for error notes (scn-override.c). */
gboolean scn__apply_overrides(ScnCtx *ctx, json_t *root, const char *const *overrides,
                              GError **error);
