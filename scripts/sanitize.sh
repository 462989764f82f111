#!/bin/sh
# Builds everything with GCC's AddressSanitizer and UndefinedBehaviorSanitizer in build-asan/
# and runs the whole test suite under them: the unit tests, the end-to-end runs of the grucast
# executable, and the PyTorch parity tests (Python runs the sanitized driver and grucast as
# child processes; Python itself is not instrumented and need not be). Any report fails the
# test that caused it.   scripts/sanitize.sh [extra ctest arguments, e.g. -R parity]
set -eu
cd "$(dirname "$0")/.."
build="build-asan"
# -O1 -g1 (line tables, enough for the reports' stacks) build in about half the time of -O2 -g.
CXX=${CXX:-g++} cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
  -DGRUCAST_SANITIZE=ON >/dev/null
cmake --build "$build" -j2
# halt_on_error and exitcode: a report ends the process with a failure even where the test
# only looks at the output; leaks are reported at exit. The tests run with -j2 on 2 cores.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:exitcode=86:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:exitcode=87}"
ctest --test-dir "$build" -j2 --output-on-failure "$@"
