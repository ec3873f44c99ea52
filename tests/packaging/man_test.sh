#!/usr/bin/env bash
# The generated man page is valid troff (groff with every warning on says nothing) and has the
# sections attune(1) promises, and a COMMANDS entry for every subcommand.
#   man_test.sh MAN_PAGE(.gz) ATTUNE_BINARY
set -euo pipefail
page=$1
attune=$2
if ! command -v groff >/dev/null; then
  echo "groff is not installed: the man page was not checked"
  exit 77
fi
source_text=$(if [[ $page == *.gz ]]; then gzip -dc "$page"; else cat "$page"; fi)
if ! warnings=$(groff -man -Tutf8 -ww -z <<<"$source_text" 2>&1) || [ -n "$warnings" ]; then
  echo "FAIL: groff complains about $page:" >&2
  echo "$warnings" >&2
  exit 1
fi
for section in NAME SYNOPSIS DESCRIPTION OPTIONS COMMANDS '"EXIT STATUS"' ENVIRONMENT FILES \
  SECURITY '"SEE ALSO"'; do
  grep -qx "\.SH $section" <<<"$source_text" || { echo "FAIL: no $section section" >&2; exit 1; }
done
for command in $("$attune" --help | sed -n '/^Subcommands:/,$p' |
  sed -n 's/^  \([a-z][a-z0-9-]*\) .*/\1/p'); do
  grep -q "^\.SS \"attune $command\"" <<<"$source_text" ||
    { echo "FAIL: COMMANDS has no entry for $command" >&2; exit 1; }
done
echo "man page: valid troff, every section and command present"
