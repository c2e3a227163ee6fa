# recipes_torch.py — the PyTorch peer of `lumen-bench recipes` (and of W7): one epoch of a
# `lumen train` recipe with the same model, the same initial weights, the same data in the
# same batch order and the same optimizer, float32, on one thread unless PEER_THREADS says
# otherwise.
#
# Everything comes from a bundle that `lumen-bench measure recipe NAME --dir DIR --export`
# wrote into DIR/NAME:
#   meta.json          recipe, batch size, learning rate, optimizer, example shape, counts
#   x.f32, y.i64       the training examples and labels (little-endian), Lumen's features
#   order.i64          epoch 0's example order (Lumen's DataLoader: epoch_order(seed + 1000))
#   model.safetensors  the initial weights, under Lumen's parameter names
#   (gan-2d: real.f32 and noise.f32, every step's real batch and its two noise batches)
#
# Timed, as `Trainer.trainEpoch` times Lumen (the evaluation after the epoch is not):
# gathering each batch, zero_grad, forward, cross-entropy, reading the loss and the
# number of correct predictions out, backward, the optimizer's step.
# Output: one line `RESULT peer=torch recipe=… seconds=… train_loss=… steps=…`.
#
# Run: /tmp/peers/bin/python Sources/LumenBench/peers/recipes_torch.py DIR/NAME [--steps N]

import json
import os
import struct
import sys
import time

THREADS = int(os.environ.get("PEER_THREADS", "1"))
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = str(THREADS)

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

torch.set_num_threads(THREADS)


def load_safetensors(path):
    """A safetensors file's float32 tensors by name: an 8-byte little-endian header length, a
    JSON header of dtype, shape and byte offsets, then the raw data."""
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


def mlp(widths):
    """Linear layers with a ReLU between each two: indices 0, 2, 4, … as Lumen's Sequential."""
    layers = []
    for index, (a, b) in enumerate(zip(widths, widths[1:])):
        if index > 0:
            layers.append(nn.ReLU())
        layers.append(nn.Linear(a, b))
    return nn.Sequential(*layers)


def digits_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 2 * 2, 64), nn.ReLU(), nn.Linear(64, 10))


class NamesLSTM(nn.Module):
    """TokenEmbedding 27 → 24, LSTM 24 → 96 (batch first), the last step, Linear 96 → 27."""
    lumen_names = {"embed.weight": "0.token.weight", "head.weight": "3.weight", "head.bias": "3.bias"}

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(27, 24)
        self.lstm = nn.LSTM(24, 96, batch_first=True)
        self.head = nn.Linear(96, 27)

    def forward(self, ids):
        out, _ = self.lstm(self.embed(ids))
        return self.head(out[:, -1])

    def lumen_name(self, name):
        return self.lumen_names.get(name) or "1." + name.split(".", 1)[1]


class NamesGPT(nn.Module):
    """Token and position embeddings (32 wide), two causal pre-norm Transformer blocks (4 heads,
    MLP 32 → 128 → 32, GELU, no dropout), the last position, LayerNorm, Linear 32 → 27: the
    model of Scripts/names_gpt_torch.py."""
    lumen_names = {"token.weight": "0.token.weight", "position.weight": "0.position.weight",
                   "norm.weight": "4.weight", "norm.bias": "4.bias", "head.weight": "5.weight", "head.bias": "5.bias"}

    def __init__(self, block=8, width=32):
        super().__init__()
        self.token = nn.Embedding(27, width)
        self.position = nn.Embedding(block, width)
        self.blocks = nn.ModuleList([
            nn.TransformerEncoderLayer(width, 4, 4 * width, dropout=0.0, activation="gelu", norm_first=True,
                                       batch_first=True) for _ in range(2)])
        self.norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, 27)
        self.register_buffer("mask", torch.triu(torch.full((block, block), float("-inf")), diagonal=1))

    def forward(self, ids):
        x = self.token(ids) + self.position.weight[: ids.shape[1]]
        for block in self.blocks:
            x = block(x, src_mask=self.mask[: ids.shape[1], : ids.shape[1]])
        return self.head(self.norm(x[:, -1]))

    def lumen_name(self, name):
        if name.startswith("blocks."):
            index, rest = name.split(".", 2)[1:]
            return f"{int(index) + 1}.{rest}"
        return self.lumen_names[name]


def load_weights(model, weights, prefix=""):
    """Copies Lumen's initial weights into `model`; every parameter must be found."""
    rename = getattr(model, "lumen_name", lambda name: name)
    state = {}
    for name, tensor in model.state_dict().items():
        if name == "mask":
            state[name] = tensor
            continue
        source = prefix + rename(name)
        assert source in weights, f"no Lumen weight {source} for {name}"
        assert tuple(weights[source].shape) == tuple(tensor.shape), (name, weights[source].shape, tensor.shape)
        state[name] = weights[source]
    model.load_state_dict(state)


def optimizer_for(kind, parameters, lr, beta1=0.9):
    if kind == "adam":
        return torch.optim.Adam(parameters, lr=lr, betas=(beta1, 0.999), eps=1e-8)
    if kind == "adamw":
        return torch.optim.AdamW(parameters, lr=lr)
    if kind == "momentum":
        return torch.optim.SGD(parameters, lr=lr, momentum=0.9)
    if kind == "sgd":
        return torch.optim.SGD(parameters, lr=lr)
    if kind == "rmsprop":
        return torch.optim.RMSprop(parameters, lr=lr)
    raise SystemExit(f"recipes_torch.py: unknown optimizer {kind}")


def classifier_epoch(bundle, meta, steps_limit):
    name = meta["recipe"]
    model = {"digits-cnn": digits_cnn, "names-lstm": NamesLSTM, "names-gpt": NamesGPT}.get(name)
    model = model() if model else mlp(meta["widths"])
    load_weights(model, load_safetensors(os.path.join(bundle, "model.safetensors")))
    model.train()
    x = torch.from_numpy(np.fromfile(os.path.join(bundle, "x.f32"), dtype="<f4"))
    x = x.reshape([meta["count"]] + meta["example_shape"])
    if name.startswith("names-"):
        x = x.long()
    y = torch.from_numpy(np.fromfile(os.path.join(bundle, "y.i64"), dtype="<i8"))
    order = torch.from_numpy(np.fromfile(os.path.join(bundle, "order.i64"), dtype="<i8"))
    optimizer = optimizer_for(meta["optimizer"], model.parameters(), meta["learning_rate"])
    batch = meta["batch_size"]
    starts = list(range(0, len(order), batch))
    if steps_limit:
        starts = starts[:steps_limit]

    loss_sum, seen, correct = 0.0, 0, 0
    began = time.perf_counter()
    for first in starts:
        index = order[first:first + batch]
        inputs, labels = x[index], y[index]
        optimizer.zero_grad()
        logits = model(inputs)
        loss = nn.functional.cross_entropy(logits, labels)
        value = loss.item()
        correct += (logits.argmax(1) == labels).sum().item()
        loss.backward()
        optimizer.step()
        loss_sum += value * len(index)
        seen += len(index)
    seconds = time.perf_counter() - began
    return seconds, loss_sum / seen, len(starts)


def gan_run(bundle, meta, steps_limit):
    generator, discriminator = mlp([2, 128, 128, 2]), mlp([2, 128, 128, 1])
    weights = load_safetensors(os.path.join(bundle, "model.safetensors"))
    load_weights(generator, weights, "generator.")
    load_weights(discriminator, weights, "discriminator.")
    steps, size = meta["steps"], meta["batch_size"]
    real = torch.from_numpy(np.fromfile(os.path.join(bundle, "real.f32"), dtype="<f4")).reshape(steps, size, 2)
    noise = torch.from_numpy(np.fromfile(os.path.join(bundle, "noise.f32"), dtype="<f4")).reshape(steps, 2, size, 2)
    lr = meta["learning_rate"]
    optimizer_g = optimizer_for("adam", generator.parameters(), lr, beta1=0.5)
    optimizer_d = optimizer_for("adam", discriminator.parameters(), lr, beta1=0.5)
    bce = nn.functional.binary_cross_entropy_with_logits
    ones, zeros = torch.ones(size, 1), torch.zeros(size, 1)
    if steps_limit:
        steps = min(steps, steps_limit)

    total_d = total_g = 0.0
    began = time.perf_counter()
    for step in range(steps):
        optimizer_d.zero_grad()
        fake = generator(noise[step, 0]).detach()
        loss_d = bce(discriminator(real[step]), ones) + bce(discriminator(fake), zeros)
        loss_d.backward()
        optimizer_d.step()
        optimizer_g.zero_grad()
        loss_g = bce(discriminator(generator(noise[step, 1])), ones)
        loss_g.backward()
        optimizer_g.step()
        total_d += loss_d.item()
        total_g += loss_g.item()
    seconds = time.perf_counter() - began
    # The "loss" compared with Lumen's: the discriminator's and generator's mean losses, summed.
    return seconds, (total_d + total_g) / steps, steps


def main():
    if len(sys.argv) < 2:
        raise SystemExit("usage: recipes_torch.py BUNDLE_DIR [--steps N]")
    bundle = sys.argv[1]
    steps_limit = int(sys.argv[sys.argv.index("--steps") + 1]) if "--steps" in sys.argv else None
    with open(os.path.join(bundle, "meta.json")) as f:
        meta = json.load(f)
    run = gan_run if meta["recipe"] == "gan-2d" else classifier_epoch
    seconds, loss, steps = run(bundle, meta, steps_limit)
    print(f"RESULT peer=torch torch={torch.__version__} threads={THREADS} recipe={meta['recipe']} "
          f"seconds={seconds:.6g} ms_per_step={1000 * seconds / steps:.6g} train_loss={loss:.6g} steps={steps}")


if __name__ == "__main__":
    main()
