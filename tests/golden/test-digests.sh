#!/usr/bin/env bash
# Behaviour unchanged: every scenario of scenarios/ and every conformance case of
# tests/conformance/ is run with its own seed, and the SHA-256 of its events.jsonl and
# of its summary.json (the wall-clock line "wall_s" and the "provenance" object, which
# names the command line and the build's git revision, left out) must equal the digests
# recorded in tests/golden/digests.txt. A change of behaviour made on purpose
# regenerates that file with scripts/update-digests in the same commit, and the
# commit message says why. Prints TAP.
#
# Usage: test-digests.sh PAGESIM SOURCE_ROOT [--write FILE]
set -u
pagesim=$1
src=$2
write=${4:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# digest_of FILE: prints the SHA-256 of FILE without its wall-clock line and
# without summary.json's top-level "provenance" object.
digest_of() {
    sed -e '/"wall_s"/d' -e '/^  "provenance": {/,/^  }/d' "$1" | sha256sum | cut -d' ' -f1
}

# run_one NAME FILE [ARGS...]: prints "NAME events=... summary=..." or "NAME error".
run_one() {
    local name=$1 file=$2 out=$tmp/run
    shift 2
    if "$pagesim" run "$file" --out "$out" --quiet "$@" >/dev/null 2>"$tmp/err"; then
        echo "$name events=$(digest_of "$out/events.jsonl") summary=$(digest_of "$out/summary.json")"
    else
        echo "$name error=$?"
        sed "s|^|# $name: |" "$tmp/err" >&2
    fi
    rm -rf "$out"
}

{
    for f in "$src"/scenarios/*.json; do
        run_one "scenarios/$(basename "$f" .json)" "$f"
    done
    for f in "$src"/tests/conformance/*.json; do
        run_one "conformance/$(basename "$f" .json)" "$f" --check
    done
} >"$tmp/actual.txt"

if [ -n "$write" ]; then
    cp "$tmp/actual.txt" "$write"
    echo "wrote $(wc -l <"$write") digests to $write" >&2
    exit 0
fi

n=0
fails=0
while read -r name rest; do
    n=$((n + 1))
    want=$(grep -F "$name " "$src/tests/golden/digests.txt" | head -1 | cut -d' ' -f2-)
    if [ "$rest" = "$want" ]; then
        echo "ok $n $name"
    else
        fails=$((fails + 1))
        echo "not ok $n $name"
        echo "# recorded: ${want:-nothing}"
        echo "# now:      $rest"
    fi
done <"$tmp/actual.txt"
recorded=$(wc -l <"$src/tests/golden/digests.txt")
n=$((n + 1))
if [ "$recorded" = "$((n - 1))" ]; then
    echo "ok $n every recorded digest has a case ($recorded)"
else
    fails=$((fails + 1))
    echo "not ok $n $recorded digests recorded for $((n - 1)) cases"
fi
echo "1..$n"
[ "$fails" = 0 ]
