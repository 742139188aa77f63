/* The plan of a sweep: parsing --set lists into parameters, the cross product of
 * parameters and policies into points, checking every point by loading the
 * scenario with its values, the run commands, and sweep-plan.json / jobs.txt.
 *
 * Invariants:
 *  1. a plan exists only if every point's scenario loaded: nothing runs or is
 *     written for bad input;
 *  2. point directory names are unique within a plan;
 *  3. the points of a plan depend only on params, policies and seeds, so a plan
 *     rebuilt from sweep-plan.json has the same points in the same order.
 */
#include <glib/gstdio.h>
#include <jansson.h>
#include <string.h>

#include "sim/cli/cli-sweep.h"
#include "sim/scenario/scn-scenario.h"

static void param_free(gpointer data) {
    CliSweepParam *prm = data;
    g_free(prm->path);
    g_free(prm->label);
    g_ptr_array_unref(prm->values);
    g_free(prm);
}

static void point_free(gpointer data) {
    CliSweepPoint *pt = data;
    g_free(pt->dir);
    g_free(pt->policy);
    g_free(pt->index);
    g_free(pt);
}

void cli_sweep_plan_free(CliSweepPlan *p) {
    if (p == NULL)
        return;
    g_free(p->scenario);
    g_free(p->name);
    g_free(p->out);
    g_free(p->exe);
    g_clear_pointer(&p->params, g_ptr_array_unref);
    g_clear_pointer(&p->policies, g_ptr_array_unref);
    g_clear_pointer(&p->seeds, g_array_unref);
    g_clear_pointer(&p->points, g_ptr_array_unref);
    g_free(p);
}

static CliSweepPlan *plan_new(void) {
    CliSweepPlan *p = g_new0(CliSweepPlan, 1);
    p->params = g_ptr_array_new_with_free_func(param_free);
    p->policies = g_ptr_array_new_with_free_func(g_free);
    p->seeds = g_array_new(FALSE, FALSE, sizeof(guint64));
    p->points = g_ptr_array_new_with_free_func(point_free);
    return p;
}

/* Characters other than letters, digits and "-._=," become '_', so a name is a
 * safe directory name ("readahead:8" -> "readahead_8"). */
static char *sanitize(const char *s) {
    char *t = g_strdup(s);
    for (char *c = t; *c; c++)
        if (!g_ascii_isalnum(*c) && !strchr("-._=,", *c))
            *c = '_';
    return t;
}

/* Parses "PATH=V1,V2,..." into a parameter. */
static CliSweepParam *param_parse(const char *text, GError **error) {
    const char *eq = strchr(text, '=');
    if (eq == NULL || eq == text) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--set \"%s\": expected PATH=V1,V2,...", text);
        return NULL;
    }
    if (eq[1] == '\0') {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--set \"%s\": the list of values is empty", text);
        return NULL;
    }
    g_auto(GStrv) vals = g_strsplit(eq + 1, ",", -1);
    for (guint i = 0; vals[i]; i++)
        if (vals[i][0] == '\0') {
            g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                        "--set \"%s\": value %u of the list is empty", text, i + 1);
            return NULL;
        }
    CliSweepParam *prm = g_new0(CliSweepParam, 1);
    prm->path = g_strndup(text, (gsize)(eq - text));
    prm->values = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; vals[i]; i++)
        g_ptr_array_add(prm->values, g_strdup(vals[i]));
    return prm;
}

gboolean cli__sweep_varies(const CliSweepPlan *p, guint i) {
    if (i == p->params->len)
        return p->policies->len > 1;
    const CliSweepParam *prm = g_ptr_array_index(p->params, i);
    return prm->values->len > 1;
}

/* Labels: the last key of each path ("providers[0].workers" -> "workers"), or
 * the whole path made safe when two varying parameters would share a label. */
static void set_labels(CliSweepPlan *p) {
    gboolean clash = FALSE;
    for (guint i = 0; i < p->params->len; i++) {
        CliSweepParam *prm = g_ptr_array_index(p->params, i);
        const char *dot = strrchr(prm->path, '.');
        g_free(prm->label);
        prm->label = sanitize(dot ? dot + 1 : prm->path);
        for (guint j = 0; j < i; j++) {
            const CliSweepParam *o = g_ptr_array_index(p->params, j);
            clash |= strcmp(o->label, prm->label) == 0;
        }
    }
    for (guint i = 0; clash && i < p->params->len; i++) {
        CliSweepParam *prm = g_ptr_array_index(p->params, i);
        g_free(prm->label);
        prm->label = sanitize(prm->path);
    }
}

/* The directory name of a point: "LABEL=VALUE" of each varying parameter and
 * "policy=SPEC" when policies vary, joined by ','; "base" when nothing varies. */
static char *point_dir(const CliSweepPlan *p, const guint *index, const char *policy) {
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < p->params->len; i++) {
        if (!cli__sweep_varies(p, i))
            continue;
        const CliSweepParam *prm = g_ptr_array_index(p->params, i);
        g_string_append_printf(s, "%s%s=%s", s->len ? "," : "", prm->label,
                               (const char *)g_ptr_array_index(prm->values, index[i]));
    }
    if (cli__sweep_varies(p, p->params->len))
        g_string_append_printf(s, "%spolicy=%s", s->len ? "," : "", policy);
    if (s->len == 0)
        g_string_append(s, "base");
    g_autofree char *raw = g_string_free(s, FALSE);
    return sanitize(raw);
}

/* Fills p->points with the cross product (invariant 3). */
static void enumerate(CliSweepPlan *p) {
    guint np = p->params->len, npol = MAX(p->policies->len, 1);
    g_autofree guint *index = g_new0(guint, np + 1);
    for (;;) {
        for (guint k = 0; k < npol; k++) {
            CliSweepPoint *pt = g_new0(CliSweepPoint, 1);
            pt->policy = p->policies->len ? g_strdup(g_ptr_array_index(p->policies, k)) : NULL;
            pt->index = g_memdup2(index, sizeof(guint) * (np + 1));
            pt->dir = point_dir(p, index, pt->policy);
            g_ptr_array_add(p->points, pt);
        }
        guint i = np;
        while (i > 0) {
            const CliSweepParam *prm = g_ptr_array_index(p->params, i - 1);
            if (++index[i - 1] < prm->values->len)
                break;
            index[--i] = 0;
        }
        if (i == 0)
            return;
    }
}

/* The --set overrides of point @pt (transfer full, NULL-terminated). */
static char **point_sets(const CliSweepPlan *p, const CliSweepPoint *pt) {
    char **sets = g_new0(char *, p->params->len + 1);
    for (guint i = 0; i < p->params->len; i++) {
        const CliSweepParam *prm = g_ptr_array_index(p->params, i);
        sets[i] = g_strdup_printf("%s=%s", prm->path,
                                  (const char *)g_ptr_array_index(prm->values, pt->index[i]));
    }
    return sets;
}

/* Loads the scenario for every point (invariant 1) and checks invariant 2. */
static gboolean check_points(CliSweepPlan *p, GError **error) {
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < p->points->len; i++) {
        const CliSweepPoint *pt = g_ptr_array_index(p->points, i);
        g_auto(GStrv) sets = point_sets(p, pt);
        g_autoptr(ScnScenario) sc =
            scn_scenario_load_file(p->scenario, (const char *const *)sets, error);
        if (sc == NULL || (pt->policy && !scn_scenario_set_policy(sc, pt->policy, error)))
            return FALSE;
        if (p->name == NULL) {
            p->name = g_strdup(sc->name);
            p->base_seed = sc->seed;
        }
        if (!g_hash_table_add(seen, pt->dir)) {
            g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                        "two points of the sweep would share the directory \"%s\" (a value "
                        "or policy listed twice?)",
                        pt->dir);
            return FALSE;
        }
    }
    return TRUE;
}

CliSweepPlan *cli__sweep_plan_new(const char *scenario, char **sets, char **policies,
                                  const char *out, GError **error) {
    g_autoptr(CliSweepPlan) p = plan_new();
    p->scenario = g_canonicalize_filename(scenario, NULL);
    for (char **s = sets; s && *s; s++) {
        CliSweepParam *prm = param_parse(*s, error);
        if (prm == NULL)
            return NULL;
        g_ptr_array_add(p->params, prm);
        for (guint i = 0; i + 1 < p->params->len; i++)
            if (strcmp(((CliSweepParam *)g_ptr_array_index(p->params, i))->path, prm->path) == 0) {
                g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                            "--set %s: the path is given twice (list its values once)", prm->path);
                return NULL;
            }
    }
    for (char **s = policies; s && *s; s++)
        g_ptr_array_add(p->policies, g_strdup(*s));
    set_labels(p);
    enumerate(p);
    if (!check_points(p, error))
        return NULL;
    g_autofree char *def = g_strdup_printf("results/%s-sweep", p->name);
    p->out = g_canonicalize_filename(out ? out : def, NULL);
    p->exe = g_file_read_link("/proc/self/exe", NULL);
    if (p->exe == NULL)
        p->exe = g_strdup("pagesim");
    return g_steal_pointer(&p);
}

char *cli__sweep_run_dir(const CliSweepPlan *p, const CliSweepPoint *pt, guint64 seed) {
    g_autofree char *leaf = g_strdup_printf("seed-%" G_GUINT64_FORMAT, seed);
    return g_build_filename(p->out, pt->dir, leaf, NULL);
}

gboolean cli__sweep_run_complete(const char *dir) {
    g_autofree char *summary = g_build_filename(dir, "summary.json", NULL);
    g_autofree char *hist = g_build_filename(dir, "latency-histogram.tsv", NULL);
    if (!g_file_test(hist, G_FILE_TEST_IS_REGULAR))
        return FALSE;
    json_auto_t *doc = json_load_file(summary, 0, NULL);
    return json_is_object(doc) && !json_is_true(json_object_get(doc, "interrupted"));
}

char **cli__sweep_run_argv(const CliSweepPlan *p, const CliSweepPoint *pt, guint64 seed) {
    GPtrArray *a = g_ptr_array_new();
    g_ptr_array_add(a, g_strdup(p->exe));
    g_ptr_array_add(a, g_strdup("run"));
    g_ptr_array_add(a, g_strdup(p->scenario));
    g_ptr_array_add(a, g_strdup("--seed"));
    g_ptr_array_add(a, g_strdup_printf("%" G_GUINT64_FORMAT, seed));
    if (pt->policy) {
        g_ptr_array_add(a, g_strdup("--policy"));
        g_ptr_array_add(a, g_strdup(pt->policy));
    }
    g_auto(GStrv) sets = point_sets(p, pt);
    for (char **s = sets; *s; s++) {
        g_ptr_array_add(a, g_strdup("--set"));
        g_ptr_array_add(a, g_strdup(*s));
    }
    const char *tail[] = {"--trace", "none", "--quiet", "--out"};
    for (size_t i = 0; i < G_N_ELEMENTS(tail); i++)
        g_ptr_array_add(a, g_strdup(tail[i]));
    g_ptr_array_add(a, cli__sweep_run_dir(p, pt, seed));
    g_ptr_array_add(a, NULL);
    return (char **)g_ptr_array_free(a, FALSE);
}

static json_t *strings_json(GPtrArray *a) {
    json_t *arr = json_array();
    for (guint i = 0; i < a->len; i++)
        json_array_append_new(arr, json_string(g_ptr_array_index(a, i)));
    return arr;
}

static json_t *plan_json(const CliSweepPlan *p) {
    json_t *doc = json_object(), *params = json_array(), *seeds = json_array();
    json_object_set_new(doc, "scenario", json_string(p->name));
    json_object_set_new(doc, "scenario_file", json_string(p->scenario));
    json_object_set_new(doc, "pagesim", json_string(p->exe));
    for (guint i = 0; i < p->params->len; i++) {
        CliSweepParam *prm = g_ptr_array_index(p->params, i);
        json_t *o = json_object();
        json_object_set_new(o, "path", json_string(prm->path));
        json_object_set_new(o, "label", json_string(prm->label));
        json_object_set_new(o, "values", strings_json(prm->values));
        json_array_append_new(params, o);
    }
    json_object_set_new(doc, "params", params);
    json_object_set_new(doc, "policies", strings_json(p->policies));
    for (guint i = 0; i < p->seeds->len; i++)
        json_array_append_new(seeds, json_integer((json_int_t)g_array_index(p->seeds, guint64, i)));
    json_object_set_new(doc, "seeds", seeds);
    return doc;
}

/* jobs.txt: one shell command per run not yet complete. */
static void write_jobs(const CliSweepPlan *p, FILE *f) {
    for (guint i = 0; i < p->points->len; i++) {
        const CliSweepPoint *pt = g_ptr_array_index(p->points, i);
        for (guint k = 0; k < p->seeds->len; k++) {
            guint64 seed = g_array_index(p->seeds, guint64, k);
            g_autofree char *dir = cli__sweep_run_dir(p, pt, seed);
            if (cli__sweep_run_complete(dir))
                continue;
            g_auto(GStrv) argv = cli__sweep_run_argv(p, pt, seed);
            for (char **a = argv; *a; a++) {
                g_autofree char *q = g_shell_quote(*a);
                fprintf(f, "%s%s", a == argv ? "" : " ", q);
            }
            fputc('\n', f);
        }
    }
}

gboolean cli__sweep_plan_save(const CliSweepPlan *p, GError **error) {
    g_autoptr(CliFiles) out = cli_files_new(p->out, error);
    FILE *fp = out ? cli_files_open(out, "sweep-plan.json", error) : NULL;
    FILE *fj = fp ? cli_files_open(out, "jobs.txt", error) : NULL;
    if (fj == NULL)
        return FALSE;
    json_auto_t *doc = plan_json(p);
    json_dumpf(doc, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', fp);
    write_jobs(p, fj);
    return cli_files_commit(out, error);
}

/* Appends the strings of the JSON array @arr to @to; FALSE if one is not a string. */
static gboolean strings_from_json(json_t *arr, GPtrArray *to) {
    size_t i;
    json_t *v;
    if (!json_is_array(arr))
        return FALSE;
    json_array_foreach(arr, i, v) {
        if (!json_is_string(v))
            return FALSE;
        g_ptr_array_add(to, g_strdup(json_string_value(v)));
    }
    return TRUE;
}

static gboolean plan_from_json(CliSweepPlan *p, json_t *doc) {
    size_t i;
    json_t *v;
    json_t *name = json_object_get(doc, "scenario"), *file = json_object_get(doc, "scenario_file");
    json_t *exe = json_object_get(doc, "pagesim"), *params = json_object_get(doc, "params");
    if (!json_is_string(name) || !json_is_string(file) || !json_is_string(exe) ||
        !json_is_array(params) || !json_is_array(json_object_get(doc, "seeds")))
        return FALSE;
    p->name = g_strdup(json_string_value(name));
    p->scenario = g_strdup(json_string_value(file));
    p->exe = g_strdup(json_string_value(exe));
    json_array_foreach(params, i, v) {
        CliSweepParam *prm = g_new0(CliSweepParam, 1);
        prm->values = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(p->params, prm);
        json_t *path = json_object_get(v, "path"), *label = json_object_get(v, "label");
        if (!json_is_string(path) || !json_is_string(label) ||
            !strings_from_json(json_object_get(v, "values"), prm->values) || prm->values->len == 0)
            return FALSE;
        prm->path = g_strdup(json_string_value(path));
        prm->label = g_strdup(json_string_value(label));
    }
    if (!strings_from_json(json_object_get(doc, "policies"), p->policies))
        return FALSE;
    json_array_foreach(json_object_get(doc, "seeds"), i, v) {
        if (!json_is_integer(v) || json_integer_value(v) < 0)
            return FALSE;
        guint64 seed = (guint64)json_integer_value(v);
        g_array_append_val(p->seeds, seed);
    }
    return p->seeds->len > 0;
}

CliSweepPlan *cli__sweep_plan_load(const char *dir, GError **error) {
    g_autofree char *path = g_build_filename(dir, "sweep-plan.json", NULL);
    json_error_t jerr;
    json_auto_t *doc = json_load_file(path, 0, &jerr);
    if (doc == NULL) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "%s: %s (not a sweep directory?)",
                    path, jerr.text);
        return NULL;
    }
    g_autoptr(CliSweepPlan) p = plan_new();
    if (!plan_from_json(p, doc)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: not a sweep plan", path);
        return NULL;
    }
    enumerate(p);
    p->out = g_canonicalize_filename(dir, NULL);
    return g_steal_pointer(&p);
}
