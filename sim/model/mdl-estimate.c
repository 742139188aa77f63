/* The memory estimate of a run (see mdl-estimate.h). */
#include "sim/model/mdl-estimate.h"

#include "sim/model/mdl-world.h"

static uint64_t add(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

static uint64_t mul(uint64_t a, uint64_t b) {
    return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

static uint64_t workload_bytes(const ScnWorkload *wl) {
    switch (wl->kind) {
        case SCN_WORKLOAD_CLOSED:
            return mul(wl->threads, MDL_ESTIMATE_THREAD_BYTES);
        case SCN_WORKLOAD_OPEN:
            return mul(wl->max_in_flight, MDL_ESTIMATE_THREAD_BYTES);
        default:
            return add(mul(wl->threads, MDL_ESTIMATE_THREAD_BYTES),
                       mul(wl->n_accesses, MDL_ESTIMATE_ITEM_BYTES));
    }
}

uint64_t mdl_estimate_bytes(const ScnScenario *sc) {
    uint64_t bytes = UINT64_C(1) << 20; /* the engine, tables and buffers */
    for (guint i = 0; i < sc->n_providers; i++)
        if (sc->providers[i].kind == SCN_PROVIDER_PAGER)
            bytes = add(bytes, mul(sc->providers[i].workers, MDL_ESTIMATE_WORKER_BYTES));
    for (guint i = 0; i < sc->n_vmos; i++)
        bytes = add(bytes, add(MDL_ESTIMATE_VMO_BYTES,
                               mul((uint64_t)sc->vmos[i].n_resident + 1, MDL_ESTIMATE_ITEM_BYTES)));
    for (guint i = 0; i < sc->n_workloads; i++)
        bytes = add(bytes, workload_bytes(&sc->workloads[i]));
    return add(bytes, mul(sc->n_actions, MDL_ESTIMATE_ITEM_BYTES));
}

gboolean mdl_estimate_check(const ScnScenario *sc, uint64_t limit, GError **error) {
    uint64_t need = mdl_estimate_bytes(sc);
    if (limit == 0 || need <= limit)
        return TRUE;
    /* not g_format_size: in a UTF-8 locale it separates with a no-break space */
    g_autofree char *need_s = g_strdup_printf("%.1f MiB", (double)need / 1048576.0);
    g_autofree char *limit_s = g_strdup_printf("%.1f MiB", (double)limit / 1048576.0);
    g_set_error(error, MDL_ERROR, MDL_ERROR_TOO_BIG,
                "%s: the run needs an estimated %s (%" G_GUINT64_FORMAT
                " bytes: threads, pager workers, open-workload accesses in flight, actions), "
                "more than --max-memory %s; reduce it or raise --max-memory",
                sc->source, need_s, need, limit_s);
    return FALSE;
}
