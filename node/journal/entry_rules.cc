#include "node/entry_rules.h"

#include <algorithm>

#include "base/text_util.h"
#include "base/utf8.h"
#include "node/journal_reason.h"
#include "steps/statement_check.h"

namespace attune::node {

Status ValidateText(const std::string& text) {
  if (Trim(text).empty()) return Status::InvalidArgument("the text is empty");
  if (text.size() > kMaxTextBytes) {
    return Status::InvalidArgument("the text is longer than " + std::to_string(kMaxTextBytes) +
                                   " bytes");
  }
  if (!IsValidUtf8(text)) return Status::InvalidArgument("the text is not UTF-8");
  return Status::Ok();
}

Status ValidateFields(const nlohmann::json& fields) {
  if (!fields.is_object()) return Status::InvalidArgument("entry fields must be an object");
  return Status::Ok();
}

bool IsResponseAck(std::string_view ack) {
  return std::find(std::begin(kResponseAcks), std::end(kResponseAcks), ack) !=
         std::end(kResponseAcks);
}

Status ValidateResponseFields(const nlohmann::json& fields) {
  const Status bad = Status::InvalidArgument("malformed response fields")
                         .WithReason(JournalReason::kResponseWithoutTarget);
  const auto target = fields.find("responds_to");
  if (target == fields.end() || !target->is_string() ||
      !IsFullEntryId(target->get_ref<const std::string&>())) {
    return bad;
  }
  const auto ack = fields.find("ack");
  if (ack != fields.end() &&
      (!ack->is_string() || !IsResponseAck(ack->get_ref<const std::string&>()))) {
    return bad;
  }
  const auto kind = fields.find("responds_to_kind");
  if (kind != fields.end() && !kind->is_string()) return bad;
  return Status::Ok();
}

Status ValidateFieldsOf(std::string_view kind, const nlohmann::json& fields) {
  ATTUNE_RETURN_IF_ERROR(ValidateFields(fields));
  if (kind == "response") return ValidateResponseFields(fields);
  return Status::Ok();
}

Result<std::vector<std::string>> CleanTags(const std::vector<std::string>& tags) {
  std::vector<std::string> clean;
  for (const std::string& raw : tags) {
    std::string tag(Trim(raw));
    if (tag.empty()) return Status::InvalidArgument("a tag is empty");
    if (tag.size() > kMaxTagBytes) return Status::InvalidArgument("a tag is too long");
    if (!IsValidUtf8(tag)) return Status::InvalidArgument("a tag is not UTF-8");
    if (std::find(clean.begin(), clean.end(), tag) == clean.end()) clean.push_back(tag);
  }
  if (clean.size() > kMaxTags) return Status::InvalidArgument("too many tags");
  return clean;
}

Status ValidateEntryContent(Entry& entry) {
  ATTUNE_RETURN_IF_ERROR(ValidateText(entry.text));
  ATTUNE_RETURN_IF_ERROR(ValidateFieldsOf(entry.kind, entry.fields));
  ATTUNE_ASSIGN_OR_RETURN(entry.tags, CleanTags(entry.tags));
  if (entry.links.size() > kMaxLinks) return Status::InvalidArgument("too many links");
  return Status::Ok();
}

void DropStaleStatementParts(Entry& entry) {
  if (entry.kind != "statement" || !entry.fields.is_object()) return;
  constexpr const char* kParts[] = {"feel", "when", "need"};
  bool whole = true;
  for (const char* part : kParts) {
    whole = whole && entry.fields.contains(part) && entry.fields[part].is_string();
  }
  if (whole && steps::ComposeStatement(entry.fields["feel"].get<std::string>(),
                                       entry.fields["when"].get<std::string>(),
                                       entry.fields["need"].get<std::string>()) == entry.text) {
    return;
  }
  for (const char* part : kParts) entry.fields.erase(part);
}

}  // namespace attune::node
