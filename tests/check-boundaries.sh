#!/usr/bin/env bash
# The dependency rule of DESIGN.md: core/ includes only glib (and the C library),
# sim/engine/ includes only glib, neither includes the other, and only
# sim/scenario/ includes jansson. Prints TAP.
set -u
root=${1:-.}
cd "$root" || exit 1

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

includes() {
    # Lists "file: include" for every #include in the given directory.
    grep -rHoE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"][^>"]+[>"]' "$1" 2>/dev/null |
        sed -E 's/:[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([^>"]+)[>"]/: \1/'
}

c_std='^(assert|ctype|errno|float|inttypes|limits|math|stdalign|stdarg|stdatomic|stdbool|stddef|stdint|stdio|stdlib|stdnoreturn|string|time)\.h$'

core_bad=$(includes core | while IFS=': ' read -r f inc; do
    case "$inc" in
        glib.h | glib/*) ;;
        core/*) ;;
        *) echo "$inc" | grep -qE "$c_std" || echo "$f includes $inc" ;;
    esac
done)
check "core/ includes only glib, the C library and core/" "$core_bad"

engine_bad=$(includes sim/engine | while IFS=': ' read -r f inc; do
    case "$inc" in
        glib.h | glib/*) ;;
        sim/engine/*) ;;
        *) echo "$inc" | grep -qE "$c_std" || echo "$f includes $inc" ;;
    esac
done)
check "sim/engine/ includes only glib, the C library and sim/engine/" "$engine_bad"

jansson_bad=$(grep -rlE '#[[:space:]]*include[[:space:]]*[<"]jansson' core sim 2>/dev/null |
    grep -vE '^sim/(scenario|report|cli)/')
check "jansson is included only by sim/scenario, sim/report and sim/cli" "$jansson_bad"

echo "1..$n"
[ "$fails" -eq 0 ]
