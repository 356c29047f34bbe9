"""What the PyTorch peer scripts share: how a call is timed, and float32 kept float32 on a GPU."""
import statistics
import time

import torch


def float32_only():
    """Turns off TF32 in cuDNN and cuBLAS: Timestep computes in float32, and so must its peer."""
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False


def median_us(fn, device, warmup=3, min_runs=20, min_time=1.0):
    """Median wall time of fn() in microseconds over at least min_runs calls and min_time
    seconds, after `warmup` untimed calls; on cuda every call is waited for."""
    for _ in range(warmup):
        fn()
    if device == "cuda":
        torch.cuda.synchronize()
    times = []
    start = time.perf_counter()
    while len(times) < min_runs or time.perf_counter() - start < min_time:
        t0 = time.perf_counter()
        fn()
        if device == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e6
