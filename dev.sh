#!/usr/bin/env bash
# attune's one entry point for developers and CI. Idempotent: run it as often as you like.
#
#   ./dev.sh demo [--ui]     install missing Debian packages, build (Release), show two partners
#                            journaling, pairing and pinging, and print each one's page address
#                            (attune ui); --ui keeps the two pages open until Ctrl-C
#   ./dev.sh test            install, build, run every test; then again under ASan + UBSan; then
#                            each fuzz target for FUZZ_SECONDS (default 10) seconds
#   ./dev.sh build           install and build (Release) only
#   ./dev.sh fuzz [SECONDS]  install, build the libFuzzer targets with clang (build/fuzz), run each
#                            for SECONDS (default 60) on a scratch copy of tests/fuzz/corpus/<target>;
#                            crashes go to tests/fuzz/findings/ and fail the run
#   ./dev.sh soak [KILLS]    install, build the test suite (build/test), run only the SIGKILL soak
#                            (tests/e2e/soak_test.cc) with KILLS kill points (default 150, about a
#                            minute), adding them for at most SOAK_SECONDS (default 240), then
#                            checking; prints its seed; ATTUNE_SOAK_SEED=N repeats a run's choices
#   ./dev.sh bench           install, build the benchmarks (Release, build/bench), run the
#                            end-to-end driver (table on screen, figures in
#                            bench/results/latest.json), then the micro-benchmarks
#   ./dev.sh install [PREFIX] install, build (Release), install attune, its man page, bash
#                            completion and systemd user unit under PREFIX (default /usr/local)
#   ./dev.sh package         install, build (Release), make the .deb (build/release/packages/) and
#                            check it (scripts/check_deb.sh)
#   ./dev.sh lint            install clang and clang-tidy, write build/lint/compile_commands.json
#                            with clang (building only the generated protobuf code), and run
#                            clang-tidy with the checks in .clang-tidy (each justified there) on
#                            every .cc file of the project, tests included; any finding fails.
#                            Not part of `test`: about 4.5 CPU-seconds per file, some 19
#                            CPU-minutes for the 259 files (10 minutes on two cores)
set -euo pipefail
cd "$(dirname "$0")"

JOBS=${JOBS:-2}
PACKAGES=(
  build-essential cmake pkg-config
  libsodium-dev libsqlite3-dev libprotobuf-dev protobuf-compiler
  libboost-dev libgtest-dev libgmock-dev libcli11-dev nlohmann-json3-dev
  # The passphrase strength estimator (node/passphrase_strength.h).
  libzxcvbn-dev
  faketime
  # The man page (help2man), and the checks of what `cmake --install` and the .deb ship:
  # groff-base lints the page, systemd's systemd-analyze verifies the user unit.
  help2man groff-base systemd
  # Partners at a distance: attune starts its own tor (Debian's package, which also ships the
  # tor-gencert that the test suite's private Tor network uses). python3 runs that network.
  tor python3
  # Desktop notifications (`serve`, `checkin-reminder`): notify-send, and for their tests a
  # private session bus and a small notification daemon on it (Debian's python3 D-Bus and GLib).
  libnotify-bin dbus python3-dbus python3-gi
)
# For the fuzz targets: clang and its runtimes (libclang-rt-16-dev ships libFuzzer and the
# sanitizer runtimes; clang-16 only recommends it). Clang 16, not Debian's default 14: the fuzz
# targets link node/, and clang 14 fails on its coroutines when instrumenting them ("Cannot
# represent a difference across sections"); Debian 12 has no libclang-rt-15-dev.
FUZZ_CXX=clang++-16
FUZZ_PACKAGES=(clang-16 libclang-rt-16-dev)
# For the test command: the format check (tests/tools/check_format.sh), and a real browser for
# the tests of `attune ui`'s page (tests/browser): headless Chromium, its driver, and Selenium for
# Debian's /usr/bin/python3 (about 20 s to install).
TEST_PACKAGES=(clang-format chromium chromium-driver python3-selenium)
# For the micro-benchmarks (bench/micro.cc).
BENCH_PACKAGES=(libbenchmark-dev python3)
# For `lint`: the fuzz targets' clang, and its clang-tidy.
LINT_TIDY=run-clang-tidy-16
LINT_PACKAGES=(clang-16 clang-tidy-16)

say() { printf '\n== %s\n' "$*"; }

# install_packages [extra packages...]: PACKAGES plus the extras, installing only what is missing.
install_packages() {
  local missing=()
  for package in "${PACKAGES[@]}" "$@"; do
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

# The test builds keep line tables (-g1) rather than full debug information: backtraces still
# name files and lines, and each build takes a third less time (measured per file: -O2 -g 8.5 s,
# -O2 -g1 6.4 s, -O1 -g1 5.5 s).
TEST_BUILD=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG")
ASAN_BUILD=(-DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DATTUNE_SANITIZE=ON)
# End-to-end suites whose attune processes are also leak-checked under ASan (below).
LEAK_CHECKED_E2E='^(SyncedPartnersTest|EntriesTest|SharePreviewTest|PassphraseTest)\.'

run_tests() {
  say "Building and running the test suite (build/test)"
  configure_and_build build/test "${TEST_BUILD[@]}"
  # The onion tests (tests/onion: a private Tor network and real tors) and the browser tests
  # (tests/browser: attune ui in headless Chromium) run in the ASan pass only, where a memory
  # error of the page's server also fails them.
  ctest --test-dir build/test --output-on-failure -j"$JOBS" -LE 'onion|browser'

  say "Building and running the test suite again under AddressSanitizer + UBSan (build/asan)"
  configure_and_build build/asan "${ASAN_BUILD[@]}"
  run_sanitized_tests
}

# Every test runs under ASan + UBSan. The in-process tests (unit, link, packaging) also run
# LeakSanitizer and the checks on globals, and so do the browser tests, in a group of their own:
# they start a few `attune ui` processes (its HTTP server faces the browser), and a report at the
# exit of one fails its test. The end-to-end tests start attune thousands of times,
# and a leak check at each exit and the registration of every global at each start cost more
# than the test itself (BundleCommandTest: 4.3 s with them, 1.5 s without): their attune
# processes run without those two, except in LEAK_CHECKED_E2E, which go through every command
# a couple uses and keep them. The two longest randomized e2e tests make fewer kill points here
# than in build/test, which runs their full count.
run_sanitized_tests() {
  local every_check=detect_leaks=1:abort_on_error=1 ubsan=print_stacktrace=1
  ASAN_OPTIONS=$every_check UBSAN_OPTIONS=$ubsan \
    ctest --test-dir build/asan --output-on-failure -j"$JOBS" -LE 'e2e|browser'
  ASAN_OPTIONS=$every_check UBSAN_OPTIONS=$ubsan \
    ctest --test-dir build/asan --output-on-failure -j"$JOBS" -L browser
  ASAN_OPTIONS=$every_check UBSAN_OPTIONS=$ubsan \
    ctest --test-dir build/asan --output-on-failure -j"$JOBS" -L e2e -R "$LEAK_CHECKED_E2E"
  ASAN_OPTIONS=detect_leaks=0:report_globals=0:abort_on_error=1 UBSAN_OPTIONS=$ubsan \
    ATTUNE_SOAK_KILLS=4 ATTUNE_REKEY_KILLS=3 \
    ctest --test-dir build/asan --output-on-failure -j"$JOBS" -L e2e -E "$LEAK_CHECKED_E2E"
}

# run_fuzzers SECONDS: builds every fuzz target and runs each *_fuzz binary for SECONDS on a
# scratch copy of its seed corpus (the checked-in corpus is never written). Fails if any crashes.
run_fuzzers() {
  local seconds=$1
  if ! [[ $seconds =~ ^[0-9]+$ ]] || ((10#$seconds == 0)); then
    echo "fuzz: SECONDS must be a positive whole number, not '$seconds'" >&2
    exit 2
  fi
  say "Building the fuzz targets with $FUZZ_CXX (build/fuzz)"
  cmake -S . -B build/fuzz -DCMAKE_CXX_COMPILER="$FUZZ_CXX" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" \
    -DATTUNE_FUZZ=ON -DATTUNE_BUILD_TESTS=OFF >/dev/null
  cmake --build build/fuzz --target attune_fuzzers -j"$JOBS"

  local scratch findings=tests/fuzz/findings fuzzer name log execs failed=()
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/attune-fuzz.XXXXXX")
  # shellcheck disable=SC2064  # expand now: $scratch is local
  trap "rm -rf '$scratch'" EXIT
  mkdir -p "$findings"
  say "Fuzzing each target for ${seconds}s (crashes go to $findings/)"
  for fuzzer in build/fuzz/tests/fuzz/*_fuzz; do
    [ -x "$fuzzer" ] || continue
    name=$(basename "$fuzzer")
    mkdir -p "$scratch/$name"
    if [ -d "tests/fuzz/corpus/$name" ]; then cp -R "tests/fuzz/corpus/$name/." "$scratch/$name/"; fi
    log="$scratch/$name.log"
    if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
      "$fuzzer" -max_total_time="$seconds" -timeout=30 -print_final_stats=1 \
      -artifact_prefix="$findings/$name-" "$scratch/$name" >"$log" 2>&1; then
      execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
      printf '  %-24s ok     %12s execs in %ss\n' "$name" "${execs:-?}" "$seconds"
    else
      printf '  %-24s FAILED (log: %s)\n' "$name" "$findings/$name.log"
      cp "$log" "$findings/$name.log"
      tail -n 40 "$log"
      failed+=("$name")
    fi
  done
  if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: ${failed[*]} crashed; reproduce with build/fuzz/tests/fuzz/TARGET $findings/TARGET-crash-..." >&2
    exit 1
  fi
}

# run_soak KILLS: only the SIGKILL soak, in build/test. The test itself stops adding kill points
# once SOAK_SECONDS have passed (and then fails, having made fewer than KILLS); `timeout` is the
# backstop for a hang, and takes the test's attune processes down with it (one process group).
run_soak() {
  local kills=$1 seconds=${SOAK_SECONDS:-240}
  if ! [[ $kills =~ ^[0-9]+$ && $seconds =~ ^[0-9]+$ ]] || ((10#$kills == 0)); then
    echo "soak: KILLS and SOAK_SECONDS must be positive whole numbers, not '$kills', '$seconds'" >&2
    exit 2
  fi
  say "Building the test suite (build/test)"
  configure_and_build build/test "${TEST_BUILD[@]}"
  say "SIGKILL soak: $((10#$kills)) kill points, at most ${seconds}s"
  ATTUNE_SOAK_KILLS=$((10#$kills)) ATTUNE_SOAK_SECONDS=$((10#$seconds)) \
    timeout --kill-after=10 $((10#$seconds + 120)) \
    build/test/tests/e2e/e2e_test --gtest_filter='SoakTest.*'
}

# The end-to-end driver times the real binary against homes it makes and removes itself (about
# half a minute on two cores); the micro-benchmarks follow, briefly, to show where time goes.
run_bench() {
  say "Building the benchmarks (Release) in build/bench"
  configure_and_build build/bench -DCMAKE_BUILD_TYPE=Release -DATTUNE_BUILD_TESTS=OFF \
    -DATTUNE_BUILD_BENCH=ON
  mkdir -p bench/results
  say "End-to-end benchmark (issue 5's figures)"
  build/bench/bench/attune_bench bench/results/latest.json
  say "Micro-benchmarks"
  build/bench/bench/attune_micro --benchmark_min_time=0.2
}

# clang-tidy reads how each file is compiled from compile_commands.json, so build/lint is
# configured file by file (no unity batches, which would list only the batches) and with clang (the checks must see what clang sees) and only the generated protobuf
# code is built; the embedded files are written at configure time. The files checked are the
# project's own, found by their folder under the source tree (not build/).
run_lint() {
  say "Configuring build/lint with $FUZZ_CXX for clang-tidy"
  cmake -S . -B build/lint -DCMAKE_CXX_COMPILER="$FUZZ_CXX" -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DCMAKE_UNITY_BUILD=OFF -DATTUNE_BUILD_TESTS=ON \
    -DATTUNE_INSTALL_MAN=OFF >/dev/null
  cmake --build build/lint --target attune_protocol_pb -j"$JOBS" >/dev/null
  say "clang-tidy (checks in .clang-tidy)"
  local sources
  sources="^$PWD/(base|crypto|storage|protocol|node|steps|cli|tests|bench)/.*\.cc\$"
  "$LINT_TIDY" -p build/lint -j "$JOBS" -quiet "$sources"
}

case "${1:-}" in
  demo)
    install_packages
    build_release
    demo_ui=0
    [ "${2:-}" = "--ui" ] && demo_ui=1
    ATTUNE_DEMO_UI=$demo_ui ATTUNE_BIN="$PWD/build/release/cli/attune" bash scripts/demo.sh
    ;;
  test)
    install_packages "${FUZZ_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    run_tests
    # The .deb from the tree the suite just built (RelWithDebInfo, stripped by cpack), so CI
    # compiles nothing more for it.
    say "Building and checking the .deb (from build/test)"
    bash scripts/check_deb.sh build/test
    run_fuzzers "${FUZZ_SECONDS:-10}"
    ;;
  build)
    install_packages
    build_release
    ;;
  install)
    install_packages
    build_release
    prefix=${2:-/usr/local}
    say "Installing attune under $prefix"
    sudo=()
    if [ "$(id -u)" -ne 0 ] && ! { mkdir -p "$prefix" 2>/dev/null && [ -w "$prefix" ]; }; then
      sudo=(sudo)
    fi
    "${sudo[@]}" cmake --install build/release --prefix "$prefix"
    ;;
  package)
    install_packages
    build_release
    say "Building and checking the .deb (build/release/packages)"
    bash scripts/check_deb.sh build/release
    ;;
  fuzz)
    install_packages "${FUZZ_PACKAGES[@]}"
    run_fuzzers "${2:-60}"
    ;;
  soak)
    install_packages
    run_soak "${2:-150}"
    ;;
  bench)
    install_packages "${BENCH_PACKAGES[@]}"
    run_bench
    ;;
  lint)
    install_packages "${LINT_PACKAGES[@]}"
    run_lint
    ;;
  *)
    sed -n '/^set -euo/q;2,$p' "$0"
    exit 2
    ;;
esac
