#!/bin/sh
# Installs the Debian 12 packages grucast needs to build, only those that are missing.
# With --tests, also what the test suite needs: doctest, and Python with PyTorch for the
# parity tests (tests/parity/).
set -eu
packages="g++ make cmake libarmadillo-dev libopenblas-dev libcli11-dev libfmt-dev \
nlohmann-json3-dev doctest-dev"
if [ "${1:-}" = "--tests" ]; then
  packages="$packages python3 python3-torch"
elif [ $# -gt 0 ]; then
  echo "usage: $0 [--tests]" >&2
  exit 2
fi
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
