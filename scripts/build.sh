#!/usr/bin/env bash
# Configures and builds a Release tree in ./build (or $TINYSEEK_BUILD_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${TINYSEEK_BUILD_DIR:-build}
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$build_dir" -j "$jobs"
