#!/usr/bin/env bash
# run.sh MODEL_DIR OUT_DIR: check.py in the torch-peer chroot (ROOT, default /tmp/sidroot) around `cogltx encode`.
# COGLTX: how to run the tool (default: cogltx on PATH).
set -euo pipefail
model=$(realpath "$1"); out=$(realpath -m "$2"); root=${ROOT:-/tmp/sidroot}; cogltx=${COGLTX:-cogltx}
here=$(dirname "$(realpath "$0")")
work=/tmp/hf-load-$$
mkdir -p "$root$work/model" "$out"
trap 'rm -rf "$root$work"' EXIT
cp "$model"/{config.json,model.safetensors,vocab.txt,tokenizer_config.json} "$root$work/model/"
cp "$here/check.py" "$root$work/"
chroot "$root" python3 "$work/check.py" prepare "$work/model" "$work" 2>/dev/null
$cogltx encode --model "$model" --input "$root$work/inputs.safetensors" --output "$root$work/ours.safetensors" --strict
$cogltx encode --model "$model" --input "$root$work/inputs.safetensors" --output "$root$work/ours-base.safetensors" --base-only
chroot "$root" python3 "$work/check.py" compare "$work" 2>/dev/null
cp "$root$work"/{loading.json,compare.json} "$out/"
