# names_data.py — Lumen's bundled names and their standard split, computed in plain Python,
# without Lumen: an independent check of Sources/Datasets/Names.swift and the data of the
# PyTorch peer of `lumen train names-gpt`.
#
# The split (Names.split()): the names of Sources/Datasets/Resources/names.txt in the file's
# order, shuffled by epoch_order(seed 1990, n) (a Fisher–Yates shuffle driven by SplitMix64,
# as ../shared/bench/WORKLOADS.md defines it), then 4,131 train, 516 validation, 516 test.
#
# Run: python3 Scripts/names_data.py   (prints the sizes and the first names of each part)

import os

MASK = (1 << 64) - 1
NAMES_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "Datasets", "Resources", "names.txt")
SPLIT_SEED = 1990
VALIDATION, TEST = 516, 516


def splitmix64(seed):
    state = seed & MASK
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        yield z ^ (z >> 31)


def epoch_order(seed, n):
    order = list(range(n))
    generator = splitmix64(seed)
    for i in range(n - 1, 0, -1):
        j = next(generator) % (i + 1)
        order[i], order[j] = order[j], order[i]
    return order


def names():
    with open(NAMES_FILE) as f:
        return [line.strip() for line in f if line.strip()]


def split():
    all_names = names()
    shuffled = [all_names[k] for k in epoch_order(SPLIT_SEED, len(all_names))]
    train = len(shuffled) - VALIDATION - TEST
    return shuffled[:train], shuffled[train:train + VALIDATION], shuffled[train + VALIDATION:]


VOCABULARY = "." + "abcdefghijklmnopqrstuvwxyz"  # id 0 is the end token


def examples(texts, block_size):
    """(context ids, next id) pairs, as Names+Examples.swift makes them."""
    pairs = []
    for text in texts:
        context = [0] * block_size
        for id_ in [VOCABULARY.index(c) for c in text] + [0]:
            pairs.append((list(context), id_))
            context = context[1:] + [id_]
    return pairs


if __name__ == "__main__":
    train, validation, test = split()
    print(len(train), len(validation), len(test))
    for part in (train, validation, test):
        print(part[:5], part[-1])
    print("examples (block 3):", len(examples(train, 3)), len(examples(validation, 3)), len(examples(test, 3)))
