#!/usr/bin/env bash
# The GPU check. Runs ON the GPU host (driver, CUDA toolkit, CMake, Python; no Java), from the
# repository root, with gpu-bundle/ (built here by tools/gpu/bundle.sh) carried along:
#
#   bash tools/gpu/check.sh                 # device call, carry: ["gpu-bundle"]
#
# Steps; each may fail and the others still run:
#   env      what the host has: GPU and driver, CUDA toolkit and libraries, glibc, CMake, torch
#   native   CMake + nvcc (sm_90) build of native/ into /tmp, then ctest --output-on-failure
#            (the cuda_vs_cpu harness: every CUDA kernel against its C++ CPU twin, the sequence
#            ops and every recurrent time-loop strategy included; its per-op table, worst error
#            and slowest case of each op, ends the summary below)
#   opcheck  java ... dev.timestep.backend.conformance.OpCheck cuda: every Backend op on CUDA vs the Java reference
#   junit    the JUnit console launcher on gpu-bundle/test-classes, --select-package dev.timestep,
#            with -Dtimestep.backend=cuda
#   speed    the GPU speed table (dev.timestep.benchmarks.SpeedTable): training step and one-series
#            inference of chapter rows 11-15 and the large LSTM (256/256, batch 64, 100 steps), each
#            beside PyTorch + cuDNN on the same card, targets marked; written to $OUT/speed/*.md
#   reproduce  `timestep reproduce --backend cuda`: every chapter row trained on the GPU (20 epochs
#            unless TS_GPU_REPRODUCE_ARGS says otherwise), its table written to $OUT/reproduce/
# Not run unless named in TS_GPU_STEPS:
#   peer     benchmarks/peer/dense_adam_torch.py --device cuda (the Dense/Adam PyTorch peer)
#   jmh      every JMH benchmark with -p backend=cuda, short settings
# and a summary table at the end: one row per step, then one row per CUDA op, then the speed table.
#
# The Java steps use the bundled runtime and timestep.jar; by default its CUDA library is replaced
# by the one the native step just built from this working tree (so Java and CTest test the same
# kernels), provided it exports every symbol the jar's JNI glue needs; otherwise the bundle's own.
#
# Output goes to stdout and to /tmp/ts-gpu-check: gpu-check.log (all), <step>.log, junit/ (XML
# reports), ctest-LastTest.log, cuda-ops.txt (the per-op table), speed/ and reproduce/ (tables),
# jmh-results.txt, summary.txt. When $OUT is set (the device tool brings back at most 8 files
# from it), the end copies six files there: summary.txt, gpu-check.log, cuda-ops.txt, speed.md,
# reproduce.md and details.tar.gz (everything else).
# Exit status: 0 when every step passed or was SKIPPED (ctest's "no GPU" answer), else 1 (a
# failure, a timeout, or a step left NOT RUN because the budget was spent).
#
# Environment:
#   TS_GPU_STEPS        steps to run (default "env native junit speed reproduce opcheck")
#   TS_GPU_BUDGET_S     wall-clock budget for everything (default 540); a step gets at most what is
#                       left, and steps are skipped once it is spent
#   TS_GPU_ARCHS        CUDA architectures for the native build (default 90)
#   TS_GPU_JAVA_LIB     host (default) or bundle: which libtimestep_cuda.so the Java steps load
#   TS_GPU_JUNIT_PROPS  JVM options for the JUnit step (default "-Dtimestep.backend=cuda")
#   TS_GPU_SPEED_ARGS   arguments of SpeedTable (default "--backend cuda"; "--backend cpu --quick"
#                       rehearses the step on a machine without a GPU)
#   TS_GPU_REPRODUCE_ARGS  arguments of the reproduce step (default "--backend cuda --epochs 20")
#   TS_GPU_JMH_ARGS     JMH arguments (default: all benchmarks, -p backend=cuda -f 1 -wi 2 -i 3 -w 1s -r 1s
#                       -foe true)
#   TS_BUNDLE           the bundle folder (default <repo>/gpu-bundle)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT" || exit 1
export ROOT
export BUNDLE="${TS_BUNDLE:-$ROOT/gpu-bundle}"
export OUTDIR="/tmp/ts-gpu-check"
export ARCHS="${TS_GPU_ARCHS:-90}"
export NATIVE_BUILD="/tmp/ts-native-gpu-build"
export JAVA_WORK="/tmp/ts-gpu-java"
export JAVA="$BUNDLE/jre/bin/java"
export JUNIT_PROPS="${TS_GPU_JUNIT_PROPS:--Dtimestep.backend=cuda}"
export JMH_ARGS="${TS_GPU_JMH_ARGS:-dev.timestep.benchmarks. -p backend=cuda -f 1 -wi 2 -i 3 -w 1s -r 1s -foe true}"
export JOPTS="--enable-native-access=ALL-UNNAMED -Dorg.bytedeco.javacpp.cachedir=$JAVA_WORK/javacpp-cache -Xmx4g"
export CUDA_ENTRY="dev/timestep/backend/cuda/linux-x86_64/libtimestep_cuda.so"
export JNI_CUDA_ENTRY="dev/timestep/backend/cuda/linux-x86_64/libjniCudaNative.so"
export SPEED_ARGS="${TS_GPU_SPEED_ARGS:---backend cuda}"
export REPRODUCE_ARGS="${TS_GPU_REPRODUCE_ARGS:---backend cuda --epochs 20}"
STEPS="${TS_GPU_STEPS:-env native junit speed reproduce opcheck}"
BUDGET="${TS_GPU_BUDGET_S:-540}"
START="$(date +%s)"
DEADLINE=$((START + BUDGET))
rm -rf "$OUTDIR"
mkdir -p "$OUTDIR" "$JAVA_WORK"

# ---- the steps (each runs in its own bash under `timeout`) ------------------------------------

step_env() {
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)   host: $(uname -srm)   cpus: $(nproc)"
  grep -m1 'model name' /proc/cpuinfo 2>/dev/null
  free -g 2>/dev/null | sed -n 2p
  echo "glibc: $(ldd --version 2>&1 | head -1)"
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv 2>&1
    nvidia-smi 2>&1 | sed -n '1,4p'
  else
    echo "nvidia-smi: not found"
  fi
  local nvcc
  nvcc="$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)"
  [ -x "$nvcc" ] && echo "nvcc: $nvcc, $("$nvcc" --version | tail -2 | tr '\n' ' ')" || echo "nvcc: not found"
  echo "cmake: $(cmake --version 2>&1 | head -1)"
  for d in /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib; do
    [ -d "$d" ] && echo "$d: $(ls "$d" | grep -E '^lib(cudart|cublas|cublasLt)\.so\.[0-9]+$' | tr '\n' ' ')"
  done
  ls /usr/lib/x86_64-linux-gnu/libcuda.so.1 2>/dev/null
  echo "python: $(python3 --version 2>&1)"
  python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available())' 2>&1 | tail -1
  if [ -f "$BUNDLE/MANIFEST.txt" ]; then
    echo "---- $BUNDLE/MANIFEST.txt"
    cat "$BUNDLE/MANIFEST.txt"
  else
    echo "NO BUNDLE at $BUNDLE: run 'bash tools/gpu/bundle.sh' on the build machine and carry gpu-bundle"
  fi
  [ -x "$JAVA" ] && "$JAVA" -version 2>&1 | head -1
  return 0
}

step_native() {
  local nvcc
  nvcc="$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)"
  rm -rf "$NATIVE_BUILD"
  # No CPU emulation of the kernels here: the real ones run.
  cmake -S "$ROOT/native" -B "$NATIVE_BUILD" -DCMAKE_BUILD_TYPE=Release -DTS_CUDA=ON -DTS_CUDA_EMULATION=OFF \
    -DCMAKE_CUDA_COMPILER="$nvcc" -DCMAKE_CUDA_ARCHITECTURES="$ARCHS" || { echo "cmake configure FAILED"; return 1; }
  cmake --build "$NATIVE_BUILD" --parallel "$(nproc)" || { echo "cmake build FAILED"; return 1; }
  rm -f "$OUTDIR/cuda-ops.txt"
  # cuda_vs_cpu writes its per-op table to TS_CUDA_VS_CPU_SUMMARY; CTest keeps whole outputs.
  (cd "$NATIVE_BUILD" && TS_CUDA_VS_CPU_SUMMARY="$OUTDIR/cuda-ops.txt" ctest --output-on-failure \
    --test-output-size-passed 4000000 --test-output-size-failed 4000000) 2>&1 | tee "$JAVA_WORK/ctest.out"
  local rc=${PIPESTATUS[0]}
  cp "$NATIVE_BUILD/Testing/Temporary/LastTest.log" "$OUTDIR/ctest-LastTest.log" 2>/dev/null
  if [ "$rc" = 0 ] && grep -q -E '\*\*\*Skipped|\(Skipped\)' "$JAVA_WORK/ctest.out"; then
    return 77
  fi
  return "$rc"
}

step_opcheck() {
  # shellcheck disable=SC2086
  "$JAVA" $JOPTS -cp "$(cat "$JAVA_WORK/jar-path")" dev.timestep.backend.conformance.OpCheck cuda
}

# Tests that draw PNG charts need java.desktop, which the bundle's runtime leaves out (15 MB that
# the 64 MiB carry cannot spare; GPU hosts rarely have fonts either). CI runs them on every build.
export CHART_TESTS='^dev\.timestep\.(reproduce\.ResultChartTest|cli\.TrainForecastImputeCommandTest|cli\.ReproduceCommandTest)$'

step_junit() {
  local console
  console="$(ls "$BUNDLE"/lib/junit-platform-console-standalone-*.jar 2>/dev/null | head -1)"
  [ -n "$console" ] || { echo "no junit-platform-console-standalone jar in $BUNDLE/lib"; return 1; }
  # shellcheck disable=SC2086
  "$JAVA" $JOPTS $JUNIT_PROPS -jar "$console" execute \
    --class-path "$(cat "$JAVA_WORK/jar-path"):$BUNDLE/test-classes" --select-package dev.timestep \
    --exclude-package dev.timestep.plot --exclude-classname "$CHART_TESTS" \
    --disable-banner --details=tree --details-theme=ascii --reports-dir "$OUTDIR/junit"
}

# The first python that imports torch, or nothing.
torch_python() {
  local py
  for py in python3 /usr/bin/python3 python; do
    if command -v "$py" >/dev/null && "$py" -c 'import torch' 2>/dev/null; then
      echo "$py"
      return 0
    fi
  done
  return 1
}

step_peer() {
  local script="$BUNDLE/peer/dense_adam_torch.py" py
  [ -f "$script" ] || script="$ROOT/benchmarks/peer/dense_adam_torch.py"
  py="$(torch_python)" || { echo "no python with torch found (tried python3, /usr/bin/python3, python)"; return 1; }
  "$py" "$script" --device cuda
}

step_speed() {
  local py commit
  py="$(torch_python)" || py=python3   # the table then says the peer did not run, and why
  commit="$(sed -n 's/^source: //p' "$BUNDLE/MANIFEST.txt" 2>/dev/null | head -1)"
  [ -f "$BUNDLE/benchmarks-slim.jar" ] || { echo "no benchmarks-slim.jar in the bundle"; return 1; }
  # shellcheck disable=SC2086
  "$JAVA" $JOPTS -cp "$(cat "$JAVA_WORK/jar-path"):$BUNDLE/benchmarks-slim.jar" dev.timestep.benchmarks.SpeedTable \
    $SPEED_ARGS --out "$OUTDIR/speed" --python "$py" --peer-dir "$ROOT/benchmarks/peer" --commit "${commit:-unknown}"
}

step_reproduce() {
  # shellcheck disable=SC2086
  "$JAVA" $JOPTS -jar "$(cat "$JAVA_WORK/jar-path")" reproduce $REPRODUCE_ARGS --out "$OUTDIR/reproduce"
}

step_jmh() {
  [ -f "$BUNDLE/benchmarks-slim.jar" ] || { echo "no benchmarks-slim.jar in the bundle"; return 1; }
  # shellcheck disable=SC2086
  "$JAVA" $JOPTS -cp "$(cat "$JAVA_WORK/jar-path"):$BUNDLE/benchmarks-slim.jar" org.openjdk.jmh.Main \
    $JMH_ARGS -rf text -rff "$OUTDIR/jmh-results.txt"
}

export -f torch_python step_env step_native step_opcheck step_junit step_peer step_speed step_reproduce step_jmh

# ---- choosing the jar for the Java steps -------------------------------------------------------

# Writes the jar path to $JAVA_WORK/jar-path and says which CUDA library it carries.
prepare_jar() {
  local jar="$BUNDLE/timestep.jar" host_lib="$NATIVE_BUILD/lib/libtimestep_cuda.so"
  rm -rf "$JAVA_WORK/javacpp-cache"
  JAR_NOTE="bundle's libtimestep_cuda.so"
  if [ "${TS_GPU_JAVA_LIB:-host}" = host ] && [ -f "$host_lib" ] && [ -f "$jar" ]; then
    local needed have missing
    needed="$(python3 "$BUNDLE/jar_tool.py" cat "$jar" "$JNI_CUDA_ENTRY" >"$JAVA_WORK/jni.so" \
      && nm -D --undefined-only "$JAVA_WORK/jni.so" | awk '/ts_cuda_/ {print $2}' | sort -u)"
    have="$(nm -D --defined-only "$host_lib" | awk '/ts_cuda_/ {print $3}' | sort -u)"
    missing="$(comm -23 <(echo "$needed") <(echo "$have"))"
    if [ -n "$needed" ] && [ -z "$missing" ] \
       && python3 "$BUNDLE/jar_tool.py" rewrite "$jar" "$JAVA_WORK/timestep.jar" --put "$CUDA_ENTRY=$host_lib"; then
      jar="$JAVA_WORK/timestep.jar"
      JAR_NOTE="libtimestep_cuda.so built on this host by the native step"
    else
      JAR_NOTE="bundle's libtimestep_cuda.so (host-built one unusable: missing [${missing:-symbols unreadable}])"
    fi
  elif [ "${TS_GPU_JAVA_LIB:-host}" = host ]; then
    JAR_NOTE="bundle's libtimestep_cuda.so (the native step built none)"
  fi
  echo "$jar" >"$JAVA_WORK/jar-path"
  echo "Java steps use $jar: $JAR_NOTE"
}

# ---- running and recording ---------------------------------------------------------------------

NAMES=()
STATUS=()
SECONDS_TAKEN=()
NOTES=()

record() { NAMES+=("$1"); STATUS+=("$2"); SECONDS_TAKEN+=("$3"); NOTES+=("$4"); }

wanted() { case " $STEPS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

# run_step NAME CAP_SECONDS: runs step_NAME under timeout, tees its output to $OUTDIR/NAME.log.
run_step() {
  local name="$1" cap="$2" now left limit t0 rc status
  wanted "$name" || return 0
  now="$(date +%s)"
  left=$((DEADLINE - now - 10))
  if [ "$left" -lt 15 ]; then
    record "$name" "NOT RUN" 0 "budget of ${BUDGET}s spent (TS_GPU_BUDGET_S)"
    return 0
  fi
  limit=$((cap < left ? cap : left))
  echo
  echo "==================== [$name] (limit ${limit}s) ===================="
  t0="$(date +%s)"
  timeout --kill-after=10 "$limit" bash -c "step_$name" 2>&1 | tee "$OUTDIR/$name.log"
  rc=${PIPESTATUS[0]}
  case "$rc" in
    0) status="PASS" ;;
    77) status="SKIPPED" ;;
    124|137) status="TIMEOUT" ;;
    *) status="FAIL($rc)" ;;
  esac
  record "$name" "$status" $(($(date +%s) - t0)) "$(note_for "$name")"
  echo "==================== [$name] $status ===================="
}

# One line of evidence per step, read back from its log.
note_for() {
  local log="$OUTDIR/$1.log"
  case "$1" in
    env)
      local gpu
      gpu="$(awk '/^name, driver_version/ {getline; print; exit}' "$log")"
      echo "${gpu:-no nvidia-smi GPU}; glibc $(grep -m1 '^glibc' "$log" | awk '{print $NF}')" ;;
    native)
      local line
      line="$(grep -E 'tests passed|tests failed out of|FAILED' "$log" | tail -1)"
      grep -q -E '\*\*\*Skipped|\(Skipped\)' "$log" && line="$line; harness skipped (no GPU seen)"
      echo "$line" ;;
    opcheck)
      grep -E '^OpCheck( cuda:|: backend)' "$log" | tail -1 | cut -c1-150 ;;
    junit)
      local ok failed aborted skipped
      ok="$(sed -n 's/.* \([0-9]*\) tests successful.*/\1/p' "$log" | tail -1)"
      failed="$(sed -n 's/.* \([0-9]*\) tests failed.*/\1/p' "$log" | tail -1)"
      aborted="$(sed -n 's/.* \([0-9]*\) tests aborted.*/\1/p' "$log" | tail -1)"
      skipped="$(sed -n 's/.* \([0-9]*\) tests skipped.*/\1/p' "$log" | tail -1)"
      [ -n "$ok" ] && echo "${ok} ok, ${failed} failed, ${aborted} aborted, ${skipped} skipped" || tail -1 "$log" ;;
    peer)
      local timings
      timings="$(grep -c -E '^(dense|adam)( \(fused\))? +\| .*\| [0-9.]+ +\| [0-9]+' "$log")"
      if [ "$timings" = 0 ]; then
        tail -1 "$log" | cut -c1-150
      else
        echo "$timings timings, $(grep -c -E '^(dense|adam).*\| error' "$log") errors; $(grep -m1 '^device:' "$log" | cut -c1-80)"
      fi ;;
    speed)
      local table
      table="$(ls "$OUTDIR"/speed/*.md 2>/dev/null | head -1)"
      if [ -n "$table" ]; then
        echo "$(grep -c '| yes |' "$table") targets met, $(grep -o '\*\*no\*\*' "$table" | wc -l) missed; $(basename "$table")"
      else
        tail -1 "$log" | cut -c1-150
      fi ;;
    reproduce)
      echo "$(grep -m1 -E '^total .* s on ' "$log" | cut -c1-70); $(tail -1 "$log" | cut -c1-70)" ;;
    jmh)
      local n
      n="$(grep -c -E '\.step +' "$OUTDIR/jmh-results.txt" 2>/dev/null)"
      echo "${n:-0} results in jmh-results.txt; $(grep -c -E '^<failure>|Exception' "$log") exceptions in the log" ;;
  esac
}

main() {
  echo "Timestep GPU check: steps '$STEPS', budget ${BUDGET}s, output in $OUTDIR"
  if [ -d "$BUNDLE/jre" ]; then
    chmod u+x "$BUNDLE"/jre/bin/* "$BUNDLE"/jre/lib/jspawnhelper 2>/dev/null
  fi
  export PATH="$BUNDLE/jre/bin:$PATH" JAVA_HOME="$BUNDLE/jre"   # tests that start `java` find one
  run_step env 30
  run_step native 200
  if wanted opcheck || wanted junit || wanted jmh || wanted speed || wanted reproduce; then
    prepare_jar 2>&1 | tee "$OUTDIR/prepare-jar.log"
    JAR_NOTE="$(sed -n 's/^Java steps use [^:]*: //p' "$OUTDIR/prepare-jar.log")"
  fi
  # Most wanted first: the kernels against their CPU twins, the Java CUDA tests, the speed
  # table; the reproduce run and the op-by-op Java check get what is left.
  run_step junit 170
  run_step speed 200
  run_step reproduce 150
  run_step opcheck 90
  run_step peer 120
  run_step jmh 150

  local failed=0 i
  {
    echo
    echo "==================== GPU check summary ($(($(date +%s) - START))s) ===================="
    [ -n "${JAR_NOTE:-}" ] && echo "Java steps: $JAR_NOTE"
    printf '%-8s | %-9s | %5s | %s\n' step status secs note
    printf '%s\n' "---------|-----------|-------|------------------------------------------------"
    for i in "${!NAMES[@]}"; do
      printf '%-8s | %-9s | %5s | %s\n' "${NAMES[$i]}" "${STATUS[$i]}" "${SECONDS_TAKEN[$i]}" "${NOTES[$i]}"
    done
    if [ -s "$OUTDIR/cuda-ops.txt" ]; then
      echo
      echo "CUDA ops against their C++ CPU twins (native step): max relative error over all cases of the op"
      echo "(pass <= 1e-4; 1e-3 for matmul with k >= 1024), and the slowest case's median time in microseconds"
      cat "$OUTDIR/cuda-ops.txt"
    elif wanted native; then
      echo
      echo "CUDA ops: no per-op table (the native step did not run the cuda_vs_cpu harness to its end)"
    fi
    local table
    table="$(ls "$OUTDIR"/speed/*.md 2>/dev/null | head -1)"
    if [ -n "$table" ]; then
      echo
      echo "Speed table ($(basename "$table")):"
      grep -E '^\|' "$table"
    fi
  } | tee "$OUTDIR/summary.txt"
  for i in "${!STATUS[@]}"; do
    case "${STATUS[$i]}" in PASS|SKIPPED) ;; *) failed=1 ;; esac
  done
  return "$failed"
}

# The few files worth bringing back, into $OUT (the device tool returns at most 8 files).
collect_results() {
  [ -n "${OUT:-}" ] || return 0
  mkdir -p "$OUT"
  local f
  for f in summary.txt gpu-check.log cuda-ops.txt; do
    [ -f "$OUTDIR/$f" ] && cp "$OUTDIR/$f" "$OUT/"
  done
  f="$(ls "$OUTDIR"/speed/*.md 2>/dev/null | head -1)"
  [ -n "$f" ] && cp "$f" "$OUT/speed.md"
  [ -f "$OUTDIR/reproduce/results.md" ] && cp "$OUTDIR/reproduce/results.md" "$OUT/reproduce.md"
  tar -czf "$OUT/details.tar.gz" -C "$(dirname "$OUTDIR")" "$(basename "$OUTDIR")" 2>/dev/null
  echo "results in $OUT: $(ls "$OUT" | tr '\n' ' ')"
}

main "$@" 2>&1 | tee "$OUTDIR/gpu-check.log"
rc="${PIPESTATUS[0]}"
collect_results
exit "$rc"
