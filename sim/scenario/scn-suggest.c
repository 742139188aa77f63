/* "Did you mean" suggestions for unknown keys, enumerated values and units.
 *
 * The distance is the optimal-string-alignment edit distance (insert, delete,
 * substitute, swap two adjacent characters), computed on ASCII-lowercased words so
 * that "Workers" and "KIB" find "workers" and "KiB". A candidate is close when its
 * distance is 0 for one-character candidates (so "x" does not suggest "s"), at
 * most 1 for candidates of up to 4 characters and at most 2 otherwise; the first
 * closest candidate in table order wins, so suggestions are stable.
 */
#include "sim/scenario/scn-private.h"

#include <string.h>

#define MAX_WORD 64 /* longer words are never suggested for */

/* Returns the OSA distance between @a and @b, both at most MAX_WORD long. */
static guint osa_distance(const char *a, const char *b) {
    guint d[MAX_WORD + 1][MAX_WORD + 1];
    gsize n = strlen(a), m = strlen(b);

    for (gsize i = 0; i <= n; i++)
        d[i][0] = (guint)i;
    for (gsize j = 0; j <= m; j++)
        d[0][j] = (guint)j;
    for (gsize i = 1; i <= n; i++) {
        for (gsize j = 1; j <= m; j++) {
            guint cost = g_ascii_tolower(a[i - 1]) == g_ascii_tolower(b[j - 1]) ? 0 : 1;
            guint best = MIN(d[i - 1][j] + 1, d[i][j - 1] + 1);
            best = MIN(best, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && g_ascii_tolower(a[i - 1]) == g_ascii_tolower(b[j - 2]) &&
                g_ascii_tolower(a[i - 2]) == g_ascii_tolower(b[j - 1]))
                best = MIN(best, d[i - 2][j - 2] + 1);
            d[i][j] = best;
        }
    }
    return d[n][m];
}

const char *scn__suggest(const char *word, const char *const *cands) {
    const char *best = NULL;
    guint best_d = G_MAXUINT;

    g_return_val_if_fail(word != NULL, NULL);
    if (strlen(word) > MAX_WORD)
        return NULL;
    for (gsize i = 0; cands[i] != NULL; i++) {
        gsize len = strlen(cands[i]);
        guint d, limit = len <= 1 ? 0 : len <= 4 ? 1 : 2;

        if (len > MAX_WORD)
            continue;
        d = osa_distance(word, cands[i]);
        if (d <= limit && d < best_d) {
            best = cands[i];
            best_d = d;
        }
    }
    return best;
}
