#!/usr/bin/env bash
# Stops the single-node Slurm that scripts/slurm/start.sh started (slurmd, slurmctld, munged), by their pid files.
set -uo pipefail
[ "$(id -u)" -eq 0 ] || { echo "slurm/stop: must run as root" >&2; exit 1; }
for pidfile in /run/cogltx-slurmd.pid /run/cogltx-slurmctld.pid /run/munge/munged.pid; do
  if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    kill "$(cat "$pidfile")" && echo "slurm/stop: stopped $(basename "$pidfile" .pid)"
  fi
done
