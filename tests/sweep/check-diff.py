#!/usr/bin/env python3
"""Checks `pagesim diff` output against an independent computation.

  check-diff.py exact OUTPUT A/summary.json B/summary.json
      every metric line shows A, B and B-A ("%.10g") and the change in percent
      exactly as computed here from the two summaries;
  check-diff.py welch OUTPUT A/sweep.json B/sweep.json VERDICT
      the mean_ns line shows the means of the runs' values, a Welch p-value
      within 1e-4 of the one computed here (t density integrated by Simpson's
      rule), and VERDICT ("significant" or "not significant").
Exits 1 with a message on the first disagreement."""
import json
import math
import sys

PATHS = {
    "faults": ["faults"], "faults_failed": ["faults_failed"], "requests": ["requests", "sent"],
    "pages_requested": ["requests", "pages"], "pages_unused": ["pages_unused"],
    "mean_ns": ["latency_ns", "mean"], "p50_ns": ["latency_ns", "p50"],
    "p90_ns": ["latency_ns", "p90"], "p99_ns": ["latency_ns", "p99"],
    "p999_ns": ["latency_ns", "p999"], "max_ns": ["latency_ns", "max"],
    "mean_wait_ns": ["mean_wait_ns"], "sim_time_ns": ["sim_time_ns"],
}


def lines(path):
    out = {}
    for line in open(path):
        f = line.split()
        if f and (f[0] in PATHS or f[0] == "utilization"):
            out[f[0]] = f
    return out


def value(doc, name):
    if name == "utilization":
        return max(p["utilization"] for p in doc["providers"])
    for k in PATHS[name]:
        doc = doc[k]
    return float(doc)


def exact(out, a_path, b_path):
    got = lines(out)
    a, b = json.load(open(a_path)), json.load(open(b_path))
    for name in list(PATHS) + ["utilization"]:
        va, vb = value(a, name), value(b, name)
        want = ["%.10g" % va, "%.10g" % vb, "%.10g" % (vb - va),
                "%+.2f%%" % (100 * (vb - va) / va) if va else ("+0.00%" if vb == va else "new")]
        if got[name][1:5] != want:
            sys.exit(f"{name}: diff says {got[name][1:5]}, computed {want}")
        print(f"{name}: {' '.join(want)}")


def t_tail2(t, df, steps=20000):
    dens = lambda x: math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(
        df * math.pi) * (1 + x * x / df) ** (-(df + 1) / 2)
    t = abs(t)
    h = t / steps
    s = dens(0) + dens(t) + sum((4 if i % 2 else 2) * dens(i * h) for i in range(1, steps))
    return 1 - 2 * s * h / 3


def welch(out, a_path, b_path, verdict):
    got = lines(out)["mean_ns"]
    xa, xb = (json.load(open(p))["points"][0]["metrics"]["mean_ns"]["values"] for p in (a_path, b_path))
    ma, mb = sum(xa) / len(xa), sum(xb) / len(xb)
    va = sum((x - ma) ** 2 for x in xa) / (len(xa) - 1) / len(xa)
    vb = sum((x - mb) ** 2 for x in xb) / (len(xb) - 1) / len(xb)
    t = (mb - ma) / math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va * va / (len(xa) - 1) + vb * vb / (len(xb) - 1))
    p = t_tail2(t, df)
    if abs(float(got[1]) - ma) > 1e-6 * ma or abs(float(got[2]) - mb) > 1e-6 * mb:
        sys.exit(f"means: diff says {got[1]} {got[2]}, computed {ma} {mb}")
    if abs(float(got[5]) - p) > 1e-4:
        sys.exit(f"p: diff says {got[5]}, computed {p:.6f} (t {t:.4f}, df {df:.3f})")
    if " ".join(got[6:]) != verdict:
        sys.exit(f"verdict: diff says {' '.join(got[6:])}, expected {verdict}")
    print(f"mean_ns: A {ma:.1f} B {mb:.1f} t {t:.4f} df {df:.3f} p {p:.6f}: {verdict}")


if sys.argv[1] == "exact":
    exact(*sys.argv[2:5])
else:
    welch(*sys.argv[2:6])
