/* Zircon status names as the scenario format spells them ("ZX_ERR_IO").
 *
 * Statuses travel through the scenario structs as their zx_status_t values
 * (int64_t, e.g. -40 for ZX_ERR_IO), which map one to one onto core/'s status
 * codes. The table holds the codes of spec/SEMANTICS.md section 6.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#define SCN_ZX_OK                    0
#define SCN_ZX_ERR_BAD_STATE         (-20)
#define SCN_ZX_ERR_IO                (-40)
#define SCN_ZX_ERR_IO_DATA_INTEGRITY (-42)

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
