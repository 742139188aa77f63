/* sim-queue-small.h: the event queue's small tier, a sorted array that holds
 * the pending timers while they are few, and its thresholds; included by
 * sim-queue-private.h once SimQueueEntry is defined. Not for use outside
 * sim/engine/. Its rules (invariant 8) are in sim-queue.c. */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "sim/engine/sim-queue.h"

/* Why a tier at all: with a handful of timers pending (an open M/M/c model
 * has one arrival and at most 8 services), each push of the radix tier
 * writes a cold line of its 2,048 level-1 buckets (128 KiB); the small tier
 * is SIM__QUEUE_SMALL_CAP entries in a few lines that stay in cache. */
#define SIM__QUEUE_SMALL_CAP 32 /* Entries it holds; one more moves all to the radix tier. */
/* A take from the radix tier made while at most SIM__QUEUE_SMALL_LO + 1
 * events are pending (counted before the take) brings the rest back. */
#define SIM__QUEUE_SMALL_LO 8
/* Why a hold: a workload whose pending count swings across the tier's size
 * (64 threads woken at once by one supply, each then sleeping) would spill
 * and gather on every swing, costing more than the buckets alone. A spill
 * within SIM__QUEUE_SMALL_CHURN pushes of the last gather doubles how many
 * pushes the buckets keep the timers before the next gather (from
 * SIM__QUEUE_SMALL_CHURN up to SIM__QUEUE_SMALL_HOLD_MAX); a later spill
 * clears it. Only where the timers are held changes, never their order. */
#define SIM__QUEUE_SMALL_CHURN    256
#define SIM__QUEUE_SMALL_HOLD_MAX (1u << 16)

/* The small tier's hold (above): seqs of the last gather (0: none yet; a
 * gather follows a push, so its seq is not 0) and spill, and how many
 * pushes after the spill a gather waits for. */
typedef struct {
    uint64_t gathered, spilled;
    uint32_t hold;
} SimQueueSmallHold;

/* sim__queue_small_insert:
 * Inserts @e into @a, which holds @n (< SIM__QUEUE_SMALL_CAP) entries in
 * decreasing (key, seq), the least last. @e's seq is greater than every
 * seq in @a (it is the newest push), so it goes before every entry of a
 * key <= its own: those are moved one place up (an insertion sort's step). */
static inline void sim__queue_small_insert(SimQueueEntry *a, uint32_t n, SimQueueEntry e) {
    while (n > 0 && a[n - 1].key <= e.key) {
        a[n] = a[n - 1];
        n--;
    }
    a[n] = e;
}

/* sim__queue_small_drop_tombstones: drops the small tier's tombstones
 * (cancelled entries), keeping the order of the rest; returns whether there
 * were any (out of line). */
gboolean sim__queue_small_drop_tombstones(SimQueue *q);

/* sim__queue_small_spill: takes @e, a push that found the small tier full
 * (its tag 0: none): into the small tier if it held tombstones, dropped
 * then; else moves the small tier's entries and then @e to the radix tier,
 * which @q uses from then on (out of line). */
void sim__queue_small_spill(SimQueue *q, SimQueueEntry e);

/* sim__queue_small_ties: moves the small tier's entries of key == the floor
 * (at its end) to the now-FIFO, which is empty: invariant 8 (out of line). */
void sim__queue_small_ties(SimQueue *q);

/* sim__queue_small_gather: moves the radix tier's entries to the small tier,
 * dropping tombstones, for a take from the radix tier made while at most
 * SIM__QUEUE_SMALL_LO + 1 events are pending (q->live before the take's own
 * decrement: at most SIM__QUEUE_SMALL_LO remain after a live take), if the
 * now-FIFO is empty (else a later take does it). */
void sim__queue_small_gather(SimQueue *q);

/* sim__queue_append_cold: sim__queue_append, for the small tier's spill. */
void sim__queue_append_cold(SimQueue *q, SimQueueEntry e);

/* sim__queue_drain: moves the radix tier's live entries to @out (room for
 * them all), in no order, emptying it and dropping its tombstones; returns
 * how many (sim-queue.c, which owns the blocks). */
gsize sim__queue_drain(SimQueue *q, SimQueueEntry *out);

/* sim__queue_small_disable: moves the small tier's entries to the radix
 * tier and keeps it off, for tests of the radix tier alone. */
void sim__queue_small_disable(SimQueue *q);
