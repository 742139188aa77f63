/* The progress line of `pagesim run`: on stderr, only when stderr is a terminal
 * and not with --quiet, and only once a run has taken about a second of wall
 * time. It shows simulated time (and how far that is towards the scenario's
 * stop), events per second, and an estimate of the wall time left when the
 * scenario has a stop time or an event budget. This is the only code of pagesim
 * that reads the wall clock besides the run's wall_s.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

typedef struct _CliProgress CliProgress;

#define CLI_PROGRESS_AFTER_S 1.0 /* nothing is shown before this much wall time */
#define CLI_PROGRESS_EVERY_S 0.2 /* redraw interval */

/* cli_progress_new: a display for a run that stops at simulated time @horizon
 * (UINT64_MAX: none) or after @budget events (0: none). It shows nothing unless
 * @enabled and stderr is a terminal. */
CliProgress *cli_progress_new(gboolean enabled, uint64_t horizon, uint64_t budget);

/* cli_progress_active: whether the display may show anything (the caller then
 * runs the model in slices). */
gboolean cli_progress_active(const CliProgress *p);

/* cli_progress_update: the run has reached simulated time @now after @events
 * events. Redraws at most every CLI_PROGRESS_EVERY_S. */
void cli_progress_update(CliProgress *p, uint64_t now, uint64_t events);

/* cli_progress_free: erases the line if one was drawn. Accepts NULL. */
void cli_progress_free(CliProgress *p);

/* cli_progress_format: (transfer full) the text of the line, without control
 * characters, for a run at @now after @events events and @wall_s seconds. */
char *cli_progress_format(uint64_t now, uint64_t events, double wall_s, uint64_t horizon,
                          uint64_t budget);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(CliProgress, cli_progress_free)
