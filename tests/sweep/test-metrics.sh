#!/usr/bin/env bash
# The rows of the metric table that only some runs have (issue 10's memory
# rows, issue 19's device rows) and overtime_waits (issue 11), in every table
# that reads the table: compare (csv, md), diff, sweep (csv, md, json, figure).
# Values are checked against the runs' summary.json, read here with sed and awk
# (summary.json puts one key per line), sharing no code with pagesim; the
# sweep's means and intervals by check-ci.py. Prints TAP.
# Usage: test-metrics.sh PAGESIM SOURCE_ROOT
set -u
pagesim=$1
src=$2
here=$src/tests/sweep
md=$here/mem-dev.json # memory section, device "ssd" (sata-ssd) and "spare" (none)
mm1=$here/mm1.json    # neither
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PAGESIM_SCRIPTS=$src/scripts

. "$(dirname "${BASH_SOURCE[0]}")/../tap.sh"

# The rows under test: key, then where summary.json holds the number: a key
# that is unique in the file, or OBJECT/KEY for a key inside that object, or
# devices:NAME/KEY for a key of device NAME.
rows=(
    "overtime_waits overtime_waits"
    "evictions evictions"
    "refaults refaults"
    "refault_distance_p50 refault_distance/p50"
    "readahead_refaults readahead_refaults"
    "evicted_unused evicted_unused"
    "direct_reclaims direct_reclaim_ns/count"
    "direct_reclaim_ns direct_reclaim_ns/total_ns"
    "direct_reclaim_p99_ns direct_reclaim_ns/p99"
    "reclaimer_busy_ns reclaimer_busy_ns"
    "resident_max resident_max"
    "resident_mean resident_mean"
    "device_ssd_utilization devices:ssd/utilization"
    "device_ssd_iops devices:ssd/iops"
    "device_ssd_mbps devices:ssd/mbps"
    "device_ssd_queue devices:ssd/queue"
)

# field SUMMARY WHERE: the number at WHERE (as above) in SUMMARY, as written.
field() {
    local f=$1 where=$2
    case $where in
    devices:*)
        local dev=${where#devices:}
        dev=${dev%/*}
        sed -n '/^  "devices": \[/,/^  \]/p' "$f" |
            awk -v d="\"$dev\"," -v k="\"${where##*/}\":" '$1 == "\"name\":" { on = ($2 == d) } on && $1 == k { sub(",", "", $2); print $2 }'
        ;;
    */*)
        sed -n "/\"${where%/*}\": {/,/}/p" "$f" | sed -n "s/^ *\"${where##*/}\": \([^,]*\),\{0,1\}$/\1/p"
        ;;
    *) sed -n "s/^ *\"$where\": \([^,]*\),\{0,1\}$/\1/p" "$f" ;;
    esac
}
# csvfmt V: V as compare.csv writes a number (whole: %.0f, else %.6g).
csvfmt() { awk -v v="$1" 'BEGIN { if (v == int(v)) printf "%.0f", v; else printf "%.6g", v }'; }
# column FILE KEY: the column number of KEY in the CSV header of FILE.
column() { head -1 "$1" | tr ',' '\n' | grep -nx "$2" | cut -d: -f1; }

# compare: both policies have memory and the device; each cell is the value in
# that policy's summary.json. direct_reclaim_p99_ns has a value only with stalls.
"$pagesim" compare "$md" --policy fuchsia --policy readahead:4 --out "$tmp/cmp" --quiet
ok $? "compare mem-dev: exit 0"
for r in "${rows[@]}"; do
    set -- $r
    col=$(column "$tmp/cmp/compare.csv" "$1")
    good=0
    for p in fuchsia readahead_4; do
        spec=${p/_/:}
        want=$(csvfmt "$(field "$tmp/cmp/$p/summary.json" "$2")")
        got=$(grep "^\"$spec\"," "$tmp/cmp/compare.csv" | cut -d, -f"$col")
        [ -n "$col" ] && [ "$got" = "$want" ] || good=1
        echo "# compare $1 $spec: csv $got, summary.json $want"
    done
    ok $good "compare.csv: $1 of each policy is its summary.json's"
done
stalls=$(field "$tmp/cmp/fuchsia/summary.json" direct_reclaim_ns/count)
ok $(yes_no test "$stalls" -gt 0) "compare mem-dev: fuchsia has $stalls direct reclaim stalls (so the p99 has a value)"
ok $(yes_no test -z "$(head -1 "$tmp/cmp/compare.csv" | tr ',' '\n' | grep spare)") \
    "compare.csv: no column for the device of kind none"
ok $(yes_no grep -qE '^\| ssd util\. +\| +1\.000 \| +1\.000 \(\+0\.0%\) \|$' "$tmp/cmp/compare.md") \
    "compare.md: the device's utilisation row, saturated under both policies"
ok $(yes_no test -z "$(grep '^|' "$tmp/cmp/compare.md" | grep -F 'n/a')") "compare.md: no n/a in the table when every run has the sections"
# Without the sections: no such columns at all.
"$pagesim" compare "$mm1" --policy fuchsia --policy readahead:2 --out "$tmp/cmp0" --quiet
head -1 "$tmp/cmp0/compare.csv" | tr ',' '\n' >"$tmp/cols0"
ok $(yes_no test -z "$(grep -E '^(evictions|refaults|resident_max|device_)' "$tmp/cols0")") \
    "compare mm1: no memory or device columns"
ok $(yes_no grep -qx overtime_waits "$tmp/cols0") "compare mm1: overtime_waits is a column (every run has it)"

# diff of a run with memory and a device against one with neither: the rows
# show A's value (%.10g) and n/a for B, and no change or test.
"$pagesim" run "$md" --trace none --quiet --out "$tmp/a"
"$pagesim" run "$mm1" --trace none --quiet --out "$tmp/b"
"$pagesim" diff "$tmp/a" "$tmp/b" >"$tmp/diff" 2>&1
ok $? "diff mem-dev mm1: exit 0"
for r in "${rows[@]:1}"; do
    set -- $r
    v=$(field "$tmp/a/summary.json" "$2")
    if [ "$1" = direct_reclaim_p99_ns ] && [ "$(field "$tmp/a/summary.json" direct_reclaim_ns/count)" = 0 ]; then
        want="-"
    else
        want=$(awk -v v="$v" 'BEGIN { printf "%.10g", v }')
    fi
    ok $(yes_no grep -qE "^$1 +$want +n/a +- +- +- *\$" "$tmp/diff") "diff: $1 is $want in A, n/a in B"
done
want=$(field "$tmp/b/summary.json" overtime_waits)
ok $(yes_no grep -qE "^overtime_waits +0 +$want +" "$tmp/diff") "diff: overtime_waits on both sides"
"$pagesim" diff "$tmp/b" "$tmp/a" >"$tmp/diff2" 2>&1
ok $(yes_no grep -qE "^device_ssd_iops +n/a +$(awk -v v="$(field "$tmp/a/summary.json" devices:ssd/iops)" 'BEGIN { printf "%.10g", v }') +- +- +- *\$" "$tmp/diff2") \
    "diff the other way: n/a in A"
"$pagesim" diff "$tmp/b" "$tmp/b" >"$tmp/diff3" 2>&1
ok $(yes_no test -z "$(grep -E '^(evictions|device_)|n/a' "$tmp/diff3")") "diff of two runs without the sections: no such rows"

# The VMO lock's rows (issue 11): lock-bottleneck has one lock (VMO "file"), so
# each row, the largest over the locks, is that lock's figure; mm1 has none.
"$pagesim" run "$src/scenarios/lock-bottleneck.json" --set stop.time=5ms --trace none --quiet --out "$tmp/lk"
"$pagesim" diff "$tmp/lk" "$tmp/b" >"$tmp/diff5" 2>&1
for r in "lock_held held_fraction" "lock_contended contended" "lock_wait_p99_ns wait/p99"; do
    set -- $r
    want=$(awk -v v="$(field "$tmp/lk/summary.json" "$2")" 'BEGIN { printf "%.10g", v }')
    ok $(yes_no grep -qE "^$1 +$want +n/a +- +- +- *\$" "$tmp/diff5") "diff: $1 is $want with the lock, n/a without"
done
ok $(yes_no test -z "$(grep '^lock_' "$tmp/diff3")") "diff of two runs without a lock cost: no lock rows"

# A sweep where the device applies to one point only (kind none at the other):
# its columns are n/a there (empty in CSV, null in sweep.json); memory applies to both.
"$pagesim" sweep "$md" --set 'devices[0].kind=sata-ssd,none' --runs 3 --jobs 2 --out "$tmp/sw" --quiet
ok $? "sweep mem-dev over the device's kind: exit 0"
python3 "$here/check-ci.py" "$tmp/sw" >"$tmp/ci" 2>&1
ok $? "sweep.csv: the memory and device rows' means and intervals agree with an independent computation"
sed 's/^/# /' "$tmp/ci"
line=$(grep '^"kind=none",' "$tmp/sw/sweep.csv")
col=$(column "$tmp/sw/sweep.csv" device_ssd_iops_mean)
ok $(yes_no test -n "$col" -a -z "$(echo "$line" | cut -d, -f"$col")") "sweep.csv: the device's column is empty where it is of kind none"
ok $(yes_no test "$(grep -c '"device_ssd_iops": null' "$tmp/sw/sweep.json")" = 1) "sweep.json: null for that point"
ok $(yes_no test "$(grep '^| none |' "$tmp/sw/sweep.md" | grep -o 'n/a' | wc -l)" = 4) \
    "sweep.md: n/a in the four device columns of that point"
ok $(yes_no test "$(grep '^| sata-ssd |' "$tmp/sw/sweep.md" | grep -o 'n/a' | wc -l)" = 0) \
    "sweep.md: no n/a at the other point"
ok $(yes_no test -s "$tmp/sw/sweep-refaults.png") "sweep: the refaults figure is drawn"
"$pagesim" sweep "$mm1" --runs 2 --jobs 2 --out "$tmp/sw0" --quiet
ok $(yes_no test ! -e "$tmp/sw0/sweep-refaults.png" -a -z "$(head -1 "$tmp/sw0/sweep.csv" | grep -E 'evictions|device_')") \
    "sweep mm1: no memory or device columns, no refaults figure"
# diff of the two sweeps (one point each): n/a on mm1's side.
"$pagesim" sweep "$md" --runs 2 --jobs 2 --out "$tmp/sw1" --quiet
"$pagesim" diff "$tmp/sw1" "$tmp/sw0" >"$tmp/diff4" 2>&1
mean=$(for s in 1 2; do field "$tmp/sw1/base/seed-$s/summary.json" evictions; done | awk '{ s += $1 } END { printf "%.10g", s / NR }')
ok $(yes_no grep -qE "^evictions +$mean +n/a +- +- +- *\$" "$tmp/diff4") "diff of sweeps: evictions' mean ($mean) against n/a"

echo "1..$n"
[ "$fails" = 0 ]
