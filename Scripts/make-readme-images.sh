#!/usr/bin/env bash
# Regenerates the README's hero picture, Docs/images/neuron.{svg,png}, with the very command the
# README names: `lumen draw --example`. Tests/LearnCommandTests/ReadmeImageTests.swift checks
# that the committed SVG is what that command draws today.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product lumen >/dev/null
.build/debug/lumen draw --example -o Docs/images/neuron.svg -o Docs/images/neuron.png
