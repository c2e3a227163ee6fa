# make_names_gpt_fixture.py — PyTorch's numbers for names-gpt, for NamesGPTTorchFixtureTests.
#
# The model is Scripts/names_gpt_torch.py's TinyGPT (names-gpt's architecture in PyTorch),
# initialized by PyTorch itself (torch.manual_seed(0)). Written here:
#   names-gpt-torch.safetensors  its initial weights, under Lumen's names (0.token.weight, …,
#                                5.bias), float32: Lumen loads them into Recipe.namesGPT's model;
#   names-gpt-torch.json         the validation NLL (nats per character, all 3,625 validation
#                                examples) of those weights, then 5 Adam steps (lr 0.005, PyTorch's
#                                defaults otherwise) on the training batches listed by example
#                                index, with each step's loss and the validation NLL after them.
# The batches are the first five of names_data.epoch_order(1000, n): the data order of
# `lumen train names-gpt --seed 0`'s first epoch.
#
# Run: /tmp/peers/bin/python Tests/TrainingTests/Fixtures/make_names_gpt_fixture.py

import json
import os
import struct
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "Scripts"))
import names_data  # noqa: E402
from names_gpt_torch import BLOCK, TinyGPT, nll, tensors  # noqa: E402

torch.set_num_threads(1)


def lumen_names(model):
    """PyTorch's parameter names → Lumen's (the inverse of TinyGPT.load_lumen's map)."""
    out = {"token.weight": "0.token.weight", "position.weight": "0.position.weight",
           "norm.weight": "4.weight", "norm.bias": "4.bias", "head.weight": "5.weight", "head.bias": "5.bias"}
    for k in model.state_dict():
        if k.startswith("blocks."):
            index, rest = k.split(".", 2)[1:]
            out[k] = f"{int(index) + 1}.{rest}"
    return out


def write_safetensors(path, named):
    """float32 tensors by name: an 8-byte little-endian header length, the JSON header, the data."""
    header, blobs, offset = {}, [], 0
    for name in sorted(named):
        data = named[name].detach().contiguous().to(torch.float32).numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(named[name].shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def main():
    torch.manual_seed(0)
    model = TinyGPT()
    names = lumen_names(model)
    state = {names[k]: v for k, v in model.state_dict().items() if k != "mask"}
    write_safetensors(os.path.join(HERE, "names-gpt-torch.safetensors"), state)

    train, validation, _ = names_data.split()
    (xt, yt), (xv, yv) = (tensors(names_data.examples(part, BLOCK)) for part in (train, validation))
    order = names_data.epoch_order(1000, len(yt))
    batches = [order[k * 64:(k + 1) * 64] for k in range(5)]
    before = nll(model, xv, yv)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.005)
    losses = []
    for batch in batches:
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(xt[batch]), yt[batch])
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    fixture = {"torch": torch.__version__, "trainExamples": len(yt), "validationExamples": len(yv),
               "validationNLL": before, "batches": batches, "learningRate": 0.005, "losses": losses,
               "validationNLLAfter": nll(model, xv, yv)}
    with open(os.path.join(HERE, "names-gpt-torch.json"), "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")
    print(json.dumps({k: v for k, v in fixture.items() if k != "batches"}))


if __name__ == "__main__":
    main()
