/* core/pager-op.h: the argument checks of zx_pager_op_range(ZX_PAGER_OP_FAIL).
 *
 * Before a pager's FAIL reaches PageSource::OnPagesFailed, the syscall and
 * PagerDispatcher::RangeOp validate the arguments in a fixed order, which
 * decides the status of calls with several problems (core/README.md C25). The handle
 * lookups themselves are the environment's; it passes their outcome in.
 *
 * SPEC: core/README.md §4 "PagerDispatcher::RangeOp (zx_pager_op_range), check
 * order"; sys_pager_op_range in zircon/kernel/lib/syscalls/pager.cc.
 */
#pragma once

#include <glib.h>

#include "core/status.h"

G_BEGIN_DECLS

/* The op codes of zx_pager_op_range known in mid-2021. */
#define CORE_PAGER_OP_FAIL 1u /* ZX_PAGER_OP_FAIL */

/* core_pager_op_range_check:
 * Validates zx_pager_op_range(@op, @offset, @length, @data) in the kernel's
 * order. @handle_status is the outcome of the syscall's handle lookups
 * (CORE_OK, ZX_ERR_BAD_HANDLE or ZX_ERR_WRONG_TYPE); @vmo_of_pager is FALSE
 * for a VMO that is not backed by this pager; @vmo_size is its size in bytes.
 * On success the caller calls core_page_source_on_pages_failed(offset,
 * length, *fail_status) and returns CORE_OK.
 * Returns CORE_ERR_INVALID_ARGS if @offset or @length is not page aligned.
 * Returns @handle_status if it is not CORE_OK.
 * Returns CORE_ERR_INVALID_ARGS if the VMO does not belong to the pager.
 * Returns CORE_ERR_NOT_SUPPORTED if @op is not CORE_PAGER_OP_FAIL.
 * Returns CORE_ERR_INVALID_ARGS if @data, read as int64, is outside int32,
 * or is not a valid failure code (so codes must be sign-extended).
 * Returns CORE_ERR_OUT_OF_RANGE if the range does not fit in @vmo_size.
 * Returns CORE_OK otherwise, with the code in @fail_status (out, nullable).
 * Length 0 is accepted. Pure function. */
CoreStatus core_pager_op_range_check(guint32 op, guint64 offset, guint64 length, guint64 data,
                                     CoreStatus handle_status, gboolean vmo_of_pager,
                                     guint64 vmo_size, CoreStatus *fail_status);

G_END_DECLS
