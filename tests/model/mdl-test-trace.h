/* mdl-test-trace.h: reading a run's native trace back as compact text, shared
 * by the model tests that compare whole traces with hand-written expectations. */
#pragma once

#include <glib.h>
#include <stdio.h>

/* mdl_test_project: @jsonl without quotes and braces, with ':' turned into '='
 * and ',' into ' ' (names and statuses hold none of these characters). */
static inline char *mdl_test_project(const char *jsonl) {
    GString *out = g_string_new(NULL);
    for (const char *p = jsonl; *p; p++) {
        if (*p == '"' || *p == '{' || *p == '}')
            continue;
        g_string_append_c(out, *p == ':' ? '=' : *p == ',' ? ' ' : *p);
    }
    return g_string_free(out, FALSE);
}

/* mdl_test_read_all: everything written to @f, from its start. */
static inline char *mdl_test_read_all(FILE *f) {
    GString *s = g_string_new(NULL);
    char buf[4096];
    size_t n;
    rewind(f);
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        g_string_append_len(s, buf, (gssize)n);
    return g_string_free(s, FALSE);
}
