#!/usr/bin/python3
"""Times a jconv workload CSV in PyTorch, for `jconv bench --compare-torch` (scripts/bench.sh).

usage: /usr/bin/python3 scripts/torch-bench.py WORKLOAD.csv [--threads N] [--budget SECONDS]

Prints one line per shape: `name,torch_ms` (the median wall time of one forward call, bias on, under
torch.no_grad()), sampling until the median is stable, as jconv's own timer does. Progress goes to stderr.
Exits 3 when torch cannot be imported, so the caller can say why the comparison is missing.
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


def timed(call, budget, max_samples):
    for _ in range(3):
        call()
    samples = []
    previous = float("nan")
    start = time.perf_counter()
    while len(samples) < max_samples:
        for _ in range(ROUND):
            begin = time.perf_counter()
            call()
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
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    with open(args.workload, newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        n, cin, h, w = (int(row[k]) for k in ("batch", "in_channels", "height", "width"))
        cout, k, s, p, d, g, op = (int(row[k]) for k in
                                   ("out_channels", "kernel", "stride", "padding", "dilation", "groups",
                                    "output_padding"))
        x = torch.rand(n, cin, h, w) * 2 - 1
        bias = torch.rand(cout) * 2 - 1
        if row["op"] == "conv2d":
            weight = torch.rand(cout, cin // g, k, k) * 2 - 1
            call = lambda: F.conv2d(x, weight, bias, s, p, d, g)
        else:
            weight = torch.rand(cin, cout // g, k, k) * 2 - 1
            call = lambda: F.conv_transpose2d(x, weight, bias, s, p, op, g, d)
        with torch.no_grad():
            millis = timed(call, args.budget, args.max_samples)
        print(f"torch: {row['name']} {millis:.3f} ms", file=sys.stderr, flush=True)
        print(f"{row['name']},{millis:.6f}", flush=True)


if __name__ == "__main__":
    main()
