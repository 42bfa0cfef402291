#!/usr/bin/env bash
# Submits the cell array, then the merge: after every cell succeeded (afterok) or after any failed (afternotok).
set -euo pipefail
cd '/tmp/rec/slurm/slurm'
cells=$(sbatch --parsable cells.sh); cells=${cells%%;*}
report=$(sbatch --parsable --dependency=afterok:$cells --kill-on-invalid-dep=yes report.sh); report=${report%%;*}
failure=$(sbatch --parsable --dependency=afternotok:$cells --kill-on-invalid-dep=yes report.sh); failure=${failure%%;*}
printf '%s\n' "$cells $report $failure" > jobs.txt
echo "cells job $cells (4 tasks), report job $report (afterok), failure report job $failure (afternotok); logs in /tmp/rec/slurm/slurm/logs"
