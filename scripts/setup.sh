#!/usr/bin/env bash
# Installs the Debian 12 packages xuncha needs to build, test and run.
# Idempotent: does nothing when everything is already installed.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libprotobuf-dev protobuf-compiler libre2-dev libboost-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libsqlite3-dev libxlsxwriter-dev
  clang libclang-rt-14-dev
  python3 python3-dev pybind11-dev python3-pytest python3-protobuf
  python3-dask python3-distributed python3-numpy python3-scipy
  libhyperscan-dev
  chromium fonts-noto-cjk
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
