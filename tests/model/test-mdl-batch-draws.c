/* Draws through a SimBatch in the model: a device's exponential latency is
 * drawn through a batch when it is the stream's only use (not an HDD), and
 * the values are exactly the unbatched ones, read after read, across many
 * refills; an HDD's latency interleaves with its rotational draws, so it is
 * drawn directly, in the same order as before. References come from a
 * separate stream of the same seed and name ("device:d"). */
#include "sim/model/mdl-device.h"
#include "sim/model/mdl-world.h"

#define READS (8 * SIM_BATCH_SIZE + 5)

static ScnScenario *load_device(const char *fields) {
    g_autofree char *json = g_strdup_printf("{\"devices\": [{\"name\": \"d\", %s}]}", fields);
    g_autoptr(GError) error = NULL;
    ScnScenario *sc = scn_scenario_load_data(json, strlen(json), "t.json", NULL, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(sc->n_devices, ==, 1);
    return sc;
}

/* NVMe, queue depth 1, no request or positioning cost, 1000 MB/s (4096 ns
 * per 4 KiB): each read is submitted when the previous one is done, so its
 * service is 4096 ns plus its latency draw. */
static void test_nvme_latency_batched(void) {
    g_autoptr(ScnScenario) sc = load_device(
        "\"kind\": \"nvme\", \"queue_depth\": 1, \"request\": 0, \"position\": 0, "
        "\"bandwidth\": 1000, \"latency\": {\"dist\": \"exponential\", \"mean\": \"50us\"}");
    MdlDevice d;
    g_assert_true(mdl_device_init(&d, &sc->devices[0], 9, NULL));
    g_assert_nonnull(d.lat_batch);
    SimDist dist;
    g_assert_true(sim_dist_init_exponential(&dist, 50000, NULL));
    SimRng ref;
    sim_rng_init(&ref, 9, "device:d");
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
    g_assert_true(mdl_device_init(&d, &sc->devices[0], 9, NULL));
    g_assert_null(d.lat_batch);
    SimDist dist;
    g_assert_true(sim_dist_init_exponential(&dist, 50000, NULL));
    SimRng ref;
    sim_rng_init(&ref, 9, "device:d");
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
    g_test_add_func("/mdl-batch-draws/nvme-latency-batched", test_nvme_latency_batched);
    g_test_add_func("/mdl-batch-draws/hdd-latency-direct", test_hdd_latency_direct);
    return g_test_run();
}
