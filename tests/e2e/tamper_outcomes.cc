// What each change to Sam's database file does: the tamper test's table of expected outcomes
// (tamper_cases.h). Exit codes as docs/guide.md documents them: 0 the change does not matter to
// the command; 8 damaged (the command names what); 5 a wrong passphrase; 3 no such entry;
// 16 not paired. Sam's shared entry that waits to be sent ("pending") either still reaches Alex
// (kArrives) or goes out as a withdrawal, never as content.
#include "tests/e2e/tamper_cases.h"

namespace attune::e2e::tamper {
namespace {

constexpr Change kColumn = Change::kColumn;
constexpr Change kDeleted = Change::kRowDeleted;
constexpr Change kPlanted = Change::kRowPlanted;

// Every column of an entry's row is bound into its seal.
constexpr std::string_view kPrivateEntryDamaged =
    "bound into the seal: the private entry is damaged; sync and serve never read it";
constexpr std::string_view kSharedEntryDamaged =
    "bound into the seal: the shared entry is damaged, its log row goes out as a withdrawal";
constexpr std::string_view kLogRowDamaged =
    "bound into the log row's seal: the row goes out as a withdrawal, never as content";
// Every row's identity (entry id, seq, withdrawn) is covered by the log's seal.
constexpr std::string_view kLogChanged =
    "the log no longer matches its seal: sync and serve send nothing (exit 8), naming the "
    "outgoing log; `unshare --all` starts it over";
constexpr std::string_view kRecordDamaged =
    "a sealed record: sync and serve need it and stop (exit 8), naming it; list works";

}  // namespace

const std::vector<Outcome>& Outcomes() {
  // clang-format off
  static const std::vector<Outcome> outcomes = {
    // ---- entries: the private need ----                          list show sync serve
    {{"entries", "id", "private", kColumn},                 {8, 8, 0, 0}, kArrives | kNamed, kPrivateEntryDamaged},
    {{"entries", "kind", "private", kColumn},               {8, 8, 0, 0}, kArrives | kNamed, kPrivateEntryDamaged},
    {{"entries", "step", "private", kColumn},               {8, 8, 0, 0}, kArrives | kNamed, kPrivateEntryDamaged},
    {{"entries", "created_ms", "private", kColumn},         {8, 8, 0, 0}, kArrives | kNamed, kPrivateEntryDamaged},
    {{"entries", "created_offset_min", "private", kColumn}, {8, 8, 0, 0}, kArrives | kNamed, kPrivateEntryDamaged},
    {{"entries", "updated_ms", "private", kColumn},         {8, 8, 0, 0}, kArrives | kNamed, kPrivateEntryDamaged},
    {{"entries", "updated_offset_min", "private", kColumn}, {8, 8, 0, 0}, kArrives | kNamed, kPrivateEntryDamaged},
    {{"entries", "body", "private", kColumn},               {8, 8, 0, 0}, kArrives | kNamed, kPrivateEntryDamaged},
    {{"entries", "visibility", "private", kColumn},         {8, 8, 0, 0}, kArrives | kNamed,
     "made to look shared: damaged, and with no log row nothing could send it anyway"},
    {{"entries", "author", "private", kColumn},             {8, 8, 0, 0}, kArrives | kNamed,
     "made to look like Alex's: `list` checks the author on the opened entry, so it finds the "
     "row damaged instead of passing it over as Alex's"},
    {{"entries", "", "private", kDeleted},                  {0, 3, 0, 0}, kArrives,
     "a deleted row leaves no trace to check: it is simply gone"},
    {{"entries", "", "private", kPlanted},                  {8, 8, 8, 8}, kNamed,
     "the private need copied under a new id, made shared, with a log row copied from the "
     "pending one: the copy fails its seal (its id is bound), and the log no longer matches "
     "its seal, so nothing is sent"},
    // ---- entries: the pending shared need (edited since, unconfirmed) ----
    {{"entries", "id", "shared", kColumn},                  {8, 8, 8, 8}, kNamed,
     "its log row names an id that no longer opens: a withdrawal"},
    {{"entries", "kind", "shared", kColumn},                {8, 8, 8, 8}, kNamed, kSharedEntryDamaged},
    {{"entries", "step", "shared", kColumn},                {8, 8, 8, 8}, kNamed, kSharedEntryDamaged},
    {{"entries", "created_ms", "shared", kColumn},          {8, 8, 8, 8}, kNamed, kSharedEntryDamaged},
    {{"entries", "created_offset_min", "shared", kColumn},  {8, 8, 8, 8}, kNamed, kSharedEntryDamaged},
    {{"entries", "updated_ms", "shared", kColumn},          {8, 8, 8, 8}, kNamed, kSharedEntryDamaged},
    {{"entries", "updated_offset_min", "shared", kColumn},  {8, 8, 8, 8}, kNamed, kSharedEntryDamaged},
    {{"entries", "body", "shared", kColumn},                {8, 8, 8, 8}, kNamed, kSharedEntryDamaged},
    {{"entries", "visibility", "shared", kColumn},          {8, 8, 8, 8}, kNamed, kSharedEntryDamaged},
    {{"entries", "author", "shared", kColumn},              {8, 8, 8, 8}, kNamed,
     "made to look like Alex's: `list` finds it damaged (as for the private need); sync and "
     "serve open it before sending and withdraw it"},
    {{"entries", "", "shared", kDeleted},                   {0, 3, 8, 8}, kNamed,
     "its log row names no entry: a withdrawal, the row named"},
    // ---- outgoing: the pending entry's content row ----
    {{"outgoing", "entry_id", "content", kColumn},          {0, 0, 8, 8}, kNamed, kLogChanged},
    {{"outgoing", "seq", "content", kColumn},               {0, 0, 8, 8}, kNamed, kLogChanged},
    {{"outgoing", "withdrawn", "content", kColumn},         {0, 0, 8, 8}, kNamed, kLogChanged},
    {{"outgoing", "sealed", "content", kColumn},            {0, 0, 8, 8}, kNamed, kLogRowDamaged},
    {{"outgoing", "", "content", kDeleted},                 {0, 0, 8, 8}, kNamed, kLogChanged},
    // ---- outgoing: the withdrawn note's tombstone ----
    {{"outgoing", "entry_id", "tombstone", kColumn},        {0, 0, 8, 8}, kNamed, kLogChanged},
    {{"outgoing", "seq", "tombstone", kColumn},             {0, 0, 8, 8}, kNamed, kLogChanged},
    {{"outgoing", "withdrawn", "tombstone", kColumn},       {0, 0, 8, 8}, kNamed,
     "turned into a content row for the private note: the log no longer matches its seal "
     "(and the row's own seal binds withdrawn)"},
    {{"outgoing", "sealed", "tombstone", kColumn},          {0, 0, 8, 8}, kArrives | kNamed, kLogRowDamaged},
    {{"outgoing", "", "tombstone", kDeleted},               {0, 0, 8, 8}, kNamed,
     "a deleted tombstone could let a withdrawn entry's older rows come back: the log no "
     "longer matches its seal, nothing is sent"},
    {{"outgoing", "", "private", kPlanted},                 {0, 0, 8, 8}, kNamed,
     "a content row for the private need, seal copied from the pending row: the log no longer "
     "matches its seal (and the row's own seal binds the id and seq)"},
    {{"outgoing", "", "", Change::kLogRewritten},           {8, 8, 8, 8}, kNamed,
     "every own entry made shared and given a content row (finding 3, all at once): each "
     "changed entry is damaged, and the log no longer matches its seal: nothing is sent"},
    // ---- meta: the log's seal ----
    {{"meta", "value", "log.seal", kColumn},                {0, kNotRun, 8, 8}, kNamed, kRecordDamaged},
    {{"meta", "", "log.seal", kDeleted},                    {0, kNotRun, 8, 8}, kNamed,
     "a log with rows and no seal: nothing is sent until `unshare --all` starts it over"},
    // ---- meta: the key rows ----
    {{"meta", "value", "key.kdf", kColumn},                 {5, kNotRun, 5, 5}, kUntouched,
     "a changed salt derives another key: it reads as a wrong passphrase"},
    {{"meta", "", "key.kdf", kDeleted},                     {8, kNotRun, 8, 8}, kUntouched,
     "the wrapped key cannot be unwrapped without its parameters: damaged"},
    {{"meta", "value", "key.wrapped", kColumn},             {5, kNotRun, 5, 5}, kUntouched,
     "the wrapped key fails to open under the passphrase's key: a wrong passphrase"},
    {{"meta", "", "key.wrapped", kDeleted},                 {8, kNotRun, 8, 8}, kUntouched,
     "no key to unwrap: damaged"},
    {{"meta", "value", "key.check", kColumn},               {8, kNotRun, 8, 8}, kUntouched,
     "the key no longer matches its key check: damaged"},
    {{"meta", "", "key.check", kDeleted},                   {8, kNotRun, 8, 8}, kUntouched,
     "no key check: damaged"},
    {{"meta", "", "key.plain", kPlanted},                   {8, kNotRun, 8, 8}, kUntouched,
     "an unprotected key beside the protected one would switch the passphrase off: refused"},
    // ---- meta: the journal's records ----
    {{"meta", "value", "journal.name", kColumn},            {0, kNotRun, 0, 0}, kArrives,
     "the name travels only in pairing (which would refuse it as damaged); sync and serve "
     "never read it"},
    {{"meta", "", "journal.name", kDeleted},                {0, kNotRun, 0, 0}, kArrives,
     "the name travels only in pairing; sync and serve never read it"},
    {{"meta", "value", "link.handshake_sent", kColumn},     {0, kNotRun, 8, 0}, kArrivesByServe | kNamed,
     "sync needs its last handshake counter to issue the next: it stops, naming it; serve "
     "answers and never issues one, so the entry arrives when Alex connects"},
    {{"meta", "", "link.handshake_sent", kDeleted},         {0, kNotRun, 0, 0}, kArrives,
     "the next counter comes from the clock, above every one Alex has seen: nothing is lost "
     "and nothing can be replayed"},
    {{"meta", "value", "link.identity", kColumn},           {0, kNotRun, 8, 8}, kNamed, kRecordDamaged},
    {{"meta", "", "link.identity", kDeleted},               {0, kNotRun, 8, 8}, kNamed, kRecordDamaged},
    {{"meta", "value", "link.partner", kColumn},            {0, kNotRun, 8, 8}, kNamed, kRecordDamaged},
    {{"meta", "", "link.partner", kDeleted},                {0, kNotRun, 16, 16}, kNone,
     "without the partner record the journal reads as not paired"},
    {{"meta", "value", "link.onion", kColumn},              {0, kNotRun, 0, 0}, kArrives,
     "the onion keys: `pair` and `partner` read them (and name them as damaged); sync and serve "
     "do not use them yet"},
    {{"meta", "", "link.onion", kDeleted},                  {0, kNotRun, 0, 0}, kArrives,
     "never made anew once told to the partner: `partner` names them as damaged; sync and "
     "serve do not use them yet"},
    {{"meta", "value", "link.serve_port", kColumn},         {0, kNotRun, 8, 8}, kNamed, kRecordDamaged},
    {{"meta", "", "link.serve_port", kDeleted},             {0, kNotRun, 0, 0}, kArrives,
     "the default serve port is told instead; --listen decides where serve listens"},
    {{"meta", "value", "sync.epoch", kColumn},              {0, kNotRun, 8, 8}, kNamed, kRecordDamaged},
    {{"meta", "", "sync.epoch", kDeleted},                  {0, kNotRun, 0, 0}, kArrives,
     "the log starts a new epoch: Alex is sent every confirmed row again, nothing more"},
    {{"meta", "value", "sync.peer_acked", kColumn},         {0, kNotRun, 0, 0}, kArrives,
     "only `shared` and bundles read it: a sync asks Alex's node instead, and writes it anew"},
    {{"meta", "", "sync.peer_acked", kDeleted},             {0, kNotRun, 0, 0}, kArrives,
     "read as nothing acknowledged by `shared` and bundles; a sync asks Alex's node, writes it anew"},
    {{"meta", "value", "sync.peer_epoch", kColumn},         {0, kNotRun, 8, 8}, kNamed, kRecordDamaged},
    {{"meta", "", "sync.peer_epoch", kDeleted},             {0, kNotRun, 0, 0}, kArrives,
     "Alex's log is fetched again from its start"},
    {{"meta", "value", "sync.peer_applied", kColumn},       {0, kNotRun, 8, 8}, kNamed, kRecordDamaged},
    {{"meta", "", "sync.peer_applied", kDeleted},           {0, kNotRun, 0, 0}, kArrives,
     "Alex's log is applied again from its start"},
    // ---- meta: the record of the trash (Sam's deleted need is in it) ----
    {{"meta", "value", "trash.index", kColumn},             {8, kNotRun, 8, 8}, kArrives | kNamed,
     "every command reads it when it opens the journal and names it; the entries' own seals "
     "still say what is in the trash, and `attune trash` rebuilds it"},
    {{"meta", "", "trash.index", kDeleted},                 {0, kNotRun, 0, 0}, kArrives,
     "a hint only: each entry's seal says whether it is in the trash (nothing comes back); "
     "emptying waits until `attune trash` rebuilds it"},
    {{"meta", "key", "sync.epoch", kColumn},                {0, kNotRun, 8, 8}, kNamed,
     "two records swap names: each is sealed with its own name, both are damaged"},
    // ---- the file header ----
    {{"header", "user_version", "", Change::kHeader},       {8, kNotRun, 8, 8}, kUntouched,
     "a schema version newer than this attune's: refused, never written"},
    {{"header", "application_id", "", Change::kHeader},     {8, kNotRun, 8, 8}, kUntouched,
     "not an attune database: refused, never written"},
  };
  // clang-format on
  return outcomes;
}

}  // namespace attune::e2e::tamper
