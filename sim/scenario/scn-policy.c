/* Parsing of batching policy specifications (grammar in scn-policy.h).
 *
 * Invariant: a parsed ScnPolicy has exactly the flags and arguments of the terms
 * in its spec, and none is set only when it is the sole term.
 */
#include "sim/scenario/scn-policy.h"

#include "sim/scenario/scn-error.h"
#include "sim/scenario/scn-private.h"
#include "sim/scenario/scn-units.h"

#include <string.h>

#define READAHEAD_MAX 1048576u
#define CLUSTER_MAX   (UINT64_C(1) << 30)

static const char *const term_names[] = {"none",      "fuchsia", "adaptive",
                                         "readahead", "cluster", NULL};

/* Parses the argument of "readahead:N". */
static gboolean parse_readahead(const char *spec, const char *arg, ScnPolicy *out, GError **error) {
    guint64 n = 0;

    if (!g_ascii_isdigit(*arg) ||
        !g_ascii_string_to_unsigned(arg, 10, 1, READAHEAD_MAX, &n, NULL)) {
        g_set_error(error, SCN_ERROR, SCN_ERROR_VALUE,
                    "policy \"%s\": \"readahead:%s\" needs a page count from 1 to %u", spec, arg,
                    READAHEAD_MAX);
        return FALSE;
    }
    out->readahead_pages = n;
    return TRUE;
}

/* Parses the argument of "cluster:BYTES". The cluster must be a power of two so that aligned
 * clusters tile the VMO; the size itself is parsed by the unit parser, so "32KiB" and "32768B"
 * agree. */
static gboolean parse_cluster(const char *spec, const char *arg, ScnPolicy *out, GError **error) {
    g_autoptr(GError) local = NULL;
    uint64_t bytes = 0;

    if (!scn_parse_size(arg, &bytes, &local)) {
        g_set_error(error, SCN_ERROR, SCN_ERROR_VALUE, "policy \"%s\": %s", spec, local->message);
        return FALSE;
    }
    if (bytes < SCN_PAGE_SIZE || bytes > CLUSTER_MAX || (bytes & (bytes - 1)) != 0) {
        g_set_error(error, SCN_ERROR, SCN_ERROR_VALUE,
                    "policy \"%s\": \"cluster:%s\" must be a power of two from 4KiB to 1GiB", spec,
                    arg);
        return FALSE;
    }
    out->cluster_bytes = bytes;
    return TRUE;
}

/* Reports an unknown term, with a suggestion when one is close. */
static gboolean unknown_term(const char *spec, const char *name, GError **error) {
    const char *hint = scn__suggest(name, term_names);

    if (hint != NULL)
        g_set_error(error, SCN_ERROR, SCN_ERROR_VALUE,
                    "policy \"%s\": unknown term \"%s\" (did you mean \"%s\"?)", spec, name, hint);
    else
        g_set_error(error, SCN_ERROR, SCN_ERROR_VALUE,
                    "policy \"%s\": unknown term \"%s\" (expected none, fuchsia, adaptive, "
                    "readahead:N or cluster:BYTES)",
                    spec, name);
    return FALSE;
}

/* Applies one term "name[:arg]" to @out. */
static gboolean parse_term(const char *spec, const char *term, ScnPolicy *out, GError **error) {
    g_auto(GStrv) parts = g_strsplit(term, ":", 2);
    const char *name = parts[0], *arg = parts[1];
    gboolean flag_term =
        strcmp(name, "none") == 0 || strcmp(name, "fuchsia") == 0 || strcmp(name, "adaptive") == 0;

    if (flag_term && arg != NULL) {
        g_set_error(error, SCN_ERROR, SCN_ERROR_VALUE, "policy \"%s\": \"%s\" takes no argument",
                    spec, name);
        return FALSE;
    }
    if (!flag_term && strcmp(name, "readahead") != 0 && strcmp(name, "cluster") != 0)
        return unknown_term(spec, name, error);
    if (!flag_term && arg == NULL) {
        g_set_error(error, SCN_ERROR, SCN_ERROR_VALUE,
                    "policy \"%s\": \"%s\" needs an argument "
                    "(\"%s:%s\")",
                    spec, name, name, strcmp(name, "cluster") == 0 ? "32KiB" : "8");
        return FALSE;
    }
    if (strcmp(name, "none") == 0)
        out->none = TRUE;
    else if (strcmp(name, "fuchsia") == 0)
        out->fuchsia = TRUE;
    else if (strcmp(name, "adaptive") == 0)
        out->adaptive = TRUE;
    else if (strcmp(name, "readahead") == 0)
        return parse_readahead(spec, arg, out, error);
    else
        return parse_cluster(spec, arg, out, error);
    return TRUE;
}

/* Terms are parsed into a fresh ScnPolicy and copied out only when the whole
 * spec is valid. The term set catches duplicates by name, whatever their
 * arguments. */
gboolean scn_policy_parse(const char *spec, ScnPolicy *out, GError **error) {
    g_auto(GStrv) terms = NULL;
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    ScnPolicy p = {0};

    g_return_val_if_fail(spec != NULL && out != NULL, FALSE);
    memset(out, 0, sizeof *out);
    if (*spec == '\0') {
        g_set_error(error, SCN_ERROR, SCN_ERROR_VALUE,
                    "empty policy (expected e.g. \"fuchsia\" or \"readahead:8+cluster:32KiB\")");
        return FALSE;
    }
    terms = g_strsplit(spec, "+", -1);
    for (guint i = 0; terms[i] != NULL; i++) {
        char *name = g_strndup(terms[i], strcspn(terms[i], ":"));

        if (*name == '\0') {
            g_free(name);
            g_set_error(error, SCN_ERROR, SCN_ERROR_VALUE, "policy \"%s\": empty term", spec);
            return FALSE;
        }
        if (!g_hash_table_add(seen, name)) {
            g_set_error(error, SCN_ERROR, SCN_ERROR_VALUE,
                        "policy \"%s\": \"%s\" appears more than once", spec, name);
            return FALSE;
        }
        if (!parse_term(spec, terms[i], &p, error))
            return FALSE;
    }
    if (p.none && g_strv_length(terms) > 1) {
        g_set_error(error, SCN_ERROR, SCN_ERROR_VALUE,
                    "policy \"%s\": \"none\" cannot be combined with other terms", spec);
        return FALSE;
    }
    p.spec = g_strdup(spec);
    *out = p;
    return TRUE;
}

/* Leaves @policy all zero, so clearing twice is harmless. */
void scn_policy_clear(ScnPolicy *policy) {
    if (policy == NULL)
        return;
    g_free(policy->spec);
    memset(policy, 0, sizeof *policy);
}
