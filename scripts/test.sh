#!/usr/bin/env bash
# README command 2: install what is missing, build, and run the whole test suite; then build
# the command line alone (-DTINYSEEK_BUILD_GUI=OFF, no Qt) and run its tests on that build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/build.sh
build_dir=${TINYSEEK_BUILD_DIR:-build}
jobs=$(nproc 2>/dev/null || echo 2)
export QT_QPA_PLATFORM=offscreen
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
(cd "$build_dir" && ctest --output-on-failure -j "$jobs" --timeout 600)

headless_dir="$build_dir-headless"
echo "Headless build (no Qt) in $headless_dir: the command line and its tests"
cmake -S . -B "$headless_dir" -DCMAKE_BUILD_TYPE=Release -DTINYSEEK_BUILD_GUI=OFF \
    -DTINYSEEK_BUILD_BENCH=OFF >/dev/null
cmake --build "$headless_dir" -j "$jobs" --target tinyseek test_cli
(cd "$headless_dir" && ctest --output-on-failure -j "$jobs" --timeout 600 -R '^Cli')
