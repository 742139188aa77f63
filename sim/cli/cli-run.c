/* pagesim run SCENARIO.json: runs a scenario and writes its results to the output
 * directory (default results/<scenario name>/): summary.json, scenario.json (the
 * resolved scenario, which repeats the run), latency-spectrum.tsv,
 * latency-histogram.tsv, and the traces asked for with --trace (events.jsonl,
 * trace.json), all through temporary files renamed only when the run is
 * complete.
 *
 * The Perfetto trace is converted while the model runs: the native trace writer
 * hands each event to the converter as a record (its tee), so --trace perfetto
 * needs neither a temporary events.jsonl nor any JSON parsing, and --trace both
 * writes the two from one stream.
 *
 * Invariants:
 *  1. nothing is renamed into the output directory unless every file was
 *     written completely;
 *  2. the tee is removed before the converter is finished, so no event reaches
 *     a finished converter.
 */
#include <glib/gstdio.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pagesim-config.h"
#include "sim/cli/cli-progress.h"
#include "sim/cli/cli-run-data.h"
#include "sim/cli/cli.h"
#include "sim/model/mdl-estimate.h"
#include "sim/report/rep-gz.h"
#include "sim/report/rep-histogram-io.h"
#include "sim/report/rep-perfetto.h"
#include "sim/scenario/scn-units.h"

typedef struct {
    char *out;            /* --out */
    char *seed;           /* --seed, as typed */
    char *policy;         /* --policy */
    char **sets;          /* --set, repeatable */
    char *trace;          /* --trace */
    char *window;         /* --trace-window */
    char *perfetto_out;   /* --perfetto-out */
    char *trace_max;      /* --trace-max */
    char *interval;       /* --interval */
    gboolean gzip_events; /* --gzip-events */
    char *max_memory;     /* --max-memory */
    gboolean check;       /* --check */
    gboolean quiet;       /* --quiet */
} RunArgs;

static void run_args_clear(RunArgs *a) {
    g_free(a->out);
    g_free(a->seed);
    g_free(a->policy);
    g_strfreev(a->sets);
    g_free(a->trace);
    g_free(a->window);
    g_free(a->perfetto_out);
    g_free(a->trace_max);
    g_free(a->interval);
    g_free(a->max_memory);
}

/* Applies --seed and --policy to the loaded scenario. Returns FALSE with an
 * error for a bad value. */
static gboolean apply_args(const RunArgs *a, ScnScenario *sc, GError **error) {
    if (a->seed) {
        guint64 seed;
        if (!g_ascii_string_to_unsigned(a->seed, 10, 0, G_MAXUINT64, &seed, NULL)) {
            g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                        "--seed: \"%s\" is not an unsigned 64-bit integer", a->seed);
            return FALSE;
        }
        sc->seed = seed;
    }
    return a->policy == NULL || scn_scenario_set_policy(sc, a->policy, error);
}

static gboolean G_GNUC_PRINTF(2, 3) bad_value(GError **error, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error_literal(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, msg);
    return FALSE;
}

/* --trace-window START:END, either side empty for the run's start or end. */
static gboolean parse_window(const char *text, CliTraceSetup *ts, GError **error) {
    const char *colon = text ? strchr(text, ':') : NULL;
    if (text == NULL)
        return TRUE;
    if (colon == NULL)
        return bad_value(error, "--trace-window: \"%s\" is not START:END (e.g. 10ms:20ms)", text);
    g_autofree char *start = g_strndup(text, (gsize)(colon - text));
    g_autoptr(GError) sub = NULL;
    if ((start[0] && !scn_parse_duration(start, &ts->window_start, &sub)) ||
        (colon[1] && !scn_parse_duration(colon + 1, &ts->window_end, &sub))) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--trace-window: %s",
                    sub->message);
        return FALSE;
    }
    if (ts->window_end <= ts->window_start)
        return bad_value(error, "--trace-window: \"%s\": END must come after START", text);
    ts->windowed = TRUE;
    return TRUE;
}

/* Reads --trace, --trace-window and --perfetto-out into @ts. */
static gboolean trace_setup(const RunArgs *a, CliTraceSetup *ts, GError **error) {
    const char *mode = a->trace ? a->trace : "native";
    *ts = (CliTraceSetup){.window_end = UINT64_MAX, .perfetto_name = "trace.json"};
    ts->native_name = a->gzip_events ? "events.jsonl.gz" : "events.jsonl";
    ts->native = strcmp(mode, "native") == 0 || strcmp(mode, "both") == 0;
    ts->perfetto = strcmp(mode, "perfetto") == 0 || strcmp(mode, "both") == 0;
    if (!ts->native && !ts->perfetto && strcmp(mode, "none") != 0)
        return bad_value(error, "--trace: \"%s\" is not one of native, perfetto, both, none", mode);
    if (a->perfetto_out) {
        if (!a->perfetto_out[0] || strchr(a->perfetto_out, '/') || a->perfetto_out[0] == '.')
            return bad_value(error,
                             "--perfetto-out: \"%s\" must be a file name inside the output "
                             "directory (no '/', not starting with '.')",
                             a->perfetto_out);
        if (cli_is_output_name(a->perfetto_out))
            return bad_value(error,
                             "--perfetto-out: \"%s\" is the name of another file the run writes",
                             a->perfetto_out);
        if (!ts->perfetto)
            return bad_value(error, "--perfetto-out %s needs --trace perfetto or --trace both",
                             a->perfetto_out);
        ts->perfetto_name = a->perfetto_out;
    }
    ts->gzip = g_str_has_suffix(ts->perfetto_name, ".gz");
    ts->max_bytes = CLI_TRACE_MAX_DEFAULT;
    if (a->trace_max && !cli_parse_trace_max(a->trace_max, &ts->max_bytes, error))
        return FALSE;
    if (a->gzip_events && !ts->native)
        return bad_value(error, "--gzip-events needs the native trace (--trace native or both)");
    if (a->window && !ts->native && !ts->perfetto)
        return bad_value(error, "--trace-window %s needs a trace (--trace is none)", a->window);
    return parse_window(a->window, ts, error);
}

/* Runs @w to its end, in slices of simulated time sized to take about 0.1 s of
 * wall time each when a progress line may be shown. */
static void run_model(MdlWorld *w, const ScnScenario *sc, gboolean quiet) {
    g_autoptr(CliProgress) pg =
        cli_progress_new(!quiet, mdl_world_get_stop_time(w), sc->stop_events);
    if (!cli_progress_active(pg)) {
        mdl_world_run(w);
        return;
    }
    uint64_t slice = 1000000; /* 1 ms of simulated time to begin with */
    for (;;) {
        gint64 t0 = g_get_monotonic_time();
        uint64_t now = mdl_world_get_now(w);
        gboolean more = mdl_world_run_until(w, now > UINT64_MAX - slice ? UINT64_MAX : now + slice);
        cli_progress_update(pg, mdl_world_get_now(w), mdl_world_get_events(w));
        if (!more)
            return;
        gint64 took = g_get_monotonic_time() - t0;
        if (took < 50000 && slice < UINT64_MAX / 4)
            slice *= 2;
        else if (took > 200000 && slice > 1)
            slice /= 2;
    }
}

/* Opens the trace files asked for and connects them to @trace. Returns FALSE
 * with @error if a file cannot be created. */
static gboolean open_traces(CliTraceSetup *ts, const ScnScenario *sc, RepOutput *out,
                            RepTrace **trace, RepPerfetto **pf, GError **error) {
    FILE *events = NULL;
    if (ts->native && (events = rep_output_open(out, ts->native_name, error)) == NULL)
        return FALSE;
    if (events && g_str_has_suffix(ts->native_name, ".gz") &&
        (events = ts->native_gz = rep_gz_wrap_write(events)) == NULL) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "cannot compress %s", ts->native_name);
        return FALSE;
    }
    *trace = rep_trace_new(events);
    rep_trace_set_window(*trace, ts->window_start, ts->window_end);
    if (!ts->perfetto)
        return TRUE;
    FILE *json = rep_output_open(out, ts->perfetto_name, error);
    if (json == NULL)
        return FALSE;
    RepPerfettoOptions opt = {.window_start = ts->window_start,
                              .window_end = ts->window_end,
                              .scenario = sc->name,
                              .policy = sc->policy.spec,
                              .version = PAGESIM_VERSION,
                              .seed = sc->seed};
    *pf = rep_perfetto_new(json, ts->gzip, &opt);
    return TRUE;
}

/* Finishes the traces after the run. */
static gboolean close_traces(CliTraceSetup *ts, CliRunData *data, RepTrace *trace, RepPerfetto *pf,
                             GError **error) {
    cli_run_data_detach(data);
    ts->truncated_at = cli_run_data_truncated_at(data);
    ts->truncated = ts->truncated_at != UINT64_MAX;
    if (ts->truncated) {
        g_autofree char *max = scn_format_size(ts->max_bytes);
        g_autofree char *at = scn_format_duration(ts->truncated_at);
        fprintf(stderr,
                "pagesim: warning: the trace reached --trace-max %s and stops at %s of "
                "simulated time (summary.json: trace.truncated_at)\n",
                max, at);
    }
    gboolean gz_ok = TRUE;
    if (rep_trace_flush(trace) && ts->native_gz) {
        gz_ok = fclose(ts->native_gz) == 0; /* the gzip trailer */
        ts->native_gz = NULL;
    }
    if (!gz_ok || !rep_trace_flush(trace)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "cannot write %s", ts->native_name);
        return FALSE;
    }
    if (pf && !rep_perfetto_finish(pf, error)) {
        g_prefix_error(error, "%s: ", ts->perfetto_name);
        return FALSE;
    }
    return TRUE;
}

/* Writes summary.json, scenario.json and the latency files. */
static gboolean write_results(const RunArgs *a, const ScnScenario *sc, const MdlStats *s,
                              double wall_s, const CliTraceSetup *ts, RepOutput *out,
                              GError **error) {
    if (!cli_write_summary(out, sc, s, wall_s, ts, a->sets, TRUE, NULL, error) ||
        !cli_write_resolved(out, sc, error))
        return FALSE;
    FILE *f = rep_output_open(out, "latency-spectrum.tsv", error);
    if (f == NULL || !rep_histogram_write_spectrum(s->all.latency, "fault latency", f, error))
        return FALSE;
    f = rep_output_open(out, "latency-histogram.tsv", error);
    return f != NULL && rep_histogram_write_buckets(s->all.latency, "fault latency", f, error);
}

/* Runs the world and writes its results into @out. Returns the exit status. */
static int run_world(const RunArgs *a, const ScnScenario *sc, CliTraceSetup *ts, uint64_t interval,
                     RepOutput *out) {
    g_autoptr(GError) error = NULL;
    g_autoptr(RepTrace) trace = NULL;
    g_autoptr(RepPerfetto) pf = NULL;
    g_autoptr(CliRunData) data = cli_run_data_new(sc, interval);
    if (!open_traces(ts, sc, out, &trace, &pf, &error))
        return cli_fail(CLI_EXIT_RUNTIME, error);
    cli_run_data_attach(data, trace, pf, ts->max_bytes);
    MdlOptions opt = {.trace = trace, .timeline = cli_run_data_timeline(data), .check = a->check};
    g_autoptr(MdlWorld) w = mdl_world_new(sc, &opt, &error);
    if (w == NULL)
        return cli_fail(CLI_EXIT_USAGE, error);
    gint64 t0 = g_get_monotonic_time();
    cli_signals_watch(w);
    run_model(w, sc, a->quiet);
    cli_signals_watch(NULL);
    double wall_s = (double)(g_get_monotonic_time() - t0) / 1e6;
    const MdlStats *s = mdl_world_get_stats(w);
    if (!close_traces(ts, data, trace, pf, &error) || !rep_output_flush(out, NULL, &error) ||
        !write_results(a, sc, s, wall_s, ts, out, &error) ||
        !cli_run_data_write(data, sc, s, out, &error) || !rep_output_commit(out, &error))
        return g_error_matches(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE)
                   ? cli_fail(CLI_EXIT_USAGE, error)
                   : cli_fail_output(out, error);
    if (s->interrupted)
        fprintf(stderr,
                "pagesim: interrupted by signal %d at simulated time %" G_GUINT64_FORMAT
                " ns; the results so far are in %s\n",
                cli_signals_caught(), s->sim_time_ns, rep_output_dir(out));
    if (!a->quiet)
        cli_print_run(sc, s, rep_output_dir(out), wall_s);
    if (!a->quiet && s->all.accesses == 0)
        fprintf(stderr,
                "pagesim: no access finished in the measured window (%" G_GUINT64_FORMAT
                " ns to %" G_GUINT64_FORMAT " ns): latencies and rates are null\n",
                MIN(s->window_start_ns, s->sim_time_ns), s->sim_time_ns);
    if (s->violation) {
        fprintf(stderr, "pagesim: invariant violated: %s\n", s->violation);
        return CLI_EXIT_INVARIANT;
    }
    return CLI_EXIT_OK;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RunArgs, run_args_clear)

int cli_run(int argc, char **argv) {
    g_auto(RunArgs) a = {0};
    GOptionEntry entries[] = {
        {"out", 'o', 0, G_OPTION_ARG_FILENAME, &a.out,
         "Output directory (default results/<scenario name>)", "DIR"},
        {"seed", 0, 0, G_OPTION_ARG_STRING, &a.seed, "Override the scenario's seed", "N"},
        {"policy", 0, 0, G_OPTION_ARG_STRING, &a.policy, "Override the batching policy", "SPEC"},
        {"set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a.sets,
         "Override a value of the scenario (repeatable)", "PATH=VALUE"},
        {"trace", 0, 0, G_OPTION_ARG_STRING, &a.trace,
         "Trace output: native (events.jsonl, the default), perfetto (trace.json), both or none",
         "MODE"},
        {"trace-window", 0, 0, G_OPTION_ARG_STRING, &a.window,
         "Trace only simulated times START <= t < END, e.g. 10ms:20ms (either may be empty)",
         "START:END"},
        {"perfetto-out", 0, 0, G_OPTION_ARG_STRING, &a.perfetto_out,
         "File name of the Perfetto trace in the output directory (default trace.json; "
         "gzip-compressed if it ends in .gz)",
         "NAME"},
        {"gzip-events", 0, 0, G_OPTION_ARG_NONE, &a.gzip_events,
         "Write the native trace gzip-compressed, as events.jsonl.gz", NULL},
        {"trace-max", 0, 0, G_OPTION_ARG_STRING, &a.trace_max,
         "Stop each trace at SIZE bytes (default 1GiB; a warning and "
         "trace.truncated_at in summary.json say where)",
         "SIZE"},
        {"interval", 0, 0, G_OPTION_ARG_STRING, &a.interval,
         "Interval of the timeline and heat map (default: automatic, about 200 over the run)",
         "DURATION"},
        {"max-memory", 0, 0, G_OPTION_ARG_STRING, &a.max_memory,
         "Refuse a scenario whose memory estimate exceeds SIZE (default half the physical "
         "memory; 0: no limit)",
         "SIZE"},
        {"check", 0, 0, G_OPTION_ARG_NONE, &a.check,
         "Check the page source's invariants after every operation (exit 3 on a violation)", NULL},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &a.quiet, "Print nothing but errors", NULL},
        G_OPTION_ENTRY_NULL,
    };
    g_auto(GStrv) args = NULL;
    if (!cli_parse_options(&argc, &argv, "run", "SCENARIO.json", entries, &args, 1))
        return CLI_EXIT_USAGE;

    g_autoptr(GError) error = NULL;
    CliTraceSetup ts;
    uint64_t max_memory;
    if (!trace_setup(&a, &ts, &error) || !cli_max_memory(a.max_memory, &max_memory, &error))
        return cli_fail(CLI_EXIT_USAGE, error);
    g_autoptr(ScnScenario) sc =
        scn_scenario_load_file(args[0], (const char *const *)a.sets, &error);
    uint64_t interval = 0;
    if (sc == NULL || !apply_args(&a, sc, &error) ||
        (a.interval && !cli_parse_interval(a.interval, sc, &interval, &error)) ||
        !mdl_estimate_check(sc, max_memory, &error))
        return cli_fail(CLI_EXIT_USAGE, error);
    g_autofree char *dir = a.out ? g_strdup(a.out) : g_build_filename("results", sc->name, NULL);
    g_autoptr(RepOutput) out = rep_output_new(dir, &error);
    if (out == NULL)
        return cli_fail(CLI_EXIT_RUNTIME, error);
    return run_world(&a, sc, &ts, interval, out);
}
