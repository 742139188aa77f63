/* core/status.h: the status codes of the modelled kernel (zx_status_t).
 *
 * CoreStatus mirrors the zx_status_t values that appear in the page-source
 * logic (core/README.md §6), with the same names and the same numeric values, so
 * that traces and scenario files can use the Zircon spellings. These are model
 * outcomes, not failures of the simulator: they are returned, never raised.
 *
 * SPEC: core/README.md §6 "Status codes (zx_status_t)".
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The codes of core/README.md §6, values as in zircon/errors.h. */
typedef enum {
    CORE_OK = 0,                          /* ZX_OK */
    CORE_ERR_INTERNAL = -1,               /* ZX_ERR_INTERNAL */
    CORE_ERR_NOT_SUPPORTED = -2,          /* ZX_ERR_NOT_SUPPORTED */
    CORE_ERR_NO_MEMORY = -4,              /* ZX_ERR_NO_MEMORY */
    CORE_ERR_INTERNAL_INTR_RETRY = -6,    /* ZX_ERR_INTERNAL_INTR_RETRY: suspended */
    CORE_ERR_INVALID_ARGS = -10,          /* ZX_ERR_INVALID_ARGS */
    CORE_ERR_BAD_HANDLE = -11,            /* ZX_ERR_BAD_HANDLE */
    CORE_ERR_WRONG_TYPE = -12,            /* ZX_ERR_WRONG_TYPE */
    CORE_ERR_OUT_OF_RANGE = -14,          /* ZX_ERR_OUT_OF_RANGE */
    CORE_ERR_BUFFER_TOO_SMALL = -15,      /* ZX_ERR_BUFFER_TOO_SMALL */
    CORE_ERR_BAD_STATE = -20,             /* ZX_ERR_BAD_STATE */
    CORE_ERR_TIMED_OUT = -21,             /* ZX_ERR_TIMED_OUT */
    CORE_ERR_SHOULD_WAIT = -22,           /* ZX_ERR_SHOULD_WAIT */
    CORE_ERR_NOT_FOUND = -25,             /* ZX_ERR_NOT_FOUND */
    CORE_ERR_ALREADY_EXISTS = -26,        /* ZX_ERR_ALREADY_EXISTS */
    CORE_ERR_IO = -40,                    /* ZX_ERR_IO */
    CORE_ERR_IO_DATA_INTEGRITY = -42,     /* ZX_ERR_IO_DATA_INTEGRITY */
    CORE_ERR_NO_SPACE = -54,              /* ZX_ERR_NO_SPACE */
    CORE_ERR_NEXT = -61,                  /* ZX_ERR_NEXT */
    CORE_ERR_INTERNAL_INTR_KILLED = -502, /* ZX_ERR_INTERNAL_INTR_KILLED: killed */
} CoreStatus;

/* The number of named codes above. The values are sparse and negative, so the
 * count cannot be an enum member; use it with core_status_nth(). */
#define CORE_STATUS_COUNT 20

/* core_status_to_string:
 * Names @status with its exact Zircon spelling, e.g. "ZX_ERR_IO".
 * Returns a static string (transfer none).
 * Returns "(UNKNOWN)" for a value that is not in the table. */
const char *core_status_to_string(CoreStatus status);

/* core_status_from_string:
 * Parses a Zircon name ("ZX_ERR_IO") into @out (out).
 * Returns TRUE and sets @out if @name is one of the names above.
 * Returns FALSE and leaves @out untouched otherwise (also for NULL). */
gboolean core_status_from_string(const char *name, CoreStatus *out);

/* core_status_nth:
 * The @index-th code of the table, in the order of core/README.md §6, for
 * iteration together with CORE_STATUS_COUNT.
 * Returns the code, or CORE_ERR_INTERNAL if @index >= CORE_STATUS_COUNT. */
CoreStatus core_status_nth(guint index);

G_END_DECLS
