/* sim-queue-levels.h: the digits of the event queue's radix heap (how many
 * bits of the key each level's slot takes) and the bucket of a key under a
 * floor, shared by the queue's inline push (sim-queue-private.h) and its
 * source files. Not for use outside sim/engine/. */
#pragma once

#include <glib.h>
#include <stdint.h>

/* Why these digits: a slot of level 1 is 2^D0 ns wide and level 1 spans
 * 2^(D0 + D1) ns. Timers are taken where they are when alone in their
 * bucket; two in one level-1 slot, or a timer past level 1 (level 2 and up),
 * cost a move. Narrow level-1 slots (128 ns) and a wide level 1 (262 us,
 * against mean services of 50 us) make both rare; levels 2 and up have 8-bit
 * digits, and the slot bitmaps of all levels fit one 64-bit summary. */
#define SIM__QUEUE_D0      7  /* Bits of level 0's digit: 128 slots of 1 ns. */
#define SIM__QUEUE_D1      11 /* Bits of level 1's digit: 2,048 slots of 128 ns. */
#define SIM__QUEUE_DN      8  /* Bits of the digit of each level above. */
#define SIM__QUEUE_LEVELS  8  /* 7 + 11 + 6 * 8 = 66 bits >= 64. */
#define SIM__QUEUE_SLOTS0  (1u << SIM__QUEUE_D0)
#define SIM__QUEUE_BASE2   (SIM__QUEUE_SLOTS0 + (1u << SIM__QUEUE_D1))
#define SIM__QUEUE_BUCKETS (SIM__QUEUE_BASE2 + (SIM__QUEUE_LEVELS - 2) * (1u << SIM__QUEUE_DN))

/* sim__queue_msb64: the index of the highest set bit of @x (not 0). */
#if defined(__GNUC__)
static inline unsigned sim__queue_msb64(uint64_t x) { return 63u - (unsigned)__builtin_clzll(x); }
#else
static inline unsigned sim__queue_msb64(uint64_t x) { return (unsigned)g_bit_nth_msf(x, -1); }
#endif

/* The level of a key whose highest bit differing from the floor is @m. */
#define SIM__QUEUE_LEVEL_OF_MSB(m)                                                                 \
    ((m) < SIM__QUEUE_D0 ? 0u                                                                      \
     : (m) < SIM__QUEUE_D0 + SIM__QUEUE_D1                                                         \
         ? 1u                                                                                      \
         : 2u + ((m)-SIM__QUEUE_D0 - SIM__QUEUE_D1) / SIM__QUEUE_DN)

/* The first bucket index, lowest key bit and slot mask of level @L. */
#define SIM__QUEUE_BASE(L)                                                                         \
    ((L) == 0   ? 0u                                                                               \
     : (L) == 1 ? SIM__QUEUE_SLOTS0                                                                \
                : SIM__QUEUE_BASE2 + ((L)-2) * (1u << SIM__QUEUE_DN))
#define SIM__QUEUE_SHIFT(L)                                                                        \
    ((L) == 0   ? 0u                                                                               \
     : (L) == 1 ? SIM__QUEUE_D0                                                                    \
                : SIM__QUEUE_D0 + SIM__QUEUE_D1 + ((L)-2) * SIM__QUEUE_DN)
#define SIM__QUEUE_MASK(L)                                                                         \
    ((L) == 0   ? SIM__QUEUE_SLOTS0 - 1                                                            \
     : (L) == 1 ? (1u << SIM__QUEUE_D1) - 1                                                        \
                : (1u << SIM__QUEUE_DN) - 1)

/* The bucket of a key by the highest bit @m it differs from the floor in. */
typedef struct {
    uint16_t base;  /* First bucket index of the level. */
    uint16_t mask;  /* Slots of the level, less one. */
    uint32_t shift; /* Lowest key bit of the level's digit. */
} SimQueueLevelOf;
#define SIM__QUEUE_LV(m)                                                                           \
    {                                                                                              \
        SIM__QUEUE_BASE(SIM__QUEUE_LEVEL_OF_MSB(m)), SIM__QUEUE_MASK(SIM__QUEUE_LEVEL_OF_MSB(m)),  \
            SIM__QUEUE_SHIFT(SIM__QUEUE_LEVEL_OF_MSB(m))                                           \
    }
#define SIM__QUEUE_LV8(m)                                                                          \
    SIM__QUEUE_LV(m), SIM__QUEUE_LV(m + 1), SIM__QUEUE_LV(m + 2), SIM__QUEUE_LV(m + 3),            \
        SIM__QUEUE_LV(m + 4), SIM__QUEUE_LV(m + 5), SIM__QUEUE_LV(m + 6), SIM__QUEUE_LV(m + 7)
static const SimQueueLevelOf sim__queue_level_of[64] = {
    SIM__QUEUE_LV8(0),  SIM__QUEUE_LV8(8),  SIM__QUEUE_LV8(16), SIM__QUEUE_LV8(24),
    SIM__QUEUE_LV8(32), SIM__QUEUE_LV8(40), SIM__QUEUE_LV8(48), SIM__QUEUE_LV8(56)};

/* sim__queue_bucket_of: the index of the bucket of @key (> @last) under
 * floor @last: its level's base plus its slot, the level being the one of
 * the highest bit in which @key differs from @last (a table, no branch). */
static inline unsigned sim__queue_bucket_of(uint64_t key, uint64_t last) {
    const SimQueueLevelOf *lv = &sim__queue_level_of[sim__queue_msb64((key ^ last) | 1)];
    return lv->base + ((unsigned)(key >> lv->shift) & lv->mask);
}
