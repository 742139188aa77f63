#!/usr/bin/env bash
# On a terminal (and without --quiet) `pagesim run` runs the model in slices of
# simulated time, sized by the wall time each takes, to show progress between
# them; elsewhere in one go. Both must give the same run: byte-identical
# events.jsonl and latency files, and summary.json identical but for wall_s (and
# the provenance, whose command line differs).
# The terminal is a pseudo-terminal from script(1) (util-linux); without it the
# test is skipped. Prints TAP.
#
# Usage: test-terminal.sh PAGESIM SOURCE_ROOT
set -u
pagesim=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! command -v script >/dev/null 2>&1; then
    echo "1..0 # SKIP script(1) not found"
    exit 0
fi
. "$(dirname "${BASH_SOURCE[0]}")/../tap.sh"

# figures SUMMARY: summary.json without the wall-clock line and the provenance
# object (when there is one), which names the command line.
figures() { sed -e '/"wall_s"/d' -e '/^  "provenance": {/,/^  }/d' "$1"; }

script -qec 'test -t 2 && echo stderr-is-a-terminal' /dev/null >"$tmp/tty" 2>&1
ok $(grep -q stderr-is-a-terminal "$tmp/tty" && echo 0 || echo 1) "script(1) gives a terminal"

for f in "$src/tests/model/promises/slices.json" "$src/tests/model/promises/timeout-sweep.json"; do
    name=$(basename "$f" .json)
    script -qec "'$pagesim' run '$f' --out '$tmp/$name-tty'" /dev/null >"$tmp/out" 2>&1
    rc_tty=$?
    "$pagesim" run "$f" --out "$tmp/$name-pipe" --quiet 2>"$tmp/err"
    rc_pipe=$?
    same=1
    if [ $rc_tty = 0 ] && [ $rc_pipe = 0 ] &&
        cmp -s "$tmp/$name-tty/events.jsonl" "$tmp/$name-pipe/events.jsonl" &&
        cmp -s "$tmp/$name-tty/latency-histogram.tsv" "$tmp/$name-pipe/latency-histogram.tsv" &&
        cmp -s "$tmp/$name-tty/latency-spectrum.tsv" "$tmp/$name-pipe/latency-spectrum.tsv" &&
        diff <(figures "$tmp/$name-tty/summary.json") <(figures "$tmp/$name-pipe/summary.json") \
            >/dev/null; then
        same=0
    fi
    [ $same = 0 ] || sed 's/^/# /' "$tmp/out" "$tmp/err"
    ok $same "$name: a run on a terminal (in slices) equals a run without one"
done

echo "1..$n"
[ "$fails" = 0 ]
