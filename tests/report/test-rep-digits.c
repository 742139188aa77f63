/* rep_put_u64 (two digits per division, from the end) against printf's %llu,
 * and rep_put_g17 against its %.17g. rep_put_u64:
 * every value below 10^5, every power of ten and its neighbours, the largest
 * value, and random values of every length. */
#include <float.h>
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

static void check_real(double x) {
    char want[64], got[64];
    snprintf(want, sizeof want, "%.17g", x);
    memset(got, 'x', sizeof got);
    char *end = rep_put_g17(got, x);
    g_assert_cmpint(end - got, ==, (int)strlen(want));
    g_assert_cmpint(end - got, <=, 24);
    *end = '\0';
    g_assert_cmpstr(got, ==, want);
}

/* rep_put_g17 against printf's %.17g: whole numbers around the powers of ten
 * and of two up to and past 10^17 (where %.17g turns to an exponent), negative
 * zero, negatives, fractions, the extremes, infinities and NaN. */
static void test_real_against_printf(void) {
    for (int v = 0; v < 100000; v++)
        check_real(v);
    for (double p = 10; p <= 1e20; p *= 10)
        for (double d = -3; d <= 3; d++)
            check_real(p + d);
    for (int e = 0; e <= 70; e++) {
        double p = ldexp(1, e);
        check_real(p);
        check_real(nextafter(p, 0));
        check_real(nextafter(p, INFINITY));
    }
    const double odd[] = {-0.0, -1,     -123456, 0.5,     1.25,   1e-5,     99999999999999999.0,
                          1e17, 1.5e17, DBL_MAX, DBL_MIN, 5e-324, INFINITY, -INFINITY,
                          NAN};
    for (gsize k = 0; k < G_N_ELEMENTS(odd); k++)
        check_real(odd[k]);
    GRand *r = g_rand_new_with_seed(5);
    for (int i = 0; i < 100000; i++)
        check_real(floor(g_rand_double_range(r, 0, 1e18) / pow(10, g_rand_int_range(r, 0, 18))));
    g_rand_free(r);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/report/digits/against-printf", test_against_printf);
    g_test_add_func("/report/digits/real-against-printf", test_real_against_printf);
    return g_test_run();
}
