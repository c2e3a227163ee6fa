#!/usr/bin/env bash
# Installs the Debian packages Lumen needs, only those that are missing, with apt-get.
#
#   Scripts/install-deps.sh          what building and running Lumen needs: the libraries of the
#                                    four C shims (Graphviz, Cairo, OpenBLAS, zlib); used by ./lumen
#   Scripts/install-deps.sh --tests  the same, plus what only the tests need: tmux and chromium,
#                                    which drive `lumen learn` and its HTML export; used by ./run-tests
#
# Safe to run again: it does nothing when all are present.
set -euo pipefail

packages=(libgraphviz-dev libcairo2-dev libopenblas-dev zlib1g-dev)
case "${1:-}" in
  "") ;;
  --tests) packages+=(tmux chromium) ;;
  *) echo "usage: Scripts/install-deps.sh [--tests]" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "error: Lumen needs ${missing[*]}, and installing them needs root." >&2
  echo "hint: run as root, or install sudo, or run: apt-get install ${missing[*]}" >&2
  exit 1
fi

echo "Installing ${missing[*]} (one time) ..." >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
