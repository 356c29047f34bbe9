#!/bin/bash
# Interleaved A/B of JMH benchmarks across builds: ROUNDS rounds, each running every build's
# benchmarks jar once (one fork, one kernel thread: the property and, for benchmarks with a
# threads parameter, that parameter), in an order rotated every round so that no
# build always runs first or last. Summarize with tools/bench/ab_summary.py OUT.
#
#   tools/bench/ab_jmh.sh NAME=path/to/benchmarks.jar [NAME=jar ...]
#   env: ROUNDS (3), BENCH ('RecurrentBenchmark.trainStep'), MODELS (simple,lstm,gru), OUT (/tmp/ab)
set -euo pipefail
ROUNDS=${ROUNDS:-3}
BENCH=${BENCH:-RecurrentBenchmark.trainStep}
MODELS=${MODELS:-simple,lstm,gru}
OUT=${OUT:-/tmp/ab}
mkdir -p "$OUT"
builds=("$@")
n=${#builds[@]}
[ "$n" -ge 2 ] || { echo "ab_jmh.sh: give at least two NAME=jar builds" >&2; exit 2; }
for r in $(seq 1 "$ROUNDS"); do
  for i in $(seq 0 $((n - 1))); do
    spec=${builds[$(((i + r - 1) % n))]}
    name=${spec%%=*}
    jar=${spec#*=}
    echo "round $r $name $(date +%T) load $(cut -d' ' -f1 /proc/loadavg)"
    java -jar "$jar" "$BENCH" -p backend=cpu -p model="$MODELS" -p threads=1 -f 1 -wi 2 -i 4 -w 1s -r 1s \
      -jvmArgsAppend -Dtimestep.cpu.threads=1 -rf json -rff "$OUT/r$r-$name.json" \
      > "$OUT/r$r-$name.log" 2>&1
  done
done
