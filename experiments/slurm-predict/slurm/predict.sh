#!/usr/bin/env bash
#SBATCH --job-name=predict-shards
#SBATCH --chdir='/work/wt-pslurm'
#SBATCH --cpus-per-task=1
#SBATCH --mem=1G
#SBATCH --time=10
#SBATCH --array=0-2
#SBATCH --output='/tmp/pslurm-rec/run-1/slurm/logs/shard-%a.log'
#SBATCH --open-mode=append
# Written by `cogltx predict --slurm` for 3 shards. The output folder must be on a file system every
# node shares: tasks write their shards there, and the merge reads them all.
set -euo pipefail
export COGLTX_THREADS="${SLURM_CPUS_PER_TASK:-1}"
out='/tmp/pslurm-rec/run-1/shards/out.'"$SLURM_ARRAY_TASK_ID".jsonl
'/usr/share/dotnet/dotnet' '/work/wt-pslurm/artifacts/bin/CogLtx.Cli/release/cogltx.dll' predict --model '/tmp/pslurm-rec/qa' --shard "$SLURM_ARRAY_TASK_ID/3" < '/tmp/pslurm-rec/syn/test.jsonl' > "$out.tmp"
mv "$out.tmp" "$out"
