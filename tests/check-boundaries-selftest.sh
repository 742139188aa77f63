#!/usr/bin/env bash
# check-boundaries.sh proves it can fail: on a copy of core/ and sim/, each case
# breaks one rule of its table (one line added to one file) and requires the
# checker to exit non-zero with the expected "not ok" rule and the expected
# message naming the file. The untouched copy must pass. Prints TAP.
#
# Usage: check-boundaries-selftest.sh SOURCE_ROOT
set -u
src=$1
checker=$src/tests/check-boundaries.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

# The copy is made once; fresh undoes what the previous case changed (the files
# it named with add or edit, and sim/extra/).
mkdir -p "$tmp/tree"
cp -r "$src/core" "$src/sim" "$tmp/tree/"
touched=()
fresh() {
    local f
    for f in "${touched[@]}"; do cp "$src/$f" "$tmp/tree/$f"; done
    touched=()
    rm -rf "$tmp/tree/sim/extra"
}

# expect NAME RULE MESSAGE: the checker fails on the tree, reporting RULE (the
# text after "not ok N ") and "# MESSAGE" right below it.
expect() {
    local name=$1 rule=$2 msg=$3 out rc
    out=$(bash "$checker" "$tmp/tree")
    rc=$?
    local block
    block=$(printf '%s\n' "$out" | awk -v r="$rule" '
        $0 ~ /^not ok [0-9]+ / { sub(/^not ok [0-9]+ /, ""); on = ($0 == r); next }
        /^ok / { on = 0 } on { print }')
    if [ $rc -ne 0 ] && printf '%s\n' "$block" | grep -qxF "# $msg"; then
        ok 0 "$name"
    else
        ok 1 "$name"
        printf '%s\n' "$out" | sed 's/^/#   /'
    fi
}

# add FILE LINE: appends LINE to FILE in the copy.
add() {
    touched+=("$1")
    printf '%s\n' "$2" >>"$tmp/tree/$1"
}

fresh
out=$(bash "$checker" "$tmp/tree")
ok $? "the untouched tree passes"

fresh
add core/status.c '#include "sim/engine/sim-time.h"'
expect "core may not include the engine" "core/ includes only its own headers and: c-pure glib" \
    "core/status.c includes sim/engine/sim-time.h"

fresh
add sim/engine/sim-rng.c '#include "core/status.h"'
expect "the engine may not include core" \
    "sim/engine/ includes only its own headers and: c-pure glib sys/mman.h" \
    "sim/engine/sim-rng.c includes core/status.h"

fresh
add sim/engine/sim-rng.c '#include <sys/stat.h>'
expect "the engine's one system header is sys/mman.h" \
    "sim/engine/ includes only its own headers and: c-pure glib sys/mman.h" \
    "sim/engine/sim-rng.c includes sys/stat.h"

fresh
add core/port.c '#include <stdio.h>'
expect "core does no I/O" "core/ includes only its own headers and: c-pure glib" \
    "core/port.c includes stdio.h"

fresh
add sim/model/mdl-vmo.c '#include "core/page-source-private.h"'
expect "a private header stays in its module" \
    "sim/model/ includes only its own headers and: c glib core sim/engine sim/scenario sim/report" \
    "sim/model/mdl-vmo.c includes core/page-source-private.h"

fresh
add sim/model/mdl-vmo.c '#include "sim/engine/sim-handler-table.h"'
expect "an internal header of the list stays in its module" \
    "sim/model/ includes only its own headers and: c glib core sim/engine sim/scenario sim/report" \
    "sim/model/mdl-vmo.c includes sim/engine/sim-handler-table.h"

fresh
add sim/report/rep-sink.c '#include "sim/model/mdl-world.h"'
expect "report may not include the model" \
    "sim/report/ includes only its own headers and: c glib jansson zlib posix" \
    "sim/report/rep-sink.c includes sim/model/mdl-world.h"

fresh
add sim/scenario/scn-units.c '#include "core/status.h"'
add sim/scenario/scn-units.c '#include "core/page-source.h"'
add sim/scenario/scn-units.c '#include "core/pager-proxy.h"'
expect "scenario may include core/status.h, core/page-source.h and no other core header" \
    "sim/scenario/ includes only its own headers and: c glib jansson zlib core/status.h core/page-source.h" \
    "sim/scenario/scn-units.c includes core/pager-proxy.h"

fresh
add sim/cli/cli-run.c '#include "sim/engine/sim-engine.h"'
expect "only the model joins the engine" \
    "sim/cli/ includes only its own headers and: c glib jansson posix config core/status.h sim/scenario sim/report sim/model" \
    "sim/cli/cli-run.c includes sim/engine/sim-engine.h"

fresh
mkdir -p "$tmp/tree/sim/extra"
printf '#include <glib.h>\n' >"$tmp/tree/sim/extra/x.c"
expect "a new module needs a row" "every directory of C files under core/ and sim/ has a row" \
    "sim/extra: C files in no row of the table"

fresh
touched+=(sim/engine/meson.build)
sed -i 's/dependencies: \[glib_dep, m_dep\],/dependencies: [glib_dep, m_dep, core_dep],/' \
    "$tmp/tree/sim/engine/meson.build"
expect "the build files follow the table" \
    "sim/engine/meson.build uses only the libraries of its row" \
    "sim/engine/meson.build uses core_dep"

fresh
lines=$(wc -l <"$tmp/tree/sim/report/rep-sink.h")
add sim/report/rep-sink.h 'json_t *rep_sink_json(void);'
expect "json_t stays in sim/scenario" "json_t and jansson.h appear in no header outside sim/scenario/" \
    "sim/report/rep-sink.h:$((lines + 1)) mentions json_t or includes jansson.h"

fresh
lines=$(wc -l <"$tmp/tree/sim/model/mdl-world.c")
add sim/model/mdl-world.c 'static gint64 wall(void) { return g_get_monotonic_time(); }'
expect "the model does not read the wall clock" "only sim/cli/ reads the wall clock" \
    "sim/model/mdl-world.c:$((lines + 1)) calls g_get_monotonic_time"

fresh
lines=$(wc -l <"$tmp/tree/sim/engine/sim-rng.c")
add sim/engine/sim-rng.c 'static int draw(void) { return rand(); }'
expect "no global random generator" "no global random generator (g_random_*, rand, srand, random)" \
    "sim/engine/sim-rng.c:$((lines + 1)) calls rand("

echo "1..$n"
[ "$fails" -eq 0 ]
