"""Reads a safetensors file that Lumen wrote, with Python's `safetensors`, and prints what it
found as JSON: metadata, and each tensor's dtype, shape and values as exact hex floats.

    python read_with_python.py FILE                 (needs numpy and safetensors)
    python read_with_python.py --torch-mlp FILE X…  (also needs torch)

With --torch-mlp it loads FILE, without the tensors under "__optimizer__.", into PyTorch's
Sequential(Linear(3, 4), ReLU(), Linear(4, 2)) with load_state_dict(strict=True), runs it on
the inputs X (hex floats, rows of 3) and prints the outputs instead.
SafetensorsPythonTests.swift runs this when such a Python is available.
"""

import json
import sys

from safetensors import safe_open
from safetensors.numpy import load_file


def describe(path):
    with safe_open(path, framework="numpy") as handle:
        metadata = handle.metadata() or {}
    tensors = {}
    for name, array in load_file(path).items():
        tensors[name] = {"dtype": str(array.dtype), "shape": list(array.shape),
                         "values": [float(v).hex() for v in array.flatten().tolist()]}
    return {"metadata": metadata, "tensors": tensors}


def torch_mlp(path, inputs):
    import torch
    from safetensors.torch import load_file as load_torch

    state = {k: v for k, v in load_torch(path).items() if not k.startswith("__optimizer__.")}
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    model.load_state_dict(state, strict=True)
    x = torch.tensor([float.fromhex(v) for v in inputs], dtype=torch.float32).reshape(-1, 3)
    with torch.no_grad():
        y = model(x)
    return {"output": [float(v).hex() for v in y.flatten().tolist()]}


if __name__ == "__main__":
    if sys.argv[1] == "--torch-mlp":
        print(json.dumps(torch_mlp(sys.argv[2], sys.argv[3:])))
    else:
        print(json.dumps(describe(sys.argv[1])))
