#include "node/entry_rules.h"

#include <algorithm>
#include <cctype>

#include "base/text_util.h"
#include "base/utf8.h"
#include "node/journal_reason.h"
#include "steps/statement_check.h"

namespace attune::node {

Status ValidateText(const std::string& text) {
  if (Trim(text).empty()) return Status::InvalidArgument("the text is empty");
  if (text.size() > kMaxTextBytes) {
    return Status::InvalidArgument(std::to_string(text.size()))
        .WithReason(JournalReason::kTextTooLong);
  }
  if (!IsValidUtf8(text)) {
    return Status::InvalidArgument("the text is not UTF-8").WithReason(JournalReason::kTextNotUtf8);
  }
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

std::vector<std::string> InlineTags(std::string_view text) {
  const auto in_tag = [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return std::isalnum(byte) || c == '-' || c == '_' || byte >= 0x80;  // UTF-8 letters too
  };
  std::vector<std::string> tags;
  for (size_t at = text.find('#'); at != std::string_view::npos; at = text.find('#', at + 1)) {
    const bool starts_word = at == 0 || std::isspace(static_cast<unsigned char>(text[at - 1]));
    if (!starts_word) continue;
    size_t end = at + 1;
    while (end < text.size() && in_tag(text[end])) ++end;
    const std::string tag(text.substr(at + 1, end - at - 1));
    const bool has_letter = std::any_of(tag.begin(), tag.end(), [](char c) {
      return std::isalpha(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80;
    });
    if (has_letter && std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(tag);
  }
  return tags;
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
