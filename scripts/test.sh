#!/usr/bin/env bash
# README command 2: install what is missing, then three builds, each with its tests:
#   1. build/       the Release build (gcc): the whole test suite;
#   2. build-asan/  no Qt (-DTINYSEEK_BUILD_GUI=OFF), clang with AddressSanitizer and
#                   UndefinedBehaviorSanitizer: every Qt-free test, the command line's included,
#                   and a few seconds of each libFuzzer target (fuzz/) on its committed seeds;
#   3. build-tsan/  the workbench, clang with ThreadSanitizer: only the tests of the live path
#                   (run worker and controller, metrics hub, run reader, the window during a run).
# The sanitizer builds are -O1 and build only what their tests run, to keep the whole script
# under 20 minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/build.sh
build_dir=${TINYSEEK_BUILD_DIR:-build}
jobs=$(nproc 2>/dev/null || echo 2)
export QT_QPA_PLATFORM=offscreen
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}

run_tests() {  # run_tests DIR [ctest arguments]
    (cd "$1" && shift && ctest --output-on-failure -j "$jobs" --timeout 600 "$@")
}

configure_sanitized() {  # configure_sanitized DIR SANITIZERS [cmake arguments]
    local dir=$1 sanitizers=$2
    shift 2
    CC=clang CXX=clang++ cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug \
        -DTINYSEEK_SANITIZE="$sanitizers" -DTINYSEEK_BUILD_BENCH=OFF "$@" >/dev/null
}

run_tests "$build_dir"

asan_dir="$build_dir-asan"
echo "AddressSanitizer + UndefinedBehaviorSanitizer build (no Qt) in $asan_dir"
configure_sanitized "$asan_dir" address,undefined -DTINYSEEK_BUILD_GUI=OFF -DTINYSEEK_FUZZ=ON
cmake --build "$asan_dir" -j "$jobs"
run_tests "$asan_dir" -E '^clang_format$'

tsan_dir="$build_dir-tsan"
live_tests=(gui_test_run_worker gui_test_metrics_hub gui_test_run_reader gui_test_run_window)
echo "ThreadSanitizer build (the live path) in $tsan_dir"
configure_sanitized "$tsan_dir" thread
cmake --build "$tsan_dir" -j "$jobs" --target "${live_tests[@]}"
run_tests "$tsan_dir" -R "^($(IFS='|' && echo "${live_tests[*]}"))\$"
