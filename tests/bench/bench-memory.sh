#!/usr/bin/env bash
# Benchmark of memory pressure (issue 10): the cost of a page cache with a
# capacity. 64 closed-loop threads each fault their own 16,384 pages in order
# (1,048,576 faults; the bench-64x16384 workload of bench-model), once without
# a "memory" section and once with a capacity of half the pages touched (2 GiB,
# LRU unless POLICY is given), so about 550,000 pages are evicted. The two runs
# alternate PAIRS times (default 5) so that a loaded machine slows both alike;
# prints the user CPU seconds of each run, their medians and the ratio (the
# issue's target: at most 1.5), and the peak RSS.
# Usage: bench-memory.sh PAGESIM [PAIRS] [POLICY]   (never asserts on figures)
set -euo pipefail
pagesim=$1
pairs=${2:-5}
policy=${3:-lru}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

for mode in none half; do
    memory=""
    [ "$mode" = half ] && memory="\"memory\": {\"capacity\": \"2GiB\", \"reclaim\": \"$policy\"},"
    cat >"$dir/$mode.json" <<JSON
{"name": "bench-memory-$mode", "seed": 1, $memory
 "providers": [{"name": "pager", "kind": "pager", "workers": 8,
   "latency": {"dist": "exponential", "mean": "50us"}}],
 "vmos": [{"name": "file", "size": "4GiB", "provider": "pager"}],
 "workloads": [{"name": "t", "kind": "closed", "vmo": "file", "threads": 64, "access": "fault",
   "pattern": {"kind": "sequential", "per_thread": true}, "think": "1us", "accesses": 16384}]}
JSON
done

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: >"$dir/none.cpu"
: >"$dir/half.cpu"
for i in $(seq "$pairs"); do
    for mode in none half; do
        /usr/bin/time -f "%U %M" -o "$dir/time" "$pagesim" run "$dir/$mode.json" \
            --out "$dir/out-$mode" --trace none --quiet
        read -r user rss <"$dir/time"
        echo "$user" >>"$dir/$mode.cpu"
        echo "pair $i $mode: user ${user} s, peak RSS $((rss / 1024)) MiB"
    done
done
none=$(median <"$dir/none.cpu")
half=$(median <"$dir/half.cpu")
evictions=$(grep -o '"evictions": *[0-9]*' "$dir/out-half/summary.json" | grep -o '[0-9]*$')
echo "memory ($policy, capacity half, $evictions evictions): median user ${half} s over $pairs runs;" \
    "without: ${none} s; ratio $(awk -v a="$half" -v b="$none" 'BEGIN { printf "%.2f", a / b }')"
