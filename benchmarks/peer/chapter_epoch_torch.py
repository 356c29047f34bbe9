#!/usr/bin/env python3
"""PyTorch peer of the round-2 report's chapter epoch: one epoch of the chapter's LSTM seq-to-seq.

LSTM(20) x2 (every step) -> Linear(20, 10) at every step, as recurrent_torch.py's `lstm`, on the
chapter's sizes: 7000 training series of 50 steps (targets [7000, 50, 10]) in shuffled batches of
32 (219 training steps: zero_grad, forward, MSE, backward, Adam lr 1e-3, loss.item()), then the
validation MSE over 2000 series in batches of 32 without gradients, as Keras' fit does with
validation data. The values are random: the time does not depend on them. Prints one line per
timed epoch and the median:

    epoch us: 2612345.6
"""
import argparse
import statistics
import time

import torch
import torch.nn.functional as F

from peer_timing import float32_only, set_threads
from recurrent_torch import SeqToSeq

TRAIN, VALID, STEPS, HORIZON, BATCH = 7000, 2000, 50, 10, 32


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
    p.add_argument("--epochs", type=int, default=3, help="timed epochs, after one untimed")
    args = p.parse_args()
    set_threads(args.threads)
    float32_only()
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, device cpu, threads {torch.get_num_threads()}", flush=True)
    x, y = torch.rand(TRAIN, STEPS, 1) - 0.5, torch.rand(TRAIN, STEPS, HORIZON) - 0.5
    xv, yv = torch.rand(VALID, STEPS, 1) - 0.5, torch.rand(VALID, STEPS, HORIZON) - 0.5
    net = SeqToSeq("lstm")
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)

    def epoch():
        order = torch.randperm(TRAIN)
        for start in range(0, TRAIN, BATCH):
            idx = order[start:start + BATCH]
            opt.zero_grad()
            loss = F.mse_loss(net(x[idx]), y[idx])
            loss.backward()
            opt.step()
            loss.item()
        total = 0.0
        with torch.no_grad():
            for start in range(0, VALID, BATCH):
                out = net(xv[start:start + BATCH])
                total += F.mse_loss(out, yv[start:start + BATCH], reduction="sum").item()
        return total / yv.numel()

    epoch()
    times = []
    for _ in range(max(1, args.epochs)):
        t0 = time.perf_counter()
        epoch()
        times.append((time.perf_counter() - t0) * 1e6)
        print(f"timed epoch us: {times[-1]:.1f}", flush=True)
    print(f"epoch us: {statistics.median(times):.1f}", flush=True)


if __name__ == "__main__":
    main()
