/* The reclaim policies' bookkeeping (sim/model/mdl-memory.c): exact eviction
 * orders worked out by hand for each policy, the hash table under removals,
 * and two checks against theory run as cache simulations on the bookkeeping
 * alone: uniform accesses give a hit ratio of C/N under every policy, and
 * exact LRU under Zipf(0.8) is within 2% of Che's approximation. */
#include "sim/model/mdl-memory.h"

#include <math.h>

static uint64_t victim(MdlMemory *m) {
    uint64_t key = G_MAXUINT64;
    g_assert_true(mdl_memory_victim(m, 0, &key));
    return key;
}

static MdlMemory *with_pages(ScnReclaim policy, guint gens, const uint64_t *keys, guint n) {
    MdlMemory *m = mdl_memory_new(policy, gens);
    for (guint i = 0; i < n; i++)
        mdl_memory_insert(m, keys[i]);
    return m;
}

/* LRU: 1, 2, 3 in, 1 used again: 2 goes, then 3, then 1. */
static void test_lru_order(void) {
    static const uint64_t k[] = {1, 2, 3};
    g_autoptr(MdlMemory) m = with_pages(SCN_RECLAIM_LRU, 0, k, 3);
    g_assert_true(mdl_memory_touch(m, 1));
    g_assert_cmpuint(victim(m), ==, 2);
    g_assert_cmpuint(victim(m), ==, 3);
    g_assert_cmpuint(victim(m), ==, 1);
    uint64_t key;
    g_assert_false(mdl_memory_victim(m, 0, &key));
    g_assert_cmpuint(mdl_memory_count(m), ==, 0);
}

/* Shadows: an evicted page keeps its stamp until it is taken or the page is
 * inserted again; it is neither tracked nor touchable meanwhile. */
static void test_shadows(void) {
    static const uint64_t k[] = {1, 2, 3};
    g_autoptr(MdlMemory) m = with_pages(SCN_RECLAIM_LRU, 0, k, 3);
    uint64_t key = 0;
    uint32_t stamp = 0;
    g_assert_true(mdl_memory_victim(m, 41, &key));
    g_assert_cmpuint(key, ==, 1);
    g_assert_true(mdl_memory_victim(m, 42, &key));
    g_assert_cmpuint(key, ==, 2);
    g_assert_cmpuint(mdl_memory_count(m), ==, 1);
    g_assert_false(mdl_memory_touch(m, 1));
    g_assert_false(mdl_memory_remove(m, 1));
    g_assert_false(mdl_memory_take_shadow(m, 3, &stamp)); /* resident: no shadow */
    g_assert_true(mdl_memory_take_shadow(m, 2, &stamp));
    g_assert_cmpuint(stamp, ==, 42);
    g_assert_false(mdl_memory_take_shadow(m, 2, &stamp));
    mdl_memory_insert(m, 1); /* drops 1's shadow */
    g_assert_false(mdl_memory_take_shadow(m, 1, &stamp));
    g_assert_cmpuint(mdl_memory_count(m), ==, 2);
    g_assert_cmpuint(victim(m), ==, 3);
    g_assert_cmpuint(victim(m), ==, 1);
}

/* The shadow limit, 3 shadows under LRU: pages 1..6 in, 1, 2, 3 evicted
 * (stamps 11, 12, 13); 2's shadow taken, leaving 1 and 3; 4 evicted (3
 * shadows, none dropped); 5 evicted: one too many, so the oldest, 1's, goes.
 * Refaults within the limit keep their stamps; the insert of a shadowed page
 * reports it. A lower limit drops the oldest at once; limit 0 keeps none. */
static void test_shadow_limit(void) {
    static const uint64_t k[] = {1, 2, 3, 4, 5, 6};
    g_autoptr(MdlMemory) m = with_pages(SCN_RECLAIM_LRU, 0, k, 6);
    mdl_memory_set_shadow_limit(m, 3);
    uint64_t key = 0;
    uint32_t stamp = 0;
    for (uint32_t s = 11; s <= 13; s++)
        g_assert_true(mdl_memory_victim(m, s, &key));
    g_assert_cmpuint(mdl_memory_shadows(m), ==, 3);
    g_assert_true(mdl_memory_take_shadow(m, 2, &stamp));
    g_assert_cmpuint(stamp, ==, 12);
    g_assert_true(mdl_memory_victim(m, 14, &key));
    g_assert_cmpuint(key, ==, 4);
    g_assert_cmpuint(mdl_memory_shadows(m), ==, 3); /* 1, 3, 4 */
    g_assert_cmpuint(mdl_memory_shadows_dropped(m), ==, 0);
    g_assert_true(mdl_memory_victim(m, 15, &key));
    g_assert_cmpuint(key, ==, 5);
    g_assert_cmpuint(mdl_memory_shadows(m), ==, 3); /* 3, 4, 5 */
    g_assert_cmpuint(mdl_memory_shadows_dropped(m), ==, 1);
    g_assert_false(mdl_memory_take_shadow(m, 1, &stamp));
    g_assert_true(mdl_memory_insert(m, 4)); /* 4 comes back: its shadow goes */
    g_assert_false(mdl_memory_insert(m, 1));
    g_assert_cmpuint(mdl_memory_shadows(m), ==, 2); /* 3, 5 */
    mdl_memory_set_shadow_limit(m, 1);
    g_assert_cmpuint(mdl_memory_shadows(m), ==, 1);
    g_assert_cmpuint(mdl_memory_shadows_dropped(m), ==, 2);
    g_assert_false(mdl_memory_take_shadow(m, 3, &stamp));
    g_assert_true(mdl_memory_take_shadow(m, 5, &stamp));
    g_assert_cmpuint(stamp, ==, 15);
    mdl_memory_set_shadow_limit(m, 0);
    g_assert_true(mdl_memory_victim(m, 16, &key));
    g_assert_cmpuint(key, ==, 6);
    g_assert_cmpuint(mdl_memory_shadows(m), ==, 0);
    g_assert_false(mdl_memory_take_shadow(m, 6, &stamp));
    g_assert_cmpuint(mdl_memory_count(m), ==, 2); /* 4 and 1 */
    g_assert_cmpuint(victim(m), ==, 4);
    g_assert_cmpuint(victim(m), ==, 1);
}

/* Shadows stay bounded however many pages go: LRU over a stream of 100,000
 * pages with room for 100 and a limit of 300 shadows keeps exactly 300, and
 * the last 300 evicted are the ones kept. */
static void test_shadow_bound(void) {
    g_autoptr(MdlMemory) m = mdl_memory_new(SCN_RECLAIM_LRU, 0);
    mdl_memory_set_shadow_limit(m, 300);
    uint64_t key;
    for (uint64_t p = 0; p < 100000; p++) {
        if (mdl_memory_count(m) == 100)
            g_assert_true(mdl_memory_victim(m, (uint32_t)p, &key));
        mdl_memory_insert(m, p);
    }
    g_assert_cmpuint(mdl_memory_shadows(m), ==, 300);
    g_assert_cmpuint(mdl_memory_shadows_dropped(m), ==, 100000 - 100 - 300);
    uint32_t stamp;
    g_assert_false(mdl_memory_take_shadow(m, 100000 - 100 - 301, &stamp));
    for (uint64_t p = 100000 - 100 - 300; p < 100000 - 100; p++) {
        g_assert_true(mdl_memory_take_shadow(m, p, &stamp));
        g_assert_cmpuint(stamp, ==, p + 100); /* evicted by the insert of p + 100 */
    }
}

/* CLOCK: 1, 2, 3 in (bits clear); 1 and 3 used. The hand clears 1's bit and
 * moves it behind, takes 2; then clears 3 and takes 1 (whose bit is clear
 * now); then 3. An insert lands behind the hand. */
static void test_clock_order(void) {
    static const uint64_t k[] = {1, 2, 3};
    g_autoptr(MdlMemory) m = with_pages(SCN_RECLAIM_CLOCK, 0, k, 3);
    mdl_memory_touch(m, 1);
    mdl_memory_touch(m, 3);
    g_assert_cmpuint(victim(m), ==, 2);
    mdl_memory_insert(m, 4); /* ring: 3(ref) 1 4 */
    g_assert_cmpuint(victim(m), ==, 1);
    g_assert_cmpuint(victim(m), ==, 4);
    g_assert_cmpuint(victim(m), ==, 3);
}

/* Two-list: 1..4 enter inactive. 1 used twice is promoted; 2 used once stays
 * inactive and still goes first. With active (1) no longer than inactive, the
 * victims are 2, 3, 4; then active (1 page) outgrows inactive (0): 1 is
 * deactivated and goes. */
static void test_two_list_order(void) {
    static const uint64_t k[] = {1, 2, 3, 4};
    g_autoptr(MdlMemory) m = with_pages(SCN_RECLAIM_TWO_LIST, 0, k, 4);
    mdl_memory_touch(m, 1);
    mdl_memory_touch(m, 1);
    mdl_memory_touch(m, 2);
    g_assert_cmpuint(victim(m), ==, 2);
    g_assert_cmpuint(victim(m), ==, 3);
    mdl_memory_insert(m, 5); /* inactive 4 5, active 1 */
    g_assert_cmpuint(victim(m), ==, 4);
    g_assert_cmpuint(victim(m), ==, 5);
    g_assert_cmpuint(victim(m), ==, 1);
}

/* Two-list protection: a promoted page survives a scan of once-used pages
 * longer than memory, as long as the active list is not the longer one. */
static void test_two_list_scan(void) {
    g_autoptr(MdlMemory) m = mdl_memory_new(SCN_RECLAIM_TWO_LIST, 0);
    mdl_memory_insert(m, 100);
    mdl_memory_touch(m, 100);
    mdl_memory_touch(m, 100); /* active */
    for (uint64_t p = 0; p < 3; p++) {
        mdl_memory_insert(m, p);
        mdl_memory_touch(m, p);
    }
    /* capacity 4 full: a scan of pages 3..99, each used once */
    for (uint64_t p = 3; p < 100; p++) {
        g_assert_cmpuint(victim(m), ==, p - 3);
        mdl_memory_insert(m, p);
        mdl_memory_touch(m, p);
    }
    g_assert_true(mdl_memory_remove(m, 100)); /* still tracked */
}

/* Page-queues with 4 generations: 1, 2 in generation 0; an aging; 3 in
 * generation 1; 1 used (moves to generation 1, behind 3). Victims: 2 (the
 * oldest queue), then 3 and 1 in their order in generation 1. */
static void test_page_queues_order(void) {
    static const uint64_t k[] = {1, 2};
    g_autoptr(MdlMemory) m = with_pages(SCN_RECLAIM_PAGE_QUEUES, 4, k, 2);
    mdl_memory_age(m);
    mdl_memory_insert(m, 3);
    mdl_memory_touch(m, 1);
    g_assert_cmpuint(victim(m), ==, 2);
    g_assert_cmpuint(victim(m), ==, 3);
    g_assert_cmpuint(victim(m), ==, 1);
}

/* Page-queues with 2 generations: the second aging folds generation 0 into
 * generation 1 ahead of its pages, and opens generation 2. */
static void test_page_queues_fold(void) {
    g_autoptr(MdlMemory) m = mdl_memory_new(SCN_RECLAIM_PAGE_QUEUES, 2);
    mdl_memory_insert(m, 1);
    mdl_memory_age(m);
    mdl_memory_insert(m, 2);
    mdl_memory_age(m);
    mdl_memory_insert(m, 3);
    mdl_memory_touch(m, 2); /* generation 2, behind 3 */
    g_assert_cmpuint(victim(m), ==, 1);
    g_assert_cmpuint(victim(m), ==, 3);
    g_assert_cmpuint(victim(m), ==, 2);
}

/* A per-VMO victim is the first page of that VMO in eviction order. */
static void test_victim_of_vmo(void) {
    const uint64_t a1 = mdl_memory_key(0, 1), b1 = mdl_memory_key(1, 1), a2 = mdl_memory_key(0, 2);
    const uint64_t k[] = {a1, b1, a2};
    g_autoptr(MdlMemory) m = mdl_memory_new(SCN_RECLAIM_LRU, 0);
    mdl_memory_track_vmos(m, 2);
    for (guint i = 0; i < 3; i++)
        mdl_memory_insert(m, k[i]);
    uint64_t key = 0;
    g_assert_true(mdl_memory_victim_of_vmo(m, 1, 0, &key));
    g_assert_cmpuint(key, ==, b1);
    g_assert_false(mdl_memory_victim_of_vmo(m, 1, 0, &key));
    g_assert_cmpuint(victim(m), ==, a1);
    g_assert_cmpuint(victim(m), ==, a2);
    g_assert_cmpuint(mdl_memory_key_vmo(b1), ==, 1);
    g_assert_cmpuint(mdl_memory_key_page(b1), ==, 1);
}

/* The first key of VMO @v in @m's eviction order (mdl_memory_order, a walk of
 * every list), or G_MAXUINT64. */
static uint64_t first_of_vmo(const MdlMemory *m, guint v) {
    g_autoptr(GArray) order = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    mdl_memory_order(m, order);
    for (guint i = 0; i < order->len; i++)
        if (mdl_memory_key_vmo(g_array_index(order, uint64_t, i)) == v)
            return g_array_index(order, uint64_t, i);
    return G_MAXUINT64;
}

/* The O(1) per-VMO victim against a walk of the whole eviction order, under
 * every policy, through 20,000 random inserts, accesses, removals, global
 * evictions (second chances, deactivations), agings and per-VMO evictions of
 * pages of 3 VMOs. */
static void test_victim_of_vmo_walk(void) {
    for (ScnReclaim policy = 0; policy < SCN_RECLAIM_COUNT; policy++) {
        g_autoptr(MdlMemory) m = mdl_memory_new(policy, 3);
        mdl_memory_track_vmos(m, 3);
        g_autoptr(GRand) rng = g_rand_new_with_seed(7 + policy);
        gboolean in[3][64] = {{FALSE}};
        guint per_vmo = 0;
        for (guint i = 0; i < 20000; i++) {
            guint v = (guint)g_rand_int_range(rng, 0, 3), p = (guint)g_rand_int_range(rng, 0, 64);
            uint64_t key = mdl_memory_key(v, p), got;
            switch (g_rand_int_range(rng, 0, 8)) {
                case 0:
                case 1:
                    if (!in[v][p] && mdl_memory_count(m) < 100) {
                        mdl_memory_insert(m, key);
                        in[v][p] = TRUE;
                    }
                    break;
                case 2:
                case 3:
                    g_assert_cmpint(mdl_memory_touch(m, key), ==, in[v][p]);
                    break;
                case 4:
                    g_assert_cmpint(mdl_memory_remove(m, key), ==, in[v][p]);
                    in[v][p] = FALSE;
                    break;
                case 5:
                    if (mdl_memory_victim(m, 0, &got))
                        in[mdl_memory_key_vmo(got)][mdl_memory_key_page(got)] = FALSE;
                    break;
                case 6:
                    mdl_memory_age(m);
                    break;
                default: {
                    uint64_t want = first_of_vmo(m, v);
                    g_assert_cmpint(mdl_memory_victim_of_vmo(m, v, 0, &got), ==,
                                    want != G_MAXUINT64);
                    if (want != G_MAXUINT64) {
                        g_assert_cmpuint(got, ==, want);
                        in[v][mdl_memory_key_page(got)] = FALSE;
                        per_vmo++;
                    }
                }
            }
        }
        g_assert_cmpuint(per_vmo, >, 1000);
    }
}

/* The hash table: 20,000 keys in (growing it), the odd ones removed (the
 * backward shift keeps every even key findable), then the rest in order. */
static void test_table(void) {
    g_autoptr(MdlMemory) m = mdl_memory_new(SCN_RECLAIM_LRU, 0);
    for (uint64_t p = 0; p < 20000; p++)
        mdl_memory_insert(m, mdl_memory_key((guint)(p % 3), p));
    for (uint64_t p = 1; p < 20000; p += 2)
        g_assert_true(mdl_memory_remove(m, mdl_memory_key((guint)(p % 3), p)));
    g_assert_cmpuint(mdl_memory_count(m), ==, 10000);
    for (uint64_t p = 0; p < 20000; p++)
        g_assert_cmpint(mdl_memory_touch(m, mdl_memory_key((guint)(p % 3), p)), ==, p % 2 == 0);
    /* touched in increasing order: LRU gives them back in that order */
    for (uint64_t p = 0; p < 20000; p += 2)
        g_assert_cmpuint(victim(m), ==, mdl_memory_key((guint)(p % 3), p));
}

/* A cache of @cap pages driven by the bookkeeping: returns the hit ratio of
 * @n accesses after @warm warm-up accesses; page-queues ages every @cap/4
 * accesses. @draw gives the next page. */
static double hit_ratio(ScnReclaim policy, uint64_t cap, uint64_t warm, uint64_t n,
                        uint64_t (*draw)(gpointer), gpointer data) {
    g_autoptr(MdlMemory) m = mdl_memory_new(policy, 4);
    uint64_t hits = 0;
    for (uint64_t i = 0; i < warm + n; i++) {
        uint64_t p = draw(data), key;
        if (policy == SCN_RECLAIM_PAGE_QUEUES && i % (cap / 4) == 0)
            mdl_memory_age(m);
        if (mdl_memory_touch(m, p)) {
            hits += i >= warm;
            continue;
        }
        if (mdl_memory_count(m) == cap)
            g_assert_true(mdl_memory_victim(m, 0, &key));
        mdl_memory_insert(m, p);
        mdl_memory_touch(m, p); /* the access that faulted uses the page */
    }
    return (double)hits / (double)n;
}

static uint64_t draw_uniform(gpointer data) { return (uint64_t)g_rand_int_range(data, 0, 1000); }

/* Independent uniform accesses over N = 1000 pages with C = 250: every policy
 * hits C/N = 0.25 (the standard error of 200,000 accesses is about 0.001). */
static void test_uniform(void) {
    for (ScnReclaim p = 0; p < SCN_RECLAIM_COUNT; p++) {
        g_autoptr(GRand) rng = g_rand_new_with_seed(7 + p);
        double h = hit_ratio(p, 250, 20000, 200000, draw_uniform, rng);
        g_test_message("%s: hit ratio %.4f", scn_reclaim_to_string(p), h);
        g_assert_cmpfloat_with_epsilon(h, 0.25, 0.01);
    }
}

typedef struct {
    GRand *rng;
    double *cdf; /* cdf[i] = P(rank <= i + 1) */
    guint n;
} Zipf;

static uint64_t draw_zipf(gpointer data) {
    Zipf *z = data;
    double u = g_rand_double(z->rng);
    guint lo = 0, hi = z->n - 1;
    while (lo < hi) {
        guint mid = (lo + hi) / 2;
        if (z->cdf[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Che's approximation for LRU: the characteristic time T solves
 * sum_i (1 - exp(-p_i T)) = C; the hit ratio is sum_i p_i (1 - exp(-p_i T)). */
static double che_hit_ratio(const double *p, guint n, double cap) {
    double lo = 0, hi = 1e12;
    for (int it = 0; it < 200; it++) {
        double t = (lo + hi) / 2, occ = 0;
        for (guint i = 0; i < n; i++)
            occ += -expm1(-p[i] * t);
        if (occ < cap)
            lo = t;
        else
            hi = t;
    }
    double h = 0;
    for (guint i = 0; i < n; i++)
        h += p[i] * -expm1(-p[i] * lo);
    return h;
}

/* Zipf(0.8) over 100,000 pages, capacity 10,000: exact LRU within 2% of Che. */
static void test_zipf_che(void) {
    const guint n = 100000;
    g_autofree double *p = g_new(double, n);
    g_autofree double *cdf = g_new(double, n);
    double sum = 0;
    for (guint i = 0; i < n; i++)
        sum += p[i] = pow((double)(i + 1), -0.8);
    double acc = 0;
    for (guint i = 0; i < n; i++) {
        p[i] /= sum;
        cdf[i] = acc += p[i];
    }
    cdf[n - 1] = 1.0;
    double che = che_hit_ratio(p, n, 10000);
    g_autoptr(GRand) rng = g_rand_new_with_seed(11);
    Zipf z = {rng, cdf, n};
    double lru = hit_ratio(SCN_RECLAIM_LRU, 10000, 200000, 1000000, draw_zipf, &z);
    g_test_message("LRU %.4f, Che %.4f", lru, che);
    g_assert_cmpfloat(fabs(lru - che), <=, 0.02 * che);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/memory/lru/order", test_lru_order);
    g_test_add_func("/memory/shadows", test_shadows);
    g_test_add_func("/memory/shadows/limit", test_shadow_limit);
    g_test_add_func("/memory/shadows/bound", test_shadow_bound);
    g_test_add_func("/memory/clock/order", test_clock_order);
    g_test_add_func("/memory/two-list/order", test_two_list_order);
    g_test_add_func("/memory/two-list/scan", test_two_list_scan);
    g_test_add_func("/memory/page-queues/order", test_page_queues_order);
    g_test_add_func("/memory/page-queues/fold", test_page_queues_fold);
    g_test_add_func("/memory/victim-of-vmo", test_victim_of_vmo);
    g_test_add_func("/memory/victim-of-vmo/walk", test_victim_of_vmo_walk);
    g_test_add_func("/memory/table", test_table);
    g_test_add_func("/memory/theory/uniform", test_uniform);
    g_test_add_func("/memory/theory/zipf-che", test_zipf_che);
    return g_test_run();
}
