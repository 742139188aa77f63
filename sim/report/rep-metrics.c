/* The metric table and its rows (see rep-metrics.h); the tables written from it
 * are in rep-metrics-write.c.
 *
 * Invariants: keys are unique; a list of rows holds each key once, sorted by
 * `order`; every path names a number that `pagesim run` writes into summary.json
 * (README.md lists them).
 */
#include "sim/report/rep-metrics.h"

#include <math.h>
#include <string.h>

/* A row of the table as written here; a device row is a template, expanded
 * once per device (KEY and HEADING take the device's name for %s). */
typedef struct {
    const char *key, *heading, *path, *what;
    RepMetricUnit unit;
    gboolean figure;
    const char *probe; /* (nullable) a number that exists only with the row's section */
    const char *guard; /* (nullable) a count that must be > 0 for the row to have a value */
    gboolean device;   /* one row per device; path is under the device's element */
} Template;

#define C REP_METRIC_COUNT
#define R REP_METRIC_RATE
#define D REP_METRIC_DURATION
#define Q REP_METRIC_RATIO
#define N REP_METRIC_NUMBER
/* A fixed row; a row of an optional section (it applies where the number
 * @probe exists) with an optional @guard; a memory row (its probe: capacity_pages,
 * present exactly when summary.json has `memory`); a lock row (its probe: the
 * first lock's acquisitions, present exactly when summary.json has `locks`); a
 * device row template. */
#define ROW(k, h, p, w, u, fig)                                                                    \
    { k, h, p, w, u, fig, NULL, NULL, FALSE }
#define SECTION(probe, k, h, p, w, u, fig, guard)                                                  \
    { k, h, p, w, u, fig, probe, guard, FALSE }
#define MEMORY(k, h, p, w, u, fig, guard)                                                          \
    SECTION("memory.capacity_pages", k, h, p, w, u, fig, guard)
#define LOCK(k, h, p, w, u, guard) SECTION("locks.0.acquisitions", k, h, p, w, u, FALSE, guard)
#define DEVICE(k, h, p, w, u)                                                                      \
    { k, h, p, w, u, FALSE, NULL, NULL, TRUE }

static const Template table[] = {
    ROW("accesses", "accesses", "accesses", "accesses that finished", C, FALSE),
    ROW("accesses_per_s", "accesses/s", "throughput.accesses_per_s", "accesses per second", R,
        FALSE),
    ROW("faults", "faults", "faults", "faults (accesses that found a page missing)", C, FALSE),
    ROW("makespan_ns", "makespan", "makespan_ns", "makespan", D, FALSE),
    ROW("access_p50_ns", "access p50", "access_latency_ns.p50", "median access latency", D, FALSE),
    ROW("access_p99_ns", "access p99", "access_latency_ns.p99", "p99 access latency", D, FALSE),
    ROW("mean_ns", "fault mean", "latency_ns.mean", "mean fault latency", D, TRUE),
    ROW("p50_ns", "fault p50", "latency_ns.p50", "median fault latency", D, FALSE),
    ROW("p90_ns", "fault p90", "latency_ns.p90", "p90 fault latency", D, FALSE),
    ROW("p99_ns", "fault p99", "latency_ns.p99", "p99 fault latency", D, TRUE),
    ROW("p999_ns", "fault p99.9", "latency_ns.p999", "p99.9 fault latency", D, FALSE),
    ROW("max_ns", "fault max", "latency_ns.max", "largest fault latency", D, FALSE),
    ROW("ok_fault_p50_ns", "ZX_OK fault p50", "statuses.ZX_OK.latency_ns.p50",
        "median successful fault latency", D, FALSE),
    ROW("ok_fault_p99_ns", "ZX_OK fault p99", "statuses.ZX_OK.latency_ns.p99",
        "p99 successful fault latency", D, FALSE),
    ROW("ok_fault_p999_ns", "ZX_OK fault p99.9", "statuses.ZX_OK.latency_ns.p999",
        "p99.9 successful fault latency", D, FALSE),
    ROW("failures", "failed accesses", "accesses_failed", "accesses that failed", C, FALSE),
    ROW("faults_failed", "failed faults", "faults_failed", "faults that failed", C, FALSE),
    ROW("mean_wait_ns", "mean wait", "mean_wait_ns", "mean PageRequest::Wait", D, FALSE),
    ROW("overtime_waits", "overtime waits", "overtime_waits", "waits past an overtime expiry", C,
        FALSE),
    ROW("requests", "requests sent", "requests.sent", "requests sent to providers", C, TRUE),
    ROW("pages_requested", "pages requested", "requests.pages", "pages requested", C, FALSE),
    ROW("pages_supplied", "pages supplied", "supplied_pages", "pages supplied", C, FALSE),
    ROW("pages_unused", "pages unused", "pages_unused", "pages supplied but never used", C, FALSE),
    ROW("utilization", "busiest provider util.", "providers[].utilization",
        "busiest provider's utilization", Q, TRUE),
    /* The VMO lock (issue 11): runs with a lock cost (summary.json has `locks`);
     * each the largest over the VMOs' locks. */
    LOCK("lock_held", "lock held (max)", "locks[].held_fraction",
         "busiest VMO lock's held fraction", Q, NULL),
    LOCK("lock_contended", "lock contended (max)", "locks[].contended",
         "grants after a wait, most contended VMO lock", C, NULL),
    LOCK("lock_wait_p99_ns", "lock wait p99 (max)", "locks[].wait.p99", "p99 VMO lock wait", D,
         "locks[].wait.count"),
    /* Memory pressure (issue 10): runs whose scenario has a `memory` section. */
    MEMORY("evictions", "evictions", "memory.evictions", "pages evicted", C, FALSE, NULL),
    MEMORY("refaults", "refaults", "memory.refaults", "refaults (faults on evicted pages)", C, TRUE,
           NULL),
    MEMORY("refault_distance_p50", "refault distance p50", "memory.refault_distance.p50",
           "median reuse distance of refaults (pages)", C, FALSE, "memory.refault_distance.count"),
    MEMORY("readahead_refaults", "read-ahead refaults", "memory.readahead_refaults",
           "evicted pages read back ahead, without a fault", C, FALSE, NULL),
    MEMORY("evicted_unused", "evicted unused", "memory.evicted_unused",
           "pages evicted before any access used them", C, FALSE, NULL),
    MEMORY("direct_reclaims", "direct reclaims", "memory.direct_reclaim_ns.count",
           "direct reclaim stalls", C, FALSE, NULL),
    MEMORY("direct_reclaim_ns", "direct reclaim total", "memory.direct_reclaim_ns.total_ns",
           "time in direct reclaim", D, FALSE, NULL),
    MEMORY("direct_reclaim_p99_ns", "direct reclaim p99", "memory.direct_reclaim_ns.p99",
           "p99 direct reclaim stall", D, FALSE, "memory.direct_reclaim_ns.count"),
    MEMORY("reclaimer_busy_ns", "reclaimer busy", "memory.reclaimer_busy_ns", "reclaimer busy time",
           D, FALSE, NULL),
    MEMORY("resident_max", "resident peak", "memory.resident_max", "most pages resident", C, FALSE,
           NULL),
    MEMORY("resident_mean", "resident mean", "memory.resident_mean", "mean pages resident", N,
           FALSE, NULL),
    /* Devices (issue 19): one set per device that is not of kind "none". */
    DEVICE("device_%s_utilization", "%s util.", "utilization", "device utilization", Q),
    DEVICE("device_%s_iops", "%s reads/s", "iops", "device reads per second", R),
    DEVICE("device_%s_mbps", "%s MB/s", "mbps", "device bandwidth (MB/s)", N),
    DEVICE("device_%s_queue", "%s queue", "queue", "mean reads waiting at the device", N),
    ROW("sim_time_ns", "simulated time", "sim_time_ns", "simulated time", D, FALSE),
};

#undef C
#undef R
#undef D
#undef Q
#undef N
#undef ROW
#undef SECTION
#undef MEMORY
#undef LOCK
#undef DEVICE

void rep_metric_free(RepMetric *m) {
    if (m == NULL)
        return;
    g_free(m->key);
    g_free(m->heading);
    g_free(m->path);
    g_free(m->device);
    g_free(m);
}

GPtrArray *rep_metrics_new(void) {
    return g_ptr_array_new_with_free_func((GDestroyNotify)rep_metric_free);
}

/* The index of the first device template (they are consecutive). */
static guint first_device(void) {
    guint i = 0;
    while (!table[i].device)
        i++;
    return i;
}

/* @tmpl with its "%s" replaced by @name. */
static char *expand(const char *tmpl, const char *name) {
    const char *at = strstr(tmpl, "%s");
    return g_strdup_printf("%.*s%s%s", (int)(at - tmpl), tmpl, name, at + 2);
}

/* The row of template @t for @device (NULL for a fixed row), device number
 * @seq among the rows' devices. */
static RepMetric *row_new(guint t, const char *device, guint seq) {
    const Template *tp = &table[t];
    RepMetric *m = g_new0(RepMetric, 1);
    m->key = device ? expand(tp->key, device) : g_strdup(tp->key);
    m->heading = device ? expand(tp->heading, device) : g_strdup(tp->heading);
    m->path = g_strdup(tp->path);
    m->device = g_strdup(device);
    m->what = tp->what;
    m->unit = tp->unit;
    m->figure = tp->figure;
    m->order =
        device ? (first_device() << 16) | (MIN(seq, 0xfffu) << 4) | (t - first_device()) : t << 16;
    return m;
}

static const Template *template_of(const RepMetric *m) {
    guint t = m->order >> 16;
    return m->device ? &table[t + (m->order & 15)] : &table[t];
}

static gboolean has_key(GPtrArray *rows, const char *key) {
    for (guint i = 0; i < rows->len; i++)
        if (strcmp(((RepMetric *)rows->pdata[i])->key, key) == 0)
            return TRUE;
    return FALSE;
}

/* The number of @device among the devices of @rows (a new one gets the next). */
static guint device_seq(GPtrArray *rows, const char *device) {
    guint n = 0;
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < rows->len; i++) {
        const RepMetric *m = rows->pdata[i];
        if (m->device && strcmp(m->device, device) == 0)
            return (m->order >> 4) & 0xfff;
        if (m->device && g_hash_table_add(seen, m->device))
            n++;
    }
    return n;
}

static gint by_order(gconstpointer a, gconstpointer b) {
    guint x = (*(RepMetric *const *)a)->order, y = (*(RepMetric *const *)b)->order;
    return x < y ? -1 : x > y;
}

/* Adds the row of template @t (for @device) unless it is there. */
static void add_row(GPtrArray *rows, guint t, const char *device) {
    RepMetric *m = row_new(t, device, device ? device_seq(rows, device) : 0);
    if (has_key(rows, m->key)) {
        rep_metric_free(m);
        return;
    }
    g_ptr_array_add(rows, m);
    g_ptr_array_sort(rows, by_order);
}

/* The index of device @name in @s's "devices", or -1 if it has none of that
 * name or it is of kind "none" (it does nothing). */
static int device_index(const RepSummary *s, const char *name) {
    guint n = rep_summary_get_length(s, "devices");
    for (guint d = 0; d < n; d++) {
        g_autofree char *path = g_strdup_printf("devices.%u.name", d);
        g_autofree char *kind = g_strdup_printf("devices.%u.kind", d);
        const char *nm = rep_summary_get_string(s, path), *kd = rep_summary_get_string(s, kind);
        if (nm && strcmp(nm, name) == 0)
            return kd && strcmp(kd, "none") == 0 ? -1 : (int)d;
    }
    return -1;
}

void rep_metrics_add_summary(GPtrArray *rows, const RepSummary *s) {
    double v;
    for (guint t = 0; t < G_N_ELEMENTS(table); t++) {
        if (table[t].device) {
            guint n = rep_summary_get_length(s, "devices");
            for (guint d = 0; d < n; d++) {
                g_autofree char *name = g_strdup_printf("devices.%u.name", d);
                const char *nm = rep_summary_get_string(s, name);
                if (nm && device_index(s, nm) == (int)d)
                    add_row(rows, t, nm);
            }
        } else if (table[t].probe == NULL || rep_summary_get_number(s, table[t].probe, &v)) {
            add_row(rows, t, NULL);
        }
    }
}

gboolean rep_metrics_add_key(GPtrArray *rows, const char *key) {
    for (guint t = 0; t < G_N_ELEMENTS(table); t++) {
        if (!table[t].device) {
            if (strcmp(table[t].key, key) != 0)
                continue;
            add_row(rows, t, NULL);
            return TRUE;
        }
        const char *suffix = table[t].key + strlen("device_%s");
        gsize kl = strlen(key), pl = strlen("device_"), sl = strlen(suffix);
        if (kl > pl + sl && g_str_has_prefix(key, "device_") && g_str_has_suffix(key, suffix)) {
            g_autofree char *device = g_strndup(key + pl, kl - pl - sl);
            add_row(rows, t, device);
            return TRUE;
        }
    }
    return FALSE;
}

GPtrArray *rep_metrics_for_runs(RepSummary *const *runs, guint n) {
    GPtrArray *rows = rep_metrics_new();
    for (guint r = 0; r < n; r++)
        rep_metrics_add_summary(rows, runs[r]);
    return rows;
}

RepMetricState rep_metric_get(const RepMetric *m, const RepSummary *s, double *out) {
    const Template *tp = template_of(m);
    double v;
    if (m->device) {
        int d = device_index(s, m->device);
        if (d < 0)
            return REP_METRIC_NA;
        g_autofree char *path = g_strdup_printf("devices.%d.%s", d, m->path);
        return rep_summary_get_number(s, path, out) ? REP_METRIC_VALUE : REP_METRIC_NONE;
    }
    if (tp->probe && !rep_summary_get_number(s, tp->probe, &v))
        return REP_METRIC_NA;
    if (tp->guard && !(rep_summary_get_number(s, tp->guard, &v) && v > 0))
        return REP_METRIC_NONE;
    return rep_summary_get_number(s, m->path, out) ? REP_METRIC_VALUE : REP_METRIC_NONE;
}

gboolean rep_metric_value(const RepMetric *m, const RepSummary *s, double *out) {
    return rep_metric_get(m, s, out) == REP_METRIC_VALUE;
}

gboolean rep_metric_change_pct(double base, double value, double *out) {
    if (base == 0 || isnan(base) || isnan(value))
        return FALSE;
    *out = 100.0 * (value - base) / base;
    return TRUE;
}

char *rep_format_duration(double ns) {
    double a = fabs(ns);
    if (a < 1e3)
        return g_strdup_printf("%.0f ns", ns);
    if (a < 1e6)
        return g_strdup_printf("%.1f us", ns / 1e3);
    if (a < 1e9)
        return g_strdup_printf("%.1f ms", ns / 1e6);
    return g_strdup_printf("%.2f s", ns / 1e9);
}

static char *format_rate(double v) {
    if (v < 1e3)
        return g_strdup_printf("%.1f/s", v);
    if (v < 1e6)
        return g_strdup_printf("%.1f k/s", v / 1e3);
    if (v < 1e9)
        return g_strdup_printf("%.2f M/s", v / 1e6);
    return g_strdup_printf("%.2f G/s", v / 1e9);
}

char *rep_metric_format(RepMetricUnit unit, double v) {
    switch (unit) {
        case REP_METRIC_RATE:
            return format_rate(v);
        case REP_METRIC_DURATION:
            return rep_format_duration(v);
        case REP_METRIC_RATIO:
            return g_strdup_printf("%.3f", v);
        case REP_METRIC_NUMBER:
            return g_strdup_printf("%.2f", v);
        default:
            return g_strdup_printf("%.0f", v);
    }
}

RepMetricScale rep_metric_scale(const RepMetric *m, double largest) {
    double a = fabs(largest);
    if (m->unit != REP_METRIC_DURATION || isnan(a))
        return (RepMetricScale){1.0, ""}; /* no unit to show, or no value to show in it */
    /* At most 9999.9 of a unit, so a value keeps four or five digits. */
    if (!(a >= 1e4))
        return (RepMetricScale){1.0, "ns"};
    if (a < 1e7)
        return (RepMetricScale){1e3, "us"};
    if (a < 1e10)
        return (RepMetricScale){1e6, "ms"};
    return (RepMetricScale){1e9, "s"};
}

char *rep_metric_format_scaled(const RepMetric *m, RepMetricScale sc, double v) {
    if (isnan(v))
        return g_strdup("-");
    v /= sc.scale;
    if (m->unit == REP_METRIC_DURATION)
        return g_strdup_printf(sc.scale >= 1e9 ? "%.3f" : "%.1f", v);
    if (m->unit == REP_METRIC_RATIO)
        return g_strdup_printf("%.3f", v);
    if (m->unit == REP_METRIC_NUMBER)
        return g_strdup_printf("%.2f", v);
    if (v == floor(v) && fabs(v) < 1e15)
        return g_strdup_printf("%.0f", v);
    return g_strdup_printf(fabs(v) < 1 ? "%.3f" : "%.2f", v);
}

const char *rep_metric_unit_name(RepMetricUnit unit) {
    static const char *const names[] = {"count", "per_s", "ns", "ratio", "number"};
    return names[unit];
}

char *rep_metric_json_path(const RepMetric *m) {
    if (m->device)
        return g_strdup_printf("devices[name=%s].%s", m->device, m->path);
    return g_strdup(m->path);
}
