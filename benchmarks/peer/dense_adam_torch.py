#!/usr/bin/env python3
"""PyTorch peer of Timestep's JMH benchmarks (benchmarks/src/main/java/dev/timestep/benchmarks).

Runs the same work on the same shapes and prints the median time per call in microseconds:

  dense   one training step of a linear layer without optimizer: y = x @ W + b,
          loss = mean((y - target)^2), gradients cleared, loss.backward(), loss.item()
          (the .item() waits for the device, as Timestep's readScalar does).
            chapter: batch 32, 50 inputs -> 1 and -> 10 units   (DenseBenchmark)
            large:   batch 4096, 1024 inputs -> 1024 units       (DenseLargeBenchmark)
  adam    one torch.optim.Adam step (lr 1e-3, betas 0.9/0.999, eps 1e-7, Keras' values) over
          one flat parameter with a fixed gradient, followed by a device synchronize.
            chapter: 51 and 510 parameters                      (AdamBenchmark)
            large:   4,194,304 parameters                       (AdamLargeBenchmark)
          Rows are given for torch's default Adam implementation and, where this torch and
          device support it, the fused one (Timestep's Adam is a single fused kernel).

Timing: --warmup calls, then calls until both --min-runs and --min-time are reached; the median
of the per-call times is reported. It also prints which BLAS/threads torch uses.

    python3 benchmarks/peer/dense_adam_torch.py                  # CPU
    python3 benchmarks/peer/dense_adam_torch.py --device cuda    # GPU host
"""
import argparse
import platform
import re
import statistics
import sys
import time

try:
    import torch
except ImportError:  # keep the message short and actionable
    sys.stderr.write("dense_adam_torch.py: PyTorch is not installed for %s "
                     "(Debian: apt-get install python3-torch; elsewhere: pip install torch)\n" % sys.executable)
    sys.exit(3)

from peer_timing import set_threads  # noqa: E402 (after the friendly check that torch exists)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--device", default="cpu", help="cpu or cuda (default cpu)")
    p.add_argument("--sizes", default="chapter,large", help="comma list of chapter,large (default both)")
    p.add_argument("--cases", default="dense,adam", help="comma list of dense,adam (default both)")
    p.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (default: torch's choice)")
    p.add_argument("--warmup", type=int, default=3, help="untimed calls per case (default 3)")
    p.add_argument("--min-runs", type=int, default=10, help="at least this many timed calls (default 10)")
    p.add_argument("--min-time", type=float, default=1.0, help="and at least this many seconds (default 1.0)")
    p.add_argument("--max-runs", type=int, default=100000, help="at most this many timed calls")
    p.add_argument("--quiet-config", action="store_true", help="skip torch.__config__.show()")
    return p.parse_args()


def synchronizer(device):
    if device.type == "cuda":
        return lambda: torch.cuda.synchronize(device)
    return lambda: None


def measure(fn, sync, args):
    for _ in range(args.warmup):
        fn()
    sync()
    samples = []
    started = time.perf_counter()
    while len(samples) < args.max_runs:
        t0 = time.perf_counter()
        fn()
        sync()
        samples.append(time.perf_counter() - t0)
        if len(samples) >= args.min_runs and time.perf_counter() - started >= args.min_time:
            break
    return statistics.median(samples) * 1e6, len(samples)


def dense_case(device, batch, inputs, units, gen):
    x = torch.rand(batch, inputs, generator=gen).mul_(2).sub_(1).to(device)
    target = torch.rand(batch, units, generator=gen).mul_(2).sub_(1).to(device)
    limit = (6.0 / (inputs + units)) ** 0.5  # glorot uniform, as Timestep's Dense
    w = torch.rand(inputs, units, generator=gen).mul_(2 * limit).sub_(limit).to(device).requires_grad_()
    b = torch.zeros(units, device=device, requires_grad=True)

    def step():
        w.grad = None
        b.grad = None
        y = x @ w + b
        loss = torch.mean((y - target) ** 2)
        loss.backward()
        return loss.item()

    return step


def adam_case(device, parameters, gen, fused):
    p = torch.rand(parameters, generator=gen).mul_(2).sub_(1).to(device).requires_grad_()
    p.grad = torch.rand(parameters, generator=gen).mul_(2e-2).sub_(1e-2).to(device)
    kwargs = {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-7}
    if fused:
        kwargs["fused"] = True
    opt = torch.optim.Adam([p], **kwargs)
    opt.step()  # creates the moment buffers outside the timed calls

    def step():
        opt.step()

    return step


def fused_adam_supported(device):
    try:
        q = torch.zeros(4, device=device, requires_grad=True)
        q.grad = torch.zeros(4, device=device)
        torch.optim.Adam([q], lr=1e-3, fused=True).step()
        return True
    except Exception:  # older torch (no 'fused') or a device it does not cover
        return False


def describe(device, args):
    print("torch %s, python %s, %s" % (torch.__version__, platform.python_version(), platform.platform()))
    print("device: %s" % device, end="")
    if device.type == "cuda":
        props = torch.cuda.get_device_properties(device)
        print(" = %s (%d MiB, sm_%d%d), CUDA runtime %s, cuDNN %s" % (
            props.name, props.total_memory // (1 << 20), props.major, props.minor, torch.version.cuda,
            torch.backends.cudnn.version()))
        print("matmul TF32 allowed: %s (False = true float32 products, as Timestep's kernels)"
              % torch.backends.cuda.matmul.allow_tf32)
    else:
        print()
    print("torch threads: %d intra-op, %d inter-op (machine has %s logical CPUs)" % (
        torch.get_num_threads(), torch.get_num_interop_threads(), _cpu_count()))
    config = torch.__config__.show()
    facts = [line.strip().lstrip("- ") for line in config.splitlines()
             if "Build settings" not in line and any(k in line for k in ("BLAS", "LAPACK", "MKL", "OpenMP"))]
    facts += re.findall(r"\b((?:BLAS_INFO|LAPACK_INFO|USE_MKL|USE_OPENMP|USE_CUDA)=[^,\s]*)", config)
    print("BLAS/threading (torch.__config__.show()): " + ("; ".join(facts) if facts else "not reported"))
    print("BLAS libraries mapped in this process: " + ", ".join(_loaded_blas(device)))
    if not args.quiet_config:
        print("---- torch.__config__.show() ----")
        print(torch.__config__.show().rstrip())
        print("---- torch.__config__.parallel_info() ----")
        print(torch.__config__.parallel_info().rstrip())
        print("----")


def _loaded_blas(device):
    """Shared libraries that look like BLAS, as mapped after one matmul (Linux only)."""
    a = torch.ones(64, 64, device=device)
    (a @ a).sum().item()
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "/" in line}
    except OSError:
        return ["(unknown: no /proc/self/maps)"]
    keys = ("blas", "mkl", "lapack", "cublas", "gomp", "iomp")
    found = sorted(p for p in paths if any(k in p.rsplit("/", 1)[-1].lower() for k in keys))
    return found or ["none found"]


def _cpu_count():
    import os
    return os.cpu_count()


def main():
    args = parse_args()
    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        sys.stderr.write("dense_adam_torch.py: --device cuda but torch.cuda.is_available() is False "
                         "(torch %s built with CUDA %s)\n" % (torch.__version__, torch.version.cuda))
        return 2
    if args.threads > 0:
        set_threads(args.threads)
    torch.manual_seed(42)
    gen = torch.Generator().manual_seed(42)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    kinds = [c.strip() for c in args.cases.split(",") if c.strip()]
    describe(device, args)
    sync = synchronizer(device)

    cases = []  # (benchmark, shape, factory)
    if "dense" in kinds:
        if "chapter" in sizes:
            for units in (1, 10):
                cases.append(("dense", "chapter", "32x50 -> %d" % units,
                              lambda u=units: dense_case(device, 32, 50, u, gen)))
        if "large" in sizes:
            cases.append(("dense", "large", "4096x1024 -> 1024",
                          lambda: dense_case(device, 4096, 1024, 1024, gen)))
    if "adam" in kinds:
        variants = [("adam", False)]
        if fused_adam_supported(device):
            variants.append(("adam (fused)", True))
        else:
            print("fused Adam: not supported by this torch on %s; default implementation only" % device.type)
        for name, fused in variants:
            if "chapter" in sizes:
                for n in (51, 510):
                    cases.append((name, "chapter", "%d params" % n,
                                  lambda n=n, f=fused: adam_case(device, n, gen, f)))
            if "large" in sizes:
                cases.append((name, "large", "%d params" % (4096 * 1024),
                              lambda f=fused: adam_case(device, 4096 * 1024, gen, f)))

    rows = []
    for bench, size, shape, factory in cases:
        try:
            us, runs = measure(factory(), sync, args)
            rows.append((bench, size, shape, "%.2f" % us if us < 100 else "%.0f" % us, str(runs)))
        except Exception as e:  # report and go on with the next case
            rows.append((bench, size, shape, "error: %s" % e, "0"))
        print("  %-14s %-8s %-20s %s us" % rows[-1][:4], flush=True)

    head = ("benchmark", "size", "shape", "median us", "runs")
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    line = " | ".join("%-" + str(w) + "s" for w in widths)
    print()
    print("PyTorch peer on %s (median per call, %s):" % (device.type, "torch %s" % torch.__version__))
    print(line % head)
    print("-|-".join("-" * w for w in widths))
    for r in rows:
        print(line % r)
    return 1 if any(r[3].startswith("error") for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
