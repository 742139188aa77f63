/* The simulated world of one run: a scenario's VMOs, providers, workloads and
 * actions, built on an engine, with core/ doing the kernel's page-source work.
 *
 * mdl_world_new() turns a validated scenario into live objects; mdl_world_run()
 * runs the engine until the scenario's stop condition, streaming every event to
 * the native trace (when one is given) and folding outcomes into MdlStats.
 * Nothing here reads the wall clock or prints.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "sim/report/rep-figures.h"
#include "sim/report/rep-timeline-direct.h"
#include "sim/report/rep-trace.h"
#include "sim/scenario/scn-scenario.h"

typedef struct _MdlWorld MdlWorld;

/* The figures of a run are report/'s RepFigures (rep-figures.h): the model
 * fills them, summary.json and the comparison tables read them. */
typedef RepProviderFigures MdlProviderStats;
typedef RepDeviceFigures MdlDeviceStats;
typedef RepMemoryFigures MdlMemoryStats;
typedef RepFigures MdlStats;

typedef struct {
    RepTrace *trace;       /* nullable: no native trace */
    RepTimeline *timeline; /* nullable: fed directly (rep-timeline-direct.h) */
    gboolean check;        /* run the invariant checkers after every core operation */
    uint64_t walk_chunk;   /* pages a walk looks at per event before it yields; 0: the
                              default (65536), which every run uses; smaller for fuzzing */
} MdlOptions;

/* mdl_world_new: builds the world of @sc (borrowed; must outlive the world).
 * Returns NULL and sets @error (MDL_ERROR) for what the model cannot run yet
 * (e.g. a policy that is not implemented). */
MdlWorld *mdl_world_new(const ScnScenario *sc, const MdlOptions *opt, GError **error);
void mdl_world_free(MdlWorld *w);

/* mdl_world_run: runs to the scenario's stop condition.
 * Returns FALSE if --check found an invariant violation (see stats->violation). */
gboolean mdl_world_run(MdlWorld *w);

/* mdl_world_run_until: runs until simulated time @until (events at @until run)
 * or the scenario's stop condition, whichever comes first, so a caller can show
 * progress between slices. Running in slices gives exactly the run that
 * mdl_world_run gives.
 * Returns TRUE if there is more to run, FALSE once the run is over (the stats are
 * then final). */
gboolean mdl_world_run_until(MdlWorld *w, uint64_t until);

/* Progress figures: the simulated time reached (ns), engine events executed, and
 * the scenario's stop time (UINT64_MAX when it has none). */
uint64_t mdl_world_get_now(const MdlWorld *w);
uint64_t mdl_world_get_events(const MdlWorld *w);
uint64_t mdl_world_get_stop_time(const MdlWorld *w);

/* mdl_world_interrupt: asks a run in progress to stop before its next event,
 * with stats->interrupted set; nothing if the run is over. Only sets flags, so
 * a signal handler may call it. */
void mdl_world_interrupt(MdlWorld *w);

/* mdl_stats_mean_wait: the mean time (ns) of the Waits that blocked; 0 if none. */
static inline double mdl_stats_mean_wait(const MdlStats *s) { return rep_figures_mean_wait(s); }

/* mdl_world_get_stats: (transfer none) the figures of the run so far. */
const MdlStats *mdl_world_get_stats(MdlWorld *w);

#define MDL_ERROR (mdl_error_quark())
GQuark mdl_error_quark(void);
typedef enum {
    MDL_ERROR_UNSUPPORTED, /* the scenario asks for something not modelled yet */
    MDL_ERROR_TOO_BIG,     /* the run would exceed the memory limit (mdl-estimate.h) */
} MdlError;

G_DEFINE_AUTOPTR_CLEANUP_FUNC(MdlWorld, mdl_world_free)
