"""What the PyTorch peer scripts share: how a call is timed, how many threads it may use, and
float32 kept float32 on a GPU."""
import ctypes
import statistics
import time

import torch


def set_threads(threads):
    """torch.set_num_threads(threads), and the same count for the BLAS library torch calls.

    torch.set_num_threads sizes torch's own pool only. Debian's torch calls OpenBLAS's pthread
    build, which keeps a pool of its own with a thread per core: a "one thread" run measured
    without this used 1.75 cores on the large LSTM (142 ms a step, against 226 ms on one core).
    Returns the BLAS libraries whose pool was set."""
    torch.set_num_threads(threads)
    with open("/proc/self/maps") as maps:
        paths = sorted({line.split()[-1] for line in maps if "openblas" in line.split()[-1]})
    pinned = []
    for path in paths:
        lib = ctypes.CDLL(path)
        if hasattr(lib, "openblas_set_num_threads"):
            lib.openblas_set_num_threads(threads)
            pinned.append(path.rsplit("/", 1)[-1])
    return pinned


def training_step(net, x, y, prediction=lambda out: out):
    """One training step as the peers time it, as a callable: MSE against y, backward, Adam
    (lr 1e-3, its state created here). `prediction` picks the output from what net returns (an
    nn.LSTM returns it with its final state). The callable returns the loss."""
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)

    def train():
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(prediction(net(x)), y)
        loss.backward()
        opt.step()
        return loss.item()

    return train


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
