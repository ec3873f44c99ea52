// The oracle of the sharing property test (sharing_simulation.h): what each author wrote, shared
// and confirmed, kept apart from the journals, and the markers that tell every written string
// apart.
//
// Markers. Every string the simulation writes carries a marker "<LABEL>-<n>;", n unique in the
// run: PRIVATE in what is written into a private entry, UNCONFIRMED in a change to a shared entry
// (it waits for its author's confirmation), SHARED in what is shared as it is written (add
// --share, respond). Whatever its label, a marker may leave its author's node only while it is in
// a version of an entry that the author confirmed and has not since replaced, withdrawn or
// deleted: the outgoing log holds nothing else.
#ifndef ATTUNE_TESTS_NODE_SHARING_MODEL_H_
#define ATTUNE_TESTS_NODE_SHARING_MODEL_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "node/entry.h"

namespace attune::node::testing {

// Hands out markers and remembers what each was written into, for failure messages.
class MarkerBook {
 public:
  // A new marker, e.g. "PRIVATE-12;". `label` is PRIVATE, UNCONFIRMED or SHARED; `where` says
  // what it is written into ("A#3 text").
  std::string New(std::string_view label, std::string where);
  // "PRIVATE-12; (A#3 text)".
  std::string Describe(uint64_t number) const;

 private:
  std::vector<std::string> written_;  // Describe(number) at index number - 1
};

// The number of every marker in `text`.
std::vector<uint64_t> MarkersIn(std::string_view text);

// An entry as EntryToJson shows it, less its author and visibility: what a share preview shows
// and the partner's `show --json` shows of a shared entry.
nlohmann::json ViewJson(const Entry& entry);

// What happened in a run, one line per operation, for failure messages.
class OpLog {
 public:
  // With `trace`, every line is also printed to stderr as it is added.
  explicit OpLog(bool trace) : trace_(trace) {}
  // The tick the next lines happened at.
  void SetTick(uint64_t tick) { tick_ = tick; }
  // Adds a line; returns its index.
  size_t Add(const std::string& line);
  // The lines at `indexes`, or the last `count` lines, one per line of text, indented.
  std::string Lines(const std::vector<size_t>& indexes) const;
  std::string Last(size_t count) const;
  size_t size() const { return lines_.size(); }

 private:
  bool trace_;
  uint64_t tick_ = 0;
  std::vector<std::string> lines_;
};

struct AuthoredEntry {
  // "A#3": the author's third entry of the run. Entry ids are random, so nothing a run chooses
  // may depend on them or on their order; this name and `order` are stable from run to run.
  std::string name;
  size_t order = 0;
  Entry entry;  // as the author's journal must hold it now
  bool deleted = false;
  // Whether a style result is shared with its quiz item answers (share --with-answers); kept
  // until the entry is withdrawn, as the journal keeps it.
  bool with_answers = false;
  // While the entry is shared: the view of the preview its author last confirmed.
  std::optional<nlohmann::json> confirmed;
  std::vector<size_t> history;  // indexes of the operations on it in the run's log
};

class AuthorModel {
 public:
  explicit AuthorModel(std::string who) : who_(std::move(who)) {}
  AuthorModel(const AuthorModel&) = delete;
  AuthorModel& operator=(const AuthorModel&) = delete;

  const std::string& who() const { return who_; }
  // The name the next entry written will have ("A#4").
  std::string NextName() const;
  // Starts the model of an entry just written (as `entry` should be), private.
  AuthoredEntry& Added(const Entry& entry);
  AuthoredEntry* Find(const std::string& id);
  const AuthoredEntry* Find(const std::string& id) const;
  // Every entry written, deleted or not, in the order written.
  const std::vector<std::unique_ptr<AuthoredEntry>>& all() const { return entries_; }
  // The entries not deleted that `keep` accepts, in the order they were written.
  std::vector<AuthoredEntry*> Live(const std::function<bool(const AuthoredEntry&)>& keep);

  // What the partner's node would hold of `entry` if it were confirmed now: its view, less a
  // style result's quiz item answers unless `with_answers`.
  static nlohmann::json ExpectedView(const Entry& entry, bool with_answers);
  // The author confirmed `view` for the entry: it is shared and that view travels.
  void Confirm(AuthoredEntry& authored, nlohmann::json view, bool with_answers);
  // Withdrawn (unshared) or deleted: nothing of it may be on the partner's node.
  void Withdraw(AuthoredEntry& authored);
  // Whether marker `number` is in a view this author has confirmed and still shares.
  bool MayCross(uint64_t number);
  // Entry id -> confirmed view, for every entry shared now.
  std::map<std::string, nlohmann::json> ConfirmedViews() const;

 private:
  std::string who_;
  std::vector<std::unique_ptr<AuthoredEntry>> entries_;  // in the order written
  std::map<std::string, AuthoredEntry*> by_id_;          // for lookups only, never iterated
  std::set<uint64_t> may_cross_;
  bool may_cross_stale_ = false;
};

}  // namespace attune::node::testing

#endif  // ATTUNE_TESTS_NODE_SHARING_MODEL_H_
