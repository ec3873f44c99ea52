#include "node/entry_rules.h"

#include <algorithm>

#include "base/utf8.h"
#include "node/text_util.h"

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
  ATTUNE_RETURN_IF_ERROR(ValidateFields(entry.fields));
  ATTUNE_ASSIGN_OR_RETURN(entry.tags, CleanTags(entry.tags));
  if (entry.links.size() > kMaxLinks) return Status::InvalidArgument("too many links");
  return Status::Ok();
}

}  // namespace attune::node
