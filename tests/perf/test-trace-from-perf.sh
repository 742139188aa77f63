#!/usr/bin/env bash
# scripts/trace-from-perf on real `perf script` output kept here, recorded on
# Linux 6.18 with perf 6.1 from toucher.c (a program that reads one byte of a
# mapped 1 MiB file every 40 pages and writes a page of an anonymous 64 KiB
# mapping in turn, 1 ms apart): once with -e exceptions:page_fault_user, once
# with -e major-faults -e minor-faults -c 1 -d. Each .expected.csv was checked
# against the .map ranges by hand: for instance the tracepoint sample's first
# kept fault, address 0x7f1432324064, is offset 0x64 = 100 of "data", and the
# third, 0x7f143234c064 at 1117.459654387 s, is offset 0x28064 = 163940 at
# 1117.459654387 - 1117.458553573 = 1100814 ns.
# Usage: test-trace-from-perf.sh SRCDIR PAGESIM
set -uo pipefail
src=$1
pagesim=$2
conv="$src/scripts/trace-from-perf"
dir="$src/tests/perf"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "1..5"
n=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }

for s in page-fault-user minor-faults; do
    "$conv" "$dir/$s.map" "$dir/$s.perf-script" -o "$tmp/$s.csv" 2>"$tmp/err"
    cmp -s "$tmp/$s.csv" "$dir/$s.expected.csv"
    ok $? "$s: 12 faults in the mapped ranges converted exactly ($(cat "$tmp/err"))"
done

# The converted trace replays: 6 faults on "data" and 6 on "heap", each a page
# of its own, so 12 accesses that all fault.
cat >"$tmp/replay.json" <<JSON
{"name": "perf", "providers": [{"name": "p", "kind": "pager", "latency": "50us"}],
 "vmos": [{"name": "data", "size": "1MiB", "provider": "p"},
          {"name": "heap", "size": "64KiB", "provider": "p"}],
 "workloads": [{"name": "rec", "kind": "trace", "file": "page-fault-user.csv"}]}
JSON
"$pagesim" run "$tmp/replay.json" --out "$tmp/out" --quiet --trace none &&
    grep -q '"accesses": 12,' "$tmp/out/summary.json" && grep -q '"faults": 12,' "$tmp/out/summary.json"
ok $? "the converted trace replays: 12 accesses, 12 faults"

# A line that is not perf script output: exit 2, file and line, no output file.
{ head -n 5 "$dir/page-fault-user.perf-script"; echo "garbage here"; } >"$tmp/bad.txt"
"$conv" "$dir/page-fault-user.map" "$tmp/bad.txt" -o "$tmp/bad.csv" 2>"$tmp/err"
status=$?
[ "$status" -eq 2 ] && grep -q "bad.txt:6: not a line of perf script output" "$tmp/err" && [ ! -e "$tmp/bad.csv" ] && [ ! -e "$tmp/bad.csv.tmp" ]
ok $? "a malformed line: exit 2 naming bad.txt:6, nothing written"

printf '7f0000-7f1000 two words here\n' >"$tmp/bad.map"
"$conv" "$tmp/bad.map" "$dir/page-fault-user.perf-script" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "bad.map:1: expected START-END VMO \[OFFSET\]" "$tmp/err"
ok $? "a malformed mapping line: exit 2 naming bad.map:1"
