/* Whole-simulator benchmark: runs `pagesim run` on fault-heavy workloads and
 * prints faults per second of wall time and peak memory, with and without the
 * native trace.
 *  - 64 closed-loop threads each faulting its own 16,384 pages in order
 *    (1,048,576 faults), a pager with 8 workers and exponential 50 us service,
 *    think time 1 us;
 *  - the same with 100,000 threads faulting 10 pages each;
 *  - a million threads blocked at once (one fault each, one worker serving a
 *    page per microsecond): peak memory per blocked thread, as the peak over
 *    the threads and as the growth from 100,000 blocked threads to a million
 *    (which leaves out what does not grow with the threads);
 *  - 200,000 faults at random pages of a 1 PiB VMO: memory of a sparse VMO.
 * Usage: bench-model PAGESIM [RUNS]. Each time is the best of RUNS runs
 * (default 3), wall and CPU (user + system) each; memory is the largest peak.
 * Prints figures only; it asserts nothing about timings. */
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
    const char *kind;   /* "scan", "blocked" or "sparse", below */
    const char *device; /* NULL: no device; else the kind of the pager's device */
} Workload;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The scenario of @w:
 *  - scan: threads x accesses faults, each thread on its own slice in order;
 *  - blocked: every thread faults one page at t = 0 and a single worker
 *    serves one page per microsecond, so all of them are blocked at once;
 *  - sparse: threads x accesses faults at uniformly random pages of a 1 PiB
 *    VMO (each one touches its own 128 MiB region or more).
 * A workload with a device puts its pager on a device of that kind ("none"
 * must cost nothing; "nvme" sends every worker's read through the device's
 * queue and channel). */
static char *write_scenario(const char *dir, const Workload *w) {
    char *path = g_strdup_printf("%s/%s.json", dir, w->name);
    gboolean blocked = g_str_equal(w->kind, "blocked"), sparse = g_str_equal(w->kind, "sparse");
    g_autofree char *size =
        sparse ? g_strdup("1PiB")
               : g_strdup_printf("%" G_GUINT64_FORMAT "KiB", (guint64)w->threads * w->accesses * 4);
    g_autofree char *dev =
        w->device
            ? g_strdup_printf(" \"devices\": [{\"name\": \"d\", \"kind\": \"%s\"}],", w->device)
            : g_strdup("");
    g_autofree char *use = w->device ? g_strdup(", \"device\": \"d\"") : g_strdup("");
    g_autofree char *text = g_strdup_printf(
        "{\"name\": \"%s\", \"seed\": 1,%s"
        " \"providers\": [{\"name\": \"pager\", \"kind\": \"pager\", \"workers\": %u%s,"
        "   \"latency\": %s}],"
        " \"vmos\": [{\"name\": \"file\", \"size\": \"%s\", \"provider\": \"pager\"}],"
        " \"workloads\": [{\"name\": \"t\", \"kind\": \"closed\", \"vmo\": \"file\","
        "   \"threads\": %u, \"access\": \"fault\","
        "   \"pattern\": %s,"
        "   \"think\": \"1us\", \"accesses\": %u}]}",
        w->name, dev, blocked ? 1 : 8, use,
        blocked ? "\"1us\"" : "{\"dist\": \"exponential\", \"mean\": \"50us\"}", size, w->threads,
        sparse ? "{\"kind\": \"uniform\"}" : "{\"kind\": \"sequential\", \"per_thread\": true}",
        w->accesses);
    g_assert(g_file_set_contents(path, text, -1, NULL));
    return path;
}

/* Runs pagesim once; returns wall seconds and sets @cpu_s to its CPU time
 * (user + system) and @rss_kb to its peak RSS. */
static double run_once(const char *pagesim, const char *scenario, const char *out,
                       const char *trace, double *cpu_s, long *rss_kb) {
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
    *cpu_s = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
             (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    return now_s() - t0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: bench-model PAGESIM [RUNS]\n");
        return 2;
    }
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    static const Workload loads[] = {
        {"bench-64x16384", 64, 16384, "scan", NULL},
        {"bench-64x16384-none", 64, 16384, "scan", "none"},
        {"bench-64x16384-nvme", 64, 16384, "scan", "nvme"},
        {"bench-100000x10", 100000, 10, "scan", NULL},
        {"bench-100k-blocked", 100000, 1, "blocked", NULL},
        {"bench-1M-blocked", 1000000, 1, "blocked", NULL},
        {"bench-1PiB-sparse", 100, 2000, "sparse", NULL},
    };
    static const char *traces[] = {"none", "native"};
    g_autofree char *dir = g_dir_make_tmp("bench-model-XXXXXX", NULL);
    g_autofree char *out = g_build_filename(dir, "out", NULL);
    printf("%-20s %-7s %10s %10s %10s %14s %10s\n", "workload", "trace", "faults", "wall s",
           "cpu s", "faults/cpu-s", "peak MiB");
    long blocked_kb[2] = {0, 0}; /* peak of 100k and 1M blocked, trace none */
    for (size_t i = 0; i < G_N_ELEMENTS(loads); i++) {
        g_autofree char *scenario = write_scenario(dir, &loads[i]);
        guint64 faults = (guint64)loads[i].threads * loads[i].accesses;
        for (size_t j = 0; j < G_N_ELEMENTS(traces); j++) {
            double best = G_MAXDOUBLE, best_cpu = G_MAXDOUBLE;
            long rss = 0;
            for (int r = 0; r < runs; r++) {
                long kb;
                double cpu;
                best = MIN(best, run_once(argv[1], scenario, out, traces[j], &cpu, &kb));
                best_cpu = MIN(best_cpu, cpu);
                rss = MAX(rss, kb);
            }
            if (g_str_equal(loads[i].kind, "blocked") && j == 0)
                blocked_kb[loads[i].threads == 1000000] = rss;
            printf("%-20s %-7s %10" G_GUINT64_FORMAT " %10.3f %10.3f %14.0f %10.1f\n",
                   loads[i].name, traces[j], faults, best, best_cpu, (double)faults / best_cpu,
                   (double)rss / 1024.0);
            fflush(stdout);
        }
    }
    printf("bytes per blocked thread (trace none): %.0f (1M peak / 1M), %.0f (growth from "
           "100k to 1M / 900k)\n",
           (double)blocked_kb[1] * 1024.0 / 1e6,
           (double)(blocked_kb[1] - blocked_kb[0]) * 1024.0 / 9e5);
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
