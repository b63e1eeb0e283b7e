#!/usr/bin/env bash
# The NSH results of the README (issue #6) in one command: NSH, the contrastive baseline, ITQ and LSH on
# MNIST and Fashion-MNIST at 16/32/64 bits on the PyTorch reference run's split (-p ref), 30 epochs,
# evaluated every 10 epochs; the spec's tau_sort 1/K (nsh-spec) at 16 and 32 bits (at 64 bits it equals the default
# 1/64); then the NSH ablations at 64 bits on MNIST. About an hour on a 2-core machine when nothing else
# runs (never run two trainings at once there: both slow down about eightfold).
# Usage: scripts/nsh-table.sh [output-folder] [seed]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-deephash-out/nsh-table}
SEED=${2:-0}
./deephash demo -d mnist,fashion-mnist -p ref -m lsh,itq,nsh,contrastive -b 16,32,64 --deep-epochs 30 --eval-every 10 \
    --seed "$SEED" -o "$OUT/main"
./deephash demo -d mnist,fashion-mnist -p ref -m nsh-spec -b 16,32 --deep-epochs 30 --eval-every 10 \
    --seed "$SEED" -o "$OUT/spec"
./deephash demo -d mnist -p ref -m nsh-no-sort,nsh-m1,nsh-no-balance -b 64 \
    --deep-epochs 30 --eval-every 10 --seed "$SEED" -o "$OUT/ablations"
echo "tables: $OUT/main/results.md, $OUT/spec/results.md and $OUT/ablations/results.md"
