#!/usr/bin/env bash
# Installs (apt-get) and starts a single-node Slurm on localhost, as root: a munge key, a minimal slurm.conf (one node
# with this machine's CPUs and memory, one partition "debug", no cgroup plugins, no accounting), then munged, slurmctld
# and slurmd. Idempotent: a running cluster is left as it is. Exits non-zero with the reason when a daemon cannot start.
# Stop it with scripts/slurm/stop.sh.
set -euo pipefail
conf=/etc/slurm/slurm.conf
state=/var/lib/cogltx-slurm
fail() { echo "slurm/start: $*" >&2; exit 1; }
running() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
[ "$(id -u)" -eq 0 ] || fail "must run as root (installs packages, writes /etc/slurm and /etc/munge, starts daemons)"

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge) \
    >/tmp/cogltx-slurm-apt.log 2>&1 || fail "apt-get install slurmctld slurmd slurm-client munge failed (log: /tmp/cogltx-slurm-apt.log)"
fi

if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
  echo "slurm/start: already running ($(sinfo -h -o '%P %D %T' | head -1))"; exit 0
fi

# munge: a key readable by the munge user only, then the daemon.
mkdir -p /etc/munge /var/log/munge /var/lib/munge /run/munge
if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
fi
chown munge:munge /etc/munge/munge.key /etc/munge /var/log/munge /var/lib/munge /run/munge
chmod 400 /etc/munge/munge.key
if ! running /run/munge/munged.pid; then
  runuser -u munge -- munged --force || fail "munged did not start (see /var/log/munge/munged.log)"
fi
munge -n | unmunge >/dev/null 2>&1 || fail "munge cannot encode and decode a credential (see /var/log/munge/munged.log)"

host=$(hostname -s)
cpus=$(nproc --all)
mem=$(awk '/MemTotal/ {printf "%d", $2 / 1024 * 0.9}' /proc/meminfo)
mkdir -p /etc/slurm "$state/ctld" "$state/d" /var/log/slurm
cat > "$conf.tmp" <<CONF
# Written by CogLtx scripts/slurm/start.sh: a single-node cluster on this machine, no cgroups, no accounting.
ClusterName=cogltx
SlurmctldHost=$host
SlurmUser=root
SlurmctldPort=6817
SlurmdPort=6818
AuthType=auth/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=/run/cogltx-slurmctld.pid
SlurmdPidFile=/run/cogltx-slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
ReturnToService=2
MinJobAge=600
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
mv "$conf.tmp" "$conf"

running /run/cogltx-slurmctld.pid || slurmctld || fail "slurmctld did not start (see /var/log/slurm/slurmctld.log)"
running /run/cogltx-slurmd.pid || slurmd || fail "slurmd did not start (see /var/log/slurm/slurmd.log)"
for _ in $(seq 1 30); do
  if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
    echo "slurm/start: running on $host ($cpus CPUs, ${mem} MB)"; exit 0
  fi
  scontrol update nodename="$host" state=resume >/dev/null 2>&1 || true
  sleep 1
done
fail "the node did not come up within 30 s: $(sinfo -h -N -o '%N %T %E' 2>&1 | head -3); tail of /var/log/slurm/slurmd.log: $(tail -3 /var/log/slurm/slurmd.log 2>/dev/null)"
