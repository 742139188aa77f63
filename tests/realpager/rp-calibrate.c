/* Calibration: what the real kernel adds to a fault that the pager's service
 * time does not cover, measured on this machine, written as the scenario's
 * "kernel" section (empirical distributions) to merge into a scenario:
 *
 * - fault_entry: from a thread touching a missing page to an idle pager thread
 *   (blocked in poll) having read the fault message: exception entry, the
 *   userfaultfd queueing and the pager's wake-up. The model's fault_entry is
 *   the time from an access to its request reaching the provider.
 * - wake_latency: from the instant the pager meant to resolve the page (the
 *   message's arrival plus the service time, @service_ns) to the faulting
 *   thread running again: the sleep's overshoot, UFFDIO_COPY and the wake-up.
 *   The model's wake_latency is the time from a supply to the woken thread
 *   running.
 * One toucher and one pager thread; the toucher pauses 200 us between faults
 * so the pager is idle in poll each time, as an unloaded pager is.
 */
#include "tests/realpager/rp.h"

#include <errno.h>
#include <jansson.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define RP_ERROR   (g_quark_from_static_string("realpager"))
#define SERVICE_NS 100000u /* as the services of the README's scenarios */
#define SPIN_NS    10000u
#define GAP_NS     200000u

typedef struct {
    RpRun run;
    RpRegion region;
    guint n;
    uint64_t *msg_at;  /* per page: when the pager read its message */
    uint64_t *copy_at; /* per page: when UFFDIO_COPY began */
    GError *error;
} Calib;

static gpointer calib_pager(gpointer data) {
    Calib *c = data;
    struct pollfd fd = {c->run.uffd, POLLIN, 0};
    rp_timer_slack_min();
    for (guint done = 0; done < c->n;) {
        if (poll(&fd, 1, 1000) <= 0)
            continue;
        struct uffd_msg msg;
        if (read(c->run.uffd, &msg, sizeof msg) != (ssize_t)sizeof msg)
            continue;
        uint64_t got = rp_now_ns();
        if (msg.event != UFFD_EVENT_PAGEFAULT)
            continue;
        uint64_t page = ((uintptr_t)msg.arg.pagefault.address - (uintptr_t)c->region.base) / 4096;
        c->msg_at[page] = got;
        rp_sleep_until(got + SERVICE_NS, SPIN_NS);
        c->copy_at[page] = rp_now_ns();
        gboolean existed;
        if (!rp_supply(&c->run, &c->region, page, &existed, &c->error))
            return NULL;
        done++;
    }
    return NULL;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* An empirical distribution through quantiles of the sorted @v. */
static json_t *empirical(uint64_t *v, guint n) {
    static const double ps[] = {0,   0.05, 0.1, 0.2,  0.3,  0.4,   0.5, 0.6,
                                0.7, 0.8,  0.9, 0.95, 0.99, 0.999, 1};
    qsort(v, n, sizeof *v, cmp_u64);
    json_t *pts = json_array();
    for (guint i = 0; i < G_N_ELEMENTS(ps); i++) {
        guint k = (guint)(ps[i] * (n - 1) + 0.5);
        char ns[32];
        g_snprintf(ns, sizeof ns, "%" G_GUINT64_FORMAT "ns", v[k]);
        json_array_append_new(pts, json_pack("[f, s]", ps[i], ns));
    }
    return json_pack("{s:s, s:o}", "dist", "empirical", "points", pts);
}

/* Touches every page once, GAP_NS apart; returns when each came back. */
static void touch_all(Calib *c, uint64_t *touch_at, uint64_t *back_at) {
    rp_timer_slack_min();
    for (guint i = 0; i < c->n; i++) {
        rp_sleep_until(rp_now_ns() + GAP_NS, SPIN_NS);
        touch_at[i] = rp_now_ns();
        (void)*(volatile char *)(c->region.base + (uint64_t)i * 4096);
        back_at[i] = rp_now_ns();
    }
}

static gboolean write_fragment(const char *path, Calib *c, uint64_t *entry, uint64_t *wake,
                               GError **error) {
    char comment[256];
    uint64_t e50, w50;
    json_t *fe = empirical(entry, c->n), *wl = empirical(wake, c->n);
    e50 = entry[c->n / 2];
    w50 = wake[c->n / 2];
    g_snprintf(comment, sizeof comment,
               "measured by realpager --calibrate: %u faults, service %uus; medians: "
               "fault_entry %" G_GUINT64_FORMAT "ns, wake_latency %" G_GUINT64_FORMAT "ns",
               c->n, SERVICE_NS / 1000, e50, w50);
    json_auto_t *doc = json_pack("{s:{s:o, s:o, s:s}}", "kernel", "fault_entry", fe, "wake_latency",
                                 wl, "comment", comment);
    if (json_dump_file(doc, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6)) !=
        0) {
        g_set_error(error, RP_ERROR, 1, "%s: cannot write the fragment", path);
        return FALSE;
    }
    printf("realpager: calibrated on %u faults: fault_entry p50 %" G_GUINT64_FORMAT
           " ns, wake_latency p50 %" G_GUINT64_FORMAT " ns -> %s\n",
           c->n, e50, w50, path);
    return TRUE;
}

gboolean rp_calibrate(const char *path, guint samples, GError **error) {
    Calib c = {.n = samples};
    c.run.uffd = -1;
    if (!rp_uffd_open(&c.run.uffd, error))
        return FALSE;
    gboolean ok = rp_region_map(&c.run, &c.region, (uint64_t)samples * 4096, error);
    g_autofree uint64_t *touch_at = g_new0(uint64_t, samples);
    g_autofree uint64_t *back_at = g_new0(uint64_t, samples);
    c.msg_at = g_new0(uint64_t, samples);
    c.copy_at = g_new0(uint64_t, samples);
    if (ok) {
        GThread *pager = g_thread_new("pager", calib_pager, &c);
        touch_all(&c, touch_at, back_at);
        g_thread_join(pager);
        ok = c.error == NULL;
        if (!ok)
            g_propagate_error(error, c.error);
    }
    for (guint i = 0; ok && i < samples; i++) {
        touch_at[i] = c.msg_at[i] - touch_at[i];              /* fault entry */
        back_at[i] = back_at[i] - (c.msg_at[i] + SERVICE_NS); /* wake after the service */
    }
    ok = ok && write_fragment(path, &c, touch_at, back_at, error);
    rp_region_unmap(&c.region);
    close(c.run.uffd);
    g_free(c.msg_at);
    g_free(c.copy_at);
    return ok;
}
