#!/usr/bin/python3
"""Runs each workload of this directory in pagesim (trace off and native trace on)
and in the SimPy model (pager_model.py), interleaved pair by pair (SimPy, pagesim
off, pagesim on, then again) so that drift of a shared machine hits both alike.
Checks that both report the same simulated time and mean fault latency within 2%
(they draw different random numbers, so they agree statistically, not exactly),
and prints medians of CPU time (user+sys) and wall time and the speedups.
Exits 1 if a check fails. Timings are printed, never asserted.

Usage: vs_simpy.py PAGESIM [--pairs N] [WORKLOAD...]
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
WORKLOADS = ["disjoint-scan", "open-mmc", "open-md1", "shared-scan"]
TOLERANCE = 0.02


def measured(argv):
    """Runs @argv (stdout to a file); returns (stdout, CPU s, wall s)."""
    t0 = time.monotonic()
    pid = os.posix_spawn(argv[0], argv, os.environ,
                         file_actions=[(os.POSIX_SPAWN_OPEN, 1, OUT, os.O_WRONLY | os.O_CREAT
                                        | os.O_TRUNC, 0o644)])
    _, status, ru = os.wait4(pid, 0)
    wall = time.monotonic() - t0
    if status != 0:
        sys.exit("vs_simpy: %s failed (status %d)" % (" ".join(argv), status))
    with open(OUT) as f:
        text = f.read()
    return text, ru.ru_utime + ru.ru_stime, wall


def pagesim(exe, name, trace, outdir):
    scenario = os.path.join(HERE, name + ".json")
    _, cpu, wall = measured([exe, "run", scenario, "--out", outdir, "--trace", trace,
                                  "--quiet"])
    with open(os.path.join(outdir, "summary.json")) as f:
        s = json.load(f)
    return {"sim_time_ns": s["sim_time_ns"], "faults": s["faults"],
            "mean_latency_ns": s["latency_ns"]["mean"], "cpu": cpu, "wall": wall}


def simpy(name):
    text, cpu, wall = measured(["/usr/bin/python3", os.path.join(HERE, "pager_model.py"),
                                     name])
    r = json.loads(text)
    r.update(cpu=cpu, wall=wall)
    return r


def agree(name, a, b):
    ok = True
    for key in ("sim_time_ns", "mean_latency_ns"):
        rel = abs(a[key] - b[key]) / max(abs(b[key]), 1e-9)
        if rel > TOLERANCE:
            print("vs_simpy: %s: %s differs by %.2f%% (pagesim %s, SimPy %s)"
                  % (name, key, rel * 100, a[key], b[key]), file=sys.stderr)
            ok = False
    return ok


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        sys.exit(__doc__)
    exe, pairs, names = os.path.abspath(args[0]), 3, []
    i = 1
    while i < len(args):
        if args[i] == "--pairs":
            pairs = int(args[i + 1])
            i += 2
        else:
            names.append(args[i])
            i += 1
    names = names or WORKLOADS
    if pairs < 1 or any(n not in WORKLOADS for n in names):
        sys.exit(__doc__)
    tmp = tempfile.mkdtemp(prefix="vs-simpy-")
    global OUT
    OUT = os.path.join(tmp, "stdout")
    ok = True
    print("%-14s %5s | %8s %8s %8s | %7s %7s | %7s %7s | %9s"
          % ("workload", "pairs", "simpy s", "off s", "on s", "cpu x", "cpu x", "wall x",
             "wall x", "on M f/s"))
    print("%-14s %5s | %8s %8s %8s | %7s %7s | %7s %7s | %9s"
          % ("", "", "cpu", "cpu", "cpu", "off", "on", "off", "on", "(cpu)"))
    for name in names:
        rows = {"simpy": [], "none": [], "native": []}
        for _ in range(pairs):
            rows["simpy"].append(simpy(name))
            for trace in ("none", "native"):
                rows[trace].append(pagesim(exe, name, trace, os.path.join(tmp, name)))
        for r in rows["none"] + rows["native"]:
            ok = agree(name, r, rows["simpy"][0]) and ok
        med = {k: {m: statistics.median(r[m] for r in v) for m in ("cpu", "wall")}
               for k, v in rows.items()}
        faults = rows["none"][0]["faults"]
        print("%-14s %5d | %8.3f %8.3f %8.3f | %7.1f %7.1f | %7.1f %7.1f | %9.2f "
              % (name, pairs, med["simpy"]["cpu"], med["none"]["cpu"], med["native"]["cpu"],
                 med["simpy"]["cpu"] / med["none"]["cpu"],
                 med["simpy"]["cpu"] / med["native"]["cpu"],
                 med["simpy"]["wall"] / med["none"]["wall"],
                 med["simpy"]["wall"] / med["native"]["wall"],
                 faults / med["native"]["cpu"] / 1e6))
        sys.stdout.flush()
    subprocess.run(["rm", "-rf", tmp], check=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
