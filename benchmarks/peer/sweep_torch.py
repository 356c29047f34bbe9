#!/usr/bin/env python3
"""PyTorch peer of ShapeSweep: one training step at each point of the round-2 shape sweep.

A point is `cell width steps batch`. Recurrent cells (lstm, gru, rnn): two layers of `width`
units over 4 input features (batch_first, every step returned), then Linear(width, 1) at every
step; target [batch, steps, 1]. wavenet: the chapter's WaveNet with `width` channels (8 causal
dilated Conv1d(width, 2, relu), rates 1, 2, 4, 8 twice, then Conv1d(width, 10, 1)) over one input
feature; target [batch, steps, 10]. A training step is zero_grad, forward, MSE, backward, Adam
(lr 1e-3), loss.item(), as in the other peers.

Timing: up to `--warmup` untimed calls (at least one; no more once a third of `--max-time` has
passed), then timed calls until both `--min-runs` calls and
`--min-time` seconds have passed, stopping early once `--max-time` seconds have passed and at
least 3 calls ran; the median is printed. One line per point:

    point lstm 64 100 64 us 12345.6 runs 7

`--serve` reads points from standard input, one per line, and answers each as soon as it is
measured (ShapeSweep alternates them with Timestep's); `--points lstm:64:100:64,...` measures a
list and exits.
"""
import argparse
import statistics
import sys
import time

import torch
import torch.nn.functional as F

from peer_timing import float32_only, set_threads, training_step

CELLS = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}
RECURRENT_FEATURES = 4
WAVENET_RATES = [1, 2, 4, 8] * 2
WAVENET_HORIZON = 10


class Recurrent(torch.nn.Module):
    def __init__(self, cell, units):
        super().__init__()
        self.rnn = CELLS[cell](input_size=RECURRENT_FEATURES, hidden_size=units, num_layers=2,
                               batch_first=True)
        self.head = torch.nn.Linear(units, 1)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out)


class WaveNet(torch.nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.convs = torch.nn.ModuleList()
        cin = 1
        for rate in WAVENET_RATES:
            self.convs.append(torch.nn.Conv1d(cin, channels, 2, dilation=rate))
            cin = channels
        self.head = torch.nn.Conv1d(channels, WAVENET_HORIZON, 1)

    def forward(self, x):  # x [B, T, 1]
        h = x.transpose(1, 2)
        for conv, rate in zip(self.convs, WAVENET_RATES):
            h = F.relu(conv(F.pad(h, (rate, 0))))  # causal: (K-1)*rate zeros on the left
        return self.head(h).transpose(1, 2)


def mapped_blas():
    """The BLAS libraries mapped into this process (torch's build may say 'generic' while the
    system's libblas.so.3 is OpenBLAS)."""
    try:
        with open("/proc/self/maps") as f:
            names = {line.split()[-1].rsplit("/", 1)[-1] for line in f if "blas" in line.lower()}
        return ", ".join(sorted(names)) or "none"
    except OSError:
        return "unknown"


def parse_point(text):
    """`cell width steps batch` (spaces or colons) -> (cell, width, steps, batch)."""
    parts = text.replace(":", " ").split()
    if len(parts) != 4:
        raise ValueError(f"a point is 'cell width steps batch', got '{text.strip()}'")
    cell = parts[0]
    if cell not in CELLS and cell != "wavenet":
        raise ValueError(f"cell must be one of {', '.join(list(CELLS) + ['wavenet'])}, got '{cell}'")
    width, steps, batch = (int(p) for p in parts[1:])
    if min(width, steps, batch) < 1:
        raise ValueError(f"width, steps and batch must be at least 1, got '{text.strip()}'")
    return cell, width, steps, batch


def build(cell, width, steps, batch):
    if cell == "wavenet":
        return WaveNet(width), torch.rand(batch, steps, 1) - 0.5, torch.rand(batch, steps, WAVENET_HORIZON) - 0.5
    x = torch.rand(batch, steps, RECURRENT_FEATURES) - 0.5
    return Recurrent(cell, width), x, torch.rand(batch, steps, 1) - 0.5


def capped_median_us(fn, warmup, min_runs, min_time, max_time):
    warm_start = time.perf_counter()
    for _ in range(max(1, warmup)):
        fn()
        if time.perf_counter() - warm_start >= max_time / 3:
            break
    times = []
    start = time.perf_counter()
    while True:
        elapsed = time.perf_counter() - start
        if len(times) >= min_runs and elapsed >= min_time:
            break
        if len(times) >= 3 and elapsed >= max_time:
            break
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e6, len(times)


def measure(point, args):
    cell, width, steps, batch = point
    torch.manual_seed(0)
    net, x, y = build(cell, width, steps, batch)
    train = training_step(net, x, y)
    us, runs = capped_median_us(train, args.warmup, args.min_runs, args.min_time, args.max_time)
    return f"point {cell} {width} {steps} {batch} us {us:.1f} runs {runs}"


def answer(text, args):
    try:
        return measure(parse_point(text), args)
    except (ValueError, RuntimeError) as e:
        return f"error {text.strip()}: {e}".replace("\n", " ")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--min-runs", type=int, default=5)
    p.add_argument("--min-time", type=float, default=0.3)
    p.add_argument("--max-time", type=float, default=1.5)
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--serve", action="store_true", help="read points from stdin")
    group.add_argument("--points", help="comma-separated cell:width:steps:batch")
    args = p.parse_args()
    set_threads(args.threads)
    float32_only()
    blas = "unknown"
    for line in torch.__config__.show().splitlines():
        if "BLAS_INFO" in line:
            blas = line.split("BLAS_INFO=")[1].split(",")[0]
    print(f"torch {torch.__version__}, device cpu, threads {torch.get_num_threads()}, blas {blas}"
          f" (mapped: {mapped_blas()})", flush=True)
    if args.points:
        for text in args.points.split(","):
            print(answer(text, args), flush=True)
        return
    for text in sys.stdin:
        if text.strip():
            print(answer(text, args), flush=True)


if __name__ == "__main__":
    main()
