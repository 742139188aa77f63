/* pagesim run SCENARIO.json: runs a scenario and writes summary.json and
 * events.jsonl to the output directory (default results/<scenario name>/),
 * through temporary files renamed only when the run is complete. */
#include <stdio.h>
#include <string.h>

#include "sim/cli/cli.h"

typedef struct {
    char *out;      /* --out */
    char *seed;     /* --seed, as typed */
    char *policy;   /* --policy */
    char **sets;    /* --set, repeatable */
    char *trace;    /* --trace */
    gboolean check; /* --check */
    gboolean quiet; /* --quiet */
} RunArgs;

static void run_args_clear(RunArgs *a) {
    g_free(a->out);
    g_free(a->seed);
    g_free(a->policy);
    g_strfreev(a->sets);
    g_free(a->trace);
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

static gboolean trace_mode(const char *mode, gboolean *native, GError **error) {
    *native = mode == NULL || strcmp(mode, "native") == 0;
    if (*native || strcmp(mode, "none") == 0)
        return TRUE;
    if (strcmp(mode, "perfetto") == 0 || strcmp(mode, "both") == 0)
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--trace %s: the Perfetto trace is not implemented yet", mode);
    else
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--trace: \"%s\" is not one of native, perfetto, both, none", mode);
    return FALSE;
}

/* Runs the world and writes its results into @out. Returns the exit status. */
static int run_world(const RunArgs *a, const ScnScenario *sc, gboolean native, RepOutput *out) {
    g_autoptr(GError) error = NULL;
    FILE *events = native ? rep_output_open(out, "events.jsonl", &error) : NULL;
    if (native && events == NULL)
        return cli_fail(CLI_EXIT_RUNTIME, error);
    g_autoptr(RepTrace) trace = rep_trace_new(events);
    MdlOptions opt = {.trace = trace, .check = a->check};
    g_autoptr(MdlWorld) w = mdl_world_new(sc, &opt, &error);
    if (w == NULL)
        return cli_fail(CLI_EXIT_USAGE, error);
    gint64 t0 = g_get_monotonic_time();
    gboolean ok = mdl_world_run(w);
    double wall_s = (double)(g_get_monotonic_time() - t0) / 1e6;
    const MdlStats *s = mdl_world_get_stats(w);
    if (!rep_trace_flush(trace)) {
        g_set_error(&error, G_FILE_ERROR, G_FILE_ERROR_IO, "cannot write events.jsonl");
        return cli_fail(CLI_EXIT_RUNTIME, error);
    }
    FILE *summary = rep_output_open(out, "summary.json", &error);
    if (summary == NULL || !cli_write_summary(summary, sc, s, wall_s, &error) ||
        !rep_output_commit(out, &error))
        return cli_fail(CLI_EXIT_RUNTIME, error);
    if (!a->quiet)
        cli_print_run(sc, s, rep_output_dir(out), wall_s);
    if (!ok) {
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
         "Trace output: native (default), perfetto, both or none", "MODE"},
        {"check", 0, 0, G_OPTION_ARG_NONE, &a.check,
         "Check the page source's invariants after every operation (exit 3 on a violation)", NULL},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &a.quiet, "Print nothing but errors", NULL},
        G_OPTION_ENTRY_NULL,
    };
    g_auto(GStrv) args = NULL;
    if (!cli_parse_options(&argc, &argv, "run", "SCENARIO.json", entries, &args, 1))
        return CLI_EXIT_USAGE;

    g_autoptr(GError) error = NULL;
    gboolean native = FALSE;
    if (!trace_mode(a.trace, &native, &error))
        return cli_fail(CLI_EXIT_USAGE, error);
    g_autoptr(ScnScenario) sc =
        scn_scenario_load_file(args[0], (const char *const *)a.sets, &error);
    if (sc == NULL || !apply_args(&a, sc, &error))
        return cli_fail(CLI_EXIT_USAGE, error);
    g_autofree char *dir = a.out ? g_strdup(a.out) : g_build_filename("results", sc->name, NULL);
    g_autoptr(RepOutput) out = rep_output_new(dir, &error);
    if (out == NULL)
        return cli_fail(CLI_EXIT_RUNTIME, error);
    return run_world(&a, sc, native, out);
}
