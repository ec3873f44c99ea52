// The author's sharing: previews confirmed at once, later or never, shares in one call,
// withdrawals, deletions and responses to the partner.
#include <algorithm>
#include <array>

#include "node/shared_content.h"
#include "steps/kinds.h"
#include "tests/node/sharing_author.h"

namespace attune::node::testing {
namespace {

constexpr std::array<std::string_view, 4> kAcks = {"", "heard", "will-try", "lets-talk"};
// Previews shown and not acted on that the author may still confirm.
constexpr size_t kMaxPending = 6;

bool HasAnswers(const AuthoredEntry& authored) {
  return authored.entry.fields.contains(kQuizAnswersField);
}

// Whether a share with `options` includes the entry's quiz answers.
bool IncludesAnswers(const AuthoredEntry& authored, const ShareOptions& options) {
  return HasAnswers(authored) && options.with_answers.value_or(authored.with_answers);
}

std::string AnswersNote(bool with_answers) {
  return with_answers ? " --with-answers" : "";
}

}  // namespace

Status Author::ShareOne() {
  Candidates candidates = Entries([](const AuthoredEntry&) { return true; });
  if (candidates.empty()) return Add(/*share=*/false);
  AuthoredEntry& authored = Pick(candidates);
  if (!HasAnswers(authored) && run_.dice.Chance(0.05)) {
    const Result<SharePreview> refused =
        node_.journal().PreviewShare(authored.entry.id, {.with_answers = true});
    if (refused.ok() || !refused.status().Is(JournalReason::kNoAnswersToShare)) {
      return Status::Internal(authored.name + ": --with-answers without answers was accepted");
    }
    ++run_.counts.refused;
    return Status::Ok();
  }
  return Share(authored);
}

Status Author::Share(AuthoredEntry& authored) {
  ShareOptions options;
  if (HasAnswers(authored)) {
    const uint64_t choice = run_.dice.Uniform(0, 9);
    if (choice < 5) options.with_answers = choice < 3;  // else as the entry already has it
  }
  const uint64_t roll = run_.dice.Uniform(0, 99);
  if (roll < 55) return PreviewAndConfirm(authored, options);
  if (roll < 75) return ShareInOne(authored, options);
  return PreviewAndWait(authored, options);
}

Status Author::AskToConfirm(AuthoredEntry& authored) {
  if (authored.entry.visibility != node::Visibility::kShared) return Status::Ok();
  if (run_.dice.Chance(0.4)) {
    Log(authored, "leaves the new version waiting:");
    ++run_.counts.waiting;
    return Status::Ok();
  }
  return PreviewAndConfirm(authored, {});
}

Status Author::PreviewAndConfirm(AuthoredEntry& authored, const ShareOptions& options) {
  const bool with_answers = IncludesAnswers(authored, options);
  ATTUNE_ASSIGN_OR_RETURN(SharePreview preview,
                          node_.journal().PreviewShare(authored.entry.id, options));
  ATTUNE_RETURN_IF_ERROR(CheckPreview(authored, preview, with_answers));
  ATTUNE_ASSIGN_OR_RETURN(Entry got, node_.journal().ConfirmShare(preview));
  model_.Confirm(authored, ViewJson(preview.view), with_answers);
  Log(authored, "confirms the preview" + AnswersNote(with_answers) + " of");
  ++run_.counts.confirmed;
  if (with_answers) ++run_.counts.confirmed_with_answers;
  return Expect(authored, got, "confirm");
}

Status Author::ShareInOne(AuthoredEntry& authored, const ShareOptions& options) {
  const bool with_answers = IncludesAnswers(authored, options);
  ATTUNE_ASSIGN_OR_RETURN(Entry got, node_.journal().Share(authored.entry.id, options));
  model_.Confirm(authored, AuthorModel::ExpectedView(authored.entry, with_answers), with_answers);
  Log(authored, "share --yes" + AnswersNote(with_answers));
  ++run_.counts.shared_in_one;
  if (with_answers) ++run_.counts.confirmed_with_answers;
  return Expect(authored, got, "share");
}

Status Author::PreviewAndWait(AuthoredEntry& authored, const ShareOptions& options) {
  ATTUNE_ASSIGN_OR_RETURN(SharePreview preview,
                          node_.journal().PreviewShare(authored.entry.id, options));
  ATTUNE_RETURN_IF_ERROR(CheckPreview(authored, preview, IncludesAnswers(authored, options)));
  if (pending_.size() == kMaxPending) pending_.erase(pending_.begin());
  pending_.push_back(std::move(preview));
  Log(authored,
      "share --preview" + AnswersNote(IncludesAnswers(authored, options)) + ", not confirmed:");
  ++run_.counts.waiting;
  return Status::Ok();
}

// A preview confirmed after other changes: it must share exactly what it showed, or nothing.
Status Author::ConfirmLater() {
  if (pending_.empty()) return ShareOne();
  const size_t index = run_.dice.Uniform(0, pending_.size() - 1);
  const SharePreview preview = std::move(pending_[index]);
  pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(index));
  AuthoredEntry* authored = model_.Find(preview.entry_id);
  if (authored == nullptr) return Status::Internal("a preview of an entry never written");
  const Result<Entry> got = node_.journal().ConfirmShare(preview);
  const nlohmann::json shown = ViewJson(preview.view);
  const bool with_answers = preview.answers_included;  // checked when it was shown
  if (!authored->deleted && shown == AuthorModel::ExpectedView(authored->entry, with_answers)) {
    if (!got.ok()) return got.status().WithContext(authored->name + ": a late confirmation");
    model_.Confirm(*authored, shown, with_answers);
    Log(*authored, "confirms an earlier preview" + AnswersNote(with_answers) + " of");
    ++run_.counts.late_confirmed;
    return Expect(*authored, *got, "a late confirmation");
  }
  const bool refused = authored->deleted ? got.status().code() == StatusCode::kNotFound
                                         : got.status().Is(JournalReason::kChangedSincePreview);
  if (!refused) {
    return Status::Internal(authored->name + ": a preview of an older version was confirmed (" +
                            std::string(got.ok() ? "accepted" : got.status().detail()) + ")");
  }
  Log(*authored, "is refused an outdated preview of");
  ++run_.counts.stale_refused;
  return Status::Ok();
}

Status Author::CheckPreview(const AuthoredEntry& authored, const SharePreview& preview,
                            bool with_answers) const {
  const nlohmann::json expected = AuthorModel::ExpectedView(authored.entry, with_answers);
  const nlohmann::json shown = ViewJson(preview.view);
  if (shown != expected) {
    return Status::Internal(authored.name + ": the preview shows " + shown.dump() +
                            "\n  the entry as written: " + expected.dump());
  }
  if (preview.answers_included != with_answers ||
      preview.answers_withheld != (HasAnswers(authored) && !with_answers)) {
    return Status::Internal(authored.name + ": the preview says the quiz answers are " +
                            (preview.answers_included ? "included" : "not included") +
                            (preview.answers_withheld ? " and withheld" : ""));
  }
  const bool partner_has_it = authored.confirmed && *authored.confirmed == expected;
  if (preview.partner_has_it != partner_has_it) {
    return Status::Internal(authored.name + ": the preview says the partner " +
                            (preview.partner_has_it ? "has" : "does not have") + " this version");
  }
  return Status::Ok();
}

Status Author::Unshare() {
  Candidates shared = Entries([](const AuthoredEntry& a) { return a.confirmed.has_value(); });
  Candidates unshared = Entries([](const AuthoredEntry& a) { return !a.confirmed.has_value(); });
  if (!unshared.empty() && (shared.empty() || run_.dice.Chance(0.1))) {
    AuthoredEntry& authored = Pick(unshared);
    const Result<Entry> refused = node_.journal().Unshare(authored.entry.id);
    if (refused.ok() || !refused.status().Is(JournalReason::kNotShared)) {
      return Status::Internal(authored.name + ": a private entry was unshared");
    }
    ++run_.counts.refused;
    return Status::Ok();
  }
  if (shared.empty()) return Add(/*share=*/true);
  AuthoredEntry& authored = Pick(shared);
  ATTUNE_ASSIGN_OR_RETURN(Entry got, node_.journal().Unshare(authored.entry.id));
  model_.Withdraw(authored);
  Log(authored, "unshare");
  ++run_.counts.unshare;
  return Expect(authored, got, "unshare");
}

Status Author::Remove() {
  Candidates candidates = Entries([](const AuthoredEntry&) { return true; });
  if (candidates.empty()) return Add(/*share=*/false);
  AuthoredEntry& authored = Pick(candidates);
  ATTUNE_RETURN_IF_ERROR(node_.journal().Remove(authored.entry.id));
  model_.Withdraw(authored);
  authored.deleted = true;
  Log(authored, "rm");
  ++run_.counts.remove;
  if (node_.journal().Get(authored.entry.id).status().code() != StatusCode::kNotFound) {
    return Status::Internal(authored.name + ": still there after rm");
  }
  return Status::Ok();
}

Status Author::Respond(const Author& partner) {
  ATTUNE_ASSIGN_OR_RETURN(std::vector<Entry> held,
                          node_.journal().List({.author = node::Author::kPartner}));
  // In the order the partner wrote them: ids are random, and a run must not depend on them.
  std::vector<std::pair<size_t, const Entry*>> ordered;
  for (const Entry& entry : held) {
    const AuthoredEntry* written = partner.model().Find(entry.id);
    if (written == nullptr) return Status::Internal("a partner entry its author never wrote");
    ordered.emplace_back(written->order, &entry);
  }
  if (ordered.empty()) return Add(/*share=*/true);
  std::sort(ordered.begin(), ordered.end());
  const Entry& answered = *run_.dice.Pick(ordered)->second;
  const std::string name = model_.NextName();
  const std::string text = "I hear you " + Mark("SHARED", name + " text");
  const std::string ack(*run_.dice.Pick(kAcks));
  Entry expected;
  expected.kind = "response";
  expected.step = (*steps::FindKind("response"))->step;
  expected.text = text;
  expected.fields = {{"responds_to", answered.id}, {"responds_to_kind", answered.kind}};
  if (!ack.empty()) expected.fields["ack"] = ack;
  expected.created = expected.updated = clock_.Now();
  ATTUNE_ASSIGN_OR_RETURN(Entry got, node_.journal().Respond(answered.id, text, ack));
  expected.id = got.id;
  AuthoredEntry& authored = model_.Added(expected);
  model_.Confirm(authored, AuthorModel::ExpectedView(authored.entry, false), false);
  Log(authored, "respond to " + partner.model().Find(answered.id)->name + " with");
  ++run_.counts.respond;
  return Expect(authored, got, "respond");
}

}  // namespace attune::node::testing
