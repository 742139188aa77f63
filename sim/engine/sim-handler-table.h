/* sim-handler-table.h: interned (handler, finalizer) pairs for SimQueue.
 *
 * A queue entry stores a 16-bit id instead of two function pointers, which keeps
 * it at 24 bytes. Handlers are static functions, so a simulation uses a few dozen
 * distinct pairs at most; the table maps each pair to a dense id with an
 * open-addressing index, and remembers the last pair looked up, which is the hit
 * in the common case of one handler scheduling many events in a row.
 * Internal to sim/engine/. */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "sim/engine/sim-queue.h"

/* Ids are below this; sim__handler_table_intern returns it when the table is full. */
#define SIM__HANDLER_TABLE_FULL 65535u

typedef struct {
    SimEventFn fn;          /* Handler. */
    GDestroyNotify destroy; /* Payload finalizer, nullable. */
} SimHandler;

typedef struct {
    SimHandler last_pair; /* The pair most recently interned ({NULL, NULL} at first). */
    uint32_t last;        /* Its id (meaningless while last_pair.fn is NULL). */
    uint32_t len;         /* Pairs in use. */
    SimHandler *pairs;    /* Distinct pairs, by id. */
    uint16_t *index;      /* Open addressing: id + 1, or 0 for an empty cell. */
    uint32_t mask;        /* Index size minus one. */
} SimHandlerTable;

/* sim__handler_table_clear:
 * Frees the table's storage and leaves it empty (a zeroed table is empty). */
void sim__handler_table_clear(SimHandlerTable *table);

/* sim__handler_table_lookup:
 * Returns the id of (@fn, @destroy), adding the pair if new. @fn must not be NULL.
 * Returns SIM__HANDLER_TABLE_FULL if the pair is new and 65535 are in use.
 * O(1) expected. */
uint32_t sim__handler_table_lookup(SimHandlerTable *table, SimEventFn fn, GDestroyNotify destroy);

/* sim__handler_table_intern:
 * As sim__handler_table_lookup, checking the last pair first (inline fast path:
 * two compares against a copy of it, with no load through pairs). */
static inline uint32_t sim__handler_table_intern(SimHandlerTable *table, SimEventFn fn,
                                                 GDestroyNotify destroy) {
    if (table->last_pair.fn == fn && table->last_pair.destroy == destroy)
        return table->last;
    return sim__handler_table_lookup(table, fn, destroy);
}
