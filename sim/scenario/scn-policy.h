/* Batching policy specifications: "none", "fuchsia", "adaptive", "readahead:N",
 * "cluster:BYTES", or several distinct terms joined by '+' such as
 * "readahead:8+cluster:32KiB". This module checks only the syntax and the
 * argument ranges; what each term does is the model's business.
 *
 * Rules: "none" stands alone; a term appears at most once; N is a page count in
 * 1..1048576; BYTES is a size (scn-units.h) that is a power of two and a multiple
 * of 4096, at most 1GiB. Spaces are not allowed.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

typedef struct {
    char *spec;               /* the text as given (owned) */
    gboolean none;            /* "none": no batching policy at all */
    gboolean fuchsia;         /* "fuchsia": the kernel's own behaviour */
    gboolean adaptive;        /* "adaptive" */
    uint64_t readahead_pages; /* "readahead:N": N pages; 0 when absent */
    uint64_t cluster_bytes;   /* "cluster:BYTES": bytes; 0 when absent */
} ScnPolicy;

#define SCN_POLICY_DEFAULT "fuchsia"

/* scn_policy_parse:
 * Parses @spec into @out (which owns nothing yet; on failure it is left empty).
 * Returns TRUE on success; FALSE with SCN_ERROR_VALUE and a message quoting the
 * offending term (no file or path) otherwise. */
gboolean scn_policy_parse(const char *spec, ScnPolicy *out, GError **error);

/* scn_policy_clear: frees what @policy owns and zeroes it. Accepts NULL. */
void scn_policy_clear(ScnPolicy *policy);
