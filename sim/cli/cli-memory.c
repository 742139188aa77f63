/* summary.json's "memory" object: the memory pressure figures of a run whose
 * scenario has a "memory" section (scenarios/README.md lists the fields). */
#include <jansson.h>

#include "sim/cli/cli.h"

#define SET_U64(o, k, v) json_object_set_new(o, k, json_integer((json_int_t)(v)))

static json_t *dist_json(const RepHistogram *h) {
    json_t *o = json_object();
    SET_U64(o, "count", h->count);
    json_object_set_new(o, "mean", json_real(rep_histogram_mean(h)));
    SET_U64(o, "p50", rep_histogram_quantile(h, 0.5));
    SET_U64(o, "p90", rep_histogram_quantile(h, 0.9));
    SET_U64(o, "p99", rep_histogram_quantile(h, 0.99));
    SET_U64(o, "max", h->max);
    return o;
}

json_t *cli_memory_json(const MdlMemoryStats *m) {
    json_t *o = json_object();
    json_object_set_new(o, "reclaim", json_string(m->reclaim));
    SET_U64(o, "capacity_pages", m->capacity_pages);
    SET_U64(o, "high_pages", m->high_pages);
    SET_U64(o, "low_pages", m->low_pages);
    SET_U64(o, "resident_max", m->resident_max);
    SET_U64(o, "resident_end", m->resident_end);
    SET_U64(o, "evictions", m->evictions);
    json_t *by = json_object();
    SET_U64(by, "reclaimer", m->evicted_by[0]);
    SET_U64(by, "direct", m->evicted_by[1]);
    SET_U64(by, "insert", m->evicted_by[2]);
    json_object_set_new(o, "evicted_by", by);
    SET_U64(o, "evicted_unused", m->evicted_unused);
    SET_U64(o, "refaults", m->refaults);
    json_object_set_new(o, "refault_distance", dist_json(m->refault_distance));
    SET_U64(o, "reclaimer_wakeups", m->reclaimer_wakeups);
    SET_U64(o, "reclaimer_busy_ns", m->reclaimer_busy_ns);
    json_t *d = dist_json(m->direct_latency);
    SET_U64(d, "total_ns", m->direct_ns);
    json_object_set_new(o, "direct_reclaim_ns", d);
    SET_U64(o, "agings", m->agings);
    return o;
}
