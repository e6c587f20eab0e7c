#!/usr/bin/env bash
# The 3-seed Fashion-MNIST bench of the paper's Table I shape: fetches the data if needed, runs
# pipelines/bench/fashion-table1.yaml once per seed, then prints mean ± sd per model.
#   pipelines/bench/fashion-table1.sh            SEEDS="1 2" pipelines/bench/fashion-table1.sh
# Runs go to runs/fashion-table1/seed-N (an existing finished run of a seed is kept, not redone).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${OUT:-$ROOT/runs/fashion-table1}"
[[ -f "$HERE/data/fashion-mnist/test-labels-idx1-ubyte.gz" ]] || "$HERE/fetch-fashion-mnist.sh"
mkdir -p "$OUT"
RUNS=()
for seed in ${SEEDS:-1 2 3}; do
  run="$OUT/seed-$seed"
  if [[ ! -f "$run/report.json" ]]; then
    "$ROOT/abdflow" run "$HERE/fashion-table1.yaml" --seed "$seed" --output "$run"
  fi
  RUNS+=("$run")
done
"$ROOT/abdflow" summarize "${RUNS[@]}" --out "$OUT/summary.md"
