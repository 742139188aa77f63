/* sim-queue.h: the monotone event queue under the engine.
 *
 * A SimQueue holds pending events, each a handler with a payload, keyed by
 * (time, seq): seq numbers pushes from 1 up, so events due at the same time come
 * out in the order they were pushed, and an event pushed for the current time
 * comes out after every event already queued for it. Because simulated time never
 * goes backwards, the queue is a radix heap with 7-, 11- then 8-bit digits (a
 * hierarchical timing wheel): push is O(1), pop is amortized O(1) (an event is moved down at
 * most 7 times in its life) and cancel is O(log n). An event pushed for the floor
 * itself (the current time: wakes and spawns) goes to a FIFO buffer instead, which
 * comes out right after the floor's own bucket. Each pending event is one
 * 24-byte entry (time, payload, seq and handler id), the first of a bucket held
 * in the bucket itself and the rest in chained blocks, and nothing else: there
 * is no per-event node, so push and pop touch no memory at random, which is what
 * keeps them fast with millions of events pending; a bucket of one event (most
 * of them, when events are sparse) needs no block at all. The payloads of the
 * next events to run are prefetched (when redistributed below 16,384 pending, a
 * batch at a time ahead of the pop above), and so are the entries of a large
 * block being redistributed: none of this changes the order of events.
 * A handle is the event's (time, seq); cancel finds the entry by binary search in
 * the one bucket that can hold it, finalizes the payload at once and leaves a
 * tombstone that the pop or a compaction pass drops. A handle can never name a
 * later event, since seq is never reused. Memory (sim_queue_get_memory): about
 * 232 KiB of fixed tables (3,712 buckets of 64 bytes), plus 24 bytes per
 * pending event but the first of each bucket (or cancelled one not yet
 * dropped) in chains of blocks that double in size, so at most about the same
 * again in partly filled blocks, and a 112-byte first block per bucket holding
 * more than one event; emptied blocks are pooled for reuse, so the queue keeps
 * its peak footprint until freed. Measured by bench-engine-queue: about 105 bytes
 * per pending event at 10,000 pending, 55 at 10 million. Most code uses SimEngine;
 * the queue is public for the benchmark and the tests. */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "sim/engine/sim-time.h"

G_BEGIN_DECLS

typedef struct _SimEngine SimEngine;
typedef struct _SimQueue SimQueue;

/* SimEventFn: an event handler. @engine is the engine running it, @data the
 * payload given at scheduling time (borrowed: it is finalized after the call). */
typedef void (*SimEventFn)(SimEngine *engine, gpointer data);

/* A handle naming one scheduled event: its time and sequence number. Compare
 * with sim_handle_is_none, not ==. */
typedef struct {
    SimTime time; /* The event's time. */
    uint64_t seq; /* Its sequence number; 0 only in SIM_HANDLE_NONE. */
} SimHandle;
#define SIM_HANDLE_NONE ((SimHandle){SIM_TIME_INVALID, 0})

static inline gboolean sim_handle_is_none(SimHandle handle) { return handle.seq == 0; }

/* sim_queue_new:
 * Returns (transfer full) an empty queue whose floor (lowest acceptable time) is 0. */
SimQueue *sim_queue_new(void);

/* sim_queue_free:
 * Calls the finalizer of every pending event (in unspecified order), then frees the
 * queue. Accepts NULL. */
void sim_queue_free(SimQueue *q);

/* sim_queue_push:
 * Queues @fn(@data) at @time. Takes ownership of @data: @destroy (nullable) is
 * called exactly once, by sim_queue_cancel, by the caller after sim_queue_pop hands
 * it back, or by sim_queue_free. @time must be >= sim_queue_get_floor(); a time
 * below it is a programming error, and then @data is finalized at once.
 * At most 65535 distinct (@fn, @destroy) pairs may be used with one queue.
 * Returns the handle of the new event.
 * Returns SIM_HANDLE_NONE if the push was refused (programming error).
 * Complexity: O(1) amortized. */
SimHandle sim_queue_push(SimQueue *q, SimTime time, SimEventFn fn, gpointer data,
                         GDestroyNotify destroy);

/* sim_queue_cancel:
 * Removes the event named by @handle and calls its finalizer before returning.
 * Returns TRUE if the event was pending and is now cancelled.
 * Returns FALSE if @handle is SIM_HANDLE_NONE, was already popped or cancelled.
 * Complexity: O(log n) (a compaction pass, O(n), runs when tombstones outnumber
 * live events, so O(1) amortized on top). */
gboolean sim_queue_cancel(SimQueue *q, SimHandle handle);

/* sim_queue_is_pending:
 * Returns TRUE if @handle names an event still in the queue. O(log n). */
gboolean sim_queue_is_pending(const SimQueue *q, SimHandle handle);

/* sim_queue_pop:
 * Removes the first event in (time, seq) order if its time is <= @limit (pass
 * SIM_TIME_INVALID for no limit), and hands it out through @time, @fn, @data and
 * @destroy (all out, none nullable). Ownership of the payload passes to the caller,
 * who must call @destroy(@data) when done if @destroy is not NULL. On success the
 * floor becomes the popped time; otherwise the floor may rise, but never above
 * @limit.
 * Returns TRUE if an event was popped.
 * Returns FALSE if the queue is empty or its first event is after @limit.
 * Complexity: O(1) amortized. */
gboolean sim_queue_pop(SimQueue *q, SimTime limit, SimTime *time, SimEventFn *fn, gpointer *data,
                       GDestroyNotify *destroy);

/* sim_queue_peek_time:
 * Returns the time of the first pending event, or SIM_TIME_INVALID if empty. Does
 * not change the queue's order or floor. Complexity: O(size of one bucket). */
SimTime sim_queue_peek_time(const SimQueue *q);

/* sim_queue_get_len:
 * Returns the number of pending (not cancelled) events. */
gsize sim_queue_get_len(const SimQueue *q);

/* sim_queue_get_memory:
 * Returns the bytes the queue holds: its struct, every block allocated (in use
 * or pooled for reuse), the FIFO buffer and the handler table, not counting the
 * allocator's own overhead per allocation. It never decreases before
 * sim_queue_free. For benchmarks and tests. */
gsize sim_queue_get_memory(const SimQueue *q);

/* sim_queue_get_floor:
 * Returns the lowest time a push may use: the last popped time, or a time the
 * queue moved up to while looking for events before a limit. */
SimTime sim_queue_get_floor(const SimQueue *q);

/* sim_queue_check_invariants:
 * Checks the invariants listed in sim-queue.c with g_assert (aborts on failure).
 * For tests; O(n). */
void sim_queue_check_invariants(const SimQueue *q);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimQueue, sim_queue_free)

G_END_DECLS
