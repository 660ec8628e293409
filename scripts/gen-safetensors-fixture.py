#!/usr/bin/python3
"""Write src/jconv/test/resources/safetensors/torch-dtypes.safetensors for SafetensorsTest.

Usage:
    /usr/bin/python3 scripts/gen-safetensors-fixture.py

The same 54 values stored as F64, F32, F16 and BF16 ("f64", "f32", "f16", "bf16"), each beside PyTorch's own
float32 conversion of it ("<name>_as_f32", stored as F32), plus an I64 tensor. The values include zeros of
both signs, infinities, NaN, the largest half, half and bfloat16 subnormals, and random values over 16
orders of magnitude, so the Java reader's dtype conversions are checked against PyTorch's, bit for bit.
Deterministic (fixed seed); requires Debian's python3-torch and numpy.
"""

import importlib.util
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("export_sequential", os.path.join(HERE, "export-sequential.py"))
export_sequential = importlib.util.module_from_spec(spec)
spec.loader.exec_module(export_sequential)

generator = torch.Generator().manual_seed(20240612)
special = torch.tensor([0.0, -0.0, 1.0, -1.0, 65504.0, 65520.0, 6e-8, -3e-5, 1e-7, float("inf"), float("-inf"),
                        float("nan"), 1e-40, -3e38], dtype=torch.float64)
scale = 10.0 ** torch.randint(-8, 8, (40,), generator=generator).double()
random = torch.randn(40, generator=generator, dtype=torch.float64) * scale
f64 = torch.cat([special, random]).reshape(2, 3, 9) * (1 + 1e-12)  # digits a float32 must round away

tensors = {}
for name, dtype in [("f64", torch.float64), ("f32", torch.float32), ("f16", torch.float16),
                    ("bf16", torch.bfloat16)]:
    stored = f64.to(dtype)
    tensors[name] = stored
    tensors[name + "_as_f32"] = stored.float()
tensors["i64"] = torch.arange(-3, 3, dtype=torch.int64)

out = os.path.join(HERE, "..", "src", "jconv", "test", "resources", "safetensors", "torch-dtypes.safetensors")
export_sequential.write_safetensors(out, tensors, {"format": "pt"})
print("wrote", os.path.normpath(out), os.path.getsize(out), "bytes")
