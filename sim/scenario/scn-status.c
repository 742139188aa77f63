/* Zircon status names for the scenario format, from core/'s one table of codes
 * (core/status.c) and its one valid-failure rule (IsValidFailureCode in
 * core/page-source.c): the scenario loader keeps no copy of either.
 */
#include "sim/scenario/scn-status.h"

#include "core/page-source.h"
#include "core/status.h"
#include "sim/scenario/scn-private.h"

/* The core code with value @status, if there is one. */
static gboolean find(int64_t status, CoreStatus *out) {
    for (guint i = 0; i < CORE_STATUS_COUNT; i++) {
        if (core_status_nth(i) == status) {
            *out = core_status_nth(i);
            return TRUE;
        }
    }
    return FALSE;
}

/* Every name, NULL-terminated, for suggestions; built from the table once. */
const char *const *scn__status_names(void) {
    static const char *names[CORE_STATUS_COUNT + 1];
    static gsize done = 0;

    if (g_once_init_enter(&done)) {
        for (guint i = 0; i < CORE_STATUS_COUNT; i++)
            names[i] = core_status_to_string(core_status_nth(i));
        g_once_init_leave(&done, 1);
    }
    return names;
}

gboolean scn_status_from_name(const char *name, int64_t *out) {
    g_return_val_if_fail(name != NULL && out != NULL, FALSE);
    CoreStatus s;
    if (!core_status_from_string(name, &s))
        return FALSE;
    *out = s;
    return TRUE;
}

const char *scn_status_to_string(int64_t status) {
    CoreStatus s;
    return find(status, &s) ? core_status_to_string(s) : NULL;
}

gboolean scn_status_is_valid_failure(int64_t status) {
    CoreStatus s;
    return find(status, &s) && core_page_source_is_valid_failure_code(s);
}
