#!/usr/bin/env bash
# Coverage of the sweep's 95% confidence interval on a queue with a known mean:
# mm1.json is an M/M/1 queue at load 0.5 whose mean time in system is
# 1 / (mu - lambda) = 1 / (10000/s - 5000/s) = 200 us. Twenty sweeps of ten
# replications each (disjoint seeds, 2000 arrivals per run) must hold 200 us in
# their interval at least 16 times (a true 95% interval fails that with
# probability below 0.4%). Prints TAP.
# Usage: test-sweep-coverage.sh PAGESIM SOURCE_ROOT
set -u
pagesim=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PAGESIM_SCRIPTS=$src/scripts
# The figures are not what this test checks: skip drawing them to keep it fast.
export PAGESIM_GNUPLOT=/bin/true
held=0
fails=0
for i in $(seq 0 19); do
    a=$((1000 + 10 * i))
    b=$((a + 9))
    if ! "$pagesim" sweep "$src/tests/sweep/mm1.json" --seeds "$a..$b" --jobs 2 --quiet \
        --out "$tmp/s$i" 2>"$tmp/err"; then
        echo "not ok $((i + 1)) sweep of seeds $a..$b failed: $(cat "$tmp/err")"
        fails=$((fails + 1))
        continue
    fi
    read -r low high n < <(python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))["points"][0]["metrics"]["mean_ns"]
print(m["low"], m["high"], m["n"])' "$tmp/s$i/sweep.json")
    inside=$(python3 -c "print(1 if $low <= 200000 <= $high else 0)")
    held=$((held + inside))
    echo "ok $((i + 1)) seeds $a..$b: $n runs, 95% interval [$low, $high] ns $([ "$inside" = 1 ] && echo holds || echo misses) 200000"
done
if [ "$held" -ge 16 ] && [ "$fails" = 0 ]; then
    echo "ok 21 the interval held the true mean in $held of 20 sweeps (at least 16 required)"
else
    echo "not ok 21 the interval held the true mean in $held of 20 sweeps (at least 16 required)"
    fails=$((fails + 1))
fi
echo "1..21"
[ "$fails" = 0 ]
