# Sourced by the tests of attune's systemd user units (unit_test.sh, checkin_units_test.sh).
#   units_need_systemd_analyze          exits 77 (skipped) where systemd-analyze is missing
#   units_require_exec UNIT ARGS WHAT    fails unless ExecStart is a program followed by ARGS
#   units_with_binary TEMPLATE NAME BIN  writes TEMPLATE with ExecStart's program set to BIN as
#                                        $units_scratch/NAME
#   units_verify FILE...                 systemd-analyze --user verify; any complaint fails (verify
#                                        itself exits 0 on unknown keys or syscall groups)

units_need_systemd_analyze() {
  if ! command -v systemd-analyze >/dev/null; then
    echo "systemd-analyze is not installed: the units were not verified"
    exit 77
  fi
  units_scratch=$(mktemp -d "${TMPDIR:-/tmp}/attune-units.XXXXXX")
  trap 'rm -rf "$units_scratch"' EXIT
  mkdir -m 700 "$units_scratch/run"
}

units_require_exec() {
  grep -qx "ExecStart=[^ ]\+ $2" "$1" || {
    echo "FAIL: ExecStart is not $3:" >&2
    grep '^ExecStart=' "$1" >&2
    exit 1
  }
}

units_with_binary() {
  sed "s|^ExecStart=[^ ]*|ExecStart=$3|" "$1" >"$units_scratch/$2"
}

units_verify() {
  local out
  # --man=no: Documentation= names man:attune(1), which need not be installed where this runs.
  if ! out=$(XDG_RUNTIME_DIR=$units_scratch/run systemd-analyze --user verify --man=no "$@" 2>&1) ||
    [ -n "$out" ]; then
    echo "FAIL: systemd-analyze verify:" >&2
    echo "$out" >&2
    exit 1
  fi
}
