/* tests/core/test-core-status.c: status codes, names and parsing (§6). */
#include "core/status.h"

static const struct {
    CoreStatus status; /* Code. */
    gint value;        /* zx_status_t value. */
    const char *name;  /* Zircon name. */
} table[] = {
    {CORE_OK, 0, "ZX_OK"},
    {CORE_ERR_INTERNAL, -1, "ZX_ERR_INTERNAL"},
    {CORE_ERR_NOT_SUPPORTED, -2, "ZX_ERR_NOT_SUPPORTED"},
    {CORE_ERR_NO_MEMORY, -4, "ZX_ERR_NO_MEMORY"},
    {CORE_ERR_INTERNAL_INTR_RETRY, -6, "ZX_ERR_INTERNAL_INTR_RETRY"},
    {CORE_ERR_INVALID_ARGS, -10, "ZX_ERR_INVALID_ARGS"},
    {CORE_ERR_BAD_HANDLE, -11, "ZX_ERR_BAD_HANDLE"},
    {CORE_ERR_WRONG_TYPE, -12, "ZX_ERR_WRONG_TYPE"},
    {CORE_ERR_OUT_OF_RANGE, -14, "ZX_ERR_OUT_OF_RANGE"},
    {CORE_ERR_BUFFER_TOO_SMALL, -15, "ZX_ERR_BUFFER_TOO_SMALL"},
    {CORE_ERR_BAD_STATE, -20, "ZX_ERR_BAD_STATE"},
    {CORE_ERR_TIMED_OUT, -21, "ZX_ERR_TIMED_OUT"},
    {CORE_ERR_SHOULD_WAIT, -22, "ZX_ERR_SHOULD_WAIT"},
    {CORE_ERR_NOT_FOUND, -25, "ZX_ERR_NOT_FOUND"},
    {CORE_ERR_ALREADY_EXISTS, -26, "ZX_ERR_ALREADY_EXISTS"},
    {CORE_ERR_IO, -40, "ZX_ERR_IO"},
    {CORE_ERR_IO_DATA_INTEGRITY, -42, "ZX_ERR_IO_DATA_INTEGRITY"},
    {CORE_ERR_NO_SPACE, -54, "ZX_ERR_NO_SPACE"},
    {CORE_ERR_NEXT, -61, "ZX_ERR_NEXT"},
    {CORE_ERR_INTERNAL_INTR_KILLED, -502, "ZX_ERR_INTERNAL_INTR_KILLED"},
};

static void test_values(void) {
    g_assert_cmpuint(G_N_ELEMENTS(table), ==, CORE_STATUS_COUNT);
    for (guint i = 0; i < G_N_ELEMENTS(table); i++) {
        g_assert_cmpint(table[i].status, ==, table[i].value);
        g_assert_cmpint(core_status_nth(i), ==, table[i].status);
    }
}

static void test_to_string(void) {
    for (guint i = 0; i < G_N_ELEMENTS(table); i++)
        g_assert_cmpstr(core_status_to_string(table[i].status), ==, table[i].name);
    g_assert_cmpstr(core_status_to_string((CoreStatus)-3), ==, "(UNKNOWN)");
}

static void test_from_string(void) {
    CoreStatus st = CORE_OK;
    for (guint i = 0; i < G_N_ELEMENTS(table); i++) {
        g_assert_true(core_status_from_string(table[i].name, &st));
        g_assert_cmpint(st, ==, table[i].value);
    }
    g_assert_true(core_status_from_string("ZX_ERR_IO", &st));
    g_assert_cmpint(st, ==, -40);
    st = CORE_ERR_NEXT;
    g_assert_false(core_status_from_string("ZX_ERR_NOPE", &st));
    g_assert_false(core_status_from_string("zx_err_io", &st));
    g_assert_false(core_status_from_string(NULL, &st));
    g_assert_cmpint(st, ==, CORE_ERR_NEXT);
}

static void test_nth_out_of_range(void) {
    g_test_expect_message("pagesim-core", G_LOG_LEVEL_CRITICAL, "*index < CORE_STATUS_COUNT*");
    g_assert_cmpint(core_status_nth(CORE_STATUS_COUNT), ==, CORE_ERR_INTERNAL);
    g_test_assert_expected_messages();
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/core/status/values", test_values);
    g_test_add_func("/core/status/to-string", test_to_string);
    g_test_add_func("/core/status/from-string", test_from_string);
    g_test_add_func("/core/status/nth-out-of-range", test_nth_out_of_range);
    return g_test_run();
}
