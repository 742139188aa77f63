/* Helpers of the tests that run pagesim (see plot-test-util.h). */
#include "plot-test-util.h"

#include <glib/gstdio.h>
#include <sys/wait.h>

PtRun pt_run(const char *const *args, const char *const *env_extra) {
    const char *exe = g_getenv("PAGESIM");
    g_assert_nonnull(exe);
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_ptr_array_add(argv, (gpointer)exe);
    for (guint i = 0; args[i]; i++)
        g_ptr_array_add(argv, (gpointer)args[i]);
    g_ptr_array_add(argv, NULL);
    g_auto(GStrv) env = g_get_environ();
    for (guint i = 0; env_extra && env_extra[i]; i++) {
        g_auto(GStrv) kv = g_strsplit(env_extra[i], "=", 2);
        env = g_environ_setenv(env, kv[0], kv[1], TRUE);
    }
    PtRun r = {0};
    g_autoptr(GError) error = NULL;
    int wait = 0;
    g_assert_true(g_spawn_sync(NULL, (char **)argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL, &r.out,
                               &r.err, &wait, &error));
    g_assert_no_error(error);
    r.status = WIFEXITED(wait) ? WEXITSTATUS(wait) : 128;
    if (r.status != 0 && g_test_verbose())
        g_printerr("%s", r.err);
    return r;
}

void pt_run_clear(PtRun *r) {
    g_free(r->out);
    g_free(r->err);
}

char *pt_scenario(const char *name) {
    const char *root = g_getenv("PAGESIM_SOURCE_ROOT");
    g_assert_nonnull(root);
    g_autofree char *base = g_strdup_printf("%s.json", name);
    return g_build_filename(root, "scenarios", base, NULL);
}

void pt_rmtree(const char *dir) {
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(dir, name, NULL);
        if (g_file_test(p, G_FILE_TEST_IS_DIR))
            pt_rmtree(p);
        else
            g_unlink(p);
    }
    g_rmdir(dir);
}
