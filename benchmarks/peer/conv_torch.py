#!/usr/bin/env python3
"""PyTorch peer of ConvBenchmark: the chapter's WaveNet and Conv-GRU models in PyTorch.

Times one training step (forward, MSE, backward, Adam) at batch 32 x 50 steps for the WaveNet
(8 causal dilated Conv1d(20, 2, relu) + Conv1d(10, 1)) and the Conv-GRU (Conv1d(20, 4, stride 2)
-> GRU(20) x2 -> Linear(10)), inference of both on one series of 50 steps, and WaveNet inference
on one series of 16,000 steps. Prints the median in microseconds.
"""
import argparse

import torch
import torch.nn.functional as F

from peer_timing import float32_only, median_us, set_threads, training_step


class WaveNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.convs = torch.nn.ModuleList()
        self.rates = [1, 2, 4, 8] * 2
        cin = 1
        for rate in self.rates:
            self.convs.append(torch.nn.Conv1d(cin, 20, 2, dilation=rate))
            cin = 20
        self.head = torch.nn.Conv1d(20, 10, 1)

    def forward(self, x):  # x [B, T, 1]
        h = x.transpose(1, 2)
        for conv, rate in zip(self.convs, self.rates):
            h = F.relu(conv(F.pad(h, (rate, 0))))  # causal: (K-1)*rate zeros on the left
        return self.head(h).transpose(1, 2)


class ConvGru(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv1d(1, 20, 4, stride=2)
        self.gru = torch.nn.GRU(20, 20, num_layers=2, batch_first=True)
        self.head = torch.nn.Linear(20, 10)

    def forward(self, x):
        h = self.conv(x.transpose(1, 2)).transpose(1, 2)
        out, _ = self.gru(h)
        return self.head(out)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--device", default="cpu")
    p.add_argument("--threads", type=int, default=None)
    p.add_argument("--min-time", type=float, default=1.0, help="seconds of timed calls per measurement")
    args = p.parse_args()
    if args.threads:
        set_threads(args.threads)
    float32_only()
    torch.manual_seed(0)
    dev = args.device
    print(f"torch {torch.__version__}, device {dev}, threads {torch.get_num_threads()}")
    x = torch.rand(32, 50, 1, device=dev) - 0.5
    for name, net, y in (("wavenet", WaveNet(), torch.rand(32, 50, 10) - 0.5),
                         ("convgru", ConvGru(), torch.rand(32, 24, 10) - 0.5)):
        net = net.to(dev)
        y = y.to(dev)
        train = training_step(net, x, y)
        print(f"{name} train step us: {median_us(train, dev, min_runs=20, min_time=args.min_time):.1f}")
        one = torch.rand(1, 50, 1, device=dev) - 0.5

        def infer_one():
            with torch.no_grad():
                return net(one).cpu()

        print(f"{name} inference 50 steps us: {median_us(infer_one, dev, min_runs=20, min_time=args.min_time):.1f}")
        if name == "wavenet":
            audio = torch.rand(1, 16000, 1, device=dev) - 0.5

            def infer():
                with torch.no_grad():
                    return net(audio).cpu()

            print(f"wavenet inference 16000 steps us: {median_us(infer, dev, min_runs=5, min_time=args.min_time):.1f}")


if __name__ == "__main__":
    main()
