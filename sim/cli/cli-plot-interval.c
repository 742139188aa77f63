/* `pagesim plot --interval DURATION`: draws a run's timeline at a coarser
 * interval than the one it was recorded at (see cli-plot.h).
 *
 * The recorded intervals are merged, never split: the new interval must be a
 * whole multiple of the recorded one, so every new interval is exactly the sum
 * of recorded ones and no value is interpolated.
 */
#include "sim/cli/cli-plot.h"
#include "sim/scenario/scn-units.h"

gboolean cli__plot_rebin(CliRunResults *r, const char *text, GError **error) {
    uint64_t want = 0;
    g_autoptr(GError) sub = NULL;
    if (!scn_parse_duration(text, &want, &sub)) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--interval: %s",
                    sub->message);
        return FALSE;
    }
    if (want == 0) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--interval: \"%s\" must be longer than 0", text);
        return FALSE;
    }
    if (r->timeline == NULL) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--interval: %s has no timeline (timeline.tsv or events.jsonl) to re-bin",
                    r->dir);
        return FALSE;
    }
    uint64_t length = r->trace_end - r->trace_start;
    uint64_t have = rep_timeline_interval(r->timeline);
    g_autofree char *len_text = scn_format_duration(length);
    g_autofree char *have_text = scn_format_duration(have);
    if (want > length) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--interval: \"%s\" is longer than the run's timeline (%s of simulated time)",
                    text, len_text);
        return FALSE;
    }
    if (want % have != 0) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--interval: \"%s\" is not a multiple of the interval the timeline was "
                    "recorded at (%s); use a multiple of it, or rerun with 'pagesim run "
                    "--interval'",
                    text, have_text);
        return FALSE;
    }
    if (want / have > G_MAXUINT) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--interval: \"%s\" is too long", text);
        return FALSE;
    }
    rep_timeline_rebin(r->timeline, (guint)(want / have));
    return TRUE;
}
