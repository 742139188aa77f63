#!/usr/bin/env python3
"""Independent check of a sweep's table: recomputes, from every run's
summary.json under DIR/POINT/seed-*/ (but those saying "interrupted"), the mean and the 95% Student-t half-width
of each metric, and compares them with DIR/sweep.csv.

The t quantile is found here by bisection on the t distribution's CDF, itself
integrated numerically from the density (Simpson's rule), sharing no code with
pagesim. Prints one line per point and exits 1 on the first mismatch.
Usage: check-ci.py DIR"""
import csv
import glob
import json
import math
import os
import sys

# The metrics and where summary.json holds them (cli-metrics.c's table).
METRICS = {
    "faults": ["faults"],
    "requests": ["requests", "sent"],
    "pages_requested": ["requests", "pages"],
    "mean_ns": ["latency_ns", "mean"],
    "p50_ns": ["latency_ns", "p50"],
    "p99_ns": ["latency_ns", "p99"],
    "max_ns": ["latency_ns", "max"],
    "sim_time_ns": ["sim_time_ns"],
}


def t_density(x, df):
    c = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)
    return c * (1 + x * x / df) ** (-(df + 1) / 2)


def t_cdf(t, df, steps=20000):
    h = t / steps
    s = t_density(0, df) + t_density(t, df)
    for i in range(1, steps):
        s += (4 if i % 2 else 2) * t_density(i * h, df)
    return 0.5 + s * h / 3


def t_quantile(p, df):
    lo, hi = 0.0, 64.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def main():
    top = sys.argv[1]
    rows = {r["point"]: r for r in csv.DictReader(open(os.path.join(top, "sweep.csv")))}
    quantiles = {}
    for point, row in sorted(rows.items()):
        runs = sorted(glob.glob(os.path.join(top, point, "seed-*", "summary.json")))
        docs = [json.load(open(r)) for r in runs]
        docs = [d for d in docs if not d.get("interrupted")]  # stopped by a signal
        if int(row["runs"]) != len(docs):
            sys.exit(f"{point}: sweep.csv says {row['runs']} runs, found {len(docs)}")
        n = len(docs)
        if n not in quantiles:
            quantiles[n] = t_quantile(0.975, n - 1)
        for name, path in METRICS.items():
            xs = []
            for d in docs:
                for k in path:
                    d = d[k]
                xs.append(float(d))
            mean = sum(xs) / n
            sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (n - 1))
            half = quantiles[n] * sd / math.sqrt(n)
            got_mean, got_half = float(row[name + "_mean"]), float(row[name + "_ci95"])
            if abs(got_mean - mean) > 1e-8 * max(1.0, abs(mean)):
                sys.exit(f"{point} {name}: mean {got_mean} in sweep.csv, {mean} computed")
            if abs(got_half - half) > 1e-6 * max(1.0, half):
                sys.exit(f"{point} {name}: ci95 {got_half} in sweep.csv, {half} computed")
        print(f"{point}: {n} runs, {len(METRICS)} metrics agree (t(0.975, {n - 1}) = {quantiles[n]:.6f})")


main()
