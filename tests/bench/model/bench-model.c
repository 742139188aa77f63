/* Whole-simulator benchmark: runs `pagesim run` on two fault-heavy workloads and
 * prints faults per second of wall time and peak memory, with and without the
 * native trace.
 *  - 64 closed-loop threads each faulting its own 16,384 pages in order
 *    (1,048,576 faults), a pager with 8 workers and exponential 50 us service,
 *    think time 1 us;
 *  - the first again with its pager on a device of kind none (must cost
 *    nothing) and on an nvme device (the preset: every worker's read also
 *    goes through the device's queue and channel);
 *  - the same with 100,000 threads faulting 10 pages each.
 * Usage: bench-model PAGESIM [RUNS]. Each figure is the best of RUNS runs
 * (default 3); the runs of the workloads are interleaved (one run of each in
 * turn) so that a slow spell of the machine falls on all of them alike. Prints
 * figures only; it asserts nothing about timings. */
#include <glib.h>
#include <glib/gstdio.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

typedef struct {
    const char *name;
    guint threads;
    guint accesses;
    const char *device; /* NULL: no device; else the kind of the pager's device */
} Workload;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *write_scenario(const char *dir, const Workload *w) {
    char *path = g_strdup_printf("%s/%s.json", dir, w->name);
    g_autofree char *dev =
        w->device
            ? g_strdup_printf(" \"devices\": [{\"name\": \"d\", \"kind\": \"%s\"}],", w->device)
            : g_strdup("");
    g_autofree char *use = w->device ? g_strdup(", \"device\": \"d\"") : g_strdup("");
    g_autofree char *text = g_strdup_printf(
        "{\"name\": \"%s\", \"seed\": 1,%s"
        " \"providers\": [{\"name\": \"pager\", \"kind\": \"pager\", \"workers\": 8%s,"
        "   \"latency\": {\"dist\": \"exponential\", \"mean\": \"50us\"}}],"
        " \"vmos\": [{\"name\": \"file\", \"size\": \"%" G_GUINT64_FORMAT
        "KiB\", \"provider\": \"pager\"}],"
        " \"workloads\": [{\"name\": \"t\", \"kind\": \"closed\", \"vmo\": \"file\","
        "   \"threads\": %u, \"access\": \"fault\","
        "   \"pattern\": {\"kind\": \"sequential\", \"per_thread\": true},"
        "   \"think\": \"1us\", \"accesses\": %u}]}",
        w->name, dev, use, (guint64)w->threads * w->accesses * 4, w->threads, w->accesses);
    g_assert(g_file_set_contents(path, text, -1, NULL));
    return path;
}

/* Runs pagesim once; returns wall seconds and sets @rss_kb to its peak RSS. */
static double run_once(const char *pagesim, const char *scenario, const char *out,
                       const char *trace, long *rss_kb) {
    char *argv[] = {(char *)pagesim, "run",         (char *)scenario, "--out", (char *)out,
                    "--trace",       (char *)trace, "--quiet",        NULL};
    pid_t pid;
    double t0 = now_s();
    if (posix_spawn(&pid, pagesim, NULL, NULL, argv, environ) != 0)
        g_error("cannot run %s", pagesim);
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        g_error("%s failed", pagesim);
    *rss_kb = ru.ru_maxrss;
    return now_s() - t0;
}

/* Runs every workload @runs times, interleaved, under @trace; prints the best. */
static void bench_trace(const char *pagesim, const char *dir, const char *out, const char *trace,
                        const Workload *loads, guint n, int runs) {
    double best[8];
    long rss[8] = {0};
    char *scenarios[8];
    g_assert(n <= G_N_ELEMENTS(best));
    for (guint i = 0; i < n; i++) {
        best[i] = G_MAXDOUBLE;
        scenarios[i] = write_scenario(dir, &loads[i]);
    }
    for (int r = 0; r < runs; r++) {
        for (guint i = 0; i < n; i++) {
            long kb;
            best[i] = MIN(best[i], run_once(pagesim, scenarios[i], out, trace, &kb));
            rss[i] = MAX(rss[i], kb);
        }
    }
    for (guint i = 0; i < n; i++) {
        guint64 faults = (guint64)loads[i].threads * loads[i].accesses;
        printf("%-20s %-7s %10" G_GUINT64_FORMAT " %12.3f %14.0f %10.1f\n", loads[i].name, trace,
               faults, best[i], (double)faults / best[i], (double)rss[i] / 1024.0);
        g_free(scenarios[i]);
    }
    fflush(stdout);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: bench-model PAGESIM [RUNS]\n");
        return 2;
    }
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    static const Workload loads[] = {
        {"bench-64x16384", 64, 16384, NULL},
        {"bench-64x16384-none", 64, 16384, "none"},
        {"bench-64x16384-nvme", 64, 16384, "nvme"},
        {"bench-100000x10", 100000, 10, NULL},
    };
    static const char *traces[] = {"none", "native"};
    g_autofree char *dir = g_dir_make_tmp("bench-model-XXXXXX", NULL);
    g_autofree char *out = g_build_filename(dir, "out", NULL);
    printf("%-20s %-7s %10s %12s %14s %10s\n", "workload", "trace", "faults", "wall s (best)",
           "faults/s", "peak MiB");
    for (size_t j = 0; j < G_N_ELEMENTS(traces); j++)
        bench_trace(argv[1], dir, out, traces[j], loads, G_N_ELEMENTS(loads), runs);
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
