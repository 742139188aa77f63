/* Zircon status names as the scenario format spells them ("ZX_ERR_IO").
 *
 * Statuses travel through the scenario structs as their zx_status_t values
 * (int64_t, e.g. -40 for ZX_ERR_IO), which are core/'s status codes. There is
 * one table of names and values, core/status.c, and one valid-failure rule,
 * core's IsValidFailureCode; these functions read them.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "core/status.h"

#define SCN_ZX_OK                    ((int64_t)CORE_OK)
#define SCN_ZX_ERR_BAD_STATE         ((int64_t)CORE_ERR_BAD_STATE)
#define SCN_ZX_ERR_IO                ((int64_t)CORE_ERR_IO)
#define SCN_ZX_ERR_IO_DATA_INTEGRITY ((int64_t)CORE_ERR_IO_DATA_INTEGRITY)

/* scn_status_from_name: stores the value of the status called @name in @out.
 * Returns TRUE if @name is in the table, FALSE (and @out untouched) if not. */
gboolean scn_status_from_name(const char *name, int64_t *out);

/* scn_status_to_string: (transfer none) (nullable) the name of @status, or NULL
 * when it is not in the table. */
const char *scn_status_to_string(int64_t status);

/* scn_status_is_valid_failure: whether @status is one the mid-2021 kernel accepts
 * in ZX_PAGER_OP_FAIL (IsValidFailureCode): ZX_ERR_IO, ZX_ERR_IO_DATA_INTEGRITY
 * and ZX_ERR_BAD_STATE. */
gboolean scn_status_is_valid_failure(int64_t status);
