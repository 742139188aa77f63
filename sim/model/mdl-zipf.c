/* Zipf sampling by rejection-inversion (see mdl-zipf.h).
 *
 * With h(x) = x^-theta and H its antiderivative chosen so that H is finite at
 * theta = 1 ((x^(1-theta) - 1) / (1 - theta), or log x), a uniform u between
 * H(n + 0.5) and H(1.5) - 1 is inverted to x = H^-1(u) and rounded to the nearest
 * rank k; k is accepted when x lies close enough to k (the shortcut s) or when u
 * falls under the area H(k + 0.5) - h(k) that belongs to rank k.
 */
#include "sim/model/mdl-zipf.h"

#include <math.h>

/* log1p(x) / x, continuous at 0. */
static double helper1(double x) { return fabs(x) > 1e-8 ? log1p(x) / x : 1.0 - x / 2.0; }

/* expm1(x) / x, continuous at 0. */
static double helper2(double x) { return fabs(x) > 1e-8 ? expm1(x) / x : 1.0 + x / 2.0; }

static double h(double theta, double x) { return exp(-theta * log(x)); }

static double big_h(double theta, double x) {
    double lx = log(x);
    return helper2((1.0 - theta) * lx) * lx;
}

static double big_h_inv(double theta, double x) {
    double t = x * (1.0 - theta);
    if (t < -1.0)
        t = -1.0; /* guards rounding at the far end of the range */
    return exp(helper1(t) * x);
}

void mdl_zipf_init(MdlZipf *z, uint64_t n, double theta) {
    z->n = n;
    z->theta = theta;
    z->h_x1 = big_h(theta, 1.5) - 1.0;
    z->h_n = big_h(theta, (double)n + 0.5);
    z->s = 2.0 - big_h_inv(theta, big_h(theta, 2.5) - h(theta, 2.0));
}

uint64_t mdl_zipf_sample(const MdlZipf *z, SimRng *rng) {
    for (;;) {
        double u = z->h_n + sim_rng_uniform01(rng) * (z->h_x1 - z->h_n);
        double x = big_h_inv(z->theta, u);
        double kf = floor(x + 0.5);
        uint64_t k = kf < 1.0 ? 1 : kf > (double)z->n ? z->n : (uint64_t)kf;
        if ((double)k - x <= z->s || u >= big_h(z->theta, (double)k + 0.5) - h(z->theta, (double)k))
            return k;
    }
}
