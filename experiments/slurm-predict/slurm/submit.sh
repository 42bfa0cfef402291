#!/usr/bin/env bash
# Submits the shard array, then the merge after every shard succeeded (afterok).
set -euo pipefail
cd '/tmp/pslurm-rec/run-1/slurm'
shards=$(sbatch --parsable predict.sh); shards=${shards%%;*}
merge=$(sbatch --parsable --dependency=afterok:$shards --kill-on-invalid-dep=yes merge.sh); merge=${merge%%;*}
printf '%s\n' "$shards $merge" > jobs.txt
echo "shards job $shards (3 tasks), merge job $merge (afterok); predictions to /tmp/pslurm-rec/run-1/predictions.jsonl; logs in /tmp/pslurm-rec/run-1/slurm/logs"
