#include "tests/node/exercise_play.h"

#include <utility>
#include <variant>

#include "node/journal/link_identity.h"
#include "node/partner.h"
#include "steps/exercises.h"

namespace attune::node::testing {
namespace {

using protocol::ExerciseMessage;
using Kind = ExerciseMessage::Kind;

// At most this many exercises open at once, so that most get answered.
constexpr size_t kMaxOpen = 4;
// How often a reveal leaves changed, as from a modified attune.
constexpr double kChangeChance = 0.08;
constexpr std::string_view kMarkerLabel = "ANSWER-";
constexpr const char* kChange = " (changed after seeing yours)";
// Now and then an answer of many paragraphs, near the longest the wire takes.
constexpr size_t kLongAnswerPadding = 12 * 1024;

using CountField = uint64_t ExerciseCounts::*;
constexpr std::array<std::pair<std::string_view, CountField>, 10> kCountFields = {{
    {"asked", &ExerciseCounts::asked},
    {"answered", &ExerciseCounts::answered},
    {"withdrawn", &ExerciseCounts::withdrawn},
    {"refused", &ExerciseCounts::refused},
    {"changed_reveals", &ExerciseCounts::changed_reveals},
    {"commits_tapped", &ExerciseCounts::commits_tapped},
    {"answers_tapped", &ExerciseCounts::answers_tapped},
    {"revealed", &ExerciseCounts::revealed},
    {"mismatched", &ExerciseCounts::mismatched},
    {"open_at_end", &ExerciseCounts::open_at_end},
}};

// The number of every answer marker in `bytes`.
std::vector<uint64_t> AnswerMarkersIn(std::string_view bytes) {
  std::vector<uint64_t> markers;
  for (size_t at = bytes.find(kMarkerLabel); at != std::string_view::npos;
       at = bytes.find(kMarkerLabel, at + 1)) {
    size_t end = at + kMarkerLabel.size();
    uint64_t number = 0;
    while (end < bytes.size() && bytes[end] >= '0' && bytes[end] <= '9') {
      number = number * 10 + static_cast<uint64_t>(bytes[end++] - '0');
    }
    if (end < bytes.size() && bytes[end] == ';') markers.push_back(number);
  }
  return markers;
}

bool Over(ExerciseStage stage) {
  return stage == ExerciseStage::kRevealed || stage == ExerciseStage::kMismatch ||
         stage == ExerciseStage::kWithdrawn;
}

}  // namespace

ExerciseCounts& ExerciseCounts::operator+=(const ExerciseCounts& other) {
  for (const auto& [name, field] : kCountFields) this->*field += other.*field;
  return *this;
}

std::string ExerciseCounts::ToString() const {
  std::string text;
  for (const auto& [name, field] : kCountFields) {
    text += (text.empty() ? "" : " ") + std::string(name) + "=" + std::to_string(this->*field);
  }
  return text;
}

std::vector<std::string> ExerciseCounts::Missing() const {
  std::vector<std::string> missing;
  for (const auto& [name, field] : kCountFields) {
    if (this->*field == 0) missing.emplace_back(name);
  }
  return missing;
}

Status ExercisePlay::Pair() {
  std::array<crypto::X25519PublicKey, 2> keys;
  for (size_t who = 0; who < 2; ++who) {
    ATTUNE_ASSIGN_OR_RETURN(crypto::X25519KeyPair own, LinkIdentityOf(JournalOf(who)));
    keys[who] = own.public_key;
  }
  for (size_t who = 0; who < 2; ++who) {
    Partner partner;
    partner.public_key = keys[1 - who];
    partner.display_name = Name(1 - who);
    partner.last_address = "127.0.0.1:1";
    ATTUNE_RETURN_IF_ERROR(JournalOf(who).SavePartner(partner, /*replace=*/false));
  }
  return Status::Ok();
}

Result<std::vector<protocol::Message>> ExercisePlay::Act(size_t who, bool linked) {
  const uint64_t roll = run_.dice.Uniform(0, 99);
  Status acted = Status::Ok();
  if (roll < 25) {
    acted = Ask(who);
  } else if (roll < 70) {
    acted = Answer(who);
  } else if (roll < 82) {
    acted = Withdraw(who);
  } else if (roll < 91) {
    acted = AnswerAgain(who);
  } else {
    acted = WithdrawTheirs(who);
  }
  ATTUNE_RETURN_IF_ERROR(acted.WithContext(Name(who) + "'s exercise"));
  if (!linked) return std::vector<protocol::Message>();
  // As node/link does after every change to the journal while a session is up.
  ATTUNE_ASSIGN_OR_RETURN(std::vector<ExerciseMessage> due, links_[who]->Due());
  return Outgoing(who, std::move(due));
}

Status ExercisePlay::Ask(size_t who) {
  size_t open = 0;
  for (const auto& played : played_) {
    if (!played->withdrawn && !(played->answers[0] && played->answers[1])) ++open;
  }
  if (open >= kMaxOpen) return Answer(who);
  const std::span<const steps::ExerciseGuide> all = steps::AllExercises();
  const std::string name(all[run_.dice.Uniform(0, all.size() - 1)].name);
  ATTUNE_ASSIGN_OR_RETURN(ExerciseView view, Exercises(JournalOf(who)).Ask(name));
  if (!view.started_by_me || view.name != name || view.stage != ExerciseStage::kWaitingForBoth) {
    return Status::Internal("a new exercise is not shown as started and waiting for both");
  }
  auto played = std::make_unique<Played>();
  played->id = view.id;
  played->name = name;
  played->starter = who;
  played->known[who] = true;
  played->label = "X" + std::to_string(played_.size() + 1);
  played_.push_back(std::move(played));
  ++counts_.asked;
  Log(who, *played_.back(), "asks " + name + " as");
  return Status::Ok();
}

Status ExercisePlay::Answer(size_t who) {
  std::vector<Played*> candidates;
  for (const auto& played : played_) {
    if (played->known[who] && !played->answers[who]) candidates.push_back(played.get());
  }
  if (candidates.empty()) return Status::Ok();
  Played& played = **run_.dice.Pick(candidates);
  ATTUNE_ASSIGN_OR_RETURN(const ExerciseView before, ViewOf(who, played));
  const uint64_t marker = next_marker_++;
  std::string answer = "What I noticed " + std::string(kMarkerLabel) + std::to_string(marker) + ";";
  if (run_.dice.Chance(0.05)) answer += std::string(kLongAnswerPadding, 'w');
  Result<ExerciseView> answered = Exercises(JournalOf(who)).Answer(played.id, answer);
  if (Over(before.stage)) {
    return ExpectRefused(answered.status(), ExerciseReason::kOver,
                         "answering " + played.label + ", which is over");
  }
  ATTUNE_RETURN_IF_ERROR(answered.status().WithContext("answering " + played.label));
  if (answered->my_answer != answer) {
    return Status::Internal("answering " + played.label + " did not keep the answer as written");
  }
  played.answers[who] = std::move(answer);
  markers_[marker] = {&played, who};
  ++counts_.answered;
  Log(who, played, "answers");
  return Status::Ok();
}

// An answer does not change once given.
Status ExercisePlay::AnswerAgain(size_t who) {
  std::vector<Played*> candidates;
  for (const auto& played : played_) {
    if (played->answers[who]) candidates.push_back(played.get());
  }
  if (candidates.empty()) return Answer(who);
  Played& played = **run_.dice.Pick(candidates);
  ATTUNE_ASSIGN_OR_RETURN(const ExerciseView before, ViewOf(who, played));
  const Status again = Exercises(JournalOf(who)).Answer(played.id, "A second thought").status();
  return ExpectRefused(
      again, Over(before.stage) ? ExerciseReason::kOver : ExerciseReason::kAlreadyAnswered,
      "answering " + played.label + " a second time");
}

Status ExercisePlay::Withdraw(size_t who) {
  std::vector<Played*> candidates;
  for (const auto& played : played_) {
    if (played->starter == who && !played->withdrawn) candidates.push_back(played.get());
  }
  if (candidates.empty()) return Ask(who);
  Played& played = **run_.dice.Pick(candidates);
  ATTUNE_ASSIGN_OR_RETURN(const ExerciseView before, ViewOf(who, played));
  Result<ExerciseView> withdrawn = Exercises(JournalOf(who)).Withdraw(played.id);
  const std::string what = "withdrawing " + played.label;
  if (Over(before.stage)) return ExpectRefused(withdrawn.status(), ExerciseReason::kOver, what);
  if (before.stage == ExerciseStage::kRevealing) {
    return ExpectRefused(withdrawn.status(), ExerciseReason::kBothAnswered, what);
  }
  ATTUNE_RETURN_IF_ERROR(withdrawn.status().WithContext(what));
  if (withdrawn->stage != ExerciseStage::kWithdrawn) {
    return Status::Internal(what + " did not show it withdrawn");
  }
  played.withdrawn = true;
  ++counts_.withdrawn;
  Log(who, played, "withdraws");
  return Status::Ok();
}

// Only the one who started an exercise withdraws it.
Status ExercisePlay::WithdrawTheirs(size_t who) {
  std::vector<Played*> candidates;
  for (const auto& played : played_) {
    if (played->starter != who && played->known[who]) candidates.push_back(played.get());
  }
  if (candidates.empty()) return Answer(who);
  Played& played = **run_.dice.Pick(candidates);
  const Status status = Exercises(JournalOf(who)).Withdraw(played.id).status();
  return ExpectRefused(status, ExerciseReason::kNotYours,
                       "withdrawing " + played.label + ", which the partner started");
}

Result<ExerciseView> ExercisePlay::ViewOf(size_t who, const Played& played) {
  ATTUNE_ASSIGN_OR_RETURN(std::vector<ExerciseView> views, Exercises(JournalOf(who)).List());
  for (ExerciseView& view : views) {
    if (view.id == played.id) return std::move(view);
  }
  return Status::Internal(Name(who) + "'s node does not list " + played.label);
}

Status ExercisePlay::ExpectRefused(const Status& status, ExerciseReason reason,
                                   const std::string& what) {
  if (status.Is(reason)) {
    ++counts_.refused;
    return Status::Ok();
  }
  return Status::Internal(what + ": expected the refusal " +
                          std::to_string(static_cast<int>(reason)) + ", got " +
                          (status.ok() ? "success" : status.detail()));
}

// ---- The session's side exchange ----

bool ExercisePlay::Carries(const protocol::Message& message) const {
  return std::holds_alternative<ExerciseMessage>(message);
}

Result<std::vector<protocol::Message>> ExercisePlay::Opened(size_t node) {
  links_[node].emplace(JournalOf(node));
  ATTUNE_ASSIGN_OR_RETURN(std::vector<ExerciseMessage> due, links_[node]->Due());
  return Outgoing(node, std::move(due));
}

Result<std::vector<protocol::Message>> ExercisePlay::Receive(size_t to,
                                                             const protocol::Message& message) {
  ATTUNE_ASSIGN_OR_RETURN(ExerciseLink::Receipt receipt,
                          links_[to]->Receive(std::get<ExerciseMessage>(message)));
  return Outgoing(to, std::move(receipt.reply));
}

std::vector<protocol::Message> ExercisePlay::Outgoing(size_t from,
                                                      std::vector<ExerciseMessage> messages) {
  std::vector<protocol::Message> out;
  for (ExerciseMessage& message : messages) {
    if (message.kind == Kind::kReveal && run_.dice.Chance(kChangeChance)) {
      message.answer += kChange;
      changed_.insert({message.exercise_id, from});
      ++counts_.changed_reveals;
    }
    out.emplace_back(std::move(message));
  }
  return out;
}

// ---- The wire tap ----

Status ExercisePlay::CheckSend(size_t from, const protocol::Message& message, ByteSpan envelope) {
  const std::string_view bytes(reinterpret_cast<const char*>(envelope.data()), envelope.size());
  // Checked before this message counts: a reveal must follow a commitment sent earlier.
  for (uint64_t marker : AnswerMarkersIn(bytes)) {
    ATTUNE_RETURN_IF_ERROR(CheckAnswerMarker(from, marker));
  }
  const auto* exercise = std::get_if<ExerciseMessage>(&message);
  if (exercise == nullptr) return Status::Ok();
  Played* played = Find(exercise->exercise_id);
  if (played == nullptr) return Status::Internal(Name(from) + " sent an exercise never started");
  if (exercise->kind == Kind::kReveal) return CheckReveal(from, *exercise);
  if (exercise->kind != Kind::kCommit) return Status::Ok();
  ++counts_.commits_tapped;
  if (!played->answers[from]) {
    return Status::Internal(Name(from) + " committed to " + played->label + " without answering");
  }
  if (played->commit_sent[from] && played->commitments[from] != exercise->commitment) {
    return Status::Internal(Name(from) + " sent a different commitment to " + played->label);
  }
  played->commit_sent[from] = true;
  played->commitments[from] = exercise->commitment;
  return Status::Ok();
}

Status ExercisePlay::CheckAnswerMarker(size_t from, uint64_t marker) {
  auto found = markers_.find(marker);
  if (found == markers_.end()) return Status::Internal("an answer marker never written crossed");
  const auto [played, author] = found->second;
  ++counts_.answers_tapped;
  if (author != from) {
    return Status::Internal(Name(author) + "'s answer to " + played->label + " left " + Name(from) +
                            "'s node");
  }
  if (!played->commit_sent[from]) {
    return Status::Internal(Name(from) + "'s answer to " + played->label +
                            " crossed before its commitment");
  }
  if (!played->partner_commit_held[from]) {
    return Status::Internal(Name(from) + "'s answer to " + played->label +
                            " crossed before its node held the partner's commitment");
  }
  return Status::Ok();
}

Status ExercisePlay::CheckReveal(size_t from, const ExerciseMessage& reveal) {
  Played& played = *Find(reveal.exercise_id);
  if (!played.answers[from]) {
    return Status::Internal(Name(from) + " revealed an answer to " + played.label +
                            " never written");
  }
  const std::string& written = *played.answers[from];
  const bool changed =
      changed_.contains({played.id, from}) && reveal.answer == written + std::string(kChange);
  if (reveal.answer != written && !changed) {
    return Status::Internal(Name(from) + " revealed " + played.label + " as \"" + reveal.answer +
                            "\", not as written");
  }
  return Status::Ok();
}

void ExercisePlay::Received(size_t to, const protocol::Message& message) {
  const auto* exercise = std::get_if<ExerciseMessage>(&message);
  if (exercise == nullptr) return;
  Played* played = Find(exercise->exercise_id);
  if (played == nullptr) return;
  switch (exercise->kind) {
    case Kind::kAsk:
      played->known[to] = true;
      break;
    case Kind::kCommit:
      // A commitment for an exercise the node does not know yet is left alone.
      if (played->known[to]) played->partner_commit_held[to] = true;
      break;
    case Kind::kReveal:
      if (!played->first_reveal_changed[to] && played->partner_commit_held[to]) {
        played->first_reveal_changed[to] = exercise->answer != *played->answers[1 - to];
      }
      break;
    case Kind::kWithdraw:
      break;
  }
}

// ---- What the nodes show ----

Status ExercisePlay::CheckShown() {
  for (const auto& played : played_) {
    for (size_t who = 0; who < 2; ++who) {
      if (!played->known[who]) continue;
      ATTUNE_RETURN_IF_ERROR(CheckSide(who, *played, /*final=*/false));
    }
  }
  return Status::Ok();
}

Status ExercisePlay::CheckFinal() {
  for (const auto& played : played_) {
    for (size_t who = 0; who < 2; ++who) {
      ATTUNE_RETURN_IF_ERROR(CheckSide(who, *played, /*final=*/true));
    }
  }
  for (const auto& played : played_) {
    const bool both = played->answers[0] && played->answers[1];
    if (played->withdrawn) continue;
    if (!both) ++counts_.open_at_end;
    for (size_t who = 0; both && who < 2; ++who) {
      ++(*played->first_reveal_changed[who] ? counts_.mismatched : counts_.revealed);
    }
  }
  return Status::Ok();
}

Status ExercisePlay::CheckSide(size_t who, const Played& played, bool final) {
  ATTUNE_ASSIGN_OR_RETURN(const ExerciseView view, ViewOf(who, played));
  const std::string where = played.label + " on " + Name(who) + "'s node";
  if (view.my_answer != played.answers[who]) {
    return Status::Internal(where + " shows an answer of " + Name(who) + "'s not as written");
  }
  const std::optional<std::string>& theirs = played.answers[1 - who];
  if (view.partner_answer && view.partner_answer != theirs) {
    return Status::Internal(where + " shows as the partner's \"" + *view.partner_answer +
                            "\", which the partner did not commit to");
  }
  if (view.partner_answer && view.stage != ExerciseStage::kRevealed) {
    return Status::Internal(where + " shows the partner's answer before the reveal");
  }
  if (!final) return Status::Ok();
  // After the final sync, where the authors' actions put it.
  ExerciseStage expected = ExerciseStage::kWaitingForBoth;
  if (played.withdrawn) {
    expected = ExerciseStage::kWithdrawn;
  } else if (played.answers[who] && theirs) {
    if (!played.first_reveal_changed[who]) {
      return Status::Internal(where + ": both answered, yet no reveal reached it");
    }
    expected =
        *played.first_reveal_changed[who] ? ExerciseStage::kMismatch : ExerciseStage::kRevealed;
  } else if (played.answers[who]) {
    expected = ExerciseStage::kWaitingForPartner;
  } else if (theirs) {
    expected = ExerciseStage::kWaitingForYou;
  }
  if (view.stage != expected) {
    return Status::Internal(where + " is at stage " + std::to_string(static_cast<int>(view.stage)) +
                            ", expected " + std::to_string(static_cast<int>(expected)));
  }
  if ((expected == ExerciseStage::kRevealed) != view.partner_answer.has_value()) {
    return Status::Internal(where + (view.partner_answer ? " shows" : " does not show") +
                            " the partner's answer");
  }
  return Status::Ok();
}

ExercisePlay::Played* ExercisePlay::Find(const std::string& id) {
  for (const auto& played : played_) {
    if (played->id == id) return played.get();
  }
  return nullptr;
}

void ExercisePlay::Log(size_t who, const Played& played, const std::string& what) {
  run_.log.Add(Name(who) + " " + what + " " + played.label);
}

}  // namespace attune::node::testing
