/* realpager: runs a scenario's closed workload for real (rp.h), or with
 * --calibrate measures the kernel's own fault costs.
 *
 *   realpager SCENARIO.json [--out DIR] [--seed N] [--set PATH=VALUE]... [--spin DURATION]
 *   realpager --calibrate FRAGMENT.json [--samples N]
 *
 * Exit status: 0 done; 1 runtime failure; 2 bad usage or a scenario it cannot
 * run; 77 userfaultfd is unavailable here (the reason on stderr), which meson
 * reports as a skipped test.
 */
#include "tests/realpager/rp.h"

#include "sim/cli/cli.h"
#include "sim/model/mdl-private.h"
#include "sim/report/rep-histogram-io.h"
#include "sim/report/rep-output.h"

#include <stdio.h>
#include <sys/eventfd.h>
#include <unistd.h>

typedef struct {
    char *out, *spin, *calibrate;
    char **sets;
    gint64 seed;
    gint samples;
} Args;

static int fail(int status, const GError *error) {
    g_printerr("realpager: %s%s\n", status == RP_EXIT_SKIP ? "skipped: " : "", error->message);
    return status;
}

/* Maps the regions, supplies resident ranges, and readies the draws. */
static gboolean setup(RpRun *run, GError **error) {
    const ScnScenario *sc = run->sc;
    run->regions = g_new0(RpRegion, sc->n_vmos);
    for (guint i = 0; i < sc->n_vmos; i++) {
        if (!rp_region_map(run, &run->regions[i], sc->vmos[i].size, error))
            return FALSE;
        for (guint k = 0; k < sc->vmos[i].n_resident; k++) {
            const ScnRange *rg = &sc->vmos[i].resident[k];
            for (uint64_t p = rg->offset / 4096; p < (rg->offset + rg->length) / 4096; p++) {
                gboolean existed;
                if (!rp_supply(run, &run->regions[i], p, &existed, error))
                    return FALSE;
                atomic_store(&run->regions[i].state[p], RP_PRESENT);
            }
        }
    }
    if (!mdl__dist_from_scn(&run->latency, &sc->providers[run->provider].latency, error))
        return FALSE;
    run->think = g_new0(SimDist, sc->n_workloads);
    run->shared = g_new0(MdlPattern, sc->n_workloads);
    run->wl_rng = g_new0(SimRng, sc->n_workloads);
    for (guint wi = 0; wi < sc->n_workloads; wi++) {
        g_autofree char *stream = g_strdup_printf("workload:%s", sc->workloads[wi].name);
        sim_rng_init(&run->wl_rng[wi], sc->seed, stream);
        mdl_pattern_init(&run->shared[wi], &sc->workloads[wi], 0, 1);
        if (!mdl__dist_from_scn(&run->think[wi], &sc->workloads[wi].think, error))
            return FALSE;
    }
    return TRUE;
}

static void teardown(RpRun *run) {
    for (guint i = 0; run->regions != NULL && i < run->sc->n_vmos; i++)
        rp_region_unmap(&run->regions[i]);
    g_free(run->regions);
    g_free(run->think);
    g_free(run->shared);
    g_free(run->wl_rng);
    if (run->uffd >= 0)
        close(run->uffd);
    if (run->stop_fd >= 0)
        close(run->stop_fd);
}

/* The figures as pagesim run reports them; requests are the pages served.
 * Every access the toucher threads time is a fault that succeeded; the latency
 * of accesses that found their page present is not measured, so
 * access_latency_ns stays empty. */
static void fill_stats(MdlStats *s, RpRun *run, RpTally *t, uint64_t elapsed) {
    const ScnProvider *p = &run->sc->providers[run->provider];
    rep_figures_init(s, 0, 1);
    s->events = run->messages;
    s->stop_reason = "empty";
    RepSplit *ok = rep_figures_status_split(s, "ZX_OK");
    ok->accesses = t->accesses;
    ok->faults = t->faults;
    rep_histogram_merge(ok->latency, t->latency);
    s->requests_sent = s->requests_pages = s->supplied_pages = run->served;
    s->requests_coalesced = run->coalesced;
    s->providers[0].name = g_strdup(p->name);
    s->providers[0].kind = "pager";
    s->providers[0].workers = p->workers;
    s->providers[0].requests = run->served;
    s->providers[0].busy_ns = run->busy_ns;
    s->providers[0].busy_alive_ns = run->busy_ns;
    rep_figures_finish(s, elapsed, TRUE);
}

static gboolean write_outputs(const Args *a, RpRun *run, RpTally *t, uint64_t elapsed,
                              double wall_s, GError **error) {
    const ScnScenario *sc = run->sc;
    g_autofree char *dir =
        a->out ? g_strdup(a->out) : g_build_filename("results", sc->name, "real", NULL);
    g_autoptr(RepOutput) out = rep_output_new(dir, error);
    if (out == NULL)
        return FALSE;
    MdlStats s = {0};
    fill_stats(&s, run, t, elapsed);
    FILE *f = NULL;
    gboolean ok = cli_write_summary(out, sc, &s, wall_s, NULL, NULL, FALSE, NULL, error);
    ok = ok && (f = rep_output_open(out, "latency-spectrum.tsv", error)) != NULL &&
         rep_histogram_write_spectrum(t->latency, "fault latency (real pager)", f, error);
    ok = ok && (f = rep_output_open(out, "latency-histogram.tsv", error)) != NULL &&
         rep_histogram_write_buckets(t->latency, "fault latency (real pager)", f, error);
    ok = ok && (f = rep_output_open(out, "realpager.json", error)) != NULL;
    if (ok)
        fprintf(f,
                "{\"messages\": %" G_GUINT64_FORMAT ", \"served\": %" G_GUINT64_FORMAT
                ", \"coalesced\": %" G_GUINT64_FORMAT ", \"eexist\": %" G_GUINT64_FORMAT
                ", \"spin_ns\": %" G_GUINT64_FORMAT "}\n",
                (uint64_t)run->messages, (uint64_t)run->served, (uint64_t)run->coalesced,
                (uint64_t)run->eexist, run->spin_ns);
    ok = ok && rep_output_commit(out, error);
    rep_figures_clear(&s);
    if (ok)
        printf("realpager: %" G_GUINT64_FORMAT " accesses, %" G_GUINT64_FORMAT
               " faults, %" G_GUINT64_FORMAT " pages served, %" G_GUINT64_FORMAT
               " coalesced; p50 %" G_GUINT64_FORMAT " ns, p99 %" G_GUINT64_FORMAT " ns -> %s\n",
               t->accesses, t->faults, (uint64_t)run->served, (uint64_t)run->coalesced,
               rep_histogram_quantile(t->latency, 0.5), rep_histogram_quantile(t->latency, 0.99),
               dir);
    return ok;
}

static int run_scenario(const Args *a, const char *path) {
    g_autoptr(GError) error = NULL;
    g_autoptr(ScnScenario) sc = scn_scenario_load_file(path, (const char *const *)a->sets, &error);
    if (sc == NULL)
        return fail(2, error);
    if (a->seed >= 0)
        sc->seed = (uint64_t)a->seed;
    RpRun run = {.sc = sc, .uffd = -1, .stop_fd = -1, .spin_ns = 10000};
    if (a->spin && !scn_parse_duration(a->spin, &run.spin_ns, &error))
        return fail(2, error);
    if (!rp_check_scenario(sc, &run.provider, &error))
        return fail(2, error);
    if (!rp_uffd_open(&run.uffd, &error))
        return fail(RP_EXIT_SKIP, error);
    g_mutex_init(&run.shared_lock);
    run.stop_fd = eventfd(0, EFD_CLOEXEC);
    RpTally total = {.latency = rep_histogram_new()};
    uint64_t elapsed = 0;
    gint64 w0 = g_get_monotonic_time();
    gboolean ok = setup(&run, &error) && rp_run(&run, &total, &elapsed, &error) &&
                  write_outputs(a, &run, &total, elapsed,
                                (double)(g_get_monotonic_time() - w0) / 1e6, &error);
    int status = ok ? 0 : fail(error->code == RP_EXIT_SKIP ? RP_EXIT_SKIP : 1, error);
    teardown(&run);
    g_mutex_clear(&run.shared_lock);
    rep_histogram_free(total.latency);
    return status;
}

int main(int argc, char **argv) {
    Args a = {.seed = -1, .samples = 2000};
    GOptionEntry entries[] = {
        {"out", 0, 0, G_OPTION_ARG_FILENAME, &a.out, "Output directory (default results/NAME/real)",
         "DIR"},
        {"seed", 0, 0, G_OPTION_ARG_INT64, &a.seed, "Seed instead of the scenario's", "N"},
        {"set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a.sets, "Override a scenario value",
         "PATH=VALUE"},
        {"spin", 0, 0, G_OPTION_ARG_STRING, &a.spin,
         "Pager threads busy-wait this long before each service deadline (default 10us)",
         "DURATION"},
        {"calibrate", 0, 0, G_OPTION_ARG_FILENAME, &a.calibrate,
         "Measure the kernel's fault costs; write a kernel fragment", "FILE"},
        {"samples", 0, 0, G_OPTION_ARG_INT, &a.samples,
         "Calibration faults per measure (default 2000)", "N"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("SCENARIO.json | --calibrate FILE");
    g_option_context_set_summary(
        ctx, "Runs a scenario's closed workload against a real userfaultfd pager.\n"
             "Writes summary.json and latency-histogram.tsv as pagesim run does.\n"
             "Exit: 0 done, 1 runtime failure, 2 bad usage or scenario, 77 no userfaultfd.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_autoptr(GError) error = NULL;
    int status;
    if (!g_option_context_parse(ctx, &argc, &argv, &error))
        status = fail(2, error);
    else if (a.calibrate != NULL && argc == 1 && a.samples < 10)
        status = (g_printerr("realpager: --samples must be at least 10\n"), 2);
    else if (a.calibrate != NULL && argc == 1)
        status = rp_calibrate(a.calibrate, (guint)a.samples, &error) ? 0 : fail(error->code, error);
    else if (argc != 2 || a.calibrate != NULL)
        status = (g_printerr("realpager: usage: realpager SCENARIO.json [options] | --calibrate "
                             "FILE\n"),
                  2);
    else
        status = run_scenario(&a, argv[1]);
    g_free(a.out);
    g_free(a.spin);
    g_free(a.calibrate);
    g_strfreev(a.sets);
    return status;
}
