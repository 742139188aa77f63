/* sim-queue-inline.h: the short names and small helpers of the radix queue
 * (levels, slots, tags, bitmaps, block lengths) shared by its two source files,
 * sim-queue.c and sim-queue-query.c. Private to sim-queue*.c. */
#pragma once

#include "sim/engine/sim-queue-private.h"

#define LEVELS    SIM__QUEUE_LEVELS
#define BUCKETS   SIM__QUEUE_BUCKETS
#define SLOTS0    SIM__QUEUE_SLOTS0
#define CLASSES   SIM__QUEUE_CLASSES
#define MIN_BLOCK 4
#define MIN_DEAD  4096
#define PF_AHEAD  8     /* Level-1 buckets prefetched per batch. */
#define PF_BUCKET 4     /* Entries prefetched per bucket at most. */
#define PF_LIVE   16384 /* Pending events from which prefetch_ahead takes over. */
#define PF_SPAN   32    /* Payload bytes prefetched: an engine thread (SimThread). */
#define RD_FAR    1024  /* Entries in a block from which redistribution prefetches. */
#define RD_AHEAD  32    /* Entries read ahead then. */
#define WR_AHEAD  SIM__QUEUE_WR_AHEAD
#define RD_LINES  16 /* Lines of a cold block prefetched at most. */
#define ID_MASK   SIM__QUEUE_ID_MASK
#define CANCELLED SIM__QUEUE_CANCELLED
#define SEQ_SHIFT SIM__QUEUE_SEQ_SHIFT
#define MAX_SEQ   SIM__QUEUE_MAX_SEQ

typedef SimQueueEntry Entry;
typedef SimQueueBlock Block;
typedef SimQueueBucket Bucket;
typedef SimQueueFifo Fifo;

#if defined(__GNUC__)
static inline unsigned ctz64(uint64_t x) { return (unsigned)__builtin_ctzll(x); }
#else
static inline unsigned ctz64(uint64_t x) { return (unsigned)g_bit_nth_lsf(x, -1); }
#endif
static inline unsigned msb64(uint64_t x) { return sim__queue_msb64(x); }

static inline uint64_t tag_seq(uint64_t tag) { return tag >> SEQ_SHIFT; }

/* The first bucket index, lowest key bit and number of slots of @level. */
static inline unsigned level_base(unsigned level) { return SIM__QUEUE_BASE(level); }
static inline unsigned level_shift(unsigned level) { return SIM__QUEUE_SHIFT(level); }
static inline unsigned level_slots(unsigned level) { return SIM__QUEUE_MASK(level) + 1; }

G_STATIC_ASSERT(BUCKETS / 64 <= 64 && BUCKETS % 64 == 0 && SLOTS0 % 64 == 0);
G_STATIC_ASSERT(SIM__QUEUE_SHIFT(LEVELS - 1) < 64 && SIM__QUEUE_SHIFT(LEVELS - 1) + 8 >= 64);
G_STATIC_ASSERT(SIM__QUEUE_LEVEL_OF_MSB(63) == LEVELS - 1);

/* The level of @key relative to @last: that of the highest differing bit. */
static inline unsigned level_of(uint64_t key, uint64_t last) {
    return SIM__QUEUE_LEVEL_OF_MSB(msb64((key ^ last) | 1));
}

/* The level of bucket index @i. */
static inline unsigned level_of_index(unsigned i) {
    return i < SIM__QUEUE_BASE(1)   ? 0
           : i < SIM__QUEUE_BASE(2) ? 1
                                    : 2 + (i - SIM__QUEUE_BASE(2)) / (1u << SIM__QUEUE_DN);
}

static inline unsigned slot_of(uint64_t key, unsigned level) {
    return (unsigned)(key >> level_shift(level)) & SIM__QUEUE_MASK(level);
}

/* The index of bucket (@level, @slot) in q->buckets and, over 64, in q->bits. */
static inline unsigned index_of(unsigned level, unsigned slot) { return level_base(level) + slot; }

/* index_of(level_of(@key, @last), slot_of(@key, that level)). */
static inline unsigned bucket_of(uint64_t key, uint64_t last) {
    return sim__queue_bucket_of(key, last);
}

static inline void mark(SimQueue *q, unsigned i) {
    q->bits[i >> 6] |= UINT64_C(1) << (i & 63);
    q->words |= UINT64_C(1) << (i >> 6);
}

static inline void unmark(SimQueue *q, unsigned i) {
    uint64_t *w = &q->bits[i >> 6];
    *w &= ~(UINT64_C(1) << (i & 63));
    if (*w == 0)
        q->words &= ~(UINT64_C(1) << (i >> 6));
}

static inline uint32_t block_cap(const Block *b) { return (uint32_t)MIN_BLOCK << b->cls; }

/* The entries written in @b, a block of bucket @bk: all but the tail are full. */
static inline uint32_t block_len(const Bucket *bk, const Block *b) {
    return b == bk->tail ? (uint32_t)(bk->wr - b->e) : block_cap(b);
}

static inline Entry *fifo_at(const Fifo *f, gsize i) { return &f->rd[i]; }

static inline gsize fifo_len(const Fifo *f) { return (gsize)(f->wr - f->rd); }

static inline gsize fifo_cap(const Fifo *f) { return (gsize)(f->limit - f->base); }

static inline gboolean marked(const SimQueue *q, unsigned i) {
    return (q->bits[i >> 6] >> (i & 63)) & 1;
}

/* Whether bucket @i holds its own entry. Why the bit first: a bucket's own
 * entry taken when it was the bucket's only one keeps its tag (the bit
 * alone says the bucket is empty, one store less per take). */
static inline gboolean holds_one(const SimQueue *q, unsigned i) {
    return marked(q, i) && q->buckets[i].one.tag != 0;
}
