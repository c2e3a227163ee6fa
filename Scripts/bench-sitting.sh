#!/usr/bin/env bash
# bench-sitting.sh — the figures of issue 15 ("real training at full speed") in one quiet
# sitting, Lumen and its peers interleaved, every line with the machine's load:
#   1. every `lumen train` recipe and W7 against PyTorch, one thread (lumen-bench recipes);
#   2. mnist and W7 with two threads on both sides (LUMEN_THREADS=2, PEER_THREADS=2);
#   3. W4 with 2 threads against numpy with 2 threads, and with 1 against 1, 3 rounds;
#   4. W3, W4 and W6 against their peers, for the no-regression check;
#   5. W5 (the tensor product against a bare cblas_sgemm), W1 against micrograd with its GC off,
#      and W2 at 100,001 nodes against micrograd, once each (micrograd's W1 takes about 20 s).
# Needs the peers' Python (default /tmp/peers/bin/python: numpy and torch) and ../shared/bench.
# Takes about 15 minutes on a quiet machine. Output: stdout (RESULT lines), progress on stderr.
#
# Run from the repository root: Scripts/bench-sitting.sh [RUNS]   (RUNS: rounds per figure, default 3)

set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
PY=${LUMEN_BENCH_PYTHON:-/tmp/peers/bin/python}
SHARED=${LUMEN_SHARED:-../shared}
[ -d "$SHARED/bench/peers" ] || SHARED=/work/shared
PEERS="$SHARED/bench/peers"

swift build -c release --product lumen-bench >&2
B="$PWD/.build/release/lumen-bench"
stamp() { echo "# $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg); $*"; }
echo "# $(lscpu | grep 'Model name' | sed 's/  */ /g'), $(nproc) cores, OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}, commit $(git rev-parse --short HEAD)"

stamp "1. recipes and W7, one thread"
"$B" recipes all --runs "$RUNS"

stamp "2. mnist and W7, two threads on both sides"
LUMEN_THREADS=2 "$B" recipes mnist w7 --runs "$RUNS"

stamp "3. W4: Lumen and numpy, 2 threads and 1 thread, interleaved"
for round in $(seq "$RUNS"); do
    LUMEN_THREADS=2 "$B" measure w4
    (cd "$PEERS" && "$PY" w4_numpy.py --threads=2)
    "$B" measure w4
    (cd "$PEERS" && "$PY" w4_numpy.py --threads=1)
done

stamp "4. W3, W4, W6 and their peers (no regression beyond 5 %)"
for round in $(seq "$RUNS"); do
    "$B" measure w3 --data "$SHARED/bench/data/digits.csv"
    (cd "$PEERS" && "$PY" w3_numpy.py --threads=1 && "$PY" w3_torch.py --threads=1)
    "$B" measure w6
    (cd "$PEERS" && "$PY" w6_torch.py --threads=1)
    "$B" measure w4
    (cd "$PEERS" && "$PY" w4_torch.py --threads=1)
done
stamp "5. W5, W1 and W2 and their peers"
for n in 512 1024; do "$B" measure w5 --n "$n"; done
W1DATA="$SHARED/bench/data/w1_moons.json"
"$B" measure w1 --data "$W1DATA"
(cd "$PEERS" && "$PY" w1_micrograd.py --no-gc)
"$B" measure w1 --data "$W1DATA"
"$B" measure w2 --nodes 100001
(cd "$PEERS" && "$PY" w2_micrograd.py --nodes=100001 --no-gc --recursion-limit=10000000)
stamp "done"
