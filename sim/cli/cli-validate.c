/* pagesim validate SCENARIO.json [--set PATH=VALUE]...: loads and checks a
 * scenario exactly as run would, and prints what it would run. Exit 0 if the
 * scenario is valid, 2 with the loader's message otherwise. Writes no file. */
#include <stdio.h>

#include "sim/cli/cli.h"
#include "sim/model/mdl-estimate.h"
#include "sim/scenario/scn-scenario.h"

int cli_validate(int argc, char **argv) {
    g_auto(GStrv) sets = NULL;
    GOptionEntry entries[] = {
        {"set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
         "Override a value of the scenario (repeatable)", "PATH=VALUE"},
        G_OPTION_ENTRY_NULL,
    };
    g_auto(GStrv) args = NULL;
    if (!cli_parse_options(&argc, &argv, "validate", "SCENARIO.json", entries, &args, 1))
        return CLI_EXIT_USAGE;

    g_autoptr(GError) error = NULL;
    g_autoptr(ScnScenario) sc = scn_scenario_load_file(args[0], (const char *const *)sets, &error);
    if (sc == NULL)
        return cli_fail(CLI_EXIT_USAGE, error);

    g_autoptr(GString) out = g_string_new(NULL);
    scn_scenario_describe(sc, out);
    g_autofree char *need = g_strdup_printf("%.1f MiB", (double)mdl_estimate_bytes(sc) / 1048576.0);
    g_string_append_printf(out, "memory estimate: %s (run refuses more than --max-memory)\n", need);
    fputs(out->str, stdout);
    return CLI_EXIT_OK;
}
