/* Unit tests of sim/scenario/scn-units.h, scn-status.h and scn-policy.h: exact
 * values for many accepted inputs, every kind of rejection with its message, and
 * format/parse round trips. */
#include "core/page-source.h"
#include "sim/scenario/scn-scenario.h"

typedef struct {
    const char *text; /* input */
    uint64_t value;   /* expected value */
} Good;

typedef struct {
    const char *text;    /* input */
    const char *message; /* expected error message */
} Bad;

/* Accepted durations, including the extremes of the range and every unit. */
static const Good good_durations[] = {
    {"0ns", 0},
    {"1ns", 1},
    {"80us", 80000},
    {"80\xc2\xb5s", 80000},
    {"1.5ms", 1500000},
    {"2s", 2000000000},
    {"1.5min", UINT64_C(90000000000)},
    {"2h", UINT64_C(7200000000000)},
    {"0.000001ms", 1},
    {"1.000000000000s", 1000000000},
    {"3 ms", 3000000},
    {"0.5us", 500},
    {"12.345678ms", 12345678},
    {"007us", 7000},
    {"0.25h", UINT64_C(900000000000)},
    {"18446744073709551615ns", UINT64_MAX},
    {"18446744073.709551615s", UINT64_MAX},
};

/* Each way a duration can be wrong, with the exact message. */
static const Bad bad_durations[] = {
    {"", "empty duration (expected a number and a unit: ns, us, ms, s, min or h)"},
    {"5", "duration \"5\" has no unit (use ns, us, ms, s, min or h)"},
    {"abc", "malformed duration \"abc\" (expected a number and a unit: ns, us, ms, s, min or h)"},
    {"-5us", "negative duration \"-5us\" is not allowed"},
    {"+5us", "malformed duration \"+5us\" (expected a number and a unit: ns, us, ms, s, min or h)"},
    {" 5us", "malformed duration \" 5us\" (expected a number and a unit: ns, us, ms, s, min or h)"},
    {"1.5ns", "duration \"1.5ns\" is not a whole number of nanoseconds"},
    {"0.0000001ms", "duration \"0.0000001ms\" is not a whole number of nanoseconds"},
    {"5m", "ambiguous unit \"m\" in \"5m\" (use \"ms\" or \"min\")"},
    {"5MS", "unknown duration unit \"MS\" in \"5MS\" (did you mean \"ms\"?)"},
    {"5x", "unknown duration unit \"x\" in \"5x\" (use ns, us, ms, s, min or h)"},
    {"5S", "unknown duration unit \"S\" in \"5S\" (did you mean \"s\"?)"},
    {"5 sec", "unknown duration unit \"sec\" in \"5 sec\" (use ns, us, ms, s, min or h)"},
    {"5us ", "unknown duration unit \"us \" in \"5us \" (did you mean \"us\"?)"},
    {"1e3us", "unknown duration unit \"e3us\" in \"1e3us\" (use ns, us, ms, s, min or h)"},
    {".5ms", "malformed duration \".5ms\" (expected a number and a unit: ns, us, ms, s, min or h)"},
    {"5.ms", "malformed duration \"5.ms\" (a digit must follow the point)"},
    {"18446744073709551616ns",
     "duration \"18446744073709551616ns\" is too large (the limit is 2^64 - 1 ns)"},
    {"5124096h", "duration \"5124096h\" is too large (the limit is 2^64 - 1 ns)"},
    {"0.1234567890123456789s", "duration \"0.1234567890123456789s\" has more than 18 decimals"},
};

/* Accepted sizes: binary and decimal units, fractions that land on bytes. */
static const Good good_sizes[] = {
    {"0B", 0},
    {"512B", 512},
    {"4KiB", 4096},
    {"64MiB", UINT64_C(67108864)},
    {"4TiB", UINT64_C(4398046511104)},
    {"1PiB", UINT64_C(1) << 50},
    {"15EiB", UINT64_C(15) << 60},
    {"1kB", 1000},
    {"1KB", 1000},
    {"2MB", 2000000},
    {"1.5GB", 1500000000},
    {"1TB", UINT64_C(1000000000000)},
    {"1.5MiB", 1572864},
    {"0.5KiB", 512},
    {"4 KiB", 4096},
    {"0.0009765625KiB", 1},
};

/* Rejected sizes, with the exact message. */
static const Bad bad_sizes[] = {
    {"", "empty size (expected a number and a unit: B, KiB, MiB, GiB, TiB, kB, MB, GB or TB)"},
    {"4096", "size \"4096\" has no unit (use B, KiB, MiB, GiB, TiB, kB, MB, GB or TB)"},
    {"4K", "unknown size unit \"K\" in \"4K\" (did you mean \"KiB\" or \"KB\"?)"},
    {"4m", "unknown size unit \"m\" in \"4m\" (did you mean \"MiB\" or \"MB\"?)"},
    {"4x", "unknown size unit \"x\" in \"4x\" (use B, KiB, MiB, GiB, TiB, kB, MB, GB or TB)"},
    {"4kib", "unknown size unit \"kib\" in \"4kib\" (did you mean \"KiB\"?)"},
    {"0.3B", "size \"0.3B\" is not a whole number of bytes"},
    {"-1B", "negative size \"-1B\" is not allowed"},
    {"16EiB", "size \"16EiB\" is too large (the limit is 2^64 - 1 bytes)"},
    {"4KiB4", "unknown size unit \"KiB4\" in \"4KiB4\" (did you mean \"KiB\"?)"},
    {"lots", "malformed size \"lots\" (expected a number and a unit: B, KiB, MiB, GiB, TiB, kB, "
             "MB, GB or TB)"},
};

/* Every accepted duration converts exactly. */
static void test_durations(void) {
    for (gsize i = 0; i < G_N_ELEMENTS(good_durations); i++) {
        g_autoptr(GError) error = NULL;
        uint64_t v = 42;

        g_test_message("%s", good_durations[i].text);
        g_assert_true(scn_parse_duration(good_durations[i].text, &v, &error));
        g_assert_no_error(error);
        g_assert_cmpuint(v, ==, good_durations[i].value);
    }
}

/* Every rejection leaves the output untouched and says why. */
static void test_durations_bad(void) {
    for (gsize i = 0; i < G_N_ELEMENTS(bad_durations); i++) {
        g_autoptr(GError) error = NULL;
        uint64_t v = 42;

        g_assert_false(scn_parse_duration(bad_durations[i].text, &v, &error));
        g_assert_error(error, SCN_ERROR, SCN_ERROR_VALUE);
        g_assert_cmpstr(error->message, ==, bad_durations[i].message);
        g_assert_cmpuint(v, ==, 42);
    }
}

/* Every accepted size converts exactly. */
static void test_sizes(void) {
    for (gsize i = 0; i < G_N_ELEMENTS(good_sizes); i++) {
        g_autoptr(GError) error = NULL;
        uint64_t v = 42;

        g_test_message("%s", good_sizes[i].text);
        g_assert_true(scn_parse_size(good_sizes[i].text, &v, &error));
        g_assert_no_error(error);
        g_assert_cmpuint(v, ==, good_sizes[i].value);
    }
}

/* Every rejected size leaves the output untouched and says why. */
static void test_sizes_bad(void) {
    for (gsize i = 0; i < G_N_ELEMENTS(bad_sizes); i++) {
        g_autoptr(GError) error = NULL;
        uint64_t v = 42;

        g_assert_false(scn_parse_size(bad_sizes[i].text, &v, &error));
        g_assert_error(error, SCN_ERROR, SCN_ERROR_VALUE);
        g_assert_cmpstr(error->message, ==, bad_sizes[i].message);
        g_assert_cmpuint(v, ==, 42);
    }
}

/* Rates as "N/unit"; malformed ones are SCN_ERROR_VALUE. */
static void test_rates(void) {
    static const struct {
        const char *text;
        double per_s;
    } good[] = {{"1000/s", 1000.0}, {"2.5/ms", 2500.0},  {"3/us", 3e6},
                {"60/min", 1.0},    {"1/h", 1.0 / 3600}, {"0.5/s", 0.5}};
    static const char *const bad[] = {"1000", "0/s", "-1/s", "1000/sec", "abc/s", "/s", "1/"};

    for (gsize i = 0; i < G_N_ELEMENTS(good); i++) {
        g_autoptr(GError) error = NULL;
        double v = 0.0;

        g_assert_true(scn_parse_rate(good[i].text, &v, &error));
        g_assert_no_error(error);
        g_assert_cmpfloat_with_epsilon(v, good[i].per_s, 1e-9 * good[i].per_s);
    }
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) error = NULL;
        double v = 0.0;

        g_test_message("%s", bad[i]);
        g_assert_false(scn_parse_rate(bad[i], &v, &error));
        g_assert_error(error, SCN_ERROR, SCN_ERROR_VALUE);
    }
}

/* The formatters pick the largest exact unit. */
static void test_format(void) {
    static const struct {
        uint64_t ns;
        const char *text;
    } durations[] = {
        {0, "0ns"},
        {999, "999ns"},
        {1000, "1us"},
        {1500, "1.5us"},
        {1500000, "1.5ms"},
        {1234567, "1.234567ms"},
        {UINT64_C(90000000000), "90s"},
        {UINT64_C(60000000000), "1min"},
        {UINT64_C(3600000000000), "1h"},
        {UINT64_C(300000000000), "5min"},
        {SCN_NEVER, "never"},
    };
    static const struct {
        uint64_t bytes;
        const char *text;
    } sizes[] = {{0, "0B"},           {4096, "4KiB"},  {6000, "6000B"},
                 {67108864, "64MiB"}, {1536, "1536B"}, {UINT64_C(1) << 42, "4TiB"}};

    for (gsize i = 0; i < G_N_ELEMENTS(durations); i++) {
        g_autofree char *s = scn_format_duration(durations[i].ns);
        g_assert_cmpstr(s, ==, durations[i].text);
    }
    for (gsize i = 0; i < G_N_ELEMENTS(sizes); i++) {
        g_autofree char *s = scn_format_size(sizes[i].bytes);
        g_assert_cmpstr(s, ==, sizes[i].text);
    }
}

/* Formatting then parsing gives back the value, for values of every magnitude. */
static void test_round_trip(void) {
    for (guint i = 0; i < 2000; i++) {
        uint64_t v = ((uint64_t)g_test_rand_int() << 32 | (uint32_t)g_test_rand_int()) >>
                     g_test_rand_int_range(0, 64);
        g_autofree char *d = scn_format_duration(v);
        g_autofree char *s = scn_format_size(v);
        uint64_t back = 0;

        if (v != SCN_NEVER) {
            g_assert_true(scn_parse_duration(d, &back, NULL));
            g_assert_cmpuint(back, ==, v);
        }
        g_assert_true(scn_parse_size(s, &back, NULL));
        g_assert_cmpuint(back, ==, v);
    }
}

/* Status names both ways, and the mid-2021 set of valid failure codes. */
static void test_status(void) {
    int64_t v = 0;

    g_assert_true(scn_status_from_name("ZX_ERR_IO", &v));
    g_assert_cmpint(v, ==, -40);
    g_assert_true(scn_status_from_name("ZX_ERR_INTERNAL_INTR_KILLED", &v));
    g_assert_cmpint(v, ==, -502);
    g_assert_false(scn_status_from_name("ZX_ERR_OI", &v));
    g_assert_cmpstr(scn_status_to_string(-42), ==, "ZX_ERR_IO_DATA_INTEGRITY");
    g_assert_cmpstr(scn_status_to_string(0), ==, "ZX_OK");
    g_assert_null(scn_status_to_string(-9999));
    g_assert_true(scn_status_is_valid_failure(-40));
    g_assert_true(scn_status_is_valid_failure(-42));
    g_assert_true(scn_status_is_valid_failure(-20));
    g_assert_false(scn_status_is_valid_failure(-1));
    g_assert_false(scn_status_is_valid_failure(-54));
    g_assert_false(scn_status_is_valid_failure(0));
}

/* The scenario format and core/ agree on every status: the same 20 names with
 * the same values (both ways), and the same three valid failure codes over
 * every value from -1000 to 1000 and the 64-bit ends (values outside int32 too). */
static void test_status_agrees_with_core(void) {
    static const char *const spec[] = {"ZX_OK",
                                       "ZX_ERR_INTERNAL",
                                       "ZX_ERR_NOT_SUPPORTED",
                                       "ZX_ERR_NO_MEMORY",
                                       "ZX_ERR_INTERNAL_INTR_RETRY",
                                       "ZX_ERR_INVALID_ARGS",
                                       "ZX_ERR_BAD_HANDLE",
                                       "ZX_ERR_WRONG_TYPE",
                                       "ZX_ERR_OUT_OF_RANGE",
                                       "ZX_ERR_BUFFER_TOO_SMALL",
                                       "ZX_ERR_BAD_STATE",
                                       "ZX_ERR_TIMED_OUT",
                                       "ZX_ERR_SHOULD_WAIT",
                                       "ZX_ERR_NOT_FOUND",
                                       "ZX_ERR_ALREADY_EXISTS",
                                       "ZX_ERR_IO",
                                       "ZX_ERR_IO_DATA_INTEGRITY",
                                       "ZX_ERR_NO_SPACE",
                                       "ZX_ERR_NEXT",
                                       "ZX_ERR_INTERNAL_INTR_KILLED"};
    g_assert_cmpuint(CORE_STATUS_COUNT, ==, G_N_ELEMENTS(spec));
    for (guint i = 0; i < CORE_STATUS_COUNT; i++) {
        CoreStatus c = core_status_nth(i);
        int64_t v = 1;
        g_assert_cmpstr(core_status_to_string(c), ==, spec[i]);
        g_assert_true(scn_status_from_name(spec[i], &v));
        g_assert_cmpint(v, ==, (int64_t)c);
        g_assert_cmpstr(scn_status_to_string(v), ==, spec[i]);
    }
    for (int64_t v = -1000; v <= 1000; v++) {
        gboolean valid = v == -40 || v == -42 || v == -20;
        g_assert_cmpint(scn_status_is_valid_failure(v), ==, valid);
        if (v >= G_MININT32)
            g_assert_cmpint(core_page_source_is_valid_failure_code((CoreStatus)v), ==, valid);
    }
    g_assert_false(scn_status_is_valid_failure(G_MAXINT64));
    g_assert_false(scn_status_is_valid_failure(G_MININT64));
    g_assert_null(scn_status_to_string((int64_t)CORE_ERR_IO - ((int64_t)1 << 32)));
}

/* Policy specs parse into flags and arguments. */
static void test_policy(void) {
    ScnPolicy p;

    g_assert_true(scn_policy_parse("readahead:8+cluster:32KiB", &p, NULL));
    g_assert_cmpstr(p.spec, ==, "readahead:8+cluster:32KiB");
    g_assert_cmpuint(p.readahead_pages, ==, 8);
    g_assert_cmpuint(p.cluster_bytes, ==, 32768);
    g_assert_false(p.none || p.fuchsia || p.adaptive);
    scn_policy_clear(&p);
    g_assert_true(scn_policy_parse("none", &p, NULL));
    g_assert_true(p.none);
    scn_policy_clear(&p);
    g_assert_true(scn_policy_parse("fuchsia+adaptive+readahead:1", &p, NULL));
    g_assert_true(p.fuchsia && p.adaptive);
    g_assert_cmpuint(p.readahead_pages, ==, 1);
    g_assert_cmpuint(p.cluster_bytes, ==, 0);
    scn_policy_clear(&p);
}

/* Each policy mistake has its own message, and nothing is left allocated. */
static void test_policy_bad(void) {
    static const Bad bad[] = {
        {"", "empty policy (expected e.g. \"fuchsia\" or \"readahead:8+cluster:32KiB\")"},
        {"nonee", "policy \"nonee\": unknown term \"nonee\" (did you mean \"none\"?)"},
        {"lru", "policy \"lru\": unknown term \"lru\" (expected none, fuchsia, adaptive, "
                "readahead:N or cluster:BYTES)"},
        {"none+readahead:8", "policy \"none+readahead:8\": \"none\" cannot be combined with other "
                             "terms"},
        {"readahead", "policy \"readahead\": \"readahead\" needs an argument (\"readahead:8\")"},
        {"readahead:0", "policy \"readahead:0\": \"readahead:0\" needs a page count from 1 to "
                        "1048576"},
        {"readahead:x", "policy \"readahead:x\": \"readahead:x\" needs a page count from 1 to "
                        "1048576"},
        {"cluster:48KiB", "policy \"cluster:48KiB\": \"cluster:48KiB\" must be a power of two "
                          "from 4KiB to 1GiB"},
        {"cluster:32", "policy \"cluster:32\": size \"32\" has no unit (use B, KiB, MiB, GiB, "
                       "TiB, kB, MB, GB or TB)"},
        {"readahead:8+readahead:4", "policy \"readahead:8+readahead:4\": \"readahead\" appears "
                                    "more than once"},
        {"fuchsia:1", "policy \"fuchsia:1\": \"fuchsia\" takes no argument"},
        {"fuchsia++adaptive", "policy \"fuchsia++adaptive\": empty term"},
    };

    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) error = NULL;
        ScnPolicy p;

        g_assert_false(scn_policy_parse(bad[i].text, &p, &error));
        g_assert_error(error, SCN_ERROR, SCN_ERROR_VALUE);
        g_assert_cmpstr(error->message, ==, bad[i].message);
        g_assert_null(p.spec);
    }
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/scn/units/durations", test_durations);
    g_test_add_func("/scn/units/durations-bad", test_durations_bad);
    g_test_add_func("/scn/units/sizes", test_sizes);
    g_test_add_func("/scn/units/sizes-bad", test_sizes_bad);
    g_test_add_func("/scn/units/rates", test_rates);
    g_test_add_func("/scn/units/format", test_format);
    g_test_add_func("/scn/units/round-trip", test_round_trip);
    g_test_add_func("/scn/status/names", test_status);
    g_test_add_func("/scn/status/agrees-with-core", test_status_agrees_with_core);
    g_test_add_func("/scn/policy/parse", test_policy);
    g_test_add_func("/scn/policy/bad", test_policy_bad);
    return g_test_run();
}
