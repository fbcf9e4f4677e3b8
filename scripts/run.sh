#!/usr/bin/env bash
# README command 1: install what is missing, build, and start the workbench.
# With a display the window opens; without one the headless demo runs instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/build.sh
build_dir=${TINYSEEK_BUILD_DIR:-build}
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    exec "./$build_dir/tinyseek" "$@"
fi
echo "No display found (DISPLAY and WAYLAND_DISPLAY are unset): running the headless demo."
exec "./$build_dir/tinyseek" demo "$@"
