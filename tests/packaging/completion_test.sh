#!/usr/bin/env bash
# The bash completion against the binary it completes: its command list equals the subcommands
# `attune --help` lists, its kinds equal those `attune add --help` names, and completing a few
# typical command lines gives what a person expects.
#   completion_test.sh ATTUNE_BINARY COMPLETION_FILE
set -uo pipefail
attune=$1
completion=$2
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# shellcheck source=/dev/null
source "$completion" || { echo "FAIL: cannot source $completion" >&2; exit 1; }

sorted_words() { tr ' \n' '\n\n' | sed '/^$/d' | sort; }

from_help=$("$attune" --help | sed -n '/^Subcommands:/,$p' | sed -n 's/^  \([a-z][a-z0-9-]*\) .*/\1/p' |
  sorted_words)
in_file=$(printf '%s\n' $_attune_commands | sorted_words)
[ -n "$from_help" ] || fail "no subcommands found in \`attune --help\`"
if [ "$from_help" != "$in_file" ]; then
  fail "the completion's commands differ from \`attune --help\` (< help, > completion):"
  diff <(echo "$from_help") <(echo "$in_file") >&2
fi

kinds_help=$("$attune" add --help | sed -n 's/.*One of: //p' | tr ',' ' ' | sorted_words)
kinds_file=$(printf '%s\n' $_attune_kinds | sorted_words)
[ -n "$kinds_help" ] || fail "no kinds found in \`attune add --help\`"
[ "$kinds_help" = "$kinds_file" ] || fail "the completion's kinds differ from \`attune add --help\`"

# complete WORDS...: COMPREPLY for the command line WORDS, the cursor on the last word.
complete_line() {
  COMP_WORDS=("$attune" "$@")
  COMP_CWORD=$#
  COMPREPLY=()
  _attune
  printf '%s\n' "${COMPREPLY[@]}"
}
expect() {
  local want=$1
  shift
  complete_line "$@" | grep -qx -- "$want" || fail "completing '$*' does not offer '$want'"
}
expect add ad
expect doctor do
expect trigger add tr
expect wound list --kind wo
expect --kind list --ki
expect --json doctor --js
expect --home show --ho
expect restate --home /tmp boundary re
expect json export --format j
expect will-try respond abc --ack wi
[ -z "$(complete_line add trigger tr)" ] || fail "the text after a kind is not completed as a kind"

if [ "$failures" -ne 0 ]; then
  echo "$failures completion check(s) failed" >&2
  exit 1
fi
echo "completion: $(wc -w <<<"$in_file") commands and $(wc -w <<<"$kinds_file") kinds match the binary"
