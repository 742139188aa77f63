/* The table of Zircon status names and values used by the scenario format.
 *
 * Invariant: names and values are each unique in the table, so the two lookups
 * are inverse to each other.
 */
#include "sim/scenario/scn-status.h"

#include "sim/scenario/scn-private.h"

#include <string.h>

typedef struct {
    const char *name; /* as written in scenario files */
    int64_t value;    /* zx_status_t */
} StatusName;

static const StatusName statuses[] = {
    {"ZX_OK", 0},
    {"ZX_ERR_INTERNAL", -1},
    {"ZX_ERR_NOT_SUPPORTED", -2},
    {"ZX_ERR_NO_MEMORY", -4},
    {"ZX_ERR_INTERNAL_INTR_RETRY", -6},
    {"ZX_ERR_INVALID_ARGS", -10},
    {"ZX_ERR_BAD_HANDLE", -11},
    {"ZX_ERR_WRONG_TYPE", -12},
    {"ZX_ERR_OUT_OF_RANGE", -14},
    {"ZX_ERR_BUFFER_TOO_SMALL", -15},
    {"ZX_ERR_BAD_STATE", -20},
    {"ZX_ERR_TIMED_OUT", -21},
    {"ZX_ERR_SHOULD_WAIT", -22},
    {"ZX_ERR_NOT_FOUND", -25},
    {"ZX_ERR_ALREADY_EXISTS", -26},
    {"ZX_ERR_IO", -40},
    {"ZX_ERR_IO_DATA_INTEGRITY", -42},
    {"ZX_ERR_NO_SPACE", -54},
    {"ZX_ERR_NEXT", -61},
    {"ZX_ERR_INTERNAL_INTR_KILLED", -502},
};

/* The valid failure codes, in the order messages list them. */
const char *const scn__fail_status_names[] = {"ZX_ERR_IO", "ZX_ERR_IO_DATA_INTEGRITY",
                                              "ZX_ERR_BAD_STATE", NULL};

/* Every name, NULL-terminated, for suggestions; built from the table once. */
const char *const *scn__status_names(void) {
    static const char *names[G_N_ELEMENTS(statuses) + 1];
    static gsize done = 0;

    if (g_once_init_enter(&done)) {
        for (gsize i = 0; i < G_N_ELEMENTS(statuses); i++)
            names[i] = statuses[i].name;
        g_once_init_leave(&done, 1);
    }
    return names;
}

gboolean scn_status_from_name(const char *name, int64_t *out) {
    g_return_val_if_fail(name != NULL && out != NULL, FALSE);
    for (gsize i = 0; i < G_N_ELEMENTS(statuses); i++) {
        if (strcmp(statuses[i].name, name) == 0) {
            *out = statuses[i].value;
            return TRUE;
        }
    }
    return FALSE;
}

const char *scn_status_to_string(int64_t status) {
    for (gsize i = 0; i < G_N_ELEMENTS(statuses); i++) {
        if (statuses[i].value == status)
            return statuses[i].name;
    }
    return NULL;
}

gboolean scn_status_is_valid_failure(int64_t status) {
    return status == SCN_ZX_ERR_IO || status == SCN_ZX_ERR_IO_DATA_INTEGRITY ||
           status == SCN_ZX_ERR_BAD_STATE;
}
