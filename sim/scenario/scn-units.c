/* Exact parsing and formatting of durations, sizes and rates.
 *
 * A quantity is "<digits>[.<digits>][spaces]<unit>". The integer part and the
 * fraction are read as integers (the fraction with its trailing zeros dropped, at
 * most 18 digits), and the value is int * unit + frac * unit / 10^k, computed in
 * 64-bit integers after dividing unit and 10^k by their gcd. So the result is
 * exact or rejected, never rounded.
 *
 * Invariants:
 * 1. A successful parse stores a value that formats back (scn_format_*) to a
 *    string that parses to the same value.
 * 2. On failure nothing is stored and the error is SCN_ERROR_VALUE.
 */
#include "sim/scenario/scn-units.h"

#include "sim/scenario/scn-error.h"
#include "sim/scenario/scn-private.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#define MAX_FRAC_DIGITS 18

typedef struct {
    const char *name; /* spelling in the file */
    uint64_t mult;    /* nanoseconds or bytes per unit */
} Unit;

typedef struct {
    const char *what;           /* "duration" or "size" */
    const Unit *units;          /* NULL-terminated table */
    const char *unit_list;      /* for "use ..." hints */
    const char *finest;         /* what a fraction must resolve to */
    const char *base;           /* the unit of the result: "ns" or "bytes" */
    const char *const *suggest; /* unit names offered as suggestions */
} Quantity;

typedef struct {
    uint64_t ipart;    /* digits before the point */
    uint64_t frac;     /* digits after the point, trailing zeros dropped */
    guint frac_digits; /* number of digits kept in @frac */
    const char *unit;  /* the unit text, after any spaces */
} Decimal;

static const Unit duration_units[] = {
    {"ns", 1},
    {"us", 1000},
    {"\xc2\xb5s", 1000}, /* µs */
    {"ms", 1000000},
    {"s", 1000000000},
    {"min", UINT64_C(60000000000)},
    {"h", UINT64_C(3600000000000)},
    {NULL, 0},
};

static const char *const duration_names[] = {"ns", "us", "ms", "s", "min", "h", NULL};

static const Unit size_units[] = {
    {"B", 1},
    {"KiB", UINT64_C(1) << 10},
    {"MiB", UINT64_C(1) << 20},
    {"GiB", UINT64_C(1) << 30},
    {"TiB", UINT64_C(1) << 40},
    {"PiB", UINT64_C(1) << 50},
    {"EiB", UINT64_C(1) << 60},
    {"kB", UINT64_C(1000)},
    {"KB", UINT64_C(1000)},
    {"MB", UINT64_C(1000000)},
    {"GB", UINT64_C(1000000000)},
    {"TB", UINT64_C(1000000000000)},
    {"PB", UINT64_C(1000000000000000)},
    {NULL, 0},
};

static const char *const size_names[] = {"B",  "KiB", "MiB", "GiB", "TiB", "PiB", "EiB",
                                         "kB", "MB",  "GB",  "TB",  "PB",  NULL};

static const Quantity duration_q = {
    "duration", duration_units, "ns, us, ms, s, min or h", "a whole number of nanoseconds",
    "ns",       duration_names};
static const Quantity size_q = {
    "size",  size_units, "B, KiB, MiB, GiB, TiB, kB, MB, GB or TB", "a whole number of bytes",
    "bytes", size_names};

/* Sets a SCN_ERROR_VALUE from @fmt and returns FALSE, so checks read as one line. */
G_GNUC_PRINTF(2, 3) static gboolean value_error(GError **error, const char *fmt, ...) {
    va_list ap;

    va_start(ap, fmt);
    g_propagate_error(error, g_error_new_valist(SCN_ERROR, SCN_ERROR_VALUE, fmt, ap));
    va_end(ap);
    return FALSE;
}

/* Euclid; used to reduce unit / 10^k before multiplying, so that the exact
 * product fits in 64 bits whenever the result does. */
static uint64_t gcd64(uint64_t a, uint64_t b) {
    while (b != 0) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* Reads the digits of @text into @d. Only syntax is checked here; the unit is
 * left for the caller. */
static gboolean parse_decimal(const char *text, const Quantity *q, Decimal *d, GError **error) {
    const char *p = text;
    guint frac_len = 0;

    memset(d, 0, sizeof *d);
    if (*p == '-' && g_ascii_isdigit(p[1]))
        return value_error(error, "negative %s \"%s\" is not allowed", q->what, text);
    if (!g_ascii_isdigit(*p))
        return value_error(error, "malformed %s \"%s\" (expected a number and a unit: %s)", q->what,
                           text, q->unit_list);
    for (; g_ascii_isdigit(*p); p++) {
        if (!g_uint64_checked_mul(&d->ipart, d->ipart, 10) ||
            !g_uint64_checked_add(&d->ipart, d->ipart, (uint64_t)(*p - '0')))
            return value_error(error, "%s \"%s\" is too large (the limit is 2^64 - 1 %s)", q->what,
                               text, q->base);
    }
    if (*p == '.') {
        const char *f = ++p;
        if (!g_ascii_isdigit(*f))
            return value_error(error, "malformed %s \"%s\" (a digit must follow the point)",
                               q->what, text);
        while (g_ascii_isdigit(*p))
            p++;
        frac_len = (guint)(p - f);
        while (frac_len > 0 && f[frac_len - 1] == '0')
            frac_len--;
        if (frac_len > MAX_FRAC_DIGITS)
            return value_error(error, "%s \"%s\" has more than %d decimals", q->what, text,
                               MAX_FRAC_DIGITS);
        for (guint i = 0; i < frac_len; i++)
            d->frac = d->frac * 10 + (uint64_t)(f[i] - '0');
        d->frac_digits = frac_len;
    }
    while (*p == ' ')
        p++;
    d->unit = p;
    return TRUE;
}

/* Looks up @d->unit in @q and reports a missing or unknown unit. */
static const Unit *find_unit(const char *text, const Decimal *d, const Quantity *q,
                             GError **error) {
    const char *hint;

    for (const Unit *u = q->units; u->name != NULL; u++) {
        if (strcmp(u->name, d->unit) == 0)
            return u;
    }
    if (*d->unit == '\0') {
        value_error(error, "%s \"%s\" has no unit (use %s)", q->what, text, q->unit_list);
        return NULL;
    }
    if (q == &duration_q && strcmp(d->unit, "m") == 0) {
        value_error(error, "ambiguous unit \"m\" in \"%s\" (use \"ms\" or \"min\")", text);
        return NULL;
    }
    if (q == &size_q && d->unit[1] == '\0' && strchr("kKmMgGtTpP", d->unit[0]) != NULL) {
        value_error(error,
                    "unknown size unit \"%s\" in \"%s\" (did you mean \"%ciB\" or "
                    "\"%cB\"?)",
                    d->unit, text, g_ascii_toupper(d->unit[0]), g_ascii_toupper(d->unit[0]));
        return NULL;
    }
    hint = scn__suggest(d->unit, q->suggest);
    if (hint != NULL)
        value_error(error, "unknown %s unit \"%s\" in \"%s\" (did you mean \"%s\"?)", q->what,
                    d->unit, text, hint);
    else
        value_error(error, "unknown %s unit \"%s\" in \"%s\" (use %s)", q->what, d->unit, text,
                    q->unit_list);
    return NULL;
}

/* Parses a whole quantity of kind @q exactly. */
static gboolean parse_quantity(const char *text, const Quantity *q, uint64_t *out, GError **error) {
    Decimal d;
    const Unit *u;
    uint64_t pow10 = 1, g, value, part;

    if (*text == '\0')
        return value_error(error, "empty %s (expected a number and a unit: %s)", q->what,
                           q->unit_list);
    if (!parse_decimal(text, q, &d, error))
        return FALSE;
    u = find_unit(text, &d, q, error);
    if (u == NULL)
        return FALSE;
    for (guint i = 0; i < d.frac_digits; i++)
        pow10 *= 10;
    g = gcd64(u->mult, pow10);
    if (d.frac % (pow10 / g) != 0)
        return value_error(error, "%s \"%s\" is not %s", q->what, text, q->finest);
    part = (d.frac / (pow10 / g));
    if (!g_uint64_checked_mul(&value, d.ipart, u->mult) ||
        !g_uint64_checked_mul(&part, part, u->mult / g) ||
        !g_uint64_checked_add(&value, value, part))
        return value_error(error, "%s \"%s\" is too large (the limit is 2^64 - 1 %s)", q->what,
                           text, q->base);
    *out = value;
    return TRUE;
}

/* The public parsers only pick the quantity; all the work is shared. */
gboolean scn_parse_duration(const char *text, uint64_t *out_ns, GError **error) {
    g_return_val_if_fail(text != NULL && out_ns != NULL, FALSE);
    g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
    return parse_quantity(text, &duration_q, out_ns, error);
}

gboolean scn_parse_size(const char *text, uint64_t *out_bytes, GError **error) {
    g_return_val_if_fail(text != NULL && out_bytes != NULL, FALSE);
    g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
    return parse_quantity(text, &size_q, out_bytes, error);
}

/* A rate is "<decimal>/<unit>": the number is parsed like a quantity without
 * a unit and the unit like the duration "1<unit>". Rates are doubles: they
 * parameterise random draws, where exactness buys nothing. */
gboolean scn_parse_rate(const char *text, double *out_per_s, GError **error) {
    g_autofree char *number = NULL;
    g_autofree char *unit = NULL;
    const char *slash;
    Decimal d;
    uint64_t per_ns = 0;
    double value;

    g_return_val_if_fail(text != NULL && out_per_s != NULL, FALSE);
    slash = strchr(text, '/');
    if (slash == NULL)
        return value_error(error,
                           "malformed rate \"%s\" (expected a number per time unit, e.g. "
                           "\"1000/s\")",
                           text);
    number = g_strndup(text, (gsize)(slash - text));
    unit = g_strconcat("1", slash + 1, NULL);
    if (!parse_decimal(number, &duration_q, &d, error) || *d.unit != '\0' ||
        !parse_quantity(unit, &duration_q, &per_ns, NULL)) {
        g_clear_error(error);
        return value_error(error,
                           "malformed rate \"%s\" (expected a number per time unit, e.g. "
                           "\"1000/s\" or \"2.5/ms\")",
                           text);
    }
    value = ((double)d.ipart + (double)d.frac / pow(10.0, d.frac_digits)) * 1e9 / (double)per_ns;
    if (!(value > 0.0) || !isfinite(value))
        return value_error(error, "rate \"%s\" must be above zero", text);
    *out_per_s = value;
    return TRUE;
}

/* Prints @v / @unit with the fraction's trailing zeros removed; @unit is a power
 * of ten, so the decimal is exact. */
static char *format_decimal(uint64_t v, uint64_t unit, guint digits, const char *name) {
    uint64_t frac = v % unit;
    char buf[32];
    gsize n;

    if (frac == 0)
        return g_strdup_printf("%" G_GUINT64_FORMAT "%s", v / unit, name);
    g_snprintf(buf, sizeof buf, "%0*" G_GUINT64_FORMAT, (int)digits, frac);
    for (n = strlen(buf); n > 0 && buf[n - 1] == '0'; n--)
        buf[n - 1] = '\0';
    return g_strdup_printf("%" G_GUINT64_FORMAT ".%s%s", v / unit, buf, name);
}

/* Minutes and hours are used only when exact, so "90s" stays "90s"; below a
 * second the largest decimal unit that is not above the value is used. */
char *scn_format_duration(uint64_t ns) {
    if (ns == SCN_NEVER)
        return g_strdup("never");
    if (ns != 0 && ns % UINT64_C(3600000000000) == 0)
        return g_strdup_printf("%" G_GUINT64_FORMAT "h", ns / UINT64_C(3600000000000));
    if (ns != 0 && ns % UINT64_C(60000000000) == 0)
        return g_strdup_printf("%" G_GUINT64_FORMAT "min", ns / UINT64_C(60000000000));
    if (ns >= SCN_SEC)
        return format_decimal(ns, SCN_SEC, 9, "s");
    if (ns >= SCN_MSEC)
        return format_decimal(ns, SCN_MSEC, 6, "ms");
    if (ns >= SCN_USEC)
        return format_decimal(ns, SCN_USEC, 3, "us");
    return g_strdup_printf("%" G_GUINT64_FORMAT "ns", ns);
}

/* Sizes use only binary units and only exact ones: 6000 bytes stay "6000B". */
char *scn_format_size(uint64_t bytes) {
    static const char *const names[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    guint i = 0;

    while (i + 1 < G_N_ELEMENTS(names) && bytes != 0 && bytes % 1024 == 0) {
        bytes /= 1024;
        i++;
    }
    return g_strdup_printf("%" G_GUINT64_FORMAT "%s", bytes, names[i]);
}

/* Rates are doubles, so this is the one formatter that rounds. */
char *scn_format_rate(double per_s) {
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    g_ascii_formatd(buf, sizeof buf, "%.6g", per_s);
    return g_strdup_printf("%s/s", buf);
}
