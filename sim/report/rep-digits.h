/* rep-digits.h: decimal digits of an unsigned integer written straight into a
 * buffer, for the writers that format many numbers (timeline buckets, the
 * Perfetto converter) and need neither printf's cost nor a locale. Internal
 * to sim/report/. */
#pragma once

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* rep_digits_count: how many decimal digits @v has (1 for 0). The short
 * numbers most lines hold are told apart by comparisons alone. */
static inline int rep_digits_count(uint64_t v) {
    if (v < 100)
        return v < 10 ? 1 : 2;
    if (v < 10000)
        return v < 1000 ? 3 : 4;
    int n = 5;
    for (uint64_t lim = 100000; n < 20 && v >= lim; lim *= 10)
        n++;
    return n;
}

/* The two-digit strings "00" to "99", back to back. */
static const char rep__digit_pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

/* rep_put_room: where to write next in @buf (@size bytes) so that @need
 * bytes fit: @p, or @buf once what @p ends has gone to @out. For output
 * built a line at a time in a buffer. */
static inline char *rep_put_room(char *buf, size_t size, char *p, size_t need, FILE *out) {
    if ((size_t)(p - buf) <= size - need)
        return p;
    fwrite(buf, 1, (size_t)(p - buf), out);
    return buf;
}

/* rep_put_u64: writes @v in decimal (no sign, no padding) at @p, which has
 * room for 20 bytes, and returns the byte after the last digit. Below 10^4
 * (a timeline's bucket lines: indices and counts) by comparisons and at most
 * one division by 100; beyond, two digits per division, from the end, once
 * the length is known. */
static inline char *rep_put_u64(char *p, uint64_t v) {
    const char *pairs = rep__digit_pairs;
    if (v < 100) {
        if (v < 10) {
            *p = (char)('0' + v);
            return p + 1;
        }
        memcpy(p, &pairs[2 * v], 2);
        return p + 2;
    }
    if (v < 10000) {
        uint32_t hi = (uint32_t)v / 100, lo = (uint32_t)v % 100;
        if (hi < 10) {
            *p = (char)('0' + hi);
            memcpy(p + 1, &pairs[2 * lo], 2);
            return p + 3;
        }
        memcpy(p, &pairs[2 * hi], 2);
        memcpy(p + 2, &pairs[2 * lo], 2);
        return p + 4;
    }
    char *end = p + rep_digits_count(v), *q = end;
    while (v >= 100) {
        q -= 2;
        memcpy(q, &pairs[2 * (v % 100)], 2);
        v /= 100;
    }
    if (v >= 10)
        memcpy(q - 2, &pairs[2 * v], 2);
    else
        q[-1] = (char)('0' + v);
    return end;
}

/* rep_put_g17: writes @x at @p as printf's "%.17g" does, at most 24 bytes, and
 * returns the byte after the last. A whole number from 0 to below 10^17 (a
 * timeline's figures mostly) is its integer's digits there (its exponent is
 * below the precision, and nothing follows the point); others go to snprintf. */
static inline char *rep_put_g17(char *p, double x) {
    if (x >= 0 && x < 1e17 && !signbit(x) && x == (double)(uint64_t)x)
        return rep_put_u64(p, (uint64_t)x);
    return p + snprintf(p, 32, "%.17g", x);
}
