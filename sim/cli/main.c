/* pagesim: the command line. Dispatches to the subcommands of README.md.
 *
 * This is the composition root: the only place that prints warnings and errors for
 * the user. Exit statuses (README.md, fixed): 0 success, 1 runtime failure (I/O),
 * 2 bad usage or bad scenario, 3 an invariant violation found by --check.
 */
#include <errno.h>
#include <glib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pagesim-config.h"
#include "sim/cli/cli-sweep.h"
#include "sim/cli/cli.h"

typedef struct {
    const char *name;     /* subcommand as typed */
    const char *synopsis; /* arguments, for the usage text */
    const char *summary;  /* one line for --help */
    CliCommandFn fn;      /* NULL while the subcommand does not exist yet */
} Command;

static const Command commands[] = {
    {"run",
     "SCENARIO.json [--out DIR] [--seed N] [--policy SPEC] [--set PATH=VALUE]...\n"
     "              [--trace native|perfetto|both|none] [--trace-window START:END]\n"
     "              [--perfetto-out NAME] [--check] [--quiet]",
     "run a scenario and write summary.json, latency files and traces", cli_run},
    {"compare",
     "SCENARIO.json --policy SPEC --policy SPEC [...] [--out DIR] [--seed N]\n"
     "              [--set PATH=VALUE]... [--trace native|none] [--quiet]",
     "run one workload under several batching policies", cli_compare},
    {"plot", "DIR", "draw the figures of a run's results with gnuplot", cli_plot},
    {"validate", "SCENARIO.json [--set PATH=VALUE]...",
     "check a scenario and print what it would run", cli_validate},
    {"sweep",
     "SCENARIO.json [--set PATH=V1,V2,...]... [--policy SPEC]... [--runs N | --seeds A..B]\n"
     "              [--jobs N] [--out DIR] [--emit parallel|slurm] | --collect DIR",
     "run a parameter sweep with replications; tables with 95% intervals", cli_sweep},
    {"diff", "DIR_A DIR_B", "compare two results directories metric by metric", cli_diff},
};

static void print_usage(FILE *out) {
    fprintf(out, "Usage:\n");
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
        fprintf(out, "  pagesim %s %s\n", commands[i].name, commands[i].synopsis);
    fprintf(out, "  pagesim --help | --version\n");
}

static void print_help(void) {
    printf("pagesim %s: a discrete-event simulator of Zircon's page source.\n\n", PAGESIM_VERSION);
    print_usage(stdout);
    printf("\nSubcommands:\n");
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
        printf("  %-9s %s%s\n", commands[i].name, commands[i].summary,
               commands[i].fn ? "" : " (not implemented yet)");
    printf("\nExit status: 0 success, 1 runtime failure (I/O), 2 bad usage or bad scenario,\n"
           "3 an invariant violation found by --check.\n"
           "Run 'pagesim SUBCOMMAND --help' for a subcommand's options.\n");
}

static int run_command(int argc, char **argv);

static const Command *find_command(const char *name) {
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

/* At exit: data written to a full or closed stdout is an error (exit 1), also
 * after --help, which GOption ends with exit(0). */
static void close_stdout(void) {
    int failed_before = ferror(stdout);
    errno = 0;
    int failed_now = fclose(stdout) != 0;
    if (!failed_before && !failed_now)
        return;
    /* a write that failed earlier (GOption's help) left no errno to report */
    fprintf(stderr, "pagesim: cannot write to standard output: %s\n",
            failed_now && errno ? g_strerror(errno) : "a write failed");
    fflush(stderr);
    _exit(CLI_EXIT_RUNTIME);
}

/* The user's locale for text (so "80µs" and "[OPTION…]" pass through GOption
 * as UTF-8; C.UTF-8 when the locale is plain ASCII), but C for numbers, which
 * every output file writes with a '.'. */
static void set_locale(void) {
    setlocale(LC_ALL, "");
    const char *charset = NULL;
    if (!g_get_charset(&charset))
        setlocale(LC_CTYPE, "C.UTF-8");
    setlocale(LC_NUMERIC, "C");
}

int main(int argc, char **argv) {
    cli_set_command_line(argv);
    set_locale();
    atexit(close_stdout);
    cli_signals_install();
    cli_limits_install();
    int status = run_command(argc, argv);
    /* interrupted: the results so far were written; 128 + the signal */
    return cli_signals_caught() ? 128 + cli_signals_caught() : status;
}

static int run_command(int argc, char **argv) {
    if (argc < 2) {
        print_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *arg = argv[1];
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
        print_help();
        return CLI_EXIT_OK;
    }
    if (strcmp(arg, "--version") == 0) {
        printf("pagesim %s\n", PAGESIM_VERSION);
        return CLI_EXIT_OK;
    }
    const Command *cmd = find_command(arg);
    if (cmd == NULL) {
        fprintf(stderr, "pagesim: unknown %s '%s'\n", arg[0] == '-' ? "option" : "subcommand", arg);
        print_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (cmd->fn == NULL) {
        fprintf(stderr, "pagesim: '%s' is not implemented yet\n", cmd->name);
        return CLI_EXIT_USAGE;
    }
    return cmd->fn(argc - 1, argv + 1);
}
