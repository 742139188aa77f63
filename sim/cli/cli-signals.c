/* SIGINT, SIGTERM and SIGHUP (see cli.h): the first one asks the running
 * world to stop at its next event, so that the run writes what it has so far
 * ("interrupted": true) and exits 128+N; a second one ends the process at once
 * (its temporary files are then removed by the next run into the directory).
 *
 * The handler only stores the signal number and sets two flags of the world
 * (mdl_world_interrupt), which is safe in a signal handler.
 */
#include <signal.h>
#include <string.h>

#include "sim/cli/cli.h"

static volatile sig_atomic_t caught;
static MdlWorld *volatile watched;

static void on_signal(int sig) {
    if (caught) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    caught = sig;
    MdlWorld *w = watched;
    if (w)
        mdl_world_interrupt(w);
}

void cli_signals_install(void) {
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    for (size_t i = 0; i < G_N_ELEMENTS(sigs); i++)
        sigaction(sigs[i], &sa, NULL);
}

void cli_signals_watch(MdlWorld *w) {
    watched = w;
    if (w && caught)
        mdl_world_interrupt(w);
}

int cli_signals_caught(void) { return caught; }
