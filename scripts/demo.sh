#!/usr/bin/env bash
# A short scripted session with attune, in temporary homes that are removed afterwards.
# Run through `./dev.sh demo`, which builds the binary first and sets ATTUNE_BIN.
set -euo pipefail

attune_bin=${ATTUNE_BIN:?set ATTUNE_BIN to the attune binary}
workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT

export NO_COLOR=1
export ATTUNE_HOME="$workdir/alex"
# The demo uses a passphrase from the environment so it can run unattended. In daily use,
# attune asks for it on the terminal without echo.
export ATTUNE_PASSPHRASE="correct horse battery staple"

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
narrate() { printf '\n%s# %s%s\n' "$bold" "$*" "$plain"; }
more() { printf '%s# %s%s\n' "$bold" "$*" "$plain"; }
# Shows the command as a person would type it (to stderr, so $(run ...) captures only output).
show() {
  local line='$ attune' arg
  for arg in "$@"; do
    case "$arg" in *[[:space:]]*|'') line+=" \"$arg\"" ;; *) line+=" $arg" ;; esac
  done
  printf '%s\n' "$line" >&2
}
run() {
  show "$@"
  "$attune_bin" "$@"
}

narrate "Alex starts a private journal. It lives in $ATTUNE_HOME and is encrypted with a key"
more "that only Alex's passphrase unlocks (demo: the faster Argon2id setting)."
run init --name Alex --interactive-kdf

narrate "Step 1: a self-assessment of attachment anxiety and avoidance (answers piped in here;"
more "on a terminal attune asks item by item)."
printf '%s\n' 5 3 6 4 5 2 6 5 3   2 3 2 5 2 6 3 2 5 | run quiz

narrate "Step 3: a few upsides and downsides of that style."
run add upside "I notice quickly when someone I love is hurting." >/dev/null
run add downside "I can read a delayed reply as a sign that I am not wanted." >/dev/null
echo "(two entries added; the text could also come from standard input or the editor)"

narrate "Step 4: triggers, noted without judgement. Tags help themes emerge."
t1=$(run add trigger "I feel anxious when plans change at the last minute." --tag plans --tag uncertainty)
t2=$(run add trigger "I feel small when my message goes unanswered all evening." --tag silence)
t3=$(run add trigger "I feel uneasy when plans are left open." --tag plans)
run themes

narrate "Step 5: a wound found in those themes, linked to the triggers it explains."
run add wound "Fear that I will be left without warning." --link "${t1:0:8}" --link "${t3:0:8}"

narrate "Step 7: a need statement. attune gently points out phrasing that may land as blame."
run statement --feel "ignored" --when "you never answer my texts" \
  --need "we agree on a quick check-in when one of us is running late"
run statement --feel "lonely" --when "we go a whole day without talking" \
  --need "we share ten minutes each evening"

narrate "Step 8: a boundary, and a note when it had to be restated."
b=$(run add boundary "I need to finish a hard conversation another time if I start to shut down.")
run boundary restate "${b:0:8}" "We paused on Sunday and came back to it on Monday."

narrate "Where Alex is in the nine steps, and the latest style result."
run steps
run list --step 4
run search plans

narrate "A wrong passphrase opens nothing and changes nothing (exit code 5)."
ATTUNE_PASSPHRASE="not the passphrase" "$attune_bin" list || echo "(exit code $?)"

narrate "Nothing of the journal's text is in the database in the clear:"
if grep -a -q "unanswered all evening" "$ATTUNE_HOME"/journal.db*; then
  echo "FOUND plaintext in the database: this is a bug" && exit 1
else
  echo "grep for an entry's words in $ATTUNE_HOME/journal.db*: not found"
fi

narrate "A backup that restores on a new machine, then the recovery code for a forgotten passphrase."
run export --format json --out "$workdir/alex-backup.json"
ATTUNE_HOME="$workdir/alex-new-laptop" "$attune_bin" init --name Alex --no-passphrase >/dev/null
ATTUNE_HOME="$workdir/alex-new-laptop" run import "$workdir/alex-backup.json"
run recovery-kit | head -3

narrate "Done. The demo's homes in $workdir are removed now."
