/* sim-rng.h: named, independent random streams.
 *
 * Every component that draws random numbers owns one SimRng, derived from the
 * scenario seed and the component's name: the 256-bit xoshiro256** state is
 * filled by splitmix64 from mix(seed) ^ FNV-1a-64(name). Streams of different
 * names are independent, so adding a component never changes the draws of
 * another, and the same seed and name always reproduce the same sequence. The
 * generator is xoshiro256** 1.0 (Blackman and Vigna), implemented here from the
 * published algorithm: 32 bytes of state, period 2^256 - 1. SimRng is a plain
 * struct so it can be embedded; its fields are private. No global state. */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

typedef struct {
    /*< private >*/
    uint64_t s[4]; /* xoshiro256** state, never all zero. */
} SimRng;

/* sim_rng_init:
 * Seeds @rng (out, caller-allocated) for stream @name (in, not kept) under @seed.
 * Deterministic: the same (seed, name) gives the same stream. */
void sim_rng_init(SimRng *rng, uint64_t seed, const char *name);

/* sim_rng_new:
 * Returns (transfer full) a heap-allocated stream, as sim_rng_init. */
SimRng *sim_rng_new(uint64_t seed, const char *name);

/* sim_rng_free:
 * Frees a stream from sim_rng_new. Accepts NULL. */
void sim_rng_free(SimRng *rng);

/* sim_rng_next_u64:
 * Returns the next 64 uniformly distributed bits. O(1), about 1 ns. */
uint64_t sim_rng_next_u64(SimRng *rng);

/* sim_rng_uniform01:
 * Returns a uniform double in [0, 1) with 53 random bits (multiples of 2^-53). */
double sim_rng_uniform01(SimRng *rng);

/* sim_rng_uniform_open:
 * Returns a uniform double in (0, 1), (k + 0.5) * 2^-53 for a uniform 53-bit k;
 * for inverse-transform sampling, where 0 and 1 must never occur. */
double sim_rng_uniform_open(SimRng *rng);

/* sim__rng_uniform_open_neg: -sim_rng_uniform_open(@rng), the same value
 * from the same draw (for sim_dist_sample's exponential; engine-private). */
double sim__rng_uniform_open_neg(SimRng *rng);

/* sim_rng_range:
 * Returns a uniform integer in [0, @n), without bias (rejection sampling). @n must
 * be > 0 (programming error otherwise; then returns 0). */
uint64_t sim_rng_range(SimRng *rng, uint64_t n);

/* sim_rng_hash_name:
 * Returns the 64-bit FNV-1a hash of @name, the value mixed into the seed. */
uint64_t sim_rng_hash_name(const char *name);

/* sim_rng_init_numbered:
 * The same stream as sim_rng_init(@rng, @seed, PREFIX followed by @n in decimal)
 * where @prefix_hash is sim_rng_hash_name(PREFIX), without formatting the name:
 * for the numbered streams of many threads. */
void sim_rng_init_numbered(SimRng *rng, uint64_t seed, uint64_t prefix_hash, uint64_t n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimRng, sim_rng_free)

G_END_DECLS
