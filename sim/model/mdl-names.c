/* Thread names for trace lines (mdl__thread_name) and arrivals' names
 * (mdl__name_numbered), made only when a traced run needs them. Out of
 * mdl-workload.c, which is about when threads make accesses.
 */
#include "sim/model/mdl-private.h"

#include <string.h>

/* "<prefix><sep><n>" (newly allocated), as g_strdup_printf("%s%c%" G_GUINT64_FORMAT)
 * would make it: names are made for every thread of a traced run (a million
 * arrivals), where printf's parsing cost more than the rest of a spawn. */
char *mdl__name_numbered(const char *prefix, char sep, uint64_t n) {
    char digits[20];
    size_t k = 0, len = strlen(prefix);
    do {
        digits[k++] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    char *s = g_malloc(len + k + 2);
    memcpy(s, prefix, len);
    s[len] = sep;
    for (size_t i = 0; i < k; i++)
        s[len + 1 + i] = digits[k - 1 - i];
    s[len + 1 + k] = '\0';
    return s;
}

/* Names of closed threads, made when a line needs one: a small cache by
 * thread index, so that a run of a few threads (most lines name one) formats
 * each name once, and one spare buffer for names too long for a slot. */
#define NAME_SLOTS     64
#define NAME_SLOT_SIZE 32
struct _MdlNames {
    const MdlThread *who[NAME_SLOTS]; /* whose name each slot holds, or NULL */
    char text[NAME_SLOTS][NAME_SLOT_SIZE];
    GString *spare; /* a name that does not fit in a slot */
};

/* The decimal digits of @n, at the end of @digits; returns where they start. */
static char *format_index(char digits[16], guint n) {
    char *p = digits + 15;
    *p = '\0';
    do {
        *--p = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    return p;
}

const char *mdl__thread_name(const MdlThread *t) {
    MdlWorld *w = t->world;
    if (t->owned_by_sim) /* an arrival's or a trace replay's */
        return t->name;
    const ScnWorkload *wl = mdl__thread_wl(t);
    if (wl->kind != SCN_WORKLOAD_CLOSED) /* explicit: the scenario's name */
        return wl->thread_names[t->index];
    if (w->names == NULL)
        w->names = g_new0(MdlNames, 1);
    MdlNames *c = w->names;
    guint slot = t->index % NAME_SLOTS;
    if (c->who[slot] == t)
        return c->text[slot];
    char digits[16];
    const char *d = format_index(digits, t->index);
    size_t plen = strlen(wl->name), dlen = strlen(d);
    if (plen + dlen + 2 > NAME_SLOT_SIZE) { /* "<workload>/<index>" */
        if (c->spare == NULL)
            c->spare = g_string_new(NULL);
        g_string_printf(c->spare, "%s/%s", wl->name, d);
        return c->spare->str;
    }
    char *out = c->text[slot];
    memcpy(out, wl->name, plen);
    out[plen] = '/';
    memcpy(out + plen + 1, d, dlen + 1);
    c->who[slot] = t;
    return out;
}

void mdl__names_free(MdlWorld *w) {
    if (w->names != NULL && w->names->spare != NULL)
        g_string_free(w->names->spare, TRUE);
    g_clear_pointer(&w->names, g_free);
}
