#!/usr/bin/env bash
# Benchmark: a 10-million-record trace (gzip CSV, made here with awk) replayed
# as recorded and closed; prints the wall time and the peak resident memory of
# each run, to show that replay memory does not grow with the trace.
# Usage: bench-trace-replay.sh PAGESIM [RECORDS]   (never asserts on figures)
set -euo pipefail
pagesim=$1
records=${2:-10000000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# Four threads take turns; a record every 10 us (each thread every 40 us; the 4 workers of 20 us are half busy while every record faults);
# offsets walk a 1 GiB VMO with a stride of 7919 pages, so the first 262144
# records fault and the rest mostly find their pages resident.
awk -v n="$records" 'BEGIN {
    print "gap,thread,vmo,offset";
    for (i = 0; i < n; i++) printf "10000,t%d,data,%d\n", i % 4, (i * 7919 % 262144) * 4096;
}' | gzip -1 >"$dir/trace.csv.gz"
echo "trace: $records records, $(du -k "$dir/trace.csv.gz" | cut -f1) KiB gzip"

for mode in as_recorded closed; do
    cat >"$dir/replay.json" <<JSON
{"name": "replay", "providers": [{"name": "p", "kind": "pager", "workers": 4, "latency": "20us"}],
 "vmos": [{"name": "data", "size": "1GiB", "provider": "p"}],
 "workloads": [{"name": "rep", "kind": "trace", "file": "trace.csv.gz", "mode": "$mode"}]}
JSON
    /usr/bin/time -f "%e %M" -o "$dir/time" "$pagesim" run "$dir/replay.json" --out "$dir/out" \
        --trace none --quiet
    read -r wall rss <"$dir/time"
    accesses=$(grep -o '"accesses": *[0-9]*' "$dir/out/summary.json" | head -n 1 | grep -o '[0-9]*$')
    echo "trace replay $mode: $accesses accesses in ${wall} s wall, peak RSS $((rss / 1024)) MiB"
done
