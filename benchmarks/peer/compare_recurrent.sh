#!/usr/bin/env bash
# Runs Timestep's RecurrentBenchmark (JMH) and the PyTorch peer on the same models, one after
# the other on this machine, and writes both side by side to
# benchmarks/results/<date>-<host>-recurrent.md. Usage, from the repository root after
# `mvn -B -q -DskipTests install`:
#   bash benchmarks/peer/compare_recurrent.sh [backend]        # backend: cpu (default) or cuda
set -euo pipefail
cd "$(dirname "$0")/../.."
backend="${1:-cpu}"
device=cpu; [ "$backend" = cuda ] && device=cuda
out="benchmarks/results/$(date +%Y-%m-%d)-$(hostname -s)-recurrent-${backend}.md"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

java -jar benchmarks/target/benchmarks.jar RecurrentBenchmark -p backend="$backend" \
  -rf csv -rff "$tmp/jmh.csv" > "$tmp/jmh.log" 2>&1
sed -i 's/\r$//' "$tmp/jmh.csv"  # JMH writes CRLF line ends
python=/usr/bin/python3; command -v "$python" >/dev/null || python=python3
threads_note="torch default threads"
if [ "$device" = cpu ]; then peer_args=(--threads 1); threads_note="torch.set_num_threads(1)"; else peer_args=(); fi
"$python" benchmarks/peer/recurrent_torch.py --device "$device" "${peer_args[@]}" > "$tmp/torch.txt" 2>&1 || true

{
  echo "# $(date +%Y-%m-%d) — recurrent models, Timestep ($backend) beside PyTorch ($device)"
  echo
  echo "Machine: $(hostname -s), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)."
  echo "Timestep: JMH RecurrentBenchmark, 1 fork, 3 x 1 s warm-up, 5 x 1 s measured, average µs."
  echo "PyTorch: $(head -1 "$tmp/torch.txt"); $threads_note; median of >= 20 calls."
  echo "Models: 2 recurrent layers of 20 units (return sequences) -> TimeDistributed(Dense(10))."
  echo "Train step = forward, MSE, backward, Adam on a batch of 32 x 50 steps; inference = batch 1 x 50 steps."
  echo
  echo "| model | Timestep train step µs | PyTorch train step µs | speed-up | Timestep inference µs | PyTorch inference µs | speed-up |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for model in simple lstm gru; do
    ts_train=$(awk -F, -v m="$model" '$1 ~ /trainStep/ && $9 == m {print $5}' "$tmp/jmh.csv")
    ts_infer=$(awk -F, -v m="$model" '$1 ~ /inferOne/ && $9 == m {print $5}' "$tmp/jmh.csv")
    pt=$(awk -v m="$model" '$1 == m {print $3, $5}' "$tmp/torch.txt")
    pt_train=${pt% *}; pt_infer=${pt#* }
    python3 - "$model" "$ts_train" "$pt_train" "$ts_infer" "$pt_infer" <<'PY'
import sys
m, tt, pt, ti, pi = sys.argv[1:]
f = lambda s: float(s) if s else float("nan")
tt, pt, ti, pi = map(f, (tt, pt, ti, pi))
print(f"| {m} | {tt:.0f} | {pt:.0f} | {pt/tt:.1f}x | {ti:.1f} | {pi:.1f} | {pi/ti:.1f}x |")
PY
  done
  echo
  echo "Raw JMH lines:"
  echo '```'
  grep -E "^RecurrentBenchmark|^Benchmark" "$tmp/jmh.log" || true
  echo '```'
} > "$out"
echo "wrote $out"
cat "$out"
