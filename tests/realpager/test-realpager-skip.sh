#!/usr/bin/env bash
# Where userfaultfd is unavailable, realpager says why and exits 77, and the
# real-pager test reports itself skipped with that reason; a pager whose
# copies fail ends the run with exit 1. Simulated with a preloaded shim that
# makes userfaultfd(2), or UFFDIO_COPY, fail.
# Usage: test-realpager-skip.sh REALPAGER SRCDIR SHIM
set -uo pipefail
rp=$1
src=$2
shim=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A sanitizer runtime must come first; the shim only needs to come before libc.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
echo "1..5"

LD_PRELOAD="$shim" "$rp" "$src/short.json" --out "$tmp/out" >/dev/null 2>"$tmp/err"
status=$?
[ "$status" -eq 77 ] && [ ! -e "$tmp/out" ]
if [ $? -eq 0 ]; then echo "ok 1 - EPERM: exit 77, nothing written"; else echo "not ok 1 - EPERM: exit $status"; fi
if grep -q "^realpager: skipped: userfaultfd is refused even to root" "$tmp/err" ||
    grep -q "^realpager: skipped: userfaultfd is not permitted: not root" "$tmp/err"; then
    echo "ok 2 - EPERM: the reason is on stderr"
else
    echo "not ok 2 - EPERM: the reason is on stderr"; sed 's/^/# /' "$tmp/err"
fi

NO_UFFD_ERRNO=38 LD_PRELOAD="$shim" "$rp" --calibrate "$tmp/k.json" >/dev/null 2>"$tmp/err"
status=$?
if [ "$status" -eq 77 ] && grep -q "skipped: the kernel has no userfaultfd (CONFIG_USERFAULTFD is off)" "$tmp/err"; then
    echo "ok 3 - ENOSYS: calibration exits 77 naming CONFIG_USERFAULTFD"
else
    echo "not ok 3 - ENOSYS: exit $status"; sed 's/^/# /' "$tmp/err"
fi

# A pager whose copies fail: the run ends (the regions are unregistered, the
# faulting threads finish) and reports the error with exit 1, writing nothing.
FAIL_UFFD_COPY=1 LD_PRELOAD="$shim" timeout 60 "$rp" "$src/short.json" --out "$tmp/fail" >/dev/null 2>"$tmp/err"
status=$?
if [ "$status" -eq 1 ] && grep -q "^realpager: UFFDIO_COPY failed: Cannot allocate memory" "$tmp/err" && [ ! -e "$tmp/fail/summary.json" ]; then
    echo "ok 4 - a failing UFFDIO_COPY ends the run with exit 1 and the error"
else
    echo "not ok 4 - a failing UFFDIO_COPY: exit $status"; sed 's/^/# /' "$tmp/err"
fi

# The real-pager test itself under the shim: a TAP skip plan with the reason.
LD_PRELOAD="$shim" "$src/test-realpager.sh" "$rp" "$src" >"$tmp/tap" 2>/dev/null
if grep -q "^1..0 # SKIP userfaultfd is" "$tmp/tap"; then
    echo "ok 5 - the real-pager test reports a skip with the reason"
else
    echo "not ok 5 - the real-pager test reports a skip with the reason"; sed 's/^/# /' "$tmp/tap"
fi
