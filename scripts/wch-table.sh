#!/usr/bin/env bash
# The WCH results of the README (issue #7) in one command: WCH (the baselines' linear hash layer, T_w 0.02) and
# wch-mlp (the official MLP head, T_w 0.05) on MNIST and Fashion-MNIST at 16/32/64 bits
# on the PyTorch reference run's split (-p ref), 30 epochs, evaluated every 10 epochs (the NSH table's protocol
# and budget: its NSH, contrastive, ITQ and LSH rows are the comparison), then the ablations at 64 bits
# (without the mutual attention; without the weights; without both, i.e. plain contrastive on WCH's network)
# and the symmetric variant (the loss in both directions). About 100 minutes on a 2-core machine when nothing
# else runs, then about 45 for the ablations and the variant.
# Usage: scripts/wch-table.sh [output-folder] [seed]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-deephash-out/wch-table}
SEED=${2:-0}
./deephash demo -d mnist,fashion-mnist -p ref -m wch,wch-mlp -b 16,32,64 --deep-epochs 30 --eval-every 10 --seed "$SEED" -o "$OUT/main"
./deephash demo -d mnist,fashion-mnist -p ref -m wch-no-attention,wch-no-weights,wch-plain,wch-symmetric -b 64 --deep-epochs 30 --eval-every 10 \
    --seed "$SEED" -o "$OUT/ablations"
echo "tables: $OUT/main/results.md and $OUT/ablations/results.md"
