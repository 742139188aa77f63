/* The run: toucher threads make the scenario's closed-workload accesses in its
 * order with its think times; pager threads serve the fault messages.
 *
 * Each toucher draws as the model's closed thread does: per access the think
 * time (the workload's start before the first), then the offset (its own slice
 * with per_thread, else the workload's shared walker), from the same named
 * streams, so a per_thread walk touches the very pages the simulation touches.
 * Think times are plain absolute sleeps (timer slack 1 ns, no spin), as a
 * program's pauses are, so that many touchers do not take the CPUs from the
 * pager threads. An access counts as a fault when one of its pages was not
 * yet supplied when the toucher reached it; its latency runs from before the first touch to
 * after the last.
 *
 * A pager thread takes one message at a time; the first message for a page
 * claims it (RP_ABSENT -> RP_SERVING), waits the drawn service time from the
 * moment it read the message, and copies the page, which wakes every thread
 * faulting on it; later messages for a claimed page are coalesced (no service).
 */
#include "tests/realpager/rp.h"

#include "sim/model/mdl-private.h"

#include <errno.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define PAGE 4096u

typedef struct {
    RpRun *run;
    guint wi, index;
    SimRng rng;
    MdlPattern pattern; /* per_thread walks */
    uint64_t t0;        /* when the run started */
    RpTally tally;
} Toucher;

typedef struct {
    RpRun *run;
    SimRng rng;
    GError *error; /* first failure */
} Pager;

static uint64_t next_offset(Toucher *t, const ScnWorkload *wl) {
    if (wl->pattern.per_thread)
        return mdl_pattern_next(&t->pattern, &t->rng);
    g_mutex_lock(&t->run->shared_lock);
    uint64_t off = mdl_pattern_next(&t->run->shared[t->wi], &t->run->wl_rng[t->wi]);
    g_mutex_unlock(&t->run->shared_lock);
    return off;
}

static void touch(Toucher *t, RpRegion *r, uint64_t offset, uint64_t pages) {
    gboolean faulted = FALSE;
    uint64_t start = rp_now_ns();
    for (uint64_t p = offset / PAGE; p < offset / PAGE + pages; p++) {
        if (atomic_load(&r->state[p]) != RP_PRESENT)
            faulted = TRUE;
        (void)*(volatile char *)(r->base + p * PAGE);
    }
    uint64_t latency = rp_now_ns() - start;
    t->tally.accesses++;
    if (faulted) {
        t->tally.faults++;
        rep_histogram_record(t->tally.latency, latency);
    }
}

static gpointer toucher_main(gpointer data) {
    Toucher *t = data;
    RpRun *run = t->run;
    const ScnWorkload *wl = &run->sc->workloads[t->wi];
    rp_timer_slack_min();
    for (uint64_t k = 0; k < wl->access_limit; k++) {
        uint64_t delay = k == 0 ? wl->start_ns : sim_dist_sample(&run->think[t->wi], &t->rng);
        uint64_t offset = next_offset(t, wl);
        if (delay > 0)
            rp_sleep_until((k == 0 ? t->t0 : rp_now_ns()) + delay, 0);
        touch(t, &run->regions[wl->vmo], offset, wl->pages);
    }
    return NULL;
}

/* Serves one fault message. */
static gboolean serve(Pager *pg, const struct uffd_msg *msg, uint64_t got) {
    RpRun *run = pg->run;
    uintptr_t addr = (uintptr_t)msg->arg.pagefault.address;
    RpRegion *r = NULL;
    for (guint i = 0; i < run->sc->n_vmos && r == NULL; i++)
        if (addr >= (uintptr_t)run->regions[i].base &&
            addr < (uintptr_t)run->regions[i].base + run->regions[i].size)
            r = &run->regions[i];
    if (r == NULL)
        return TRUE;
    uint64_t page = (addr - (uintptr_t)r->base) / PAGE;
    uint8_t expect = RP_ABSENT;
    atomic_fetch_add(&run->messages, 1);
    if (!atomic_compare_exchange_strong(&r->state[page], &expect, RP_SERVING)) {
        atomic_fetch_add(&run->coalesced, 1);
        return TRUE; /* the claimant's copy wakes this faulting thread too */
    }
    const ScnProvider *p = &run->sc->providers[run->provider];
    rp_sleep_until(got + sim_dist_sample(&run->latency, &pg->rng) + p->per_page_ns, run->spin_ns);
    gboolean existed;
    if (!rp_supply(run, r, page, &existed, &pg->error))
        return FALSE;
    atomic_store(&r->state[page], RP_PRESENT);
    atomic_fetch_add(&run->served, 1);
    atomic_fetch_add(&run->eexist, existed ? 1 : 0);
    atomic_fetch_add(&run->busy_ns, rp_now_ns() - got);
    return TRUE;
}

/* After a failed copy no page can be trusted to be served: unregistering the
 * regions wakes every faulting thread, whose retry then maps a zero page, so
 * the run ends and reports the pager's error instead of hanging. */
static void give_up(RpRun *run) {
    for (guint i = 0; i < run->sc->n_vmos; i++) {
        struct uffdio_range range = {(uintptr_t)run->regions[i].base, run->regions[i].size};
        ioctl(run->uffd, UFFDIO_UNREGISTER, &range);
    }
}

static gpointer pager_main(gpointer data) {
    Pager *pg = data;
    RpRun *run = pg->run;
    struct pollfd fds[2] = {{run->uffd, POLLIN, 0}, {run->stop_fd, POLLIN, 0}};
    rp_timer_slack_min();
    for (;;) {
        if (poll(fds, 2, -1) < 0 && errno != EINTR)
            break;
        if (fds[1].revents & POLLIN)
            break;
        struct uffd_msg msg;
        if (read(run->uffd, &msg, sizeof msg) != (ssize_t)sizeof msg)
            continue; /* another pager thread took it (EAGAIN) */
        if (msg.event == UFFD_EVENT_PAGEFAULT && !serve(pg, &msg, rp_now_ns())) {
            give_up(run);
            break;
        }
    }
    return NULL;
}

/* The touchers of every workload, with the model's stream names. */
static Toucher *make_touchers(RpRun *run, guint *n_out) {
    const ScnScenario *sc = run->sc;
    guint n = 0;
    for (guint wi = 0; wi < sc->n_workloads; wi++)
        n += sc->workloads[wi].threads;
    Toucher *ts = g_new0(Toucher, n);
    guint k = 0;
    for (guint wi = 0; wi < sc->n_workloads; wi++) {
        const ScnWorkload *wl = &sc->workloads[wi];
        g_autofree char *prefix = g_strdup_printf("workload:%s/", wl->name);
        uint64_t hash = sim_rng_hash_name(prefix);
        for (guint i = 0; i < wl->threads; i++, k++) {
            ts[k].run = run;
            ts[k].wi = wi;
            ts[k].index = i;
            ts[k].tally.latency = rep_histogram_new();
            sim_rng_init_numbered(&ts[k].rng, sc->seed, hash, i);
            if (wl->pattern.per_thread)
                mdl_pattern_init(&ts[k].pattern, wl, i, wl->threads);
        }
    }
    *n_out = n;
    return ts;
}

static Pager *make_pagers(RpRun *run, guint n) {
    const ScnProvider *p = &run->sc->providers[run->provider];
    Pager *pgs = g_new0(Pager, n);
    for (guint i = 0; i < n; i++) {
        g_autofree char *stream = g_strdup_printf("provider:%s/w%u", p->name, i);
        pgs[i].run = run;
        sim_rng_init(&pgs[i].rng, run->sc->seed, stream);
    }
    return pgs;
}

gboolean rp_run(RpRun *run, RpTally *total, uint64_t *elapsed_ns, GError **error) {
    guint n_t, n_p = run->sc->providers[run->provider].workers;
    g_autofree Toucher *ts = make_touchers(run, &n_t);
    g_autofree Pager *pgs = make_pagers(run, n_p);
    g_autofree GThread **pt = g_new0(GThread *, n_p);
    g_autofree GThread **tt = g_new0(GThread *, n_t);
    for (guint i = 0; i < n_p; i++)
        pt[i] = g_thread_new("pager", pager_main, &pgs[i]);
    uint64_t t0 = rp_now_ns();
    for (guint i = 0; i < n_t; i++) {
        ts[i].t0 = t0;
        tt[i] = g_thread_new("toucher", toucher_main, &ts[i]);
    }
    for (guint i = 0; i < n_t; i++)
        g_thread_join(tt[i]);
    *elapsed_ns = rp_now_ns() - t0;
    uint64_t one = 1;
    if (write(run->stop_fd, &one, sizeof one) != sizeof one)
        g_warning("cannot stop the pager threads");
    gboolean ok = TRUE;
    for (guint i = 0; i < n_p; i++) {
        g_thread_join(pt[i]);
        if (pgs[i].error != NULL && ok) {
            g_propagate_error(error, pgs[i].error);
            ok = FALSE;
        } else {
            g_clear_error(&pgs[i].error);
        }
    }
    for (guint i = 0; i < n_t; i++) {
        rep_histogram_merge(total->latency, ts[i].tally.latency);
        total->accesses += ts[i].tally.accesses;
        total->faults += ts[i].tally.faults;
        rep_histogram_free(ts[i].tally.latency);
    }
    return ok;
}
