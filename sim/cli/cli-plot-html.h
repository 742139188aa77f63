/* Pieces of report.html shared by cli-plot-html.c (the pages) and
 * cli-plot-html-tables.c (the tables read from summary.json and sweep.json). */
#pragma once

#include <glib.h>
#include <jansson.h>

/* cli__html_esc: appends @text to @s, escaped for HTML. */
void cli__html_esc(GString *s, const char *text);

/* cli__html_json: appends a JSON value as HTML (objects as two-column tables,
 * arrays of objects as tables with a column per key, scalars as text). */
void cli__html_json(GString *s, json_t *v);

/* cli__html_split_tables: the "By final status" and "By workload" tables of a
 * run's summary.json (accesses, faults, fault latency percentiles). */
void cli__html_split_tables(GString *s, json_t *summary);

/* cli__html_sweep: the table of a sweep.json (a row per metric, a column per
 * point: mean +- 95% interval) and its missing runs. */
void cli__html_sweep(GString *s, json_t *doc);
