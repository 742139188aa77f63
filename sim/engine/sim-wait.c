/* sim-wait.c: SimWaitQueue (FIFO of waiters).
 *
 * Invariants:
 * 1. A SimWaitQueue is a singly linked list through SimThread.next (thread
 *    places, sim-thread-private.h; 0 ends it) from head to tail, of
 *    exactly len threads, each WAITING with arg.queue == the queue.
 * 2. Every wake goes through sim__thread_wake, so woken threads resume in the
 *    order they were woken. */
#include "sim/engine/sim-thread-private.h"

void sim_wait_queue_init(SimWaitQueue *queue) {
    g_return_if_fail(queue != NULL);
    *queue = (SimWaitQueue){0};
}

void sim_wait_queue_clear(SimWaitQueue *queue) {
    g_return_if_fail(queue != NULL);
    g_return_if_fail(queue->len == 0);
    *queue = (SimWaitQueue){0};
}

void sim__wait_queue_append(SimWaitQueue *queue, SimThread *thread) {
    thread->next = 0;
    if (queue->tail != NULL)
        queue->tail->next = sim__thread_place(thread);
    else
        queue->head = thread;
    queue->tail = thread;
    queue->len++;
}

/* The thread after @thread in its queue, or NULL. */
static SimThread *next_of(const SimThread *thread) {
    return thread->next != 0 ? sim__thread_at(sim__thread_engine(thread), thread->next) : NULL;
}

/* Unlinks @thread, the head of @queue (every wake: inline there). */
static inline void remove_head(SimWaitQueue *queue, SimThread *thread) {
    queue->head = next_of(thread);
    if (queue->tail == thread)
        queue->tail = NULL;
    thread->next = 0;
    queue->len--;
}

/* O(1) for the head; otherwise a walk from the head to the thread before
 * @thread (a kill or suspend of a waiting thread). */
void sim__wait_queue_remove(SimWaitQueue *queue, SimThread *thread) {
    if (queue->head == thread) {
        remove_head(queue, thread);
        return;
    }
    SimThread *p = queue->head;
    while (p->next != sim__thread_place(thread))
        p = next_of(p);
    p->next = thread->next;
    if (queue->tail == thread)
        queue->tail = p;
    thread->next = 0;
    queue->len--;
}

guint sim_wait_queue_wake_one(SimWaitQueue *queue, int32_t status) {
    g_return_val_if_fail(queue != NULL, 0);
    SimThread *t = queue->head;
    if (t == NULL)
        return 0;
    remove_head(queue, t);
    sim__thread_wake(t, status);
    return 1;
}

guint sim_wait_queue_wake_all(SimWaitQueue *queue, int32_t status) {
    g_return_val_if_fail(queue != NULL, 0);
    guint n = 0;
    while (queue->head != NULL)
        n += sim_wait_queue_wake_one(queue, status);
    return n;
}

guint sim_wait_queue_get_len(const SimWaitQueue *queue) {
    g_return_val_if_fail(queue != NULL, 0);
    return queue->len;
}
