#!/usr/bin/env bash
# systemd-analyze verify of the weekly check-in reminder's user units, attune-checkin.service
# (ExecStart pointing at the binary under test) and attune-checkin.timer: weekly, made up after
# the machine was off (Persistent=), at a random moment, and not enabled by anything but the
# person (an [Install] section only). Skipped (exit 77) where systemd-analyze is not installed.
#   checkin_units_test.sh SERVICE_FILE_OR_TEMPLATE TIMER_FILE ATTUNE_BINARY
set -euo pipefail
service=$1
timer=$2
attune=$3
source "$(dirname "$0")/units_lib.sh"
units_need_systemd_analyze
units_require_exec "$service" 'checkin-reminder' 'attune checkin-reminder'
units_with_binary "$service" attune-checkin.service "$attune"
cp "$timer" "$units_scratch/attune-checkin.timer"
units_verify "$units_scratch/attune-checkin.service" "$units_scratch/attune-checkin.timer"
for setting in Persistent=true Unit=attune-checkin.service WantedBy=timers.target; do
  grep -qx "$setting" "$timer" || { echo "FAIL: the timer lacks $setting" >&2; exit 1; }
done
grep -q '^RandomizedDelaySec=' "$timer" || { echo "FAIL: the timer has no randomized delay" >&2; exit 1; }
# Weekly: systemd's own reading of OnCalendar= names one weekday.
calendar=$(sed -n 's/^OnCalendar=//p' "$timer")
normalized=$(systemd-analyze calendar "$calendar" | sed -n 's/^ *Normalized form: //p')
[[ "$normalized" =~ ^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\  ]] || {
  echo "FAIL: OnCalendar=$calendar is not weekly ($normalized)" >&2
  exit 1
}
for setting in Type=oneshot NoNewPrivileges=yes ProtectSystem=strict RestrictAddressFamilies=AF_UNIX; do
  grep -qx "$setting" "$service" || { echo "FAIL: the service lacks $setting" >&2; exit 1; }
done
# Off by default: the service is only ever started by the timer, and nothing enables either.
if grep -q '^\[Install\]' "$service"; then
  echo "FAIL: attune-checkin.service has an [Install] section: only the timer is enabled" >&2
  exit 1
fi
echo "units: systemd-analyze verify is content with attune-checkin.service and .timer"
