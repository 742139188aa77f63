/* libFuzzer target: a bounded run of a loaded scenario under --check
 * (fuzz-input.h for the input format). Whatever the loader accepts must run:
 * build, run and tear down without a crash, leak, abort or invariant violation.
 * The run is bounded to FUZZ_EVENTS engine events of at most FUZZ_WALK_CHUNK
 * pages of a walk each; scenarios whose memory
 * estimate exceeds FUZZ_MEMORY are refused as run --max-memory would. */
#include <string.h>

#include "sim/model/mdl-estimate.h"
#include "sim/model/mdl-world.h"
#include "sim/scenario/scn-scenario.h"
#include "tests/fuzz/fuzz-input.h"

#define FUZZ_EVENTS     1000
#define FUZZ_WALK_CHUNK 64
#define FUZZ_MEMORY     (UINT64_C(16) << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len) {
    const char *json;
    size_t json_len;
    g_auto(GStrv) sets = fuzz_input_split(data, len, &json, &json_len);
    g_autoptr(GError) error = NULL;
    g_autoptr(ScnScenario) sc =
        scn_scenario_load_data(json, json_len, "fuzz.json", (const char *const *)sets, &error);
    if (sc == NULL || !mdl_estimate_check(sc, FUZZ_MEMORY, NULL))
        return 0;
    if (sc->stop_events == 0 || sc->stop_events > FUZZ_EVENTS)
        sc->stop_events = FUZZ_EVENTS;
    g_autoptr(RepTrace) trace = rep_trace_new(NULL);
    MdlOptions opt = {.trace = trace, .check = TRUE, .walk_chunk = FUZZ_WALK_CHUNK};
    g_autoptr(MdlWorld) w = mdl_world_new(sc, &opt, &error);
    if (w == NULL)
        __builtin_trap(); /* validated but cannot run */
    if (!mdl_world_run(w))
        __builtin_trap(); /* an invariant violation */
    return 0;
}
