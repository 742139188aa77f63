#!/usr/bin/env bash
# meson install puts pagesim and its gnuplot scripts under a prefix; the
# installed pagesim finds the scripts relative to itself, even after the whole
# prefix has moved, and plots with them. Prints TAP.
set -u
builddir=$1
scenario=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "${BASH_SOURCE[0]}")/../tap.sh"
meson install -C "$builddir" --no-rebuild --destdir "$tmp/dest" >"$tmp/log" 2>&1
ok $? "meson install into a temporary destination"
exe=$(find "$tmp/dest" -type f -name pagesim -perm -u+x | head -1)
scripts=$(find "$tmp/dest" -type d -path '*/pagesim/scripts' | head -1)
ok $([ -n "$exe" ] && [ -f "$scripts/fig-timeline.gp" ] && [ -f "$scripts/fig-compare-cdf.gp" ] && echo 0 || echo 1) \
    "the executable and the seven scripts are installed"
# Move the whole prefix: nothing may depend on where it was installed.
prefix=$(dirname "$(dirname "$exe")")
mv "$prefix" "$tmp/moved"
exe="$tmp/moved/bin/pagesim"
unset PAGESIM_SCRIPTS
"$exe" run "$scenario" --out "$tmp/run" --quiet --trace none --set stop.time=20ms
ok $? "the installed pagesim runs"
"$exe" plot "$tmp/run" >"$tmp/out" 2>"$tmp/err"
ok $? "the installed pagesim plots"
want=$(cd "$tmp/moved" && pwd -P)
ok $(grep -q "gnuplot scripts from $want/" "$tmp/out" && [ -s "$tmp/run/plots/timeline.png" ] && echo 0 || echo 1) \
    "it used the scripts of its own (moved) prefix"
echo "1..$n"
[ "$fails" = 0 ]
