#!/usr/bin/env python3
"""PyTorch peer of LargeLstmBenchmark: one LSTM layer, 256 inputs, 256 units, batch 64, 100 steps.

Times one training step exactly as the Java benchmark does it: forward over the whole sequence
(every step's output), MSE against a [64, 100, 256] target, backward, Adam. On --device cuda
torch runs nn.LSTM through cuDNN (its version is printed). Prints the median in microseconds as
`large-lstm train step us: X` (`large-lstm-tf32 ...` with --allow-tf32).
"""
import argparse

import torch

from peer_timing import median_us, set_threads, training_step

BATCH, STEPS, FEATURES, UNITS = 64, 100, 256, 256


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--device", default="cpu")
    p.add_argument("--threads", type=int, default=None, help="torch.set_num_threads")
    p.add_argument("--min-time", type=float, default=1.0, help="seconds of timed calls")
    p.add_argument("--allow-tf32", action="store_true",
                   help="let cuDNN/cuBLAS use TF32 tensor cores (10-bit mantissa products; not float32)")
    args = p.parse_args()
    if args.threads:
        set_threads(args.threads)
    # By default float32 as Timestep computes it: no TF32 shortcut inside cuDNN or cuBLAS.
    torch.backends.cuda.matmul.allow_tf32 = args.allow_tf32
    torch.backends.cudnn.allow_tf32 = args.allow_tf32
    torch.manual_seed(0)
    dev = args.device
    cudnn = torch.backends.cudnn.version() if dev == "cuda" else None
    print(f"torch {torch.__version__}, device {dev}, threads {torch.get_num_threads()}"
          + (f", cuDNN {cudnn}" if cudnn else "") + (", TF32 allowed" if args.allow_tf32 else ""))
    net = torch.nn.LSTM(FEATURES, UNITS, batch_first=True).to(dev)
    x = torch.rand(BATCH, STEPS, FEATURES, device=dev) - 0.5
    y = torch.rand(BATCH, STEPS, UNITS, device=dev) - 0.5

    train = training_step(net, x, y, prediction=lambda out: out[0])

    name = "large-lstm-tf32" if args.allow_tf32 else "large-lstm"
    print(f"{name} train step us: {median_us(train, dev, warmup=5, min_runs=10, min_time=args.min_time):.1f}")


if __name__ == "__main__":
    main()
