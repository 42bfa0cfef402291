#!/usr/bin/env bash
#SBATCH --job-name=slurm-quick-grid-cells
#SBATCH --chdir='/work/wt-slurm'
#SBATCH --cpus-per-task=1
#SBATCH --mem=1G
#SBATCH --time=10
#SBATCH --array=0-3
#SBATCH --output='/tmp/rec/slurm/slurm/logs/cell-%a.log'
#SBATCH --open-mode=append
#SBATCH --requeue
# Written by `cogltx experiment --slurm` for a grid of 4 cells. The output folder must be on a file
# system every node shares: tasks write their cell folders there, and the report reads them all.
set -euo pipefail
export COGLTX_THREADS="${SLURM_CPUS_PER_TASK:-1}"
echo "[$(date -u +%FT%TZ)] cell $SLURM_ARRAY_TASK_ID (job ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}, restart ${SLURM_RESTART_COUNT:-0}) on $(hostname)" >&2
exec '/usr/share/dotnet/dotnet' '/tmp/slurm-bin/cogltx.dll' 'experiment' '/tmp/rec/slurm/slurm/config.json' '--out' '/tmp/rec/slurm' --cell "$SLURM_ARRAY_TASK_ID"
