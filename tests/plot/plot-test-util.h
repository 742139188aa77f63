/* Helpers of the tests that run the pagesim executable ($PAGESIM) on the
 * scenarios of the source tree ($PAGESIM_SOURCE_ROOT). */
#pragma once

#include <glib.h>

typedef struct {
    int status; /* exit status */
    char *out;  /* stdout */
    char *err;  /* stderr */
} PtRun;

/* pt_run: runs pagesim with @args (NULL-terminated, without the program), with
 * @env_extra ("NAME=VALUE", nullable, NULL-terminated) added to the environment. */
PtRun pt_run(const char *const *args, const char *const *env_extra);
void pt_run_clear(PtRun *r);

/* pt_scenario: (transfer full) the path of scenarios/@name.json. */
char *pt_scenario(const char *name);

/* pt_rmtree: removes @dir and everything in it. */
void pt_rmtree(const char *dir);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(PtRun, pt_run_clear)
