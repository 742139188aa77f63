/* core/status.c: names of the status codes (core/README.md §6).
 *
 * Invariants:
 * 1. The table holds exactly CORE_STATUS_COUNT entries, one per CoreStatus
 *    member, in the order of the spec's table (descending value).
 * 2. Names are the Zircon spellings, so to_string and from_string are
 *    inverse on the table.
 */
#include "core/status.h"

#include <string.h>

typedef struct {
    CoreStatus status; /* The code. */
    const char *name;  /* Its zx_status_t spelling. */
} StatusName;

static const StatusName status_names[CORE_STATUS_COUNT] = {
    {CORE_OK, "ZX_OK"},
    {CORE_ERR_INTERNAL, "ZX_ERR_INTERNAL"},
    {CORE_ERR_NOT_SUPPORTED, "ZX_ERR_NOT_SUPPORTED"},
    {CORE_ERR_NO_MEMORY, "ZX_ERR_NO_MEMORY"},
    {CORE_ERR_INTERNAL_INTR_RETRY, "ZX_ERR_INTERNAL_INTR_RETRY"},
    {CORE_ERR_INVALID_ARGS, "ZX_ERR_INVALID_ARGS"},
    {CORE_ERR_BAD_HANDLE, "ZX_ERR_BAD_HANDLE"},
    {CORE_ERR_WRONG_TYPE, "ZX_ERR_WRONG_TYPE"},
    {CORE_ERR_OUT_OF_RANGE, "ZX_ERR_OUT_OF_RANGE"},
    {CORE_ERR_BUFFER_TOO_SMALL, "ZX_ERR_BUFFER_TOO_SMALL"},
    {CORE_ERR_BAD_STATE, "ZX_ERR_BAD_STATE"},
    {CORE_ERR_TIMED_OUT, "ZX_ERR_TIMED_OUT"},
    {CORE_ERR_SHOULD_WAIT, "ZX_ERR_SHOULD_WAIT"},
    {CORE_ERR_NOT_FOUND, "ZX_ERR_NOT_FOUND"},
    {CORE_ERR_ALREADY_EXISTS, "ZX_ERR_ALREADY_EXISTS"},
    {CORE_ERR_IO, "ZX_ERR_IO"},
    {CORE_ERR_IO_DATA_INTEGRITY, "ZX_ERR_IO_DATA_INTEGRITY"},
    {CORE_ERR_NO_SPACE, "ZX_ERR_NO_SPACE"},
    {CORE_ERR_NEXT, "ZX_ERR_NEXT"},
    {CORE_ERR_INTERNAL_INTR_KILLED, "ZX_ERR_INTERNAL_INTR_KILLED"},
};

/* A linear scan is enough: the table is tiny and the simulator caches names
 * when it needs them on a hot path. */
const char *core_status_to_string(CoreStatus status) {
    if (status == CORE_OK) /* Nearly every access ends with it. */
        return "ZX_OK";
    for (guint i = 0; i < CORE_STATUS_COUNT; i++) {
        if (status_names[i].status == status)
            return status_names[i].name;
    }
    return "(UNKNOWN)";
}

gboolean core_status_from_string(const char *name, CoreStatus *out) {
    g_return_val_if_fail(out != NULL, FALSE);
    if (name == NULL)
        return FALSE;
    for (guint i = 0; i < CORE_STATUS_COUNT; i++) {
        if (strcmp(status_names[i].name, name) == 0) {
            *out = status_names[i].status;
            return TRUE;
        }
    }
    return FALSE;
}

CoreStatus core_status_nth(guint index) {
    g_return_val_if_fail(index < CORE_STATUS_COUNT, CORE_ERR_INTERNAL);
    return status_names[index].status;
}
