#!/usr/bin/env bash
# An untraced run does what the traced run of the same scenario does: a run
# without a trace, lock, memory pressure, kernel costs, checks or readahead
# takes the model's fast path for faults and reads (mdl-access.c, MdlWorld.fast),
# a traced one the general walk. For every scenario of scenarios/, every
# conformance case of tests/conformance/ and the SimPy comparison's scenarios
# scaled down (tests/golden/untraced/), summary.json (without its wall-clock
# line, the native trace's file name and the "provenance" object) and
# timeline.tsv of `--trace none` must be the same bytes as the traced run's.
# Prints TAP.
#
# Usage: test-untraced.sh PAGESIM SOURCE_ROOT
set -u
pagesim=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

strip() {
    sed -e '/"wall_s"/d' -e '/"native": /d' -e '/^  "provenance": {/,/^  }/d' "$1"
}

n=0
fails=0
for f in "$src"/scenarios/*.json "$src"/tests/conformance/*.json "$src"/tests/golden/untraced/*.json; do
    n=$((n + 1))
    name=${f#"$src"/}
    rm -rf "$tmp/a" "$tmp/b"
    if ! "$pagesim" run "$f" --out "$tmp/a" --quiet >/dev/null 2>"$tmp/err" ||
        ! "$pagesim" run "$f" --out "$tmp/b" --quiet --trace none >/dev/null 2>>"$tmp/err"; then
        fails=$((fails + 1))
        echo "not ok $n $name: a run failed"
        sed "s|^|# |" "$tmp/err"
        continue
    fi
    diff=""
    cmp -s <(strip "$tmp/a/summary.json") <(strip "$tmp/b/summary.json") || diff="$diff summary.json"
    cmp -s "$tmp/a/timeline.tsv" "$tmp/b/timeline.tsv" || diff="$diff timeline.tsv"
    if [ -z "$diff" ]; then
        echo "ok $n $name"
    else
        fails=$((fails + 1))
        echo "not ok $n $name: untraced$diff differ"
    fi
done
echo "1..$n"
[ "$fails" = 0 ]
