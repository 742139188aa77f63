/* sim-queue-small.c: the switches between the event queue's small tier and
 * its radix tier, and the small tier's equal-time case (its push and take
 * are inline, sim-queue-private.h; its invariant 8 is in sim-queue.c). */
#include "sim/engine/sim-queue-inline.h"

/* Sorts @a (@n entries) into increasing seq: the order of appends that
 * keeps each bucket in seq order (invariant 2). */
static void sort_by_seq(Entry *a, gsize n) {
    for (gsize i = 1; i < n; i++) {
        Entry e = a[i];
        gsize j = i;
        for (; j > 0 && a[j - 1].tag > e.tag; j--)
            a[j] = a[j - 1];
        a[j] = e;
    }
}

/* Why: cancelled timers (a timeout that did not fire) would otherwise fill
 * the small tier and move a few live ones to the radix tier, and back at
 * the next take, over and over; dropping them keeps the order of the rest. */
gboolean sim__queue_small_drop_tombstones(SimQueue *q) {
    uint32_t kept = 0;
    for (uint32_t i = 0; i < q->small_n; i++)
        if (!(q->small[i].tag & CANCELLED))
            q->small[kept++] = q->small[i];
    q->dead -= q->small_n - kept;
    gboolean dropped = kept < q->small_n;
    q->small_n = kept;
    return dropped;
}

/* Why every entry goes back through the radix tier's append, in seq order:
 * each lands in the bucket its key names, after the earlier ones, as if it
 * had been pushed there (invariants 1 and 2); the tombstones are dropped
 * first (a push's spill ends there if there were any). */
void sim__queue_small_spill(SimQueue *q, Entry e) {
    if (sim__queue_small_drop_tombstones(q) && e.tag != 0) {
        sim__queue_small_insert(q->small, q->small_n++, e);
        return;
    }
    gsize n = q->small_n;
    sort_by_seq(q->small, n);
    q->small_n = 0;
    q->small_on = FALSE;
    SimQueueSmallHold *h = &q->small_hold;
    if (h->gathered != 0 && q->seq - h->gathered < SIM__QUEUE_SMALL_CHURN)
        h->hold = MIN(MAX(h->hold * 2, SIM__QUEUE_SMALL_CHURN), SIM__QUEUE_SMALL_HOLD_MAX);
    else
        h->hold = 0;
    h->spilled = q->seq;
    for (gsize i = 0; i < n; i++)
        sim__queue_append_cold(q, q->small[i]);
    if (e.tag != 0)
        sim__queue_append_cold(q, e);
}

void sim__queue_small_disable(SimQueue *q) {
    q->small_no = TRUE;
    if (q->small_on)
        sim__queue_small_spill(q, (Entry){0});
}

/* Why: the FIFO is served before the small tier (the take tests only the
 * radix tier's floor bucket), so entries of key == floor must not stay in
 * the small tier; being older than any push to come at this floor, and the
 * FIFO empty (the small tier is taken from only then), they go to its front
 * in seq order, as the floor's level-0 bucket would give them. */
void sim__queue_small_ties(SimQueue *q) {
    SimQueueFifo *f = &q->now;
    while (q->small_n > 0 && q->small[q->small_n - 1].key == q->last) {
        if (f->wr == f->end)
            sim__queue_fifo_grow(f);
        *f->wr++ = q->small[--q->small_n];
    }
}

/* Why the FIFO must be empty: entries of key == floor in the floor's bucket
 * precede the FIFO's, and go to it (sim__queue_small_ties) below. */
void sim__queue_small_gather(SimQueue *q) {
    if (q->small_no || q->now.rd != q->now.wr ||
        q->seq - q->small_hold.spilled < q->small_hold.hold)
        return;
    q->small_hold.gathered = q->seq;
    Entry all[SIM__QUEUE_SMALL_LO + 1];
    /* the radix tier holds at most the pending events (the FIFO is empty) */
    g_assert(q->live <= G_N_ELEMENTS(all));
    gsize n = sim__queue_drain(q, all);
    /* each insert then has the greatest seq, as the insert requires */
    sort_by_seq(all, n);
    q->small_on = TRUE;
    for (gsize i = 0; i < n; i++)
        sim__queue_small_insert(q->small, q->small_n++, all[i]);
    sim__queue_small_ties(q);
}
