/* Whole-simulator benchmark: runs `pagesim run` on two fault-heavy workloads and
 * prints faults per second of wall time and peak memory, with and without the
 * native trace.
 *  - 64 closed-loop threads each faulting its own 16,384 pages in order
 *    (1,048,576 faults), a pager with 8 workers and exponential 50 us service,
 *    think time 1 us;
 *  - the same with 100,000 threads faulting 10 pages each.
 * Usage: bench-model PAGESIM [RUNS]. Each figure is the best of RUNS runs
 * (default 3). Prints figures only; it asserts nothing about timings. */
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
} Workload;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *write_scenario(const char *dir, const Workload *w) {
    char *path = g_strdup_printf("%s/%s.json", dir, w->name);
    g_autofree char *text = g_strdup_printf(
        "{\"name\": \"%s\", \"seed\": 1,"
        " \"providers\": [{\"name\": \"pager\", \"kind\": \"pager\", \"workers\": 8,"
        "   \"latency\": {\"dist\": \"exponential\", \"mean\": \"50us\"}}],"
        " \"vmos\": [{\"name\": \"file\", \"size\": \"%" G_GUINT64_FORMAT
        "KiB\", \"provider\": \"pager\"}],"
        " \"workloads\": [{\"name\": \"t\", \"kind\": \"closed\", \"vmo\": \"file\","
        "   \"threads\": %u, \"access\": \"fault\","
        "   \"pattern\": {\"kind\": \"sequential\", \"per_thread\": true},"
        "   \"think\": \"1us\", \"accesses\": %u}]}",
        w->name, (guint64)w->threads * w->accesses * 4, w->threads, w->accesses);
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

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: bench-model PAGESIM [RUNS]\n");
        return 2;
    }
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    static const Workload loads[] = {
        {"bench-64x16384", 64, 16384},
        {"bench-100000x10", 100000, 10},
    };
    static const char *traces[] = {"none", "native"};
    g_autofree char *dir = g_dir_make_tmp("bench-model-XXXXXX", NULL);
    g_autofree char *out = g_build_filename(dir, "out", NULL);
    printf("%-18s %-7s %10s %12s %14s %10s\n", "workload", "trace", "faults", "wall s (best)",
           "faults/s", "peak MiB");
    for (size_t i = 0; i < G_N_ELEMENTS(loads); i++) {
        g_autofree char *scenario = write_scenario(dir, &loads[i]);
        guint64 faults = (guint64)loads[i].threads * loads[i].accesses;
        for (size_t j = 0; j < G_N_ELEMENTS(traces); j++) {
            double best = G_MAXDOUBLE;
            long rss = 0;
            for (int r = 0; r < runs; r++) {
                long kb;
                best = MIN(best, run_once(argv[1], scenario, out, traces[j], &kb));
                rss = MAX(rss, kb);
            }
            printf("%-18s %-7s %10" G_GUINT64_FORMAT " %12.3f %14.0f %10.1f\n", loads[i].name,
                   traces[j], faults, best, (double)faults / best, (double)rss / 1024.0);
            fflush(stdout);
        }
    }
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
