/* libFuzzer target: the scenario loader with --set overrides (fuzz-input.h).
 * Any input must end in a scenario or one error naming the source; a loaded
 * scenario must describe itself (what validate prints). Never a crash, leak or
 * abort. */
#include <string.h>

#include "sim/scenario/scn-scenario.h"
#include "tests/fuzz/fuzz-input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len) {
    const char *json;
    size_t json_len;
    g_auto(GStrv) sets = fuzz_input_split(data, len, &json, &json_len);
    g_autoptr(GError) error = NULL;
    g_autoptr(ScnScenario) sc =
        scn_scenario_load_data(json, json_len, "fuzz.json", (const char *const *)sets, &error);
    if (sc == NULL) {
        /* exactly one error, naming the source */
        if (error == NULL || !g_str_has_prefix(error->message, "fuzz.json"))
            __builtin_trap();
        return 0;
    }
    if (error != NULL)
        __builtin_trap();
    g_autoptr(GString) out = g_string_new(NULL);
    scn_scenario_describe(sc, out);
    return 0;
}
