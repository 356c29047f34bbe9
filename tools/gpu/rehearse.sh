#!/usr/bin/env bash
# Rehearses the GPU check's streaming on this machine, with the GPU replaced by the CPU
# emulation of the kernels: runs check.sh's native step (the cuda_vs_cpu harness once per op
# group, each writing its rows straight into $OUT) on the emulated harness, kills the whole
# run with SIGKILL at a random second, as a device call's time limit would, and shows what
# came back in $OUT: every row finished before the kill.
#
#   bash tools/gpu/rehearse.sh [KILL_AT_SECONDS]
#
# KILL_AT_SECONDS: when to kill (default: a random second from 3 to 20; the whole quick run
# takes about 20 s here).
# Environment: TS_REHEARSE_BUILD (default <repo>/target/ci-native: the CMake build folder of the
# emulated harness, built here when missing), TS_EMU_SMS (emulated SM count, default 8),
# TS_GPU_HARNESS_ARGS (default --quick).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${TS_REHEARSE_BUILD:-$ROOT/target/ci-native}"
KILL_AT="${1:-$((3 + RANDOM % 18))}"
HARNESS="$BUILD/tests/cuda_vs_cpu_emulated"

if [ ! -x "$HARNESS" ]; then
  echo "[rehearse] building the emulated harness in $BUILD"
  cmake -S "$ROOT/native" -B "$BUILD" -DTS_CUDA=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD" --parallel 2 --target cuda_vs_cpu_emulated >/dev/null
fi

OUT="$(mktemp -d "${TMPDIR:-/tmp}/ts-rehearse-out.XXXXXX")"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ts-rehearse-work.XXXXXX")"
echo "[rehearse] check.sh (steps: native; harness: $HARNESS) with OUT=$OUT; SIGKILL at ${KILL_AT}s"
# A session of its own, so that the kill reaches every process of the run at once.
OUT="$OUT" TS_GPU_OUTDIR="$WORK" TS_GPU_STEPS=native TS_GPU_HARNESS="$HARNESS" \
  TS_GPU_HARNESS_ARGS="${TS_GPU_HARNESS_ARGS:---quick}" \
  setsid bash "$ROOT/tools/gpu/check.sh" >"$WORK.stdout" 2>&1 &
pid=$!
for ((second = 0; second < KILL_AT; ++second)); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 1
done
if kill -0 "$pid" 2>/dev/null; then
  # Every process of the run's session: `timeout` puts each group's harness in a process
  # group of its own.
  victims="$(ps -eo pid=,sid= | awk -v sid="$pid" '$2 == sid {print $1}')"
  # shellcheck disable=SC2086
  kill -KILL $victims 2>/dev/null || true
  echo "[rehearse] killed the run (session $pid: $(echo $victims | wc -w) processes) at ${second}s"
else
  echo "[rehearse] the run ended by itself after about ${second}s, before the kill"
fi
wait "$pid" 2>/dev/null || true

echo "[rehearse] what came back in $OUT:"
ls -l "$OUT"
for f in "$OUT"/native-*.txt; do
  [ -f "$f" ] || continue
  # The comparison rows, not the per-op summary that ends a finished group.
  awk '/^==== per-op summary/ {exit} / \| (PASS|FAIL)( |$)/' "$f" >"$WORK.rows"
  echo
  echo "---- $(basename "$f"): $(grep -c . "$WORK.rows") rows$(grep -q -E '^[0-9]+ checks' "$f" \
    && echo ", finished: $(grep -E '^[0-9]+ checks' "$f")" || echo ', cut off')"
  head -2 "$WORK.rows"
  echo "  ..."
  tail -2 "$WORK.rows"
  grep -q -E '^[0-9]+ checks' "$f" || echo "  (last line of the file: $(tail -1 "$f" | cut -c1-100))"
done
echo
echo "---- gpu-check.log, last lines"
tail -4 "$OUT/gpu-check.log"
rm -rf "$WORK" "$WORK.stdout" "$WORK.rows"
[ -n "$(ls "$OUT"/native-*.txt 2>/dev/null)" ] || { echo "[rehearse] FAILED: no group file came back"; exit 1; }
