/* latency.hgrm against HdrHistogram's percentile iteration worked out by hand
 * for the sample 1, 2, ..., 100 ns (every value exact in its bucket): levels
 * step by 10% to 50%, then by 5% to 75%, 2.5% to 87.5%, 1.25%, 0.625%, 0.3125%,
 * 0.15625% (5 per halving of the distance to 100%); each row gives the first
 * value whose cumulative count reaches the level; the last bucket (100 ns)
 * reports one level, then the 100% row. Values in us with 3 decimals. */
#include <math.h>
#include <string.h>

#include "sim/report/rep-hgrm.h"

/* level (%), value (ns), count: the rows expected, in order. */
static const double expected[][2] = {
    {0, 1},        {10, 10},       {20, 20},      {30, 30},       {40, 40},       {50, 50},
    {55, 55},      {60, 60},       {65, 65},      {70, 70},       {75, 75},       {77.5, 78},
    {80, 80},      {82.5, 83},     {85, 85},      {87.5, 88},     {88.75, 89},    {90, 90},
    {91.25, 92},   {92.5, 93},     {93.75, 94},   {94.375, 95},   {95, 95},       {95.625, 96},
    {96.25, 97},   {96.875, 97},   {97.1875, 98}, {97.5, 98},     {97.8125, 98},  {98.125, 99},
    {98.4375, 99}, {98.59375, 99}, {98.75, 99},   {98.90625, 99}, {99.0625, 100},
};

static void test_known_sample(void) {
    g_autoptr(RepHistogram) h = rep_histogram_new();
    for (uint64_t v = 1; v <= 100; v++)
        rep_histogram_record(h, v);
    FILE *f = tmpfile();
    g_assert_true(rep_hgrm_write(h, f, NULL));
    long n = ftell(f);
    rewind(f);
    g_autofree char *text = g_malloc0((gsize)n + 1);
    g_assert_cmpuint(fread(text, 1, (size_t)n, f), ==, (size_t)n);
    fclose(f);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    g_assert_cmpstr(lines[0], ==, "       Value     Percentile TotalCount 1/(1-Percentile)");
    g_assert_cmpstr(lines[1], ==, "");
    guint k = 2;
    for (size_t i = 0; i < G_N_ELEMENTS(expected); i++, k++) {
        double p = expected[i][0] / 100.0, v = expected[i][1];
        /* the count up to value v of this sample is v itself */
        g_autofree char *want =
            g_strdup_printf("%12.3f %2.12f %10.0f %14.2f", v / 1000.0, p, v, 1.0 / (1.0 - p));
        g_assert_cmpstr(lines[k], ==, want);
    }
    g_assert_cmpstr(lines[k++], ==, "       0.100 1.000000000000        100");
    g_autofree char *mean = g_strdup_printf("#[Mean    = %12.3f, StdDeviation   = %12.3f]",
                                            50.5 / 1000.0, sqrt((100.0 * 100.0 - 1) / 12) / 1000.0);
    g_assert_cmpstr(lines[k++], ==, mean);
    g_assert_cmpstr(lines[k++], ==, "#[Max     =        0.100, Total count    =          100]");
    g_assert_cmpstr(lines[k++], ==, "#[Buckets =           37, SubBuckets     =          128]");
    g_assert_cmpstr(lines[k], ==, "");
    g_assert_null(lines[k + 1]);
}

/* One value: the single bucket reports level 0, then 100%. */
static void test_single(void) {
    g_autoptr(RepHistogram) h = rep_histogram_new();
    rep_histogram_record(h, 80000);
    FILE *f = tmpfile();
    g_assert_true(rep_hgrm_write(h, f, NULL));
    rewind(f);
    char line[256];
    g_assert_nonnull(fgets(line, sizeof line, f));
    g_assert_nonnull(fgets(line, sizeof line, f));
    g_assert_nonnull(fgets(line, sizeof line, f));
    g_assert_cmpstr(line, ==, "      80.000 0.000000000000          1           1.00\n");
    g_assert_nonnull(fgets(line, sizeof line, f));
    g_assert_cmpstr(line, ==, "      80.000 1.000000000000          1\n");
    fclose(f);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rep/hgrm/known-sample", test_known_sample);
    g_test_add_func("/rep/hgrm/single", test_single);
    return g_test_run();
}
