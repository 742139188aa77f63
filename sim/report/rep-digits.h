/* rep-digits.h: decimal digits of an unsigned integer written straight into a
 * buffer, for the writers that format many numbers (timeline buckets, the
 * Perfetto converter) and need neither printf's cost nor a locale. Internal
 * to sim/report/. */
#pragma once

#include <stdint.h>

/* rep_put_u64: writes @v in decimal (no sign, no padding) at @p, which has
 * room for 20 bytes, and returns the byte after the last digit. */
static inline char *rep_put_u64(char *p, uint64_t v) {
    char tmp[20];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}
