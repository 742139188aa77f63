#!/usr/bin/env bash
# The command line's fixed contract: --help, --version, and exit status 2 with a
# usage on stderr for anything it does not understand. Prints TAP.
set -u
pagesim=$1
version=$2
n=0
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() {
    n=$((n + 1))
    if [ "$1" = 0 ]; then echo "ok $n $2"; else fails=$((fails + 1)); echo "not ok $n $2"; fi
}
run() {
    "$pagesim" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}

run --help
ok $([ $rc = 0 ] && [ ! -s "$tmp/err" ] && echo 0 || echo 1) "--help exits 0 and writes only to stdout"
for sub in run compare plot validate; do
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

for case in device-queue-depth-zero device-bandwidth-negative device-kind-unknown device-missing; do
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
