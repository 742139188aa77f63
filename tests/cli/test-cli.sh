#!/usr/bin/env bash
# The command line's fixed contract: --help, --version, and exit status 2 with a
# usage on stderr for anything it does not understand. Prints TAP.
set -u
pagesim=$1
version=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "${BASH_SOURCE[0]}")/../tap.sh"
run() {
    "$pagesim" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}

run --help
ok $([ $rc = 0 ] && [ ! -s "$tmp/err" ] && echo 0 || echo 1) "--help exits 0 and writes only to stdout"
for sub in run compare plot validate sweep diff; do
    ok $(grep -qE "^  pagesim $sub " "$tmp/out" && echo 0 || echo 1) "--help lists '$sub'"
done

run --version
ok $([ $rc = 0 ] && [ "$(cat "$tmp/out")" = "pagesim $version" ] && echo 0 || echo 1) \
    "--version prints 'pagesim $version'"

run
ok $([ $rc = 2 ] && grep -q '^Usage:' "$tmp/err" && [ ! -s "$tmp/out" ] && echo 0 || echo 1) \
    "no arguments: usage on stderr, exit 2"

run frobnicate
ok $([ $rc = 2 ] && grep -q "unknown subcommand 'frobnicate'" "$tmp/err" && echo 0 || echo 1) \
    "unknown subcommand: exit 2 with a message"

run --frobnicate
ok $([ $rc = 2 ] && grep -q "unknown option '--frobnicate'" "$tmp/err" && echo 0 || echo 1) \
    "unknown option: exit 2 with a message"

src=$3
run validate "$src/scenarios/default.json"
ok $([ $rc = 0 ] && grep -q '^scenario "default"' "$tmp/out" && [ ! -s "$tmp/err" ] && echo 0 || echo 1) \
    "validate: a valid scenario exits 0 and prints what it would run"

printf '{"seed": 1,\n "providers": [{"name": "p", "kind": "pager", "wrokers": 2}]}\n' >"$tmp/bad.json"
run validate "$tmp/bad.json"
ok $([ $rc = 2 ] && [ ! -s "$tmp/out" ] &&
    grep -qF "$tmp/bad.json: \$.providers[0].wrokers: unknown key" "$tmp/err" && echo 0 || echo 1) \
    "validate: a bad scenario exits 2 naming the file and the JSON path"

for case in device-queue-depth-zero device-bandwidth-negative device-kind-unknown device-missing \
    lock-walk-page-negative lock-unlock-to-wait-negative lock-supply-page-negative; do
    run run "$src/tests/scenario/invalid/$case.json" -o "$tmp/dev-out"
    ok $([ $rc = 2 ] && [ ! -e "$tmp/dev-out" ] && grep -qF "$case.json: \$." "$tmp/err" && echo 0 || echo 1) \
        "run: $case exits 2 naming the file and the JSON path, nothing written"
done

printf '{"seed": 1,\n  "vmos": [}\n' >"$tmp/syntax.json"
run validate "$tmp/syntax.json"
ok $([ $rc = 2 ] && grep -qE "$tmp/syntax.json:2:[0-9]+: " "$tmp/err" && echo 0 || echo 1) \
    "validate: a syntax error exits 2 with file, line and column"

run validate
ok $([ $rc = 2 ] && grep -q "expected 1 argument" "$tmp/err" && echo 0 || echo 1) \
    "validate without a scenario: exit 2"

# stop.warmup: negative, or not before stop.time: exit 2, file and JSON path, nothing written.
warm='{"stop": {"time": "100ms", "warmup": WARM}, "providers": [{"name": "p", "kind": "pager"}],
 "vmos": [{"name": "f", "size": "64KiB", "provider": "p"}],
 "workloads": [{"name": "w", "kind": "closed", "vmo": "f", "think": "1ms"}]}'
for w in '"-1ms"' -1 '"100ms"' '"2s"'; do
    echo "${warm/WARM/$w}" >"$tmp/warm.json"
    run run "$tmp/warm.json" --out "$tmp/warm-out"
    ok $([ $rc = 2 ] && grep -qF "$tmp/warm.json: \$.stop.warmup: " "$tmp/err" && [ ! -e "$tmp/warm-out" ] &&
        echo 0 || echo 1) "run: stop.warmup $w exits 2 naming the file and \$.stop.warmup, writes nothing"
done
run validate "$tmp/warm.json" --set 'stop.warmup=20ms'
ok $([ $rc = 0 ] && grep -q '^  stop: at 100ms; figures measured from 20ms (stop.warmup)$' "$tmp/out" && echo 0 || echo 1) \
    "validate: prints the warm-up"
run run "$tmp/warm.json" --set 'stop.warmup=99999999' --out "$tmp/warm-out" --quiet --trace none
ok $([ $rc = 0 ] && grep -q '"window_ns": \[$' "$tmp/warm-out/summary.json" &&
    grep -A1 '"window_ns": \[$' "$tmp/warm-out/summary.json" | grep -qx '    99999999,' && echo 0 || echo 1) \
    "run: stop.warmup 1 ns before stop.time is accepted; summary.json's window starts there"
ok $(grep -q '"accesses": 0,' "$tmp/warm-out/summary.json" && grep -q '"accesses_per_s": 0.0,' "$tmp/warm-out/summary.json" &&
    grep -A2 '"access_latency_ns": {' "$tmp/warm-out/summary.json" | grep -qx '    "min": null,' && echo 0 || echo 1) \
    "run: no access in a 1 ns window: rates are 0, latency percentiles null"
run run "$tmp/warm.json" --set 'stop.warmup=99999999' --out "$tmp/warm-out" --trace none
ok $([ $rc = 0 ] && grep -q "^pagesim: no access finished in the measured window (99999999 ns to 100000000 ns)" "$tmp/err" &&
    grep -q '^access latency: none; ZX_OK fault latency: none$' "$tmp/out" && echo 0 || echo 1) \
    "run: a run that finished no access says so on stderr; its printed latencies are 'none'"
run run "$tmp/warm.json" --set 'stop.warmup=50ms' --out "$tmp/warm-out"
ok $([ $rc = 0 ] && grep -qE '^warm: 50 accesses \(1.0 k/s\), [0-9]+ faults \([0-9]+ ZX_OK\), 0 failed;' "$tmp/out" &&
    grep -q '^measured 50.0 ms to 100.0 ms of simulated time' "$tmp/out" && echo 0 || echo 1) \
    "run: the printed summary gives accesses and their rate over the measured window"
# A bad "memory" section: exit 2 naming the file and the JSON path, no output.
cat >"$tmp/mem.json" <<'JSON'
{"memory": {"capacity": "64KiB", "low": "48KiB", "high": "32KiB"},
 "providers": [{"name": "p", "kind": "sync"}],
 "vmos": [{"name": "v", "size": "1MiB", "provider": "p"}],
 "workloads": [{"name": "w", "kind": "closed", "vmo": "v", "threads": 1, "access": "fault"}]}
JSON
run run "$tmp/mem.json" --out "$tmp/mem-out" --quiet
ok $([ $rc = 2 ] && grep -q "mem.json: \$.memory.low: the low watermark" "$tmp/err" &&
    [ ! -e "$tmp/mem-out" ] && echo 0 || echo 1) \
    "run with watermarks out of order: exit 2, file and path named, nothing written"

echo "1..$n"
[ "$fails" = 0 ]
