/* Units of the scenario format: durations ("1.5ms"), sizes ("64MiB") and rates
 * ("1000/s"), parsed exactly and formatted back.
 *
 * Durations are uint64 nanoseconds, sizes uint64 bytes. A decimal fraction is
 * accepted ("1.5ms", "0.5KiB") only when the result is a whole number of
 * nanoseconds or bytes; no floating point is involved, so "1.5ms" is exactly
 * 1500000 ns. Negative values, exponents, overflow beyond 2^64 - 1 and unknown
 * units are rejected with a SCN_ERROR_VALUE whose message quotes the input (and
 * suggests a unit when the given one is close to a known one). These messages
 * carry no file or JSON path; the loader prefixes them.
 *
 * Duration units: ns, us (or µs), ms, s, min, h.
 * Size units: B; KiB, MiB, GiB, TiB, PiB, EiB (powers of 1024);
 *             kB or KB, MB, GB, TB, PB (powers of 1000).
 * Rate units: "<decimal>/<duration unit>", e.g. "2.5/ms" = 2500 per second.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#define SCN_PAGE_SIZE 4096u      /* the simulated page size in bytes */
#define SCN_NEVER     UINT64_MAX /* a duration that never arrives ("no horizon") */
#define SCN_NONE      G_MAXUINT  /* an index that refers to nothing */

#define SCN_NSEC ((uint64_t)1)
#define SCN_USEC ((uint64_t)1000)
#define SCN_MSEC ((uint64_t)1000000)
#define SCN_SEC  ((uint64_t)1000000000)

/* scn_parse_duration:
 * Parses @text ("80us", "1.5ms", "2 min") into @out_ns.
 * Returns TRUE on success; FALSE with SCN_ERROR_VALUE otherwise (@out_ns untouched). */
gboolean scn_parse_duration(const char *text, uint64_t *out_ns, GError **error);

/* scn_parse_size:
 * Parses @text ("4KiB", "64MiB", "1.5GB", "512B") into @out_bytes.
 * Returns TRUE on success; FALSE with SCN_ERROR_VALUE otherwise. */
gboolean scn_parse_size(const char *text, uint64_t *out_bytes, GError **error);

/* scn_parse_rate:
 * Parses @text ("1000/s", "2.5/ms") into events per second, a finite value > 0.
 * Returns TRUE on success; FALSE with SCN_ERROR_VALUE otherwise. */
gboolean scn_parse_rate(const char *text, double *out_per_s, GError **error);

/* scn_format_duration: (transfer full) @ns in the largest unit that shows it
 * exactly ("1.5ms", "80us", "2h", "17ns"); "never" for SCN_NEVER. The result
 * parses back to @ns. */
char *scn_format_duration(uint64_t ns);

/* scn_format_size: (transfer full) @bytes in the largest binary unit that divides
 * it exactly ("64MiB", "12KiB", "6000B"). The result parses back to @bytes. */
char *scn_format_size(uint64_t bytes);

/* scn_format_rate: (transfer full) @per_s as "<number>/s" with up to 6 significant
 * digits ("1000/s", "2500/s", "0.5/s"). */
char *scn_format_rate(double per_s);
