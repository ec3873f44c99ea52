#!/usr/bin/env bash
# systemd-analyze verify of the user unit attune-serve.service, with ExecStart pointing at the
# binary under test. Any complaint fails. Skipped (exit 77) where systemd-analyze is not
# installed.
#   unit_test.sh UNIT_FILE_OR_TEMPLATE ATTUNE_BINARY
set -euo pipefail
unit=$1
attune=$2
source "$(dirname "$0")/units_lib.sh"
units_need_systemd_analyze
units_require_exec "$unit" '--passphrase-file %E/attune/serve-passphrase serve' 'attune serve with the passphrase file'
units_with_binary "$unit" attune-serve.service "$attune"
units_verify "$units_scratch/attune-serve.service"
for setting in NoNewPrivileges=yes PrivateTmp=yes ProtectSystem=strict MemoryDenyWriteExecute=yes \
  LimitCORE=0 Restart=on-failure 'ReadWritePaths=-%h/.local/share/attune'; do
  grep -qx "$setting" "$unit" || { echo "FAIL: the unit lacks $setting" >&2; exit 1; }
done
echo "unit: systemd-analyze verify is content with $(basename "$unit")"
