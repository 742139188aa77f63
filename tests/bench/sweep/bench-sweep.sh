#!/usr/bin/env bash
# Benchmark: the wall time of one sweep run with --jobs 1 and with --jobs 2 (8
# runs of the default scenario stretched to 10 s of simulated time, each about
# half a second of wall time), and the speedup. Runs once with the figures drawn and
# once without (PAGESIM_GNUPLOT=/bin/true), since collecting and drawing is a
# fixed part. Prints figures; asserts nothing about timing.
#
# Besides the wall times it prints, per sweep, the CPU time of the sweep and
# all its children (user + system) and CPU / wall, the cores it got on
# average; the runs in flight on average (the runs' own wall_s over the sweep's
# wall time); and, first, the cores the machine gives right now to two busy
# loops side by side. A speedup well below 2 with 2 runs in flight and about 1
# core obtained means the machine, not the sweep, was the limit.
# Usage: bench-sweep.sh PAGESIM SOURCE_ROOT
set -eu
pagesim=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PAGESIM_SCRIPTS=$src/scripts
args=("$src/scenarios/default.json" --set 'stop.time=10s' --set 'providers[0].workers=2,4'
      --runs 4 --quiet)

# measure FILE CMD...: runs CMD; FILE gets "wall cpu" (seconds; cpu = user + system
# of CMD and every child it waited for).
measure() {
    local out=$1
    shift
    /usr/bin/time -f '%e %U %S' -o "$out.t" "$@"
    awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$out.t" >"$out"
}

# Two busy loops side by side: the cores the machine gives now (2.00 when idle).
spin() { awk 'BEGIN { for (i = 0; i < 2e7; i++) s += i }'; }
measure "$tmp/probe" bash -c "$(declare -f spin); spin & spin & wait"
read -r pw pc <"$tmp/probe"
echo "sweep-jobs: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg);" \
    "two busy loops got $(awk -v c="$pc" -v w="$pw" 'BEGIN { printf "%.2f", c / w }') cores"

# sweep LABEL JOBS: a fresh sweep; prints "wall cpu".
sweep() {
    rm -rf "${tmp:?}/$1"
    measure "$tmp/$1.m" "$pagesim" sweep "${args[@]}" --jobs "$2" --out "$tmp/$1"
    cat "$tmp/$1.m"
}

for mode in figures runs-only; do
    if [ $mode = runs-only ]; then export PAGESIM_GNUPLOT=/bin/true; fi
    read -r one one_cpu < <(sweep one 1)
    read -r two two_cpu < <(sweep two 2)
    printf 'sweep-jobs (%s): 8 runs, --jobs 1 %.2f s, --jobs 2 %.2f s: speedup %.2fx\n' \
        $mode "$one" "$two" "$(awk -v a="$one" -v b="$two" 'BEGIN { print a / b }')"
    printf 'sweep-jobs (%s): CPU --jobs 1 %.2f s (%.2f cores), --jobs 2 %.2f s (%.2f cores)\n' \
        $mode "$one_cpu" "$(awk -v c="$one_cpu" -v w="$one" 'BEGIN { print c / w }')" \
        "$two_cpu" "$(awk -v c="$two_cpu" -v w="$two" 'BEGIN { print c / w }')"
    # Runs in flight on average: the runs' own wall times (summary.json wall_s)
    # over the sweep's; 2 means --jobs 2 kept two runs going all along, however
    # busy the machine is.
    for j in one two; do
        w=$one
        [ $j = two ] && w=$two
        inflight=$(cat "$tmp"/$j/*/seed-*/summary.json |
            sed -n 's/.*"wall_s": *\([0-9.e+-]*\).*/\1/p' | awk -v w="$w" '{ s += $1 } END { print s / w }')
        printf 'sweep-jobs (%s): --jobs %s kept %.2f runs in flight on average\n' $mode \
            "$([ $j = one ] && echo 1 || echo 2)" "$inflight"
    done
done
