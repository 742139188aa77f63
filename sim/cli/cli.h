/* The subcommands of pagesim's command line, and its exit statuses.
 *
 * Each subcommand is a function taking the arguments after "pagesim" (argv[0] is
 * the subcommand's name) and returning the process exit status.
 */
#pragma once

/* Exit statuses, fixed by DESIGN.md. */
typedef enum {
    CLI_EXIT_OK = 0,        /* success */
    CLI_EXIT_RUNTIME = 1,   /* runtime failure, such as I/O */
    CLI_EXIT_USAGE = 2,     /* bad usage or bad scenario */
    CLI_EXIT_INVARIANT = 3, /* an invariant violation found by --check */
} CliExit;

typedef int (*CliCommandFn)(int argc, char **argv);
