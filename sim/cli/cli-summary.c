/* summary.json and scenario.json of a run: what the run says besides its
 * figures (scenario, seed, policy, traces) and where it came from (version,
 * git revision, command line, overrides). report/ writes the figures
 * (rep-summary.c); scenario/ writes the resolved scenario (scn-emit.c).
 */
#include <stdio.h>

#include "pagesim-config.h"
#include "pagesim-revision.h"
#include "sim/cli/cli.h"
#include "sim/report/rep-summary.h"

static char **command_line; /* borrowed from main() */

void cli_set_command_line(char **argv) { command_line = argv; }

gboolean cli_write_summary(RepOutput *out, const ScnScenario *sc, const MdlStats *s, double wall_s,
                           const CliTraceSetup *ts, char **overrides, gboolean resolved,
                           RepSummary **summary, GError **error) {
    RepTraceFiles files = {0};
    if (ts)
        files = (RepTraceFiles){
            .native = ts->native ? (ts->native_name ? ts->native_name : "events.jsonl") : NULL,
            .perfetto = ts->perfetto ? ts->perfetto_name : NULL,
            .window_start = ts->window_start,
            .window_end = ts->window_end,
            .truncated = ts->truncated,
            .truncated_at = ts->truncated_at,
        };
    RepProvenance prov = {
        .version = PAGESIM_VERSION,
        .revision = PAGESIM_REVISION,
        .source = sc->source,
        .command = (const char *const *)command_line,
        .overrides = (const char *const *)overrides,
        .resolved = resolved ? "scenario.json" : NULL,
    };
    RepRunInfo info = {
        .scenario = sc->name,
        .seed = sc->seed,
        .policy = sc->policy.spec,
        .wall_s = wall_s,
        .trace = ts ? &files : NULL,
        .provenance = &prov,
    };
    g_autoptr(RepSummary) sum = rep_summary_new(&info, s);
    FILE *f = rep_output_open(out, "summary.json", error);
    if (f == NULL || !rep_summary_write(sum, f, error))
        return FALSE;
    if (summary)
        *summary = g_steal_pointer(&sum);
    return TRUE;
}

gboolean cli_write_resolved(RepOutput *out, const ScnScenario *sc, GError **error) {
    FILE *f = rep_output_open(out, "scenario.json", error);
    if (f == NULL)
        return FALSE;
    g_autofree char *text = scn_scenario_to_json(sc);
    if (fputs(text, f) == EOF) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "cannot write scenario.json");
        return FALSE;
    }
    return TRUE;
}
