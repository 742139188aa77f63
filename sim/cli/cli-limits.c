/* Limits a run is checked against before it starts: --max-memory, and the
 * names the Perfetto trace may not take. */
#include <string.h>
#include <unistd.h>

#include "sim/cli/cli.h"
#include "sim/scenario/scn-units.h"

gboolean cli_max_memory(const char *text, uint64_t *bytes, GError **error) {
    if (text == NULL) {
        long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
        *bytes = pages > 0 && size > 0 ? (uint64_t)pages * (uint64_t)size / 2 : 0;
        return TRUE;
    }
    if (strcmp(text, "0") == 0) {
        *bytes = 0;
        return TRUE;
    }
    g_autoptr(GError) sub = NULL;
    if (!scn_parse_size(text, bytes, &sub)) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--max-memory: %s",
                    sub->message);
        return FALSE;
    }
    return TRUE;
}

gboolean cli_is_output_name(const char *name) {
    static const char *const names[] = {
        "summary.json",         "summary.csv",           "events.jsonl", "events.jsonl.gz",
        "latency-spectrum.tsv", "latency-histogram.tsv", "latency.hgrm", "timeline.tsv",
        "scenario.json",        "report.html",           "plots",        "latency-splits.tsv",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        if (strcmp(name, names[i]) == 0)
            return TRUE;
    return FALSE;
}

/* GLib ends an allocation failure with g_error ("failed to allocate N bytes"),
 * which aborts, and so does the trace writer's block allocation (domain
 * pagesim-report, rep-blocks.c). This handler turns it into a message and exit
 * status 1 (the temporary result is left to the next run to remove: nothing
 * may allocate here). Other errors keep GLib's handling. */
static void on_error(const char *domain, GLogLevelFlags level, const char *message, gpointer data) {
    if (message && strstr(message, "failed to allocate")) {
        static const char head[] = "pagesim: out of memory: ";
        static const char tail[] = "; reduce the scenario or check --max-memory\n";
        if (write(2, head, sizeof(head) - 1) < 0 || write(2, message, strlen(message)) < 0 ||
            write(2, tail, sizeof(tail) - 1) < 0)
            _exit(CLI_EXIT_RUNTIME);
        _exit(CLI_EXIT_RUNTIME);
    }
    g_log_default_handler(domain, level, message, data);
}

void cli_limits_install(void) {
    const GLogLevelFlags levels = G_LOG_LEVEL_ERROR | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION;
    g_log_set_handler("GLib", levels, on_error, NULL);
    g_log_set_handler("pagesim-report", levels, on_error, NULL);
}
