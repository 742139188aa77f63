/* The input format shared by the fuzz targets: leading lines "@set PATH=VALUE"
 * are --set overrides, the rest is the scenario JSON. A seed without such lines
 * is a plain scenario file. */
#pragma once

#include <glib.h>
#include <stdint.h>

/* fuzz_input_split: the overrides (transfer full, NULL-terminated) of @data, and
 * in @json / @json_len the scenario text after them. */
static inline char **fuzz_input_split(const uint8_t *data, size_t len, const char **json,
                                      size_t *json_len) {
    GPtrArray *sets = g_ptr_array_new();
    const char *p = (const char *)data, *end = p + len;
    while (end - p > 5 && memcmp(p, "@set ", 5) == 0 && sets->len < 16) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            break;
        g_ptr_array_add(sets, g_strndup(p + 5, (gsize)(nl - p - 5)));
        p = nl + 1;
    }
    g_ptr_array_add(sets, NULL);
    *json = p;
    *json_len = (size_t)(end - p);
    return (char **)g_ptr_array_free(sets, FALSE);
}
