// The author's writing: entries, quiz results and changes to them. Sharing is in
// sharing_author_share.cc.
#include "tests/node/sharing_author.h"

#include <algorithm>
#include <array>
#include <utility>

#include "node/shared_content.h"
#include "node/style_result.h"
#include "steps/kinds.h"
#include "steps/quiz.h"
#include "steps/statement_check.h"

namespace attune::node::testing {
namespace {

// The kinds a person writes directly (a style result comes from the quiz, a response from
// respond). Statements and boundaries twice: they have operations of their own.
constexpr std::array<std::string_view, 13> kWrittenKinds = {
    "partner-style", "upside", "downside", "trigger",   "wound",    "origin",  "need",
    "statement",     "repair", "note",     "statement", "boundary", "boundary"};

// Now and then an entry long enough to travel in fragments.
constexpr size_t kLongPadding = 40 * 1024;

int StepOf(std::string_view kind) {
  Result<const steps::KindInfo*> info = steps::FindKind(kind);
  return info.ok() ? (*info)->step : -1;
}

bool IsShared(const AuthoredEntry& authored) {
  return authored.entry.visibility == node::Visibility::kShared;
}

// Words written into an entry: a shared entry's change waits for its author's confirmation.
std::string_view LabelFor(const AuthoredEntry& authored) {
  return IsShared(authored) ? "UNCONFIRMED" : "PRIVATE";
}

using CountField = uint64_t OpCounts::*;
constexpr std::array<std::pair<std::string_view, CountField>, 18> kCountFields = {{
    {"add_private", &OpCounts::add_private},
    {"add_shared", &OpCounts::add_shared},
    {"quiz", &OpCounts::quiz},
    {"edit_text", &OpCounts::edit_text},
    {"edit_fields", &OpCounts::edit_fields},
    {"recompose", &OpCounts::recompose},
    {"restate", &OpCounts::restate},
    {"confirmed", &OpCounts::confirmed},
    {"confirmed_with_answers", &OpCounts::confirmed_with_answers},
    {"shared_in_one", &OpCounts::shared_in_one},
    {"waiting", &OpCounts::waiting},
    {"late_confirmed", &OpCounts::late_confirmed},
    {"stale_refused", &OpCounts::stale_refused},
    {"unshare", &OpCounts::unshare},
    {"remove", &OpCounts::remove},
    {"respond", &OpCounts::respond},
    {"refused", &OpCounts::refused},
    {"restarts", &OpCounts::restarts},
}};

}  // namespace

OpCounts& OpCounts::operator+=(const OpCounts& other) {
  for (const auto& [name, field] : kCountFields) this->*field += other.*field;
  return *this;
}

std::string OpCounts::ToString() const {
  std::string text;
  for (const auto& [name, field] : kCountFields) {
    text += (text.empty() ? "" : " ") + std::string(name) + "=" + std::to_string(this->*field);
  }
  return text;
}

std::vector<std::string> OpCounts::Missing() const {
  std::vector<std::string> missing;
  for (const auto& [name, field] : kCountFields) {
    if (this->*field == 0) missing.emplace_back(name);
  }
  return missing;
}

Author::Author(std::string who, const std::string& dir, Timestamp start, RunContext& run)
    : run_(run), clock_(start), node_(dir, who, clock_), model_(std::move(who)) {}

Status Author::Act(const Author& partner) {
  const uint64_t roll = run_.dice.Uniform(0, 99);
  if (roll < 11) return Add(/*share=*/false);
  if (roll < 18) return Add(/*share=*/true);
  if (roll < 22) return TakeQuiz();
  if (roll < 33) return EditText();
  if (roll < 40) return EditFields();
  if (roll < 46) return Recompose();
  if (roll < 52) return Restate();
  if (roll < 66) return ShareOne();
  if (roll < 71) return ConfirmLater();
  if (roll < 78) return Unshare();
  if (roll < 85) return Remove();
  return Respond(partner);
}

Status Author::Restart() {
  ++run_.counts.restarts;
  run_.log.Add(model_.who() + " restarts");
  return node_.Reopen();
}

Status Author::Add(bool share, std::optional<std::string_view> chosen_kind) {
  const std::string kind(chosen_kind ? *chosen_kind : *run_.dice.Pick(kWrittenKinds));
  NewEntry draft = Write(kind, share ? "SHARED" : "PRIVATE");
  draft.share = share;
  Entry expected;
  expected.kind = kind;
  expected.step = StepOf(kind);
  expected.text = draft.text;
  expected.fields = draft.fields;
  expected.tags = draft.tags;
  expected.links = draft.links;
  expected.created = expected.updated = clock_.Now();
  ATTUNE_ASSIGN_OR_RETURN(Entry got, node_.journal().Add(std::move(draft)));
  expected.id = got.id;
  AuthoredEntry& authored = model_.Added(expected);
  Log(authored, std::string(share ? "add --share " : "add ") + kind);
  if (share) model_.Confirm(authored, AuthorModel::ExpectedView(authored.entry, false), false);
  ++(share ? run_.counts.add_shared : run_.counts.add_private);
  return Expect(authored, got, "add");
}

NewEntry Author::Write(const std::string& kind, std::string_view label) {
  const std::string name = model_.NextName();
  NewEntry draft;
  draft.kind = kind;
  draft.fields = {{"detail", Mark(label, name + " field")}};
  if (kind == "statement") {
    const std::string feel = "hurt " + Mark(label, name + " feel");
    const std::string when = "plans change " + Mark(label, name + " when");
    const std::string need = "we talk first " + Mark(label, name + " need");
    const steps::StatementParts parts = steps::NormalizeStatementParts(feel, when, need);
    draft.fields.update({{"feel", parts.feel}, {"when", parts.when}, {"need", parts.need}});
    draft.text = steps::ComposeStatement(feel, when, need);
  } else {
    draft.text = kind + " words " + Mark(label, name + " text");
  }
  if (run_.dice.Chance(0.03)) {
    draft.text += std::string(kLongPadding, '.');
    draft.fields["notes"] = std::string(kLongPadding, ',');
  }
  draft.tags = {Mark(label, name + " tag")};
  Candidates linkable = Entries([](const AuthoredEntry&) { return true; });
  for (int i = 0; i < 2 && !linkable.empty() && run_.dice.Chance(0.3); ++i) {
    const std::string& id = Pick(linkable).entry.id;
    if (std::find(draft.links.begin(), draft.links.end(), id) == draft.links.end()) {
      draft.links.push_back(id);
    }
  }
  return draft;
}

Status Author::TakeQuiz() {
  std::vector<int> answers(steps::kQuizItemCount);
  for (int& answer : answers) {
    answer = static_cast<int>(run_.dice.Uniform(steps::kMinAnswer, steps::kMaxAnswer));
  }
  ATTUNE_ASSIGN_OR_RETURN(steps::QuizScore score, steps::ScoreQuiz(answers));
  Entry expected;
  expected.kind = "style";
  expected.step = StepOf("style");
  expected.text = steps::DescribeBlend(score);
  expected.fields = QuizScoreToJson(score);
  expected.fields[std::string(kQuizAnswersField)] = answers;
  expected.created = expected.updated = clock_.Now();
  ATTUNE_ASSIGN_OR_RETURN(Entry got, node_.journal().RecordQuiz(score, answers));
  expected.id = got.id;
  AuthoredEntry& authored = model_.Added(expected);
  Log(authored, "quiz");
  ++run_.counts.quiz;
  ATTUNE_RETURN_IF_ERROR(Expect(authored, got, "quiz"));
  // A result is often shared at once: then the question of its answers arises.
  return run_.dice.Chance(0.5) ? Share(authored) : Status::Ok();
}

Status Author::EditText() {
  Candidates styles = Entries([](const AuthoredEntry& a) { return a.entry.kind == "style"; });
  if (!styles.empty() && run_.dice.Chance(0.1)) {
    AuthoredEntry& style = Pick(styles);
    const Result<Entry> refused = node_.journal().EditText(style.entry.id, "my own words");
    if (refused.ok() || !refused.status().Is(JournalReason::kStyleTextIsDerived)) {
      return Status::Internal(style.name + ": a style result's text was edited");
    }
    ++run_.counts.refused;
    return Status::Ok();
  }
  Candidates candidates = Entries([](const AuthoredEntry& a) { return a.entry.kind != "style"; });
  if (candidates.empty()) return Add(/*share=*/false);
  AuthoredEntry& authored = Pick(candidates);
  const std::string text =
      authored.entry.kind + " rewritten " + Mark(LabelFor(authored), authored.name + " text");
  ATTUNE_ASSIGN_OR_RETURN(Entry got, node_.journal().EditText(authored.entry.id, text));
  authored.entry.text = text;
  // A statement edited as free text is free text: its parts would say what it no longer says.
  if (authored.entry.kind == "statement") {
    for (const char* part : {"feel", "when", "need"}) authored.entry.fields.erase(part);
  }
  authored.entry.updated = clock_.Now();
  Log(authored, "edit");
  ++run_.counts.edit_text;
  ATTUNE_RETURN_IF_ERROR(Expect(authored, got, "edit"));
  return AskToConfirm(authored);
}

Status Author::EditFields() {
  Candidates candidates = Entries([](const AuthoredEntry&) { return true; });
  if (candidates.empty()) return Add(/*share=*/false);
  AuthoredEntry& authored = Pick(candidates);
  nlohmann::json fields = authored.entry.fields;
  fields["detail"] = "changed " + Mark(LabelFor(authored), authored.name + " field");
  ATTUNE_ASSIGN_OR_RETURN(Entry got, node_.journal().UpdateFields(authored.entry.id, fields));
  authored.entry.fields = std::move(fields);
  authored.entry.updated = clock_.Now();
  Log(authored, "edit fields");
  ++run_.counts.edit_fields;
  ATTUNE_RETURN_IF_ERROR(Expect(authored, got, "edit fields"));
  return AskToConfirm(authored);
}

Status Author::Recompose() {
  Candidates statements =
      Entries([](const AuthoredEntry& a) { return a.entry.kind == "statement"; });
  if (statements.empty()) return Add(run_.dice.Chance(0.5), "statement");
  AuthoredEntry& authored = Pick(statements);
  const std::string_view label = LabelFor(authored);
  const std::string feel = "lonely " + Mark(label, authored.name + " feel");
  const std::string when = "the phone stays silent " + Mark(label, authored.name + " when");
  const std::string need = "you call " + Mark(label, authored.name + " need");
  const steps::StatementParts parts = steps::NormalizeStatementParts(feel, when, need);
  const nlohmann::json given = {{"feel", parts.feel}, {"when", parts.when}, {"need", parts.need}};
  const std::string text = steps::ComposeStatement(feel, when, need);
  ATTUNE_ASSIGN_OR_RETURN(Entry got,
                          node_.journal().RecomposeStatement(authored.entry.id, given, text));
  authored.entry.fields.update(given);
  authored.entry.text = text;
  authored.entry.updated = clock_.Now();
  Log(authored, "statement --edit");
  ++run_.counts.recompose;
  ATTUNE_RETURN_IF_ERROR(Expect(authored, got, "statement --edit"));
  return AskToConfirm(authored);
}

Status Author::Restate() {
  Candidates boundaries =
      Entries([](const AuthoredEntry& a) { return a.entry.kind == "boundary"; });
  if (boundaries.empty()) return Add(run_.dice.Chance(0.5), "boundary");
  AuthoredEntry& authored = Pick(boundaries);
  const std::string note = run_.dice.Chance(0.8)
                               ? "again " + Mark(LabelFor(authored), authored.name + " note")
                               : std::string();
  ATTUNE_ASSIGN_OR_RETURN(Entry got, node_.journal().RestateBoundary(authored.entry.id, note));
  nlohmann::json restatement = {{"at", FormatRfc3339(clock_.Now())}};
  if (!note.empty()) restatement["note"] = note;
  authored.entry.fields["restatements"].push_back(std::move(restatement));
  authored.entry.updated = clock_.Now();
  Log(authored, "boundary restate");
  ++run_.counts.restate;
  ATTUNE_RETURN_IF_ERROR(Expect(authored, got, "boundary restate"));
  return AskToConfirm(authored);
}

Status Author::Expect(const AuthoredEntry& authored, const Entry& got,
                      std::string_view what) const {
  const nlohmann::json want = EntryToJson(authored.entry);
  const nlohmann::json have = EntryToJson(got);
  if (want == have) return Status::Ok();
  return Status::Internal(authored.name + ": " + std::string(what) + " gave " + have.dump() +
                          "\n  expected " + want.dump());
}

std::string Author::Mark(std::string_view label, const std::string& where) {
  return run_.markers.New(label, where);
}

void Author::Log(AuthoredEntry& authored, const std::string& what) {
  authored.history.push_back(run_.log.Add(model_.who() + " " + what + " " + authored.name));
}

Author::Candidates Author::Entries(bool (*keep)(const AuthoredEntry&)) {
  return model_.Live(keep);
}

}  // namespace attune::node::testing
