#!/usr/bin/python3
"""Generate golden test networks: small random nn.Sequential nets and PyTorch's output for each.

Usage:
    /usr/bin/python3 scripts/gen-golden-nets.py [--out DIR]

DIR defaults to src/jconv/test/resources/golden-nets (relative to the repository root). The output directory is
DELETED and rewritten from scratch on every run. Requires Debian's python3-torch and numpy.

Each network is a directory <DIR>/<name>/ holding:
  net.json          the layers, as scripts/export-sequential.py writes them (format jconv-sequential/1)
  net.safetensors   the state_dict: float32, except in f16_weights (F16) and bf16_weights (BF16);
                    num_batches_tracked is int64
  x.npy             the input, float32, [N, C, H, W] (or [C, H, W] for the unbatched case)
  y.npy             PyTorch's eval-mode output, computed in float64 from the stored parameters (for F16/BF16:
                    rounded to that dtype, exactly as stored) and the float32 input, rounded to float32

The nets cover Conv2d (every padding mode, "same" and "valid", stride, dilation, groups, depthwise, with and
without bias), ConvTranspose2d (stride, output_padding, dilation, groups, with and without bias),
BatchNorm2d (after a conv, first, after an activation, affine=False, randomised statistics), every
supported activation both right after a conv and standalone, Dropout and Identity, an unbatched input,
and a net.json with keys left out so that PyTorch's defaults apply. Everything is drawn from
torch.manual_seed(seed) with the seed derived from the network's name, so reruns give the same files.
"""

import argparse
import copy
import hashlib
import importlib.util
import json
import os
import shutil

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "..", "src", "jconv", "test", "resources", "golden-nets")

_spec = importlib.util.spec_from_file_location("export_sequential", os.path.join(HERE, "export-sequential.py"))
export_sequential = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(export_sequential)


def seed_of(name):
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "little")


def randomise_batch_norms(seq):
    """Give every BatchNorm2d statistics and affine parameters far from the identity, so each one matters."""
    for module in seq:
        if isinstance(module, nn.BatchNorm2d):
            n = module.num_features
            module.running_mean.copy_(torch.randn(n) * 0.5)
            module.running_var.copy_(torch.rand(n) * 1.5 + 0.5)
            module.num_batches_tracked.fill_(int(torch.randint(1, 1000, ())))
            if module.affine:
                module.weight.data.copy_(torch.rand(n) + 0.5)
                module.bias.data.copy_(torch.randn(n) * 0.5)


def scale_conv_weights(seq, factor):
    """Widen the pre-activation range so that every region of each activation (ReLU6's clip, Hardswish's
    three pieces, Tanh's saturation) is reached, not only the part near zero that default init produces."""
    for module in seq:
        if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
            module.weight.data.mul_(factor)


# name -> (input shape, input kind: "uniform" in [-1, 1] or "normal" times a scale, conv weight scale, layers)
def networks():
    return {
        "conv_bn_relu": ((2, 3, 8, 8), ("uniform", 1), 1, lambda: [
            nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU()]),
        "conv_padding_modes": ((3, 4, 9, 10), ("normal", 3), 2.5, lambda: [
            nn.Tanh(),
            nn.Conv2d(4, 6, 3, padding=1, padding_mode="reflect"), nn.LeakyReLU(0.2),
            nn.Conv2d(6, 6, 3, stride=2, padding=(1, 2), padding_mode="replicate"), nn.Tanh(),
            nn.Conv2d(6, 4, (3, 2), padding=(2, 1), dilation=(2, 1), padding_mode="circular", bias=False),
            nn.ReLU6()]),
        "conv_same_valid": ((2, 3, 11, 9), ("normal", 3), 3, lambda: [
            nn.GELU(),
            nn.Conv2d(3, 4, (3, 5), padding="same", dilation=2), nn.SiLU(),
            nn.Conv2d(4, 4, 4, padding="same", padding_mode="reflect"), nn.GELU(),
            nn.Conv2d(4, 5, 3, padding="valid", bias=False), nn.GELU(approximate="tanh")]),
        "conv_groups_depthwise": ((2, 8, 8, 8), ("normal", 4), 1.5, lambda: [
            nn.Hardswish(),
            nn.Conv2d(8, 8, 3, padding=1, groups=8), nn.Hardswish(),
            nn.Conv2d(8, 12, 1, groups=4), nn.ReLU6(),
            nn.Conv2d(12, 6, 3, stride=(2, 1), padding=(0, 1), groups=3, bias=False), nn.Sigmoid(),
            nn.Conv2d(6, 12, 3, padding=1, groups=6)]),
        "convtranspose_stride": ((2, 4, 5, 5), ("normal", 2), 1, lambda: [
            nn.LeakyReLU(0.3),
            nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1), nn.BatchNorm2d(6), nn.ReLU(),
            nn.ConvTranspose2d(6, 3, 4, stride=(2, 3), padding=(1, 0), output_padding=(0, 2), bias=False),
            nn.Tanh()]),
        "convtranspose_groups_dilation": ((3, 6, 4, 5), ("normal", 3), 3, lambda: [
            nn.SiLU(),
            nn.ConvTranspose2d(6, 4, 3, stride=2, dilation=2, groups=2, output_padding=1), nn.LeakyReLU(0.05),
            nn.ConvTranspose2d(4, 4, (2, 3), groups=4, bias=False), nn.SiLU(),
            nn.ConvTranspose2d(4, 8, 1, groups=2, padding=0), nn.GELU()]),
        "batchnorm_first_and_after_activation": ((2, 3, 6, 6), ("normal", 1), 1, lambda: [
            nn.BatchNorm2d(3), nn.ReLU(),
            nn.Conv2d(3, 5, 3), nn.SiLU(), nn.BatchNorm2d(5),
            nn.Conv2d(5, 4, 1)]),
        "batchnorm_no_affine": ((2, 3, 7, 5), ("uniform", 1), 1, lambda: [
            nn.Conv2d(3, 6, 3, padding=1), nn.BatchNorm2d(6, affine=False), nn.SiLU(),
            nn.BatchNorm2d(6, eps=1e-3, affine=False), nn.Conv2d(6, 2, 3)]),
        "activations_after_conv_a": ((2, 4, 7, 7), ("normal", 1), 3, lambda: [
            nn.Conv2d(4, 4, 3, padding=1), nn.ReLU(),
            nn.Conv2d(4, 4, 3, padding=1), nn.LeakyReLU(0.25),
            nn.Conv2d(4, 4, 3, padding=1), nn.ReLU6(),
            nn.Conv2d(4, 4, 3, padding=1), nn.Sigmoid(),
            nn.Conv2d(4, 4, 3, padding=1), nn.Tanh()]),
        "activations_after_conv_b": ((2, 4, 7, 7), ("normal", 1), 3, lambda: [
            nn.Conv2d(4, 4, 3, padding=1), nn.SiLU(),
            nn.Conv2d(4, 4, 3, padding=1), nn.GELU(),
            nn.Conv2d(4, 4, 3, padding=1), nn.GELU(approximate="tanh"),
            nn.Conv2d(4, 4, 3, padding=1), nn.Hardswish()]),
        # Activations after activations; other nets start with one (Tanh, GELU, Hardswish, LeakyReLU, SiLU,
        # ReLU6), so every activation also runs standalone on a wide input of both signs.
        "activations_standalone": ((2, 3, 5, 5), ("normal", 4), 1, lambda: [
            nn.Identity(), nn.GELU(approximate="tanh"), nn.Dropout(0.3), nn.ReLU(), nn.ReLU6(), nn.Sigmoid()]),
        "unbatched": ((3, 7, 6), ("normal", 8), 1, lambda: [
            nn.ReLU6(),
            nn.Conv2d(3, 4, 3, stride=2, padding=1), nn.Hardswish(), nn.Dropout(0.5),
            nn.ConvTranspose2d(4, 2, 3, stride=2), nn.Sigmoid()]),
        "omitted_keys": ((2, 3, 6, 6), ("uniform", 1), 2, lambda: [
            nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.LeakyReLU(),
            nn.ConvTranspose2d(4, 3, 2, stride=2), nn.GELU(), nn.Dropout()]),
        "f16_weights": ((2, 3, 6, 6), ("uniform", 1), 2, lambda: [
            nn.Conv2d(3, 6, 3, padding=1), nn.BatchNorm2d(6), nn.ReLU(),
            nn.ConvTranspose2d(6, 2, 4, stride=2, padding=1), nn.Tanh()]),
        "bf16_weights": ((2, 3, 6, 6), ("uniform", 1), 2, lambda: [
            nn.Conv2d(3, 6, 3, padding=1, bias=False), nn.BatchNorm2d(6), nn.SiLU(),
            nn.ConvTranspose2d(6, 2, 4, stride=2, padding=1), nn.Sigmoid()]),
    }


# Which keys omitted_keys leaves out of each layer, so that the reader must apply PyTorch's default.
OMITTED = {
    0: ["stride", "padding", "dilation", "groups", "bias", "padding_mode"],
    1: ["eps", "affine"],
    2: ["negative_slope"],
    3: ["padding", "output_padding", "groups", "bias", "dilation"],
    4: ["approximate"],
    5: ["p"],
}

STORED_DTYPES = {"f16_weights": torch.float16, "bf16_weights": torch.bfloat16}


def omit_default_keys(directory, seq):
    """Rewrite net.json without the keys in OMITTED, after checking each holds PyTorch's default value."""
    path = os.path.join(directory, "net.json")
    with open(path) as f:
        layers = json.load(f)["layers"]
    for index, keys in OMITTED.items():
        module = seq[index]
        required = {"in_channels", "out_channels", "kernel_size", "num_features"}
        arguments = {k: getattr(module, k) for k in required if hasattr(module, k)}
        default = export_sequential.layer_spec(index, type(module)(**arguments))
        for key in keys:
            if layers[index][key] != default[key]:
                raise AssertionError(f"layer {index}: {key}={layers[index][key]} is not PyTorch's default"
                                     f" {default[key]}, so omitting it would change the net")
            del layers[index][key]
    with open(path, "w") as f:
        f.write(export_sequential.net_json(layers))


def make(name, input_shape, input_kind, weight_scale, build, out):
    torch.manual_seed(seed_of(name))
    seq = nn.Sequential(*build())
    scale_conv_weights(seq, weight_scale)
    with torch.no_grad():
        randomise_batch_norms(seq)
    seq.eval()
    kind, scale = input_kind
    x = (torch.rand(input_shape) * 2 - 1) if kind == "uniform" else torch.randn(input_shape) * scale

    directory = os.path.join(out, name)
    stored_dtype = STORED_DTYPES.get(name)
    export_sequential.export(seq, directory, float_dtype=stored_dtype)
    if name == "omitted_keys":
        omit_default_keys(directory, seq)

    # The reference runs in float64 on exactly the parameters that were stored.
    reference = copy.deepcopy(seq).double()
    if stored_dtype is not None:
        state = {k: (v.to(stored_dtype).double() if v.is_floating_point() else v)
                 for k, v in seq.state_dict().items()}
        reference.load_state_dict(state)
    with torch.no_grad():
        y = reference(x.double()).float()
    np.save(os.path.join(directory, "x.npy"), x.numpy().astype("<f4"))
    np.save(os.path.join(directory, "y.npy"), y.numpy().astype("<f4"))
    return tuple(x.shape), tuple(y.shape)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()
    torch.set_num_threads(1)
    out = os.path.normpath(args.out)
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    for name, (input_shape, input_kind, weight_scale, build) in networks().items():
        x_shape, y_shape = make(name, input_shape, input_kind, weight_scale, build, out)
        print(f"{name:40s} x{list(x_shape)} -> y{list(y_shape)}")
    total = sum(os.path.getsize(os.path.join(root, f)) for root, _, files in os.walk(out) for f in files)
    print(f"wrote {len(networks())} networks to {out} ({total} bytes)")


if __name__ == "__main__":
    main()
