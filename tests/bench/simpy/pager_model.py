#!/usr/bin/python3
"""The four workloads of scripts/bench --vs-simpy, written as a user would write
them in SimPy instead of using pagesim: threads are generator processes, the
pager's workers are processes pulling page numbers from a Store, and concurrent
faults on one page share one Event (the in-flight request they coalesce on).

Times are in nanoseconds. Every workload has exponential service (or constant for
M/D/1), no per-page cost and no kernel costs, like the matching scenario files
beside this one. Prints one JSON object: the workload, the simulated time at the
end, the faults and their mean latency (from the access to its end).

Usage: pager_model.py WORKLOAD [SEED]
WORKLOAD: disjoint-scan | open-mmc | open-md1 | shared-scan
"""
import json
import random
import sys

import simpy


class Pager:
    """Resident pages, in-flight requests (page -> Event) and the worker pool."""

    def __init__(self, env, workers, service):
        self.env = env
        self.service = service
        self.queue = simpy.Store(env)
        self.resident = set()
        self.inflight = {}
        for _ in range(workers):
            env.process(self.worker())

    def worker(self):
        while True:
            page = yield self.queue.get()
            yield self.env.timeout(self.service())
            self.resident.add(page)
            self.inflight.pop(page).succeed()

    def fault(self, page):
        """None if @page is resident, else the Event that fires when it is."""
        if page in self.resident:
            return None
        ev = self.inflight.get(page)
        if ev is None:
            ev = self.env.event()
            self.inflight[page] = ev
            self.queue.put(page)
        return ev


class Stats:
    def __init__(self):
        self.faults = 0
        self.latency_sum = 0.0


def access(env, pager, stats, page):
    start = env.now
    ev = pager.fault(page)
    if ev is not None:
        yield ev
        stats.faults += 1
        stats.latency_sum += env.now - start


def closed_thread(env, pager, stats, pages, think):
    first = True
    for page in pages:
        if not first:
            yield env.timeout(think)
        first = False
        yield from access(env, pager, stats, page)


def arrivals(env, pager, stats, count, gap):
    for page in range(count):
        if page:
            yield env.timeout(gap())
        env.process(access(env, pager, stats, page))


def build(env, rng, name):
    stats = Stats()
    exp50 = lambda: rng.expovariate(1 / 50000.0)
    if name == "disjoint-scan":
        pager = Pager(env, 8, exp50)
        for i in range(64):
            pages = range(i * 16384, (i + 1) * 16384)
            env.process(closed_thread(env, pager, stats, pages, 1000))
    elif name == "shared-scan":
        pager = Pager(env, 8, exp50)
        for _ in range(64):
            env.process(closed_thread(env, pager, stats, range(16384), 1000))
    elif name == "open-mmc":
        pager = Pager(env, 8, exp50)
        env.process(arrivals(env, pager, stats, 1000000,
                             lambda: rng.expovariate(120000 / 1e9)))
    elif name == "open-md1":
        pager = Pager(env, 1, lambda: 5000)
        env.process(arrivals(env, pager, stats, 1000000,
                             lambda: rng.expovariate(150000 / 1e9)))
    else:
        sys.exit("pager_model.py: unknown workload %r" % name)
    return stats


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) == 3 else 1)
    env = simpy.Environment()
    stats = build(env, rng, sys.argv[1])
    env.run()
    mean = stats.latency_sum / stats.faults if stats.faults else 0.0
    print(json.dumps({"workload": sys.argv[1], "sim_time_ns": round(env.now),
                      "faults": stats.faults, "mean_latency_ns": mean}))


if __name__ == "__main__":
    main()
