#!/usr/bin/env bash
# Runs Timestep's ConvBenchmark (JMH) and the PyTorch peer on the chapter's convolutional
# models (WaveNet and Conv-GRU training steps, WaveNet inference on 16,000 steps), each with 1
# and with 2 threads, one after the other on this machine, and writes them side by side to
# benchmarks/results/<date>-<host>-conv-cpu.md. Usage, from the repository root after
# `mvn -B -q -DskipTests install`:
#   bash benchmarks/peer/compare_conv.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
out="benchmarks/results/$(date +%Y-%m-%d)-$(hostname -s)-conv-cpu.md"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python=/usr/bin/python3; command -v "$python" >/dev/null || python=python3

java -jar benchmarks/target/benchmarks.jar ConvBenchmark -p backend=cpu -p threads=1,2 -wi 3 -i 5 -f 1 \
  -rf csv -rff "$tmp/jmh.csv" > "$tmp/jmh.log" 2>&1
sed -i 's/\r$//' "$tmp/jmh.csv"  # JMH writes CRLF line ends
for t in 1 2; do
  "$python" benchmarks/peer/conv_torch.py --threads "$t" > "$tmp/torch$t.txt" 2>&1 || true
done

{
  echo "# $(date +%Y-%m-%d) — convolutional models, Timestep (cpu) beside PyTorch (cpu)"
  echo
  echo "Machine: $(hostname -s), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)."
  echo "Timestep: JMH ConvBenchmark, 1 fork, 3 x 1 s warm-up, 5 x 1 s measured, average µs; native kernel threads as given (CpuBackend.setThreads)."
  echo "PyTorch: $(head -1 "$tmp/torch1.txt" | sed 's/, threads [0-9]*//'); torch.set_num_threads(N); median of >= 20 calls (5 for inference)."
  echo "BLAS behind torch (libblas.so.3): $(readlink -f /lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo unknown)."
  echo
  echo "| model | threads | Timestep µs | PyTorch µs | speed-up |"
  echo "|---|---:|---:|---:|---:|"
  for t in 1 2; do
    for row in "waveNetTrainStep|wavenet train step us" "convGruTrainStep|convgru train step us" \
               "waveNetInfer16k|wavenet inference 16000 steps us"; do
      bench=${row%%|*}; label=${row#*|}
      ts=$(awk -F, -v b="$bench" -v t="$t" '$1 ~ b && $NF == t {print $5}' "$tmp/jmh.csv")
      pt=$(grep -F "$label:" "$tmp/torch$t.txt" | awk -F': ' '{print $2}')
      "$python" - "$bench" "$t" "$ts" "$pt" <<'PY'
import sys
b, t, ts, pt = sys.argv[1:]
f = lambda s: float(s) if s else float("nan")
ts, pt = f(ts), f(pt)
print(f"| {b} | {t} | {ts:.0f} | {pt:.0f} | {pt/ts:.1f}x |")
PY
    done
  done
  echo
  echo "Raw JMH lines:"
  echo '```'
  grep -E "^ConvBenchmark|^Benchmark" "$tmp/jmh.log" || true
  echo '```'
} > "$out"
echo "wrote $out"
cat "$out"
