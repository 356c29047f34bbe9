#!/usr/bin/env python3
"""PyTorch peer of RecurrentBenchmark: the chapter's seq-to-seq models in PyTorch.

Two recurrent layers of 20 units (return sequences) then a Linear(20, 10) at every step, as
in the book's rows 10, 12 and 13; and, with --models ...,linear, the book's row 8 (Flatten ->
Linear(50, 10)). Times one training step (forward, MSE, backward, Adam) on a
batch of 32 series of 50 steps, and single-series inference (batch 1, 50 steps); prints the
median in microseconds. Runs on CPU here, and with --device cuda on a GPU host.
"""
import argparse
import statistics
import time

import torch


class Linear(torch.nn.Module):
    """Row 8: the window flattened into one Linear(50, 10), forecasting the next 10 values."""

    def __init__(self, steps=50, horizon=10):
        super().__init__()
        self.dense = torch.nn.Linear(steps, horizon)

    def forward(self, x):
        return self.dense(x.flatten(1))


class SeqToSeq(torch.nn.Module):
    def __init__(self, kind):
        super().__init__()
        cls = {"simple": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind]
        self.rnn = cls(input_size=1, hidden_size=20, num_layers=2, batch_first=True)
        self.head = torch.nn.Linear(20, 10)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out)


def median_us(fn, device, warmup, min_runs, min_time):
    for _ in range(warmup):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < min_runs or time.perf_counter() - start < min_time:
        t0 = time.perf_counter()
        fn()
        if device == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e6, len(times)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--device", default="cpu")
    p.add_argument("--threads", type=int, default=None, help="torch.set_num_threads")
    p.add_argument("--models", default="simple,lstm,gru", help="any of simple,lstm,gru,linear")
    p.add_argument("--min-time", type=float, default=1.0)
    args = p.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, device {args.device}, threads {torch.get_num_threads()}")
    print("model  | train step us (batch 32 x 50) | inference us (batch 1 x 50)")
    for kind in args.models.split(","):
        net = (Linear() if kind == "linear" else SeqToSeq(kind)).to(args.device)
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        x = torch.rand(32, 50, 1, device=args.device) - 0.5
        y_shape = (32, 10) if kind == "linear" else (32, 50, 10)
        y = torch.rand(*y_shape, device=args.device) - 0.5
        one = torch.rand(1, 50, 1, device=args.device) - 0.5

        def train():
            opt.zero_grad()
            loss = torch.nn.functional.mse_loss(net(x), y)
            loss.backward()
            opt.step()
            return loss.item()

        def infer():
            with torch.no_grad():
                return net(one).cpu()

        train_us, _ = median_us(train, args.device, 5, 20, args.min_time)
        infer_us, _ = median_us(infer, args.device, 5, 20, args.min_time)
        print(f"{kind:6} | {train_us:29.1f} | {infer_us:27.1f}")


if __name__ == "__main__":
    main()
