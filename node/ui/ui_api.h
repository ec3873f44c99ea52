// Internal to node/ui: the JSON API of docs/ui.md over one Journal, without sockets: a route
// and its request in, a status and a JSON body out. The server calls it on its own thread.
#ifndef ATTUNE_NODE_UI_UI_API_H_
#define ATTUNE_NODE_UI_UI_API_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "node/endpoint.h"
#include "node/journal.h"
#include "node/ui/ui_guard.h"

namespace attune::node::ui {

// What the page shows of the link, as the server learned it from the link's events.
struct LinkView {
  bool connected = false;
  bool through_tor = false;
};

struct ApiAnswer {
  int status = 200;
  nlohmann::json body;
};

// POST /api/pairing/join's body: {"code": "…", "address": "HOST:PORT" or "" (look for the
// invitation on this network)}.
struct JoinRequest {
  std::string code;
  std::optional<Endpoint> inviter;
};
Result<JoinRequest> ParseJoinRequest(std::string_view body);

class Api {
 public:
  explicit Api(Journal& journal) : journal_(journal) {}

  // Answers one kApi route (except POST /api/close, which the server handles). A failure is
  // the journal's (or kBadRequest for a body that is not the object the route expects).
  Result<ApiAnswer> Answer(const Decision& request, std::string_view body, const LinkView& link,
                           int idle_lock_minutes);

 private:
  Result<ApiAnswer> Overview(const LinkView& link, int idle_lock_minutes);
  Result<ApiAnswer> Step(const Decision& request);
  Result<ApiAnswer> ListEntries(const Decision& request);
  Result<ApiAnswer> AddEntry(const nlohmann::json& body);
  Result<ApiAnswer> OneEntry(const std::string& id);
  Result<ApiAnswer> EditEntry(const std::string& id, const nlohmann::json& body);
  Result<ApiAnswer> DeleteEntry(const std::string& id);
  Result<ApiAnswer> RestoreEntry(const std::string& id);
  Result<ApiAnswer> Preview(const std::string& id, const nlohmann::json& body);
  Result<ApiAnswer> Share(const std::string& id, const nlohmann::json& body);
  Result<ApiAnswer> Unshare(const std::string& id);
  Result<ApiAnswer> Respond(const std::string& id, const nlohmann::json& body);
  Result<ApiAnswer> Restate(const std::string& id, const nlohmann::json& body);
  Result<ApiAnswer> Themes();
  Result<ApiAnswer> CheckStatement(const nlohmann::json& body);
  Result<ApiAnswer> CheckBoundary(const nlohmann::json& body);
  Result<ApiAnswer> Shared();
  Result<ApiAnswer> Quiz();
  Result<ApiAnswer> RecordQuiz(const nlohmann::json& body);
  Result<ApiAnswer> Styles();
  Result<ApiAnswer> Unpair(const nlohmann::json& body);
  // Doing a step together (node/exercises.h).
  Result<ApiAnswer> ListExercises();
  Result<ApiAnswer> AskExercise(const nlohmann::json& body);
  Result<ApiAnswer> AnswerExercise(const std::string& id, const nlohmann::json& body);
  Result<ApiAnswer> WithdrawExercise(const std::string& id);

  // An entry as the page gets it: EntryToJson plus short_id, delivery, awaiting_confirmation.
  Result<nlohmann::json> EntryView(const Entry& entry);
  Result<nlohmann::json> EntryViews(const std::vector<Entry>& entries);

  Journal& journal_;
};

}  // namespace attune::node::ui

#endif  // ATTUNE_NODE_UI_UI_API_H_
