#!/usr/bin/env bash
# The real pager, end to end (TAP). A short run must serve every page once and
# measure every fault; each fault must have waited at least the service time
# (the pager sleeps to an absolute deadline, so this bound holds on any
# machine); faults on one page must be served once. Calibration must write a
# kernel fragment that pagesim accepts. Where userfaultfd is unavailable the
# whole test is skipped with the program's reason.
# Usage: test-realpager.sh REALPAGER SRCDIR
set -uo pipefail
rp=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$rp" "$src/short.json" --out "$tmp/short" >"$tmp/log" 2>&1
status=$?
if [ "$status" -eq 77 ]; then
    echo "1..0 # SKIP $(sed -n 's/^realpager: skipped: //p' "$tmp/log" | head -n 1)"
    exit 0
fi
echo "1..4"
n=0
check() { # description, python expression over s (summary) and r (realpager.json)
    n=$((n + 1))
    if python3 - "$3" "$2" <<'PY'; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi
import json, sys
d = sys.argv[1]
s = json.load(open(d + "/summary.json"))
r = json.load(open(d + "/realpager.json"))
h = [l.split() for l in open(d + "/latency-histogram.tsv") if not l.startswith("#")]
hcount = sum(int(x[2]) for x in h)
ok = eval(sys.argv[2])
if not ok:
    print("# summary:", json.dumps(s)[:400], "realpager:", json.dumps(r), "hist:", hcount)
sys.exit(0 if ok else 1)
PY
}
[ "$status" -eq 0 ] || { cat "$tmp/log" | sed 's/^/# /'; }
# 2 threads x 40 accesses on their own pages: 80 faults, 80 pages served once,
# each measured (the histogram holds 80) and each at least the 60 us service.
check "short run: every fault served once and measured" \
    's["accesses"] == 80 and s["faults"] == 80 and s["latency_ns"]["count"] == 80 and hcount == 80 and s["requests"]["sent"] == 80 and s["supplied_pages"] == 80 and r["served"] == 80 and r["eexist"] == 0' \
    "$tmp/short"
check "short run: no fault shorter than the 60 us service" \
    's["latency_ns"]["min"] >= 60000' "$tmp/short"

# Three walkers in step over 30 pages: 90 accesses, each page served exactly
# once whatever the interleaving; every message beyond the 30 served ones was
# coalesced onto a page already claimed.
"$rp" "$src/shared.json" --out "$tmp/shared" >"$tmp/log2" 2>&1 || sed 's/^/# /' "$tmp/log2"
check "shared range: each page served once, the other faults coalesced" \
    's["accesses"] == 90 and r["served"] == 30 and s["supplied_pages"] == 30 and r["messages"] == r["served"] + r["coalesced"] and s["faults"] >= 30 and s["latency_ns"]["count"] == s["faults"] and s["latency_ns"]["min"] >= 1' \
    "$tmp/shared"

n=$((n + 1))
if "$rp" --calibrate "$tmp/kernel.json" --samples 50 >"$tmp/log3" 2>&1 &&
    python3 - "$tmp/kernel.json" <<'PY'; then echo "ok $n - calibration writes an empirical kernel fragment"; else sed 's/^/# /' "$tmp/log3"; echo "not ok $n - calibration writes an empirical kernel fragment"; fi
import json, sys
k = json.load(open(sys.argv[1]))["kernel"]
for key in ("fault_entry", "wake_latency"):
    pts = k[key]["points"]
    assert k[key]["dist"] == "empirical" and pts[0][0] == 0 and pts[-1][0] == 1, key
PY
