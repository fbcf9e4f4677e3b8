#!/usr/bin/env bash
# Installs the Debian 12 packages TinySeek Workbench needs to build, test and run.
# Only missing packages are installed; apt-get runs as root (directly or through sudo).
set -euo pipefail

packages=(
    build-essential cmake pkg-config
    qt6-base-dev libqt6opengl6-dev qt6-charts-dev qt6-svg-dev qt6-tools-dev
    libeigen3-dev libsqlite3-dev nlohmann-json3-dev libgtest-dev libbenchmark-dev
    clang-format fonts-dejavu-core fonts-wqy-microhei xvfb xauth
    sqlite3  # the sqlite3 shell: a test holds a write lock with it (locked-database error)
    # The sanitizer and fuzz builds: clang, its sanitizer runtimes and libFuzzer
    # (libclang-rt-14-dev), the OpenMP runtime clang links (libomp-14-dev), and
    # llvm-symbolizer (llvm-14) so that a sanitizer report names files and lines.
    clang libclang-rt-14-dev libomp-14-dev llvm-14
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        as_root=(sudo)
    else
        echo "error: missing packages (${missing[*]}) and not root; run as root or install sudo" >&2
        exit 1
    fi
fi
echo "Installing: ${missing[*]}"
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}"
