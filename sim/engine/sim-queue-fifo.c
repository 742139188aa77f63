/* sim-queue-fifo.c: the growth of the event queue's now-FIFO (its pushes and
 * pops are inline, sim-queue-private.h; its invariant 7 is in sim-queue.c). */
#include "sim/engine/sim-queue-private.h"

#include <string.h>

/* Why: pushes at the floor are the wakes and spawns of the event running now;
 * the FIFO takes them in O(1) with no bucket, bitmap or block to touch (the
 * push itself is inline, sim__queue_push_id; this is its room). The run of
 * entries is moved back to the start of the buffer; if it fills more than
 * half of the window, the window doubles first (and the buffer with it when
 * it is the whole buffer), so each push moves O(1) entries amortized. A FIFO
 * found empty there (the common case: it drains before time moves) is rewound
 * to a window of SIM__QUEUE_FIFO_WINDOW entries: once it grew large (a
 * million spawns at once), its pushes walk the large buffer once more, then
 * keep to the same few cache lines (a ring would walk all of it forever). */
void sim__queue_fifo_grow(SimQueueFifo *f) {
    gsize len = (gsize)(f->wr - f->rd), cap = (gsize)(f->limit - f->base);
    gsize window = (gsize)(f->end - f->base);
    if (len == 0)
        window = MIN(cap, SIM__QUEUE_FIFO_WINDOW);
    else if (len > window / 2)
        window = MAX(2 * window, SIM__QUEUE_FIFO_WINDOW);
    if (window > cap || cap == 0) {
        cap = MAX(window, SIM__QUEUE_FIFO_WINDOW);
        SimQueueEntry *n = g_new(SimQueueEntry, cap);
        if (len > 0)
            memcpy(n, f->rd, len * sizeof(SimQueueEntry));
        g_free(f->base);
        *f = (SimQueueFifo){.rd = n, .wr = n + len, .end = n + cap, .base = n, .limit = n + cap};
        return;
    }
    if (len > 0)
        memmove(f->base, f->rd, len * sizeof(SimQueueEntry));
    f->rd = f->base;
    f->wr = f->base + len;
    f->end = f->base + window;
}
