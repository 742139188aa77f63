/* sim-queue-query.c: the read-only calls of the radix queue (peek, length,
 * memory, floor) and its invariant checker; the structure and its invariants
 * are described in sim-queue.c. */
#include "sim/engine/sim-queue-inline.h"

/* The smallest live key in one bucket, or SIM_TIME_INVALID. */
static SimTime bucket_min_live(const SimQueue *q, unsigned index) {
    SimTime best = SIM_TIME_INVALID;
    const Bucket *bk = &q->buckets[index];
    uint32_t i = bk->read;
    if (bk->one.tag != 0 && !(bk->one.tag & CANCELLED))
        best = bk->one.key;
    for (const Block *b = bk->head; b != NULL; b = b->next, i = 0)
        for (uint32_t n = block_len(bk, b); i < n; i++)
            if (b->e[i].key < best && !(b->e[i].tag & CANCELLED))
                best = b->e[i].key;
    return best;
}

SimTime sim_queue_peek_time(const SimQueue *q) {
    g_return_val_if_fail(q != NULL, SIM_TIME_INVALID);
    for (gsize i = 0; i < fifo_len(&q->now); i++)
        if (!(fifo_at(&q->now, i)->tag & CANCELLED))
            return q->last;
    for (uint32_t i = q->small_n; i-- > 0;) /* least last */
        if (!(q->small[i].tag & CANCELLED))
            return q->small[i].key;
    for (unsigned i = 0; i < BUCKETS && q->live > 0; i++) {
        if (!((q->words >> (i >> 6)) & 1)) {
            i |= 63; /* the word is empty: on to the next */
            continue;
        }
        if (!((q->bits[i >> 6] >> (i & 63)) & 1))
            continue;
        SimTime t = bucket_min_live(q, i);
        if (t != SIM_TIME_INVALID)
            return t;
    }
    return SIM_TIME_INVALID;
}

gsize sim_queue_get_len(const SimQueue *q) {
    g_return_val_if_fail(q != NULL, 0);
    return q->live;
}

gsize sim_queue_get_memory(const SimQueue *q) {
    g_return_val_if_fail(q != NULL, 0);
    const SimHandlerTable *t = &q->handlers;
    gsize table = t->len * sizeof(SimHandler) + (t->index != NULL ? (t->mask + 1) * 2 : 0);
    return sizeof *q + q->block_bytes + fifo_cap(&q->now) * sizeof(Entry) + table;
}

SimTime sim_queue_get_floor(const SimQueue *q) {
    g_return_val_if_fail(q != NULL, 0);
    return q->last;
}

/* Checks invariants 1, 2 and 5 for one entry, in bucket order. */
static void check_entry(const SimQueue *q, unsigned level, unsigned slot, const Entry *e,
                        uint64_t *prev_seq) {
    uint64_t seq = tag_seq(e->tag);
    g_assert(e->key >= q->last);
    g_assert(level_of(e->key, q->last) == level && slot_of(e->key, level) == slot);
    g_assert(seq > *prev_seq && seq <= q->seq);
    g_assert((e->tag & ID_MASK) < q->handlers.len);
    *prev_seq = seq;
}

/* check_entry, then counts @e as live or dead. */
static void check_counted(const SimQueue *q, unsigned level, unsigned slot, const Entry *e,
                          uint64_t *prev_seq, gsize *live, gsize *dead) {
    check_entry(q, level, slot, e, prev_seq);
    if (e->tag & CANCELLED)
        (*dead)++;
    else
        (*live)++;
}

/* Checks invariants 1-3 for one bucket; adds its live and dead entry counts. */
static void check_bucket(const SimQueue *q, unsigned level, unsigned slot, gsize *live,
                         gsize *dead) {
    const Bucket *bk = &q->buckets[index_of(level, slot)];
    gboolean bit = marked(q, index_of(level, slot));
    uint64_t prev_seq = 0;
    uint32_t i = bk->read;
    gboolean one = holds_one(q, index_of(level, slot));
    g_assert(bit == (one || bk->head != NULL));
    g_assert(level == 0 || bk->head == NULL || one);
    g_assert(!one || i == 0);
    g_assert(level == 0 || i == 0);
    g_assert((bk->head == NULL) == (bk->tail == NULL));
    g_assert(bk->head != NULL || (i == 0 && bk->wr == NULL && bk->end == NULL));
    g_assert(bk->tail == NULL || bk->end == bk->tail->e + block_cap(bk->tail));
    g_assert(bk->tail == NULL || (bk->wr > bk->tail->e && bk->wr <= bk->end));
    if (one)
        check_counted(q, level, slot, &bk->one, &prev_seq, live, dead);
    for (const Block *b = bk->head; b != NULL; b = b->next, i = 0) {
        uint32_t n = block_len(bk, b);
        g_assert(i < n);
        g_assert(b->next != NULL || b == bk->tail);
        for (; i < n; i++)
            check_counted(q, level, slot, &b->e[i], &prev_seq, live, dead);
    }
}

/* Checks invariant 8: the small tier is in use only with the radix tier
 * empty, its entries in decreasing (key, seq), every key above the floor. */
static void check_small(const SimQueue *q, gsize *live, gsize *dead) {
    g_assert(q->small_on || q->small_n == 0);
    g_assert(!q->small_on || (q->words == 0 && !q->small_no));
    g_assert(q->small_n <= SIM__QUEUE_SMALL_CAP);
    for (uint32_t i = 0; i < q->small_n; i++) {
        const Entry *e = &q->small[i];
        g_assert(e->key > q->last);
        g_assert(tag_seq(e->tag) > 0 && tag_seq(e->tag) <= q->seq);
        g_assert((e->tag & ID_MASK) < q->handlers.len);
        if (i > 0)
            g_assert(e[-1].key > e->key || (e[-1].key == e->key && e[-1].tag > e->tag));
        if (e->tag & CANCELLED)
            (*dead)++;
        else
            (*live)++;
    }
}

void sim_queue_check_invariants(const SimQueue *q) {
    gsize live = 0, dead = 0;
    check_small(q, &live, &dead);
    for (unsigned w = 0; w < BUCKETS / 64; w++)
        g_assert((q->bits[w] != 0) == ((q->words >> w) & 1));
    g_assert(BUCKETS / 64 == 64 || q->words >> (BUCKETS / 64) == 0);
    for (unsigned l = 0; l < LEVELS; l++)
        for (unsigned s = 0; s < level_slots(l); s++)
            check_bucket(q, l, s, &live, &dead);
    uint64_t prev_seq = 0;
    unsigned s = (unsigned)(q->last & (SLOTS0 - 1));
    const Bucket *floor = &q->buckets[index_of(0, s)];
    const Entry *back = floor->tail != NULL            ? &floor->wr[-1]
                        : holds_one(q, index_of(0, s)) ? &floor->one
                                                       : NULL;
    if (back != NULL && back->key == q->last)
        prev_seq = tag_seq(back->tag);
    g_assert(q->now.base <= q->now.rd && q->now.rd <= q->now.wr && q->now.wr <= q->now.end);
    g_assert(q->now.end <= q->now.limit);
    for (gsize i = 0; i < fifo_len(&q->now); i++) {
        g_assert(fifo_at(&q->now, i)->key == q->last);
        check_counted(q, 0, s, fifo_at(&q->now, i), &prev_seq, &live, &dead);
    }
    g_assert(live == q->live);
    g_assert(dead == q->dead);
}
