/* A Zipf distribution over ranks 1..n with exponent theta > 0:
 * P(k) is proportional to k^-theta. Sampling uses Hoermann and Derflinger's
 * rejection-inversion method ("Rejection-inversion to generate variates from
 * monotone discrete distributions", 1996): O(1) set-up and O(1) expected time per
 * sample whatever n is, so a hot set of a billion pages costs nothing to build.
 */
#pragma once

#include <stdint.h>

#include "sim/engine/sim-rng.h"

typedef struct {
    uint64_t n;   /* ranks 1..n */
    double theta; /* exponent, > 0 */
    double h_x1;  /* H(1.5) - 1 */
    double h_n;   /* H(n + 0.5) */
    double s;     /* acceptance shortcut: 2 - H^-1(H(2.5) - h(2)) */
} MdlZipf;

/* mdl_zipf_init: prepares @z for ranks 1..@n (n >= 1) with exponent @theta > 0. */
void mdl_zipf_init(MdlZipf *z, uint64_t n, double theta);

/* mdl_zipf_sample: a rank in [1, n], drawing from @rng. */
uint64_t mdl_zipf_sample(const MdlZipf *z, SimRng *rng);
