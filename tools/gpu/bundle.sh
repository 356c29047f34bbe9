#!/usr/bin/env bash
# Builds gpu-bundle/ (git-ignored): everything the GPU check (tools/gpu/check.sh) needs on an
# H100/H200 host that has a driver, CUDA, CMake and Python but NO Java. Runs here, on a machine
# without a GPU:
#
#   mvn -q -B -Dts.cuda=OFF -DskipTests install   # java/target/timestep.jar, test-classes, benchmarks.jar
#   bash tools/gpu/bundle.sh                     # -> gpu-bundle/, prints its size (must stay < 63 MB)
#
# then the device call `bash tools/gpu/check.sh` with carry ["gpu-bundle"].
#
# What goes in:
#   jre/                  a jlink'd runtime: Temurin 25 when installed (needs only glibc 2.17 on the
#                         host), else the Java 17 JDK; libjvm.so stripped (-4 MB)
#   timestep.jar          java/target/timestep.jar with libtimestep_cuda.so replaced by one built
#                         here with nvcc for sm_${TS_CUDA_ARCHS:-90} (a -Dts.cuda=OFF build carries
#                         the CPU-only stub)
#   test-classes/         java/target/test-classes (run by the JUnit console launcher)
#   lib/junit-platform-console-standalone-<v>.jar   (v = junit.platform.version of the root pom)
#   benchmarks-slim.jar   the JMH benchmarks without the library and its dependencies; run as
#                         -cp timestep.jar:benchmarks-slim.jar org.openjdk.jmh.Main
#   peer/dense_adam_torch.py   the PyTorch peer
#   jar_tool.py           lets check.sh swap in the CUDA library it builds on the host (no JDK there)
#   MANIFEST.txt          what was built from what, checksums, glibc needed
#
# Options:
#   --build        run `mvn -q -B -Dts.cuda=OFF -DskipTests install` first
#   --allow-stub   bundle even if the CUDA library fails to build here (check.sh then uses the
#                  library it builds on the GPU host, or reports cuda unavailable)
#   --jdk DIR      the JDK to jlink from (default: /usr/lib/jvm/temurin-25-jdk-amd64, else Java 17)
# Environment: TS_CUDA_ARCHS (default 90), TS_BUNDLE_DIR (default <repo>/gpu-bundle),
#              TS_BUNDLE_LIMIT_MB (default 63, in 10^6 bytes), TS_NATIVE_SRC (default <repo>/native:
#              the CMake project the CUDA library is built from).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUNDLE="${TS_BUNDLE_DIR:-$ROOT/gpu-bundle}"
ARCHS="${TS_CUDA_ARCHS:-90}"
NATIVE_SRC="${TS_NATIVE_SRC:-$ROOT/native}"
# What travels to the GPU host is capped at 64 MiB (67.1 MB) with the working tree (about 2.3 MB
# of tracked files): 63 MB leaves room for both, and a bundle 0.2 MB under 60 had none left.
LIMIT_MB="${TS_BUNDLE_LIMIT_MB:-63}"
BUILD=0
ALLOW_STUB=0
JDK=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build) BUILD=1 ;;
    --allow-stub) ALLOW_STUB=1 ;;
    --jdk) JDK="$2"; shift ;;
    -h|--help) sed -n '2,40p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bundle.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { printf '[bundle] %s\n' "$*"; }
die() { printf '[bundle] ERROR: %s\n' "$*" >&2; exit 1; }

JAR="$ROOT/java/target/timestep.jar"
TEST_CLASSES="$ROOT/java/target/test-classes"
BENCH_JAR="$ROOT/benchmarks/target/benchmarks.jar"
PEER="$ROOT/benchmarks/peer/dense_adam_torch.py"
CUDA_ENTRY="dev/timestep/backend/cuda/linux-x86_64/libtimestep_cuda.so"
JNI_CUDA_ENTRY="dev/timestep/backend/cuda/linux-x86_64/libjniCudaNative.so"

if [ "$BUILD" = 1 ]; then
  say "mvn -q -B -Dts.cuda=OFF -DskipTests install"
  (cd "$ROOT" && mvn -q -B -Dts.cuda=OFF -DskipTests install)
fi
[ -f "$JAR" ] || die "$JAR is missing: run 'mvn -q -B -Dts.cuda=OFF -DskipTests install' first (or pass --build)"
[ -d "$TEST_CLASSES" ] || die "$TEST_CLASSES is missing: run 'mvn -q -B -Dts.cuda=OFF -DskipTests install' (it compiles the tests)"
[ -f "$PEER" ] || die "$PEER is missing"
command -v python3 >/dev/null || die "python3 is needed (jar_tool.py)"

# ---- pick the JDK to jlink from -------------------------------------------------------------
if [ -z "$JDK" ]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-17-openjdk-amd64 "${JAVA_HOME:-}"; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/jlink" ]; then JDK="$candidate"; break; fi
  done
fi
[ -n "$JDK" ] && [ -x "$JDK/bin/jlink" ] || die "no JDK with jlink found (pass --jdk DIR)"
JDK_MAJOR="$("$JDK/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
[ -n "$JDK_MAJOR" ] || die "cannot tell the version of $JDK"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ts-gpu-bundle.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
rm -rf "$BUNDLE"
mkdir -p "$BUNDLE/lib" "$BUNDLE/peer"

# ---- 1. the runtime -------------------------------------------------------------------------
# jdk.zipfs: the JUnit launcher scans jars on the class path through the zip file system.
MODULES="java.base,jdk.unsupported,java.logging,java.xml,java.management,jdk.zipfs"
if [ "$JDK_MAJOR" -ge 21 ]; then COMPRESS="--compress=zip-6"; else COMPRESS="--compress=2"; fi
say "jlink from $JDK (Java $JDK_MAJOR): $MODULES"
"$JDK/bin/jlink" --add-modules "$MODULES" "$COMPRESS" --strip-debug --no-header-files --no-man-pages \
  --output "$BUNDLE/jre"
if command -v strip >/dev/null && [ -f "$BUNDLE/jre/lib/server/libjvm.so" ]; then
  strip --strip-unneeded "$BUNDLE/jre/lib/server/libjvm.so"
fi
"$BUNDLE/jre/bin/java" -version >/dev/null 2>&1 || die "the jlink'd runtime does not start"

# ---- 2. the CUDA library, built here for the GPU ---------------------------------------------
CUDA_LIB=""
CUDA_NOTE=""
NVCC="$(command -v nvcc || true)"
[ -z "$NVCC" ] && [ -x /usr/local/cuda/bin/nvcc ] && NVCC=/usr/local/cuda/bin/nvcc
if [ -n "$NVCC" ]; then
  say "building libtimestep_cuda.so from $NATIVE_SRC with $NVCC for sm_$ARCHS"
  if cmake -S "$NATIVE_SRC" -B "$WORK/native" -DCMAKE_BUILD_TYPE=Release -DTS_CUDA=ON -DTS_CUDA_EMULATION=OFF \
       -DCMAKE_CUDA_COMPILER="$NVCC" -DCMAKE_CUDA_ARCHITECTURES="$ARCHS" \
       -DTS_CPU_OUTPUT_DIR="$WORK/native/lib" -DTS_CUDA_OUTPUT_DIR="$WORK/native/lib" >"$WORK/cmake.log" 2>&1 \
     && cmake --build "$WORK/native" --target timestep_cuda --parallel "$(nproc)" >>"$WORK/cmake.log" 2>&1; then
    CUDA_LIB="$WORK/native/lib/libtimestep_cuda.so"
    compiled="$(python3 -c 'import ctypes,sys; print(ctypes.CDLL(sys.argv[1]).ts_cuda_compiled())' "$CUDA_LIB" 2>&1 || true)"
    if [ "$compiled" != "1" ]; then
      CUDA_NOTE="built, but ts_cuda_compiled() answered '$compiled'"
      CUDA_LIB=""
    else
      CUDA_NOTE="built here by $("$NVCC" --version | sed -n 's/.*\(release [0-9.]*\).*/\1/p') for sm_$ARCHS, cudart static"
    fi
  else
    CUDA_NOTE="the CMake build failed"
    echo "[bundle] the CMake build of the CUDA library failed; last lines:" >&2
    tail -25 "$WORK/cmake.log" >&2
  fi
else
  CUDA_NOTE="no nvcc on this machine"
fi
if [ -z "$CUDA_LIB" ]; then
  [ "$ALLOW_STUB" = 1 ] || die "no CUDA library for the bundle: $CUDA_NOTE (pass --allow-stub to bundle the jar's library anyway)"
  say "WARNING: $CUDA_NOTE; keeping the jar's own libtimestep_cuda.so (check.sh will build one on the host)"
  CUDA_NOTE="the jar's own (the Maven build's; a stub when built with -Dts.cuda=OFF): $CUDA_NOTE here"
fi

# The JNI glue in the jar was generated against cuda_api.h at Maven time: every ts_cuda_*
# symbol it needs must exist in the library we put beside it.
if [ -n "$CUDA_LIB" ]; then
  unzip -p "$JAR" "$JNI_CUDA_ENTRY" >"$WORK/libjniCudaNative.so"
  needed="$(nm -D --undefined-only "$WORK/libjniCudaNative.so" | awk '/ts_cuda_/ {print $2}' | sort -u)"
  have="$(nm -D --defined-only "$CUDA_LIB" | awk '/ts_cuda_/ {print $3}' | sort -u)"
  missing="$(comm -23 <(echo "$needed") <(echo "$have"))"
  [ -z "$missing" ] || die "the CUDA library lacks symbols the jar's JNI glue needs (rebuild the jar?): $missing"
fi

# ---- 3. the jar -----------------------------------------------------------------------------
PUT=()
[ -n "$CUDA_LIB" ] && PUT=(--put "$CUDA_ENTRY=$CUDA_LIB")
python3 "$ROOT/tools/gpu/jar_tool.py" rewrite "$JAR" "$BUNDLE/timestep.jar" "${PUT[@]}"

# ---- 4. tests, JUnit launcher, benchmarks, peer ------------------------------------------------
cp -r "$TEST_CLASSES" "$BUNDLE/test-classes"
JUNIT_PLATFORM="$(sed -n 's:.*<junit.platform.version>\(.*\)</junit.platform.version>.*:\1:p' "$ROOT/pom.xml" | head -1)"
JUNIT_PLATFORM="${JUNIT_PLATFORM:-1.14.4}"
say "junit-platform-console-standalone $JUNIT_PLATFORM"
(cd "$ROOT" && mvn -q -B -N org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
  -Dartifact="org.junit.platform:junit-platform-console-standalone:$JUNIT_PLATFORM" \
  -DoutputDirectory="$BUNDLE/lib") || die "could not fetch junit-platform-console-standalone $JUNIT_PLATFORM"
if [ -f "$BENCH_JAR" ]; then
  python3 "$ROOT/tools/gpu/jar_tool.py" rewrite "$BENCH_JAR" "$BUNDLE/benchmarks-slim.jar" \
    --drop dev/timestep/ --keep dev/timestep/benchmarks/ --drop org/bytedeco/ --drop com/fasterxml/ \
    --drop picocli/ --drop META-INF/native-image/ --drop org/jfree/ --drop org/apache/commons/csv/ \
    --drop org/apache/commons/io/ --drop org/apache/commons/codec/
else
  say "WARNING: $BENCH_JAR is missing; the bundle has no JMH benchmarks"
fi
cp "$PEER" "$BUNDLE/peer/"
cp "$ROOT/tools/gpu/jar_tool.py" "$BUNDLE/"

# ---- 5. manifest and size -------------------------------------------------------------------
glibc_needed() { # highest GLIBC_x.y symbol version any of the given ELF files needs
  for f in "$@"; do objdump -T "$f" 2>/dev/null; done | grep -o 'GLIBC_[0-9][0-9.]*' | sort -uV | tail -1
}
mkdir -p "$WORK/natives"
(cd "$WORK/natives" && unzip -q -o "$BUNDLE/timestep.jar" 'dev/timestep/*.so')
{
  echo "Timestep GPU bundle, built $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(hostname)"
  echo "source: $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$ROOT" && [ -n "$(git status --porcelain 2>/dev/null)" ] && echo ' + uncommitted changes')"
  echo "runtime: jlink of $JDK ($("$BUNDLE/jre/bin/java" -version 2>&1 | head -1)); needs $(glibc_needed "$BUNDLE"/jre/bin/java "$BUNDLE"/jre/lib/*.so "$BUNDLE"/jre/lib/server/libjvm.so)"
  echo "native libraries in timestep.jar need $(glibc_needed $(find "$WORK/natives" -name '*.so'))"
  echo "libtimestep_cuda.so: ${CUDA_NOTE}"
  echo "libtimestep_cuda.so sha256: $(cd "$WORK/natives" && sha256sum "$CUDA_ENTRY" | cut -d' ' -f1)"
  echo "junit-platform-console-standalone: $JUNIT_PLATFORM"
  echo "sizes:"
  (cd "$BUNDLE" && du -sh jre timestep.jar test-classes lib benchmarks-slim.jar peer 2>/dev/null | sed 's/^/  /')
} >"$BUNDLE/MANIFEST.txt"
cat "$BUNDLE/MANIFEST.txt"

BYTES="$(du -sb "$BUNDLE" | cut -f1)"
say "bundle: $BUNDLE = $(du -sh "$BUNDLE" | cut -f1) ($BYTES bytes; limit ${LIMIT_MB} MB)"
[ "$BYTES" -lt $((LIMIT_MB * 1000 * 1000)) ] || die "the bundle is over ${LIMIT_MB} MB"
