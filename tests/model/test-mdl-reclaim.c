/* Memory pressure in the world (sim/model/mdl-reclaim.c), on small scenarios
 * worked out by hand: when the reclaimer wakes and what it evicts, what a
 * direct reclaim adds to a fault's latency, a per-VMO limit, and refaults.
 * One thread faults pages of a VMO on a synchronous provider costing 10 us. */
#include "sim/model/mdl-world.h"

#include <stdio.h>
#include <string.h>

#define HEAD                                                                                       \
    "{\"name\": \"m\", \"providers\": [{\"name\": \"disk\", \"kind\": \"sync\", \"cost\": "        \
    "\"10us\"}], \"vmos\": [{\"name\": \"v\", \"size\": \"32KiB\", \"provider\": \"disk\"}, "      \
    "{\"name\": \"w\", \"size\": \"32KiB\", \"provider\": \"disk\"}],"

/* One fault of T1 at @us microseconds on page @page of VMO @vmo. */
static void fault(GString *s, guint us, const char *vmo, guint page) {
    g_string_append_printf(s,
                           "%s{\"thread\": \"T1\", \"at\": \"%uus\", \"vmo\": \"%s\", "
                           "\"access\": \"fault\", \"offset\": %u}",
                           g_str_has_suffix(s->str, "[") ? "" : ",", us, vmo, page * 4096);
}

typedef struct {
    MdlWorld *w;
    ScnScenario *sc;
    char *trace;
    MdlStats stats; /* copied scalars */
    uint64_t lat_min, lat_max, lat_count;
    MdlMemoryStats mem;
} Run;

/* Runs @memory (the section's JSON) with the faults in @faults ("vmo:page@us"
 * items separated by spaces), keeping the trace lines of @ev only. */
static Run run(const char *memory, const char *faults, const char *ev) {
    g_autoptr(GString) s = g_string_new(HEAD);
    g_string_append_printf(s,
                           "\"memory\": %s, \"workloads\": [{\"name\": \"t\", "
                           "\"kind\": \"explicit\", \"accesses\": [",
                           memory);
    g_auto(GStrv) items = g_strsplit(faults, " ", -1);
    for (guint i = 0; items[i]; i++) {
        char vmo[8];
        guint page, us;
        g_assert_cmpint(sscanf(items[i], "%1[vw]:%u@%u", vmo, &page, &us), ==, 3);
        fault(s, us, vmo, page);
    }
    g_string_append(s, "]}]}");
    g_autoptr(GError) error = NULL;
    Run r = {0};
    r.sc = scn_scenario_load_data(s->str, s->len, "m.json", NULL, &error);
    g_assert_no_error(error);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    RepTrace *tr = rep_trace_new(f);
    MdlOptions opt = {.trace = tr, .check = TRUE};
    r.w = mdl_world_new(r.sc, &opt, &error);
    g_assert_no_error(error);
    g_assert_true(mdl_world_run(r.w));
    rep_trace_free(tr);
    fclose(f);
    g_autoptr(GString) kept = g_string_new(NULL);
    g_auto(GStrv) lines = g_strsplit(buf, "\n", -1);
    g_autofree char *needle = g_strdup_printf("\"ev\":\"%s\"", ev);
    for (guint i = 0; lines[i]; i++)
        if (strstr(lines[i], needle))
            g_string_append_printf(kept, "%s\n", lines[i]);
    free(buf);
    r.trace = g_string_free(g_steal_pointer(&kept), FALSE);
    const MdlStats *st = mdl_world_get_stats(r.w);
    r.stats = *st;
    r.lat_min = st->all.latency->min;
    r.lat_max = st->all.latency->max;
    r.lat_count = st->all.latency->count;
    g_assert_nonnull(st->memory);
    r.mem = *st->memory;
    return r;
}

static void run_clear(Run *r) {
    mdl_world_free(r->w);
    scn_scenario_free(r->sc);
    g_free(r->trace);
}

/* Capacity 4 pages, high 3, low 2, batch 1, 1 us per page. Pages 0..4 of v
 * fault 100 us apart: the insert of page 3 leaves 4 resident (> high), so the
 * reclaimer wakes at 300 us, evicts page 0 (LRU), is busy 1 us, evicts page 1
 * at 301 us and sleeps at 302 us (2 = low). Page 0 again at 500 us is a
 * refault at distance 1 (one eviction since its own); its insert wakes the
 * reclaimer, which evicts pages 2 and 3 (the third and fourth evictions).
 * Page 4 at 600 us hits; page 2 at 700 us faults (a refault at distance 1)
 * and leaves 3 resident: not above high, so the reclaimer stays asleep. */
static void test_reclaimer_wakes(void) {
    Run r = run("{\"capacity\": \"16KiB\", \"high\": \"12KiB\", \"low\": \"8KiB\", "
                "\"batch\": 1, \"reclaim_cost\": \"1us\"}",
                "v:0@0 v:1@100 v:2@200 v:3@300 v:4@400 v:0@500 v:4@600 v:2@700", "reclaim");
    g_assert_cmpstr(r.trace, ==,
                    "{\"t\":300000,\"ev\":\"reclaim\",\"by\":\"reclaimer\",\"vmo\":\"v\",\"pages\":"
                    "1,\"resident\":3}\n"
                    "{\"t\":301000,\"ev\":\"reclaim\",\"by\":\"reclaimer\",\"vmo\":\"v\",\"pages\":"
                    "1,\"resident\":2}\n"
                    "{\"t\":500000,\"ev\":\"reclaim\",\"by\":\"reclaimer\",\"vmo\":\"v\",\"pages\":"
                    "1,\"resident\":3}\n"
                    "{\"t\":501000,\"ev\":\"reclaim\",\"by\":\"reclaimer\",\"vmo\":\"v\",\"pages\":"
                    "1,\"resident\":2}\n");
    g_assert_cmpuint(r.stats.all.accesses, ==, 8);
    g_assert_cmpuint(r.stats.all.faults, ==, 7);
    g_assert_cmpuint(r.mem.evictions, ==, 4);
    g_assert_cmpuint(r.mem.evicted_by[0], ==, 4);
    g_assert_cmpuint(r.mem.reclaimer_wakeups, ==, 2);
    g_assert_cmpuint(r.mem.reclaimer_busy_ns, ==, 4000);
    g_assert_cmpuint(r.mem.refaults, ==, 2);
    g_assert_cmpuint(r.mem.refault_distance->min, ==, 1);
    g_assert_cmpuint(r.mem.refault_distance->max, ==, 1);
    g_assert_cmpuint(r.mem.resident_max, ==, 4);
    g_assert_cmpuint(r.mem.resident_end, ==, 3);
    g_assert_cmpuint(r.mem.direct_stalls, ==, 0);
    run_clear(&r);
}

/* Capacity 2 pages with high = capacity: the reclaimer never wakes. The fault
 * on page 2 finds memory full and reclaims directly: batch 1 at 5 us per page
 * evicts page 0 and sleeps 5 us before the 10 us provider, so its latency is
 * 15 us instead of 10. The fault on page 0 then refaults and reclaims page 1. */
static void test_direct_reclaim(void) {
    Run r = run("{\"capacity\": \"8KiB\", \"high\": \"8KiB\", \"batch\": 1, "
                "\"reclaim_cost\": \"5us\"}",
                "v:0@0 v:1@100 v:2@200 v:0@300", "reclaim");
    g_assert_cmpstr(r.trace, ==,
                    "{\"t\":200000,\"ev\":\"reclaim\",\"by\":\"direct\",\"vmo\":\"v\",\"pages\":1,"
                    "\"resident\":1}\n"
                    "{\"t\":300000,\"ev\":\"reclaim\",\"by\":\"direct\",\"vmo\":\"v\",\"pages\":1,"
                    "\"resident\":1}\n");
    g_assert_cmpuint(r.lat_count, ==, 4);
    g_assert_cmpuint(r.lat_min, ==, 10000);
    g_assert_cmpuint(r.lat_max, ==, 15000);
    g_assert_cmpfloat(r.stats.all.latency->sum, ==, 50000.0);
    g_assert_cmpuint(r.mem.direct_stalls, ==, 2);
    g_assert_cmpuint(r.mem.direct_ns, ==, 10000);
    g_assert_cmpuint(r.mem.evicted_by[1], ==, 2);
    g_assert_cmpuint(r.mem.reclaimer_wakeups, ==, 0);
    g_assert_cmpuint(r.mem.refaults, ==, 1);
    run_clear(&r);
}

/* A per-VMO limit of 1 page: v's second page makes v reclaim its own first
 * page (directly, v being at its limit), while w's page stays. */
static void test_vmo_limit(void) {
    Run r = run("{\"capacity\": \"16KiB\", \"high\": \"16KiB\", \"vmo_limit\": \"4KiB\", "
                "\"batch\": 1, \"reclaim_cost\": \"0ns\"}",
                "w:0@0 v:0@100 v:1@200 w:0@300", "reclaim");
    g_assert_cmpstr(r.trace, ==,
                    "{\"t\":200000,\"ev\":\"reclaim\",\"by\":\"direct\",\"vmo\":\"v\",\"pages\":1,"
                    "\"resident\":0}\n");
    g_assert_cmpuint(r.stats.all.faults, ==, 3); /* w:0 hits at 300 us */
    g_assert_cmpuint(r.mem.evictions, ==, 1);
    run_clear(&r);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/reclaim/reclaimer-wakes", test_reclaimer_wakes);
    g_test_add_func("/reclaim/direct", test_direct_reclaim);
    g_test_add_func("/reclaim/vmo-limit", test_vmo_limit);
    return g_test_run();
}
