#!/usr/bin/env bash
# pagesim compare: the table files and figures, usage errors, and common random
# numbers: under every policy the open-loop arrival times and the closed-loop
# think times in the traces are identical. Prints TAP.
set -u
pagesim=$1
dir=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "${BASH_SOURCE[0]}")/../tap.sh"
policies=(fuchsia none readahead:4 adaptive)
args=()
for p in "${policies[@]}"; do args+=(--policy "$p"); done

"$pagesim" compare "$dir/crn.json" "${args[@]}" --trace native --out "$tmp/cmp" >"$tmp/out" 2>"$tmp/err"
ok $? "compare runs four policies"
ok $([ "$(wc -l <"$tmp/cmp/compare.csv")" = 5 ] && head -1 "$tmp/cmp/compare.csv" | grep -q '^policy,accesses,accesses_per_s,faults,makespan_ns,' && echo 0 || echo 1) \
    "compare.csv has a header and one row per policy"
ok $(grep -q '^| metric  *| *fuchsia | *none | *readahead:4 | *adaptive |$' "$tmp/cmp/compare.md" && grep -q '"policy": "adaptive"' "$tmp/cmp/compare.json" &&
    grep -q '"baseline": "fuchsia"' "$tmp/cmp/compare.json" && echo 0 || echo 1) \
    "compare.md and compare.json list the policies, the first as the baseline"
# Each table value is the one in that policy's summary.json; the change is against fuchsia.
sent() { grep -A1 '"requests": {' "$tmp/cmp/$1/summary.json" | sed -n 's/.*"sent": \([0-9]*\).*/\1/p'; }
f_sent=$(sent fuchsia)
n_sent=$(sent readahead_4)
row=$(grep '^"readahead:4",' "$tmp/cmp/compare.csv")
col=$(head -1 "$tmp/cmp/compare.csv" | tr ',' '\n' | grep -nx requests | cut -d: -f1)
pcol=$(head -1 "$tmp/cmp/compare.csv" | tr ',' '\n' | grep -nx requests_change_pct | cut -d: -f1)
want_pct=$(awk -v a="$f_sent" -v b="$n_sent" 'BEGIN { printf "%.3f", 100 * (b - a) / a }')
ok $([ -n "$f_sent" ] && [ "$(echo "$row" | cut -d, -f"$col")" = "$n_sent" ] &&
    [ "$(echo "$row" | cut -d, -f"$pcol")" = "$want_pct" ] && echo 0 || echo 1) \
    "compare.csv: readahead:4's requests ($n_sent) and their change against fuchsia ($f_sent): $want_pct%"
ok $(for f in compare-cdf.png compare-spectrum.png compare-access-cdf.png; do head -c 8 "$tmp/cmp/$f" | od -An -tx1 | tr -d ' \n'; echo; done |
    grep -c '^89504e470d0a1a0a$' | grep -qx 3 && echo 0 || echo 1) "the overlaid CDFs (faults, every access) and spectrum are PNG files"
ok $(grep -q '^metric  *fuchsia  *none  *readahead:4  *adaptive$' "$tmp/out" && grep -q '^accesses/s ' "$tmp/out" && echo 0 || echo 1) "the table is printed"

# arrivals DIR: "t thread" of every open-loop arrival's access.
arrivals() {
    grep '"ev":"access","thread":"arr#' "$1/events.jsonl" | sed -E 's/^\{"t":([0-9]+),.*"thread":"([^"]+)".*/\1 \2/'
}
# thinks DIR: per closed-loop thread, the gaps between an access's end and the next one's start.
thinks() {
    grep -E '"ev":"(access|done)","thread":"loop/' "$1/events.jsonl" |
        sed -E 's/^\{"t":([0-9]+),"ev":"([a-z]+)","thread":"([^"]+)".*/\1 \2 \3/' |
        awk '$2 == "done" { last[$3] = $1 } $2 == "access" && ($3 in last) { print $3, $1 - last[$3] }' |
        sort -s -k1,1
}
arrivals "$tmp/cmp/fuchsia" >"$tmp/arr-ref"
thinks "$tmp/cmp/fuchsia" >"$tmp/think-ref"
ok $([ "$(wc -l <"$tmp/arr-ref")" = 100 ] && [ "$(wc -l <"$tmp/think-ref")" = 116 ] && echo 0 || echo 1) \
    "the reference trace has 100 arrivals and 4 x 29 think times"
for p in none readahead_4 adaptive; do
    arrivals "$tmp/cmp/$p" >"$tmp/arr"
    thinks "$tmp/cmp/$p" >"$tmp/think"
    ok $(cmp -s "$tmp/arr" "$tmp/arr-ref" && echo 0 || echo 1) "$p: arrival times identical to fuchsia"
    ok $(cmp -s "$tmp/think" "$tmp/think-ref" && echo 0 || echo 1) "$p: think times identical to fuchsia"
done
ok $(cmp -s "$tmp/cmp/fuchsia/events.jsonl" "$tmp/cmp/adaptive/events.jsonl" && echo 1 || echo 0) \
    "the policies do differ (fuchsia and adaptive traces are not the same)"

# Without gnuplot: the tables, and a note naming the figures skipped.
PAGESIM_GNUPLOT=/nonexistent/gnuplot "$pagesim" compare "$dir/crn.json" --policy fuchsia \
    --policy none --out "$tmp/nognu" >/dev/null 2>"$tmp/err"
ok $([ $? = 0 ] && [ -s "$tmp/nognu/compare.md" ] && [ ! -e "$tmp/nognu/compare-cdf.png" ] &&
    grep -q "figures skipped (compare-cdf, compare-spectrum, compare-access-cdf): gnuplot is not installed" "$tmp/err" &&
    echo 0 || echo 1) "without gnuplot: tables written, figures named as skipped, exit 0"
# Each policy's directory is a run that plot draws in full (no events.jsonl needed).
"$pagesim" plot "$tmp/nognu/none" >"$tmp/out" 2>"$tmp/err"
ok $([ $? = 0 ] && [ -s "$tmp/nognu/none/plots/timeline.png" ] && [ -s "$tmp/nognu/none/plots/latency-heatmap.png" ] &&
    [ -s "$tmp/nognu/none/latency.hgrm" ] && echo 0 || echo 1) "a policy's directory is plottable"

"$pagesim" compare "$dir/crn.json" --policy fuchsia --out "$tmp/one" >/dev/null 2>"$tmp/err"
ok $([ $? = 2 ] && grep -q "at least two --policy" "$tmp/err" && [ ! -e "$tmp/one" ] && echo 0 || echo 1) \
    "one policy: exit 2, nothing written"
"$pagesim" compare "$dir/crn.json" --policy fuchsia --policy bogus:3 --out "$tmp/bad" >/dev/null 2>"$tmp/err"
ok $([ $? = 2 ] && [ ! -e "$tmp/bad" ] && echo 0 || echo 1) "a bad policy: exit 2, nothing written"

echo "1..$n"
[ "$fails" = 0 ]
