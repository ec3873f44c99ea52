// The sentences a person reads when something goes wrong: what happened and what to do.
#ifndef ATTUNE_CLI_MESSAGES_H_
#define ATTUNE_CLI_MESSAGES_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/status.h"
#include "node/home.h"
#include "node/journal.h"
#include "node/link.h"
#include "node/serve_events.h"

namespace attune::cli {

// cli's own reason (base/status.h; cli's range is 700-799).
enum class CliReason {
  // The detail is already the whole message for the person, worded here in cli (a bundle's
  // problems are about a file, not a connection; a missing file is not a missing entry).
  // Explain prints it as it is; the code still chooses the exit code.
  kWorded = 700,
  // kInvalidArgument: no passphrase was given and there is no terminal to ask on.
  kNeedsPassphrase = 701,
  // kNotFound: a file named on the command line (an export to import, a passphrase file) could
  // not be opened. The detail names it ("/path", "the passphrase file /path").
  kCannotOpenFile = 702,
  // kInvalidArgument: a passphrase file other users may read, refused unread. The detail is
  // the whole message (cli/keeping_messages.h, PassphraseFileOpen), said as it is.
  kPassphraseFileOpen = 703,
  // A bundle's refusals (cli/bundle_messages.h), worded there like kWorded, and named for
  // scripts: it continues one not opened here (kNotFound), is not from the partner for this
  // journal (kUnknownPeer), was damaged on the way or holds something malformed (kProtocolError).
  kBundleGap = 704,
  kBundleNotForYou = 705,
  kBundleDamaged = 706,
  kBundleMalformed = 707,
  // kInvalidArgument: standard input held another number of lines than a statement has parts
  // left to give (cli/text_input.h, WrongStatementLines); the detail says what it must hold.
  kStatementLines = 708,
  // kNotFound: the editor ($VISUAL, else $EDITOR, else vi) could not be started: the shell found
  // no such command. The detail is the command.
  kEditorNotFound = 709,
};

// `status`, keeping its code (and so its exit code), with `text` + "." as the whole message
// (CliReason::kWorded, or one of the worded reasons above, in place of any reason it had:
// reword only what no reason's exit code depends on).
Status Reworded(const Status& status, const std::string& text,
                CliReason reason = CliReason::kWorded);

// Why the partner was found nowhere (LinkReason::kPartnerNotFound; `facts` is its detail: the
// last address, what it said, then a line for each address heard), without a final full stop.
std::string PartnerNotFoundText(const std::string& facts);

// One or two lines for standard error, without the "attune: " prefix.
// An entry's text over the limit (JournalReason::kTextTooLong; `size_bytes` is the detail),
// and one that is not UTF-8: what happened, for the terminal and the page alike.
std::string TextTooLongText(const std::string& size_bytes);
inline constexpr const char* kTextNotUtf8Text =
    "the text is not UTF-8: it may come from a file saved in another encoding (such as Latin-1 "
    "or UTF-16). Nothing was saved.";

std::string Explain(const Status& status);

// The stable name of the status's typed reason ("link_partner_not_found", ...), or "" if it has
// none a script could use.
std::string ReasonName(const Status& status);
// What a failing command run with --json prints on standard output besides the sentence on
// standard error: {"error": {"exit": its exit code, "code": StatusCodeName, "reason": ReasonName if
// any, "message": the sentence}}.
nlohmann::json ErrorJson(const Status& status);

// After a command: which entries and records failed their integrity check (never sent; the
// rest of the journal worked) and what to do about them.
std::string DamageMessage(const node::DamageReport& damage);
// A path of the home that other users may reach, with the chmod (quoted for the shell, to be
// copied as it is) that makes it private again.
std::string PermissionWarning(const node::LoosePath& loose);
// Said once by every command on a journal without a passphrase.
std::string UnprotectedNote();
// Said once by the command that upgraded a journal made before format 2.
std::string UpgradedNote();
// Said once by the command that wiped `wiped` (> 0) drafts left by an attune that was stopped
// while its editor was open.
std::string WipedDraftsNote(int wiped);
// Said by `export --out PATH` once the file is written: where, and that it is not encrypted.
std::string ExportedNote(const std::string& path);

// One of serve's typed events as its line says it, without the "attune serve: " prefix. Never
// a name or a key: serve names nobody.
std::string ServeEventText(const node::ServeEvent& event);
// The same event as one JSON object, for `serve --json`: "event" (its kind, snake_case), and
// where they apply "host", "port", the session's counts, "count", "retry_in_s", and "problem"
// ({"exit": the exit code the same failure gives a command, "reason": its typed reason or 0}).
nlohmann::json ServeEventJson(const node::ServeEvent& event);
// Prints serve's events (and its "looking for your partner" moments) on standard output as
// `attune serve` does: lines of text, or JSON lines with `json`. `also` hears each event too
// (`attune ui` hands them to its page).
void ReportServeEvents(node::ServeOptions& options, bool json,
                       std::function<void(const node::ServeEvent&)> also = {});

}  // namespace attune::cli

#endif  // ATTUNE_CLI_MESSAGES_H_
