/* The test-only corruption of pagesim-corrupt: pagesim itself, linked with
 * -Wl,--wrap=core_page_source_check_invariants, so that every call the model
 * makes to that checker (only with --check) comes here first.
 *
 * No scenario can break an invariant of core/ (that would be a bug of the
 * model), so the exit status 3 and the summary's "violation" field are reached
 * by a genuine corruption instead: while a source has a head, its pending count
 * is set to 0 (invariant 2 wants at least a page) for the duration of the real
 * checker's call, which must then report it. The field is restored afterwards,
 * so the run ends and frees its objects normally. pagesim itself carries no
 * hook: the wrapping is this test binary's link option.
 *
 * The __wrap_/__real_ names are fixed by GNU ld's --wrap.
 */
#include "core/page-source.h"

gboolean __real_core_page_source_check_invariants(const CorePageSource *src, GString *why);
gboolean __wrap_core_page_source_check_invariants(const CorePageSource *src, GString *why);

gboolean __wrap_core_page_source_check_invariants(const CorePageSource *src, GString *why) {
    CorePageRequest *head = core_page_source_peek_first_head(src);
    if (head == NULL)
        return __real_core_page_source_check_invariants(src, why);
    guint64 saved = head->pending_size;
    head->pending_size = 0;
    gboolean ok = __real_core_page_source_check_invariants(src, why);
    head->pending_size = saved;
    return ok;
}
