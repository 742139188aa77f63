#!/usr/bin/env bash
# Benchmark: the wall time of one sweep run with --jobs 1 and with --jobs 2 (8
# runs of the default scenario stretched to 10 s of simulated time, each about
# half a second of wall time), and the speedup. Runs once with the figures drawn and
# once without (PAGESIM_GNUPLOT=/bin/true), since collecting and drawing is a
# fixed sequential part. Prints figures; asserts nothing about timing.
# Usage: bench-sweep.sh PAGESIM SOURCE_ROOT
set -eu
pagesim=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PAGESIM_SCRIPTS=$src/scripts
args=("$src/scenarios/default.json" --set 'stop.time=10s' --set 'providers[0].workers=2,4'
      --runs 4 --quiet)

# seconds LABEL JOBS: the wall time of a fresh sweep.
seconds() {
    rm -rf "$tmp/$1"
    local t0 t1
    t0=$(date +%s.%N)
    "$pagesim" sweep "${args[@]}" --jobs "$2" --out "$tmp/$1"
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'
}

echo "sweep-jobs: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for mode in figures runs-only; do
    if [ $mode = runs-only ]; then export PAGESIM_GNUPLOT=/bin/true; fi
    one=$(seconds one 1)
    two=$(seconds two 2)
    printf 'sweep-jobs (%s): 8 runs, --jobs 1 %.2f s, --jobs 2 %.2f s: speedup %.2fx\n' \
        $mode "$one" "$two" "$(awk -v a="$one" -v b="$two" 'BEGIN { print a / b }')"
    # Runs in flight on average: the runs' own wall times (summary.json wall_s)
    # over the sweep's; 2 means --jobs 2 kept two runs going all along, however
    # busy the machine is.
    inflight=$(cat "$tmp"/two/*/seed-*/summary.json |
        sed -n 's/.*"wall_s": *\([0-9.e+-]*\).*/\1/p' | awk -v w="$two" '{ s += $1 } END { print s / w }')
    printf 'sweep-jobs (%s): --jobs 2 kept %.2f runs in flight on average\n' $mode "$inflight"
done
