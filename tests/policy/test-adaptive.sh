#!/usr/bin/env bash
# The adaptive policy against Linux 6.1's readahead rules (issue 18): each case's
# exact request list, "offset/len" in pages (with the time in us where it
# matters), computed by hand from mm/readahead.c and mm/filemap.c as explained
# beside each check. Default ra_pages is 32. Prints TAP.
set -u
pagesim=$1
dir=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

# requests CASE POLICY [--set ...]: "offset/len" of each request line;
# with TIMES=1, "time_us:offset/len".
requests() {
    local c=$1 policy=$2
    shift 2
    "$pagesim" run "$dir/adaptive-$c.json" --out "$tmp/out" --quiet --check --policy "$policy" \
        "$@" >"$tmp/log" 2>&1 || {
        cat "$tmp/log" >&2
        echo FAILED
        return
    }
    grep '"ev":"request"' "$tmp/out/events.jsonl" |
        sed -E 's/^\{"t":([0-9]+),.*"offset":([0-9]+),"len":([0-9]+).*/\1 \2 \3/' |
        while read -r t off len; do
            [ "${TIMES:-0}" = 1 ] && printf '%s:' $((t / 1000))
            printf '%s/%s ' $((off / 4096)) $((len / 4096))
        done
}

# check NAME EXPECTED CASE POLICY [--set ...]
check() {
    local name=$1 want=$2 got
    shift 2
    n=$((n + 1))
    got=$(requests "$@")
    got=${got% }
    if [ "$got" = "$want" ]; then
        echo "ok $n $name: $want"
    else
        fails=$((fails + 1))
        echo "not ok $n $name"
        echo "#   want: $want"
        echo "#   got:  $got"
    fi
}

# 2 pages at 0, max 16: get_init_ra_size(2, 16) = 4 (2 <= 16/4), clipped to
# the 3-page file.
check "read size: 2 pages at 0 of 3, readahead:16" "0/3" read-size adaptive+readahead:16
# T1 at 0: init(1) = 4, async 3 -> 0/4. T2 at 4 = start + size of the shared
# state: next size 8, all async, then ramp-up (+16, 24 <= 32) -> 4/24.
check "two threads share the file's state" "0/4 4/24" shared adaptive
# a at 0: 0/4. b at 4 has a fresh state of its own: not page 0, no previous
# read, no cached page before it: read as is (one state for both would make
# it the next window, 4/24 as above).
check "each file has its own state" "0/4 4/1" files adaptive
# 0 -> 0/4 (marker 1); 2 and 3 are hits but move prev_pos to page 4; the miss
# at 5 is 1 past it: initial window 5/4 (by the last miss, 1, it would be a
# random read of 5/1).
check "restart after a miss next to the previous read" "0/4 5/4" restart adaptive
# 20: no history before it (page 19 uncached), not next to a previous read:
# read as is, state untouched; 21 = prev page: 21/4; 26: none of the rules
# (expected pages 22 and 25, prev 22, page 25 uncached): as is; 27: 27/4.
check "random reads are read as is" "20/1 21/4 26/1 27/4" random adaptive
# fault at 40: ra_pages (32) from 40 - 16, one request with the faulting page.
check "read-around centred on a fault" "24/32" around adaptive
# VM_RAND_READ: the page alone.
check "read-around off under hint random" "40/1" around adaptive \
    --set 'workloads[0].hint="random"'
# VM_SEQ_READ: page_cache_sync_ra(32) at 40, no history: as is, 32 pages.
check "hint sequential reads ra_pages from the fault" "40/32" around adaptive \
    --set 'workloads[0].hint="sequential"'
# 101 faults 64 pages apart, none a hit (the look after the wait is the same
# fault): mmap_miss reaches 100 after the 100th, read-around each time
# (0/32, then 64k - 16); the 101st makes it 101 > MMAP_LOTSAMISS: page alone.
want=$(printf '0/32 '; for k in $(seq 1 99); do printf '%s/32 ' $((64 * k - 16)); done; printf '6400/1')
check "mmap_miss past 100 stops read-around" "$want" misses adaptive
# A reader faulting one page per us (fault at 0 served at 10us; page k touched
# at 10 + k us): read-around 0/32 has its marker at 24 (async 8); touching it
# at 34us sends 32/32 (24 = start + size - async: next window, all async,
# marker 32). Page 32 at 42us is still in flight: its marker sends 64/32 and
# the reader waits until 44us; page 64 is then reached at 76us, resident, and
# sends 96/32. Two faults in all (pages 0 and 32).
TIMES=1 check "the asynchronous window runs ahead of a sequential reader" \
    "0:0/32 34:32/32 42:64/32 76:96/32" stream adaptive
n=$((n + 1))
"$pagesim" run "$dir/adaptive-stream.json" --out "$tmp/s" --quiet --policy adaptive >/dev/null 2>&1
if grep -q '"faults": 2,' "$tmp/s/summary.json"; then
    echo "ok $n the sequential reader faults twice"
else
    fails=$((fails + 1))
    echo "not ok $n the sequential reader faults twice"
fi

# Bad input: an unknown hint names the file and the JSON path, exit 2, no output.
n=$((n + 1))
sed 's/"explicit", /"explicit", "hint": "willneed", /' "$dir/adaptive-around.json" >"$tmp/bad.json"
"$pagesim" run "$tmp/bad.json" --out "$tmp/bad" --quiet >"$tmp/out.txt" 2>"$tmp/err.txt"
rc=$?
if [ $rc = 2 ] && grep -q "bad.json" "$tmp/err.txt" && grep -q 'workloads\[0\]\.hint' "$tmp/err.txt" &&
    [ ! -e "$tmp/bad" ]; then
    echo "ok $n unknown hint: exit 2 with file and path"
else
    fails=$((fails + 1))
    echo "not ok $n unknown hint (rc $rc): $(cat "$tmp/err.txt")"
fi

echo "1..$n"
[ "$fails" = 0 ]
