/* Axis ticks for the figures, computed in C so that every figure's labels are
 * readable whatever the range: a log axis over eight decades and a linear one
 * over 60-140 us both get a handful of labels that do not collide.
 *
 * A latency tick carries its own unit ("500 ns", "1.5 µs", "20 ms"), so one
 * figure can span nanoseconds to seconds without a single unit forcing
 * "0.001" or "20000".
 */
#pragma once

#include <glib.h>

#define REP_TICK_CHAR_PX 7.0  /* width of a label character at the figures' 11 pt font */
#define REP_TICK_GAP_PX  10.0 /* least space between two labels */
#define REP_TICK_LINE_PX 14.0 /* height of a label (what a vertical axis needs) */

typedef struct {
    double value;   /* position, in the axis' display unit */
    char label[32]; /* its text */
} RepTick;

/* rep_plot_ticks: (transfer full) the ticks of an axis from @lo to @hi (display
 * units, lo < hi; lo > 0 for @log) drawn @length_px long: the densest 1-2-5 style
 * set whose labels keep REP_TICK_GAP_PX apart, at most 12. A label takes its
 * width on a horizontal axis, REP_TICK_LINE_PX on a @vertical one.
 * @ns_per_unit > 0 makes the labels latencies with their own unit; 0 gives
 * plain numbers (with k, M or G from 10,000 on: "20k", "5M"). Falls back to the two ends when
 * nothing else fits. */
GArray *rep_plot_ticks(double lo, double hi, gboolean log, double ns_per_unit, double length_px,
                       gboolean vertical);

/* rep_plot_ticks_gnuplot: (transfer full) @ticks as a gnuplot tic list,
 * ("LABEL" VALUE, ...), labels quoted for gnuplot. */
char *rep_plot_ticks_gnuplot(const GArray *ticks);

/* rep_plot_tick_label_px: the width (px) a label takes, as the overlap rule
 * counts it (one character per UTF-8 code point). */
double rep_plot_tick_label_px(const char *label);

/* rep_plot_format_ns: a duration as a short label with its unit: "500 ns",
 * "1.5 µs", "20 ms", "2 s" (3 significant digits at most). */
void rep_plot_format_ns(double ns, char *buf, gsize size);
