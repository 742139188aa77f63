/* The validation context and the table-driven walker over JSON objects.
 *
 * Invariants:
 * 1. ctx->path always names the value being checked: every push is undone by a
 *    pop to its mark before the walker returns, on success and on failure alike,
 *    and an error message is built before the pop.
 * 2. Keys are visited in file order, so "the first error" is the first problem in
 *    reading order within one object; missing required keys come after.
 * 3. The key "comment" is allowed in every object and must hold a string.
 */
#include "sim/scenario/scn-private.h"

#include <stdarg.h>
#include <string.h>

#define MAX_FIELDS 64 /* the seen mask has one bit per field */

/* The context lives on the loader's stack for one load. */
void scn__ctx_init(ScnCtx *ctx, const char *source) {
    ctx->source = source;
    ctx->path = g_string_new("$");
    ctx->notes = g_ptr_array_new_with_free_func(g_free);
}

void scn__ctx_clear(ScnCtx *ctx) {
    if (ctx->path != NULL)
        g_string_free(ctx->path, TRUE);
    if (ctx->notes != NULL)
        g_ptr_array_unref(ctx->notes);
    ctx->path = NULL;
    ctx->notes = NULL;
}

/* Keys that are plain identifiers print as ".key", others as ["key"]. */
gsize scn__path_key(ScnCtx *ctx, const char *key) {
    gsize mark = ctx->path->len;
    gboolean plain = g_ascii_isalpha(*key) || *key == '_';

    for (const char *p = key; plain && *p != '\0'; p++)
        plain = g_ascii_isalnum(*p) || *p == '_';
    if (plain) {
        g_string_append_printf(ctx->path, ".%s", key);
    } else {
        g_autofree char *esc = g_strescape(key, NULL);
        g_string_append_printf(ctx->path, "[\"%s\"]", esc);
    }
    return mark;
}

gsize scn__path_index(ScnCtx *ctx, gsize index) {
    gsize mark = ctx->path->len;
    g_string_append_printf(ctx->path, "[%" G_GSIZE_FORMAT "]", index);
    return mark;
}

void scn__path_pop(ScnCtx *ctx, gsize mark) { g_string_truncate(ctx->path, mark); }

/* Returns the text of the last override whose path is @path or an ancestor of
 * it (the last one wins, as it does for the value). */
static const char *override_note(ScnCtx *ctx, const char *path) {
    for (guint i = ctx->notes->len & ~1u; i >= 2; i -= 2) {
        const char *p = g_ptr_array_index(ctx->notes, i - 2);
        gsize n = strlen(p);

        if (strncmp(path, p, n) == 0 && (path[n] == '\0' || path[n] == '.' || path[n] == '['))
            return g_ptr_array_index(ctx->notes, i - 1);
    }
    return NULL;
}

/* Every content error goes through here, so every message has the same
 * "SOURCE: PATH: text" shape and the same override note. */
gboolean scn__fail(ScnCtx *ctx, GError **error, ScnError code, const char *fmt, ...) {
    g_autofree char *msg = NULL;
    const char *note;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    note = override_note(ctx, ctx->path->str);
    if (note != NULL)
        g_set_error(error, SCN_ERROR, code, "%s: %s: %s (set by override \"%s\")", ctx->source,
                    ctx->path->str, msg, note);
    else
        g_set_error(error, SCN_ERROR, code, "%s: %s: %s", ctx->source, ctx->path->str, msg);
    return FALSE;
}

/* For checks made after an object was walked, which blame one of its keys. */
gboolean scn__fail_key(ScnCtx *ctx, GError **error, ScnError code, const char *key, const char *fmt,
                       ...) {
    g_autofree char *msg = NULL;
    gsize mark = scn__path_key(ctx, key);
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    scn__fail(ctx, error, code, "%s", msg);
    scn__path_pop(ctx, mark);
    return FALSE;
}

/* JSON types as a noun phrase for "expected X, got Y". */
const char *scn__type_name(const json_t *value) {
    switch (json_typeof(value)) {
        case JSON_OBJECT:
            return "an object";
        case JSON_ARRAY:
            return "an array";
        case JSON_STRING:
            return "a string";
        case JSON_INTEGER:
            return "an integer";
        case JSON_REAL:
            return "a real number";
        case JSON_TRUE:
        case JSON_FALSE:
            return "a boolean";
        case JSON_NULL:
        default:
            return "null";
    }
}

gboolean scn__type_error(ScnCtx *ctx, GError **error, const char *expected, const json_t *value) {
    return scn__fail(ctx, error, SCN_ERROR_TYPE, "expected %s, got %s", expected,
                     scn__type_name(value));
}

/* Collects the keys of @fields (and the selector @tag, and "comment") for a
 * suggestion. The result borrows the table's strings. */
static GPtrArray *known_keys(const ScnField *fields, const char *tag) {
    GPtrArray *keys = g_ptr_array_new();

    if (tag != NULL)
        g_ptr_array_add(keys, (gpointer)tag);
    for (const ScnField *f = fields; f->key != NULL; f++)
        g_ptr_array_add(keys, (gpointer)f->key);
    g_ptr_array_add(keys, (gpointer) "comment");
    g_ptr_array_add(keys, NULL);
    return keys;
}

/* Formats @names as "\"a\", \"b\" or \"c\"". */
static char *choice_list(const char *const *names) {
    GString *out = g_string_new(NULL);

    for (gsize i = 0; names[i] != NULL; i++) {
        if (i > 0)
            g_string_append(out, names[i + 1] != NULL ? ", " : " or ");
        g_string_append_printf(out, "\"%s\"", names[i]);
    }
    return g_string_free(out, FALSE);
}

/* Lists the variants of @set, other than @cur, that allow @key ("\"a\" or
 * \"b\""); NULL when none does. */
static char *variants_with_key(const ScnVariantSet *set, const ScnVariant *cur, const char *key) {
    const char *names[16];
    gsize n = 0;

    for (const ScnVariant *v = set != NULL ? set->variants : NULL; v && v->name; v++) {
        gboolean has = FALSE;

        for (const ScnField *f = v->fields; f->key != NULL; f++)
            has = has || strcmp(f->key, key) == 0;
        if (v != cur && has && n + 1 < G_N_ELEMENTS(names))
            names[n++] = v->name;
    }
    names[n] = NULL;
    return n > 0 ? choice_list(names) : NULL;
}

/* Reports @key as not allowed here, with the most useful hint available. */
static gboolean unknown_key(ScnCtx *ctx, const char *key, const ScnField *fields,
                            const ScnVariantSet *set, const ScnVariant *cur, GError **error) {
    g_autofree char *others = variants_with_key(set, cur, key);
    g_autoptr(GPtrArray) keys = known_keys(fields, set != NULL ? set->tag : NULL);
    g_autofree char *list = g_strjoinv(", ", (char **)keys->pdata);
    const char *hint = scn__suggest(key, (const char *const *)keys->pdata);

    if (others != NULL)
        return scn__fail(ctx, error, SCN_ERROR_UNKNOWN_KEY,
                         "key \"%s\" does not apply to a \"%s\" %s (only to %s)", key, cur->name,
                         set->what, others);
    if (hint != NULL)
        return scn__fail(ctx, error, SCN_ERROR_UNKNOWN_KEY,
                         "unknown key \"%s\" (did you mean \"%s\"?)", key, hint);
    return scn__fail(ctx, error, SCN_ERROR_UNKNOWN_KEY, "unknown key \"%s\" (known keys: %s)", key,
                     list);
}

/* Tables are short (at most a dozen keys), so a linear search is fine. */
static const ScnField *find_field(const ScnField *fields, const char *key) {
    for (const ScnField *f = fields; f->key != NULL; f++) {
        if (strcmp(f->key, key) == 0)
            return f;
    }
    return NULL;
}

/* Checks one key of an object: "comment", a known field, or an unknown key. */
static gboolean walk_key(ScnCtx *ctx, const char *key, json_t *value, const ScnField *fields,
                         void *target, const ScnVariantSet *set, const ScnVariant *cur,
                         guint64 *mask, GError **error) {
    const ScnField *f = find_field(fields, key);

    if (strcmp(key, "comment") == 0)
        return json_is_string(value) || scn__type_error(ctx, error, "a string", value);
    if (f == NULL)
        return unknown_key(ctx, key, fields, set, cur, error);
    g_assert(f - fields < MAX_FIELDS);
    *mask |= G_GUINT64_CONSTANT(1) << (f - fields);
    return f->parse(ctx, value, (char *)target + f->offset, f->arg, error);
}

/* Walks the keys of @obj in file order, then reports missing required keys. */
static gboolean walk_fields(ScnCtx *ctx, json_t *obj, const ScnField *fields, void *target,
                            const ScnVariantSet *set, const ScnVariant *cur, guint64 *seen,
                            GError **error) {
    const char *key;
    json_t *value;
    guint64 mask = 0;

    json_object_foreach(obj, key, value) {
        gsize mark;
        gboolean ok;

        if (set != NULL && strcmp(key, set->tag) == 0)
            continue;
        mark = scn__path_key(ctx, key);
        ok = walk_key(ctx, key, value, fields, target, set, cur, &mask, error);
        scn__path_pop(ctx, mark);
        if (!ok)
            return FALSE;
    }
    for (const ScnField *f = fields; f->key != NULL; f++) {
        if (f->required && (mask & (G_GUINT64_CONSTANT(1) << (f - fields))) == 0)
            return scn__fail(ctx, error, SCN_ERROR_MISSING, "missing required key \"%s\"", f->key);
    }
    if (seen != NULL)
        *seen = mask;
    return TRUE;
}

/* A plain object: no selector, every key from one table. */
gboolean scn__walk_object(ScnCtx *ctx, json_t *value, const ScnField *fields, void *target,
                          guint64 *seen, GError **error) {
    if (!json_is_object(value))
        return scn__type_error(ctx, error, "an object", value);
    return walk_fields(ctx, value, fields, target, NULL, NULL, seen, error);
}

/* The shared message for a string outside a fixed set of names. */
gboolean scn__choice_error(ScnCtx *ctx, GError **error, const char *noun, const char *value,
                           const char *const *names) {
    g_autofree char *list = choice_list(names);
    const char *hint = scn__suggest(value, names);

    if (hint != NULL)
        return scn__fail(ctx, error, SCN_ERROR_VALUE, "unknown %s \"%s\" (did you mean \"%s\"?)",
                         noun, value, hint);
    return scn__fail(ctx, error, SCN_ERROR_VALUE, "unknown %s \"%s\" (expected %s)", noun, value,
                     list);
}

/* Finds the variant named by the selector @tag of an object (at ctx->path). */
static const ScnVariant *select_variant(ScnCtx *ctx, const ScnVariantSet *set, json_t *tag,
                                        GError **error) {
    const char *names[16];
    const char *name;
    gsize n = 0, mark;

    for (const ScnVariant *v = set->variants; v->name != NULL; v++) {
        g_assert(n + 1 < G_N_ELEMENTS(names));
        names[n++] = v->name;
    }
    names[n] = NULL;
    if (tag == NULL && set->dflt == NULL) {
        scn__fail(ctx, error, SCN_ERROR_MISSING, "missing required key \"%s\"", set->tag);
        return NULL;
    }
    name = tag != NULL ? json_string_value(tag) : set->dflt;
    for (gsize i = 0; name != NULL && i < n; i++) {
        if (strcmp(names[i], name) == 0)
            return &set->variants[i];
    }
    mark = scn__path_key(ctx, set->tag);
    if (name == NULL) {
        g_autofree char *list = choice_list(names);
        scn__fail(ctx, error, SCN_ERROR_TYPE, "expected a string (%s), got %s", list,
                  scn__type_name(tag));
    } else {
        scn__choice_error(ctx, error, set->tag_what, name, names);
    }
    scn__path_pop(ctx, mark);
    return NULL;
}

/* The selector is resolved before the other keys are visited, since it
 * decides which keys are allowed. */
gboolean scn__walk_variant(ScnCtx *ctx, json_t *value, const ScnVariantSet *set, void *target,
                           guint64 *seen, GError **error) {
    const ScnVariant *v;

    if (!json_is_object(value))
        return scn__type_error(ctx, error, "an object", value);
    v = select_variant(ctx, set, json_object_get(value, set->tag), error);
    if (v == NULL)
        return FALSE;
    *(int *)((char *)target + set->tag_offset) = (int)(v - set->variants);
    return walk_fields(ctx, value, v->fields, target, set, v, seen, error);
}

/* Items are appended zeroed before @fn fills them, so the array's clear
 * function can free a half-filled item when @fn fails. */
gboolean scn__walk_array(ScnCtx *ctx, json_t *value, GArray *out, ScnElemFn fn, GError **error) {
    gsize i;
    json_t *elem;

    if (!json_is_array(value))
        return scn__type_error(ctx, error, "an array", value);
    json_array_foreach(value, i, elem) {
        gsize mark = scn__path_index(ctx, i);
        gboolean ok;

        g_array_set_size(out, out->len + 1);
        ok = fn(ctx, elem, out->data + (out->len - 1) * g_array_get_element_size(out), error);
        scn__path_pop(ctx, mark);
        if (!ok)
            return FALSE;
    }
    return TRUE;
}

/* Adapters that let a table entry hold a nested object or variant. */
gboolean scn__parse_object(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                           GError **error) {
    return scn__walk_object(ctx, value, arg, field, NULL, error);
}

gboolean scn__parse_variant(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                            GError **error) {
    return scn__walk_variant(ctx, value, arg, field, NULL, error);
}
