/* A human-readable summary of a loaded scenario, printed by `pagesim validate`:
 * one header block, then one line per provider, VMO, workload and action, with
 * every default resolved and every quantity in units. Long lists are cut after
 * LIST_MAX lines with a count of the rest.
 */
#include "sim/scenario/scn-scenario.h"

#include <math.h>

#define LIST_MAX 50 /* lines per explicit workload or action list */

/* Appends the duration @ns in units. */
/* Small appenders: every quantity goes through the unit formatters, so what
 * describe prints can be pasted back into a scenario. */
static void put_ns(GString *out, uint64_t ns) {
    g_autofree char *s = scn_format_duration(ns);
    g_string_append(out, s);
}

/* Appends a kernel cost: its value, or its distribution when it has one. */
static void put_cost(GString *out, const ScnDist *dist, uint64_t ns) {
    if (dist->kind == SCN_DIST_CONSTANT) {
        put_ns(out, ns);
        return;
    }
    g_autofree char *s = scn_dist_to_string(dist);
    g_string_append(out, s);
}

/* Appends the size @bytes in units. */
static void put_size(GString *out, uint64_t bytes) {
    g_autofree char *s = scn_format_size(bytes);
    g_string_append(out, s);
}

/* Appends "OFF..END" for a byte range ("0..64MiB" for a range from the start). */
static void put_range(GString *out, uint64_t offset, uint64_t length) {
    if (offset == 0)
        g_string_append_c(out, '0');
    else
        put_size(out, offset);
    g_string_append(out, "..");
    put_size(out, offset + length);
}

/* Appends @d as its one-line description (scn_dist_to_string). */
static void put_dist(GString *out, const ScnDist *d) {
    g_autofree char *s = scn_dist_to_string(d);
    g_string_append(out, s);
}

/* Appends a status by name, or as a number when it has none (raw fails). */
static void put_status(GString *out, int64_t status) {
    const char *name = scn_status_to_string(status);

    if (name != NULL)
        g_string_append(out, name);
    else
        g_string_append_printf(out, "%" G_GINT64_FORMAT, status);
}

/* The scenario block: name, source, description, seed, policy, stop and the
 * kernel constants. Stop conditions read as a sentence ("at 1s or after N
 * events"); neither means the run ends when idle. */
static void describe_header(const ScnScenario *sc, GString *out) {
    g_string_append_printf(out, "scenario \"%s\" (%s)\n", sc->name, sc->source);
    if (sc->description[0] != '\0')
        g_string_append_printf(out, "  %s\n", sc->description);
    g_string_append_printf(out, "  seed %" G_GUINT64_FORMAT ", policy %s\n", sc->seed,
                           sc->policy.spec);
    g_string_append(out, "  stop: ");
    if (sc->stop_time_ns != SCN_NEVER) {
        g_string_append(out, "at ");
        put_ns(out, sc->stop_time_ns);
    }
    if (sc->stop_time_ns != SCN_NEVER && sc->stop_events != 0)
        g_string_append(out, " or ");
    if (sc->stop_events != 0)
        g_string_append_printf(out, "after %" G_GUINT64_FORMAT " events", sc->stop_events);
    if (sc->stop_time_ns == SCN_NEVER && sc->stop_events == 0)
        g_string_append(out, "when nothing is left to do");
    if (sc->warmup_ns) {
        g_string_append(out, "; figures measured from ");
        put_ns(out, sc->warmup_ns);
        g_string_append(out, " (stop.warmup)");
    }
    g_string_append(out, "\n  kernel: fault_entry ");
    put_cost(out, &sc->kernel.fault_entry, sc->kernel.fault_entry_ns);
    g_string_append(out, ", wake_latency ");
    put_cost(out, &sc->kernel.wake_latency, sc->kernel.wake_latency_ns);
    g_string_append(out, ", pager_timeout ");
    put_ns(out, sc->kernel.pager_timeout_ns);
    g_string_append(out, ", overtime_wait ");
    put_ns(out, sc->kernel.overtime_wait_ns);
    if (sc->kernel.walk_page_ns || sc->kernel.unlock_to_wait_ns || sc->kernel.supply_page_ns) {
        g_string_append(out, "\n  VMO lock: walk_page ");
        put_cost(out, &sc->kernel.walk_page, sc->kernel.walk_page_ns);
        g_string_append(out, ", unlock_to_wait ");
        put_cost(out, &sc->kernel.unlock_to_wait, sc->kernel.unlock_to_wait_ns);
        g_string_append(out, ", supply_page ");
        put_cost(out, &sc->kernel.supply_page, sc->kernel.supply_page_ns);
    }
    g_string_append_c(out, '\n');
}

/* The pager-only part of a provider line. Defaults that change nothing
 * (no cluster, no failures, no death) are left out to keep the line short. */
static void describe_pager(const ScnProvider *p, GString *out) {
    char pct[G_ASCII_DTOSTR_BUF_SIZE];

    g_string_append_printf(out, ", %u worker%s, latency ", p->workers, p->workers == 1 ? "" : "s");
    put_dist(out, &p->latency);
    g_string_append(out, ", per_page ");
    put_ns(out, p->per_page_ns);
    g_string_append_printf(out, ", supply %s", scn_supply_mode_to_string(p->supply_mode));
    if (p->supply_mode == SCN_SUPPLY_CHUNKS) {
        g_string_append(out, " of ");
        put_size(out, p->supply_chunk);
    }
    if (p->supply_cluster != 0) {
        g_string_append(out, ", cluster ");
        put_size(out, p->supply_cluster);
    }
    if (p->failure_probability > 0.0) {
        g_ascii_formatd(pct, sizeof pct, "%g", p->failure_probability * 100.0);
        g_string_append_printf(out, ", fails %s%% with ", pct);
        put_status(out, p->failure_status);
    }
    if (p->die_at_ns != SCN_NEVER) {
        g_string_append(out, ", dies at ");
        put_ns(out, p->die_at_ns);
    }
    if (p->device_name != NULL)
        g_string_append_printf(out, ", reads from device %s", p->device_name);
}

/* One line per device with every preset value resolved (none if no devices). */
static void describe_devices(const ScnScenario *sc, GString *out) {
    if (sc->n_devices == 0)
        return;
    g_string_append_printf(out, "devices (%u):\n", sc->n_devices);
    for (guint i = 0; i < sc->n_devices; i++) {
        const ScnDevice *d = &sc->devices[i];
        char bw[G_ASCII_DTOSTR_BUF_SIZE];
        g_string_append_printf(out, "  [%u] %s: %s", i, d->name,
                               scn_device_kind_to_string(d->kind));
        if (d->kind != SCN_DEVICE_NONE) {
            g_ascii_formatd(bw, sizeof bw, "%g", d->bandwidth_mbps);
            g_string_append_printf(out, ", queue depth %u, request ", d->queue_depth);
            put_ns(out, d->request_ns);
            g_string_append_printf(out, ", %s MB/s", bw);
        }
        if (d->kind == SCN_DEVICE_NVME || d->kind == SCN_DEVICE_SATA_SSD) {
            g_string_append(out, ", random position ");
            put_ns(out, d->position_ns);
        }
        if (d->kind == SCN_DEVICE_HDD) {
            g_string_append(out, ", seek ");
            put_ns(out, d->settle_ns);
            g_string_append(out, " + ");
            put_ns(out, d->stroke_ns);
            g_string_append(out, " x sqrt(distance / ");
            put_size(out, d->span);
            g_string_append_printf(out, "), %u rpm", d->rpm);
        }
        if (d->has_latency) {
            g_string_append(out, ", plus latency ");
            put_dist(out, &d->latency);
        }
        g_string_append_c(out, '\n');
    }
}

/* One line per provider, kind first, then the kind's own parameters. */
static void describe_providers(const ScnScenario *sc, GString *out) {
    describe_devices(sc, out);
    g_string_append_printf(out, "providers (%u):\n", sc->n_providers);
    for (guint i = 0; i < sc->n_providers; i++) {
        const ScnProvider *p = &sc->providers[i];

        g_string_append_printf(out, "  [%u] %s: %s", i, p->name,
                               scn_provider_kind_to_string(p->kind));
        if (p->kind == SCN_PROVIDER_PAGER)
            describe_pager(p, out);
        if (p->kind == SCN_PROVIDER_SYNC) {
            g_string_append(out, ", cost ");
            put_ns(out, p->cost_ns);
        }
        g_string_append_c(out, '\n');
    }
}

/* One line per VMO: size in units and pages, provider, resident ranges. */
static void describe_vmos(const ScnScenario *sc, GString *out) {
    g_string_append_printf(out, "vmos (%u):\n", sc->n_vmos);
    for (guint i = 0; i < sc->n_vmos; i++) {
        const ScnVmo *v = &sc->vmos[i];

        g_string_append_printf(out, "  [%u] %s: ", i, v->name);
        put_size(out, v->size);
        g_string_append_printf(out, " (%" G_GUINT64_FORMAT " page%s), provider %s", v->size / 4096,
                               v->size == SCN_PAGE_SIZE ? "" : "s",
                               v->provider != SCN_NONE ? sc->providers[v->provider].name : "none");
        for (guint k = 0; k < v->n_resident; k++) {
            g_string_append(out, k == 0 ? ", resident " : ", ");
            put_range(out, v->resident[k].offset, v->resident[k].length);
        }
        g_string_append_c(out, '\n');
    }
}

/* The pattern as a phrase: "strided by 64KiB per thread", "zipf theta 0.99
 * over 64MiB". */
static void describe_pattern(const ScnPattern *p, GString *out) {
    g_string_append(out, scn_pattern_kind_to_string(p->kind));
    if (p->kind == SCN_PATTERN_STRIDED) {
        g_string_append(out, " by ");
        put_size(out, p->stride);
    }
    if (p->kind == SCN_PATTERN_ZIPF) {
        char theta[G_ASCII_DTOSTR_BUF_SIZE];

        g_ascii_formatd(theta, sizeof theta, "%g", p->theta);
        g_string_append_printf(out, " theta %s over ", theta);
        put_size(out, p->hot_set);
    }
    if (p->per_thread)
        g_string_append(out, " per thread");
}

/* The part common to closed and open workloads: VMO, range, access shape. */
static void describe_loop(const ScnScenario *sc, const ScnWorkload *w, GString *out) {
    g_string_append_printf(out, " on %s ", sc->vmos[w->vmo].name);
    put_range(out, w->range_offset, w->range_size);
    g_string_append_printf(out, ", %s %" G_GUINT64_FORMAT " page%s, ",
                           scn_access_kind_to_string(w->access), w->pages,
                           w->pages == 1 ? "" : "s");
    describe_pattern(&w->pattern, out);
}

/* A closed workload: thread count first, since it sizes everything else. */
static void describe_closed(const ScnScenario *sc, const ScnWorkload *w, GString *out) {
    g_string_append_printf(out, ", %u thread%s", w->threads, w->threads == 1 ? "" : "s");
    describe_loop(sc, w, out);
    g_string_append(out, ", think ");
    put_dist(out, &w->think);
    if (w->access_limit != 0)
        g_string_append_printf(out, ", %" G_GUINT64_FORMAT " accesses per thread", w->access_limit);
    else
        g_string_append(out, ", accesses until stop");
    g_string_append(out, ", start ");
    put_ns(out, w->start_ns);
}

/* An open workload: the arrival process replaces the thread count. */
static void describe_open(const ScnScenario *sc, const ScnWorkload *w, GString *out) {
    describe_loop(sc, w, out);
    if (w->arrival == SCN_ARRIVAL_POISSON) {
        g_autofree char *rate = scn_format_rate(w->rate_per_s);
        g_string_append_printf(out, ", poisson arrivals at %s", rate);
    } else {
        g_string_append(out, ", one arrival every ");
        put_ns(out, w->every_ns);
    }
    if (w->count != 0)
        g_string_append_printf(out, ", %" G_GUINT64_FORMAT " arrivals", w->count);
    else
        g_string_append(out, ", arrivals until stop");
    g_string_append_printf(out, ", at most %" G_GUINT64_FORMAT " in flight", w->max_in_flight);
    g_string_append(out, ", start ");
    put_ns(out, w->start_ns);
}

/* An explicit workload: its threads, then one indented line per access. */
static void describe_explicit(const ScnScenario *sc, const ScnWorkload *w, GString *out) {
    g_autofree char *names = g_strjoinv(", ", w->thread_names);

    g_string_append_printf(out, ", %u thread%s (%s), %u access%s", w->threads,
                           w->threads == 1 ? "" : "s", names, w->n_accesses,
                           w->n_accesses == 1 ? "" : "es");
    for (guint k = 0; k < w->n_accesses && k < LIST_MAX; k++) {
        const ScnAccess *a = &w->accesses[k];

        g_string_append(out, "\n      at ");
        put_ns(out, a->at_ns);
        g_string_append_printf(out, " %s %s %s ", w->thread_names[a->thread],
                               scn_access_kind_to_string(a->access), sc->vmos[a->vmo].name);
        put_range(out, a->offset, a->pages * SCN_PAGE_SIZE);
    }
    if (w->n_accesses > LIST_MAX)
        g_string_append_printf(out, "\n      ... %u more", w->n_accesses - LIST_MAX);
}

/* One line per workload (more for explicit ones), in file order. */
static void describe_workloads(const ScnScenario *sc, GString *out) {
    g_string_append_printf(out, "workloads (%u):\n", sc->n_workloads);
    for (guint i = 0; i < sc->n_workloads; i++) {
        const ScnWorkload *w = &sc->workloads[i];
        static const char *const kinds[] = {"closed", "open", "explicit", "trace"};

        g_string_append_printf(out, "  [%u] %s: %s", i, w->name, kinds[w->kind]);
        if (w->kind == SCN_WORKLOAD_CLOSED)
            describe_closed(sc, w, out);
        else if (w->kind == SCN_WORKLOAD_OPEN)
            describe_open(sc, w, out);
        else if (w->kind == SCN_WORKLOAD_EXPLICIT)
            describe_explicit(sc, w, out);
        else
            g_string_append_printf(out, " %s, %s, %" G_GUINT64_FORMAT " records, %u threads",
                                   w->trace_file,
                                   w->trace_mode == SCN_TRACE_CLOSED ? "closed" : "as recorded",
                                   w->trace_records, w->threads);
        g_string_append_c(out, '\n');
    }
}

/* Appends the target of action @a: its VMO and range, provider, or thread. */
static void describe_target(const ScnScenario *sc, const ScnAction *a, GString *out) {
    const ScnWorkload *w;

    if (a->vmo != SCN_NONE)
        g_string_append_printf(out, " %s", sc->vmos[a->vmo].name);
    if (a->kind == SCN_ACTION_SUPPLY || a->kind == SCN_ACTION_FAIL || a->kind == SCN_ACTION_EVICT) {
        g_string_append_c(out, ' ');
        put_range(out, a->offset, a->length);
    }
    if (a->zero)
        g_string_append(out, " as zero markers");
    if (a->kind == SCN_ACTION_RESIZE) {
        g_string_append(out, " to ");
        put_size(out, a->size);
    }
    if (a->kind == SCN_ACTION_FAIL) {
        g_string_append_c(out, ' ');
        put_status(out, a->status);
        g_string_append(out, a->raw ? " (raw" : "");
        if (a->raw && a->provider != SCN_NONE)
            g_string_append_printf(out, ", by %s", sc->providers[a->provider].name);
        g_string_append(out, a->raw ? ")" : "");
    } else if (a->provider != SCN_NONE) {
        g_string_append_printf(out, " %s", sc->providers[a->provider].name);
    }
    if (a->thread.workload == SCN_NONE)
        return;
    w = &sc->workloads[a->thread.workload];
    if (w->thread_names != NULL)
        g_string_append_printf(out, " %s", w->thread_names[a->thread.index]);
    else
        g_string_append_printf(out, " %s/%u", w->name, a->thread.index);
}

/* One line per action in run order (sorted by time), so the list reads as
 * a timeline. */
static void describe_actions(const ScnScenario *sc, GString *out) {
    g_string_append_printf(out, "actions (%u):\n", sc->n_actions);
    for (guint i = 0; i < sc->n_actions && i < LIST_MAX; i++) {
        g_string_append(out, "  at ");
        put_ns(out, sc->actions[i].at_ns);
        g_string_append_printf(out, ": %s", scn_action_kind_to_string(sc->actions[i].kind));
        describe_target(sc, &sc->actions[i], out);
        g_string_append_c(out, '\n');
    }
    if (sc->n_actions > LIST_MAX)
        g_string_append_printf(out, "  ... %u more\n", sc->n_actions - LIST_MAX);
}

/* Sections in the order of the file format's reference. */
/* The memory line, only for a scenario with a "memory" section. */
static void describe_memory(const ScnMemory *m, GString *out) {
    if (!m->enabled)
        return;
    g_string_append(out, "  memory: capacity ");
    put_size(out, m->capacity);
    g_string_append(out, ", low ");
    put_size(out, m->low);
    g_string_append(out, ", high ");
    put_size(out, m->high);
    if (m->vmo_limit) {
        g_string_append(out, ", per VMO ");
        put_size(out, m->vmo_limit);
    }
    g_string_append_printf(out, ", reclaim %s, ", scn_reclaim_to_string(m->reclaim));
    put_ns(out, m->reclaim_cost_ns);
    g_string_append_printf(out, " per page evicted, batches of %u pages", m->batch);
    g_string_append_printf(out, ", shadows for %u x capacity", m->shadows);
    if (m->reclaim == SCN_RECLAIM_PAGE_QUEUES) {
        g_string_append_printf(out, ", %u age queues rotated every ", m->generations);
        put_ns(out, m->aging_period_ns);
    }
    g_string_append_c(out, '\n');
}

void scn_scenario_describe(const ScnScenario *sc, GString *out) {
    g_return_if_fail(sc != NULL && out != NULL);
    describe_header(sc, out);
    describe_memory(&sc->memory, out);
    describe_providers(sc, out);
    describe_vmos(sc, out);
    describe_workloads(sc, out);
    describe_actions(sc, out);
}
