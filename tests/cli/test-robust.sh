#!/usr/bin/env bash
# Nothing lost, nothing hung (issue 13): what a run leaves on disk when it is
# killed, interrupted or out of space, what validate and run agree on, limits
# that refuse instead of hanging, and the command line's text. Each check has
# the exact exit status and message. Prints TAP.
#   test-robust.sh PAGESIM SOURCE_ROOT
# The full-disk checks mount a small tmpfs and need root (as CI runs); they
# are skipped otherwise.
set -u
pagesim=$1
src=$2
n=0
fails=0
tmp=$(mktemp -d)
mnt=
cleanup() {
    [ -n "$mnt" ] && umount "$mnt" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

ok() {
    n=$((n + 1))
    if [ "$1" = 0 ]; then
        echo "ok $n $2"
    else
        fails=$((fails + 1))
        echo "not ok $n $2"
        [ -s "$tmp/err" ] && sed 's/^/# stderr: /' "$tmp/err" | head -5
    fi
}
skip() {
    n=$((n + 1))
    echo "ok $n # SKIP $1"
}
run() {
    "$pagesim" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}
err_is() { [ "$(cat "$tmp/err")" = "$1" ]; }
# no_temporaries DIR...: no pagesim temporary under any DIR (nor beside it)
no_temporaries() {
    [ -z "$(find "$@" -name '.*.pagesim-*' -o -name '.*.tmp' 2>/dev/null)" ]
}

default="$src/scenarios/default.json"

# --- 1, 2: a kill at any moment leaves the earlier or the new complete result --

# digest DIR: one line naming every result file of DIR with its hash
# (summary.json without wall_s and provenance, the fields that change between
# runs: the wall clock and the command line)
digest() {
    (cd "$1" && for f in $(ls -A | sort); do
        case $f in
            summary.json) sed '/"provenance"/,$d' "$f" | grep -v '"wall_s"' | sha256sum | cut -c1-16 ;;
            *) [ -f "$f" ] && sha256sum "$f" | cut -c1-16 ;;
        esac | sed "s|^|$f |"
    done) | tr '\n' ' '
}
"$pagesim" run "$default" --seed 1 --out "$tmp/ref1" -q && "$pagesim" run "$default" --seed 2 \
    --out "$tmp/ref2" -q
ref1=$(digest "$tmp/ref1")
ref2=$(digest "$tmp/ref2")
ok $( { [ "$ref1" != "$ref2" ] && [ -n "$ref1" ]; } && echo 0 || echo 1) "kill test: two different reference results"
cp -a "$tmp/ref1" "$tmp/kill"
start=$(date +%s%N)
"$pagesim" run "$default" --seed 1 --out "$tmp/timing" -q
took_ms=$((($(date +%s%N) - start) / 1000000 + 50))
mixed=0
for i in $(seq 1 20); do
    seed=$((i % 2 + 1))
    "$pagesim" run "$default" --seed $seed --out "$tmp/kill" -q 2>/dev/null &
    pid=$!
    sleep "$(awk -v r=$RANDOM -v t=$took_ms 'BEGIN { printf "%.3f", r / 32768 * t / 1000 }')"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    got=$(digest "$tmp/kill")
    if [ "$got" != "$ref1" ] && [ "$got" != "$ref2" ]; then
        mixed=$((mixed + 1))
        echo "# kill $i: a mixed or partial result: $got"
    fi
done
ok $( { [ $mixed = 0 ]; } && echo 0 || echo 1) "kill test: after each of 20 kills the directory holds one complete result"
"$pagesim" run "$default" --seed 2 --out "$tmp/kill" -q
ok $( { [ "$(digest "$tmp/kill")" = "$ref2" ] && no_temporaries "$tmp"; } && echo 0 || echo 1) \
    "kill test: no temporary file survives the next run"

# --- 2: SIGINT, SIGTERM, SIGHUP: the results so far, exit 128+N ----------------
for sig in INT TERM HUP; do
    case $sig in INT) want=130 ;; TERM) want=143 ;; HUP) want=129 ;; esac
    rm -rf "$tmp/sig"
    "$pagesim" run "$default" --out "$tmp/sig" -q --set stop.time=1000s 2>"$tmp/err" &
    pid=$!
    sleep 1
    kill -$sig $pid
    wait $pid
    rc=$?
    sim=$(sed -n 's/^  "sim_time_ns": \([0-9]*\),$/\1/p' "$tmp/sig/summary.json" 2>/dev/null)
    signum=$((want - 128))
    ok $( { [ $rc = $want ] && grep -qx '  "interrupted": true,' "$tmp/sig/summary.json" &&
        grep -qx '  "stop": "requested",' "$tmp/sig/summary.json" &&
        [ "${sim:-0}" -gt 0 ] && [ "$sim" -lt 1000000000000 ] && [ -s "$tmp/sig/events.jsonl" ] &&
        err_is "pagesim: interrupted by signal $signum at simulated time ${sim} ns; the results so far are in $tmp/sig" &&
        no_temporaries "$tmp"; } && echo 0 || echo 1) \
        "SIG$sig: exit $want, summary.json with \"interrupted\": true and the time reached, no temporary"
done

# compare keeps nothing of an interrupted comparison
"$pagesim" compare "$default" --policy none --policy fuchsia --out "$tmp/cmp-int" -q \
    --set stop.time=1000s 2>"$tmp/err" &
pid=$!
sleep 1
kill -INT $pid
wait $pid
rc=$?
ok $( { [ $rc = 130 ] && [ ! -e "$tmp/cmp-int" ] && no_temporaries "$tmp" &&
    err_is "pagesim: interrupted by signal 2 while running none; nothing written"; } && echo 0 || echo 1) \
    "compare on SIGINT: exit 130, nothing written, no temporary"

# --- 2: leftovers of killed runs (and of older versions) are removed -----------
"$pagesim" run "$default" --out "$tmp/left" -q --set stop.time=10ms
mkdir "$tmp/.left.pagesim-Zz9Yy8"
echo partial >"$tmp/.left.pagesim-Zz9Yy8/events.jsonl"
echo partial >"$tmp/left/.events.jsonl.AbC123.tmp"
run run "$default" --out "$tmp/left" -q --set stop.time=10ms
ok $( { [ $rc = 0 ] && no_temporaries "$tmp"; } && echo 0 || echo 1) "the next run removes leftovers of killed runs"

# --- 3: only files pagesim wrote are replaced or removed ----------------------
"$pagesim" run "$default" --out "$tmp/keep" -q --set stop.time=10ms --trace both
"$pagesim" plot "$tmp/keep" >/dev/null
echo mine >"$tmp/keep/notes.txt"
echo mine >"$tmp/keep/plots/my-figure.png"
run run "$default" --out "$tmp/keep" -q --set stop.time=10ms
ok $( { [ $rc = 0 ] && [ "$(cat "$tmp/keep/notes.txt")" = mine ] &&
    [ "$(ls -A "$tmp/keep/plots")" = my-figure.png ] && [ ! -e "$tmp/keep/trace.json" ] &&
    [ "$(cat "$tmp/keep/.pagesim-files")" = "$(printf 'events.jsonl\nsummary.json\nscenario.json\nlatency-spectrum.tsv\nlatency-histogram.tsv\ntimeline.tsv\nlatency.hgrm\nlatency-splits.tsv\nsummary.csv')" ]; } && echo 0 || echo 1) \
    "a new run keeps the user's files, removes the old run's trace.json and plots"
echo "{}" >"$tmp/keep/trace.json"
run run "$default" --out "$tmp/keep" -q --set stop.time=10ms --trace both
ok $( { [ $rc = 1 ] && [ "$(cat "$tmp/keep/trace.json")" = "{}" ] &&
    err_is "pagesim: $tmp/keep/trace.json exists and was not written by pagesim; move it away or choose another output directory"; } && echo 0 || echo 1) \
    "a run refuses to replace a file pagesim did not write (exit 1)"

# a result of an earlier version (no .pagesim-files): its known files are
# pagesim's, the rest (README.md) is kept
cp -r "$src/results/sample" "$tmp/legacy"
rm -f "$tmp/legacy/.pagesim-files" "$tmp/legacy/plots/.pagesim-files"
run plot "$tmp/legacy"
run2=$rc
run run "$default" --out "$tmp/legacy" -q --set stop.time=1ms --trace none
ok $( { [ $run2 = 0 ] && [ $rc = 0 ] && [ -s "$tmp/legacy/README.md" ] && [ ! -e "$tmp/legacy/plots" ] &&
    [ "$(ls "$tmp/legacy")" = "$(printf 'README.md\nlatency-histogram.tsv\nlatency-spectrum.tsv\nlatency-splits.tsv\nlatency.hgrm\nscenario.json\nsummary.csv\nsummary.json\ntimeline.tsv')" ]; } && echo 0 || echo 1) \
    "a result of an earlier version is re-plotted and re-run into, keeping what is not pagesim's"

# --- 5: --perfetto-out may not take the name of another output ----------------
for name in summary.json events.jsonl latency-spectrum.tsv latency-histogram.tsv latency-splits.tsv; do
    run run "$default" --out "$tmp/pf" --trace both --perfetto-out $name
    ok $( { [ $rc = 2 ] && [ ! -e "$tmp/pf" ] &&
        err_is "pagesim: --perfetto-out: \"$name\" is the name of another file the run writes"; } && echo 0 || echo 1) \
        "--perfetto-out $name: exit 2, nothing written"
done

# --- 6: nothing is created before validation passes ---------------------------
printf '{"providers": [{"name": "p", "kind": "pager", "latency": {"dist": "normal", "mean": "1us", "stddev": 0}}]}\n' \
    >"$tmp/bad.json"
for cmd in run compare; do
    extra=
    [ $cmd = compare ] && extra="--policy none --policy fuchsia"
    # shellcheck disable=SC2086
    run $cmd "$tmp/bad.json" --out "$tmp/new/dir" $extra
    ok $( { [ $rc = 2 ] && [ ! -e "$tmp/new" ] &&
        err_is "pagesim: $tmp/bad.json: \$.providers[0].latency.stddev: must be at least 1ns, got 0ns"; } && echo 0 || echo 1) \
        "$cmd: a normal with stddev 0 is refused with file and path, exit 2, nothing created"
done

# --- 7: absurd scale ----------------------------------------------------------
cat >"$tmp/commit.json" <<'EOF'
{"stop": {"events": 200},
 "providers": [{"name": "p", "kind": "pager", "latency": "1us"}],
 "vmos": [{"name": "v", "size": "1PiB", "provider": "p"}],
 "workloads": [{"name": "w", "kind": "explicit",
   "accesses": [{"thread": "T", "at": 0, "vmo": "v", "offset": 0, "access": "commit",
                 "pages": 274877906944}]}]}
EOF
run run "$tmp/commit.json" --out "$tmp/commit" -q --trace none
ok $( { [ $rc = 0 ] && grep -qx '  "events": 200,' "$tmp/commit/summary.json" &&
    grep -qx '  "stop": "budget",' "$tmp/commit/summary.json"; } && echo 0 || echo 1) \
    "a commit of 2^38 pages yields, so stop.events ends the run"
sed 's/"events": 200/"time": "10us"/' "$tmp/commit.json" >"$tmp/commit-time.json"
run run "$tmp/commit-time.json" --out "$tmp/commit-time" -q --trace none
ok $( { [ $rc = 0 ] && grep -qx '  "sim_time_ns": 10000,' "$tmp/commit-time/summary.json" &&
    grep -qx '  "stop": "horizon",' "$tmp/commit-time/summary.json"; } && echo 0 || echo 1) \
    "a commit of 2^38 pages yields, so stop.time ends the run"

cat >"$tmp/huge.json" <<'EOF'
{"stop": {"time": "1ms"},
 "providers": [{"name": "p", "kind": "pager", "workers": 100000}],
 "vmos": [{"name": "v", "size": "1GiB", "provider": "p"}],
 "workloads": [{"name": "w", "kind": "closed", "vmo": "v", "threads": 1000000}]}
EOF
run run "$tmp/huge.json" --out "$tmp/huge" --max-memory 100MiB
ok $( { [ $rc = 2 ] && [ ! -e "$tmp/huge" ] &&
    err_is "pagesim: $tmp/huge.json: the run needs an estimated 635.9 MiB (666751040 bytes: threads, pager workers, open-workload accesses in flight, actions), more than --max-memory 100.0 MiB; reduce it or raise --max-memory"; } && echo 0 || echo 1) \
    "--max-memory refuses a scenario whose estimate exceeds it, with the estimate (exit 2)"
# 1,000,000 threads x 640 B + 100,000 workers x 256 B + 1 MiB + 100 KiB + 64 B for the VMO
ok $( { [ $((1000000 * 640 + 100000 * 256 + 1048576 + 102400 + 64)) = 666751040 ]; } && echo 0 || echo 1) \
    "the estimate is the documented sum"
if ldd "$pagesim" | grep -q libasan; then
    skip "out of memory: AddressSanitizer cannot run under ulimit -v"
else
    (ulimit -v 400000 && "$pagesim" run "$tmp/huge.json" --out "$tmp/huge" --max-memory 0 -q \
        >"$tmp/out" 2>"$tmp/err")
    rc=$?
    ok $( { [ $rc = 1 ] && [ ! -e "$tmp/huge" ] &&
        grep -qE '^pagesim: out of memory: .*failed to allocate [0-9]+ bytes; reduce the scenario or check --max-memory$' "$tmp/err"; } && echo 0 || echo 1) \
        "an allocation failure is a message and exit 1, not an abort"
fi
run run "$tmp/huge.json" --out "$tmp/huge" --max-memory lots
ok $( { [ $rc = 2 ] && grep -q '^pagesim: --max-memory: ' "$tmp/err"; } && echo 0 || echo 1) "--max-memory: a bad size is exit 2"

cat >"$tmp/flood.json" <<'EOF'
{"stop": {"time": "10ms"},
 "providers": [{"name": "p", "kind": "pager", "workers": 1, "latency": "1ms"}],
 "vmos": [{"name": "v", "size": "1GiB", "provider": "p"}],
 "workloads": [{"name": "flood", "kind": "open", "vmo": "v", "pattern": {"kind": "uniform"},
                "arrival": {"process": "interval", "every": "1us"}, "max_in_flight": 1000}]}
EOF
run run "$tmp/flood.json" --out "$tmp/flood" -q
dropped=$(sed -n 's/^  "arrivals_dropped": \([0-9]*\),$/\1/p' "$tmp/flood/summary.json")
lines=$(grep -c '"ev":"dropped"' "$tmp/flood/events.jsonl")
ok $( { [ $rc = 0 ] && [ "${dropped:-0}" -gt 8000 ] && [ "$dropped" = "$lines" ] &&
    grep -q '"ev":"dropped","workload":"flood","in_flight":1000}' "$tmp/flood/events.jsonl"; } && echo 0 || echo 1) \
    "an open workload past max_in_flight drops arrivals, traced and counted ($dropped)"

# --- 8: option text ------------------------------------------------------------
LC_ALL=C run validate "$default" --set 'providers[0].latency=80µs'
ok $( { [ $rc = 0 ] && grep -q 'latency constant(80us)' "$tmp/out"; } && echo 0 || echo 1) "--set accepts 80µs, also in the C locale"
LC_ALL=C run run --help
ok $( { [ $rc = 0 ] && grep -qF 'pagesim run [OPTION…] SCENARIO.json' "$tmp/out"; } && echo 0 || echo 1) \
    "--help shows [OPTION…]"
for args in "--help" "run --help" "validate $default"; do
    # shellcheck disable=SC2086
    "$pagesim" $args >/dev/full 2>"$tmp/err"
    rc=$?
    ok $( { [ $rc = 1 ] && grep -q '^pagesim: cannot write to standard output: ' "$tmp/err"; } && echo 0 || echo 1) \
        "pagesim $args > /dev/full: exit 1"
done
"$pagesim" run "$default" --out "$tmp/stdout-full" --set stop.time=1ms >/dev/full 2>"$tmp/err"
ok $( { [ $? = 1 ] && err_is "pagesim: cannot write to standard output: No space left on device"; } && echo 0 || echo 1) \
    "pagesim run > /dev/full: exit 1"
"$pagesim" compare "$default" --policy none --policy fuchsia --out "$tmp/cmp-full" \
    --set stop.time=1ms >/dev/full 2>/dev/null
ok $( { [ $? = 1 ]; } && echo 0 || echo 1) "pagesim compare > /dev/full: exit 1"

# --- 4: a full disk: exit 1, the file, the directory and the reason; nothing left --
if [ "$(id -u)" != 0 ] || ! mkdir -p "$tmp/full" || ! mount -t tmpfs -o size=1m tmpfs "$tmp/full"; then
    for c in run compare plot; do skip "full disk ($c): needs root to mount a tmpfs"; done
else
    mnt="$tmp/full"
    run run "$default" --out "$mnt/res/run" -q
    ok $( { [ $rc = 1 ] && err_is "pagesim: cannot write events.jsonl in $mnt/res/run: No space left on device" &&
        [ -z "$(ls -A "$mnt")" ]; } && echo 0 || echo 1) "run on a full disk: exit 1 with file, directory and reason; nothing left"
    run compare "$default" --policy none --policy fuchsia --trace native --out "$mnt/cmp" -q
    ok $( { [ $rc = 1 ] && err_is "pagesim: cannot write none/events.jsonl in $mnt/cmp: No space left on device" &&
        [ -z "$(ls -A "$mnt")" ]; } && echo 0 || echo 1) "compare on a full disk: exit 1, no crash, nothing left"
    "$pagesim" run "$default" --out "$mnt/small" -q --trace none --set stop.time=10ms
    head -c 2000000 /dev/zero >"$mnt/filler" 2>/dev/null
    before=$(ls -A "$mnt/small")
    run plot "$mnt/small"
    ok $( { [ $rc = 1 ] && grep -q "^pagesim: cannot write latency-cdf.tsv in $mnt/small/plots: No space left on device$" "$tmp/err" &&
        [ "$(ls -A "$mnt/small")" = "$before" ]; } && echo 0 || echo 1) "plot on a full disk: exit 1, no plots/ left"
    rm -f "$mnt/filler"
    run run "$default" --out "$mnt" -q --set stop.time=1ms
    ok $( { [ $rc = 1 ] && [ -z "$(ls -A "$mnt" | grep -v small)" ] &&
        err_is "pagesim: cannot write the result into $mnt: it is a mount point (Device or resource busy), and a result is swapped in by renaming its directory; write into a subdirectory of it"; } && echo 0 || echo 1) \
        "run into a mount point: exit 1, says to use a subdirectory, nothing left"
fi

echo "1..$n"
[ "$fails" = 0 ]
