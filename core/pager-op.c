/* core/pager-op.c: argument checks of zx_pager_op_range (core/README.md §4).
 *
 * Invariants:
 * 1. The checks run in the kernel's order: alignment, handles, VMO ownership
 *    (syscall), then op code, data range, failure code, VMO range (RangeOp).
 * 2. Nothing here changes any state; a rejected call never touches the tree.
 */
#include "core/pager-op.h"

#include "core/page-source.h"

/* Reads the 64-bit @data the way RangeOp does: as int64, accepted only when it
 * fits in int32. Returns TRUE and the code in @code if so. */
static gboolean data_as_status(guint64 data, CoreStatus *code) {
    gint64 value = (gint64)data;
    if (value < G_MININT32 || value > G_MAXINT32)
        return FALSE;
    *code = (CoreStatus)(gint32)value;
    return TRUE;
}

CoreStatus core_pager_op_range_check(guint32 op, guint64 offset, guint64 length, guint64 data,
                                     CoreStatus handle_status, gboolean vmo_of_pager,
                                     guint64 vmo_size, CoreStatus *fail_status) {
    CoreStatus code = CORE_OK;

    /* SPEC(core/README.md §4 RangeOp, syscall 1): page alignment first. */
    if (offset % CORE_PAGE_SIZE != 0 || length % CORE_PAGE_SIZE != 0)
        return CORE_ERR_INVALID_ARGS;
    /* SPEC(core/README.md §4 RangeOp, syscall 2): then the handles. */
    if (handle_status != CORE_OK)
        return handle_status;
    /* SPEC(core/README.md §4 RangeOp, syscall 3): the VMO must be this pager's. */
    if (!vmo_of_pager)
        return CORE_ERR_INVALID_ARGS;
    /* SPEC(core/README.md §4 RangeOp 1): only FAIL is known. */
    if (op != CORE_PAGER_OP_FAIL)
        return CORE_ERR_NOT_SUPPORTED;
    /* SPEC(core/README.md §4 RangeOp 2): data must fit in int32 when read as
     * int64, so a zero-extended -40 (0xFFFFFFD8) is rejected. */
    if (!data_as_status(data, &code))
        return CORE_ERR_INVALID_ARGS;
    /* SPEC(core/README.md §4 RangeOp 3): the code check precedes the range check. */
    if (!core_page_source_is_valid_failure_code(code))
        return CORE_ERR_INVALID_ARGS;
    /* SPEC(core/README.md §4 RangeOp 4): the range must lie inside the VMO;
     * length 0 is not rejected. */
    if (offset > vmo_size || length > vmo_size - offset)
        return CORE_ERR_OUT_OF_RANGE;
    if (fail_status != NULL)
        *fail_status = code;
    return CORE_OK;
}
