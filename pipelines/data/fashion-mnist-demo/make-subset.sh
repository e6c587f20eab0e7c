#!/usr/bin/env bash
# Re-cuts the demo's class-balanced Fashion-MNIST subset (this folder) from the original files of the
# Debian package dataset-fashion-mnist, installing the package if it is missing.
#   pipelines/data/fashion-mnist-demo/make-subset.sh [--pretrain-per-class N] [--finetune-per-class N] [--test-per-class N]
# The same as `./abdflow data cut-demo`, without building anything: the cutter needs only the JDK,
# so Java's single-file source launcher runs it straight from its source.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
ORIGINALS=/usr/share/datasets/fashion-mnist

if [[ ! -f "$ORIGINALS/train-images-idx3-ubyte.gz" || ! -f "$ORIGINALS/t10k-images-idx3-ubyte.gz" ]]; then
  SUDO=""
  [[ "$(id -u)" -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get install -y dataset-fashion-mnist || { $SUDO apt-get update && $SUDO apt-get install -y dataset-fashion-mnist; }
fi

exec java "$ROOT/src/engine/src/main/java/org/abdflow/engine/data/IdxSubsetCutter.java" \
  --originals "$ORIGINALS" --out "$HERE" "$@"
