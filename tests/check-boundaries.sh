#!/usr/bin/env bash
# The module graph (README.md, "Dependency rule") and STYLE.md (B1, B3), stated
# as one rule table and checked on every #include of the C files under core/ and
# sim/. Prints TAP; a violation names the file and what it includes or calls.
#
# One row per module: what its files may include besides their own module's
# headers. Tokens: "c" is the C17 standard library, "c-pure" the same without
# stdio.h, time.h, signal.h, threads.h, setjmp.h and locale.h (no I/O, no clock);
# "glib" is glib.h and glib/*; "jansson" jansson.h; "zlib" zlib.h; "posix"
# unistd.h, fcntl.h and sys/*.h; "config" the headers meson generates
# (pagesim-*.h: version, revision); a module's name stands for its public
# headers, a path ending in .h for that one header. Internal headers (*-private.h, and INTERNAL below) may be included only
# inside their own module (tests/ is not checked and may include them).
#
#   core          c-pure glib
#   sim/engine    c-pure glib sys/mman.h
#   sim/scenario  c glib jansson zlib core/status.h core/page-source.h
#   sim/report    c glib jansson zlib posix
#   sim/model     c glib core sim/engine sim/scenario sim/report
#   sim/cli       c glib jansson posix config core/status.h sim/scenario sim/report sim/model
#
# Hence core/ and sim/engine/ include only glib and the C library (the engine
# also sys/mman.h, for madvise's huge-page hint on its thread slabs: a hint on
# memory, no I/O and no clock), neither includes the other, and only
# sim/model/ joins them. The scenario format takes
# status names (status.h) and the valid-failure rule (page-source.h) from core/
# rather than a copy, and reads input files that may be gzip-compressed. The other rules:
#  - every directory with C files under core/ and sim/ has a row;
#  - each module's meson.build uses only the libraries of its row (core_dep,
#    sim_engine_dep, scn_dep, rep_dep, mdl_dep, glib_dep, jansson_dep, zlib_dep)
#    and its own (cli_dep for sim/cli); m_dep, libm, is allowed everywhere;
#  - json_t and jansson.h appear in no header outside sim/scenario/;
#  - only sim/cli/ reads the wall clock (g_get_monotonic_time, g_get_real_time,
#    g_timer_*, g_date_time_new_now*, time(), clock(), gettimeofday,
#    clock_gettime), and nothing draws from a global random generator
#    (g_random_*, rand(), srand(), random()).
#
# Usage: check-boundaries.sh [SOURCE_ROOT]
set -u
root=${1:-.}
cd "$root" || exit 1

rules=(
    "core          c-pure glib"
    "sim/engine    c-pure glib sys/mman.h"
    "sim/scenario  c glib jansson zlib core/status.h core/page-source.h"
    "sim/report    c glib jansson zlib posix"
    "sim/model     c glib core sim/engine sim/scenario sim/report"
    "sim/cli       c glib jansson posix config core/status.h sim/scenario sim/report sim/model"
)

# Headers internal to their module besides *-private.h.
INTERNAL=" core/list.h core/request-tree.h sim/engine/sim-handler-table.h sim/scenario/scn-raw.h "

c_pure='assert|complex|ctype|errno|fenv|float|inttypes|iso646|limits|math|stdalign|stdarg|stdatomic|stdbool|stddef|stdint|stdlib|stdnoreturn|string|tgmath|uchar|wchar|wctype'
c_all="$c_pure|stdio|time|signal|threads|setjmp|locale"

declare -A allowed modules
for row in "${rules[@]}"; do
    read -r mod toks <<<"$row"
    allowed[$mod]=" $toks "
    modules[$mod]=1
done

n=0
fails=0
check() {
    local name=$1 bad=$2
    n=$((n + 1))
    if [ -z "$bad" ]; then
        echo "ok $n $name"
    else
        fails=$((fails + 1))
        echo "not ok $n $name"
        printf '%s\n' "$bad" | sed 's/^/# /'
    fi
}

# module_of PATH: sets REPLY to the module PATH lies in (longest prefix of a
# row), or to "" if none.
module_of() {
    local m
    REPLY=""
    for m in "${!modules[@]}"; do
        case "$1" in
            "$m"/*) [ ${#m} -gt ${#REPLY} ] && REPLY=$m ;;
        esac
    done
    return 0
}

is_internal() {
    case "$1" in
        *-private.h) return 0 ;;
    esac
    [[ "$INTERNAL" == *" $1 "* ]]
}

# may_include MODULE INCLUDE: succeeds if MODULE's row allows INCLUDE.
may_include() {
    local mod=$1 inc=$2 toks=${allowed[$1]} owner
    module_of "$inc"
    owner=$REPLY
    [ "$owner" = "$mod" ] && return 0
    if [ -n "$owner" ]; then
        is_internal "$inc" && return 1
        [[ "$toks" == *" $owner "* || "$toks" == *" $inc "* ]]
        return
    fi
    case "$inc" in
        glib.h | glib/*) [[ "$toks" == *" glib "* ]] ;;
        jansson.h) [[ "$toks" == *" jansson "* ]] ;;
        zlib.h) [[ "$toks" == *" zlib "* ]] ;;
        unistd.h | fcntl.h | sys/*.h) [[ "$toks" == *" posix "* || "$toks" == *" $inc "* ]] ;;
        pagesim-*.h) [[ "$toks" == *" config "* ]] ;;
        *.h)
            if [[ "$toks" == *" c "* ]]; then
                [[ "$inc" =~ ^($c_all)\.h$ ]]
            else
                [[ "$toks" == *" c-pure "* && "$inc" =~ ^($c_pure)\.h$ ]]
            fi
            ;;
        *) return 1 ;;
    esac
}

# Every C file under core/ and sim/, and every "file: include" in them.
c_files=$(find core sim -name '*.[ch]' 2>/dev/null | sort)
includes() {
    printf '%s\n' "$c_files" | xargs -r grep -HoE \
        '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"][^>"]+[>"]' |
        sed -E 's/:[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([^>"]+)[>"]/ \1/'
}
all_includes=$(includes)

orphans=$(for f in $c_files; do
    module_of "$f"
    [ -n "$REPLY" ] || dirname "$f"
done | sort -u | sed 's/$/: C files in no row of the table/')
check "every directory of C files under core/ and sim/ has a row" "$orphans"

for row in "${rules[@]}"; do
    read -r mod toks <<<"$row"
    bad=$(printf '%s\n' "$all_includes" | while read -r f inc; do
        module_of "$f"
        [ -n "$f" ] && [ "$REPLY" = "$mod" ] || continue
        may_include "$mod" "$inc" || echo "$f includes $inc"
    done)
    check "$mod/ includes only its own headers and: $toks" "$bad"
done

# The meson library names of the tokens that stand for libraries.
dep_of() {
    case "$1" in
        core) echo core_dep ;;
        sim/engine) echo sim_engine_dep ;;
        sim/scenario) echo scn_dep ;;
        sim/report) echo rep_dep ;;
        sim/model) echo mdl_dep ;;
        sim/cli) echo cli_dep ;;
        glib | jansson | zlib) echo "$1_dep" ;;
        core/*.h) echo core_dep ;;
    esac
}
for row in "${rules[@]}"; do
    read -r mod toks <<<"$row"
    ok_deps=" m_dep $(dep_of "$mod") "
    for t in $toks; do ok_deps+="$(dep_of "$t") "; done
    bad=$( [ -f "$mod/meson.build" ] &&
        grep -oE '\b[a-z_]+_dep\b[[:space:]]*=?' "$mod/meson.build" | grep -v '=$' | sort -u |
        while read -r d; do
            [[ "$ok_deps" == *" $d "* ]] || echo "$mod/meson.build uses $d"
        done)
    check "$mod/meson.build uses only the libraries of its row" "$bad"
done

json_bad=$(printf '%s\n' "$c_files" | grep '\.h$' | grep -v '^sim/scenario/' |
    xargs -r grep -HnE '\bjson_t\b|#[[:space:]]*include[[:space:]]*[<"]jansson\.h' |
    sed -E 's/^([^:]+:[0-9]+):.*/\1 mentions json_t or includes jansson.h/')
check "json_t and jansson.h appear in no header outside sim/scenario/" "$json_bad"

clock='g_get_monotonic_time|g_get_real_time|g_timer_[a-z_]+|g_date_time_new_now[a-z_]*|\btime\(|\bclock\(|gettimeofday|clock_gettime'
clock_bad=$(printf '%s\n' "$c_files" | grep -v '^sim/cli/' | xargs -r grep -HnoE "$clock" |
    sed -E 's/^([^:]+:[0-9]+):(.*)/\1 calls \2/')
check "only sim/cli/ reads the wall clock" "$clock_bad"

random_bad=$(printf '%s\n' "$c_files" | xargs -r grep -HnoE \
    'g_random_[a-z_]+|\bs?rand\(|\brandom\(' |
    sed -E 's/^([^:]+:[0-9]+):(.*)/\1 calls \2/')
check "no global random generator (g_random_*, rand, srand, random)" "$random_bad"

echo "1..$n"
[ "$fails" -eq 0 ]
