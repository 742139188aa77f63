/* Run-time plot data, latency.hgrm, summary.csv and --trace-max (see
 * cli-run-data.h).
 *
 * Invariants:
 *  1. the timeline sees every event of the run, traced or not, windowed or not:
 *     the model feeds it directly (MdlOptions.timeline), not through the trace;
 *  2. once a trace reached --trace-max it receives nothing more.
 */
#include "sim/cli/cli-run-data.h"

#include <inttypes.h>

#include "sim/report/rep-hgrm.h"
#include "sim/report/rep-plot-splits.h"
#include "sim/report/rep-timeline-io.h"
#include "sim/scenario/scn-units.h"

struct _CliRunData {
    RepTimeline *timeline; /* the series (owned) */
    RepTrace *trace;       /* borrowed */
    RepPerfetto *pf;       /* borrowed; NULL once it reached max_bytes */
    uint64_t max_bytes;    /* --trace-max */
    uint64_t pf_cut;       /* when the Perfetto trace was cut; UINT64_MAX */
    uint64_t interval;     /* --interval; 0 automatic */
};

CliRunData *cli_run_data_new(const ScnScenario *sc, uint64_t interval) {
    CliRunData *d = g_new0(CliRunData, 1);
    uint64_t first = interval;
    if (first == 0)
        first = sc->stop_time_ns != SCN_NEVER && sc->stop_time_ns > 0
                    ? rep_timeline_nice_interval(sc->stop_time_ns, CLI_RUN_TARGET_INTERVALS)
                    : 1000;
    d->timeline = rep_timeline_new(0, first, 1);
    if (interval == 0)
        rep_timeline_set_max(d->timeline, CLI_RUN_MAX_INTERVALS);
    for (guint i = 0; i < sc->n_providers; i++) {
        const ScnProvider *p = &sc->providers[i];
        rep_timeline_add_provider(d->timeline, p->name,
                                  p->kind == SCN_PROVIDER_PAGER ? p->workers : 0);
    }
    for (guint i = 0; i < sc->n_devices; i++)
        rep_timeline_add_device(d->timeline, sc->devices[i].name, sc->devices[i].queue_depth);
    rep_timeline_set_memory(d->timeline, sc->memory.enabled);
    if (sc->stop_time_ns != SCN_NEVER)
        rep_timeline_set_horizon(d->timeline, sc->stop_time_ns);
    d->interval = interval;
    d->pf_cut = UINT64_MAX;
    return d;
}

void cli_run_data_free(CliRunData *d) {
    if (d == NULL)
        return;
    rep_timeline_free(d->timeline);
    g_free(d);
}

static void feed(const RepEvent *e, gpointer data) {
    CliRunData *d = data;
    if (d->pf == NULL)
        return;
    if (rep_perfetto_bytes(d->pf) >= d->max_bytes) {
        d->pf_cut = e->t;
        d->pf = NULL;
        return;
    }
    rep_perfetto_feed(e, d->pf);
}

void cli_run_data_attach(CliRunData *d, RepTrace *trace, RepPerfetto *pf, uint64_t max_bytes) {
    d->trace = trace;
    d->pf = pf;
    d->max_bytes = max_bytes;
    rep_trace_set_max(trace, max_bytes);
    if (pf) /* without it no record is built: --trace none traces nothing */
        rep_trace_set_tee(trace, feed, d);
}

RepTimeline *cli_run_data_timeline(CliRunData *d) { return d->timeline; }

void cli_run_data_detach(CliRunData *d) {
    if (d->trace)
        rep_trace_set_tee(d->trace, NULL, NULL);
}

uint64_t cli_run_data_truncated_at(const CliRunData *d) {
    return MIN(d->pf_cut, d->trace ? rep_trace_truncated_at(d->trace) : UINT64_MAX);
}

/* summary.csv: a header row and one row of the run's headline figures. */
static void write_csv(FILE *f, const ScnScenario *sc, const MdlStats *s) {
    const RepHistogram *h = s->all.latency;
    fputs("scenario,seed,policy,sim_time_ns,events,accesses,faults,faults_failed,requests_sent,"
          "requests_pages,requests_coalesced,requests_cancelled,supplied_pages,pages_unused,"
          "waits,mean_wait_ns,latency_count,latency_min_ns,latency_mean_ns,latency_p50_ns,"
          "latency_p90_ns,latency_p99_ns,latency_p999_ns,latency_p9999_ns,latency_max_ns\n",
          f);
    g_auto(GStrv) name = g_strsplit(sc->name, "\"", -1);
    g_auto(GStrv) pol = g_strsplit(sc->policy.spec, "\"", -1);
    g_autofree char *qn = g_strjoinv("\"\"", name), *qp = g_strjoinv("\"\"", pol);
    fprintf(f, "\"%s\",%" PRIu64 ",\"%s\",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64,
            qn, (uint64_t)sc->seed, qp, s->sim_time_ns, (uint64_t)s->events,
            (uint64_t)s->all.accesses, (uint64_t)s->all.faults, (uint64_t)s->all.faults_failed);
    fprintf(
        f,
        ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%.3f",
        (uint64_t)s->requests_sent, (uint64_t)s->requests_pages, (uint64_t)s->requests_coalesced,
        (uint64_t)s->requests_cancelled, (uint64_t)s->supplied_pages, (uint64_t)s->unused_pages,
        (uint64_t)s->waits, mdl_stats_mean_wait(s));
    fprintf(f, ",%" PRIu64 ",%" PRIu64 ",%.3f", h->count, h->count ? h->min : 0,
            rep_histogram_mean(h));
    static const double qs[] = {0.5, 0.9, 0.99, 0.999, 0.9999};
    for (size_t i = 0; i < G_N_ELEMENTS(qs); i++)
        fprintf(f, ",%" PRIu64, rep_histogram_quantile(h, qs[i]));
    fprintf(f, ",%" PRIu64 "\n", h->max);
}

gboolean cli_run_data_write(CliRunData *d, const ScnScenario *sc, const MdlStats *s, RepOutput *out,
                            GError **error) {
    if (d->interval && d->interval > s->sim_time_ns) {
        g_autofree char *iv = scn_format_duration(d->interval);
        g_autofree char *len = scn_format_duration(s->sim_time_ns);
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--interval %s is longer than the run (%s of simulated time)", iv, len);
        return FALSE;
    }
    rep_timeline_finish(d->timeline, s->sim_time_ns);
    FILE *f = rep_output_open(out, "timeline.tsv", error);
    if (f == NULL || !rep_timeline_write(d->timeline, f, error))
        return FALSE;
    if ((f = rep_output_open(out, "latency.hgrm", error)) == NULL ||
        !rep_hgrm_write(s->all.latency, f, error))
        return FALSE;
    if ((f = rep_output_open(out, "latency-splits.tsv", error)) == NULL ||
        !rep_splits_write(s, f, error))
        return FALSE;
    if ((f = rep_output_open(out, "summary.csv", error)) == NULL)
        return FALSE;
    write_csv(f, sc, s);
    if (fflush(f) != 0 || ferror(f)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "cannot write summary.csv");
        return FALSE;
    }
    return TRUE;
}

gboolean cli_parse_interval(const char *text, const ScnScenario *sc, uint64_t *out,
                            GError **error) {
    g_autoptr(GError) sub = NULL;
    if (!scn_parse_duration(text, out, &sub)) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--interval: %s",
                    sub->message);
        return FALSE;
    }
    if (*out == 0) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--interval: \"%s\" must be longer than 0", text);
        return FALSE;
    }
    if (sc->stop_time_ns != SCN_NEVER && *out > sc->stop_time_ns) {
        g_autofree char *stop = scn_format_duration(sc->stop_time_ns);
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--interval: \"%s\" is longer than the run (stop.time %s)", text, stop);
        return FALSE;
    }
    return TRUE;
}

gboolean cli_parse_trace_max(const char *text, uint64_t *out, GError **error) {
    g_autoptr(GError) sub = NULL;
    if (!scn_parse_size(text, out, &sub)) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--trace-max: %s",
                    sub->message);
        return FALSE;
    }
    if (*out == 0) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--trace-max: \"%s\" must be more than 0 bytes", text);
        return FALSE;
    }
    return TRUE;
}
