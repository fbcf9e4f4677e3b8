# The sanitizer and fuzz builds (TINYSEEK_SANITIZE, TINYSEEK_FUZZ; README.md "Tests"), and
# TINYSEEK_TEST_ENV, the environment every test of this build runs with.

if(TINYSEEK_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
        message(FATAL_ERROR "TINYSEEK_FUZZ needs clang (libFuzzer): configure with CXX=clang++")
    endif()
    # Coverage feedback for libFuzzer from every library a fuzz target links; a fuzz target
    # without ASan/UBSan would miss the bugs it exists to find.
    add_compile_options(-fsanitize=fuzzer-no-link)
    if(NOT TINYSEEK_SANITIZE)
        set(TINYSEEK_SANITIZE address,undefined)
    endif()
endif()
if(TINYSEEK_SANITIZE)
    # Every target, tests included, so that a report points at project code with its lines.
    # -O1: the level the sanitizers are made for; it compiles about twice as fast as -O3, and a
    # report should not depend on -march=native. Line tables are all a report's stack needs
    # (clang's -gline-tables-only, gcc's -g1); full debug information costs compile and link
    # time. A finding aborts the program (no recovery), so the test that ran into it fails.
    add_compile_options(-O1 $<IF:$<CXX_COMPILER_ID:Clang>,-gline-tables-only,-g1>
                        -fno-omit-frame-pointer -fsanitize=${TINYSEEK_SANITIZE}
                        -fno-sanitize-recover=all)
    add_link_options(-fsanitize=${TINYSEEK_SANITIZE})
    # `#pragma omp simd` asks for vectorisation, which the instrumented -O1 code cannot always
    # give; clang warns then, and warnings are errors.
    add_compile_options($<$<CXX_COMPILER_ID:Clang>:-Wno-pass-failed>)
endif()

# The environment of every test: OpenMP on the machine's two cores, and in a sanitizer build
# (TINYSEEK_SANITIZE) the sanitizer's options: a finding stops the program with a stack trace
# (so the test fails), and ThreadSanitizer reads its suppressions (third-party code only, each
# with its reason) from tsan.supp. OpenMP under ThreadSanitizer: libomp itself is not
# instrumented, so its barriers and thread handoffs would be invisible and every parallel loop
# would look like a race; LLVM's Archer tool (libarcher.so, shipped with libomp) reports them to
# ThreadSanitizer through the OpenMP tools interface, so the kernels' loops run on two threads
# and are checked like the rest.
set(TINYSEEK_TEST_ENV "OMP_NUM_THREADS=2")
if(TINYSEEK_SANITIZE MATCHES "address")
    list(APPEND TINYSEEK_TEST_ENV "ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_init_order=1")
endif()
if(TINYSEEK_SANITIZE MATCHES "undefined")
    list(APPEND TINYSEEK_TEST_ENV "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
endif()
if(TINYSEEK_SANITIZE MATCHES "thread")
    find_library(TINYSEEK_ARCHER archer PATHS /usr/lib/llvm-14/lib REQUIRED)
    list(APPEND TINYSEEK_TEST_ENV
         "TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=${PROJECT_SOURCE_DIR}/tests/tsan.supp"
         "OMP_TOOL_LIBRARIES=${TINYSEEK_ARCHER}")
endif()

