/* rep_put_u64 (two digits per division, from the end) against printf's %llu:
 * every value below 10^5, every power of ten and its neighbours, the largest
 * value, and random values of every length. */
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>

#include "sim/report/rep-digits.h"

static void check(uint64_t v) {
    char want[32], got[32];
    snprintf(want, sizeof want, "%" PRIu64, v);
    memset(got, 'x', sizeof got);
    char *end = rep_put_u64(got, v);
    g_assert_cmpint(end - got, ==, (int)strlen(want));
    g_assert_cmpint(*end, ==, 'x'); /* nothing written past the digits */
    *end = '\0';
    g_assert_cmpstr(got, ==, want);
    g_assert_cmpint(rep_digits_count(v), ==, (int)strlen(want));
}

static void test_against_printf(void) {
    for (uint64_t v = 0; v < 100000; v++)
        check(v);
    for (uint64_t p = 10; p <= UINT64_C(10000000000000000000); p *= 10) {
        check(p - 1);
        check(p);
        check(p + 1);
        if (p > UINT64_MAX / 10)
            break;
    }
    check(UINT64_MAX);
    check(UINT64_MAX - 1);
    GRand *r = g_rand_new_with_seed(3);
    for (int i = 0; i < 100000; i++)
        check(((uint64_t)g_rand_int(r) << 32 | g_rand_int(r)) >> g_rand_int_range(r, 0, 64));
    g_rand_free(r);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/report/digits/against-printf", test_against_printf);
    return g_test_run();
}
