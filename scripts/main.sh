#!/usr/bin/env bash
# The main job: set up, then run the default experiment (synthetic long-document task, no download) and print
# the comparison table of CogLTX against the truncation, sliding-window and Longformer baselines.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec bin/cogltx experiment "${1:-experiments/synthetic-cls/config.json}" --out "${2:-runs/default}"
