#!/usr/bin/env bash
# Fetches full Fashion-MNIST from Debian (package dataset-fashion-mnist, MIT, Zalando) and cuts the
# bench's class-balanced subset, larger than the demo's, into pipelines/bench/data/fashion-mnist
# (not committed): 600 pre-training, 300 fine-tuning and 200 test images per class, disjoint.
# The demo's cutter does the work (it installs the package when it is missing).
#   pipelines/bench/fetch-fashion-mnist.sh [--pretrain-per-class N] [--finetune-per-class N] [--test-per-class N]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$HERE/../data/fashion-mnist-demo/make-subset.sh" --out "$HERE/data/fashion-mnist" \
  --pretrain-per-class 600 --finetune-per-class 300 --test-per-class 200 "$@"
