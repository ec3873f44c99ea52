#!/usr/bin/env bash
# attune's one entry point for developers and CI. Idempotent: run it as often as you like.
#
#   ./dev.sh demo    install missing Debian packages, build (Release), show the journal working
#   ./dev.sh test    install, build, run every test; then again under ASan + UBSan
#   ./dev.sh build   install and build (Release) only
set -euo pipefail
cd "$(dirname "$0")"

JOBS=${JOBS:-2}
PACKAGES=(
  build-essential cmake pkg-config
  libsodium-dev libsqlite3-dev libprotobuf-dev protobuf-compiler
  libboost-dev libgtest-dev libgmock-dev libcli11-dev nlohmann-json3-dev
)

say() { printf '\n== %s\n' "$*"; }

install_packages() {
  local missing=()
  for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing Debian packages: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
}

# configure_and_build DIR [cmake options...]
configure_and_build() {
  local dir=$1
  shift
  cmake -S . -B "$dir" "$@" >/dev/null
  cmake --build "$dir" -j"$JOBS"
}

build_release() {
  say "Building attune (Release) in build/release"
  configure_and_build build/release -DCMAKE_BUILD_TYPE=Release -DATTUNE_BUILD_TESTS=OFF
}

run_tests() {
  say "Building and running the test suite (build/test)"
  configure_and_build build/test -DCMAKE_BUILD_TYPE=RelWithDebInfo
  ctest --test-dir build/test --output-on-failure -j"$JOBS"

  say "Building and running the test suite again under AddressSanitizer + UBSan (build/asan)"
  configure_and_build build/asan -DCMAKE_BUILD_TYPE=Debug -DATTUNE_SANITIZE=ON
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build/asan --output-on-failure -j"$JOBS"
}

case "${1:-}" in
  demo)
    install_packages
    build_release
    ATTUNE_BIN="$PWD/build/release/cli/attune" bash scripts/demo.sh
    ;;
  test)
    install_packages
    run_tests
    ;;
  build)
    install_packages
    build_release
    ;;
  *)
    sed -n '2,7p' "$0"
    exit 2
    ;;
esac
