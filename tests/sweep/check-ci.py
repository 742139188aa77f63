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

# Metrics of the table (sim/report/rep-metrics.c) and where summary.json holds
# them; "name=NAME" picks the device of that name (not of kind "none"). A
# metric that no run has must have no column; the memory and device ones are
# checked wherever the sweep's runs have those sections.
METRICS = {
    "faults": ["faults"],
    "requests": ["requests", "sent"],
    "pages_requested": ["requests", "pages"],
    "mean_ns": ["latency_ns", "mean"],
    "p50_ns": ["latency_ns", "p50"],
    "p99_ns": ["latency_ns", "p99"],
    "max_ns": ["latency_ns", "max"],
    "overtime_waits": ["overtime_waits"],
    "evictions": ["memory", "evictions"],
    "refaults": ["memory", "refaults"],
    "refault_distance_p50": ["memory", "refault_distance", "p50"],
    "readahead_refaults": ["memory", "readahead_refaults"],
    "evicted_unused": ["memory", "evicted_unused"],
    "direct_reclaims": ["memory", "direct_reclaim_ns", "count"],
    "direct_reclaim_ns": ["memory", "direct_reclaim_ns", "total_ns"],
    "reclaimer_busy_ns": ["memory", "reclaimer_busy_ns"],
    "resident_max": ["memory", "resident_max"],
    "resident_mean": ["memory", "resident_mean"],
    "device_ssd_utilization": ["devices", "name=ssd", "utilization"],
    "device_ssd_iops": ["devices", "name=ssd", "iops"],
    "device_ssd_mbps": ["devices", "name=ssd", "mbps"],
    "device_ssd_queue": ["devices", "name=ssd", "queue"],
    "sim_time_ns": ["sim_time_ns"],
}


def lookup(d, path):
    """The number at @path in summary @d, or None where there is none."""
    for k in path:
        if k.startswith("name="):
            d = [e for e in d if e["name"] == k[5:] and e["kind"] != "none"]
            d = d[0] if d else None
        else:
            d = d.get(k) if isinstance(d, dict) else None
        if d is None:
            return None
    return float(d)


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
    everywhere = [json.load(open(r)) for r in glob.glob(os.path.join(top, "*", "seed-*", "summary.json"))]
    header = next(iter(rows.values())).keys()
    for name, path in METRICS.items():
        present = any(lookup(d, path) is not None for d in everywhere)
        if present != (name + "_mean" in header):
            sys.exit(f"{name}: {'no' if present else 'a'} column in sweep.csv, {'' if present else 'not '}in the runs")
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
            xs = [x for x in (lookup(d, path) for d in docs) if x is not None]
            if not xs:  # not in this point's runs: an empty cell, if a column
                if row.get(name + "_mean", ""):
                    sys.exit(f"{point} {name}: {row[name + '_mean']} in sweep.csv, in no run")
                continue
            mean = sum(xs) / n
            sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (n - 1))
            half = quantiles[n] * sd / math.sqrt(n)
            got_mean, got_half = float(row[name + "_mean"]), float(row[name + "_ci95"])
            if abs(got_mean - mean) > 1e-8 * max(1.0, abs(mean)):
                sys.exit(f"{point} {name}: mean {got_mean} in sweep.csv, {mean} computed")
            if abs(got_half - half) > 1e-6 * max(1.0, half):
                sys.exit(f"{point} {name}: ci95 {got_half} in sweep.csv, {half} computed")
        checked = sum(1 for m in METRICS if m + "_mean" in row and row[m + "_mean"] != "")
        print(f"{point}: {n} runs, {checked} metrics agree (t(0.975, {n - 1}) = {quantiles[n]:.6f})")


main()
