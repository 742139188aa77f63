#!/usr/bin/env bash
# pagesim sweep --emit slurm on a real single-node Slurm cluster started here:
# munged with a freshly generated key, slurmctld and slurmd with a slurm.conf
# naming this host (hostname -s, at 127.0.0.1) and keeping every state, spool,
# log and pid file in a temporary directory. The job array is submitted with
# sbatch --wait, then collected; the table must equal a local sweep's. The
# daemons are stopped by their pids at the end. A daemon that cannot start
# fails the test with its log (never a skip). Needs root (Slurm runs jobs as the
# submitting user, and its daemons as root here). Prints TAP.
# Usage: test-sweep-slurm.sh PAGESIM SOURCE_ROOT
set -u
pagesim=$1
src=$2
scn=$src/tests/sweep/mm1.json
export PAGESIM_SCRIPTS=$src/scripts
tmp=$(mktemp -d /tmp/pagesim-slurm-XXXXXX)
chmod 755 "$tmp"
pids=()

. "$(dirname "${BASH_SOURCE[0]}")/../tap.sh"
stop() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
    for pid in "${pids[@]}"; do
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null
    done
    rm -rf "$tmp"
}
trap stop EXIT
# die MESSAGE LOG: the daemon did not start; print its log and fail.
die() {
    echo "not ok $((n + 1)) $1"
    [ -f "$2" ] && sed 's/^/# /' "$2"
    echo "1..$((n + 1))"
    exit 1
}
# wait_for SECONDS COMMAND...: polls COMMAND every 0.2 s.
wait_for() {
    local t=$1
    shift
    for _ in $(seq 1 $((t * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
    return 1
}

# munge, with its own key and socket.
mkdir -p "$tmp/munge" "$tmp/state" "$tmp/spool"
chmod 700 "$tmp/munge"
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$tmp/munge/munge.key"
sock=$tmp/munge/munge.sock
munged --force --key-file="$tmp/munge/munge.key" --socket="$sock" \
    --pid-file="$tmp/munge/munged.pid" --log-file="$tmp/munge/munged.log" \
    --seed-file="$tmp/munge/munged.seed" >"$tmp/munge/start.log" 2>&1 ||
    die "munged did not start" "$tmp/munge/start.log"
wait_for 10 test -s "$tmp/munge/munged.pid" || die "munged wrote no pid file" "$tmp/munge/munged.log"
pids+=("$(cat "$tmp/munge/munged.pid")")
wait_for 10 sh -c "munge -S '$sock' -n | unmunge -S '$sock'" ||
    die "munge cannot encode and decode a credential" "$tmp/munge/munged.log"
ok 0 "munged started with a fresh key (pid ${pids[0]})"

# slurm.conf for one node: this host.
host=$(hostname -s)
base=$((20000 + $$ % 20000))
cat >"$tmp/slurm.conf" <<CONF
ClusterName=pagesimtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$base
SlurmdPort=$((base + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$sock
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$tmp/slurm.conf

slurmctld -D -i -f "$SLURM_CONF" >"$tmp/slurmctld.out" 2>&1 &
pids+=($!)
wait_for 30 scontrol ping || {
    cat "$tmp/slurmctld.out" >>"$tmp/slurmctld.log" 2>/dev/null
    die "slurmctld did not answer scontrol ping within 30 s" "$tmp/slurmctld.log"
}
ok 0 "slurmctld started (pid ${pids[1]})"
slurmd -D -f "$SLURM_CONF" -N "$host" >"$tmp/slurmd.out" 2>&1 &
pids+=($!)
idle() { sinfo -h -n "$host" -o %t | grep -qE '^(idle|mix)'; }
wait_for 30 idle || {
    cat "$tmp/slurmd.out" >>"$tmp/slurmd.log" 2>/dev/null
    die "slurmd's node did not become idle within 30 s ($(sinfo -h -o %t 2>&1))" "$tmp/slurmd.log"
}
ok 0 "slurmd started and node $host is idle (pid ${pids[2]})"

# The sweep: emitted as a job array, submitted, waited for, collected.
sets=(--set 'workloads[0].arrival.rate=4000,5000' --runs 3)
"$pagesim" sweep "$scn" "${sets[@]}" --out "$tmp/sweep" --emit slurm >"$tmp/emit.out" 2>&1
ok $? "sweep --emit slurm: exit 0"
ok $(grep -q '^#SBATCH --array=1-6$' "$tmp/sweep/sweep.slurm"; echo $?) "sweep.slurm: an array of 6 tasks"
timeout 300 sbatch --wait --chdir="$tmp" "$tmp/sweep/sweep.slurm" >"$tmp/sbatch.out" 2>&1
rc=$?
ok $rc "sbatch --wait: every array task succeeded"
[ $rc = 0 ] || sed 's/^/# /' "$tmp/sbatch.out" "$tmp"/sweep/slurm-*.out "$tmp/slurmd.log" 2>/dev/null | tail -40
done_runs=$(find "$tmp/sweep" -path '*/seed-*/summary.json' | wc -l)
ok $([ "$done_runs" = 6 ]; echo $?) "the array wrote 6 complete runs ($done_runs)"
"$pagesim" sweep --collect "$tmp/sweep" --quiet
ok $? "sweep --collect: exit 0"
"$pagesim" sweep "$scn" "${sets[@]}" --out "$tmp/local" --jobs 2 --quiet
ok $(cmp -s "$tmp/sweep/sweep.csv" "$tmp/local/sweep.csv"; echo $?) \
    "the Slurm sweep's sweep.csv equals a local sweep's"

echo "1..$n"
[ "$fails" = 0 ]
