// The sentences a person reads when something goes wrong: what happened and what to do.
#ifndef ATTUNE_CLI_MESSAGES_H_
#define ATTUNE_CLI_MESSAGES_H_

#include <string>
#include <string_view>

#include "base/status.h"
#include "node/journal.h"
#include "node/link.h"

namespace attune::cli {

// A detail that starts with this is already the whole message for the person (a bundle's
// problems are about a file, not a connection; a missing file is not a missing entry). Explain
// prints the rest as it is; the code still chooses the exit code.
inline constexpr std::string_view kWholeMessage = "\x1e";

// `status`, keeping its code (and so its exit code), with `text` + "." as the whole message.
Status Reworded(const Status& status, const std::string& text);

// One or two lines for standard error, without the "attune: " prefix.
std::string Explain(const Status& status);

// After a command: which entries and records failed their integrity check (never sent; the
// rest of the journal worked) and what to do about them.
std::string DamageMessage(const node::DamageReport& damage);
// Said once by every command on a journal without a passphrase.
std::string UnprotectedNote();
// Said once by the command that upgraded a journal made before format 2.
std::string UpgradedNote();

// One of serve's typed notices as its line says it, without the "attune serve: " prefix. Never
// a name or a key: serve names nobody.
std::string ServeNoticeText(const node::ServeNotice& notice);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_MESSAGES_H_
