/* Generic field parsers for the walker's tables: strings, names, booleans,
 * integers, numbers, durations, sizes, rates, enumerations and statuses. Each one
 * checks the JSON type, then the value, and stores it at @field; on failure it
 * stores nothing and reports at ctx->path (which names the key being parsed).
 */
#include "sim/scenario/scn-private.h"
#include "sim/scenario/scn-status.h"
#include "sim/scenario/scn-units.h"

#include <math.h>
#include <string.h>

#define NAME_MAX_LEN 64

#define DURATION_TYPE "a duration (a string such as \"80us\", or an integer of nanoseconds)"
#define SIZE_TYPE     "a size (a string such as \"4KiB\", or an integer of bytes)"

/* Names become file names (results/<name>/), trace labels and parts of
 * "WORKLOAD/INDEX" thread references, so they exclude '/', spaces and a
 * leading dot. */
gboolean scn__is_valid_name(const char *name) {
    gsize n = strlen(name);

    if (n == 0 || n > NAME_MAX_LEN || name[0] == '.')
        return FALSE;
    for (gsize i = 0; i < n; i++) {
        if (!g_ascii_isalnum(name[i]) && strchr("_.-", name[i]) == NULL)
            return FALSE;
    }
    return TRUE;
}

/* Free text. A key given twice cannot reach here (the JSON parser rejects
 * duplicate keys), but an override may replace a value, hence the g_free. */
gboolean scn__parse_string(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                           GError **error) {
    char **out = field;

    if (!json_is_string(value))
        return scn__type_error(ctx, error, "a string", value);
    g_free(*out);
    *out = g_strdup(json_string_value(value));
    return TRUE;
}

/* A string that must also be a valid name. */
gboolean scn__parse_name(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                         GError **error) {
    if (!json_is_string(value))
        return scn__type_error(ctx, error, "a string", value);
    if (!scn__is_valid_name(json_string_value(value)))
        return scn__fail(ctx, error, SCN_ERROR_VALUE,
                         "bad name \"%s\" (use 1 to %d letters, digits, '_', '-' or '.', not "
                         "starting with '.')",
                         json_string_value(value), NAME_MAX_LEN);
    return scn__parse_string(ctx, value, field, arg, error);
}

/* JSON true or false only: "yes", 1 and the like are type errors. */
gboolean scn__parse_bool(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                         GError **error) {
    if (!json_is_boolean(value))
        return scn__type_error(ctx, error, "true or false", value);
    *(gboolean *)field = json_is_true(value);
    return TRUE;
}

/* Checks an integer against @lim and stores it in @out. */
static gboolean integer_value(ScnCtx *ctx, json_t *value, const ScnU64Limits *lim, uint64_t *out,
                              GError **error) {
    json_int_t v;

    if (!json_is_integer(value))
        return scn__type_error(ctx, error, "an integer", value);
    v = json_integer_value(value);
    if (v < 0 || (uint64_t)v < lim->min)
        return scn__fail(ctx, error, SCN_ERROR_VALUE,
                         "must be at least %" G_GUINT64_FORMAT ", got %" JSON_INTEGER_FORMAT,
                         lim->min, v);
    if ((uint64_t)v > lim->max)
        return scn__fail(ctx, error, SCN_ERROR_VALUE,
                         "must be at most %" G_GUINT64_FORMAT ", got %" JSON_INTEGER_FORMAT,
                         lim->max, v);
    *out = (uint64_t)v;
    return TRUE;
}

/* Integers in the bounds of a ScnU64Limits, stored as uint64_t. */
gboolean scn__parse_u64(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                        GError **error) {
    return integer_value(ctx, value, arg, field, error);
}

/* As scn__parse_u64() for guint fields (counts of threads and workers); the
 * table's limit keeps the value within guint. */
gboolean scn__parse_uint(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                         GError **error) {
    const ScnU64Limits *lim = arg;
    uint64_t v = 0;

    g_assert(lim->max <= G_MAXUINT);
    if (!integer_value(ctx, value, lim, &v, error))
        return FALSE;
    *(guint *)field = (guint)v;
    return TRUE;
}

/* Numbers (integer or real) within a ScnDoubleLimits. The bounds print with
 * %g so "must be at most 1, got 1.5" reads naturally. */
gboolean scn__parse_double(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                           GError **error) {
    const ScnDoubleLimits *lim = arg;
    char lo[G_ASCII_DTOSTR_BUF_SIZE], hi[G_ASCII_DTOSTR_BUF_SIZE], got[G_ASCII_DTOSTR_BUF_SIZE];
    double v;

    if (!json_is_number(value))
        return scn__type_error(ctx, error, "a number", value);
    v = json_number_value(value);
    g_ascii_formatd(lo, sizeof lo, "%g", lim->min);
    g_ascii_formatd(hi, sizeof hi, "%g", lim->max);
    g_ascii_formatd(got, sizeof got, "%g", v);
    if (lim->min_open && !(v > lim->min))
        return scn__fail(ctx, error, SCN_ERROR_VALUE, "must be above %s, got %s", lo, got);
    if (!(v >= lim->min))
        return scn__fail(ctx, error, SCN_ERROR_VALUE, "must be at least %s, got %s", lo, got);
    if (!(v <= lim->max))
        return scn__fail(ctx, error, SCN_ERROR_VALUE, "must be at most %s, got %s", hi, got);
    *(double *)field = v;
    return TRUE;
}

/* Reads a quantity given as a string with a unit or as a bare integer. */
static gboolean quantity(ScnCtx *ctx, json_t *value, const char *type, uint64_t *out,
                         gboolean (*parse)(const char *, uint64_t *, GError **), GError **error) {
    g_autoptr(GError) local = NULL;

    if (json_is_integer(value)) {
        if (json_integer_value(value) < 0)
            return scn__fail(ctx, error, SCN_ERROR_VALUE,
                             "must not be negative, got %" JSON_INTEGER_FORMAT,
                             json_integer_value(value));
        *out = (uint64_t)json_integer_value(value);
        return TRUE;
    }
    if (!json_is_string(value))
        return scn__type_error(ctx, error, type, value);
    if (!parse(json_string_value(value), out, &local))
        return scn__fail(ctx, error, SCN_ERROR_VALUE, "%s", local->message);
    return TRUE;
}

/* Durations with an optional ScnU64Limits (NULL: any duration). */
gboolean scn__parse_duration(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                             GError **error) {
    const ScnU64Limits *lim = arg;
    uint64_t v = 0;
    g_autofree char *bound = NULL;
    g_autofree char *got = NULL;

    if (!quantity(ctx, value, DURATION_TYPE, &v, scn_parse_duration, error))
        return FALSE;
    if (lim != NULL && (v < lim->min || v > lim->max)) {
        bound = scn_format_duration(v < lim->min ? lim->min : lim->max);
        got = scn_format_duration(v);
        return scn__fail(ctx, error, SCN_ERROR_VALUE, "must be at %s %s, got %s",
                         v < lim->min ? "least" : "most", bound, got);
    }
    *(uint64_t *)field = v;
    return TRUE;
}

/* Sizes under a ScnSizeRule. Alignment is checked before the bounds, so a
 * misaligned value gets the more specific message. */
gboolean scn__parse_size(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                         GError **error) {
    const ScnSizeRule *rule = arg;
    uint64_t v = 0;
    g_autofree char *got = NULL;
    g_autofree char *bound = NULL;

    if (!quantity(ctx, value, SIZE_TYPE, &v, scn_parse_size, error))
        return FALSE;
    got = scn_format_size(v);
    if (rule->aligned && v % SCN_PAGE_SIZE != 0)
        return scn__fail(ctx, error, SCN_ERROR_VALUE,
                         "must be a multiple of the page size (4KiB), got %s", got);
    if (rule->pow2 && (v & (v - 1)) != 0)
        return scn__fail(ctx, error, SCN_ERROR_VALUE, "must be a power of two, got %s", got);
    if (v < rule->min) {
        bound = scn_format_size(rule->min);
        return scn__fail(ctx, error, SCN_ERROR_VALUE, "must be at least %s, got %s", bound, got);
    }
    if (v > rule->max) {
        bound = scn_format_size(rule->max);
        return scn__fail(ctx, error, SCN_ERROR_VALUE, "must be at most %s, got %s", bound, got);
    }
    *(uint64_t *)field = v;
    return TRUE;
}

/* Rates as a number per second or a "N/unit" string; capped at one arrival
 * per nanosecond, the clock's resolution. */
gboolean scn__parse_rate(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                         GError **error) {
    g_autoptr(GError) local = NULL;
    double v;

    if (json_is_string(value)) {
        if (!scn_parse_rate(json_string_value(value), &v, &local))
            return scn__fail(ctx, error, SCN_ERROR_VALUE, "%s", local->message);
    } else if (json_is_number(value)) {
        v = json_number_value(value);
        if (!(v > 0.0))
            return scn__fail(ctx, error, SCN_ERROR_VALUE, "must be above zero");
    } else {
        return scn__type_error(
            ctx, error, "a rate (a number per second, or a string such as \"1000/s\")", value);
    }
    if (v > 1e9)
        return scn__fail(ctx, error, SCN_ERROR_VALUE,
                         "must be at most 1e+09/s (one arrival per nanosecond)");
    *(double *)field = v;
    return TRUE;
}

/* A string among the NULL-terminated names of a ScnEnumArg; the index is the
 * enum value, so tables list names in enum order. */
gboolean scn__parse_enum(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                         GError **error) {
    const ScnEnumArg *e = arg;
    const char *s;

    if (!json_is_string(value))
        return scn__type_error(ctx, error, "a string", value);
    s = json_string_value(value);
    for (gsize i = 0; e->names[i] != NULL; i++) {
        if (strcmp(e->names[i], s) == 0) {
            *(int *)field = (int)i;
            return TRUE;
        }
    }
    return scn__choice_error(ctx, error, e->noun, s, e->names);
}

/* Any status name of the table, or any integer (raw fails may pass values
 * outside int32 on purpose, as the spec's C25 does). */
gboolean scn__parse_any_status(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                               GError **error) {
    int64_t v = 0;

    if (json_is_integer(value)) {
        *(int64_t *)field = json_integer_value(value);
        return TRUE;
    }
    if (!json_is_string(value))
        return scn__type_error(ctx, error, "a status name such as \"ZX_ERR_IO\"", value);
    if (!scn_status_from_name(json_string_value(value), &v))
        return scn__choice_error(ctx, error, "status", json_string_value(value),
                                 scn__status_names());
    *(int64_t *)field = v;
    return TRUE;
}

/* A status name that IsValidFailureCode accepts. Only names: a provider's
 * failure status is configuration, not a syscall argument. */
gboolean scn__parse_fail_status(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                                GError **error) {
    int64_t v = 0;

    if (!json_is_string(value))
        return scn__type_error(ctx, error, "a status name such as \"ZX_ERR_IO\"", value);
    if (!scn__parse_any_status(ctx, value, &v, arg, error))
        return FALSE;
    if (!scn_status_is_valid_failure(v))
        return scn__fail(ctx, error, SCN_ERROR_VALUE,
                         "%s is not a valid failure code (expected ZX_ERR_IO, "
                         "ZX_ERR_IO_DATA_INTEGRITY or ZX_ERR_BAD_STATE)",
                         json_string_value(value));
    *(int64_t *)field = v;
    return TRUE;
}
