# names_gpt_torch.py — the PyTorch peer of `lumen train names-gpt`: the same model (token and
# position embeddings, two causal pre-norm Transformer blocks, last position, LayerNorm, Linear),
# the same initial weights (read from a Lumen checkpoint), the same data and batch order
# (Scripts/names_data.py: the split by seed 1990, and epoch e shuffled by
# epoch_order(seed + 1000 + e)), Adam with PyTorch's defaults, float32, one thread.
#
# The initial weights: a Lumen checkpoint whose training did not move them, made by
#   .build/release/lumen train names-gpt --epochs 1 --lr 1e-30 -o /tmp/names-gpt-init
# (Adam's first steps are about lr in size, and w + 1e-30 rounds back to w in Float).
#
# Run: /tmp/peers/bin/python Scripts/names_gpt_torch.py /tmp/names-gpt-init/model.safetensors [epochs] [lr]
# It prints each epoch's training loss, validation NLL and time, then the test NLL.

import json
import struct
import sys
import time

import torch
from torch import nn

import names_data

torch.set_num_threads(1)
BLOCK, WIDTH, HEADS, LAYERS, VOCAB, BATCH, SEED = 8, 32, 4, 2, 27, 64, 0


def load_file(path):
    """A safetensors file's float32 tensors by name (the format: an 8-byte little-endian header
    length, a JSON header of dtype, shape and byte offsets, then the raw data)."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    out = {}
    for name, entry in header.items():
        if name == "__metadata__" or entry["dtype"] != "F32":
            continue
        begin, end = entry["data_offsets"]
        out[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32).reshape(entry["shape"])
    return out


class TinyGPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.token = nn.Embedding(VOCAB, WIDTH)
        self.position = nn.Embedding(BLOCK, WIDTH)
        self.blocks = nn.ModuleList([
            nn.TransformerEncoderLayer(WIDTH, HEADS, 4 * WIDTH, dropout=0.0, activation="gelu", norm_first=True,
                                       batch_first=True) for _ in range(LAYERS)])
        self.norm = nn.LayerNorm(WIDTH)
        self.head = nn.Linear(WIDTH, VOCAB)
        self.register_buffer("mask", torch.triu(torch.full((BLOCK, BLOCK), float("-inf")), diagonal=1))

    def forward(self, ids):
        x = self.token(ids) + self.position.weight[: ids.shape[1]]
        for block in self.blocks:
            x = block(x, src_mask=self.mask[: ids.shape[1], : ids.shape[1]])
        return self.head(self.norm(x[:, -1]))

    def load_lumen(self, path):
        """Lumen's names: 0.token.weight, 0.position.weight, 1.… and 2.… (the blocks, with
        PyTorch's TransformerEncoderLayer names), 4.weight/4.bias (LayerNorm), 5.weight/5.bias."""
        lumen = {k: v for k, v in load_file(path).items() if not k.startswith("__optimizer__.")}
        mine = {"token.weight": "0.token.weight", "position.weight": "0.position.weight",
                "norm.weight": "4.weight", "norm.bias": "4.bias", "head.weight": "5.weight", "head.bias": "5.bias"}
        for k in self.state_dict():
            if k.startswith("blocks."):
                index, rest = k.split(".", 2)[1:]
                mine[k] = f"{int(index) + 1}.{rest}"
        missing = [k for k in self.state_dict() if k != "mask" and mine.get(k) not in lumen]
        assert not missing, missing
        self.load_state_dict({k: lumen[mine[k]] for k in mine} | {"mask": self.mask})


def tensors(pairs):
    return torch.tensor([c for c, _ in pairs], dtype=torch.long), torch.tensor([n for _, n in pairs], dtype=torch.long)


def nll(model, x, y):
    with torch.no_grad():
        total = 0.0
        for start in range(0, len(y), 500):
            total += nn.functional.cross_entropy(model(x[start:start + 500]), y[start:start + 500], reduction="sum").item()
    return total / len(y)


def main():
    path = sys.argv[1]
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    lr = float(sys.argv[3]) if len(sys.argv) > 3 else 0.005
    train, validation, test = names_data.split()
    (xt, yt), (xv, yv), (xs, ys) = (tensors(names_data.examples(part, BLOCK)) for part in (train, validation, test))
    model = TinyGPT()
    model.load_lumen(path)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    print(f"torch {torch.__version__}, 1 thread; initial validation NLL {nll(model, xv, yv):.4f}")
    start = time.perf_counter()
    for epoch in range(epochs):
        order = torch.tensor(names_data.epoch_order(SEED + 1000 + epoch, len(yt)))
        began, seen, loss_sum = time.perf_counter(), 0, 0.0
        for first in range(0, len(yt), BATCH):
            batch = order[first:first + BATCH]
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(xt[batch]), yt[batch])
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(batch)
            seen += len(batch)
        print(f"epoch {epoch + 1}/{epochs}  loss {loss_sum / seen:.4f}  validation NLL {nll(model, xv, yv):.4f}  "
              f"{time.perf_counter() - began:.2f} s")
    print(f"done in {time.perf_counter() - start:.1f} s; validation NLL {nll(model, xv, yv):.4f}, test NLL {nll(model, xs, ys):.4f}")


if __name__ == "__main__":
    main()
