#!/usr/bin/env bash
# Determinism: every scenario in scenarios/ run twice with the same seed gives a
# byte-identical events.jsonl, timeline.tsv, latency.hgrm and summary.csv and a
# summary.json identical but for wall_s and the provenance (whose command line
# names the output directory); a
# different seed gives a different trace. A third run without a trace
# (--trace none: the model feeds the timeline directly, no trace line is built) gives the
# same timeline.tsv, latency.hgrm, summary.csv and summary.json (but for the
# trace's file name). Prints TAP.
set -u
pagesim=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "${BASH_SOURCE[0]}")/../tap.sh"

for f in "$src"/scenarios/*.json; do
    name=$(basename "$f" .json)
    "$pagesim" run "$f" --out "$tmp/$name-a" --quiet 2>"$tmp/err" &&
        "$pagesim" run "$f" --out "$tmp/$name-b" --quiet 2>>"$tmp/err"
    rc=$?
    same=1
    if [ $rc = 0 ] && cmp -s "$tmp/$name-a/events.jsonl" "$tmp/$name-b/events.jsonl" &&
        cmp -s "$tmp/$name-a/timeline.tsv" "$tmp/$name-b/timeline.tsv" &&
        cmp -s "$tmp/$name-a/latency.hgrm" "$tmp/$name-b/latency.hgrm" &&
        cmp -s "$tmp/$name-a/summary.csv" "$tmp/$name-b/summary.csv" &&
        diff <(sed -e '/"wall_s"/d' -e '/^  "provenance": {/,/^  }/d' "$tmp/$name-a/summary.json") \
            <(sed -e '/"wall_s"/d' -e '/^  "provenance": {/,/^  }/d' "$tmp/$name-b/summary.json") >/dev/null; then
        same=0
    fi
    [ $rc = 0 ] || sed 's/^/# /' "$tmp/err"
    ok $same "$name: two runs give identical events.jsonl, summary.json and run-time plot data"
    "$pagesim" run "$f" --out "$tmp/$name-c" --quiet --trace none 2>"$tmp/err"
    rc=$?
    same=1
    strip() { sed -e '/"wall_s"/d' -e '/"native": /d' -e '/^  "provenance": {/,/^  }/d' "$1"; }
    if [ $rc = 0 ] && cmp -s "$tmp/$name-a/timeline.tsv" "$tmp/$name-c/timeline.tsv" &&
        cmp -s "$tmp/$name-a/latency.hgrm" "$tmp/$name-c/latency.hgrm" &&
        cmp -s "$tmp/$name-a/summary.csv" "$tmp/$name-c/summary.csv" &&
        diff <(strip "$tmp/$name-a/summary.json") <(strip "$tmp/$name-c/summary.json") >/dev/null &&
        [ ! -e "$tmp/$name-c/events.jsonl" ]; then
        same=0
    fi
    [ $rc = 0 ] || sed 's/^/# /' "$tmp/err"
    ok $same "$name: a run without a trace gives the same summary and run-time plot data"
    rm -rf "$tmp/$name-a" "$tmp/$name-b" "$tmp/$name-c"
done

f=$src/scenarios/evict-thrash.json
"$pagesim" run "$f" --out "$tmp/s1" --quiet --seed 1 && "$pagesim" run "$f" --out "$tmp/s2" --quiet --seed 2
ok $(cmp -s "$tmp/s1/events.jsonl" "$tmp/s2/events.jsonl" && echo 1 || echo 0) \
    "evict-thrash: another seed gives another trace"

echo "1..$n"
[ "$fails" = 0 ]
