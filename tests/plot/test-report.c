/* report.html in a real browser: headless Chromium ($PAGESIM_CHROMIUM, else
 * chromium on PATH; scripts/setup installs Debian's chromium) opens the report
 * of a run and of a comparison; the test fails on any console message (the page
 * itself logs a resource that fails to load) and on a blank screenshot. Three
 * controls prove the checks can fail: the report with a missing image, with a
 * console error, and an empty page. The page must also load nothing: no src,
 * no href but to its own fragments. */
#include <glib/gstdio.h>
#include <string.h>
#include <zlib.h>

#include "plot-test-util.h"

static guint32 be32(const guchar *p) {
    return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

/* The share of pixels of the PNG at @path that are not near-white, from its
 * decoded 8-bit RGB or RGBA pixels (non-interlaced, as Chromium writes). */
static double ink(const char *path) {
    g_autofree guchar *d = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(path, (char **)&d, &len, NULL));
    g_assert_cmpint(memcmp(d + 12, "IHDR", 4), ==, 0);
    guint32 w = be32(d + 16), h = be32(d + 20);
    g_assert_cmpuint(d[24], ==, 8); /* bit depth */
    guint bpp = d[25] == 6 ? 4 : 3;
    g_assert_true(d[25] == 6 || d[25] == 2);
    g_autoptr(GByteArray) z = g_byte_array_new();
    for (gsize p = 8; p + 8 <= len;) {
        guint32 n = be32(d + p);
        if (memcmp(d + p + 4, "IDAT", 4) == 0)
            g_byte_array_append(z, d + p + 8, n);
        p += 12 + n;
    }
    gsize stride = 1 + (gsize)w * bpp;
    uLongf raw_len = (uLongf)(stride * h);
    g_autofree guchar *raw = g_malloc(raw_len);
    g_assert_cmpint(uncompress(raw, &raw_len, z->data, z->len), ==, Z_OK);
    g_assert_cmpuint(raw_len, ==, stride * h);
    guint64 dark = 0;
    for (guint32 y = 0; y < h; y++) {
        guchar *row = raw + y * stride + 1, *up = y ? raw + (y - 1) * stride + 1 : NULL;
        for (gsize x = 0; x < (gsize)w * bpp; x++) {
            int a = x >= bpp ? row[x - bpp] : 0, b = up ? up[x] : 0;
            int c = x >= bpp && up ? up[x - bpp] : 0;
            switch (raw[y * stride]) {
                case 1:
                    row[x] = (guchar)(row[x] + a);
                    break;
                case 2:
                    row[x] = (guchar)(row[x] + b);
                    break;
                case 3:
                    row[x] = (guchar)(row[x] + (a + b) / 2);
                    break;
                case 4: {
                    int p = a + b - c, pa = ABS(p - a), pb = ABS(p - b), pc = ABS(p - c);
                    row[x] = (guchar)(row[x] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c));
                    break;
                }
                default:
                    break;
            }
        }
        for (guint32 x = 0; x < w; x++)
            if (row[x * bpp] < 200 || row[x * bpp + 1] < 200 || row[x * bpp + 2] < 200)
                dark++;
    }
    return (double)dark / ((double)w * h);
}

typedef struct {
    char *console; /* the console lines Chromium logged, joined */
    double ink;    /* the screenshot's non-white share */
} Seen;

/* Opens @html in headless Chromium; returns what it logged and showed. */
static Seen browse(const char *html) {
    const char *env = g_getenv("PAGESIM_CHROMIUM");
    g_autofree char *chromium = env ? g_strdup(env) : g_find_program_in_path("chromium");
    g_assert_nonnull(chromium); /* scripts/setup installs the Debian package chromium */
    g_autofree char *profile = g_dir_make_tmp("report-profile-XXXXXX", NULL);
    g_autofree char *shot = g_build_filename(profile, "shot.png", NULL);
    g_autofree char *udd = g_strdup_printf("--user-data-dir=%s", profile);
    g_autofree char *shot_arg = g_strdup_printf("--screenshot=%s", shot);
    g_autofree char *url = g_filename_to_uri(html, NULL, NULL);
    const char *argv[] = {"timeout",
                          "120",
                          chromium,
                          "--headless",
                          "--no-sandbox",
                          "--disable-gpu",
                          "--disable-quic",
                          "--no-first-run",
                          "--disable-background-networking",
                          "--disable-component-update",
                          "--disable-sync",
                          udd,
                          "--enable-logging=stderr",
                          "--v=0",
                          "--window-size=1200,1600",
                          "--hide-scrollbars",
                          shot_arg,
                          url,
                          NULL};
    g_autofree char *out = NULL, *err = NULL;
    int status = 0;
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               &err, &status, NULL));
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    GString *console = g_string_new(NULL);
    g_auto(GStrv) lines = g_strsplit(err, "\n", -1);
    for (guint i = 0; lines[i]; i++)
        if (strstr(lines[i], ":CONSOLE"))
            g_string_append_printf(console, "%s\n", lines[i]);
    Seen s = {g_string_free(console, FALSE), ink(shot)};
    pt_rmtree(profile);
    return s;
}

static void check_self_contained(const char *text) {
    for (const char *p = text; (p = strstr(p, "href=\"")) != NULL; p++)
        g_assert_cmpint(p[6], ==, '#');
    g_assert_null(strstr(text, " src="));
    g_assert_null(strstr(text, "url("));
}

static char *variant(const char *dir, const char *text, const char *name, const char *extra) {
    g_autofree char *body = g_strndup(text, (gsize)(strstr(text, "</body>") - text));
    g_autofree char *page = g_strdup_printf("%s%s</body></html>\n", body, extra);
    char *path = g_build_filename(dir, name, NULL);
    g_assert_true(g_file_set_contents(path, page, -1, NULL));
    return path;
}

/* Plots @dir and returns its report.html's text, checked to be self-contained;
 * @html gets the report's path. */
static char *plot_report(const char *dir, char **html) {
    const char *plot[] = {"plot", dir, NULL};
    g_auto(PtRun) p = pt_run(plot, NULL);
    g_assert_cmpint(p.status, ==, 0);
    *html = g_build_filename(dir, "report.html", NULL);
    char *text = NULL;
    g_assert_true(g_file_get_contents(*html, &text, NULL, NULL));
    check_self_contained(text);
    return text;
}

/* Opens @html in the browser: no console message, and something drawn. */
static void browse_clean(const char *html) {
    Seen s = browse(html);
    g_assert_cmpstr(s.console, ==, "");
    g_assert_cmpfloat(s.ink, >, 0.02);
    g_free(s.console);
}

static void test_run_report(void) {
    g_autofree char *sc = pt_scenario("default");
    g_autofree char *dir = g_dir_make_tmp("report-XXXXXX", NULL);
    const char *run[] = {"run", sc, "--out", dir, "--quiet", "--set", "stop.time=20ms", NULL};
    g_auto(PtRun) r = pt_run(run, NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_autofree char *html = NULL;
    g_autofree char *text = plot_report(dir, &html);
    guint svgs = 0;
    for (const char *q = text; (q = strstr(q, "<svg")) != NULL; q++)
        svgs++;
    g_assert_cmpuint(svgs, ==, 5);
    g_assert_nonnull(strstr(text, "<td class=\"k\">latency_ns</td>"));
    /* The split tables: default has one status and one workload. */
    g_assert_nonnull(strstr(text, "<h2>By final status</h2>"));
    g_assert_nonnull(strstr(text, "<tr><td class=\"k\">ZX_OK</td>"));
    g_assert_nonnull(strstr(text, "<h2>By workload</h2>"));
    browse_clean(html);
    /* Controls: each of these must be caught. */
    g_autofree char *missing = variant(dir, text, "missing.html", "<img src=\"nothere.png\">");
    Seen a = browse(missing);
    g_assert_nonnull(strstr(a.console, "resource failed to load"));
    g_autofree char *err = variant(dir, text, "error.html", "<script>console.error('x')</script>");
    Seen b = browse(err);
    g_assert_nonnull(strstr(b.console, "\"x\""));
    g_autofree char *blank = g_build_filename(dir, "blank.html", NULL);
    g_assert_true(
        g_file_set_contents(blank, "<!DOCTYPE html><html><body></body></html>", -1, NULL));
    Seen c = browse(blank);
    g_assert_cmpfloat(c.ink, ==, 0.0);
    g_free(a.console);
    g_free(b.console);
    g_free(c.console);
    pt_rmtree(dir);
}

static void test_compare_report(void) {
    g_autofree char *sc = pt_scenario("default");
    g_autofree char *dir = g_dir_make_tmp("report-XXXXXX", NULL);
    const char *cmp[] = {"compare", sc,         "--out",          dir,
                         "--quiet", "--set",    "stop.time=20ms", "--policy",
                         "fuchsia", "--policy", "readahead:8",    NULL};
    g_auto(PtRun) r = pt_run(cmp, NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_autofree char *html = NULL;
    g_autofree char *text = plot_report(dir, &html);
    g_assert_nonnull(strstr(text, "<td>readahead:8</td>"));
    browse_clean(html);
    pt_rmtree(dir);
}

/* A sweep directory: sweep.json's table (a column per point, mean +- 95%
 * interval) and the sweep figures inline. */
static void test_sweep_report(void) {
    g_autofree char *sc = pt_scenario("default");
    g_autofree char *dir = g_dir_make_tmp("report-XXXXXX", NULL);
    const char *sweep[] = {"sweep",  sc,  "--out",  dir, "--quiet", "--set", "stop.time=5ms,10ms",
                           "--runs", "2", "--jobs", "1", NULL};
    g_auto(PtRun) r = pt_run(sweep, NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_autofree char *html = NULL;
    g_autofree char *text = plot_report(dir, &html);
    g_assert_nonnull(strstr(text, "<th>time=5ms<br>2 runs</th><th>time=10ms<br>2 runs</th>"));
    g_assert_nonnull(strstr(text, "<tr><td class=\"k\">faults</td><td>"));
    g_assert_nonnull(strstr(text, "&plusmn;"));
    g_assert_nonnull(strstr(text, "<h2>sweep-cdf</h2>"));
    guint svgs = 0;
    for (const char *q = text; (q = strstr(q, "<svg")) != NULL; q++)
        svgs++;
    g_assert_cmpuint(svgs, >=, 2);
    browse_clean(html);
    pt_rmtree(dir);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/report/browser/run", test_run_report);
    g_test_add_func("/report/browser/compare", test_compare_report);
    g_test_add_func("/report/browser/sweep", test_sweep_report);
    return g_test_run();
}
