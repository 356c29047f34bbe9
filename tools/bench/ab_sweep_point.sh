#!/bin/bash
# Interleaved A/B of one shape-sweep point across two benchmarks jars: ROUNDS rounds, each running
# both jars (a fresh JVM each, one kernel thread), the order swapped every round; each line is the
# fastest of a run's rounds of 5 training steps (SweepPointProbe).
#
#   tools/bench/ab_sweep_point.sh A.jar B.jar CELL WIDTH STEPS BATCH
#   env: ROUNDS (4)
set -euo pipefail
[ $# -eq 6 ] || { echo "usage: ab_sweep_point.sh A.jar B.jar CELL WIDTH STEPS BATCH" >&2; exit 2; }
a=$1 b=$2
shift 2
for r in $(seq 1 "${ROUNDS:-4}"); do
  if [ $((r % 2)) -eq 1 ]; then order=("$a" "$b"); else order=("$b" "$a"); fi
  for jar in "${order[@]}"; do
    best=$(java -cp "$jar" dev.timestep.benchmarks.SweepPointProbe "$@" 5 |
      awk '{print $(NF-4)}' | sort -g | head -1)
    echo "round $r $(basename "$jar"): $best ms"
  done
done
