#!/bin/sh
# Builds the libFuzzer targets (fuzz/, clang with ASan + UBSan) in build-fuzz/, replays every
# past finding in fuzz/regressions/<target>/, then fuzzes each target for SECONDS (default 60)
# from its seeds in fuzz/corpus/<target>/. Fails on any finding: a crash, a sanitizer report, an
# exception other than grucast::Error, an input slower than 10 s, or an allocation over 512 MiB.
# The inputs that fail are left in build-fuzz/findings/<target>/ (docs/reliability.md).
#   scripts/fuzz.sh [SECONDS] [TARGET...]     targets: csv time model torch_json config checkpoint
# SECONDS 0 builds and replays the regressions only.
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-csv time model torch_json config checkpoint}
build="build-fuzz"

CXX=clang++ cmake -S . -B "$build" -DGRUCAST_FUZZ=ON -DGRUCAST_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
for target in $targets; do
  cmake --build "$build" -j2 --target "fuzz_$target"
done

# Sanitizer reports stop the run with a symbolized stack; leaks count as findings.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=0:allocator_may_return_null=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && command -v llvm-symbolizer >/dev/null; then
  ASAN_SYMBOLIZER_PATH=$(command -v llvm-symbolizer)
  export ASAN_SYMBOLIZER_PATH
fi

# Inputs longer than the parsers need only slow the search down.
max_len() {
  case $1 in
    time) echo 256 ;;
    config) echo 4096 ;;
    csv) echo 16384 ;;
    *) echo 65536 ;;
  esac
}

dictionary() {
  case $1 in
    model | torch_json | checkpoint) echo fuzz/dict/json.dict ;;
    *) echo "fuzz/dict/$1.dict" ;;
  esac
}

failed=""
for target in $targets; do
  binary="$build/fuzz/fuzz_$target"
  findings="$build/findings/$target"
  corpus="$build/corpus/$target"  # what this machine's runs found; the seeds stay as checked in
  mkdir -p "$findings" "$corpus"
  limits="-rss_limit_mb=2048 -malloc_limit_mb=512 -timeout=10 -max_len=$(max_len "$target")"
  if [ -n "$(ls "fuzz/regressions/$target" 2>/dev/null)" ]; then
    echo "== fuzz_$target: replaying fuzz/regressions/$target" >&2
    # shellcheck disable=SC2086
    "$binary" $limits fuzz/regressions/"$target"/* >"$findings/replay.log" 2>&1 || {
      tail -n 40 "$findings/replay.log" >&2
      failed="$failed $target(regression)"
      continue
    }
  fi
  [ "$seconds" = 0 ] && continue  # libFuzzer reads -max_total_time=0 as no limit
  echo "== fuzz_$target: fuzzing for ${seconds}s" >&2
  # shellcheck disable=SC2086
  "$binary" $limits -max_total_time="$seconds" -dict="$(dictionary "$target")" -print_final_stats=1 \
    -artifact_prefix="$findings/" "$corpus" "fuzz/corpus/$target" >"$findings/fuzz.log" 2>&1 || {
    tail -n 60 "$findings/fuzz.log" >&2
    failed="$failed $target"
    continue
  }
  grep -E "^stat::(number_of_executed_units|new_units_added)" "$findings/fuzz.log" | tr '\n' ' ' >&2
  echo >&2
done
if [ -n "$failed" ]; then
  echo "fuzz: findings in:$failed (inputs in $build/findings/; reproduce with $build/fuzz/fuzz_TARGET FILE)" >&2
  exit 1
fi
echo "fuzz: no findings (regressions replayed, then $seconds s per target: $targets)" >&2
