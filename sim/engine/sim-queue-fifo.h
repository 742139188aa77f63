/* sim-queue-fifo.h: the event queue's now-FIFO, the entries pushed at the
 * floor (invariant 7 of sim-queue.c): its layout and its growth (its push
 * and pop are inline, sim-queue-private.h, which includes this once
 * SimQueueEntry is defined). Not for use outside sim/engine/. */
#pragma once

/* Why a run of entries rather than a ring: a push is a store at wr and a pop
 * a load at rd, with no index to wrap; the run is moved back to the start of
 * the buffer only when wr reaches the end of the window the pushes may use
 * (sim__queue_fifo_grow), which an emptied FIFO makes a rewind. */
typedef struct {
    SimQueueEntry *rd;    /* First entry held. */
    SimQueueEntry *wr;    /* Past the last entry held: rd == wr when empty. */
    SimQueueEntry *end;   /* End of the window: a push at it calls the grow. */
    SimQueueEntry *base;  /* Start of the buffer (NULL before the first push). */
    SimQueueEntry *limit; /* End of the buffer (>= end). */
} SimQueueFifo;

/* sim__queue_fifo_grow: makes room for a push to the now-FIFO, whose wr is
 * at its window's end: moves its entries to the start, after doubling the
 * window (and the buffer) if they fill half of it (out of line). */
void sim__queue_fifo_grow(SimQueueFifo *f);
