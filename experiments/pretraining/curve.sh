#!/usr/bin/env bash
# Writes the held-out and training curves of a pre-training run's pretraining.json as CSV files beside it.
#   experiments/pretraining/curve.sh RUN_DIR/pretraining.json OUT_PREFIX   → OUT_PREFIX.heldout.csv, OUT_PREFIX.train.csv
set -euo pipefail
[[ $# -eq 2 ]] || { echo "usage: $0 pretraining.json OUT_PREFIX" >&2; exit 2; }
jq -r '"step,heldout_mlm_loss,heldout_accuracy,masked_tokens", (.Result.HeldOut[] | "\(.Step),\(.Loss),\(.Accuracy),\(.MaskedTokens)")' "$1" > "$2.heldout.csv"
jq -r '"step,train_loss,learning_rate", (.Result.Train[] | "\(.Step),\(.Loss),\(.LearningRate)")' "$1" > "$2.train.csv"
