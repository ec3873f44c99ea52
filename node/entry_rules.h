// What makes an entry's content acceptable, wherever it comes from: the command line, an
// import file, or (later) the partner.
#ifndef ATTUNE_NODE_ENTRY_RULES_H_
#define ATTUNE_NODE_ENTRY_RULES_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/status.h"
#include "node/entry.h"

namespace attune::node {

// Non-blank, at most kMaxTextBytes, well-formed UTF-8 (the sealed body is JSON).
Status ValidateText(const std::string& text);

// Fields are a JSON object (possibly empty).
Status ValidateFields(const nlohmann::json& fields);

// Trimmed, de-duplicated tags; kInvalidArgument for an empty, over-long or non-UTF-8 tag, or
// more than kMaxTags.
Result<std::vector<std::string>> CleanTags(const std::vector<std::string>& tags);

// All of the above for a whole entry (cleaning its tags in place), plus the link count.
// Does not check that links resolve: that needs the journal.
Status ValidateEntryContent(Entry& entry);

}  // namespace attune::node

#endif  // ATTUNE_NODE_ENTRY_RULES_H_
