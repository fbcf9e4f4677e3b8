#!/usr/bin/env bash
# Rewrites every project source with the root .clang-format.
set -euo pipefail
cd "$(dirname "$0")/.."
find core training cli viz gui tests bench fuzz \( -name '*.h' -o -name '*.cpp' \) -print0 |
    xargs -0 clang-format --style=file -i
