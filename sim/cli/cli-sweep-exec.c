/* Running a sweep on this machine: the runs not yet complete, as child processes
 * of this same binary (`pagesim run ...`, the very commands of jobs.txt), at most
 * --jobs at a time; then the collection.
 *
 * Invariants:
 *  1. at most @jobs children are alive at once, and each is told to die with the
 *     sweep (PR_SET_PDEATHSIG), so a killed sweep leaves no orphan writing
 *     results and a re-run finds only whole runs complete;
 *  2. every child is reaped before the sweep collects.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "sim/cli/cli-sweep.h"
#include "sim/cli/cli.h"

/* One run to do: a point and a seed. */
typedef struct {
    const CliSweepPoint *point; /* (borrowed) */
    guint64 seed;               /* its seed */
    GPid pid;                   /* while running; 0 otherwise */
} Task;

static void die_with_parent(gpointer data) {
    (void)data;
    prctl(PR_SET_PDEATHSIG, SIGTERM);
}

/* The runs of @p whose results are not complete, in plan order. */
static GArray *tasks_to_do(const CliSweepPlan *p) {
    GArray *todo = g_array_new(FALSE, TRUE, sizeof(Task));
    for (guint i = 0; i < p->points->len; i++) {
        const CliSweepPoint *pt = g_ptr_array_index(p->points, i);
        for (guint k = 0; k < p->seeds->len; k++) {
            Task t = {pt, g_array_index(p->seeds, guint64, k), 0};
            g_autofree char *dir = cli__sweep_run_dir(p, pt, t.seed);
            if (!cli__sweep_run_complete(dir))
                g_array_append_val(todo, t);
        }
    }
    return todo;
}

static gboolean start(const CliSweepPlan *p, Task *t, GError **error) {
    g_auto(GStrv) argv = cli__sweep_run_argv(p, t->point, t->seed);
    return g_spawn_async(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                         die_with_parent, NULL, &t->pid, error);
}

/* Waits for one child; returns its task (NULL on an unexpected error) and
 * whether it succeeded in @ok. */
static Task *reap(GArray *todo, gboolean *ok) {
    int status = 0;
    pid_t pid;
    do
        pid = waitpid(-1, &status, 0);
    while (pid < 0 && errno == EINTR);
    for (guint i = 0; pid > 0 && i < todo->len; i++) {
        Task *t = &g_array_index(todo, Task, i);
        if (t->pid == pid) {
            t->pid = 0;
            *ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
            return t;
        }
    }
    return NULL;
}

int cli__sweep_execute(const CliSweepPlan *p, guint jobs, gboolean quiet) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GArray) todo = tasks_to_do(p);
    guint total = p->points->len * p->seeds->len, next = 0, running = 0, done = 0, failed = 0;
    if (!quiet)
        fprintf(stderr,
                "pagesim sweep: %u runs (%u points x %u seeds): %u complete, %u to run, %u at "
                "a time\n",
                total, p->points->len, p->seeds->len, total - todo->len, todo->len, jobs);
    while (next < todo->len || running > 0) {
        while (running < jobs && next < todo->len && error == NULL)
            if (start(p, &g_array_index(todo, Task, next++), &error))
                running++;
        if (running == 0)
            break;
        gboolean ok = FALSE;
        Task *t = reap(todo, &ok);
        if (t == NULL)
            break;
        running--;
        done++;
        failed += !ok;
        if (!quiet || !ok)
            fprintf(stderr, "pagesim sweep: [%u/%u] %s/seed-%" G_GUINT64_FORMAT "%s\n", done,
                    todo->len, t->point->dir, t->seed, ok ? "" : " FAILED");
    }
    if (error)
        return cli_fail(CLI_EXIT_RUNTIME, error);
    int status = cli__sweep_collect(p, jobs, quiet);
    if (failed) {
        fprintf(stderr, "pagesim sweep: %u of %u runs failed; run the sweep again to retry them\n",
                failed, todo->len);
        return CLI_EXIT_RUNTIME;
    }
    return status;
}
