#!/usr/bin/env bash
# Builds attune's .deb from an already built tree (cpack -G DEB) and checks what a user would
# get from it, without installing it: Depends (from dpkg-shlibdeps) names the libraries the
# binary needs, the extracted binary finds every library and runs, and the man page, the bash
# completion and the systemd user unit are there and pass their checks (tests/packaging/).
#   scripts/check_deb.sh BUILD_DIR      (./dev.sh package: build/release; ./dev.sh test: build/test)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: scripts/check_deb.sh BUILD_DIR}
version=$(sed -n 's/^project(attune VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)

fail() {
  echo "check_deb: FAIL: $*" >&2
  exit 1
}

rm -f "$build"/packages/attune_*.deb
(cd "$build" && cpack -G DEB >/dev/null) || fail "cpack -G DEB failed in $build"
deb=$(ls "$build"/packages/attune_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || fail "cpack made no .deb in $build/packages"

[ "$(dpkg-deb -f "$deb" Package)" = attune ] || fail "the package is not named attune"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "Version is not $version"
depends=$(dpkg-deb -f "$deb" Depends)
depends_names=$(tr ',' '\n' <<<"$depends" | awk '{print $1}')
for library in libsodium23 libprotobuf32 libsqlite3-0 libc6 libstdc++6; do
  grep -qxF "$library" <<<"$depends_names" || fail "Depends lacks $library: $depends"
done

scratch=$(mktemp -d "${TMPDIR:-/tmp}/attune-deb.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
dpkg -x "$deb" "$scratch"
attune=$scratch/usr/bin/attune
[ -x "$attune" ] || fail "no executable usr/bin/attune in the package"
if ldd "$attune" | grep -q 'not found'; then
  ldd "$attune" >&2
  fail "the packaged binary misses a library"
fi
"$attune" --version | head -n 1 | grep -qx "attune $version" || fail "attune --version does not say $version"

page=$scratch/usr/share/man/man1/attune.1.gz
completion=$scratch/usr/share/bash-completion/completions/attune
unit=$scratch/usr/lib/systemd/user/attune-serve.service
checkin=$scratch/usr/lib/systemd/user/attune-checkin.service
checkin_timer=$scratch/usr/lib/systemd/user/attune-checkin.timer
for file in "$page" "$completion" "$unit" "$checkin" "$checkin_timer"; do
  [ -f "$file" ] || fail "the package lacks ${file#"$scratch"}"
done
grep -qx 'ExecStart=/usr/bin/attune --passphrase-file %E/attune/serve-passphrase serve' "$unit" ||
  fail "the unit does not start /usr/bin/attune: $(grep ^ExecStart= "$unit")"

skip_ok() { "$@" || { [ $? -eq 77 ] && return 0; fail "$*"; }; }
skip_ok bash tests/packaging/man_test.sh "$page" "$attune"
skip_ok bash tests/packaging/completion_test.sh "$attune" "$completion"
skip_ok bash tests/packaging/unit_test.sh "$unit" "$attune"
skip_ok bash tests/packaging/checkin_units_test.sh "$checkin" "$checkin_timer" "$attune"
# Installed, never enabled: no maintainer script may turn the reminder on.
dpkg-deb -I "$deb" | grep -q 'postinst' && fail "the package has a postinst (the reminder stays off)"

echo "check_deb: $(basename "$deb"), $(du -k "$deb" | cut -f1) KiB"
echo "  Depends: $depends"
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print "  " $6}'
