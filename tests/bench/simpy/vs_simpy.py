#!/usr/bin/python3
"""Runs each workload of this directory in pagesim (trace off and native trace on)
and in the SimPy model (pager_model.py), interleaved pair by pair (SimPy, pagesim
off, pagesim on, then again) so that drift of a shared machine hits both alike.
Checks that both report the same simulated time and mean fault latency within 2%
(they draw different random numbers, so they agree statistically, not exactly),
and prints medians of CPU time (user+sys) and wall time and the speedups.
Exits 1 if a check fails. Timings are printed, never asserted.

Columns: CPU seconds (medians) of SimPy and of pagesim with the trace off and
on, the speedups (SimPy / pagesim) in CPU and in wall time, and the faults per
CPU second of pagesim with the trace on. With --baseline, a second pagesim (an
older build) runs in the same interleaving, so that before and after are
measured under the same load.

Usage: vs_simpy.py PAGESIM [--baseline PAGESIM] [--pairs N] [WORKLOAD...]
"""
import json
import os
import shutil
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
    # Why: a traced run writes about 1 GB and its result is deleted before the
    # next; without a sync here, their write-back and freeing run on the
    # other core beside whichever measured run comes next.
    os.sync()
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
    # Why: replacing a result deletes the one before it (a traced run's is
    # close to 1 GB); done here, unmeasured, that cost is not charged to
    # whichever run comes next.
    shutil.rmtree(outdir, ignore_errors=True)
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


def parse(args):
    """Returns (binaries as [(label, path)], pairs, workload names)."""
    if not args or args[0].startswith("-"):
        sys.exit(__doc__)
    exes, pairs, names = [("pagesim", os.path.abspath(args[0]))], 3, []
    i = 1
    while i < len(args):
        if args[i] in ("--pairs", "--baseline") and i + 1 < len(args):
            if args[i] == "--pairs":
                pairs = int(args[i + 1])
            else:
                exes.insert(0, ("baseline", os.path.abspath(args[i + 1])))
            i += 2
        else:
            names.append(args[i])
            i += 1
    if pairs < 1 or any(n not in WORKLOADS for n in names):
        sys.exit(__doc__)
    return exes, pairs, names or WORKLOADS


def report(name, label, pairs, simpy_rows, off, on):
    med = lambda rows, m: statistics.median(r[m] for r in rows)
    print("%-14s %-9s %5d | %8.3f %8.3f %8.3f | %7.1f %7.1f | %7.1f %7.1f | %9.2f"
          % (name, label, pairs, med(simpy_rows, "cpu"), med(off, "cpu"), med(on, "cpu"),
             med(simpy_rows, "cpu") / med(off, "cpu"), med(simpy_rows, "cpu") / med(on, "cpu"),
             med(simpy_rows, "wall") / med(off, "wall"),
             med(simpy_rows, "wall") / med(on, "wall"),
             off[0]["faults"] / med(on, "cpu") / 1e6))
    sys.stdout.flush()


def main():
    exes, pairs, names = parse(sys.argv[1:])
    tmp = tempfile.mkdtemp(prefix="vs-simpy-")
    global OUT
    OUT = os.path.join(tmp, "stdout")
    ok = True
    head = "%-14s %-9s %5s | %8s %8s %8s | %7s %7s | %7s %7s | %9s"
    print(head % ("workload", "binary", "pairs", "simpy s", "off s", "on s", "cpu x", "cpu x",
                  "wall x", "wall x", "on M f/s"))
    print(head % ("", "", "", "cpu", "cpu", "cpu", "off", "on", "off", "on", "(cpu)"))
    for name in names:
        simpy_rows, rows = [], {(label, t): [] for label, _ in exes for t in ("none", "native")}
        for _ in range(pairs):
            simpy_rows.append(simpy(name))
            for label, exe in exes:
                for trace in ("none", "native"):
                    rows[(label, trace)].append(pagesim(exe, name, trace,
                                                        os.path.join(tmp, name)))
        for r in sum(rows.values(), []):
            ok = agree(name, r, simpy_rows[0]) and ok
        for label, _ in exes:
            report(name, label, pairs, simpy_rows, rows[(label, "none")],
                   rows[(label, "native")])
    subprocess.run(["rm", "-rf", tmp], check=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
