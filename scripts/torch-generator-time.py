#!/usr/bin/python3
"""Time a jconv network in PyTorch on the CPU, for the README's per-image figures beside `jconv generate`.

Usage:
    /usr/bin/python3 scripts/torch-generator-time.py [MODEL_DIR] [--batch N] [--runs R]

MODEL_DIR holds net.json and net.safetensors (default: the shipped digits generator,
src/jconv-cli/main/resources/dev/jconv/models/digits) and latent.npy, whose per-image shape gives the input's. The network is
rebuilt from net.json alone (the public format), its weights read from net.safetensors with numpy, and its output on
latent.npy checked against expected.npy when present, so the timing is of the same network jconv runs. Timing: eval
mode, torch.no_grad(), threads = CPU cores, one warm-up batch, then R batches of N latents from N(0, 1); prints
min/median/max per batch and the median per image.
"""

import argparse
import json
import os
import statistics
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn

SCRIPT_DIR = os.path.dirname(os.path.abspath(__file__))
DEFAULT_MODEL = os.path.join(SCRIPT_DIR, "..", "src", "jconv-cli", "main", "resources", "dev", "jconv", "models", "digits")
DTYPES = {"F64": np.float64, "F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32}


def read_safetensors(path):
    """{name: torch.Tensor}; BF16 is widened through its upper 16 bits."""
    with open(path, "rb") as f:
        data = f.read()
    (header_length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + header_length])
    base = 8 + header_length
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        raw = data[base + begin:base + end]
        if entry["dtype"] == "BF16":
            values = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            values = np.frombuffer(raw, dtype=np.dtype(DTYPES[entry["dtype"]]).newbyteorder("<"))
        tensors[name] = torch.from_numpy(values.reshape(entry["shape"]).copy())
    return tensors


def build(layer):
    kind = layer.pop("type")
    for key in ("kernel_size", "stride", "padding", "dilation", "output_padding"):
        if isinstance(layer.get(key), list):
            layer[key] = tuple(layer[key])
    constructors = {"Conv2d": nn.Conv2d, "ConvTranspose2d": nn.ConvTranspose2d, "BatchNorm2d": nn.BatchNorm2d,
                    "ReLU": nn.ReLU, "LeakyReLU": nn.LeakyReLU, "ReLU6": nn.ReLU6, "Sigmoid": nn.Sigmoid,
                    "Tanh": nn.Tanh, "SiLU": nn.SiLU, "GELU": nn.GELU, "Hardswish": nn.Hardswish,
                    "Dropout": nn.Dropout, "Identity": nn.Identity}
    return constructors[kind](**layer)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", nargs="?", default=DEFAULT_MODEL)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    torch.set_num_threads(os.cpu_count())
    with open(os.path.join(args.model, "net.json")) as f:
        spec = json.load(f)
    net = nn.Sequential(*[build(dict(layer)) for layer in spec["layers"]])
    net.load_state_dict(read_safetensors(os.path.join(args.model, "net.safetensors")))
    net.eval()
    latent = torch.from_numpy(np.load(os.path.join(args.model, "latent.npy")))
    expected_path = os.path.join(args.model, "expected.npy")
    with torch.no_grad():
        if os.path.exists(expected_path):
            difference = (net(latent) - torch.from_numpy(np.load(expected_path))).abs().max().item()
            print(f"rebuilt from net.json: worst difference from expected.npy {difference:.2e}")
        torch.manual_seed(0)
        batch = torch.randn((args.batch,) + tuple(latent.shape[1:]))
        net(batch)
        millis = []
        for _ in range(args.runs):
            start = time.perf_counter()
            net(batch)
            millis.append((time.perf_counter() - start) * 1e3)
    millis.sort()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads: batch of {args.batch}:"
          f" min/median/max {millis[0]:.2f}/{statistics.median(millis):.2f}/{millis[-1]:.2f} ms;"
          f" per image {statistics.median(millis) / args.batch:.3f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
