#!/usr/bin/env bash
#SBATCH --job-name=predict-merge
#SBATCH --chdir='/work/wt-pslurm'
#SBATCH --cpus-per-task=1
#SBATCH --mem=1G
#SBATCH --time=10
#SBATCH --output='/tmp/pslurm-rec/run-1/slurm/logs/merge-%j.log'
# Written by `cogltx predict --slurm` for 3 shards. The output folder must be on a file system every
# node shares: tasks write their shards there, and the merge reads them all.
set -euo pipefail
export COGLTX_THREADS="${SLURM_CPUS_PER_TASK:-1}"
'/usr/share/dotnet/dotnet' '/work/wt-pslurm/artifacts/bin/CogLtx.Cli/release/cogltx.dll' predict-merge --input '/tmp/pslurm-rec/syn/test.jsonl' '/tmp/pslurm-rec/run-1/shards/out.0.jsonl' '/tmp/pslurm-rec/run-1/shards/out.1.jsonl' '/tmp/pslurm-rec/run-1/shards/out.2.jsonl' > '/tmp/pslurm-rec/run-1/predictions.jsonl.tmp'
mv '/tmp/pslurm-rec/run-1/predictions.jsonl.tmp' '/tmp/pslurm-rec/run-1/predictions.jsonl'
