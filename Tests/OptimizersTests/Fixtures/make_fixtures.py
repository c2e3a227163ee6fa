# make_fixtures.py — writes torch-fixtures.json, PyTorch's own trajectories for the problem the
# optimizer tests use, as a second oracle independent of the hand-written update rules.
#
# Run from this folder with a Python that has torch:  python make_fixtures.py
# TorchFixtureTests.swift reads the JSON; nothing here is used at build time.

import json
import math

import torch

torch.set_default_dtype(torch.float64)

# The same problem as Quadratic in Support.swift: loss = Σ c·(θ − a)², θ of shape [2, 2].
TARGETS = [1.0, -2.0, 0.5, 3.0]
CURVATURES = [0.5, 2.0, 1.0, 0.1]
START = [0.3, -0.7, 1.2, -0.1]
STEPS = 8


def trajectory(make_optimizer):
    theta = torch.tensor(START).reshape(2, 2).requires_grad_()
    a = torch.tensor(TARGETS).reshape(2, 2)
    c = torch.tensor(CURVATURES).reshape(2, 2)
    optimizer = make_optimizer([theta])
    path = []
    for _ in range(STEPS):
        optimizer.zero_grad()
        (c * (theta - a) ** 2).sum().backward()
        optimizer.step()
        path.append(theta.detach().reshape(-1).tolist())
    return path


# (name, settings with Lumen's argument names, the torch constructor)
OPTIMIZERS = [
    ("SGD", dict(learningRate=0.1), lambda p: torch.optim.SGD(p, lr=0.1)),
    ("SGD", dict(learningRate=0.05, momentum=0.9, dampening=0.3, weightDecay=0.01),
     lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.01)),
    ("SGD", dict(learningRate=0.05, momentum=0.8, nesterov=1, weightDecay=0.02),
     lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.02)),
    ("Adam", dict(learningRate=0.1), lambda p: torch.optim.Adam(p, lr=0.1)),
    ("Adam", dict(learningRate=0.05, beta1=0.8, beta2=0.99, epsilon=1e-6, weightDecay=0.1),
     lambda p: torch.optim.Adam(p, lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    ("AdamW", dict(learningRate=0.1), lambda p: torch.optim.AdamW(p, lr=0.1)),
    ("AdamW", dict(learningRate=0.05, beta1=0.8, beta2=0.99, epsilon=1e-6, weightDecay=0.3),
     lambda p: torch.optim.AdamW(p, lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.3)),
    ("RMSprop", dict(learningRate=0.01), lambda p: torch.optim.RMSprop(p, lr=0.01)),
    ("RMSprop", dict(learningRate=0.01, alpha=0.9, momentum=0.9),
     lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, momentum=0.9)),
    ("RMSprop", dict(learningRate=0.01, alpha=0.7, epsilon=1e-3, weightDecay=0.2, momentum=0.5, centered=1),
     lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.7, eps=1e-3, weight_decay=0.2, momentum=0.5,
                                   centered=True)),
]


def rates(make_scheduler, initial, count):
    """The learning rate each of `count` steps uses, as the scheduler sets it."""
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=initial)
    scheduler = make_scheduler(optimizer)
    result = []
    for _ in range(count):
        result.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return result


S = torch.optim.lr_scheduler
SCHEDULES = [
    ("StepDecay", dict(initial=0.1, stepSize=3, factor=0.5),
     rates(lambda o: S.StepLR(o, step_size=3, gamma=0.5), 0.1, 12)),
    ("CosineAnnealing", dict(initial=1.0, minimum=0.1, period=10),
     rates(lambda o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.1), 1.0, 11)),
    ("LinearWarmup", dict(steps=4, startFactor=0.2, constant=0.5),
     rates(lambda o: S.LinearLR(o, start_factor=0.2, total_iters=4), 0.5, 8)),
]


def clipping(grads, max_norm):
    parameters = [torch.zeros(len(g), requires_grad=True) for g in grads]
    for p, g in zip(parameters, grads):
        p.grad = torch.tensor(g)
    norm = torch.nn.utils.clip_grad_norm_(parameters, max_norm)
    return dict(grads=grads, maxNorm=max_norm, norm=norm.item(), clipped=[p.grad.tolist() for p in parameters])


CLIPPING = [
    clipping([[0.3, -1.7, 2.2], [4.0, 0.01]], 1.0),
    clipping([[0.3, -1.7, 2.2], [4.0, 0.01]], 100.0),
    clipping([[1e-3] * 5, [-2e-3]], 1e-3),
]

fixtures = dict(
    torchVersion=torch.__version__,
    problem=dict(targets=TARGETS, curvatures=CURVATURES, start=START),
    optimizers=[dict(name=n, settings=s, trajectory=trajectory(make)) for n, s, make in OPTIMIZERS],
    schedules=[dict(name=n, settings=s, rates=r) for n, s, r in SCHEDULES],
    clipping=CLIPPING,
)
with open("torch-fixtures.json", "w") as f:
    json.dump(fixtures, f, indent=1)
    f.write("\n")
print(f"wrote torch-fixtures.json ({len(OPTIMIZERS)} trajectories) with torch {torch.__version__}")
