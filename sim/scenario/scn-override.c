/* Overrides: "PATH=VALUE" edits applied to the JSON document before validation,
 * so an override is checked exactly like the file (e.g. `--set seed=7`,
 * `--set providers[0].latency.mean=90us`).
 *
 * PATH is "$"-notation with the "$." optional: keys are [A-Za-z0-9_]+, indices
 * are [N]. Every array element on the way must exist; a missing key on the way
 * is created as an empty object (validation then judges it); the last key is set
 * or added. VALUE is taken as JSON when it parses as JSON, else as a string.
 *
 * Invariant: each applied override leaves its normalized path (and that of each
 * object it created) with its text in ctx->notes, so later errors at or under
 * those paths can name it.
 */
#include "sim/scenario/scn-private.h"

#include <stdarg.h>
#include <string.h>

typedef struct {
    char *key;   /* the key, or NULL for an index */
    gsize index; /* the index when key is NULL */
} Segment;

static void segment_free(gpointer p) {
    Segment *s = p;

    g_free(s->key);
    g_free(s);
}

G_GNUC_PRINTF(4, 5)
static gboolean override_error(ScnCtx *ctx, GError **error, const char *text, const char *fmt,
                               ...) {
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(error, SCN_ERROR, SCN_ERROR_OVERRIDE, "%s: override \"%s\": %s", ctx->source, text,
                msg);
    return FALSE;
}

/* Reads one segment at *@p (advancing it) into @segs; FALSE if malformed. */
static gboolean read_segment(const char **p, gboolean first, GPtrArray *segs) {
    Segment *s = g_new0(Segment, 1);
    const char *q = *p;

    g_ptr_array_add(segs, s);
    if (*q == '[') {
        guint64 v = 0;
        const char *end = strchr(q, ']');
        g_autofree char *digits = end != NULL ? g_strndup(q + 1, (gsize)(end - q - 1)) : NULL;

        if (digits == NULL || !g_ascii_isdigit(*digits) ||
            !g_ascii_string_to_unsigned(digits, 10, 0, G_MAXUINT32, &v, NULL))
            return FALSE;
        s->index = (gsize)v;
        *p = end + 1;
        return TRUE;
    }
    if (*q == '.')
        q++;
    else if (!first)
        return FALSE;
    *p = q;
    while (g_ascii_isalnum(*q) || *q == '_')
        q++;
    if (q == *p)
        return FALSE;
    s->key = g_strndup(*p, (gsize)(q - *p));
    *p = q;
    return TRUE;
}

/* Splits @path into segments and builds its normalized form in @norm. */
static GPtrArray *parse_path(const char *path, GString *norm) {
    g_autoptr(GPtrArray) segs = g_ptr_array_new_with_free_func(segment_free);
    const char *p = path;

    if (*p == '$')
        p++;
    while (*p != '\0') {
        Segment *s;

        if (!read_segment(&p, segs->len == 0 && p == path, segs))
            return NULL;
        s = g_ptr_array_index(segs, segs->len - 1);
        if (s->key != NULL)
            g_string_append_printf(norm, ".%s", s->key);
        else
            g_string_append_printf(norm, "[%" G_GSIZE_FORMAT "]", s->index);
    }
    return segs->len > 0 ? g_steal_pointer(&segs) : NULL;
}

/* Checks that segment @s applies to @cur (whose path is @at) and stores in
 * @child what it names there: NULL for a key that is missing. */
static gboolean step(ScnCtx *ctx, json_t *cur, const Segment *s, const char *at, const char *text,
                     json_t **child, GError **error) {
    if (s->key != NULL) {
        if (!json_is_object(cur))
            return override_error(ctx, error, text, "%s is %s, not an object", at,
                                  scn__type_name(cur));
        *child = json_object_get(cur, s->key);
        return TRUE;
    }
    if (!json_is_array(cur))
        return override_error(ctx, error, text, "%s is %s, not an array", at, scn__type_name(cur));
    if (s->index >= json_array_size(cur))
        return override_error(ctx, error, text,
                              "%s[%" G_GSIZE_FORMAT
                              "] does not exist (the array has %" G_GSIZE_FORMAT " elements)",
                              at, s->index, json_array_size(cur));
    *child = json_array_get(cur, s->index);
    return TRUE;
}

/* Walks @segs but the last from @root, creating missing keys as objects (each
 * noted in @ctx, so errors about them name the override). Returns the container
 * of the last segment, or NULL after an error. */
static json_t *walk_to_parent(ScnCtx *ctx, json_t *root, GPtrArray *segs, const char *text,
                              GError **error) {
    g_autoptr(GString) at = g_string_new("$");
    json_t *cur = root, *child = NULL;

    for (guint i = 0; i + 1 < segs->len; i++) {
        const Segment *s = g_ptr_array_index(segs, i);

        if (!step(ctx, cur, s, at->str, text, &child, error))
            return NULL;
        if (s->key != NULL)
            g_string_append_printf(at, ".%s", s->key);
        else
            g_string_append_printf(at, "[%" G_GSIZE_FORMAT "]", s->index);
        if (child == NULL) {
            child = json_object();
            json_object_set_new(cur, s->key, child);
            g_ptr_array_add(ctx->notes, g_strdup(at->str));
            g_ptr_array_add(ctx->notes, g_strdup(text));
        }
        cur = child;
    }
    if (!step(ctx, cur, g_ptr_array_index(segs, segs->len - 1), at->str, text, &child, error))
        return NULL;
    return cur;
}

/* Applies one override @text to @root. */
static gboolean apply_one(ScnCtx *ctx, json_t *root, const char *text, GError **error) {
    const char *eq = strchr(text, '=');
    g_autofree char *path = eq != NULL ? g_strndup(text, (gsize)(eq - text)) : NULL;
    g_autoptr(GString) norm = g_string_new("$");
    g_autoptr(GPtrArray) segs = path != NULL ? parse_path(path, norm) : NULL;
    json_t *parent, *value;
    const Segment *last;

    if (path == NULL)
        return override_error(ctx, error, text, "expected PATH=VALUE");
    if (segs == NULL)
        return override_error(ctx, error, text,
                              "malformed path \"%s\" (expected e.g. \"seed\", "
                              "\"providers[0].workers\" or \"$.stop.time\")",
                              path);
    parent = walk_to_parent(ctx, root, segs, text, error);
    if (parent == NULL)
        return FALSE;
    value = json_loads(eq + 1, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
    if (value == NULL)
        value = json_string(eq + 1);
    if (value == NULL)
        return override_error(ctx, error, text, "the value is not valid UTF-8");
    last = g_ptr_array_index(segs, segs->len - 1);
    if (last->key != NULL)
        json_object_set_new(parent, last->key, value);
    else
        json_array_set_new(parent, last->index, value);
    g_ptr_array_add(ctx->notes, g_string_free(g_steal_pointer(&norm), FALSE));
    g_ptr_array_add(ctx->notes, g_strdup(text));
    return TRUE;
}

gboolean scn__apply_overrides(ScnCtx *ctx, json_t *root, const char *const *overrides,
                              GError **error) {
    for (gsize i = 0; overrides != NULL && overrides[i] != NULL; i++) {
        if (!apply_one(ctx, root, overrides[i], error))
            return FALSE;
    }
    return TRUE;
}
