"""Writes state_dicts as PyTorch saves them with safetensors (save_file(model.state_dict(),
path): PyTorch's names, no Lumen metadata, no optimizer state) for the digits-cnn model,

    nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                  nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                  nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))

with numpy (safetensors.numpy writes the same bytes; torch is not needed), and lists their
values as exact hex floats so that the Swift test compares against Python's numbers.

    python pytorch_state_dict.py FOLDER

exact.safetensors holds every tensor (3.weight as F16, as a half-precision save would);
partial.safetensors is the same body for a 5-class task: 9.weight [5, 64], no 9.bias, plus
a batch-norm counter (ignored) and a tensor of another model (unexpected).
Used by TransferTests.swift.
"""
import json
import sys

import numpy as np
from safetensors.numpy import save_file

folder = sys.argv[1]
rng = np.random.default_rng(18)
shapes = {"0.weight": (16, 1, 3, 3), "0.bias": (16,), "3.weight": (32, 16, 3, 3), "3.bias": (32,),
          "7.weight": (64, 128), "7.bias": (64,), "9.weight": (10, 64), "9.bias": (10,)}
exact = {name: (rng.standard_normal(shape) * 0.1).astype(np.float32) for name, shape in shapes.items()}
exact["3.weight"] = exact["3.weight"].astype(np.float16)
save_file(exact, folder + "/exact.safetensors")

partial = {name: array for name, array in exact.items() if not name.startswith("9.")}
partial["9.weight"] = rng.standard_normal((5, 64)).astype(np.float32)
partial["1.num_batches_tracked"] = np.array(7, dtype=np.int64)
partial["classifier.weight"] = np.zeros((2, 2), np.float32)
save_file(partial, folder + "/partial.safetensors")

print(json.dumps({name: [float(v).hex() for v in array.astype(np.float64).flatten()] for name, array in exact.items()}))
