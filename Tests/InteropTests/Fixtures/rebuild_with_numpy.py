"""Rebuilds a Lumen checkpoint's model from the checkpoint alone, in plain numpy, and runs it.

    python rebuild_with_numpy.py CHECKPOINT.safetensors INPUT.npy OUTPUT.npy

Reads the tensors and the metadata with safetensors, builds the layers that
"lumen.architecture" lists (each {"kind": {settings}}) with the weights under "<index>.<name>",
checks that the input has the shape "lumen.input_shape" describes, runs INPUT.npy through them
in float64, and saves the outputs to OUTPUT.npy. Prints {"layers": [...], "class_names": [...]}.
Written from the layer definitions (PyTorch's), not from Lumen's code: it is the oracle that
shows a checkpoint needs nothing else to be used. Covers the layers of the built-in recipes.
"""
import json
import sys

import numpy as np
from safetensors import safe_open

checkpoint, input_path, output_path = sys.argv[1:4]
with safe_open(checkpoint, "np") as f:
    metadata = f.metadata()
    state = {name: f.get_tensor(name).astype(np.float64) for name in f.keys()}
layers = json.loads(metadata["lumen.architecture"])
input_shape = json.loads(metadata["lumen.input_shape"])
x = np.load(input_path).astype(np.float64)
assert list(x.shape[1:]) == input_shape, (x.shape, input_shape)


def conv2d(x, w, b, stride, padding):
    n, c, h, wd = x.shape
    x = np.pad(x, ((0, 0), (0, 0), (padding[0],) * 2, (padding[1],) * 2))
    k, _, kh, kw = w.shape
    oh = (x.shape[2] - kh) // stride[0] + 1
    ow = (x.shape[3] - kw) // stride[1] + 1
    out = np.zeros((n, k, oh, ow))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, :, i * stride[0]:i * stride[0] + kh, j * stride[1]:j * stride[1] + kw]
            out[:, :, i, j] = np.tensordot(patch, w, axes=([1, 2, 3], [1, 2, 3]))
    return out + (b.reshape(1, -1, 1, 1) if b is not None else 0)


def max_pool2d(x, kernel, stride, padding):
    x = np.pad(x, ((0, 0), (0, 0), (padding[0],) * 2, (padding[1],) * 2), constant_values=-np.inf)
    oh = (x.shape[2] - kernel[0]) // stride[0] + 1
    ow = (x.shape[3] - kernel[1]) // stride[1] + 1
    out = np.zeros(x.shape[:2] + (oh, ow))
    for i in range(oh):
        for j in range(ow):
            window = x[:, :, i * stride[0]:i * stride[0] + kernel[0], j * stride[1]:j * stride[1] + kernel[1]]
            out[:, :, i, j] = window.max(axis=(2, 3))
    return out


kinds = []
for index, layer in enumerate(layers):
    (kind, settings), = layer.items()
    kinds.append(kind)
    weight, bias = state.get(f"{index}.weight"), state.get(f"{index}.bias")
    if kind == "linear":
        x = x @ weight.T + (bias if bias is not None else 0)
    elif kind == "conv2d":
        x = conv2d(x, weight, bias, settings["stride"], settings["padding"])
    elif kind == "maxPool2d":
        x = max_pool2d(x, settings["kernelSize"], settings["stride"], settings["padding"])
    elif kind == "flatten":
        x = x.reshape(x.shape[0], -1)
    elif kind == "relu":
        x = np.maximum(x, 0)
    elif kind == "tanh":
        x = np.tanh(x)
    elif kind in ("dropout", "identity"):
        pass
    else:
        raise SystemExit(f"layer {index}: {kind} is not covered by this script")
np.save(output_path, x.astype(np.float32))
print(json.dumps({"layers": kinds, "class_names": json.loads(metadata["lumen.class_names"])}))
