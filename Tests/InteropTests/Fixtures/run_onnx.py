"""Checks an ONNX file with onnx.checker and runs it with onnxruntime.

    python run_onnx.py MODEL.onnx INPUT.npy OUTPUT.npy

Loads MODEL.onnx, runs onnx.checker.check_model with full_check (which also infers every
shape), runs onnxruntime's CPU session on INPUT.npy fed to the graph's input, saves the first
output to OUTPUT.npy, and prints one JSON object describing the model. Used by
ONNXExportTests.swift through the interop tests' Python (Scripts/python-env.sh).
"""
import json
import sys

import numpy as np
import onnx
import onnxruntime as ort

model_path, input_path, output_path = sys.argv[1:4]
model = onnx.load(model_path)
onnx.checker.check_model(model, full_check=True)
options = ort.SessionOptions()
options.intra_op_num_threads = 1
session = ort.InferenceSession(model_path, options, providers=["CPUExecutionProvider"])
x = np.load(input_path)
(y,) = session.run(None, {session.get_inputs()[0].name: x})
np.save(output_path, y.astype(np.float32))
print(json.dumps({
    "opset": model.opset_import[0].version,
    "ir_version": model.ir_version,
    "inputs": [i.name for i in session.get_inputs()],
    "outputs": [o.name for o in session.get_outputs()],
    "output_shape": list(y.shape),
    "nodes": [n.op_type for n in model.graph.node],
    "initializers": sorted(t.name for t in model.graph.initializer),
    "metadata": {p.key: p.value for p in model.metadata_props},
}))
