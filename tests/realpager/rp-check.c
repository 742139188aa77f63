/* What of a scenario the real pager runs: closed workloads of faults on VMOs
 * served by one pager provider (whole supplies, no failures, no death), each
 * workload with a finite number of accesses, and no actions. The kernel
 * section is ignored: the real kernel pays its own costs. */
#include "tests/realpager/rp.h"

#define RP_ERROR (g_quark_from_static_string("realpager"))

static gboolean unsupported(GError **error, const char *what) {
    g_set_error(error, RP_ERROR, 2, "the real pager cannot run this scenario: %s", what);
    return FALSE;
}

static gboolean check_provider(const ScnProvider *p, GError **error) {
    if (p->kind != SCN_PROVIDER_PAGER)
        return unsupported(error, "every VMO needs a provider of kind \"pager\"");
    if (p->failure_probability > 0)
        return unsupported(error, "the pager injects failures");
    if (p->die_at_ns != SCN_NEVER)
        return unsupported(error, "the pager dies");
    if (p->supply_mode != SCN_SUPPLY_WHOLE || p->supply_cluster != 0)
        return unsupported(error, "the pager supplies other than whole requests");
    return TRUE;
}

gboolean rp_check_scenario(const ScnScenario *sc, guint *provider, GError **error) {
    *provider = SCN_NONE;
    if (sc->n_actions > 0)
        return unsupported(error, "it has actions");
    for (guint i = 0; i < sc->n_vmos; i++) {
        guint p = sc->vmos[i].provider;
        if (p == SCN_NONE)
            return unsupported(error, "a VMO has no provider");
        if (*provider != SCN_NONE && p != *provider)
            return unsupported(error, "its VMOs use more than one provider");
        *provider = p;
        if (!check_provider(&sc->providers[p], error))
            return FALSE;
    }
    if (*provider == SCN_NONE)
        return unsupported(error, "it has no VMO");
    for (guint i = 0; i < sc->n_workloads; i++) {
        const ScnWorkload *w = &sc->workloads[i];
        if (w->kind != SCN_WORKLOAD_CLOSED)
            return unsupported(error, "a workload is not closed");
        if (w->access != SCN_ACCESS_FAULT)
            return unsupported(error, "a workload's access kind is not \"fault\"");
        if (w->access_limit == 0)
            return unsupported(error, "a closed workload has no \"accesses\" count");
    }
    return TRUE;
}
