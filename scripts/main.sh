#!/usr/bin/env bash
# The main job: set up, then run the default experiment (synthetic long-document task, no download) and print
# the comparison table of CogLTX against the truncation, sliding-window and Longformer baselines.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
config="${1:-experiments/synthetic-cls/config.json}"
out="${2:-runs/default}"
if [ -f "$out/experiment.json" ]; then
  echo "main: $out holds an earlier run of this job: finished methods are reused and an interrupted one resumes from its checkpoint (delete $out, or give another folder as the second argument, to start afresh)" >&2
fi
bin/cogltx experiment "$config" --out "$out"
echo "main: results in $out (results.md, results.json, results.csv, plots)" >&2
