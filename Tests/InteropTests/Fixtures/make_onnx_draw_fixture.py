# make_onnx_draw_fixture.py — writes torch_resnet_tiny.onnx, the ONNX file that PyTorch's
# exporter makes of a tiny residual network (a stem convolution, one residual block with batch
# norm and a skip connection, global average pooling, a linear head), for the tests of
# `lumen draw model.onnx` (Tests/InteropTests/ONNXDrawTests.swift). About 6 KB, committed.
#
# Run from the repository root with a Python that has torch and onnx (torch's exporter needs
# onnx), e.g. the benchmark peers' torch with the interop tests' environment on the path:
#
#   PYTHONPATH=$HOME/.cache/lumen-venv/lib/python3.11/site-packages \
#       /tmp/peers/bin/python Tests/InteropTests/Fixtures/make_onnx_draw_fixture.py
import os

import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, x):
        return torch.relu(x + self.conv2(torch.relu(self.bn1(self.conv1(x)))))


class TinyResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 8, 3, padding=1)
        self.block = Block(8)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Linear(8, 10)

    def forward(self, x):
        x = self.block(torch.relu(self.stem(x)))
        return self.head(torch.flatten(self.pool(x), 1))


torch.manual_seed(0)
model = TinyResNet().eval()
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_resnet_tiny.onnx")
torch.onnx.export(model, (torch.zeros(2, 1, 8, 8),), out, dynamo=False, opset_version=17,
                  input_names=["image"], output_names=["logits"], dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}},
                  do_constant_folding=False)
print(out, os.path.getsize(out), "bytes")
