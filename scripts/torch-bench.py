#!/usr/bin/python3
"""Times a jconv workload CSV in PyTorch, for `jconv bench --compare-torch` (scripts/bench.sh).

usage: /usr/bin/python3 scripts/torch-bench.py WORKLOAD.csv [--threads N] [--budget SECONDS]
                                               [--torch-device cpu|cuda]

Prints one line per shape: `name,torch_ms` (the median wall time of one forward call, bias on, under
torch.no_grad()), sampling until the median is stable, as jconv's own timer does. Progress goes to stderr.
With --torch-device cuda (the GPU bundle's comparison with cuDNN) tensors live on the GPU, TF32 is off (jconv
computes in float32, so TF32 would compare different arithmetic), cudnn.benchmark picks cuDNN's fastest algorithm
during the warm-up calls, and every timed call is bracketed by torch.cuda.synchronize(), since CUDA calls return
before the GPU is done.
Exits 3 when torch cannot be imported and 4 when CUDA is asked for but unavailable, so the caller can say why the
comparison is missing.
"""
import argparse
import csv
import statistics
import sys
import time

try:
    import torch
    import torch.nn.functional as F
except ImportError as error:  # the caller reports this and benchmarks without PyTorch
    print(f"PyTorch is not importable: {error} (apt-get install python3-torch libopenblas0-pthread)",
          file=sys.stderr)
    sys.exit(3)

STABLE = 0.02
ROUND = 5


def timed(call, budget, max_samples, synchronize):
    for _ in range(3):
        call()
    samples = []
    previous = float("nan")
    start = time.perf_counter()
    while len(samples) < max_samples:
        for _ in range(ROUND):
            synchronize()
            begin = time.perf_counter()
            call()
            synchronize()
            samples.append((time.perf_counter() - begin) * 1e3)
        median = statistics.median(samples)
        stable = abs(median - previous) <= STABLE * median
        if (stable and len(samples) >= 2 * ROUND) or time.perf_counter() - start > budget:
            break
        previous = median
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("workload")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--budget", type=float, default=3.0)
    parser.add_argument("--max-samples", type=int, default=200)
    parser.add_argument("--torch-device", choices=("cpu", "cuda"), default="cpu")
    args = parser.parse_args()
    device = torch.device(args.torch_device)
    synchronize = lambda: None
    if args.torch_device == "cuda":
        if not torch.cuda.is_available():
            print(f"CUDA is not available to PyTorch {torch.__version__} (CUDA build: {torch.version.cuda}); "
                  "no cuDNN comparison", file=sys.stderr)
            sys.exit(4)
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        torch.backends.cudnn.benchmark = True
        synchronize = torch.cuda.synchronize
        print(f"torch: {torch.__version__} on {torch.cuda.get_device_name(0)}, CUDA {torch.version.cuda}, "
              f"cuDNN {torch.backends.cudnn.version()}", file=sys.stderr, flush=True)
    else:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    with open(args.workload, newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        n, cin, h, w = (int(row[k]) for k in ("batch", "in_channels", "height", "width"))
        cout, k, s, p, d, g, op = (int(row[k]) for k in
                                   ("out_channels", "kernel", "stride", "padding", "dilation", "groups",
                                    "output_padding"))
        x = torch.rand(n, cin, h, w, device=device) * 2 - 1
        bias = torch.rand(cout, device=device) * 2 - 1
        if row["op"] == "conv2d":
            weight = torch.rand(cout, cin // g, k, k, device=device) * 2 - 1
            call = lambda: F.conv2d(x, weight, bias, s, p, d, g)
        else:
            weight = torch.rand(cin, cout // g, k, k, device=device) * 2 - 1
            call = lambda: F.conv_transpose2d(x, weight, bias, s, p, op, g, d)
        with torch.no_grad():
            millis = timed(call, args.budget, args.max_samples, synchronize)
        print(f"torch: {row['name']} {millis:.3f} ms", file=sys.stderr, flush=True)
        print(f"{row['name']},{millis:.6f}", flush=True)


if __name__ == "__main__":
    main()
