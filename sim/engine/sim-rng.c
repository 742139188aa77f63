/* sim-rng.c: xoshiro256** streams seeded per (seed, name).
 *
 * Invariants:
 * 1. The state is never all zero (xoshiro's only fixed point); seeding checks it.
 * 2. A stream depends only on (seed, name): there is no global or shared state.
 * 3. uniform01 returns k * 2^-53 for k in [0, 2^53); uniform_open returns
 *    (k + 0.5) * 2^-53, which is never 0 nor 1. */
#include "sim/engine/sim-rng.h"

#define FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME  UINT64_C(0x100000001b3)

/* splitmix64 (Steele, Lea, Flood): advances @state and returns a mixed output. */
static uint64_t splitmix64(uint64_t *state) {
    uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t hash_more(uint64_t h, const char *text) {
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
        h ^= *p;
        h *= FNV_PRIME;
    }
    return h;
}

uint64_t sim_rng_hash_name(const char *name) {
    g_return_val_if_fail(name != NULL, FNV_OFFSET);
    return hash_more(FNV_OFFSET, name);
}

static void init_hashed(SimRng *rng, uint64_t seed, uint64_t name_hash) {
    uint64_t mixed = seed;
    uint64_t state = splitmix64(&mixed) ^ name_hash;
    for (int i = 0; i < 4; i++)
        rng->s[i] = splitmix64(&state);
    if ((rng->s[0] | rng->s[1] | rng->s[2] | rng->s[3]) == 0)
        rng->s[0] = 1;
}

void sim_rng_init_numbered(SimRng *rng, uint64_t seed, uint64_t prefix_hash, uint64_t n) {
    g_return_if_fail(rng != NULL);
    char digits[21];
    int len = 20;
    digits[len] = '\0';
    do {
        digits[--len] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    init_hashed(rng, seed, hash_more(prefix_hash, digits + len));
}

/* Why: the seed is mixed through splitmix64 before the name hash is xored in, so
 * that nearby seeds and nearby names do not cancel each other out. */
void sim_rng_init(SimRng *rng, uint64_t seed, const char *name) {
    g_return_if_fail(rng != NULL);
    g_return_if_fail(name != NULL);
    init_hashed(rng, seed, sim_rng_hash_name(name));
}

SimRng *sim_rng_new(uint64_t seed, const char *name) {
    g_return_val_if_fail(name != NULL, NULL);
    SimRng *rng = g_new(SimRng, 1);
    sim_rng_init(rng, seed, name);
    return rng;
}

void sim_rng_free(SimRng *rng) { g_free(rng); }

/* xoshiro256** 1.0, as published by Blackman and Vigna. */
uint64_t sim_rng_next_u64(SimRng *rng) {
    uint64_t *s = rng->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double sim_rng_uniform01(SimRng *rng) { return (double)(sim_rng_next_u64(rng) >> 11) * 0x1.0p-53; }

double sim_rng_uniform_open(SimRng *rng) {
    return ((double)(sim_rng_next_u64(rng) >> 11) + 0.5) * 0x1.0p-53;
}

/* Why the negative factor: the product by -2^-53, a power of two, is exact,
 * so this is -sim_rng_uniform_open bit for bit, without the negation. */
double sim__rng_uniform_open_neg(SimRng *rng) {
    return ((double)(sim_rng_next_u64(rng) >> 11) + 0.5) * -0x1.0p-53;
}

/* Why: plain modulo favours small values when n does not divide 2^64; rejecting
 * draws below 2^64 mod n leaves a multiple of n equally likely outcomes. */
uint64_t sim_rng_range(SimRng *rng, uint64_t n) {
    g_return_val_if_fail(rng != NULL, 0);
    g_return_val_if_fail(n > 0, 0);
    uint64_t threshold = (0 - n) % n;
    uint64_t r;
    do
        r = sim_rng_next_u64(rng);
    while (r < threshold);
    return r % n;
}
