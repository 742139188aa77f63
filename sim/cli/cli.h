/* The subcommands of pagesim's command line, and its exit statuses.
 *
 * Each subcommand is a function taking the arguments after "pagesim" (argv[0] is
 * the subcommand's name) and returning the process exit status.
 */
#pragma once

#include <glib.h>
#include <stdio.h>

#include "sim/model/mdl-world.h"
#include "sim/report/rep-output.h"
#include "sim/scenario/scn-scenario.h"

/* Exit statuses, fixed by DESIGN.md. */
typedef enum {
    CLI_EXIT_OK = 0,        /* success */
    CLI_EXIT_RUNTIME = 1,   /* runtime failure, such as I/O */
    CLI_EXIT_USAGE = 2,     /* bad usage or bad scenario */
    CLI_EXIT_INVARIANT = 3, /* an invariant violation found by --check */
} CliExit;

typedef int (*CliCommandFn)(int argc, char **argv);

/* cli_parse_options: parses the options of subcommand @name (argv[0]) with
 * @entries, and requires exactly @n_args positional arguments, returned in @args
 * (transfer full, NULL-terminated). --help prints the subcommand's options and
 * exits 0. Returns FALSE after printing a usage error to stderr. */
gboolean cli_parse_options(int *argc, char ***argv, const char *name, const char *params,
                           const GOptionEntry *entries, char ***args, guint n_args);

/* cli_fail: prints @error's message to stderr as "pagesim: MESSAGE" and returns
 * @status. */
int cli_fail(int status, const GError *error);

/* cli_fail_output: cli_fail(CLI_EXIT_RUNTIME, @error), unless a write to @out
 * failed: then that failure, with the file, the directory and the reason. */
int cli_fail_output(RepOutput *out, const GError *error);

int cli_validate(int argc, char **argv);
int cli_run(int argc, char **argv);

/* cli_write_summary: writes summary.json for the run of @sc with figures @s. */
gboolean cli_write_summary(FILE *out, const ScnScenario *sc, const MdlStats *s, double wall_s,
                           GError **error);

/* The traces a run writes (pagesim run's --trace, --trace-window, --perfetto-out). */
typedef struct {
    gboolean native;           /* events.jsonl */
    const char *native_name;   /* its file name: events.jsonl or events.jsonl.gz */
    FILE *native_gz;           /* the compressing stream of events.jsonl.gz (owned); NULL */
    gboolean perfetto;         /* the Perfetto trace */
    const char *perfetto_name; /* its file name (borrowed) */
    gboolean gzip;             /* it is gzip-compressed */
    gboolean windowed;         /* --trace-window was given */
    uint64_t window_start;     /* traced times are window_start <= t < window_end */
    uint64_t window_end;       /* UINT64_MAX: to the end */
    uint64_t max_bytes;        /* --trace-max: each trace stops before passing it */
    gboolean truncated;        /* a trace reached max_bytes (set after the run) */
    uint64_t truncated_at;     /* the simulated time (ns) it was cut at */
} CliTraceSetup;

/* cli_write_run_summary: cli_write_summary() plus a "trace" object naming the
 * trace files of @ts (nullable: none) and the traced window. */
gboolean cli_write_run_summary(FILE *out, const ScnScenario *sc, const MdlStats *s, double wall_s,
                               const CliTraceSetup *ts, GError **error);

/* pagesim compare SCENARIO --policy A --policy B ... (cli-compare.c). */
int cli_compare(int argc, char **argv);

/* pagesim plot DIR (cli-plot.c). */
int cli_plot(int argc, char **argv);

/* Signals (cli-signals.c). cli_signals_install: catch SIGINT, SIGTERM and
 * SIGHUP; the first asks the watched world to stop (its run then ends with what
 * it has, marked interrupted), a second ends the process. */
void cli_signals_install(void);
/* cli_signals_watch: the world a signal interrupts (nullable: none). */
void cli_signals_watch(MdlWorld *w);
/* cli_signals_caught: the first signal caught, or 0. The exit status is then
 * 128 + that number (130 for SIGINT). */
int cli_signals_caught(void);

/* Limits (cli-limits.c). cli_max_memory: the --max-memory limit in bytes from
 * @text (a size with units, "0" for none), or by default half the physical
 * memory. FALSE with an error (exit 2) for a bad value. */
gboolean cli_max_memory(const char *text, uint64_t *bytes, GError **error);

/* cli_limits_install: an allocation failure anywhere (GLib's abort) becomes
 * "pagesim: out of memory: ..." and exit status 1. */
void cli_limits_install(void);

/* cli_is_output_name: whether @name is one of the files a run writes besides
 * its Perfetto trace (summary.json, events.jsonl, the latency files, ...). */
gboolean cli_is_output_name(const char *name);

/* cli_print_run: the few lines printed after a run: where the results are and
 * the headline figures. */
void cli_print_run(const ScnScenario *sc, const MdlStats *s, const char *dir, double wall_s);
