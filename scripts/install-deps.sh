#!/bin/sh
# Installs the Debian 12 packages grucast needs to build, only those that are missing.
# With --tests, also what the test suite needs: doctest, and Python with PyTorch for the
# parity tests (tests/parity/). With --ci, what .ci/run needs: the --tests packages, and clang
# with its libFuzzer and sanitizer runtimes and llvm-symbolizer for scripts/fuzz.sh (GCC's
# sanitizers for scripts/sanitize.sh come with g++).
set -eu
packages="g++ make cmake libarmadillo-dev libopenblas-dev libcli11-dev libfmt-dev \
nlohmann-json3-dev doctest-dev"
case "${1:-}" in
  "") ;;
  --tests) packages="$packages python3 python3-torch" ;;
  --ci) packages="$packages python3 python3-torch clang libclang-rt-14-dev llvm" ;;
  *)
    echo "usage: $0 [--tests | --ci]" >&2
    exit 2
    ;;
esac
missing=""
for package in $packages; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing="$missing $package"
done
[ -z "$missing" ] && exit 0
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
echo "installing:$missing" >&2
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update
# shellcheck disable=SC2086
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
