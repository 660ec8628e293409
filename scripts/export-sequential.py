#!/usr/bin/python3
"""Export a PyTorch nn.Sequential for jconv: net.json (the layers) + net.safetensors (the weights).

Usage as a script, for a Sequential saved whole with torch.save(seq, "model.pt"):
    /usr/bin/python3 scripts/export-sequential.py model.pt OUT_DIR

Usage from another script (the file name has a hyphen, so import it by path):
    import importlib.util
    spec = importlib.util.spec_from_file_location("export_sequential", "scripts/export-sequential.py")
    export_sequential = importlib.util.module_from_spec(spec); spec.loader.exec_module(export_sequential)
    export_sequential.export(seq, "out/dir")

Requires Debian's PyTorch (python3-torch) and numpy; the safetensors package is not needed: the format is
written here (8-byte little-endian header length, JSON header padded with spaces to a multiple of 8, raw
little-endian data), as the reference writer lays it out.

net.json is a public contract, format "jconv-sequential/1":
    {"format": "jconv-sequential/1",
     "layers": [
      {"type": "Conv2d", "in_channels": 16, "out_channels": 1, "kernel_size": [3, 3], "stride": [1, 1],
       "padding": [1, 1], "dilation": [1, 1], "groups": 1, "bias": true, "padding_mode": "zeros"},
      {"type": "Tanh"}]}
One object per layer, in order, with the constructor arguments that affect eval-mode output, named as
PyTorch names them. Conv2d's padding may also be "same" or "valid". Supported types: Conv2d,
ConvTranspose2d, BatchNorm2d, ReLU, LeakyReLU, ReLU6, Sigmoid, Tanh, SiLU, GELU, Hardswish, Dropout,
Identity. A reader fills PyTorch's default for a key that is missing.

net.safetensors holds the Sequential's state_dict under its own names ("0.weight", "1.running_mean",
"1.num_batches_tracked", ...), each tensor in its own dtype (float32 usually; num_batches_tracked int64),
unless export() is given float_dtype, which converts every floating tensor to that dtype.
"""

import json
import os
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn

FORMAT = "jconv-sequential/1"

# torch dtype -> (safetensors dtype name, little-endian numpy dtype of the raw bytes). bfloat16 has no numpy
# type; its bits are written through an int16 view.
_DTYPES = {
    torch.float64: ("F64", "<f8"),
    torch.float32: ("F32", "<f4"),
    torch.float16: ("F16", "<f2"),
    torch.bfloat16: ("BF16", "<i2"),
    torch.int64: ("I64", "<i8"),
    torch.int32: ("I32", "<i4"),
    torch.int16: ("I16", "<i2"),
    torch.int8: ("I8", "<i1"),
    torch.uint8: ("U8", "<u1"),
    torch.bool: ("BOOL", "<u1"),
}


def _pair(value):
    return [int(v) for v in value] if isinstance(value, (tuple, list)) else [int(value), int(value)]


def _conv2d(m):
    padding = m.padding if isinstance(m.padding, str) else _pair(m.padding)
    return {"type": "Conv2d", "in_channels": m.in_channels, "out_channels": m.out_channels,
            "kernel_size": _pair(m.kernel_size), "stride": _pair(m.stride), "padding": padding,
            "dilation": _pair(m.dilation), "groups": m.groups, "bias": m.bias is not None,
            "padding_mode": m.padding_mode}


def _conv_transpose2d(m):
    if m.padding_mode != "zeros":  # PyTorch's constructor refuses it too; checked in case someone set it later
        raise ValueError(f"ConvTranspose2d supports only padding_mode='zeros', but got {m.padding_mode!r}")
    return {"type": "ConvTranspose2d", "in_channels": m.in_channels, "out_channels": m.out_channels,
            "kernel_size": _pair(m.kernel_size), "stride": _pair(m.stride), "padding": _pair(m.padding),
            "output_padding": _pair(m.output_padding), "groups": m.groups, "bias": m.bias is not None,
            "dilation": _pair(m.dilation)}


def _batch_norm2d(m):
    if not m.track_running_stats or m.running_mean is None or m.running_var is None:
        raise ValueError("BatchNorm2d with track_running_stats=False has no running statistics, so in eval mode"
                         " it normalises with each batch's own statistics; jconv runs eval mode with running"
                         " statistics only. Train with track_running_stats=True")
    return {"type": "BatchNorm2d", "num_features": m.num_features, "eps": float(m.eps), "affine": bool(m.affine)}


def _leaky_relu(m):
    return {"type": "LeakyReLU", "negative_slope": float(m.negative_slope)}


def _gelu(m):
    return {"type": "GELU", "approximate": m.approximate}


def _dropout(m):
    return {"type": "Dropout", "p": float(m.p)}


def _plain(name):
    return lambda m: {"type": name}


# Exact types only: a subclass may override forward(), and then the exported description would be wrong.
_LAYERS = {
    nn.Conv2d: _conv2d,
    nn.ConvTranspose2d: _conv_transpose2d,
    nn.BatchNorm2d: _batch_norm2d,
    nn.LeakyReLU: _leaky_relu,
    nn.GELU: _gelu,
    nn.Dropout: _dropout,
    nn.ReLU: _plain("ReLU"),
    nn.ReLU6: _plain("ReLU6"),
    nn.Sigmoid: _plain("Sigmoid"),
    nn.Tanh: _plain("Tanh"),
    nn.SiLU: _plain("SiLU"),
    nn.Hardswish: _plain("Hardswish"),
    nn.Identity: _plain("Identity"),
}


def layer_spec(index, module):
    """The net.json object for one layer; ValueError naming the layer for anything jconv cannot run."""
    describe = _LAYERS.get(type(module))
    if describe is None:
        supported = ", ".join(t.__name__ for t in _LAYERS)
        raise ValueError(f"layer {index} is a {type(module).__module__}.{type(module).__name__}, which"
                         f" {FORMAT} does not support; supported are exactly these classes, not subclasses:"
                         f" {supported}")
    try:
        return describe(module)
    except ValueError as e:
        raise ValueError(f"layer {index} ({type(module).__name__}): {e}") from None


def write_safetensors(path, tensors, metadata=None):
    """Write {name: torch.Tensor} to path in the safetensors format, each tensor in its own dtype."""
    header = {}
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    chunks = []
    offset = 0
    for name, tensor in tensors.items():
        tensor = tensor.detach().cpu().contiguous()
        if tensor.dtype not in _DTYPES:
            raise ValueError(f"tensor {name!r} has dtype {tensor.dtype}, which this writer does not support;"
                             f" supported: {', '.join(str(d) for d in _DTYPES)}")
        dtype_name, numpy_dtype = _DTYPES[tensor.dtype]
        if tensor.dtype == torch.bfloat16:
            tensor = tensor.view(torch.int16)
        data = np.ascontiguousarray(tensor.numpy().astype(numpy_dtype, copy=False)).tobytes()
        header[name] = {"dtype": dtype_name, "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    _write_atomically(path, [len(text).to_bytes(8, "little"), text] + chunks)


def _write_atomically(path, chunks):
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix="." + os.path.basename(path), suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def net_json(layers):
    """The net.json text: one layer per line, so a diff shows which layer changed."""
    lines = ",\n".join("  " + json.dumps(layer) for layer in layers)
    return '{"format": "%s",\n "layers": [\n%s]}\n' % (FORMAT, lines)


def export(seq, directory, float_dtype=None):
    """Write seq's net.json and net.safetensors into directory (created when missing).

    float_dtype (e.g. torch.float16 or torch.bfloat16) converts every floating-point tensor of the state_dict
    before writing; integer tensors (num_batches_tracked) keep their dtype.
    Returns the list of layer objects written to net.json.
    """
    if type(seq) is not nn.Sequential:
        raise ValueError(f"export takes an nn.Sequential, but got {type(seq).__name__}")
    layers = [layer_spec(index, module) for index, module in enumerate(seq)]
    state = seq.state_dict()
    tensors = {}
    for name, tensor in state.items():
        if float_dtype is not None and tensor.is_floating_point():
            tensor = tensor.to(float_dtype)
        tensors[name] = tensor
    os.makedirs(directory, exist_ok=True)
    write_safetensors(os.path.join(directory, "net.safetensors"), tensors, {"format": "pt"})
    text = net_json(layers).encode("utf-8")
    _write_atomically(os.path.join(directory, "net.json"), [text])
    return layers


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    model = torch.load(argv[1], map_location="cpu")
    model.eval()
    layers = export(model, argv[2])
    print(f"wrote {len(layers)} layers to {argv[2]}/net.json and net.safetensors")


if __name__ == "__main__":
    main(sys.argv)
