# make_fixtures.py — PyTorch as a second oracle for Lumen's layers. For each case it builds the
# PyTorch module (float64, seeded), runs it on a seeded input, and records the module's
# state_dict (names in PyTorch's order), the input, the output, and the gradients of
# L = sum(output * R) for a recorded random R with respect to the input and every parameter.
# TorchFixtureTests.swift loads the state into the Lumen layer *by name* and must reproduce
# the output and the gradients.
#
# Run (needs torch): /tmp/peers/bin/python Tests/LayersTests/Fixtures/make_fixtures.py
# It writes torch-fixtures.json next to itself.

import json
import os

import torch
from torch import nn

torch.set_default_dtype(torch.float64)
torch.manual_seed(20261121)


def flat(t):
    return {"shape": list(t.shape), "data": t.detach().reshape(-1).tolist()}


def randomize(module, names):
    """Norm layers start at γ = 1, β = 0 and attention biases at 0; give them random values
    so that the test sees them used."""
    params = dict(module.named_parameters())
    with torch.no_grad():
        for name in names:
            params[name].uniform_(-0.8, 0.8) if "bias" in name else params[name].uniform_(0.5, 1.5)


def case(name, module, inputs, train=True, forward=None, ids=None):
    module.train(train)
    module.zero_grad(set_to_none=True)  # a module used by two cases must not accumulate
    state = [[k, flat(v)] for k, v in module.state_dict().items() if not k.endswith("num_batches_tracked")]
    leaves = [x.clone().requires_grad_(True) for x in inputs]
    out = forward(module, *leaves) if forward else module(*leaves)
    weights = torch.rand_like(out) * 2 - 1
    (out * weights).sum().backward()
    record = {
        "name": name, "train": train, "state": state,
        "inputs": [flat(x) for x in inputs], "ids": ids,
        "weights": flat(weights), "output": flat(out),
        "input_grads": [flat(x.grad) for x in leaves],
        "parameter_grads": [[k, flat(p.grad)] for k, p in module.named_parameters()],
        "state_after": [[k, flat(v)] for k, v in module.state_dict().items() if not k.endswith("num_batches_tracked")],
    }
    return record


cases = []

cases.append(case("linear", nn.Linear(5, 3), [torch.rand(4, 5) * 2 - 1]))

conv_stack = nn.Sequential(
    nn.Conv2d(2, 3, (3, 2), stride=(2, 1), padding=(1, 1)), nn.BatchNorm2d(3), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(3, 2, 2, padding=1), nn.AvgPool2d(2, stride=1), nn.Flatten(), nn.Linear(16, 4))
randomize(conv_stack, ["1.weight", "1.bias"])
cases.append(case("conv_stack_train", conv_stack, [torch.rand(2, 2, 9, 7) * 2 - 1]))
with torch.no_grad():  # non-trivial running statistics for the eval case
    conv_stack[1].running_mean.uniform_(-0.5, 0.5)
    conv_stack[1].running_var.uniform_(0.5, 2)
cases.append(case("conv_stack_eval", conv_stack, [torch.rand(2, 2, 9, 7) * 2 - 1], train=False))

bn1d = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3), nn.Tanh(), nn.Linear(3, 2))
randomize(bn1d, ["1.weight", "1.bias"])
cases.append(case("batchnorm1d_train", bn1d, [torch.rand(6, 4) * 2 - 1]))

mlp = nn.Sequential(nn.LayerNorm(5), nn.Linear(5, 6), nn.GELU(), nn.Linear(6, 6), nn.LeakyReLU(0.1),
                    nn.Linear(6, 3), nn.Softmax(dim=-1))
randomize(mlp, ["0.weight", "0.bias"])
cases.append(case("layernorm_mlp", mlp, [torch.rand(3, 5) * 4 - 2]))

ids = [[1, 3, 1], [6, 0, 2]]
cases.append(case("embedding", nn.Embedding(7, 3), [], forward=lambda m: m(torch.tensor(ids)), ids=ids))

cases.append(case("rnn_cell", nn.RNNCell(3, 4), [torch.rand(2, 3) * 2 - 1, torch.rand(2, 4) * 2 - 1]))

cases.append(case("lstm_cell", nn.LSTMCell(3, 4),
                  [torch.rand(2, 3) * 2 - 1, torch.rand(2, 4) * 2 - 1, torch.rand(2, 4) * 2 - 1],
                  forward=lambda m, x, h, c: torch.stack(m(x, (h, c)))))

cases.append(case("lstm", nn.LSTM(3, 4, num_layers=2), [torch.rand(5, 2, 3) * 2 - 1],
                  forward=lambda m, x: m(x)[0]))

mha = nn.MultiheadAttention(6, 2, batch_first=True)
randomize(mha, ["in_proj_bias", "out_proj.bias"])
cases.append(case("attention", mha, [torch.rand(2, 4, 6) * 2 - 1],
                  forward=lambda m, x: m(x, x, x, need_weights=False)[0]))
causal_mask = torch.triu(torch.ones(4, 4, dtype=torch.bool), diagonal=1)
cases.append(case("attention_causal", mha, [torch.rand(2, 4, 6) * 2 - 1],
                  forward=lambda m, x: m(x, x, x, attn_mask=causal_mask, need_weights=False)[0]))

block = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, activation="gelu", norm_first=True, batch_first=True)
randomize(block, ["self_attn.in_proj_bias", "self_attn.out_proj.bias", "norm1.weight", "norm1.bias",
                  "norm2.weight", "norm2.bias"])
cases.append(case("transformer_block", block, [torch.rand(2, 5, 8) * 2 - 1]))

# Appended after the others, so that their random draws (and recorded values) stay as they were.
cases.append(case("gru_cell", nn.GRUCell(3, 4), [torch.rand(2, 3) * 2 - 1, torch.rand(2, 4) * 2 - 1]))

cases.append(case("gru", nn.GRU(3, 4, num_layers=2), [torch.rand(5, 2, 3) * 2 - 1],
                  forward=lambda m, x: m(x)[0]))

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch-fixtures.json")
with open(path, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f)
print("wrote", path, len(cases), "cases")
