#!/usr/bin/env bash
# bench-predict.sh — `lumen predict` against onnxruntime on the same model: the shipped
# digits-cnn (Pretrained/), exported by `lumen export`, on one batch of 256 images (seeded
# random pixels: the speed does not depend on them), one thread on both sides, in one sitting.
#
#   Scripts/bench-predict.sh [ROUNDS] [RUNS]     # default 3 rounds of 200 timed passes each
#
# Builds lumen in release, then alternates the two, ROUNDS times: `lumen predict --benchmark
# RUNS` (forward, softmax and top class per example, batches of 256) and onnxruntime's
# InferenceSession.run on the ONNX file (intra- and inter-op threads 1). Prints the load, the
# CPU, the OpenBLAS core and each median; the ratio is onnxruntime's time over Lumen's (≥ 1.0:
# Lumen is as fast or faster). For a quiet machine: figures taken while others build are noise.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
runs=${2:-200}
python=${LUMEN_PYTHON:-$(Scripts/python-env.sh)}
# LUMEN_BIN=path/to/lumen skips the release build (for checking the script itself).
if [[ -n ${LUMEN_BIN:-} ]]; then lumen=$LUMEN_BIN; else
    swift build -c release --product lumen 2>&1 | tail -1
    lumen=.build/release/lumen
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$lumen" export Pretrained/digits-cnn.safetensors -o "$work/digits-cnn.onnx" > /dev/null
"$python" - "$work/batch.npy" <<'PY'
import sys, numpy as np
np.save(sys.argv[1], np.random.default_rng(256).random((256, 1, 8, 8), dtype=np.float32))
PY
export LUMEN_THREADS=1 OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
echo "load: $(uptime | sed 's/.*load average: //')"
echo "cpu: $(lscpu | grep 'Model name' | sed 's/Model name: *//')"
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}"
for ((round = 1; round <= rounds; round++)); do
    "$lumen" predict Pretrained/digits-cnn.safetensors "$work/batch.npy" --benchmark "$runs"
    "$python" - "$work/digits-cnn.onnx" "$work/batch.npy" "$runs" <<'PY'
import sys, time, numpy as np, onnxruntime as ort
options = ort.SessionOptions()
options.intra_op_num_threads = 1
options.inter_op_num_threads = 1
session = ort.InferenceSession(sys.argv[1], options, providers=["CPUExecutionProvider"])
batch, runs = np.load(sys.argv[2]), int(sys.argv[3])
session.run(None, {"input": batch})
times = []
for _ in range(runs):
    start = time.perf_counter()
    logits = session.run(None, {"input": batch})[0]
    z = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    p.argmax(axis=1)
    times.append(time.perf_counter() - start)
times.sort()
m = times[len(times) // 2]
print(f"onnxruntime {ort.__version__}: {len(batch)} examples, {runs} runs: median {m * 1e3:.3f} ms per pass "
      f"({len(batch) / m:.0f} examples/s), fastest {times[0] * 1e3:.3f} ms, slowest {times[-1] * 1e3:.3f} ms")
PY
done
echo "load after: $(uptime | sed 's/.*load average: //')"
