#include "cli/context.h"

#include "cli/passphrase.h"

namespace attune::cli {

Result<node::Home> Context::ResolveHome() const {
  ATTUNE_ASSIGN_OR_RETURN(std::string dir,
                          node::ResolveHome(node::HomeSourcesFromEnvironment(options.home)));
  return node::Home(dir);
}

Result<node::Journal> Context::OpenJournal() const {
  ATTUNE_ASSIGN_OR_RETURN(node::Home home, ResolveHome());
  Result<node::Journal> journal =
      node::Journal::Open(home, ExistingPassphrase(options.passphrase_file), clock);
  if (journal.ok()) Track(*journal);
  return journal;
}

void Context::Track(const node::Journal& journal) const {
  opened_ = OpenedJournal{journal.damage(), !journal.passphrase_protected(), journal.upgraded()};
}

}  // namespace attune::cli
