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

/* Pages 0..7 of v from a pager with one worker taking 10 us, with read-ahead
 * of one page past each fault. */
#define HEAD_RA                                                                                    \
    "{\"name\": \"m\", \"policy\": \"readahead:1\", \"providers\": [{\"name\": \"disk\", "         \
    "\"kind\": \"pager\", \"workers\": 1, \"latency\": \"10us\"}], \"vmos\": [{\"name\": \"v\", "  \
    "\"size\": \"32KiB\", \"provider\": \"disk\"}, {\"name\": \"w\", \"size\": \"32KiB\", "        \
    "\"provider\": \"disk\"}],"

/* Runs @memory (the section's JSON) after @head with the faults in @faults
 * ("vmo:page@us" items separated by spaces), keeping the trace lines of @ev
 * only. */
static Run run_head(const char *head, const char *memory, const char *faults, const char *ev) {
    g_autoptr(GString) s = g_string_new(head);
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

static Run run(const char *memory, const char *faults, const char *ev) {
    return run_head(HEAD, memory, faults, ev);
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

/* Capacity 2 pages, no reclaimer, batch 1, LRU, each fault reclaiming
 * directly. Pages 0..4 fault in turn; 0 and 2 come back:
 *  - 2 at 200 us evicts 0 (stamp 1), 3 evicts 1 (stamp 2), 4 evicts 2
 *    (stamp 3), 0 at 500 us evicts 3 (stamp 4), 2 at 600 us evicts 4;
 *  - with shadows for 8 x capacity (16, the default) every shadow is kept: 0
 *    at 500 us is a refault at distance 3 - 1 = 2, 2 at 600 us one at
 *    4 - 3 = 1;
 *  - with "shadows": 1 (2 shadows), 4's eviction of 2 drops 0's shadow (the
 *    oldest of 0, 1, 2) and 0's eviction of 3 drops 1's: the fault on 0 is no
 *    refault any more, and the one on 2 (inside the bound) is the same
 *    refault at distance 1. */
static void test_shadow_limit(void) {
    const char *faults = "v:0@0 v:1@100 v:2@200 v:3@300 v:4@400 v:0@500 v:2@600";
#define MEM "{\"capacity\": \"8KiB\", \"high\": \"8KiB\", \"batch\": 1, \"reclaim_cost\": \"0ns\""
    const char *unbound = MEM "}", *bound = MEM ", \"shadows\": 1}";
#undef MEM
    Run a = run(unbound, faults, "reclaim"), b = run(bound, faults, "reclaim");
    g_assert_cmpuint(a.mem.evictions, ==, 5);
    g_assert_cmpuint(a.mem.shadow_limit, ==, 16);
    g_assert_cmpuint(a.mem.refaults, ==, 2);
    g_assert_cmpuint(a.mem.refault_distance->min, ==, 1);
    g_assert_cmpuint(a.mem.refault_distance->max, ==, 2);
    g_assert_cmpuint(a.mem.shadows_max, ==, 3); /* 0, 1, 2 after 2's eviction */
    g_assert_cmpuint(a.mem.shadows_dropped, ==, 0);
    g_assert_cmpuint(b.mem.evictions, ==, 5);
    g_assert_cmpuint(b.mem.shadow_limit, ==, 2);
    g_assert_cmpuint(b.mem.refaults, ==, 1);
    g_assert_cmpuint(b.mem.refault_distance->min, ==, 1);
    g_assert_cmpuint(b.mem.refault_distance->max, ==, 1);
    g_assert_cmpuint(b.mem.shadows_max, ==, 2);
    g_assert_cmpuint(b.mem.shadows_dropped, ==, 2);
    g_assert_cmpstr(a.trace, ==, b.trace); /* the same evictions */
    run_clear(&a);
    run_clear(&b);
}

/* Refaults inside read-ahead. Capacity 2 pages, LRU, batch 1, direct reclaim
 * only; each fault's request is read ahead by one page (readahead:1):
 *  - 0 at 0 us reads 0 and 1 (supplied at 10 us, in that order; the thread
 *    then uses 0): LRU order 1, 0;
 *  - 4 at 100 us finds memory full: evicts 1 (never used), reads 4 and 5; 5's
 *    insert finds memory full and evicts 0: LRU order 4, 5, and the thread
 *    uses 4: order 5, 4;
 *  - 0 at 200 us is a refault (a fault on an evicted page); it evicts 5
 *    (never used) and reads 0 and 1: 1 had been evicted, so its insert is a
 *    read-ahead refault; it evicts 4.
 * So 1 refault, 1 read-ahead refault, 4 evictions, 2 of them unused. An
 * insert's eviction line counts the supplied page already (resident 2). */
static void test_readahead_refault(void) {
    Run r = run_head(HEAD_RA,
                     "{\"capacity\": \"8KiB\", \"high\": \"8KiB\", \"batch\": 1, "
                     "\"reclaim_cost\": \"0ns\"}",
                     "v:0@0 v:4@100 v:0@200", "reclaim");
    g_assert_cmpstr(r.trace, ==,
                    "{\"t\":100000,\"ev\":\"reclaim\",\"by\":\"direct\",\"vmo\":\"v\",\"pages\":1,"
                    "\"resident\":1}\n"
                    "{\"t\":110000,\"ev\":\"reclaim\",\"by\":\"insert\",\"vmo\":\"v\",\"pages\":1,"
                    "\"resident\":2}\n"
                    "{\"t\":200000,\"ev\":\"reclaim\",\"by\":\"direct\",\"vmo\":\"v\",\"pages\":1,"
                    "\"resident\":1}\n"
                    "{\"t\":210000,\"ev\":\"reclaim\",\"by\":\"insert\",\"vmo\":\"v\",\"pages\":1,"
                    "\"resident\":2}\n");
    g_assert_cmpuint(r.stats.all.faults, ==, 3);
    g_assert_cmpuint(r.mem.evictions, ==, 4);
    g_assert_cmpuint(r.mem.evicted_unused, ==, 2);
    g_assert_cmpuint(r.mem.refaults, ==, 1);
    g_assert_cmpuint(r.mem.readahead_refaults, ==, 1);
    g_assert_cmpuint(r.mem.resident_end, ==, 2);
    run_clear(&r);
}

/* Resident pages over time: capacity 4, high 3, low 2 as in reclaimer-wakes
 * but with only pages 0..3 at 0, 100, 200 and 300 us (the sync provider
 * inserts each at its fault): 1 page for 100 us, 2, 3, then 4 at 300 us and
 * the reclaimer takes 2 of them at 300 and 301 us (3 pages for 1 us, then 2);
 * the run ends at 310 us, when the last fault's 10 us are over. The mean is
 * (1 x 100 + 2 x 100 + 3 x 100 + 3 x 1 + 2 x 9) / 310 pages. */
static void test_resident_mean(void) {
    Run r = run("{\"capacity\": \"16KiB\", \"high\": \"12KiB\", \"low\": \"8KiB\", "
                "\"batch\": 1, \"reclaim_cost\": \"1us\"}",
                "v:0@0 v:1@100 v:2@200 v:3@300", "reclaim");
    g_assert_cmpuint(r.stats.sim_time_ns, ==, 310000);
    g_assert_cmpfloat_with_epsilon(r.mem.resident_mean,
                                   (100 + 200 + 300 + 3 + 18) * 1000.0 / 310000, 1e-12);
    run_clear(&r);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/reclaim/reclaimer-wakes", test_reclaimer_wakes);
    g_test_add_func("/reclaim/direct", test_direct_reclaim);
    g_test_add_func("/reclaim/vmo-limit", test_vmo_limit);
    g_test_add_func("/reclaim/shadow-limit", test_shadow_limit);
    g_test_add_func("/reclaim/readahead-refault", test_readahead_refault);
    g_test_add_func("/reclaim/resident-mean", test_resident_mean);
    return g_test_run();
}
