/* Progress line of `pagesim run` (see cli-progress.h).
 *
 * Invariants:
 *  1. nothing is written unless active (enabled and stderr is a terminal);
 *  2. drawn is TRUE exactly when a line is on the terminal, so the final erase
 *     touches the terminal only if something was shown.
 */
#include "sim/cli/cli-progress.h"

#include <stdio.h>
#include <unistd.h>

struct _CliProgress {
    gboolean active;  /* enabled and stderr is a terminal */
    gboolean drawn;   /* a line is shown */
    gint64 start_us;  /* wall clock at creation */
    gint64 drawn_us;  /* wall clock of the last draw */
    uint64_t horizon; /* stop time; UINT64_MAX none */
    uint64_t budget;  /* event budget; 0 none */
};

CliProgress *cli_progress_new(gboolean enabled, uint64_t horizon, uint64_t budget) {
    CliProgress *p = g_new0(CliProgress, 1);
    p->active = enabled && isatty(fileno(stderr));
    p->start_us = g_get_monotonic_time();
    p->horizon = horizon;
    p->budget = budget;
    return p;
}

gboolean cli_progress_active(const CliProgress *p) { return p->active; }

/* Simulated time with four significant digits in a readable unit. */
static char *format_time(uint64_t ns) {
    static const struct {
        double ns;
        const char *unit;
    } units[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "us"}, {1, "ns"}};
    for (size_t i = 0; i < G_N_ELEMENTS(units); i++)
        if ((double)ns >= units[i].ns || i + 1 == G_N_ELEMENTS(units))
            return g_strdup_printf("%.4g %s", (double)ns / units[i].ns, units[i].unit);
    return NULL;
}

/* The wall time left, judged from the fraction done so far; < 0 when unknown. */
static double time_left(uint64_t now, uint64_t events, double wall_s, uint64_t horizon,
                        uint64_t budget) {
    double frac = 0.0;
    if (horizon != UINT64_MAX && horizon > 0)
        frac = MAX(frac, (double)now / (double)horizon);
    if (budget > 0)
        frac = MAX(frac, (double)events / (double)budget);
    if (frac <= 0.0 || wall_s <= 0.0)
        return -1.0;
    return wall_s * (1.0 - MIN(frac, 1.0)) / frac;
}

char *cli_progress_format(uint64_t now, uint64_t events, double wall_s, uint64_t horizon,
                          uint64_t budget) {
    g_autofree char *at = format_time(now);
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "pagesim: simulated %s", at);
    if (horizon != UINT64_MAX && horizon > 0) {
        g_autofree char *of = format_time(horizon);
        g_string_append_printf(s, " of %s (%.0f%%)", of,
                               100.0 * MIN(1.0, (double)now / (double)horizon));
    }
    double rate = wall_s > 0 ? (double)events / wall_s : 0.0;
    g_string_append_printf(s, ", %.2f M events/s", rate / 1e6);
    double left = time_left(now, events, wall_s, horizon, budget);
    if (left >= 0.0 && left < 1.5)
        g_string_append(s, ", about 1 s left");
    else if (left >= 0.0 && left < 120.0)
        g_string_append_printf(s, ", about %.0f s left", left);
    else if (left >= 0.0)
        g_string_append_printf(s, ", about %.0f min left", left / 60.0);
    return g_string_free(s, FALSE);
}

void cli_progress_update(CliProgress *p, uint64_t now, uint64_t events) {
    if (!p->active)
        return;
    gint64 t = g_get_monotonic_time();
    double wall_s = (double)(t - p->start_us) / 1e6;
    if (wall_s < CLI_PROGRESS_AFTER_S ||
        (p->drawn && (double)(t - p->drawn_us) / 1e6 < CLI_PROGRESS_EVERY_S))
        return;
    g_autofree char *line = cli_progress_format(now, events, wall_s, p->horizon, p->budget);
    fprintf(stderr, "\r%s\033[K", line);
    fflush(stderr);
    p->drawn = TRUE;
    p->drawn_us = t;
}

void cli_progress_free(CliProgress *p) {
    if (p == NULL)
        return;
    if (p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    g_free(p);
}
