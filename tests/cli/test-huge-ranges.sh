#!/usr/bin/env bash
# A 1 PiB resident range, evicted and supplied: ranges cost per run of pages,
# not per page (issue 13 item 7, made so by the page sets of issue 14). The run
# must finish within 60 s and, outside AddressSanitizer builds, within 1 GiB of
# address space. Prints TAP.
#   test-huge-ranges.sh PAGESIM
set -u
pagesim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "${BASH_SOURCE[0]}")/../tap.sh"

cat >"$tmp/huge.json" <<'JSON'
{"stop": {"time": "1ms"},
 "providers": [{"name": "p", "kind": "scripted"}],
 "vmos": [{"name": "a", "size": "1PiB", "provider": "p", "resident": [[0, "1PiB"]]},
          {"name": "b", "size": "1PiB", "provider": "p"}],
 "workloads": [{"name": "w", "kind": "explicit",
   "accesses": [{"thread": "T", "at": "3us", "vmo": "b", "offset": "512TiB"}]}],
 "actions": [{"at": "1us", "do": "evict", "vmo": "a", "offset": 0, "length": "1PiB"},
             {"at": "2us", "do": "supply", "vmo": "b", "offset": 0, "length": "1PiB"}]}
JSON
limit="ulimit -v 1048576"
ldd "$pagesim" | grep -q libasan && limit=true
(eval "$limit" && timeout -k 5 60 "$pagesim" run "$tmp/huge.json" --out "$tmp/out" -q) 2>"$tmp/err"
rc=$?
sed 's/^/# /' "$tmp/err" | head -3
ok $( { [ $rc = 0 ]; } && echo 0 || echo 1) "a 1 PiB resident, evict and supply run finishes in bounded time and memory (exit $rc)"
pages=274877906944
ok $( { grep -q "\"ev\":\"evict\",\"vmo\":\"a\",\"offset\":0,\"len\":1125899906842624,\"pages\":$pages,\"resident\":0}" \
    "$tmp/out/events.jsonl"; } && echo 0 || echo 1) "the evict removes all 2^38 resident pages"
ok $( { grep -qx "  \"supplied_pages\": $pages," "$tmp/out/summary.json"; } && echo 0 || echo 1) \
    "the supply inserts 2^38 pages"
ok $( { grep -qx '  "faults": 0,' "$tmp/out/summary.json"; } && echo 0 || echo 1) "an access in the supplied range finds its page"
echo "1..$n"
[ "$fails" = 0 ]
