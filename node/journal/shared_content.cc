#include "node/shared_content.h"

#include <optional>

#include "crypto/secure_bytes.h"
#include "node/entry_rules.h"
#include "node/journal/bounded_json.h"
#include "node/journal/text_and_details.h"
#include "steps/kinds.h"
#include "storage/schema.h"

namespace attune::node {

using nlohmann::json;

bool HasQuizAnswers(const Entry& entry) {
  return entry.fields.is_object() && entry.fields.contains(kQuizAnswersField);
}

bool WithholdsAnswers(const Entry& entry) {
  return HasQuizAnswers(entry) && !entry.share.with_answers;
}

Entry SharedView(const Entry& entry) {
  Entry view = entry;
  if (WithholdsAnswers(entry)) view.fields.erase(kQuizAnswersField);
  view.share = ShareState{};
  view.visibility = Visibility::kShared;
  view.author = Author::kMe;
  return view;
}

std::string EncodeSharedContent(const Entry& entry) {
  json details = EntryToJson(entry);
  details.erase("visibility");
  details.erase("author");
  details.erase("text");
  return JoinTextAndDetails(entry.text, details.dump());
}

Result<Entry> DecodeSharedContent(std::string_view content) {
  const Status malformed = Status::InvalidArgument("not a shared entry");
  if (!IsTextAndDetails(content)) {
    const json whole = ParseBoundedJson(content);
    if (whole.is_discarded()) return malformed;
    return EntryFromJson(whole);
  }
  const std::optional<TextAndDetails> parts = SplitTextAndDetails(content);
  if (!parts) return malformed;
  const json details = ParseBoundedJson(parts->details);
  if (!details.is_object() || details.contains("text")) return malformed;
  return EntryFromJson(details, parts->text);
}

Result<Entry> AcceptPartnerEntry(std::string_view content, std::string_view row_entry_id) {
  ATTUNE_ASSIGN_OR_RETURN(Entry entry, DecodeSharedContent(content));
  if (entry.id != row_entry_id) {
    crypto::Wipe(entry.text);
    return Status::InvalidArgument("the row names another entry");
  }
  Result<const steps::KindInfo*> kind = steps::FindKind(entry.kind);
  Status valid = kind.ok() ? ValidateEntryContent(entry) : kind.status();
  if (!valid.ok()) {
    crypto::Wipe(entry.text);
    return Status::InvalidArgument("not a valid entry");
  }
  entry.step = (*kind)->step;
  entry.author = Author::kPartner;
  entry.visibility = Visibility::kShared;
  return entry;
}

}  // namespace attune::node
