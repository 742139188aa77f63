#!/usr/bin/env bash
# Each batching policy's exact request list for a sequential 64-page read and a
# 64-page commit (tests/policy/seq-64.json), as (offset, length) in pages, from
# events.jsonl. Prints TAP.
set -u
pagesim=$1
scenario=$(dirname "$0")/seq-64.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

# requests KIND POLICY: the request lines of one run, "offset/len" in pages.
requests() {
    "$pagesim" run "$scenario" --out "$tmp/out" --quiet --check --policy "$2" \
        --set "workloads[0].accesses[0].access=\"$1\"" >"$tmp/log" 2>&1 || {
        cat "$tmp/log" >&2
        echo FAILED
        return
    }
    grep '"ev":"request"' "$tmp/out/events.jsonl" |
        sed -E 's/.*"offset":([0-9]+),"len":([0-9]+).*/\1 \2/' |
        while read -r off len; do printf '%s/%s ' $((off / 4096)) $((len / 4096)); done
}

# check KIND POLICY EXPECTED
check() {
    n=$((n + 1))
    local got
    got=$(requests "$1" "$2")
    got=${got% }
    if [ "$got" = "$3" ]; then
        echo "ok $n $1 under $2: $3"
    else
        fails=$((fails + 1))
        echo "not ok $n $1 under $2"
        echo "#   want: $3"
        echo "#   got:  $got"
    fi
}

singles=$(for i in $(seq 0 63); do printf '%s/1 ' "$i"; done)
singles=${singles% }
clusters=$(for i in $(seq 0 8 56); do printf '%s/1 ' "$i"; done)
clusters=${clusters% }

check read none "$singles"
check read fuchsia "$singles"
check read readahead:8 "0/9 9/9 18/9 27/9 36/9 45/9 54/9 63/9"
# adaptive (Linux 6.1): the read asks for 64 pages at page 0. max 32:
# get_init_ra_size(64, 32) = 32, async 32 (not > 64), ramp-up would pass max
# so size 32, async 16: 0/32, marker 16. Page 16 (expected page 32-16) moves
# on: 32/32 in the background, marker 32; page 32 (in flight, 64-32) moves on
# again: 64/32. max 64: init 64, ramp-up -> size 64, async 32, marker 32;
# page 32 -> 64/64. max 256: init 128 (64 <= 256/4), async 64, marker 64,
# beyond the read: 0/128 only.
check read adaptive "0/32 32/32 64/32"
check read adaptive+readahead:64 "0/64 64/64"
check read adaptive+readahead:256 "0/128"
check read cluster:32KiB "$clusters"
check read readahead:8+cluster:32KiB "0/9 16/9 32/9 48/9"
check commit none "$singles"
check commit fuchsia "0/64"
check commit readahead:8 "0/72"
check commit adaptive "0/64"

echo "1..$n"
[ "$fails" = 0 ]
