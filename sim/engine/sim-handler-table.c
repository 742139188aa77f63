/* sim-handler-table.c: the (handler, finalizer) intern table of SimQueue.
 *
 * Invariants:
 * 1. pairs[0 .. len) are distinct, and each has exactly one index cell holding
 *    its id + 1, reached from its hash by linear probing.
 * 2. The index is at most half full (len * 2 <= mask), so probing ends.
 * 3. last_pair is {NULL, NULL} or pairs[last] (last < len). */
#include "sim/engine/sim-handler-table.h"

#include <string.h>

/* Why: function pointers cannot be cast to integers in ISO C, so the hash reads
 * their object representation, a word at a time, and mixes it by multiplying
 * (a byte-at-a-time FNV cost more than the rest of a push). Ids are given in
 * first-use order, so the hash never affects anything but probing. */
static uint32_t pair_hash(SimEventFn fn, GDestroyNotify destroy) {
    uint64_t w[4] = {0, 0, 0, 0};
    G_STATIC_ASSERT(sizeof fn <= 2 * sizeof(uint64_t));
    G_STATIC_ASSERT(sizeof destroy <= 2 * sizeof(uint64_t));
    memcpy(w, &fn, sizeof fn);
    memcpy(w + 2, &destroy, sizeof destroy);
    uint64_t h = (w[0] ^ w[1]) * UINT64_C(0x9E3779B97F4A7C15);
    h ^= (w[2] ^ w[3]) * UINT64_C(0xC2B2AE3D27D4EB4F);
    return (uint32_t)(h >> 32) ^ (uint32_t)h;
}

static void place(SimHandlerTable *t, uint32_t id) {
    uint32_t h = pair_hash(t->pairs[id].fn, t->pairs[id].destroy) & t->mask;
    while (t->index[h] != 0)
        h = (h + 1) & t->mask;
    t->index[h] = (uint16_t)(id + 1);
}

static void rebuild(SimHandlerTable *t, uint32_t size) {
    g_free(t->index);
    t->index = g_new0(uint16_t, size);
    t->mask = size - 1;
    for (uint32_t id = 0; id < t->len; id++)
        place(t, id);
}

void sim__handler_table_clear(SimHandlerTable *table) {
    g_free(table->pairs);
    g_free(table->index);
    *table = (SimHandlerTable){0};
}

G_GNUC_NO_INLINE uint32_t sim__handler_table_lookup(SimHandlerTable *table, SimEventFn fn,
                                                    GDestroyNotify destroy) {
    SimHandlerTable *t = table;
    if (t->index == NULL)
        rebuild(t, 16);
    for (uint32_t h = pair_hash(fn, destroy) & t->mask; t->index[h] != 0; h = (h + 1) & t->mask) {
        const SimHandler *c = &t->pairs[t->index[h] - 1];
        if (c->fn == fn && c->destroy == destroy) {
            t->last_pair = *c;
            return t->last = t->index[h] - 1u;
        }
    }
    if (t->len == SIM__HANDLER_TABLE_FULL)
        return SIM__HANDLER_TABLE_FULL;
    uint32_t id = t->len++;
    t->pairs = g_renew(SimHandler, t->pairs, t->len);
    t->pairs[id] = (SimHandler){fn, destroy};
    if (t->len * 2 > t->mask)
        rebuild(t, (t->mask + 1) * 2);
    else
        place(t, id);
    t->last_pair = t->pairs[id];
    return t->last = id;
}
