/* Timed actions of a scenario: what a pager, an administrator or the kernel does
 * at a given time (supply, fail, dequeue, evict, resize, detach, close, pager
 * close, kill, suspend, resume). Each is scheduled at load in file order, so
 * actions at the same time run in the order written. Each is traced as an
 * "action" line before the lines of what it causes, and followed by a "refused"
 * line when the call fails (a supply after pager close, a bad raw fail, ...).
 */
#include "sim/model/mdl-lock.h"
#include "sim/model/mdl-private.h"

typedef struct {
    MdlWorld *world;      /* owner */
    const ScnAction *act; /* the action (borrowed from the scenario) */
} Pending;

static void trace_action(MdlWorld *w, const ScnAction *a) {
    rep_trace_begin(w->trace, mdl__now(w), REP_EV_ACTION);
    rep_trace_str(w->trace, REP_KEY_DO, scn_action_kind_to_string(a->kind));
    if (a->vmo != SCN_NONE)
        rep_trace_str(w->trace, REP_KEY_VMO, w->sc->vmos[a->vmo].name);
    if (a->provider != SCN_NONE)
        rep_trace_str(w->trace, REP_KEY_PROVIDER, w->sc->providers[a->provider].name);
    if (a->kind >= SCN_ACTION_KILL) {
        const MdlThread *t = mdl__thread_lookup(w, &a->thread);
        rep_trace_str(w->trace, REP_KEY_THREAD, mdl__thread_name(t));
    }
    if (a->kind == SCN_ACTION_SUPPLY || a->kind == SCN_ACTION_FAIL || a->kind == SCN_ACTION_EVICT) {
        rep_trace_u64(w->trace, REP_KEY_OFFSET, a->offset);
        rep_trace_u64(w->trace, REP_KEY_LEN, a->length);
    }
    if (a->kind == SCN_ACTION_RESIZE)
        rep_trace_u64(w->trace, REP_KEY_SIZE, a->size);
    if (a->zero)
        rep_trace_u64(w->trace, REP_KEY_ZERO, 1);
    rep_trace_end(w->trace);
}

/* The handle check of zx_pager_op_range for the provider issuing a raw fail:
 * a pager's handle is gone once it was closed, and a synchronous provider has
 * no pager handle at all. */
static CoreStatus issuer_handle_status(const MdlProvider *p) {
    if (p->port == NULL)
        return CORE_ERR_WRONG_TYPE;
    return p->closed ? CORE_ERR_BAD_HANDLE : CORE_OK;
}

/* SPEC(core/README.md §4 "RangeOp", core/README.md C25): a raw ZX_PAGER_OP_FAIL is checked
 * in the syscall's order before it reaches the source; the handle check comes
 * right after alignment, before the data and the range. */
static CoreStatus raw_fail(MdlWorld *w, const ScnAction *a) {
    MdlVmo *vmo = &w->vmos[a->vmo];
    CoreStatus code = CORE_OK;
    gboolean of_pager = vmo->prov != NULL && vmo->prov->index == a->provider;
    CoreStatus handle = issuer_handle_status(&w->providers[a->provider]);
    CoreStatus st =
        core_pager_op_range_check(CORE_PAGER_OP_FAIL, a->offset, a->length, (guint64)a->status,
                                  handle, of_pager, vmo->size, &code);
    if (st != CORE_OK)
        return st;
    return mdl__vmo_fail(vmo, a->offset, a->length, code, "action");
}

/* Thread actions on a thread that has exited do nothing. */
static CoreStatus thread_action(MdlWorld *w, const ScnAction *a) {
    MdlThread *t = mdl__thread_lookup(w, &a->thread);
    if (t->sim == NULL)
        return CORE_ERR_BAD_STATE;
    if (a->kind == SCN_ACTION_KILL)
        sim_thread_kill(t->sim, MDL_KILL_STATUS);
    else if (a->kind == SCN_ACTION_SUSPEND)
        sim_thread_suspend(t->sim, MDL_SUSPEND_STATUS);
    else
        sim_thread_resume(t->sim);
    return CORE_OK;
}

/* Does @a, returning its outcome as the call's status. Lines for what it causes
 * are traced by the operations themselves. */
static CoreStatus perform(MdlWorld *w, const ScnAction *a) {
    MdlVmo *vmo = a->vmo != SCN_NONE ? &w->vmos[a->vmo] : NULL;
    /* A destroyed VMO has no handle left to act through. */
    if (vmo && vmo->closed && a->kind != SCN_ACTION_PAGER_CLOSE)
        return CORE_ERR_BAD_HANDLE;
    switch (a->kind) {
        case SCN_ACTION_SUPPLY:
            return mdl__vmo_supply_as(vmo, a->offset, a->length, a->zero, "action");
        case SCN_ACTION_FAIL:
            return a->raw
                       ? raw_fail(w, a)
                       : mdl__vmo_fail(vmo, a->offset, a->length, (CoreStatus)a->status, "action");
        case SCN_ACTION_DEQUEUE:
            mdl__provider_dequeue(&w->providers[a->provider], "action");
            break;
        case SCN_ACTION_EVICT:
            mdl__vmo_evict(vmo, a->offset, a->length);
            break;
        case SCN_ACTION_RESIZE:
            mdl__vmo_resize(vmo, a->size);
            break;
        case SCN_ACTION_DETACH:
            return mdl__vmo_detach(vmo);
        case SCN_ACTION_CLOSE:
            mdl__vmo_close(vmo);
            break;
        case SCN_ACTION_PAGER_CLOSE:
            mdl__provider_close(&w->providers[a->provider]);
            break;
        default:
            return thread_action(w, a);
    }
    return CORE_OK;
}

/* Does @a and traces a refusal: at once, or once @a holds the VMO lock. */
void mdl__action_complete(MdlWorld *w, const ScnAction *a) {
    CoreStatus st = perform(w, a);
    if (st != CORE_OK && mdl__tracing(w)) {
        rep_trace_begin(w->trace, mdl__now(w), REP_EV_REFUSED);
        rep_trace_str(w->trace, REP_KEY_DO, scn_action_kind_to_string(a->kind));
        rep_trace_str(w->trace, REP_KEY_STATUS, core_status_to_string(st));
        rep_trace_end(w->trace);
    }
}

/* With the VMO lock on, a supply, fail, detach or resize takes the lock first
 * (mdl-lock.h): the action line is traced when it is issued. */
static void fire(SimEngine *engine, gpointer data) {
    Pending *p = data;
    MdlWorld *w = p->world;
    if (mdl__tracing(w))
        trace_action(w, p->act);
    if (G_UNLIKELY(w->locks != NULL) && mdl__lock_action(w, p->act))
        return;
    mdl__action_complete(w, p->act);
}

void mdl__actions_schedule(MdlWorld *w) {
    for (guint i = 0; i < w->sc->n_actions; i++) {
        Pending *p = g_new(Pending, 1);
        p->world = w;
        p->act = &w->sc->actions[i];
        sim_engine_schedule(w->engine, p->act->at_ns, fire, p, g_free);
    }
}
