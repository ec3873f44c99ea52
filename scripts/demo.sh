#!/usr/bin/env bash
# A short scripted session with attune, in temporary homes that are removed afterwards.
# Run through `./dev.sh demo`, which builds the binary first and sets ATTUNE_BIN.
set -euo pipefail

attune_bin=${ATTUNE_BIN:?set ATTUNE_BIN to the attune binary}
workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT

export NO_COLOR=1
# The next-step hint a terminal shows after each command would repeat what the narration says.
export ATTUNE_QUIET=1
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

narrate "Unlocking once: a background agent holds the key for 15 minutes, so the next commands"
more "ask for no passphrase (here: none is given at all). \`attune lock\` forgets it at once."
run unlock --for 15m
trap '"$attune_bin" lock >/dev/null 2>&1 || true; rm -rf "$workdir"' EXIT
ATTUNE_PASSPHRASE= run list -n 2 --newest-first
run lock

narrate "An entry written in a hurry goes to the trash: private, never sent, back with restore."
run rm "${t3:0:8}" --yes
run trash
run restore "${t3:0:8}"

narrate "A wrong passphrase opens nothing and changes nothing (exit code 5)."
ATTUNE_PASSPHRASE="not the passphrase" "$attune_bin" list || echo "(exit code $?)"

narrate "Nothing of the journal's text is in the database in the clear:"
if grep -a -q "unanswered all evening" "$ATTUNE_HOME"/journal.db*; then
  echo "FOUND plaintext in the database: this is a bug" && exit 1
else
  echo "grep for an entry's words in $ATTUNE_HOME/journal.db*: not found"
fi

narrate "A sealed backup that restores on a new machine (with the passphrase of today, or the"
more "recovery code), then the recovery code for a forgotten passphrase."
run backup --out "$workdir/alex.backup"
ATTUNE_HOME="$workdir/alex-new-laptop" run restore-backup "$workdir/alex.backup"
ATTUNE_HOME="$workdir/alex-new-laptop" run list --kind trigger
run recovery-kit | head -3

narrate "Alex's partner Sam has a journal of their own, on their own machine (here: another home)."
sam_home="$workdir/sam"
ATTUNE_HOME="$sam_home" run init --name Sam --interactive-kdf

# Two free ports for the partners' `attune serve` (each tells the other its port when pairing).
free_port() {
  local port
  for _ in $(seq 50); do
    port=$((40000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
  echo 47017
}
alex_port=$(free_port)
# Waits (up to 5 s) for the first line of a file a background command writes, and prints it.
first_line() {
  for _ in $(seq 50); do
    [ -s "$1" ] && head -n 1 "$1" | grep -q . && { head -n 1 "$1"; return; }
    sleep 0.1
  done
  echo "(no output from the background command)" >&2
  return 1
}
sam_port=$(free_port)

narrate "They pair once, with a one-time code. Alex's attune shows a code and an address and"
more "waits; Sam types them in. (In real life: two machines on the same network, or a tunnel.)"
show pair --listen 127.0.0.1:0 --serve-port "$alex_port"
"$attune_bin" pair --listen 127.0.0.1:0 --serve-port "$alex_port" >"$workdir/alex-pair.out" 2>/dev/null &
inviter=$!
offer=$(first_line "$workdir/alex-pair.out")
echo "$offer"
code=$(sed -E 's/^Pairing code: ([^ ]+) .*/\1/' <<<"$offer")
address=$(sed -E 's/.*address: ([^ ]+)$/\1/' <<<"$offer")
ATTUNE_HOME="$sam_home" run pair --join "$code" --to "$address" --serve-port "$sam_port"
wait "$inviter"
more "And on Alex's side:"
tail -n +2 "$workdir/alex-pair.out"

narrate "Both see the same safety number: read aloud, it proves nobody came between them."
run partner
ATTUNE_HOME="$sam_home" run partner | grep "Safety number"

narrate "A code works once. A wrong one fails on both sides and stores nothing (exit code 5):"
ATTUNE_HOME="$workdir/robin" "$attune_bin" init --name Robin --no-passphrase >/dev/null
ATTUNE_HOME="$workdir/kim" "$attune_bin" init --name Kim --no-passphrase >/dev/null
ATTUNE_HOME="$workdir/robin" "$attune_bin" pair --listen 127.0.0.1:0 >"$workdir/robin-pair.out" 2>&1 &
inviter=$!
address2=$(sed -E 's/.*address: ([^ ]+)$/\1/' <<<"$(first_line "$workdir/robin-pair.out")")
ATTUNE_HOME="$workdir/kim" show pair --join 1-maple-lagoon-violet --to "$address2"
ATTUNE_HOME="$workdir/kim" "$attune_bin" pair --join 1-maple-lagoon-violet --to "$address2" ||
  echo "(exit code $?)"
wait "$inviter" || echo "(and on the other side: exit code $?)"

narrate "Sam keeps attune running (attune serve); Alex checks the encrypted link with a ping."
ATTUNE_HOME="$sam_home" "$attune_bin" serve >"$workdir/sam-serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 50); do grep -q "listening" "$workdir/sam-serve.log" 2>/dev/null && break; sleep 0.1; done
run ping

narrate "Nothing is shared by default. Alex chooses, entry by entry, what Sam may read:"
more "the statement about evenings, the boundary, and a new repair note (shared as it is written)."
statement=$("$attune_bin" list --kind statement --json | sed -n 's/.*"id": "\([0-9a-f]*\)".*/\1/p' | tail -1)
run share "${statement:0:8}" --yes
run share "${b:0:8}" --yes
repair=$(run add repair "I went quiet on Sunday; next time I will say that I need an hour, and come back." --share)
more "Alex's triggers and wounds stay private. Sharing one would ask first (usually private)."
run list

narrate "One sync carries exactly those three entries to Sam, end-to-end encrypted."
run sync
more "Sam's view: Alex's shared entries, read-only on Sam's side."
ATTUNE_HOME="$sam_home" run list --partner

narrate "Sam answers the statement (responding is sharing) and shares a need of their own."
ATTUNE_HOME="$sam_home" run respond "${statement:0:8}" \
  "Ten minutes each evening sounds good to me. Let's start tonight." --ack will-try >/dev/null
ATTUNE_HOME="$sam_home" run add need "To have a little quiet time after work before we talk." \
  --share >/dev/null
run sync
narrate "Both partners' shared entries, in one timeline:"
run together

narrate "Doing a step together: an exercise asks both the same question. Each answers privately,"
more "and sees the other's answer only once both have answered (a sealed commitment goes first)."
exercise=$("$attune_bin" together ask guess-style --json | sed -n 's/.*"id": "\([0-9a-f]*\)".*/\1/p')
show together ask guess-style
run together answer "${exercise:0:8}" "I think anxious leads for Sam: the worry when I am late." >/dev/null
run sync
ATTUNE_HOME="$sam_home" run together exercises
ATTUNE_HOME="$sam_home" run together answer "${exercise:0:8}" \
  "I think avoidant leads for Alex: the quiet after a hard talk." >/dev/null
run sync
run sync
more "Both answers, side by side, on both machines:"
run together exercises
ATTUNE_HOME="$sam_home" run together exercises

narrate "Alex withdraws the repair note. Sam's node removes its copy and confirms it."
run unshare "${repair:0:8}"
run sync
run shared
ATTUNE_HOME="$sam_home" run list --partner

narrate "With attune serve running on both sides, a change arrives within moments."
"$attune_bin" serve >"$workdir/alex-serve.log" 2>&1 &
alex_serve=$!
for _ in $(seq 100); do grep -q "syncing live" "$workdir/alex-serve.log" 2>/dev/null && break; sleep 0.1; done
run add need "To hear \"I'm on my way\" when one of us is running late." --share >/dev/null
for _ in $(seq 50); do
  ATTUNE_HOME="$sam_home" "$attune_bin" list --partner | grep -q "on my way" && break
  sleep 0.1
done
ATTUNE_HOME="$sam_home" run list --partner --kind need

kill -TERM "$serve_pid" "$alex_serve"
wait "$serve_pid" "$alex_serve" || true
more "What Sam's attune serve printed meanwhile (events only, never content):"
sed 's/^/  /' "$workdir/sam-serve.log"

narrate "When the two are never online together, a bundle file carries the same exchange: any"
more "channel will do (a USB stick, e-mail, a shared folder). Only Sam's attune can open it, it"
more "proves it came from Alex, and it shows nothing but its size."
run add repair "I was short with you this morning; I was worried about work, not about us." \
  --share >/dev/null
run bundle --out "$workdir/for-sam.attune"
ATTUNE_HOME="$sam_home" run bundle --open "$workdir/for-sam.attune"
more "Opening it again changes nothing:"
ATTUNE_HOME="$sam_home" run bundle --open "$workdir/for-sam.attune"

narrate "Nothing private crossed: Alex's triggers are nowhere in Sam's database, and Sam's"
more "database holds Alex's shared words only sealed (a grep for them finds nothing either)."
if grep -a -q -e "unanswered all evening" -e "ten minutes each evening" "$sam_home"/journal.db*; then
  echo "FOUND plaintext in Sam's database: this is a bug" && exit 1
else
  echo "grep in $sam_home/journal.db*: not found"
fi

# Pairing at a distance, on a private Tor network of this machine's own (tests/onion/): the
# same attune commands a couple living apart would run, with ATTUNE_TOR_EXTRA_TORRC pointing
# each attune's tor at it instead of the public Tor network.
tor_network=$(dirname "$0")/../tests/onion/private_tor_network.py
tor_bin=$(command -v tor || echo /usr/sbin/tor)
if [ -x "$tor_bin" ] && command -v tor-gencert >/dev/null && command -v python3 >/dev/null; then
  narrate "Living apart: Jo and Kai pair through Tor. This demo starts a private Tor network on"
  more "127.0.0.1 (five small relays, about 20 s); at home, attune uses the real Tor network."
  net="$workdir/tor-network"
  trap 'python3 "$tor_network" stop --dir "$net" >/dev/null 2>&1 || true; rm -rf "$workdir"' EXIT
  python3 "$tor_network" start --dir "$net" --tor "$tor_bin" --tor-gencert "$(command -v tor-gencert)" \
    --authorities 5 --timeout 120 --owner-pid $$ >"$workdir/tor-network.log" 2>&1
  tail -n 1 "$workdir/tor-network.log"
  export ATTUNE_TOR_EXTRA_TORRC="$net/client.torrc"
  for who in jo kai; do
    ATTUNE_HOME="$workdir/$who" "$attune_bin" init --name "${who^}" --no-passphrase >/dev/null 2>&1
  done
  more "Jo invites. The code and the onion address appear once tor has published the invitation;"
  more "Jo sends the address by any messenger and reads the code out on a call."
  ATTUNE_HOME="$workdir/jo" show pair --onion
  ATTUNE_HOME="$workdir/jo" "$attune_bin" pair --onion >"$workdir/jo-pair.out" 2>/dev/null &
  inviter=$!
  for _ in $(seq 1200); do [ -s "$workdir/jo-pair.out" ] && break; sleep 0.1; done
  offer=$(head -n 1 "$workdir/jo-pair.out")
  echo "$offer"
  code=$(sed -E 's/^Pairing code: ([^ ]+) .*/\1/' <<<"$offer")
  address=$(sed -E 's/.*address: ([^ ]+)$/\1/' <<<"$offer")
  ATTUNE_HOME="$workdir/kai" run pair --join "$code" --to "$address" 2>&1 | grep -v '^attune: note'
  wait "$inviter"
  ATTUNE_HOME="$workdir/kai" run partner 2>&1 | grep -e onion -e address
  more "Jo keeps attune serve running; Kai shares a need and syncs from anywhere, through Tor"
  more "(--via onion: on this one machine, discovery would otherwise find Jo directly)."
  ATTUNE_HOME="$workdir/jo" "$attune_bin" serve >"$workdir/jo-serve.log" 2>&1 &
  jo_serve=$!
  for _ in $(seq 1200); do grep -q "through Tor" "$workdir/jo-serve.log" 2>/dev/null && break; sleep 0.1; done
  ATTUNE_HOME="$workdir/kai" run add need "To hear your voice before I sleep, wherever we are." \
    --share >/dev/null 2>&1
  ATTUNE_HOME="$workdir/kai" run sync --via onion 2>&1 | grep -v '^attune: note'
  ATTUNE_HOME="$workdir/jo" run list --partner 2>&1 | grep -v '^attune: note'
  kill -TERM "$jo_serve"
  wait "$jo_serve" || true
  python3 "$tor_network" stop --dir "$net" >/dev/null 2>&1
else
  narrate "(Pairing through Tor is shown when tor and tor-gencert are installed: apt install tor.)"
fi

narrate "Partners who never open a terminal use the browser: attune ui serves each one's journal"
more "on this machine only (127.0.0.1), behind a key in the address it prints."
ui_pids=()
for who in alex sam; do
  home="$workdir/$who"
  ATTUNE_HOME="$home" "$attune_bin" ui --no-open --no-discovery >"$workdir/$who-ui.out" \
    2>"$workdir/$who-ui.err" &
  ui_pids+=($!)
  url=$(first_line "$workdir/$who-ui.out")
  echo "${who^}'s page: $url"
done
if [ "${ATTUNE_DEMO_UI:-0}" = 1 ]; then
  more "Open the two addresses in a browser on this machine (one browser can hold both pages)."
  more "What one shares there reaches the other's page within moments. Ctrl-C ends both."
  trap 'kill -TERM "${ui_pids[@]}" 2>/dev/null || true' INT TERM
  wait "${ui_pids[@]}" || true
else
  more "(./dev.sh demo --ui keeps both pages open until Ctrl-C.)"
  kill -TERM "${ui_pids[@]}"
  wait "${ui_pids[@]}" || true
fi

narrate "Done. The demo's homes in $workdir are removed now."
