#!/usr/bin/env bash
# systemd-analyze verify of the user unit attune-serve.service, with ExecStart pointing at the
# binary under test. Any complaint fails (verify itself exits 0 on unknown keys or syscall
# groups). Skipped (exit 77) where systemd-analyze is not installed.
#   unit_test.sh UNIT_FILE_OR_TEMPLATE ATTUNE_BINARY
set -euo pipefail
unit=$1
attune=$2
if ! command -v systemd-analyze >/dev/null; then
  echo "systemd-analyze is not installed: the unit was not verified"
  exit 77
fi
scratch=$(mktemp -d "${TMPDIR:-/tmp}/attune-unit.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -m 700 "$scratch/run"
grep -q '^ExecStart=[^ ]\+ --passphrase-file %E/attune/serve-passphrase serve$' "$unit" || {
  echo "FAIL: ExecStart is not attune serve with the passphrase file:" >&2
  grep '^ExecStart=' "$unit" >&2
  exit 1
}
sed "s|^ExecStart=[^ ]*|ExecStart=$attune|" "$unit" >"$scratch/attune-serve.service"
# --man=no: Documentation= names man:attune(1), which need not be installed where this runs.
if ! out=$(XDG_RUNTIME_DIR=$scratch/run systemd-analyze --user verify --man=no \
  "$scratch/attune-serve.service" 2>&1) || [ -n "$out" ]; then
  echo "FAIL: systemd-analyze verify:" >&2
  echo "$out" >&2
  exit 1
fi
for setting in NoNewPrivileges=yes PrivateTmp=yes ProtectSystem=strict MemoryDenyWriteExecute=yes \
  LimitCORE=0 Restart=on-failure 'ReadWritePaths=-%h/.local/share/attune'; do
  grep -qx "$setting" "$unit" || { echo "FAIL: the unit lacks $setting" >&2; exit 1; }
done
echo "unit: systemd-analyze verify is content with $(basename "$unit")"
