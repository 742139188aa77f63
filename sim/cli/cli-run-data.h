/* What a run writes beside summary.json for figures and tools, computed while
 * the model runs (cli-run-data.c):
 *  - timeline.tsv: the per-interval series of the timeline and heat-map figures
 *    (rep-timeline-io.h), folded from every event as it happens, in memory
 *    bounded by CLI_RUN_MAX_INTERVALS, so `pagesim plot` needs no events.jsonl;
 *  - latency.hgrm: the fault latency histogram in HdrHistogram's format;
 *  - summary.csv: the headline figures of summary.json as one CSV row.
 * It also enforces --trace-max on the traces (native and Perfetto).
 *
 * The interval is --interval, or automatic: a 1-2-5 length giving about
 * CLI_RUN_TARGET_INTERVALS over the stop time (1 us when the run has none),
 * doubled or quintupled as the run goes on so there are never more than
 * CLI_RUN_MAX_INTERVALS.
 */
#pragma once

#include <glib.h>

#include "sim/model/mdl-world.h"
#include "sim/report/rep-output.h"
#include "sim/report/rep-perfetto.h"
#include "sim/report/rep-trace.h"
#include "sim/scenario/scn-scenario.h"

#define CLI_RUN_TARGET_INTERVALS 200
#define CLI_RUN_MAX_INTERVALS    500
#define CLI_TRACE_MAX_DEFAULT    ((uint64_t)1 << 30) /* --trace-max: 1 GiB */

typedef struct _CliRunData CliRunData;

/* cli_run_data_new: for a run of @sc with the interval @interval (ns; 0: automatic). */
CliRunData *cli_run_data_new(const ScnScenario *sc, uint64_t interval);
void cli_run_data_free(CliRunData *d);

/* cli_run_data_attach: passes every event of @trace on to @pf (nullable; as
 * the trace's tee); stops both traces at @max_bytes each. */
void cli_run_data_attach(CliRunData *d, RepTrace *trace, RepPerfetto *pf, uint64_t max_bytes);

/* cli_run_data_timeline: (transfer none) the timeline the model must feed
 * (MdlOptions.timeline). */
RepTimeline *cli_run_data_timeline(CliRunData *d);

/* cli_run_data_detach: removes the tee (before @pf is finished). */
void cli_run_data_detach(CliRunData *d);

/* cli_run_data_truncated_at: the earliest time (ns) a trace was cut at by
 * --trace-max, or UINT64_MAX. */
uint64_t cli_run_data_truncated_at(const CliRunData *d);

/* cli_run_data_write: finishes the timeline at the run's end and writes
 * timeline.tsv, latency.hgrm and summary.csv into @out. An --interval longer
 * than the run is bad usage: FALSE with G_OPTION_ERROR_BAD_VALUE (exit 2). */
gboolean cli_run_data_write(CliRunData *d, const ScnScenario *sc, const MdlStats *s, RepOutput *out,
                            GError **error);

/* cli_parse_interval: --interval (a duration > 0, at most @sc's stop time when
 * it has one). FALSE with G_OPTION_ERROR_BAD_VALUE. */
gboolean cli_parse_interval(const char *text, const ScnScenario *sc, uint64_t *out, GError **error);

/* cli_parse_trace_max: --trace-max (a size > 0, e.g. 200MiB). */
gboolean cli_parse_trace_max(const char *text, uint64_t *out, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(CliRunData, cli_run_data_free)
