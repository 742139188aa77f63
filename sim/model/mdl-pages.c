/* Sparse resident-page set (see mdl-pages.h).
 *
 * Invariants:
 *  1. a chunk is in the table iff at least one of its bits is set, and its
 *     `set` field counts those bits;
 *  2. count is the sum of every chunk's `set`;
 *  3. cache is NULL or the chunk of index cache_index, present in the table.
 */
#include "sim/model/mdl-pages.h"

#include <string.h>

#define CHUNK_SHIFT 15 /* 32,768 pages, 128 MiB of VMO, per 4 KiB bitmap */
#define CHUNK_PAGES (1ULL << CHUNK_SHIFT)
#define CHUNK_WORDS (CHUNK_PAGES / 64)

typedef struct {
    uint64_t set;                /* bits set in words */
    uint64_t words[CHUNK_WORDS]; /* bit i of the chunk is page (index << CHUNK_SHIFT) + i */
} Chunk;

struct _MdlPages {
    GHashTable *chunks;   /* chunk index (uint64 key, boxed) -> Chunk */
    uint64_t count;       /* resident pages */
    Chunk *cache;         /* last chunk looked up, or NULL */
    uint64_t cache_index; /* its index */
};

MdlPages *mdl_pages_new(void) {
    MdlPages *p = g_new0(MdlPages, 1);
    p->chunks = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
    return p;
}

void mdl_pages_free(MdlPages *p) {
    if (p == NULL)
        return;
    g_hash_table_destroy(p->chunks);
    g_free(p);
}

static Chunk *lookup(MdlPages *p, uint64_t index) {
    if (p->cache && p->cache_index == index)
        return p->cache;
    Chunk *c = g_hash_table_lookup(p->chunks, &index);
    if (c) {
        p->cache = c;
        p->cache_index = index;
    }
    return c;
}

static Chunk *lookup_or_add(MdlPages *p, uint64_t index) {
    Chunk *c = lookup(p, index);
    if (c == NULL) {
        c = g_new0(Chunk, 1);
        uint64_t *key = g_new(uint64_t, 1);
        *key = index;
        g_hash_table_insert(p->chunks, key, c);
        p->cache = c;
        p->cache_index = index;
    }
    return c;
}

static void drop_if_empty(MdlPages *p, Chunk *c, uint64_t index) {
    if (c->set != 0)
        return;
    if (p->cache == c)
        p->cache = NULL;
    g_hash_table_remove(p->chunks, &index);
}

gboolean mdl_pages_test(MdlPages *p, uint64_t page) {
    Chunk *c = lookup(p, page >> CHUNK_SHIFT);
    uint64_t bit = page & (CHUNK_PAGES - 1);
    return c && (c->words[bit / 64] >> (bit % 64)) & 1;
}

gboolean mdl_pages_insert(MdlPages *p, uint64_t page) {
    Chunk *c = lookup_or_add(p, page >> CHUNK_SHIFT);
    uint64_t bit = page & (CHUNK_PAGES - 1);
    uint64_t mask = 1ULL << (bit % 64);
    if (c->words[bit / 64] & mask)
        return FALSE;
    c->words[bit / 64] |= mask;
    c->set++;
    p->count++;
    return TRUE;
}

gboolean mdl_pages_remove(MdlPages *p, uint64_t page) {
    uint64_t index = page >> CHUNK_SHIFT;
    Chunk *c = lookup(p, index);
    uint64_t bit = page & (CHUNK_PAGES - 1);
    uint64_t mask = 1ULL << (bit % 64);
    if (c == NULL || !(c->words[bit / 64] & mask))
        return FALSE;
    c->words[bit / 64] &= ~mask;
    c->set--;
    p->count--;
    drop_if_empty(p, c, index);
    return TRUE;
}

/* Clears bits [lo, hi) of one chunk and returns how many were set. */
static uint64_t clear_bits(Chunk *c, uint64_t lo, uint64_t hi) {
    uint64_t cleared = 0;
    while (lo < hi) {
        uint64_t w = lo / 64, first = lo % 64;
        uint64_t n = MIN(64 - first, hi - lo);
        uint64_t mask = (n == 64 ? ~0ULL : ((1ULL << n) - 1)) << first;
        cleared += (uint64_t)__builtin_popcountll(c->words[w] & mask);
        c->words[w] &= ~mask;
        lo += n;
    }
    c->set -= cleared;
    return cleared;
}

uint64_t mdl_pages_remove_range(MdlPages *p, uint64_t first, uint64_t count) {
    uint64_t removed = 0, end = first + count;
    if (count == 0 || p->count == 0)
        return 0;
    /* A huge range over a sparse set: walk the chunks that exist, not the range. */
    g_autoptr(GArray) hit = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, p->chunks);
    while (g_hash_table_iter_next(&it, &key, NULL)) {
        uint64_t index = *(uint64_t *)key;
        uint64_t base = index << CHUNK_SHIFT;
        if (base < end && base + CHUNK_PAGES > first)
            g_array_append_val(hit, index);
    }
    for (guint i = 0; i < hit->len; i++) {
        uint64_t index = g_array_index(hit, uint64_t, i);
        uint64_t base = index << CHUNK_SHIFT;
        Chunk *c = lookup(p, index);
        removed += clear_bits(c, MAX(first, base) - base, MIN(end, base + CHUNK_PAGES) - base);
        drop_if_empty(p, c, index);
    }
    p->count -= removed;
    return removed;
}

/* Scans one chunk's bits [lo, hi) for the first bit equal to @want. */
static uint64_t scan_chunk(const Chunk *c, uint64_t lo, uint64_t hi, gboolean want) {
    while (lo < hi) {
        uint64_t w = lo / 64, first = lo % 64;
        uint64_t bits = want ? c->words[w] : ~c->words[w];
        bits &= ~0ULL << first;
        if (bits) {
            uint64_t hit = w * 64 + (uint64_t)__builtin_ctzll(bits);
            return MIN(hit, hi);
        }
        lo = (w + 1) * 64;
    }
    return hi;
}

uint64_t mdl_pages_next(MdlPages *p, uint64_t from, uint64_t end, gboolean resident) {
    while (from < end) {
        uint64_t index = from >> CHUNK_SHIFT, base = index << CHUNK_SHIFT;
        uint64_t chunk_end = MIN(end, base + CHUNK_PAGES);
        Chunk *c = lookup(p, index);
        if (c == NULL) {
            if (!resident)
                return from;
        } else {
            uint64_t hit = scan_chunk(c, from - base, chunk_end - base, resident) + base;
            if (hit < chunk_end)
                return hit;
        }
        from = chunk_end;
    }
    return end;
}

uint64_t mdl_pages_count(const MdlPages *p) { return p->count; }
