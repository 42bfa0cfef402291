#!/usr/bin/env bash
# The input of tests/CogLtx.Cli.Tests/SlurmPredictTests.cs predicted once here and RUNS times with
# `predict --slurm --submit` (3 shards) on the running Slurm; records the seconds from the submit command's start until
# squeue lists none of its jobs. Needs a running Slurm (scripts/slurm/start.sh).
#   COGLTX="dotnet artifacts/bin/CogLtx.Cli/release/cogltx.dll" experiments/slurm-predict/run.sh WORK_DIR [RUNS]
# Writes into this folder: timing.tsv, local.jsonl, predictions.jsonl and slurm/ (scripts, jobs.txt, logs) of run 1.
set -euo pipefail
[[ $# -ge 1 ]] || { echo "usage: COGLTX=\"dotnet …/cogltx.dll\" $0 WORK_DIR [RUNS]" >&2; exit 2; }
: "${COGLTX:?set COGLTX to the command that starts the tool}"
record=$(cd "$(dirname "$0")" && pwd)
work=$(realpath -m "$1"); runs=${2:-3}
read -r -a tool <<< "$COGLTX"
export COGLTX_THREADS=1
mkdir -p "$work"

"${tool[@]}" data synth multihop --to "$work/syn" --train 3 --test 30 --min-tokens 700 --max-tokens 900 --late-fraction 0.5
"${tool[@]}" train --out "$work/qa" --data synthetic-qa --train-count 4 --test-count 2 --epochs 1 --layers 1 --hidden 16 --heads 2 > /dev/null
start=$(date +%s.%N)
"${tool[@]}" predict --model "$work/qa" < "$work/syn/test.jsonl" > "$work/local.jsonl"
local_s=$(echo "$(date +%s.%N) - $start" | bc)

printf 'run\tcommit\tsubmit_s\tsubmit_to_empty_queue_s\tlocal_predict_s\tload_1min_before\tload_1min_after\n' > "$record/timing.tsv"
for run in $(seq 1 "$runs"); do
  out="$work/run-$run"
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  start=$(date +%s.%N)
  ids=$("${tool[@]}" predict --model "$work/qa" --slurm --submit --input "$work/syn/test.jsonl" --out "$out" --shards 3 --cpus 1 --mem 1G --time 10)
  submitted=$(date +%s.%N)
  jobs=$(tr " " "," < "$out/slurm/jobs.txt")
  while [[ -n "$(squeue -h -j "$jobs" 2>/dev/null)" ]]; do sleep 0.5; done
  ended=$(date +%s.%N)
  [[ -s "$out/predictions.jsonl" ]] || { echo "run $run: no predictions ($ids); logs in $out/slurm/logs" >&2; exit 1; }
  strip() { sed -E 's/,"elapsed_ms":[0-9.Ee+-]+//' "$1"; }
  cmp <(strip "$work/local.jsonl") <(strip "$out/predictions.jsonl") || { echo "run $run: merged predictions differ from the local predict" >&2; exit 1; }
  printf '%s\t%s\t%.1f\t%.1f\t%.1f\t%s\t%s\n' "$run" "$(git -C "$record" rev-parse --short HEAD)" "$(echo "$submitted - $start" | bc)" \
    "$(echo "$ended - $start" | bc)" "$local_s" "$load_before" "$(cut -d' ' -f1 /proc/loadavg)" >> "$record/timing.tsv"
  echo "run $run: $ids"
done

cp "$work/local.jsonl" "$record/local.jsonl"
cp "$work/run-1/predictions.jsonl" "$record/predictions.jsonl"
rm -rf "$record/slurm" && cp -r "$work/run-1/slurm" "$record/slurm"
cat "$record/timing.tsv"
