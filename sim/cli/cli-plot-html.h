/* Pieces of report.html shared by cli-plot-html.c (the pages) and
 * cli-plot-html-tables.c (the tables read from summary.json and sweep.json). */
#pragma once

#include <glib.h>

/* cli__html_esc: appends @text to @s, escaped for HTML. */
void cli__html_esc(GString *s, const char *text);

/* cli__html_split_tables: the "By final status" and "By workload" tables of the
 * run's summary.json at @summary_path (accesses, faults, fault latency
 * percentiles); nothing when it cannot be read. */
void cli__html_split_tables(GString *s, const char *summary_path);

/* cli__html_sweep: the table of the sweep.json at @sweep_path (a row per metric,
 * a column per point: mean +- 95% interval) and its missing runs. */
void cli__html_sweep(GString *s, const char *sweep_path);
