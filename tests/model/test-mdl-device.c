/* The device model: small cases computed by hand, and the presets against the
 * published figures scenarios/README.md cites for them (within 10%). */
#include "sim/model/mdl-device.h"
#include "sim/model/mdl-world.h"

#include <math.h>

#define US 1000
#define MS 1000000

/* A device of @kind given as JSON fields (the rest from the preset). */
static ScnScenario *load_device(const char *fields) {
    g_autofree char *json = g_strdup_printf("{\"devices\": [{\"name\": \"d\", %s}]}", fields);
    g_autoptr(GError) error = NULL;
    ScnScenario *sc = scn_scenario_load_data(json, strlen(json), "t.json", NULL, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(sc->n_devices, ==, 1);
    return sc;
}

/* Flash, queue depth 1, 10 us per request, 50 us positioning, 1000 MB/s
 * (1 byte/ns). The first read is random: 10 + 50 + 4.096 us. The second
 * starts where the first ended: it waits for the slot, then 10 + 4.096 us. */
static void test_sequential_pays_no_positioning(void) {
    g_autoptr(ScnScenario) sc = load_device("\"kind\": \"nvme\", \"queue_depth\": 1, "
                                            "\"request\": \"10us\", \"position\": \"50us\", "
                                            "\"bandwidth\": 1000");
    MdlDevice d;
    MdlDeviceIo io;
    g_assert_true(mdl_device_init(&d, &sc->devices[0], 1, NULL));
    mdl_device_submit(&d, 0, 0, 4096, &io);
    g_assert_cmpuint(io.start, ==, 0);
    g_assert_cmpuint(io.position, ==, 50 * US);
    g_assert_cmpuint(io.done, ==, 64096);
    mdl_device_submit(&d, 0, 4096, 4096, &io);
    g_assert_cmpuint(io.start, ==, 64096);
    g_assert_cmpuint(io.position, ==, 0);
    g_assert_cmpuint(io.done, ==, 64096 + 10 * US + 4096);
    g_assert_cmpuint(d.sequential, ==, 1);
    mdl_device_clear(&d);
}

/* HDD: settle 1 ms, stroke 9 ms, span 1 GiB, 6000 rpm (10 ms a turn). A
 * quarter-span seek: 1 + 9 * sqrt(1/4) = 5.5 ms. The submitted read adds the
 * rotational delay drawn from stream "device:d" of seed 7. */
static void test_hdd_seek(void) {
    g_autoptr(ScnScenario) sc = load_device("\"kind\": \"hdd\", \"settle\": \"1ms\", "
                                            "\"stroke\": \"9ms\", \"span\": \"1GiB\", "
                                            "\"rpm\": 6000, \"request\": 0, \"bandwidth\": 1e7");
    const ScnDevice *s = &sc->devices[0];
    g_assert_cmpuint(mdl_device_seek_ns(s, 0), ==, 0);
    g_assert_cmpuint(mdl_device_seek_ns(s, UINT64_C(1) << 28), ==, 5500 * US);
    g_assert_cmpuint(mdl_device_seek_ns(s, UINT64_C(1) << 30), ==, 10 * MS);
    g_assert_cmpuint(mdl_device_seek_ns(s, UINT64_C(1) << 31), ==, 10 * MS); /* clipped */
    MdlDevice d;
    MdlDeviceIo io;
    SimRng rng;
    sim_rng_init(&rng, 7, "device:d");
    uint64_t rot = (uint64_t)(sim_rng_uniform01(&rng) * 10.0 * MS);
    g_assert_true(mdl_device_init(&d, s, 7, NULL));
    mdl_device_submit(&d, 0, UINT64_C(1) << 28, 4096, &io); /* the head starts at 0 */
    g_assert_cmpuint(io.position, ==, 5500 * US + rot);
    g_assert_cmpuint(io.done, ==, 5500 * US + rot);
    mdl_device_clear(&d);
}

/* Queue depth 2, 60 us a read (transfer rounds to 0 at 10^7 MB/s): three
 * reads at t = 0; two are served at once, the third waits for the first slot
 * (60 us) and ends at 120 us. Over 120 us: busy all along, half a read
 * waiting on average (60 us of waiting), 3 reads = 25,000 reads/s. */
static void test_queue_depth_two(void) {
    g_autoptr(ScnScenario) sc = load_device("\"kind\": \"sata-ssd\", \"queue_depth\": 2, "
                                            "\"request\": \"10us\", \"position\": \"50us\", "
                                            "\"bandwidth\": 1e7");
    MdlDevice d;
    MdlDeviceIo io[3];
    g_assert_true(mdl_device_init(&d, &sc->devices[0], 1, NULL));
    for (guint i = 0; i < 3; i++)
        mdl_device_submit(&d, 0, (uint64_t)i * 1048576, 4096, &io[i]);
    g_assert_cmpuint(io[0].done, ==, 60 * US);
    g_assert_cmpuint(io[1].start, ==, 0);
    g_assert_cmpuint(io[1].done, ==, 60 * US);
    g_assert_cmpuint(io[2].start, ==, 60 * US);
    g_assert_cmpuint(io[2].done, ==, 120 * US);
    MdlDeviceFigures f;
    mdl_device_figures(&d, 120 * US, &f);
    g_assert_cmpfloat(f.utilization, ==, 1.0);
    g_assert_cmpfloat(f.queue, ==, 0.5);
    g_assert_cmpfloat(f.in_service, ==, 1.5);
    g_assert_cmpfloat(f.iops, ==, 25000.0);
    mdl_device_clear(&d);
}

/* 1 MiB at 100 MB/s with no other cost: 1048576 * 1000 / 100 = 10,485,760 ns;
 * 104.8576 MB in one second's worth of figures. */
static void test_bandwidth_bound(void) {
    g_autoptr(ScnScenario) sc = load_device("\"kind\": \"nvme\", \"request\": 0, \"position\": 0, "
                                            "\"bandwidth\": 100");
    MdlDevice d;
    MdlDeviceIo io;
    g_assert_true(mdl_device_init(&d, &sc->devices[0], 1, NULL));
    mdl_device_submit(&d, 5, 0, 1048576, &io);
    g_assert_cmpuint(io.transfer, ==, 10485760);
    g_assert_cmpuint(io.done, ==, 5 + 10485760);
    /* A second large read in another slot shares the one channel: it ends one
     * transfer later, not at the same time. */
    mdl_device_submit(&d, 5, 1 << 30, 1048576, &io);
    g_assert_cmpuint(io.start, ==, 5);
    g_assert_cmpuint(io.done, ==, 5 + 2 * 10485760);
    MdlDeviceFigures f;
    mdl_device_figures(&d, 1000000000, &f);
    g_assert_cmpfloat(f.mbps, ==, 2 * 1.048576);
    mdl_device_clear(&d);
}

/* Runs @n reads of @bytes all arriving at 0, random (spaced by 1 GiB) or
 * sequential; returns the time the last one is done. */
static uint64_t run_burst(const ScnDevice *s, guint n, uint64_t bytes, gboolean sequential) {
    MdlDevice d;
    MdlDeviceIo io = {0};
    g_assert_true(mdl_device_init(&d, s, 1, NULL));
    for (guint i = 0; i < n; i++)
        mdl_device_submit(&d, 0, sequential ? i * bytes : (uint64_t)(i * 7919 % 1000) << 30, bytes,
                          &io);
    mdl_device_clear(&d);
    return io.done;
}

/* Latency of one read of @bytes on an idle device (random or sequential). */
static uint64_t one_read(const ScnDevice *s, uint64_t bytes, gboolean sequential) {
    MdlDevice d;
    MdlDeviceIo io;
    g_assert_true(mdl_device_init(&d, s, 1, NULL));
    mdl_device_submit(&d, 0, 0, bytes, &io); /* places the head */
    mdl_device_submit(&d, io.done, sequential ? bytes : UINT64_C(1) << 36, bytes, &io);
    mdl_device_clear(&d);
    return io.done - io.start;
}

static void assert_within(double got, double want) {
    g_assert_cmpfloat(fabs(got - want), <=, 0.1 * want);
}

/* Intel DC P4500 2 TB data sheet: 4 KiB reads 10 us sequential and 85 us
 * random at queue depth 1; 490,000 random 4 KiB reads/s at high queue depth;
 * 3.2 GB/s sequential read. */
static void test_preset_nvme(void) {
    g_autoptr(ScnScenario) sc = load_device("\"kind\": \"nvme\"");
    const ScnDevice *s = &sc->devices[0];
    assert_within((double)one_read(s, 4096, TRUE), 10 * US);
    assert_within((double)one_read(s, 4096, FALSE), 85 * US);
    assert_within(100000 * 1e9 / (double)run_burst(s, 100000, 4096, FALSE), 490000);
    assert_within(1000 * 1048576 * 1e3 / (double)run_burst(s, 1000, 1048576, TRUE), 3200);
}

/* Intel DC S4500 data sheet: 36 us sequential and 110 us random 4 KiB read
 * latency; 72,000 random 4 KiB reads/s at queue depth 32; 500 MB/s. */
static void test_preset_sata_ssd(void) {
    g_autoptr(ScnScenario) sc = load_device("\"kind\": \"sata-ssd\"");
    const ScnDevice *s = &sc->devices[0];
    assert_within((double)one_read(s, 4096, TRUE), 36 * US);
    assert_within((double)one_read(s, 4096, FALSE), 110 * US);
    assert_within(100000 * 1e9 / (double)run_burst(s, 100000, 4096, FALSE), 72000);
    assert_within(1000 * 1048576 * 1e3 / (double)run_burst(s, 1000, 1048576, TRUE), 500);
}

/* HGST Ultrastar 7K4000 data sheet: 8.2 ms average read seek (the mean over
 * all pairs of positions), 7200 rpm (4.17 ms average rotational latency); so a
 * random 4 KiB read over the whole disk is about 12.4 ms, 80 reads/s. */
static void test_preset_hdd(void) {
    g_autoptr(ScnScenario) sc = load_device("\"kind\": \"hdd\"");
    const ScnDevice *s = &sc->devices[0];
    const guint n = 400;
    double sum = 0;
    for (guint i = 0; i < n; i++)
        for (guint j = 0; j < n; j++)
            sum += (double)mdl_device_seek_ns(
                s, (uint64_t)((double)s->span / n * fabs((double)i - (double)j)));
    assert_within(sum / (n * n), 8.2 * MS);
    MdlDevice d;
    MdlDeviceIo io = {0};
    g_assert_true(mdl_device_init(&d, s, 1, NULL));
    SimRng pos;
    sim_rng_init(&pos, 1, "test:positions");
    for (guint i = 0; i < 20000; i++) {
        uint64_t addr = (uint64_t)(sim_rng_uniform01(&pos) * (double)(s->span >> 12)) << 12;
        mdl_device_submit(&d, 0, addr, 4096, &io);
    }
    assert_within(20000 * 1e9 / (double)io.done, 80.6);
    mdl_device_clear(&d);
}

/* Runs @sc to its end; returns the world (its stats are final). */
static MdlWorld *run_world(const ScnScenario *sc) {
    MdlOptions opt = {.trace = NULL, .check = FALSE};
    g_autoptr(GError) error = NULL;
    MdlWorld *w = mdl_world_new(sc, &opt, &error);
    g_assert_no_error(error);
    mdl_world_run(w);
    return w;
}

/* Two pagers of 4 workers each share one device of queue depth 3 and 100 us a
 * read: 8 workers, but never more than 3 reads in service. Over 10 ms the
 * device is busy from the first read (at 1 us) to the end; every READ either
 * pager took went to the device. */
static void test_shared_device(void) {
    const char *json =
        "{\"stop\": {\"time\": \"10ms\"}, \"kernel\": {\"fault_entry\": \"1us\"},"
        " \"devices\": [{\"name\": \"d\", \"kind\": \"nvme\", \"queue_depth\": 3,"
        "   \"request\": \"100us\", \"position\": 0, \"bandwidth\": 1e7}],"
        " \"providers\": [{\"name\": \"a\", \"kind\": \"pager\", \"workers\": 4, \"device\": \"d\","
        "   \"latency\": 0}, {\"name\": \"b\", \"kind\": \"pager\", \"workers\": 4,"
        "   \"device\": \"d\", \"latency\": 0}],"
        " \"vmos\": [{\"name\": \"x\", \"size\": \"64MiB\", \"provider\": \"a\"},"
        "   {\"name\": \"y\", \"size\": \"64MiB\", \"provider\": \"b\"}],"
        " \"workloads\": [{\"name\": \"p\", \"kind\": \"closed\", \"vmo\": \"x\", \"threads\": 16,"
        "   \"access\": \"fault\", \"pattern\": {\"kind\": \"uniform\"}, \"think\": 0},"
        "   {\"name\": \"q\", \"kind\": \"closed\", \"vmo\": \"y\", \"threads\": 16,"
        "   \"access\": \"fault\", \"pattern\": {\"kind\": \"uniform\"}, \"think\": 0}]}";
    g_autoptr(GError) error = NULL;
    g_autoptr(ScnScenario) sc = scn_scenario_load_data(json, strlen(json), "t.json", NULL, &error);
    g_assert_no_error(error);
    g_autoptr(MdlWorld) w = run_world(sc);
    const MdlStats *s = mdl_world_get_stats(w);
    g_assert_cmpuint(s->n_devices, ==, 1);
    const MdlDeviceStats *d = &s->devices[0];
    g_assert_cmpuint(d->requests, ==, s->providers[0].requests + s->providers[1].requests);
    g_assert_cmpuint(s->providers[0].requests, >, 0);
    g_assert_cmpuint(s->providers[1].requests, >, 0);
    /* 3 reads per 100 us from 1 us to 10 ms; the 8 workers' reads beyond are queued */
    g_assert_cmpfloat(d->in_service, <=, 3.0);
    g_assert_cmpfloat(d->in_service, >=, 3.0 * (10000.0 - 1.0) / 10000.0 - 1e-9);
    g_assert_cmpfloat(d->utilization, ==, (10e6 - 1000.0) / 10e6);
    g_assert_cmpuint(d->requests, ==, 99 * 3 + 8); /* 297 done, 3 in service, 5 waiting */
}

/* hdd-many-workers, the shipped scenario: one 7200 rpm disk must deliver what
 * such a disk can, 80 to 200 random reads per second. */
static void test_hdd_scenario_iops(void) {
    g_autofree char *path =
        g_test_build_filename(G_TEST_DIST, "..", "scenarios", "hdd-many-workers.json", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(ScnScenario) sc = scn_scenario_load_file(path, NULL, &error);
    g_assert_no_error(error);
    g_autoptr(MdlWorld) w = run_world(sc);
    const MdlStats *s = mdl_world_get_stats(w);
    g_assert_cmpuint(s->n_devices, ==, 1);
    g_assert_cmpfloat(s->devices[0].iops, >=, 80.0);
    g_assert_cmpfloat(s->devices[0].iops, <=, 200.0);
    g_assert_cmpuint(s->devices[0].sequential, ==, 0);
}

/* Draws through a SimBatch: a device's exponential latency is drawn through
 * a batch when it is the stream's only use (not an HDD), and the values are
 * exactly the unbatched ones, read after read, across many refills (READS);
 * an HDD's latency interleaves with its rotational draws, so it is drawn
 * directly, in the same order as before. References come from a separate
 * stream of the same seed and name ("device:d"). */
#define READS (8 * SIM_BATCH_SIZE + 5)

/* Device "d" of @sc with seed 9, and the reference of its latency draws: an
 * exponential of mean 50 us drawn from a stream of the same seed and name. */
static void init_with_ref(MdlDevice *d, const ScnScenario *sc, SimDist *dist, SimRng *ref) {
    g_assert_true(mdl_device_init(d, &sc->devices[0], 9, NULL));
    g_assert_true(sim_dist_init_exponential(dist, 50000, NULL));
    sim_rng_init(ref, 9, "device:d");
}

/* NVMe, queue depth 1, no request or positioning cost, 1000 MB/s (4096 ns
 * per 4 KiB): each read is submitted when the previous one is done, so its
 * service is 4096 ns plus its latency draw. */
static void test_nvme_latency_batched(void) {
    g_autoptr(ScnScenario) sc = load_device(
        "\"kind\": \"nvme\", \"queue_depth\": 1, \"request\": 0, \"position\": 0, "
        "\"bandwidth\": 1000, \"latency\": {\"dist\": \"exponential\", \"mean\": \"50us\"}");
    MdlDevice d;
    SimDist dist;
    SimRng ref;
    init_with_ref(&d, sc, &dist, &ref);
    g_assert_nonnull(d.lat_batch);
    uint64_t now = 0;
    for (guint i = 0; i < READS; i++) {
        MdlDeviceIo io;
        mdl_device_submit(&d, now, (uint64_t)i * 65536, 4096, &io);
        g_assert_cmpuint(io.start, ==, now);
        g_assert_cmpuint(io.done - now, ==, 4096 + sim_dist_sample(&dist, &ref));
        now = io.done;
    }
    mdl_device_clear(&d);
}

/* HDD, settle 1 ms, stroke 9 ms, span 1 GiB, 6000 rpm: every random read
 * draws its rotational delay, then its latency, from the one stream. */
static void test_hdd_latency_direct(void) {
    g_autoptr(ScnScenario) sc = load_device(
        "\"kind\": \"hdd\", \"queue_depth\": 1, \"settle\": \"1ms\", \"stroke\": \"9ms\", "
        "\"span\": \"1GiB\", \"rpm\": 6000, \"request\": 0, \"bandwidth\": 1e7, "
        "\"latency\": {\"dist\": \"exponential\", \"mean\": \"50us\"}");
    MdlDevice d;
    SimDist dist;
    SimRng ref;
    init_with_ref(&d, sc, &dist, &ref);
    g_assert_null(d.lat_batch);
    uint64_t now = 0, head = 0;
    for (guint i = 0; i < READS; i++) {
        uint64_t addr = (uint64_t)((i * 7919) % 1024) << 20; /* never where the head is */
        if (addr == head)
            addr += 1 << 20;
        MdlDeviceIo io;
        mdl_device_submit(&d, now, addr, 4096, &io);
        uint64_t rot = (uint64_t)(sim_rng_uniform01(&ref) * 10000000.0);
        uint64_t seek =
            mdl_device_seek_ns(&sc->devices[0], addr > head ? addr - head : head - addr);
        g_assert_cmpuint(io.position, ==, seek + rot);
        g_assert_cmpuint(io.done - now, ==,
                         seek + rot + io.transfer + sim_dist_sample(&dist, &ref));
        now = io.done;
        head = addr + 4096;
    }
    mdl_device_clear(&d);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/model/device/sequential", test_sequential_pays_no_positioning);
    g_test_add_func("/model/device/hdd-seek", test_hdd_seek);
    g_test_add_func("/model/device/queue-depth-2", test_queue_depth_two);
    g_test_add_func("/model/device/bandwidth-bound", test_bandwidth_bound);
    g_test_add_func("/model/device/preset-nvme", test_preset_nvme);
    g_test_add_func("/model/device/preset-sata-ssd", test_preset_sata_ssd);
    g_test_add_func("/model/device/preset-hdd", test_preset_hdd);
    g_test_add_func("/model/device/shared", test_shared_device);
    g_test_add_func("/model/device/hdd-scenario-iops", test_hdd_scenario_iops);
    g_test_add_func("/model/device/nvme-latency-batched", test_nvme_latency_batched);
    g_test_add_func("/model/device/hdd-latency-direct", test_hdd_latency_direct);
    return g_test_run();
}
