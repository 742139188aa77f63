# tap.sh: the TAP bookkeeping the shell tests share. Source it, call
# `ok STATUS DESCRIPTION` per check (STATUS 0 passes), and end with
# `echo "1..$n"` and an exit status from $fails.
# shellcheck shell=bash
n=0
fails=0
ok() {
    n=$((n + 1))
    if [ "$1" = 0 ]; then echo "ok $n $2"; else fails=$((fails + 1)); echo "not ok $n $2"; fi
}
# yes_no CMD...: 0 when CMD succeeds, else 1 (for `ok $(yes_no test ...) ...`).
yes_no() { if "$@"; then echo 0; else echo 1; fi; }
