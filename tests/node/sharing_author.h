// One partner of the sharing property test (sharing_simulation.h): a real journal, its clock, the
// model of what its author wrote and confirmed, and the changes a person makes through the
// journal's API, chosen at random. Every call is checked against the model as it is made: it must
// store what was written, and every share preview must show exactly the entry as written (less
// quiz answers the author keeps).
#ifndef ATTUNE_TESTS_NODE_SHARING_AUTHOR_H_
#define ATTUNE_TESTS_NODE_SHARING_AUTHOR_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "node/clock.h"
#include "node/journal.h"
#include "tests/common/random_runs.h"
#include "tests/node/journal_node.h"
#include "tests/node/sharing_model.h"

namespace attune::node::testing {

// What the authors of a run did, by kind, so that a reader can see every path was reached.
struct OpCounts {
  uint64_t add_private = 0;
  uint64_t add_shared = 0;
  uint64_t quiz = 0;
  uint64_t edit_text = 0;
  uint64_t edit_fields = 0;
  uint64_t recompose = 0;               // statement re-composition
  uint64_t restate = 0;                 // boundary restatement
  uint64_t confirmed = 0;               // previews confirmed (new shares and new versions)
  uint64_t confirmed_with_answers = 0;  // ... of style results, with their quiz answers
  uint64_t shared_in_one = 0;           // Share(): preview and confirmation in one call
  uint64_t waiting = 0;                 // changes to shared entries, and previews, left unconfirmed
  uint64_t late_confirmed = 0;          // previews confirmed after other operations
  uint64_t stale_refused = 0;           // ... refused: the entry changed since (or was deleted)
  uint64_t unshare = 0;
  uint64_t remove = 0;
  uint64_t respond = 0;
  uint64_t refused = 0;  // calls the journal must refuse (a style result's text, ...)
  uint64_t restarts = 0;

  OpCounts& operator+=(const OpCounts& other);
  // "add_private=3 add_shared=2 ...".
  std::string ToString() const;
  // The names of the counts that are zero.
  std::vector<std::string> Missing() const;
};

// What both authors of a run share: its one source of randomness and its records.
struct RunContext {
  test_common::Dice& dice;
  MarkerBook& markers;
  OpLog& log;
  OpCounts& counts;
};

class Author {
 public:
  // `who` names the author in messages ("A"); the journal lives in `dir`, its clock starts at
  // `start`. `run` must outlive the author.
  Author(std::string who, const std::string& dir, Timestamp start, RunContext& run);
  Author(const Author&) = delete;
  Author& operator=(const Author&) = delete;

  // One change to the journal, as its author might make it; where the journal asks before a new
  // version travels, the author confirms it or leaves it waiting. An error says what the journal
  // did that the author did not ask for.
  Status Act(const Author& partner);
  // Closes the journal and opens it again, as a new process would.
  Status Restart();
  void AdvanceClock(int64_t ms) { clock_.Advance(ms); }

  JournalNode& node() { return node_; }
  AuthorModel& model() { return model_; }
  const AuthorModel& model() const { return model_; }

 private:
  using Candidates = std::vector<AuthoredEntry*>;

  Status Add(bool share, std::optional<std::string_view> kind = std::nullopt);
  // A new entry of `kind`: every string in it carries a new marker labelled `label`; now and
  // then long enough to travel in fragments; sometimes linked to other entries.
  NewEntry Write(const std::string& kind, std::string_view label);
  Status TakeQuiz();
  Status EditText();
  Status EditFields();
  Status Recompose();
  Status Restate();
  Status ShareOne();
  Status Share(AuthoredEntry& authored);
  Status ConfirmLater();
  Status Unshare();
  Status Remove();
  Status Respond(const Author& partner);

  // After a change to a shared entry: the author confirms its new version, or leaves it waiting.
  Status AskToConfirm(AuthoredEntry& authored);
  Status PreviewAndConfirm(AuthoredEntry& authored, const ShareOptions& options);
  Status ShareInOne(AuthoredEntry& authored, const ShareOptions& options);
  Status PreviewAndWait(AuthoredEntry& authored, const ShareOptions& options);
  // The preview shows the entry as the model holds it, with its answers or not as chosen.
  Status CheckPreview(const AuthoredEntry& authored, const SharePreview& preview,
                      bool with_answers) const;
  // The journal returned `got` for `authored` after `what`: it must be the modelled entry.
  Status Expect(const AuthoredEntry& authored, const Entry& got, std::string_view what) const;

  std::string Mark(std::string_view label, const std::string& where);
  void Log(AuthoredEntry& authored, const std::string& what);
  Candidates Entries(bool (*keep)(const AuthoredEntry&));
  AuthoredEntry& Pick(Candidates& candidates) { return **run_.dice.Pick(candidates); }

  RunContext& run_;
  ManualClock clock_;
  JournalNode node_;
  AuthorModel model_;
  std::vector<SharePreview> pending_;  // shown, and neither confirmed nor dropped yet
};

}  // namespace attune::node::testing

#endif  // ATTUNE_TESTS_NODE_SHARING_AUTHOR_H_
