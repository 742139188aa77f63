/* The GError domains are named as G_DEFINE_QUARK was written: "scn-error-quark",
 * not the "scn - error - quark" that clang-format once made of it (the macro
 * stringifies its argument as written, spaces included). */
#include <glib.h>

#include "sim/engine/sim-dist.h"
#include "sim/model/mdl-world.h"
#include "sim/report/rep-event.h"
#include "sim/scenario/scn-error.h"

static void quark_names(void) {
    g_assert_cmpstr(g_quark_to_string(SCN_ERROR), ==, "scn-error-quark");
    g_assert_cmpstr(g_quark_to_string(MDL_ERROR), ==, "mdl-error-quark");
    g_assert_cmpstr(g_quark_to_string(SIM_DIST_ERROR), ==, "sim-dist-error-quark");
    g_assert_cmpstr(g_quark_to_string(REP_EVENT_ERROR), ==, "rep-event-error-quark");
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/errors/quark-names", quark_names);
    return g_test_run();
}
