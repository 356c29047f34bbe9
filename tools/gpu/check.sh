#!/usr/bin/env bash
# The GPU check. Runs ON the GPU host (driver, CUDA toolkit, CMake, Python; no Java), from the
# repository root, with gpu-bundle/ (built here by tools/gpu/bundle.sh) carried along:
#
#   bash tools/gpu/check.sh                 # device call, carry: ["gpu-bundle"]
#
# Steps, in order of information per second; each may fail and the others still run:
#   env      what the host has: GPU, driver, compute mode, MIG, kernel, CUDA toolkit, every
#            libcublas found, glibc, CMake, torch. No GPU visible fails the step (and the check).
#   native   CMake (Ninja when present) + nvcc (sm_90) build of only cuda_vs_cpu and
#            libtimestep_cuda into /tmp, then the cuda_vs_cpu harness once per op group
#            (elementwise matmul sequence norm conv1d recurrent), each in its own process under
#            its own `timeout` with --require-device, each writing straight into $OUT/native-GROUP.txt
#            (the harness prints and flushes every row as it completes, the recurrent rows with
#            the time-loop plan that ran): a hang, a crash or a sticky CUDA error costs one group
#   sanitizer  compute-sanitizer memcheck on a quick recurrent case (skipped under gVisor,
#            kernel 4.4.0, where compute-sanitizer refuses the device)
#   junit    the JUnit console launcher on the CUDA test classes of gpu-bundle/test-classes
#            (class names containing "Cuda"), with -Dtimestep.backend=cuda
#   opcheck  java ... dev.timestep.backend.conformance.OpCheck cuda: every Backend op on CUDA vs the Java reference
#   speed    the GPU speed table (dev.timestep.benchmarks.SpeedTable): training step and one-series
#            inference of chapter rows 11-15 and the large LSTM (256/256, batch 64, 100 steps), each
#            beside PyTorch + cuDNN on the same card, targets marked; gets what is left
# Not run unless named in TS_GPU_STEPS:
#   reproduce  `timestep reproduce --backend cuda`: every chapter row trained on the GPU (20 epochs
#            unless TS_GPU_REPRODUCE_ARGS says otherwise)
#   peer     benchmarks/peer/dense_adam_torch.py --device cuda (the Dense/Adam PyTorch peer)
#   jmh      every JMH benchmark with -p backend=cuda, short settings
# and a summary table at the end: one row per step, then one row per CUDA op, then the speed table.
#
# The Java steps use the bundled runtime and timestep.jar; by default its CUDA library is replaced
# by the one the native step just built from this working tree (so Java and CTest test the same
# kernels), provided it exports every symbol the jar's JNI glue needs; otherwise the bundle's own.
#
# Output goes to stdout and, from the first second, to $OUT when it is set (the device tool
# brings back at most 8 files, even when the call is cut off): gpu-check.log (everything, the
# summary at its end) and native-GROUP.txt (six groups), both written as they run; the end adds
# details.tar.gz (everything else: /tmp/ts-gpu-check with <step>.log, junit/ XML reports,
# cuda-ops.txt, speed/ and reproduce/ tables, jmh-results.txt, summary.txt).
# Exit status: 0 when every step and group passed or was SKIPPED (sanitizer under gVisor), else
# 1 (a failure, a crash, a timeout, no GPU, or a step left NOT RUN because the budget was spent).
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
#   TS_GPU_GROUPS       the harness's op groups (default "elementwise matmul sequence norm conv1d
#                       recurrent")
#   TS_GPU_HARNESS      a cuda_vs_cpu already built (the native step then builds nothing), e.g. the
#                       emulated one for a rehearsal (tools/gpu/rehearse.sh)
#   TS_GPU_HARNESS_ARGS extra arguments of the harness (e.g. --quick)
#   TS_GPU_GROUP_CAP_S  time limit of each group but recurrent (default 45; recurrent: 120)
#   TS_GPU_OUTDIR       the output folder (default /tmp/ts-gpu-check; emptied first)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT" || exit 1
export ROOT
export BUNDLE="${TS_BUNDLE:-$ROOT/gpu-bundle}"
export OUTDIR="${TS_GPU_OUTDIR:-/tmp/ts-gpu-check}"
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
STEPS="${TS_GPU_STEPS:-env native sanitizer junit opcheck speed}"
GROUPS_WANTED="${TS_GPU_GROUPS:-elementwise matmul sequence norm conv1d recurrent}"
export HARNESS="${TS_GPU_HARNESS:-$NATIVE_BUILD/tests/cuda_vs_cpu}"
export HARNESS_ARGS="${TS_GPU_HARNESS_ARGS:-}"
# Where the streaming files go: $OUT when the device tool set it, else the output folder.
export LIVE="${OUT:-$OUTDIR}"
BUDGET="${TS_GPU_BUDGET_S:-540}"
START="$(date +%s)"
DEADLINE=$((START + BUDGET))
rm -rf "$OUTDIR"
mkdir -p "$OUTDIR" "$JAVA_WORK" "$LIVE"

# ---- the steps (each runs in its own bash under `timeout`) ------------------------------------

step_env() {
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)   host: $(uname -srm)   cpus: $(nproc)"
  grep -m1 'model name' /proc/cpuinfo 2>/dev/null
  free -g 2>/dev/null | sed -n 2p
  echo "glibc: $(ldd --version 2>&1 | head -1)"
  echo "kernel: $(uname -r)$(case "$(uname -r)" in 4.4.0*) echo ' (gVisor)' ;; esac)"
  local gpus=0
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap,compute_mode,mig.mode.current \
      --format=csv 2>&1
    nvidia-smi 2>&1 | sed -n '1,4p'
    gpus="$(nvidia-smi -L 2>/dev/null | grep -c '^GPU ')"
  else
    echo "nvidia-smi: not found"
  fi
  echo "libcublas found:"
  { ldconfig -p 2>/dev/null | awk '/libcublas\.so/ {print $NF}'
    find /usr/local/cuda* /usr/lib/x86_64-linux-gnu "${CUDA_HOME:-/nonexistent}" \
      $(python3 -c 'import site; print(" ".join(site.getsitepackages()))' 2>/dev/null) \
      -maxdepth 6 -name 'libcublas.so*' 2>/dev/null; } | sort -u | sed 's/^/  /'
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
  # On the GPU host no visible GPU is a failed check, never a skip.
  if [ "$gpus" -lt 1 ]; then
    echo "NO GPU VISIBLE (nvidia-smi -L lists none): the check FAILS"
    return 1
  fi
  return 0
}

step_native() {
  if [ -n "${TS_GPU_HARNESS:-}" ]; then
    echo "using the harness $HARNESS (TS_GPU_HARNESS): nothing to build"
    return 0
  fi
  local nvcc generator=()
  nvcc="$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)"
  command -v ninja >/dev/null && generator=(-G Ninja)
  rm -rf "$NATIVE_BUILD"
  # No CPU emulation of the kernels here: the real ones run.
  cmake -S "$ROOT/native" -B "$NATIVE_BUILD" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DTS_CUDA=ON \
    -DTS_CUDA_EMULATION=OFF -DCMAKE_CUDA_COMPILER="$nvcc" -DCMAKE_CUDA_ARCHITECTURES="$ARCHS" \
    || { echo "cmake configure FAILED"; return 1; }
  # Only the harness and the library the Java steps load.
  cmake --build "$NATIVE_BUILD" --parallel "$(nproc)" --target cuda_vs_cpu timestep_cuda \
    || { echo "cmake build FAILED"; return 1; }
}

# One op group of the harness, its rows streamed to $LIVE/native-GROUP.txt as they complete.
step_group() {
  local group="$1"
  [ -x "$HARNESS" ] || { echo "no harness at $HARNESS (the native step failed?)"; return 1; }
  # shellcheck disable=SC2086
  TS_CUDA_VS_CPU_SUMMARY="$OUTDIR/cuda-ops-$group.txt" \
    "$HARNESS" --require-device --group "$group" $HARNESS_ARGS
}

step_sanitizer() {
  case "$(uname -r)" in
    4.4.0*) echo "gVisor (kernel $(uname -r)): compute-sanitizer refuses the device there"; return 77 ;;
  esac
  local sanitizer
  sanitizer="$(command -v compute-sanitizer || echo /usr/local/cuda/bin/compute-sanitizer)"
  [ -x "$sanitizer" ] || { echo "compute-sanitizer: not found"; return 77; }
  [ -x "$HARNESS" ] || { echo "no harness at $HARNESS"; return 1; }
  "$sanitizer" --tool memcheck --error-exitcode 3 "$HARNESS" --require-device --quick \
    --group recurrent --only 'lstm'
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
    --include-classname '.*Cuda.*' --exclude-package dev.timestep.plot --exclude-classname "$CHART_TESTS" \
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

export -f torch_python step_env step_native step_group step_sanitizer step_opcheck step_junit step_peer step_speed step_reproduce step_jmh

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

# The status word of an exit code under `timeout`.
status_of() {
  case "$1" in
    0) echo "PASS" ;;
    77) echo "SKIPPED" ;;
    124|137) echo "TIMEOUT" ;;
    1[2-9][0-9]) echo "CRASH($(kill -l "$(($1 - 128))" 2>/dev/null || echo "$1"))" ;;
    *) echo "FAIL($1)" ;;
  esac
}

# run_group GROUP CAP_SECONDS: one op group of the harness in its own process under timeout,
# written straight into $LIVE/native-GROUP.txt (and the main log).
run_group() {
  local group="$1" cap="$2" now left limit t0 rc status file="$LIVE/native-$1.txt"
  now="$(date +%s)"
  left=$((DEADLINE - now - 10))
  if [ "$left" -lt 15 ]; then
    record "native:$group" "NOT RUN" 0 "budget of ${BUDGET}s spent (TS_GPU_BUDGET_S)"
    return 0
  fi
  limit=$((cap < left ? cap : left))
  echo
  echo "==================== [native:$group] (limit ${limit}s, rows in $file) ===================="
  t0="$(date +%s)"
  timeout --kill-after=5 "$limit" bash -c 'step_group "$1"' _ "$group" >"$file" 2>&1 &
  local pid=$!
  tail --pid="$pid" -n +1 -f "$file" 2>/dev/null
  wait "$pid"
  rc=$?
  status="$(status_of "$rc")"
  [ "$rc" = 77 ] && status="FAIL(no GPU)"
  record "native:$group" "$status" $(($(date +%s) - t0)) "$(group_note "$file")"
  echo "==================== [native:$group] $status ===================="
}

# The comparison rows of a group's file (not its per-op summary).
table_rows() { awk '/^==== per-op summary/ {exit} / \| (PASS|FAIL)( |$)/' "$1" 2>/dev/null; }

# Rows done and failed in one group's file, and its last line when it did not finish.
group_note() {
  local file="$1" rows failed
  rows="$(table_rows "$file" | grep -c .)"
  failed="$(table_rows "$file" | grep -c -E '\| FAIL')"
  if grep -q -E '^[0-9]+ checks, [0-9]+ failed' "$file"; then
    echo "$(grep -E '^[0-9]+ checks, [0-9]+ failed' "$file" | tail -1)"
  else
    echo "${rows:-0} rows done (${failed:-0} failed), unfinished; last: $(tail -1 "$file" | cut -c1-90)"
  fi
}

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
  status="$(status_of "$rc")"
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
      grep -q '^NO GPU VISIBLE' "$log" && gpu="NO GPU VISIBLE"
      echo "${gpu:-no nvidia-smi GPU}; $(grep -m1 '^kernel:' "$log"); glibc $(grep -m1 '^glibc' "$log" | awk '{print $NF}')" ;;
    native)
      grep -E 'FAILED|nothing to build' "$log" | tail -1 | cut -c1-120 ;;
    sanitizer)
      grep -E 'ERROR SUMMARY|gVisor|not found' "$log" | tail -1 | cut -c1-120 ;;
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
  run_step native 150
  # The harness per op group; one that fails, crashes or hangs costs only its own rows. Caps:
  # the recurrent group (every kind, plan and strategy) is the longest.
  local group
  if wanted native; then
    for group in $GROUPS_WANTED; do
      case "$group" in recurrent) run_group "$group" 120 ;; *) run_group "$group" "${TS_GPU_GROUP_CAP_S:-45}" ;; esac
    done
    cat "$OUTDIR"/cuda-ops-*.txt 2>/dev/null | awk 'NR == 1 || !/^op +\|/' >"$OUTDIR/cuda-ops.txt"
  fi
  run_step sanitizer 60
  if wanted opcheck || wanted junit || wanted jmh || wanted speed || wanted reproduce; then
    prepare_jar 2>&1 | tee "$OUTDIR/prepare-jar.log"
    JAR_NOTE="$(sed -n 's/^Java steps use [^:]*: //p' "$OUTDIR/prepare-jar.log")"
  fi
  # Then the Java CUDA tests, the op-by-op Java check, and the speed table with what is left.
  run_step junit 120
  run_step opcheck 60
  run_step speed 200
  run_step reproduce 150
  run_step peer 120
  run_step jmh 150

  local failed=0 i
  {
    echo
    echo "==================== GPU check summary ($(($(date +%s) - START))s) ===================="
    [ -n "${JAR_NOTE:-}" ] && echo "Java steps: $JAR_NOTE"
    printf '%-18s | %-13s | %5s | %s\n' step status secs note
    printf '%s\n' "-------------------|---------------|-------|------------------------------------------------"
    for i in "${!NAMES[@]}"; do
      printf '%-18s | %-13s | %5s | %s\n' "${NAMES[$i]}" "${STATUS[$i]}" "${SECONDS_TAKEN[$i]}" "${NOTES[$i]}"
    done
    if [ -s "$OUTDIR/cuda-ops.txt" ]; then
      echo
      echo "CUDA ops against their C++ CPU twins (native step): max relative error over all cases of the op"
      echo "(pass <= 1e-4; 1e-3 for matmul with k >= 1024), and the slowest case's median time in microseconds"
      cat "$OUTDIR/cuda-ops.txt"
    elif wanted native; then
      echo
      echo "CUDA ops: no per-op table (no group of the cuda_vs_cpu harness ran to its end)"
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
    case "${STATUS[$i]}" in PASS | SKIPPED) ;; *) failed=1 ;; esac
  done
  return "$failed"
}

# $OUT already holds gpu-check.log and native-GROUP.txt (written as they ran); the rest goes
# into one archive (the device tool brings back at most 8 files).
collect_results() {
  [ -n "${OUT:-}" ] || return 0
  tar -czf "$OUT/details.tar.gz" -C "$(dirname "$OUTDIR")" "$(basename "$OUTDIR")" 2>/dev/null
  echo "results in $OUT: $(ls "$OUT" | tr '\n' ' ')"
}

main "$@" 2>&1 | tee "$LIVE/gpu-check.log"
rc="${PIPESTATUS[0]}"
[ "$LIVE" = "$OUTDIR" ] || cp "$LIVE/gpu-check.log" "$OUTDIR/"
collect_results
exit "$rc"
