/* sim-queue-private.h: the layout of SimQueue and its inline fast paths, shared
 * by sim-queue.c and the engine's hot callers (the run loop, thread wakes and
 * sleeps), so that a push or a pop is inlined where it happens instead of going
 * through the public, argument-checking calls. Not for use outside sim/engine/.
 * The invariants are listed in sim-queue.c. */
#pragma once

#include "sim/engine/sim-handler-table.h"
#include "sim/engine/sim-queue-levels.h"
#include "sim/engine/sim-queue.h"

#define SIM__QUEUE_CLASSES     29 /* Block capacities 4 << 0 ... 4 << 28 entries. */
#define SIM__QUEUE_ID_BITS     16
#define SIM__QUEUE_ID_MASK     ((UINT64_C(1) << SIM__QUEUE_ID_BITS) - 1)
#define SIM__QUEUE_CANCELLED   (UINT64_C(1) << SIM__QUEUE_ID_BITS)
#define SIM__QUEUE_SEQ_SHIFT   (SIM__QUEUE_ID_BITS + 1)
#define SIM__QUEUE_MAX_SEQ     (UINT64_MAX >> SIM__QUEUE_SEQ_SHIFT)
#define SIM__QUEUE_FIFO_WINDOW 64  /* Entries of the now-FIFO's window after it empties. */
#define SIM__QUEUE_WR_AHEAD    128 /* Bytes past a push's write cursor prefetched. */

typedef struct {
    uint64_t key;  /* Event time. */
    gpointer data; /* Payload; NULL once cancelled (it was finalized then). */
    uint64_t tag;  /* seq << SEQ_SHIFT | CANCELLED flag | handler id. */
} SimQueueEntry;

#include "sim/engine/sim-queue-fifo.h"
#include "sim/engine/sim-queue-small.h"

typedef struct _SimQueueBlock SimQueueBlock;
struct _SimQueueBlock {
    SimQueueBlock *next; /* Next block of the bucket, or of the free pool. */
    uint64_t cls;        /* Size class: capacity is MIN_BLOCK << cls. */
    SimQueueEntry e[];   /* The entries, in seq order. */
};

/* Why: the write cursor lives here rather than in the tail block, so an append
 * touches this struct and the line it writes, not the block's header too. The
 * first entry appended to an empty bucket is held here too (one), so that a
 * bucket of a single event, the common case when events are sparse, needs no
 * block: the bucket's entries are one (if its tag is not 0), then the blocks. */
typedef struct {
    _Alignas(64) SimQueueEntry one; /* First entry; tag 0 when absent (taken, or empty). */
    SimQueueBlock *head;            /* First block, NULL if none. */
    SimQueueBlock *tail;            /* Block receiving appends. */
    SimQueueEntry *wr;              /* Next entry to write in tail. */
    SimQueueEntry *end;             /* End of tail's entries: wr == end when it is full. */
    uint32_t read;                  /* Read index in head (level 0 only, else 0). */
} SimQueueBucket;
/* Why a cache line each (60 bytes padded to 64): a bucket is then found by
 * shifts, not multiplies, and touching one touches one line. */
G_STATIC_ASSERT(sizeof(gpointer) != 8 || sizeof(SimQueueBucket) == 64);

struct _SimQueue {
    SimTime last;                 /* Floor: no pending key is below it. */
    uint64_t seq;                 /* Seq of the last push. */
    gsize live;                   /* Pending events. */
    gsize dead;                   /* Tombstones still held in buckets. */
    SimQueueFifo now;             /* Entries pushed at time == last (invariant 7). */
    uint64_t words;               /* Bit w set iff bits[w] != 0 (a summary). */
    uint32_t small_n;             /* Entries of the small tier (invariant 8). */
    uint8_t small_on;             /* The small tier is in use (the radix tier is empty). */
    uint8_t small_no;             /* The small tier is disabled (tests of the radix tier). */
    SimQueueSmallHold small_hold; /* When a gather may take place (churn). */
    SimQueueEntry small[SIM__QUEUE_SMALL_CAP]; /* In decreasing (key, seq). */
    /* Bucket (L, s) is buckets[base of L + s] (levels one after the other,
     * each starting on a bitmap word), its bit is bit i % 64 of bits[i / 64]
     * for that index i: the index orders buckets as the minimum search wants
     * (levels up, slots up). */
    uint64_t bits[SIM__QUEUE_BUCKETS / 64];     /* Non-empty buckets. */
    SimQueueBucket buckets[SIM__QUEUE_BUCKETS]; /* The buckets. */
    SimQueueBlock *pool[SIM__QUEUE_CLASSES];    /* Free blocks by class, most recent first. */
    SimHandlerTable handlers;                   /* (fn, destroy) pairs by entry id. */
    uint64_t pf_epoch;  /* last >> 18 when pf_slot was set (prefetch cursor). */
    unsigned pf_slot;   /* Level-1 slots up to this one have been prefetched. */
    unsigned pf_credit; /* Floor moves until the next batch of prefetches. */
    gsize block_bytes;  /* Bytes of all blocks allocated (in use or pooled). */
};

/* sim__queue_append: appends @e to the bucket its key names (out of line). */
void sim__queue_append(SimQueue *q, SimQueueEntry e);

/* sim__queue_take_min: the first bucket entry if its key is <= @limit, as
 * the FIFO-less part of sim__queue_take, the floor set to its key; the
 * caller checked words != 0. */
gboolean sim__queue_take_min(SimQueue *q, SimTime limit, SimQueueEntry *out);

/* sim__queue_place_handle: places the entry (@key, @data, @tag), whose seq
 * and count were taken, in the now-FIFO (@key at the floor), growing it
 * first if full, else in its bucket, growing a block first if full, or, the
 * small tier being on and full, through sim__queue_small_spill; out of
 * line, it returns its handle (so that a caller can end in it). */
SimHandle sim__queue_place_handle(SimQueue *q, SimTime key, gpointer data, uint64_t tag);

/* sim__queue_reset_empty: drops the tombstones of @q, which holds no live
 * event, and sets its floor to @floor (out of line: the end of a run). */
void sim__queue_reset_empty(SimQueue *q, SimTime floor);

/* sim__queue_push_id:
 * Queues @data at @time with handler id @id (interned in q->handlers), with
 * the checks of sim_queue_push already made by the caller: @time >= q->last and
 * q->seq < SIM__QUEUE_MAX_SEQ. Returns the event's seq. */
static inline uint64_t sim__queue_push_id(SimQueue *q, SimTime time, uint32_t id, gpointer data) {
    uint64_t seq = ++q->seq;
    SimQueueEntry e = {.key = time, .data = data, .tag = seq << SIM__QUEUE_SEQ_SHIFT | id};
    q->live++;
    if (time == q->last) {
        SimQueueFifo *f = &q->now;
        if (G_UNLIKELY(f->wr == f->end))
            sim__queue_fifo_grow(f);
        *f->wr++ = e;
    } else if (!q->small_on) {
        sim__queue_append(q, e);
    } else if (G_LIKELY(q->small_n != SIM__QUEUE_SMALL_CAP)) {
        sim__queue_small_insert(q->small, q->small_n++, e);
    } else {
        sim__queue_small_spill(q, e);
    }
    return seq;
}

/* sim__queue_push_handle:
 * sim__queue_push_id, returning the event's handle. Why: the pushes of
 * sim_engine_schedule (and _in) need no frame of their own this way, all
 * but a push that must grow a block or the FIFO, or spill a full small
 * tier, being done here, inline (those are a call they end in,
 * sim__queue_place_handle; the thread's timers keep the bucket's append
 * inline, through sim__queue_push_id). Not at the floor, the entry goes to
 * the small tier while it is on, else to its bucket, whose part is the
 * append of sim-queue.c (its prefetch included). */
static inline SimHandle sim__queue_push_handle(SimQueue *q, SimTime time, uint32_t id,
                                               gpointer data) {
    uint64_t tag = ++q->seq << SIM__QUEUE_SEQ_SHIFT | id;
    q->live++;
    if (time != q->last && q->small_on) {
        if (G_LIKELY(q->small_n != SIM__QUEUE_SMALL_CAP)) {
            sim__queue_small_insert(q->small, q->small_n++, (SimQueueEntry){time, data, tag});
            return (SimHandle){time, tag >> SIM__QUEUE_SEQ_SHIFT};
        }
    } else if (time != q->last) {
        unsigned i = sim__queue_bucket_of(time, q->last);
        SimQueueBucket *bk = &q->buckets[i];
        uint64_t *w = &q->bits[i >> 6];
        if (!((*w >> (i & 63)) & 1)) {
            bk->one = (SimQueueEntry){time, data, tag};
            *w |= UINT64_C(1) << (i & 63);
            q->words |= UINT64_C(1) << (i >> 6);
            return (SimHandle){time, tag >> SIM__QUEUE_SEQ_SHIFT};
        }
        if (G_LIKELY(bk->wr != bk->end)) {
            *bk->wr++ = (SimQueueEntry){time, data, tag};
            __builtin_prefetch((const char *)bk->wr + SIM__QUEUE_WR_AHEAD, 1);
            return (SimHandle){time, tag >> SIM__QUEUE_SEQ_SHIFT};
        }
    } else if (G_LIKELY(q->now.wr != q->now.end)) {
        *q->now.wr++ = (SimQueueEntry){time, data, tag};
        return (SimHandle){time, tag >> SIM__QUEUE_SEQ_SHIFT};
    }
    return sim__queue_place_handle(q, time, data, tag);
}

/* sim__queue_take:
 * Takes the first live event if its key is <= @limit into @out, dropping the
 * tombstones before it: the floor's level-0 bucket first, then the now-FIFO,
 * then the rest of the buckets (invariant 7), or, with the buckets empty,
 * the small tier's least entry, whose equal keys then go to the FIFO
 * (invariant 8); a take from the buckets may move them all back to the
 * small tier (sim__queue_small_gather). Returns FALSE if there is none (the floor may
 * then have risen, never above @limit). @floor_in_limit: the caller knows
 * that the floor is <= @limit (the engine's: floor <= now <= horizon), so the
 * FIFO's entries, at the floor, need no test against it. */
static inline gboolean sim__queue_take(SimQueue *q, SimTime limit, gboolean floor_in_limit,
                                       SimQueueEntry *out) {
    for (;;) {
        unsigned s = (unsigned)(q->last & (SIM__QUEUE_SLOTS0 - 1));
        SimQueueFifo *f = &q->now;
        if (f->rd != f->wr && !((q->bits[s >> 6] >> (s & 63)) & 1)) {
            if (!floor_in_limit && q->last > limit)
                return FALSE;
            *out = *f->rd++; /* its key is the floor already */
        } else if (q->words != 0) {
            if (!sim__queue_take_min(q, limit, out))
                return FALSE;
        } else { /* the small tier's least entry, or none (invariant 8) */
            uint32_t n = q->small_n;
            if (n == 0 || q->small[n - 1].key > limit)
                return FALSE;
            *out = q->small[--n];
            q->small_n = n;
            q->last = out->key;
            if (G_UNLIKELY(n != 0 && q->small[n - 1].key == out->key))
                sim__queue_small_ties(q);
        }
        if (G_LIKELY(!(out->tag & SIM__QUEUE_CANCELLED)))
            break;
        q->dead--;
    }
    q->live--;
    return TRUE;
}
