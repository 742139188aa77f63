/* The VMO lock (mdl-lock.c): one lock per VMO hierarchy (there are no clones,
 * so one per VMO), taken by a thread's walk (GetPage, FinalizeRequest and the
 * pages between them), a pager worker's supply or fail, and the supply, fail,
 * detach and resize actions; not by a pager handle close. A holder keeps it
 * while it pays its costs (kernel.walk_page per page examined,
 * kernel.supply_page per page supplied); waiters are granted it in FIFO order.
 *
 * The lock is on only when a lock cost is non-zero (mdl__kernel_lock_on):
 * otherwise w->locks is NULL and none of these functions is called, so runs
 * without lock costs are the same event for event.
 */
#pragma once

#include "sim/model/mdl-private.h"

typedef struct _MdlLock MdlLock;

/* Every function here runs only with the lock on: cold, so that the hot paths
 * that test w->locks keep their size (and the 64 x 16,384 fault benchmark its
 * speed). */
#define MDL_LOCK_COLD __attribute__((cold, noinline))

/* World setup and teardown: creates w->locks (one per VMO) and points the
 * figures at them when the lock is on; does nothing otherwise. */
MDL_LOCK_COLD void mdl__locks_init(MdlWorld *w);
MDL_LOCK_COLD void mdl__locks_free(MdlWorld *w);
/* The warm-up ended: clears the lock figures. */
MDL_LOCK_COLD void mdl__locks_start_window(MdlWorld *w);

/* --check: invariants 1 and 3 of mdl-lock.c for @vmo's lock. Returns FALSE
 * with @why set on a violation. */
MDL_LOCK_COLD gboolean mdl__lock_check(const MdlVmo *vmo, GString *why);

/* A thread's walk. enter: TRUE when @t holds its VMO's lock (now, or already);
 * FALSE when it queued and parked (its next resumption, in MDL_PH_WALK, has
 * the lock, or an interrupt: see interrupted). */
MDL_LOCK_COLD gboolean mdl__lock_thread_enter(MdlThread *t);
/* @t was woken by a kill or suspend (@status) while it waited for the lock (or
 * just as it was granted): leaves the queue (or releases), then ends the
 * access (kill) or restarts it once resumed (suspend, as core/README.md D6). */
MDL_LOCK_COLD void mdl__lock_thread_interrupted(MdlThread *t, int32_t status);
/* Before the walk looks at a page: TRUE with @sleep set when the page's
 * walk_page cost must be paid first (the holder sleeps with the lock);
 * FALSE once paid (or free). */
MDL_LOCK_COLD gboolean mdl__lock_walk_pause(MdlThread *t, SimTime *sleep);
/* The walk looks at the same page again at once (anonymous memory inserted a
 * zero page): that look is already paid for. */
MDL_LOCK_COLD void mdl__lock_walk_same_page(MdlThread *t);
/* The walk stopped: to sleep (@sleeping), block (@blocking) or end. A sleep
 * for a page's cost, or inside a commit's batch, keeps the lock; otherwise it
 * is released. Before a block, the unlock_to_wait cost: returns TRUE if @t
 * now sleeps for it (phase MDL_PH_PREWAIT). */
MDL_LOCK_COLD gboolean mdl__lock_thread_leave(MdlThread *t, gboolean sleeping, gboolean blocking);

/* A pager worker about to supply @pages pages (0 for a fail) to VMO
 * @vmo: TRUE when it holds the lock and has paid supply_page for them; FALSE
 * when it queued or sleeps for the cost (its next step asks again). */
MDL_LOCK_COLD gboolean mdl__lock_worker_ready(MdlWorker *wk, SimThread *st, uint64_t pages);
/* The worker's supply or fail is done: releases the lock. */
MDL_LOCK_COLD void mdl__lock_worker_done(MdlWorker *wk);

/* A supply, fail, detach or resize action: TRUE if the lock took it over (it
 * completes with mdl__action_complete once it holds the lock and paid for the
 * pages a supply inserts); FALSE for an action that does not take the lock. */
MDL_LOCK_COLD gboolean mdl__lock_action(MdlWorld *w, const ScnAction *a);
