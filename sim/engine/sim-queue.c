/* sim-queue.c: a radix heap over (time, seq).
 *
 * Pending events live in 8 levels of buckets, each level one digit of the key:
 * bits 0-6 (level 0, 128 slots), 7-17 (level 1, 2,048 slots), then 8 bits a
 * level (256 slots each; level 7 is bits 58-63). An entry with key k sits at
 * level L = the level of the highest bit in which k differs from q->last (0 if
 * k == last), in slot = digit L of k. Every key in level L is therefore larger than
 * every key in levels below it, and within a level the slot orders the keys, so
 * the minimum is in the lowest set slot of the lowest non-empty level. A level-0
 * bucket holds a single key value and is consumed from its front. A bucket at a
 * higher level is "redistributed" when it becomes the lowest: q->last moves up to
 * the smallest key the bucket can hold and each entry drops to a lower level.
 * Entries are only ever appended and redistribution is stable, so every bucket
 * stays in seq order; equal times thus come out first-in first-out, and cancel
 * can binary-search a bucket by seq. A bucket holds its first entry itself
 * (one), then a chain of blocks of doubling size taken from per-size pools, so
 * growth never copies and a chain has O(log n) blocks.
 *
 * Invariants (checked by sim_queue_check_invariants):
 * 1. Every entry in bucket (L, s) has key >= last, level(key ^ last) == L and
 *    digit L of key == s; hence a pending event's bucket follows from its time.
 * 2. Within each bucket, entries (tombstones included) are in increasing seq.
 * 3. A slot bit is set iff its bucket holds entries; a bit of the summary
 *    (words) is set iff its 64-slot bitmap word is non-zero. Only level-0 buckets have a non-zero
 * read index. Every block but a bucket's tail is full; the bucket's write cursor lies inside its
 * tail, past at least one entry. A bucket's own entry is held iff its slot bit is set and its
 * tag is not 0 (an empty bucket's tag means nothing); it is absent from a non-empty bucket only at
 * level 0, once taken; while it is held, the bucket's read index is 0.
 * 4. live + dead == entries held; dead counts the entries flagged cancelled.
 * 5. Pops come out in strictly increasing (key, seq), and a popped entry
 *    leaves its bucket (one cleared, the read index past it, its block freed)
 *    or the FIFO (rd past it), so an event is pending iff its entry is where
 *    invariants 1 and 7 put it and is not flagged cancelled.
 * 6. q->last is <= every pending key, and never decreases but when the queue
 *    holds no entry (sim__queue_reset_empty).
 * 7. Every entry of the now-FIFO has key == last, in increasing seq, and a seq
 *    greater than every bucket entry with that key: an event pushed for the
 *    floor itself (a wake or spawn at the current time) skips the buckets,
 *    and comes out after the level-0 bucket of the floor is empty.
 * 8. While few events are pending the buckets are empty and the timers are
 *    held by the small tier instead (small_on; sim-queue-small.h): an array
 *    in decreasing (key, seq), every key > last, so that a take is a load at
 *    its end and the now-FIFO is served first as before. A take that raises
 *    the floor to a key held by other entries too moves those to the (then
 *    empty) FIFO, in seq order. A push that finds it full moves its entries
 *    to the buckets in seq order (the order pushes would have given them);
 *    a take from the buckets made while at most SIM__QUEUE_SMALL_LO + 1
 *    events are pending (counted before the take, so at most
 *    SIM__QUEUE_SMALL_LO remain after it) moves theirs back, when the FIFO
 *    is empty and no hold is on (a spill soon after a gather holds the
 *    timers in the buckets for a while: sim-queue-small.h). Either way the
 *    pops keep their (key, seq) order (invariant 5). */
#include "sim/engine/sim-queue-inline.h"

static inline gsize block_bytes(uint32_t cls) {
    return sizeof(Block) + ((gsize)MIN_BLOCK << cls) * sizeof(Entry);
}

static G_GNUC_NO_INLINE Block *block_alloc(SimQueue *q, uint32_t cls) {
    q->block_bytes += block_bytes(cls);
    return g_malloc(block_bytes(cls));
}

/* Why: blocks are recycled through per-class pools, most recently freed first, so
 * a steady state allocates nothing and reuses blocks that are still in cache.
 * The pools keep the memory of the queue's peak size until sim_queue_free. */
static inline Block *block_new(SimQueue *q, uint32_t cls) {
    Block *b = q->pool[cls];
    if (G_LIKELY(b != NULL))
        q->pool[cls] = b->next;
    else
        b = block_alloc(q, cls);
    b->next = NULL;
    b->cls = cls;
    return b;
}

static inline void block_free(SimQueue *q, Block *b) {
    b->next = q->pool[b->cls];
    q->pool[b->cls] = b;
}

/* Gives bucket @bk, whose tail is full (or which is empty), a new tail block. */
static G_GNUC_NO_INLINE void bucket_grow(SimQueue *q, Bucket *bk) {
    Block *t = bk->tail;
    Block *n = block_new(q, t == NULL ? 0 : MIN(t->cls + 1, CLASSES - 1));
    if (t == NULL)
        bk->head = n;
    else
        t->next = n;
    bk->tail = n;
    bk->wr = n->e;
    bk->end = n->e + block_cap(n);
}

/* Appends @e to the bucket at (@level, @slot) and marks it non-empty. Why the
 * slot bit decides whether the bucket is empty (invariant 3): the bitmap is a
 * few lines always in cache, the 3,712 buckets are not, and the common append
 * (to an empty bucket, events being sparse) then only writes the bucket.
 * Returns TRUE if @e went to the bucket's tail block, FALSE if it is its own. */
static inline gboolean append(SimQueue *q, unsigned i, Entry e) {
    Bucket *bk = &q->buckets[i];
    if (!((q->bits[i >> 6] >> (i & 63)) & 1)) {
        bk->one = e;
        mark(q, i);
        return FALSE;
    }
    if (G_UNLIKELY(bk->wr == bk->end))
        bucket_grow(q, bk);
    *bk->wr++ = e;
    return TRUE;
}

/* Why the prefetch: with millions pending, a push lands at the tail of a
 * high-level bucket whose next lines are cold (a new line every 2.7 pushes to
 * it, a new page every 170), and the store then stalls on the miss and its page
 * walk; asking for the line WR_AHEAD bytes on, for writing, starts them
 * early. An entry that an empty bucket holds itself has no tail to prefetch
 * (and that test is the one append makes anyway). It changes nothing but
 * timing. */
void sim__queue_append(SimQueue *q, Entry e) {
    unsigned i = bucket_of(e.key, q->last);
    if (append(q, i, e))
        __builtin_prefetch((const char *)q->buckets[i].wr + WR_AHEAD, 1);
}

/* Why not sim__queue_append: that one has the callers it had before the
 * small tier, so that LTO still inlines it into the hot push of a sleep
 * (called from anywhere else too, it was not, and a sleep cost 30% more). */
G_GNUC_NO_INLINE void sim__queue_append_cold(SimQueue *q, Entry e) {
    append(q, bucket_of(e.key, q->last), e);
}

/* Why a separate call: sim__queue_push_handle, inline, leaves only the
 * pushes that grow a block or the FIFO here, and ends in this. */
G_GNUC_NO_INLINE SimHandle sim__queue_place_handle(SimQueue *q, SimTime key, gpointer data,
                                                   uint64_t tag) {
    if (key != q->last && q->small_on) {
        sim__queue_small_spill(q, (Entry){key, data, tag}); /* it is full */
    } else if (key != q->last) {
        sim__queue_append(q, (Entry){key, data, tag});
    } else {
        if (q->now.wr == q->now.end)
            sim__queue_fifo_grow(&q->now);
        *q->now.wr++ = (Entry){key, data, tag};
    }
    return (SimHandle){key, tag_seq(tag)};
}

static void chain_free(Block *b) {
    while (b != NULL) {
        Block *next = b->next;
        g_free(b);
        b = next;
    }
}

SimQueue *sim_queue_new(void) {
    SimQueue *q = g_aligned_alloc0(1, sizeof(SimQueue), _Alignof(SimQueue));
    q->small_on = TRUE;
    return q;
}

/* Finalizes the payloads of the live entries of one bucket. */
static void finalize_entry(SimQueue *q, const Entry *e) {
    GDestroyNotify destroy = q->handlers.pairs[e->tag & ID_MASK].destroy;
    if (e->tag != 0 && !(e->tag & CANCELLED) && destroy != NULL)
        destroy(e->data);
}

static void finalize_bucket(SimQueue *q, unsigned index) {
    const Bucket *bk = &q->buckets[index];
    uint32_t i = bk->read;
    if (holds_one(q, index))
        finalize_entry(q, &bk->one);
    for (Block *b = bk->head; b != NULL; b = b->next, i = 0)
        for (uint32_t n = block_len(bk, b); i < n; i++)
            finalize_entry(q, &b->e[i]);
}

void sim_queue_free(SimQueue *q) {
    if (q == NULL)
        return;
    for (unsigned i = 0; i < BUCKETS; i++) {
        finalize_bucket(q, i);
        chain_free(q->buckets[i].head);
    }
    for (gsize i = 0; i < fifo_len(&q->now); i++)
        finalize_entry(q, fifo_at(&q->now, i));
    for (uint32_t i = 0; i < q->small_n; i++)
        finalize_entry(q, &q->small[i]);
    g_free(q->now.base);
    for (unsigned c = 0; c < CLASSES; c++)
        chain_free(q->pool[c]);
    sim__handler_table_clear(&q->handlers);
    g_aligned_free(q);
}

/* The refused push: finalizes @data and reports the programming error. */
static G_GNUC_NO_INLINE SimHandle push_refused(SimQueue *q, SimTime time, SimEventFn fn,
                                               gpointer data, GDestroyNotify destroy) {
    if (destroy != NULL)
        destroy(data);
    g_return_val_if_fail(q != NULL && fn != NULL, SIM_HANDLE_NONE);
    g_return_val_if_fail(time >= q->last, SIM_HANDLE_NONE);
    g_return_val_if_fail(q->seq < MAX_SEQ, SIM_HANDLE_NONE);
    g_return_val_if_fail(q->handlers.len < SIM__HANDLER_TABLE_FULL, SIM_HANDLE_NONE);
    return SIM_HANDLE_NONE;
}

SimHandle sim_queue_push(SimQueue *q, SimTime time, SimEventFn fn, gpointer data,
                         GDestroyNotify destroy) {
    uint32_t id = SIM__HANDLER_TABLE_FULL;
    if (G_LIKELY(q != NULL && fn != NULL && time >= q->last && q->seq < MAX_SEQ))
        id = sim__handler_table_intern(&q->handlers, fn, destroy);
    if (G_UNLIKELY(id == SIM__HANDLER_TABLE_FULL))
        return push_refused(q, time, fn, data, destroy);
    return sim__queue_push_handle(q, time, id, data);
}

/* The FIFO entry of seq @seq, or NULL: a binary search, by invariant 7. */
static Entry *fifo_find(const Fifo *f, uint64_t seq) {
    gsize lo = 0, hi = fifo_len(f);
    while (lo < hi) {
        gsize mid = lo + (hi - lo) / 2;
        if (tag_seq(fifo_at(f, mid)->tag) < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < fifo_len(f) && tag_seq(fifo_at(f, lo)->tag) == seq ? fifo_at(f, lo) : NULL;
}

/* Why: invariant 1 names the only bucket that can hold the event and invariant 2
 * orders it by seq, so the chain (O(log n) blocks of doubling size) is walked to
 * the block whose last seq is >= the target, which is then binary-searched.
 * Returns the entry of the pending event @h, or NULL. */
static Entry *find_entry(const SimQueue *q, SimHandle h) {
    if (h.seq == 0 || h.time < q->last || h.time == SIM_TIME_INVALID)
        return NULL;
    if (h.time == q->last && q->now.rd != q->now.wr) {
        Entry *e = fifo_find(&q->now, h.seq);
        if (e != NULL)
            return e->tag & CANCELLED ? NULL : e;
    }
    for (uint32_t i = 0; i < q->small_n; i++) {
        Entry *e = (Entry *)&q->small[i]; /* cancel writes the entry found */
        if (tag_seq(e->tag) == h.seq)
            return e->key == h.time && !(e->tag & CANCELLED) ? e : NULL;
    }
    unsigned level = level_of(h.time, q->last);
    unsigned slot = slot_of(h.time, level);
    Bucket *bk = (Bucket *)&q->buckets[index_of(level, slot)]; /* cancel writes the entry found */
    if (holds_one(q, index_of(level, slot)) && tag_seq(bk->one.tag) >= h.seq) {
        Entry *e = &bk->one;
        return tag_seq(e->tag) == h.seq && e->key == h.time && !(e->tag & CANCELLED) ? e : NULL;
    }
    uint32_t lo = bk->read;
    for (Block *b = bk->head; b != NULL; b = b->next, lo = 0) {
        uint32_t hi = block_len(bk, b);
        if (tag_seq(b->e[hi - 1].tag) < h.seq)
            continue;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (tag_seq(b->e[mid].tag) < h.seq)
                lo = mid + 1;
            else
                hi = mid;
        }
        Entry *e = &b->e[lo];
        gboolean hit = tag_seq(e->tag) == h.seq && e->key == h.time && !(e->tag & CANCELLED);
        return hit ? e : NULL;
    }
    return NULL;
}

gboolean sim_queue_is_pending(const SimQueue *q, SimHandle handle) {
    g_return_val_if_fail(q != NULL, FALSE);
    return find_entry(q, handle) != NULL;
}

/* Drops the tombstones from one bucket, keeping the order of the rest: the chain
 * is detached and its live entries appended again at the same position. */
static void compact_bucket(SimQueue *q, unsigned index) {
    Bucket old = q->buckets[index];
    Block *b = old.head;
    uint32_t i = old.read;
    q->buckets[index] = (Bucket){0};
    unmark(q, index);
    if (old.one.tag != 0 && !(old.one.tag & CANCELLED))
        append(q, index, old.one);
    while (b != NULL) {
        for (uint32_t n = block_len(&old, b); i < n; i++)
            if (!(b->e[i].tag & CANCELLED))
                append(q, index, b->e[i]);
        Block *next = b->next;
        block_free(q, b);
        b = next;
        i = 0;
    }
}

/* Why: tombstones cost 24 bytes each and slow redistribution, so once they
 * outnumber live events a full pass drops them; amortized O(1) per cancel. */
static void compact(SimQueue *q) {
    gsize kept = 0;
    for (gsize i = 0; i < fifo_len(&q->now); i++)
        if (!(fifo_at(&q->now, i)->tag & CANCELLED))
            *fifo_at(&q->now, kept++) = *fifo_at(&q->now, i);
    q->now.wr = q->now.rd + kept;
    sim__queue_small_drop_tombstones(q);
    for (unsigned i = 0; i < BUCKETS; i++)
        if (marked(q, i))
            compact_bucket(q, i);
    q->dead = 0;
}

/* Why the floor may go down here (the one exception to invariant 6): with no
 * entry left, invariant 1 holds for any floor; and the small tier, empty,
 * can take over again. */
void sim__queue_reset_empty(SimQueue *q, SimTime floor) {
    g_assert(q->live == 0);
    if (q->dead > 0)
        compact(q);
    q->last = floor;
    q->small_on = !q->small_no;
}

/* Copies @e to @out if live (returns 1), else drops the tombstone (0). */
static inline gsize drain_one(SimQueue *q, const Entry *e, Entry *out) {
    if (e->tag & CANCELLED) {
        q->dead--;
        return 0;
    }
    *out = *e;
    return 1;
}

/* Moves every live entry of the radix tier to @out (which has room for
 * them), in no particular order, and empties its buckets, dropping the
 * tombstones; returns how many. For sim__queue_small_gather. */
gsize sim__queue_drain(SimQueue *q, Entry *out) {
    gsize n = 0;
    while (q->words != 0) {
        unsigned w = ctz64(q->words);
        unsigned i = w * 64 + ctz64(q->bits[w]);
        Bucket *bk = &q->buckets[i];
        uint32_t r = bk->read;
        if (holds_one(q, i))
            n += drain_one(q, &bk->one, &out[n]);
        for (Block *b = bk->head, *next; b != NULL; b = next, r = 0) {
            for (uint32_t k = r, len = block_len(bk, b); k < len; k++)
                n += drain_one(q, &b->e[k], &out[n]);
            next = b->next;
            block_free(q, b);
        }
        *bk = (Bucket){0};
        unmark(q, i);
    }
    return n;
}

gboolean sim_queue_cancel(SimQueue *q, SimHandle handle) {
    g_return_val_if_fail(q != NULL, FALSE);
    Entry *e = find_entry(q, handle);
    if (e == NULL)
        return FALSE;
    gpointer data = e->data;
    GDestroyNotify destroy = q->handlers.pairs[e->tag & ID_MASK].destroy;
    e->tag |= CANCELLED;
    e->data = NULL;
    q->live--;
    q->dead++;
    if (q->dead > MIN_DEAD && q->dead > q->live)
        compact(q);
    if (destroy != NULL)
        destroy(data);
    return TRUE;
}

/* Why: moving the floor up to the smallest key bucket (@level, @slot) can hold
 * keeps invariant 1 for every other bucket, and sends each of its entries to a
 * strictly lower level, which bounds the moves per event by LEVELS - 1. Below
 * PF_LIVE pending, entries that land in the two lowest levels (among the next
 * few hundred to run) have their payload's first line prefetched here: the
 * payloads are then few enough to be near in cache and to cost no page walk,
 * so a burst is cheap, and without it the run with 10,000 threads took 30%
 * more CPU. Above PF_LIVE, prefetch_ahead does it in smaller batches. */
static inline void move_down(SimQueue *q, Entry e, uint64_t base, gboolean near) {
    unsigned i = bucket_of(e.key, base);
    if (near && i < SIM__QUEUE_BASE2 && e.data != NULL) /* levels 0 and 1 */
        __builtin_prefetch(e.data);
    append(q, i, e);
}

/* Why: a block of thousands of entries (a high level with millions pending)
 * is cold, and its entries go to up to 2,176 buckets (levels 0 and 1) whose tails are cold too:
 * reading RD_AHEAD entries ahead, and asking for the line after each tail
 * written, overlaps those misses (the hardware's stream prefetch stops at each
 * page). Nothing but timing changes. */
static void move_block_far(SimQueue *q, const Block *b, uint32_t n, uint64_t base) {
    for (uint32_t i = 0; i < n; i++) {
        if (i + RD_AHEAD < n)
            __builtin_prefetch(&b->e[i + RD_AHEAD]);
        Entry e = b->e[i];
        unsigned j = bucket_of(e.key, base);
        append(q, j, e);
        const Bucket *bk = &q->buckets[j];
        if (bk->wr != NULL)
            __builtin_prefetch((const void *)((guintptr)bk->wr + 64), 1);
    }
}

/* The first non-empty slot of @level at or after @from, or the level's
 * number of slots if none. */
static inline unsigned next_slot(const SimQueue *q, unsigned level, unsigned from) {
    const uint64_t *w = &q->bits[level_base(level) / 64];
    for (unsigned i = from >> 6; i < level_slots(level) / 64; i++) {
        uint64_t m = w[i] & (i == from >> 6 ? ~UINT64_C(0) << (from & 63) : ~UINT64_C(0));
        if (m != 0)
            return i * 64 + ctz64(m);
    }
    return level_slots(level);
}

/* Why: with millions pending, a bucket's chain (a few dozen entries at level 2)
 * was written thousands of events ago and is cold, and each block's header is
 * only known from the previous one, so its misses came one after the other.
 * Once a block is read, the next one's size is known (one class up), so its
 * first RD_LINES lines are asked for while this one is moved; and the head
 * of the next bucket of the same level, the next to be redistributed, is asked
 * for too. Nothing but timing changes. */
static void prefetch_lines(gconstpointer p, gsize bytes) {
    for (gsize off = 0; off < MIN(bytes, (gsize)RD_LINES * 64); off += 64)
        __builtin_prefetch((const char *)p + off);
}

static void prefetch_next_head(const SimQueue *q, unsigned level, unsigned slot) {
    unsigned n = level_slots(level);
    unsigned s = slot + 1 < n ? next_slot(q, level, slot + 1) : n;
    if (s < n && q->buckets[index_of(level, s)].head != NULL)
        prefetch_lines(q->buckets[index_of(level, s)].head, block_bytes(0));
}

static void redistribute(SimQueue *q, unsigned level, unsigned slot, uint64_t base) {
    Bucket old = q->buckets[index_of(level, slot)];
    Block *b = old.head;
    q->buckets[index_of(level, slot)] = (Bucket){0};
    unmark(q, index_of(level, slot));
    q->last = base;
    gboolean near = q->live < PF_LIVE;
    if (!near)
        prefetch_next_head(q, level, slot);
    move_down(q, old.one, base, near); /* above level 0, one is always held */
    while (b != NULL) {
        uint32_t n = block_len(&old, b);
        if (!near && b->next != NULL)
            prefetch_lines(b->next, block_bytes(MIN(b->cls + 1, CLASSES - 1)));
        if (!near && n >= RD_FAR)
            move_block_far(q, b, n, base);
        else if (near) /* two loops: the test of near is not made per entry */
            for (uint32_t i = 0; i < n; i++)
                move_down(q, b->e[i], base, TRUE);
        else
            for (uint32_t i = 0; i < n; i++)
                move_down(q, b->e[i], base, FALSE);
        Block *next = b->next;
        block_free(q, b);
        b = next;
    }
}

/* The first entry of least key in bucket (@level, @slot), above level 0 (its
 * own entry is held), or NULL if that key is > @limit. */
static const Entry *bucket_first_min(const SimQueue *q, unsigned i, SimTime limit) {
    const Bucket *bk = &q->buckets[i];
    const Entry *best = &bk->one;
    for (const Block *b = bk->head; b != NULL; b = b->next)
        for (const Entry *e = b->e, *n = b->e + block_len(bk, b); e != n; e++)
            if (e->key < best->key)
                best = e;
    return best->key <= limit ? best : NULL;
}

/* Why: taking the bucket's first entry of least key (@m) while its entries
 * are moved saves that entry's move and the search that would find it again.
 * The floor goes to its key, not to the bucket's base: every other entry of
 * the bucket shares the key bits above @level's digit with it and is not below it, so
 * each still drops to a lower level (invariant 1), those of the same key to
 * the level-0 bucket, after it in seq as they were in the bucket; the
 * now-FIFO is empty here (the floor's level-0 bucket and the FIFO come
 * first). The order taken is the one redistribution then a take gave. */
static void redistribute_take(SimQueue *q, unsigned i, const Entry *m, Entry *out) {
    Bucket *bk = &q->buckets[i];
    Block *b = bk->head, *tail = bk->tail;
    const Entry *wr = bk->wr;
    gboolean near = q->live < PF_LIVE;
    *out = *m;
    /* the moves go to lower levels, never here: the own entry is read in
     * place, and only the chain's fields are cleared (its tag may stay,
     * the bit unset) */
    bk->head = bk->tail = NULL;
    bk->wr = bk->end = NULL;
    unmark(q, i);
    q->last = out->key;
    if (m != &bk->one)
        move_down(q, bk->one, out->key, near);
    while (b != NULL) {
        const Entry *n = b == tail ? wr : b->e + block_cap(b);
        for (const Entry *e = b->e; e != n; e++)
            if (e != m)
                move_down(q, *e, out->key, near);
        Block *next = b->next;
        block_free(q, b);
        b = next;
    }
}

/* The smallest key that bucket (@level, @slot) can hold under floor @last. */
static inline uint64_t bucket_base(uint64_t last, unsigned level, unsigned slot) {
    uint64_t high = level == LEVELS - 1 ? 0 : last & (~UINT64_C(0) << level_shift(level + 1));
    return high | ((uint64_t)slot << level_shift(level));
}

/* Takes the front entry of level-0 bucket @slot, freeing its head block once read. */
static inline Entry take_front(SimQueue *q, unsigned slot) {
    Bucket *bk = &q->buckets[index_of(0, slot)];
    Block *h = bk->head;
    if (bk->one.tag != 0) {
        Entry e = bk->one;
        if (h == NULL)
            unmark(q, slot); /* empty: the tag may stay (holds_one) */
        else
            bk->one.tag = 0;
        return e;
    }
    Entry e = h->e[bk->read++];
    if (bk->read == block_len(bk, h)) {
        bk->read = 0;
        bk->head = h->next;
        if (h == bk->tail) {
            *bk = (Bucket){0};
            unmark(q, slot);
        }
        block_free(q, h);
    }
    return e;
}

/* Why: with millions pending, the payload of each event (a thread, typically)
 * is not in cache when it runs. The level-1 buckets after the floor's slot hold
 * the next events in time order, so a cursor walks them ahead of the floor and
 * prefetches their payloads' first cache line: 2 * PF_AHEAD buckets when the
 * cursor is behind or a new level-1 range (a new last >> 18) begins, then
 * PF_AHEAD more every PF_AHEAD moves of the floor, which keeps it 8 to 16
 * buckets ahead. Prefetching at redistribution instead issued a whole bucket's
 * loads at once and stalled on them; one at a time, each stalled on its own
 * page walk; a batch of 8 overlaps them (measured with 10 million threads).
 * Below PF_LIVE pending events redistribute prefetches instead. It changes
 * nothing but timing. */
static inline void prefetch_payload(gconstpointer data) {
    if (data != NULL) {
        __builtin_prefetch(data);
        if (((guintptr)data & 63) > 64 - PF_SPAN) /* it spans two lines */
            __builtin_prefetch((const char *)data + PF_SPAN - 1);
    }
}

static void prefetch_ahead(SimQueue *q) {
    uint64_t epoch = q->last >> level_shift(2);
    unsigned cur = slot_of(q->last, 1), n;
    if (epoch != q->pf_epoch || q->pf_slot <= cur) {
        q->pf_epoch = epoch;
        q->pf_slot = cur;
        q->pf_credit = PF_AHEAD;
        n = 2 * PF_AHEAD;
    } else if (--q->pf_credit == 0) {
        q->pf_credit = PF_AHEAD;
        n = PF_AHEAD;
    } else {
        return;
    }
    while (n-- > 0) {
        unsigned s = next_slot(q, 1, q->pf_slot + 1);
        if (s == level_slots(1)) {
            q->pf_slot = level_slots(1) - 1;
            return;
        }
        const Bucket *bk = &q->buckets[index_of(1, s)];
        prefetch_payload(bk->one.data);
        if (bk->head != NULL)
            for (const Entry *e = bk->head->e; e != bk->wr && e != bk->head->e + PF_BUCKET - 1; e++)
                prefetch_payload(e->data);
        q->pf_slot = s;
    }
}

/* After a take from the radix tier: with at most SIM__QUEUE_SMALL_LO + 1
 * pending before it, the small tier may take the rest back (invariant 8). */
static inline void gather_if_few(SimQueue *q) {
    if (G_UNLIKELY(q->live <= SIM__QUEUE_SMALL_LO + 1))
        sim__queue_small_gather(q);
}

/* The loop of sim__queue_take_min once its first bucket holds blocks: a
 * level-0 bucket is consumed from its front, a higher one redistributed, and
 * the search made again (out of line: the common take is its fast path). */
static G_GNUC_NO_INLINE gboolean take_min_loop(SimQueue *q, SimTime limit, Entry *out) {
    for (gboolean moved = FALSE;; moved = TRUE) {
        /* the lowest non-empty word holds the first non-empty slot */
        unsigned w = ctz64(q->words);
        unsigned i = w * 64 + ctz64(q->bits[w]);
        unsigned level = level_of_index(i), slot = i - level_base(level);
        Bucket *bk = &q->buckets[i];
        if (level == 0) {
            const Entry *front = bk->one.tag != 0 ? &bk->one : &bk->head->e[bk->read];
            if (front->key > limit)
                return FALSE;
            *out = take_front(q, slot);
            q->last = out->key;
            if (moved && q->live >= PF_LIVE)
                prefetch_ahead(q);
            gather_if_few(q);
            return TRUE;
        }
        if (bk->head == NULL) {
            if (bk->one.key > limit)
                return FALSE;
            *out = bk->one;
            unmark(q, i); /* empty: the tag may stay (holds_one) */
            q->last = out->key;
            if (q->live >= PF_LIVE)
                prefetch_ahead(q);
            gather_if_few(q);
            return TRUE;
        }
        if (q->live < PF_LIVE) {
            const Entry *m = bucket_first_min(q, i, limit);
            if (m == NULL)
                return FALSE;
            redistribute_take(q, i, m, out);
            gather_if_few(q);
            return TRUE;
        }
        uint64_t base = bucket_base(q->last, level, slot);
        if (base > limit)
            return FALSE;
        redistribute(q, level, slot, base);
    }
}

/* Why: a bucket holding a single entry holds the minimum, so it is taken where it
 * is instead of being moved down level by level (the common case when events are
 * sparse relative to the 128 ns width of a level-1 slot). Setting the floor to its
 * key keeps invariant 1 for every other bucket, as redistribution would. At
 * level 0 the key is the floor already, and the single entry is the bucket's
 * front, which take_front would take the same way. Why the test of the blocks
 * first: it alone tells the common case, without the level or the slot. */
gboolean sim__queue_take_min(SimQueue *q, SimTime limit, Entry *out) {
    uint64_t words = q->words;
    unsigned w = ctz64(words);
    uint64_t bits = q->bits[w];
    unsigned i = w * 64 + ctz64(bits);
    Bucket *bk = &q->buckets[i];
    if (G_UNLIKELY(bk->head != NULL)) {
        Entry e; /* not out: the caller's entry then stays out of memory */
        if (!take_min_loop(q, limit, &e))
            return FALSE;
        *out = e;
        return TRUE;
    }
    if (bk->one.key > limit)
        return FALSE;
    *out = bk->one;
    /* unmark(q, i), from the words already read: i's bit is the lowest set
     * one of bits, and w's the lowest of words (the tag may stay: holds_one).
     * Why no branch on the word's emptying: with few events pending it is
     * a coin toss (half of its tests were mispredicted) */
    uint64_t rest = bits & (bits - 1);
    q->bits[w] = rest;
    q->words = words ^ ((uint64_t)(rest == 0) << w);
    q->last = out->key;
    if (q->live >= PF_LIVE && i >= SLOTS0) /* as the loop: not at level 0 unmoved */
        prefetch_ahead(q);
    gather_if_few(q);
    return TRUE;
}

gboolean sim_queue_pop(SimQueue *q, SimTime limit, SimTime *time, SimEventFn *fn, gpointer *data,
                       GDestroyNotify *destroy) {
    g_return_val_if_fail(q != NULL && time != NULL && fn != NULL, FALSE);
    g_return_val_if_fail(data != NULL && destroy != NULL, FALSE);
    Entry e;
    if (!sim__queue_take(q, limit, FALSE, &e))
        return FALSE;
    const SimHandler *h = &q->handlers.pairs[e.tag & ID_MASK];
    *time = e.key;
    *fn = h->fn;
    *data = e.data;
    *destroy = h->destroy;
    return TRUE;
}
