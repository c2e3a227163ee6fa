#!/usr/bin/env bash
# Scripts/python-env.sh — the small Python environment that Lumen's interop tests run in:
# numpy and safetensors (Python reads Lumen's checkpoints), onnx and onnxruntime (they check
# and run Lumen's exported models), at the versions pinned in Scripts/python-requirements.txt.
#
# Prints the environment's interpreter on standard output, so that ./run-tests can say
#     export LUMEN_PYTHON="$(Scripts/python-env.sh)"
# It is made once, with `python3 -m venv` and pip from PyPI, in $LUMEN_VENV (by default
# ~/.cache/lumen-venv, outside the clone, so a fresh clone reuses it), and made again only
# when the pinned list changes or an import fails. Everything it says goes to standard error.
#
# PyTorch is not in it: the few checks that need torch itself stay optional (they run when
# LUMEN_TORCH_PYTHON names a Python that has it).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
requirements="$root/Scripts/python-requirements.txt"
venv="${LUMEN_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/lumen-venv}"
python="$venv/bin/python"
stamp="$venv/lumen-requirements.txt"
modules="numpy, safetensors, onnx, onnxruntime"

ready() {
  [ -x "$python" ] && cmp -s "$requirements" "$stamp" && "$python" -c "import $modules" 2>/dev/null
}

if ! ready; then
  mkdir -p "$(dirname "$venv")"
  # Two test runs at once (two clones on one machine) build it one after the other.
  exec 9>"$venv.lock"
  flock 9
  if ! ready; then
    base="$(command -v python3 || true)"
    if [ -z "$base" ]; then
      echo "error: the interop tests need python3 (3.9 or later) to make their environment." >&2
      echo "hint: apt-get install python3 python3-venv" >&2
      exit 1
    fi
    echo "Making the Python environment of the interop tests in $venv (one time) ..." >&2
    if ! "$base" -m venv --clear "$venv" >&2; then
      echo "error: '$base -m venv' failed, so the interop tests have no Python environment." >&2
      echo "hint: apt-get install python3-venv, or set LUMEN_VENV to a folder you can write to" >&2
      exit 1
    fi
    if ! "$python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2; then
      echo "error: pip could not install $requirements into $venv." >&2
      echo "hint: the interop tests need PyPI (or a pip mirror) once; after that the environment is reused" >&2
      exit 1
    fi
    cp "$requirements" "$stamp"
  fi
fi
echo "$python"
