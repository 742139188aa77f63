/* What a run of a scenario will need, estimated before anything is built, so a
 * scenario that cannot fit is refused with a figure instead of dying in an
 * allocation (pagesim run --max-memory).
 *
 * The estimate counts what the world allocates up front and what it may grow
 * to: every closed and explicit thread, every pager worker, every open
 * workload's accesses in flight (up to its max_in_flight), the actions, and
 * per resident range of every VMO. Pages that accesses and supplies make
 * resident during the run are not counted (they depend on the run).
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "sim/scenario/scn-scenario.h"

/* Bytes per simulated thread (MdlThread, SimThread, its name, queue entries; measured: 1,000,000
 * closed threads take about 660 MB). */
#define MDL_ESTIMATE_THREAD_BYTES UINT64_C(640)
/* Bytes per pager worker. */
#define MDL_ESTIMATE_WORKER_BYTES UINT64_C(256)
/* Bytes per VMO: its three page sets' fixed tables (4,096 hints of 8 bytes
 * each, mdl-pages-private.h; mdl-pages.c checks the bound at compile time). */
#define MDL_ESTIMATE_VMO_BYTES UINT64_C(102400)
/* Bytes per action, per resident range and per explicit access. */
#define MDL_ESTIMATE_ITEM_BYTES UINT64_C(64)

/* mdl_estimate_bytes: the estimated peak memory of running @sc, in bytes
 * (saturating at UINT64_MAX). */
uint64_t mdl_estimate_bytes(const ScnScenario *sc);

/* mdl_estimate_check: FALSE with an MDL_ERROR naming the estimate and @limit if
 * the estimate of @sc exceeds @limit bytes (0: no limit). */
gboolean mdl_estimate_check(const ScnScenario *sc, uint64_t limit, GError **error);
