// What `attune ui` and its page say (docs/ui.md): the words the page shows, from cli's own
// sentences so that the command line and the page never drift, and the sentences for the page
// server's refusals.
#ifndef ATTUNE_CLI_UI_MESSAGES_H_
#define ATTUNE_CLI_UI_MESSAGES_H_

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "node/ui.h"

namespace attune::cli {

// The page's sentences, keyed as docs/ui.md lists them: the table attune_page_wording turns
// into the page's asset GET /wording.json while attune is built.
std::string UiWordingJson();

// A failure as the page says it: Explain's sentence, except where that names a command or a flag
// to type; then the same way out with the page's own controls.
std::string ExplainOnPage(const Status& status);

// A refusal of the page's server (node::UiReason), in words; nullopt for other failures.
std::optional<std::string> ExplainUiFailure(const Status& status);

// The page's words (`wording_json`, as built into the program) and cli's descriptions of
// failures and link events, for a page server (the one `attune ui` starts, or the one serve
// hosts for it).
node::UiOptions PageOptions(std::string_view wording_json);

// What `attune ui` prints on standard error once its page is served, and once it ends.
std::string UiStartedText(bool opened_browser, bool runs_link);
std::string UiEndedText(node::UiEnd end);
// The same when the running `serve` hosts the page.
std::string HostedPageText(bool opened_browser);
std::string HostedPageEndedText(node::HostedPageEnd end);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_UI_MESSAGES_H_
