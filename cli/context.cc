#include "cli/context.h"

#include <iostream>

#include "cli/passphrase.h"
#include "node/agent.h"
#include "node/journal_reason.h"

namespace attune::cli {

Result<node::Home> Context::ResolveHome() const {
  ATTUNE_ASSIGN_OR_RETURN(std::string dir,
                          node::ResolveHome(node::HomeSourcesFromEnvironment(options.home)));
  return node::Home(dir);
}

Result<node::Journal> Context::OpenJournal(std::string prompt, KeyFrom from) const {
  ATTUNE_ASSIGN_OR_RETURN(node::Home home, ResolveHome());
  if (from == KeyFrom::kAgentOrPassphrase) {
    ATTUNE_ASSIGN_OR_RETURN(std::optional<node::Journal> unlocked,
                            node::OpenWithAgent(home, clock));
    if (unlocked) {
      Track(*unlocked);
      return std::move(*unlocked);
    }
  }
  // A passphrase typed on the terminal may be mistyped: it is asked again, up to three times.
  const int tries = PassphraseIsTyped(options.passphrase_file) ? kPassphraseTries : 1;
  for (int attempt = 1;; ++attempt) {
    Result<node::Journal> journal =
        node::Journal::Open(home, ExistingPassphrase(options.passphrase_file, prompt), clock);
    if (journal.ok()) Track(*journal);
    if (!journal.status().Is(node::JournalReason::kWrongPassphrase) || attempt >= tries) {
      return journal;
    }
    std::cerr << "That passphrase does not open this journal; try again.\n";
  }
}

void Context::Track(const node::Journal& journal) const {
  opened_ = OpenedJournal{journal.damage(), !journal.passphrase_protected(), journal.upgraded()};
}

Result<std::optional<node::HomeLock>> LockHomeForNode(const node::Home& home) {
  if (!home.HasJournal()) return std::optional<node::HomeLock>();
  Result<node::HomeLock> taken = node::HomeLock::Acquire(home);
  if (!taken.ok() && taken.status().code() == StatusCode::kBusy) {
    return taken.status().WithReason(node::JournalReason::kHomeInUse);
  }
  if (!taken.ok()) return taken.status();
  return std::optional<node::HomeLock>(std::move(*taken));
}

}  // namespace attune::cli
