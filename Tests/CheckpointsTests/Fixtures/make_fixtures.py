"""Writes the safetensors fixtures of CheckpointsTests with Python's own `safetensors`.

Run from this folder:  python make_fixtures.py   (needs numpy, torch and safetensors;
made with safetensors 0.8.0, numpy 2.4, torch 2.15). It writes the .safetensors files and
expected.json, which lists every tensor's dtype, shape and values (as exact hex floats,
float.hex()) so that the Swift tests compare against Python's numbers, not their own.
Read next: ../SafetensorsPythonTests.swift, which loads these files.
"""

import json

import numpy as np
import torch
from safetensors.numpy import save_file as save_numpy
from safetensors.torch import save_file as save_torch

expected = {}


def record(file_name, tensors, metadata=None):
    """Lists the tensors' dtypes, shapes and values for expected.json."""
    entries = {}
    for name, array in tensors.items():
        if isinstance(array, torch.Tensor):
            dtype = {torch.bfloat16: "BF16", torch.float32: "F32"}[array.dtype]
            shape = list(array.shape)
            values = [float(v) for v in array.float().flatten().tolist()]
        else:
            dtype = {"float64": "F64", "float32": "F32", "float16": "F16", "int64": "I64", "int32": "I32",
                     "int16": "I16", "int8": "I8", "uint8": "U8", "uint16": "U16", "uint32": "U32",
                     "uint64": "U64", "bool": "BOOL"}[array.dtype.name]
            shape = list(array.shape)
            values = [float(v) for v in array.flatten().tolist()]
        entries[name] = {"dtype": dtype, "shape": shape, "values": [v.hex() for v in values]}
    expected[file_name] = {"metadata": metadata or {}, "tensors": entries}


def formula(count, k):
    """The values the byte-identity fixtures hold, computed the same way in the Swift test:
    ((37 i + 11 k) mod 23 − 11) / 8 for i = 0, 1, … — dyadic, so exact in F32 and F64."""
    return [((37 * i + 11 * k) % 23 - 11) / 8 for i in range(count)]


# 1. F32 and F64 tensors of every shape kind, special values, and one metadata key.
rng = np.random.default_rng(20261121)
specials = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324, 1.7976931348623157e308, -2.2250738585072014e-308])
floats = {
    "scalar32": np.array(np.float32(rng.standard_normal())),
    "scalar64": np.array(rng.standard_normal()),
    "empty32": np.zeros((0,), np.float32),
    "empty64": np.zeros((2, 0, 3), np.float64),
    "vector32": rng.standard_normal(5).astype(np.float32),
    "matrix32": rng.standard_normal((3, 4)).astype(np.float32),
    "block64": rng.standard_normal((2, 3, 4)),
    "specials64": specials,
    "specials32": np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-45, 3.4028234663852886e38, -1.1754943508222875e-38], np.float32),
}
metadata = {"format": "pt"}
save_numpy(floats, "floats.safetensors", metadata=metadata)
record("floats.safetensors", floats, metadata)

# 2. The other dtypes Lumen converts, at their awkward values.
others = {
    "f16": np.array([1.0, -2.0, 65504.0, 2.0 ** -24, 2.0 ** -14, -0.0, np.inf, 0.333251953125], np.float16),
    "i64": np.array([0, -1, 2 ** 53 + 1, -(2 ** 62), 2 ** 63 - 1], np.int64),
    "i32": np.array([[7, -2147483648], [2147483647, 0]], np.int32),
    "i16": np.array([-32768, 32767, 5], np.int16),
    "i8": np.array([-128, 127, -3], np.int8),
    "u8": np.array([0, 255, 9], np.uint8),
    "u16": np.array([65535, 1], np.uint16),
    "u32": np.array([4294967295, 2], np.uint32),
    "u64": np.array([18446744073709551615, 3], np.uint64),
    "flags": np.array([True, False, True], np.bool_),
}
save_numpy(others, "other_dtypes.safetensors")
record("other_dtypes.safetensors", others)

bf16 = {"bf16": torch.tensor([1.0, -5.0, 3.140625, 1e38, -1e-38, 0.0], dtype=torch.bfloat16)}
save_torch(bf16, "bfloat16.safetensors")
record("bfloat16.safetensors", bf16)

# 3. A PyTorch model's state_dict: Linear(3, 4), ReLU, Linear(4, 2) with PyTorch's default
#    initialisation, and its output for a fixed input, for Swift to reproduce.
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
state = {name: tensor.detach().contiguous() for name, tensor in model.state_dict().items()}
save_torch(state, "torch_mlp.safetensors", metadata={"epoch": "5"})
record("torch_mlp.safetensors", state, {"epoch": "5"})
inputs = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
with torch.no_grad():
    outputs = model(inputs)
expected["torch_mlp.safetensors"]["input"] = [float(v).hex() for v in inputs.flatten().tolist()]
expected["torch_mlp.safetensors"]["output"] = [float(v).hex() for v in outputs.flatten().tolist()]

# 4. For byte-for-byte comparison with Lumen's writer: mixed F64/F32, names that sort
#    differently as bytes and as numbers, an empty tensor, a scalar, and one metadata key
#    with characters that must be escaped (the reference orders several keys by hash, so
#    only one key gives reproducible bytes).
layout_shapes = [("0.weight", "F32", [4, 3]), ("0.bias", "F32", [4]), ("2.weight", "F32", [2, 4]),
                 ("10.bias", "F32", [2]), ("scale", "F64", []), ("empty", "F32", [0, 3]),
                 ("B", "F64", [3]), ("\u00e9", "F32", [1]), ("a_", "F32", [1]), ("a.", "F32", [1])]
layout = {}
for k, (name, dtype, shape) in enumerate(layout_shapes):
    count = int(np.prod(shape)) if shape else 1
    layout[name] = np.array(formula(count, k), np.float32 if dtype == "F32" else np.float64).reshape(shape)
save_numpy(layout, "layout.safetensors", metadata={"note": "quote \" backslash \\ tab \t caf\u00e9"})
save_numpy(layout, "layout_no_metadata.safetensors")
save_numpy({}, "empty_with_metadata.safetensors", metadata={"k": "v"})

with open("expected.json", "w") as out:
    json.dump(expected, out, indent=1, sort_keys=True)
    out.write("\n")
