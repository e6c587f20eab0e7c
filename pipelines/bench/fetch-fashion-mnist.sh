#!/usr/bin/env bash
# Fetches full Fashion-MNIST from Debian (package dataset-fashion-mnist, MIT, Zalando) and cuts the
# bench's class-balanced subset, larger than the demo's, into pipelines/bench/data/fashion-mnist
# (not committed): 600 pre-training, 300 fine-tuning and 200 test images per class, disjoint.
#   pipelines/bench/fetch-fashion-mnist.sh [--pretrain-per-class N] [--finetune-per-class N] [--test-per-class N]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ORIGINALS=/usr/share/datasets/fashion-mnist

if [[ ! -f "$ORIGINALS/train-images-idx3-ubyte.gz" || ! -f "$ORIGINALS/t10k-images-idx3-ubyte.gz" ]]; then
  SUDO=""
  [[ "$(id -u)" -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get install -y dataset-fashion-mnist || { $SUDO apt-get update && $SUDO apt-get install -y dataset-fashion-mnist; }
fi

exec java "$ROOT/src/engine/src/main/java/org/abdflow/engine/data/IdxSubsetCutter.java" \
  --originals "$ORIGINALS" --out "$HERE/data/fashion-mnist" \
  --pretrain-per-class 600 --finetune-per-class 300 --test-per-class 200 "$@"
