// What makes an entry's content acceptable, wherever it comes from: the command line, an
// import file, or (later) the partner.
#ifndef ATTUNE_NODE_ENTRY_RULES_H_
#define ATTUNE_NODE_ENTRY_RULES_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
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

// The #tags written inside `text`, as jrnl takes them: a '#' at the start or after a space,
// followed by letters, digits, '-' or '_' (at least one letter), up to the next other character.
// "# Heading" and "##" are not tags. In the order written, each once.
std::vector<std::string> InlineTags(std::string_view text);

// How `attune respond` acknowledges what the partner shared.
inline constexpr std::string_view kResponseAcks[] = {"heard", "will-try", "lets-talk"};
bool IsResponseAck(std::string_view ack);

// A response's fields: `responds_to` a full entry id, `ack` absent or one of kResponseAcks,
// `responds_to_kind` absent or a string. (A partner's responses are shown from these.)
Status ValidateResponseFields(const nlohmann::json& fields);

// ValidateFields, and ValidateResponseFields for a response.
Status ValidateFieldsOf(std::string_view kind, const nlohmann::json& fields);

// All of the above for a whole entry (cleaning its tags in place), plus the link count and,
// for a response, its fields.
// Does not check that links resolve: that needs the journal.
Status ValidateEntryContent(Entry& entry);

// A statement's parts (fields feel, when and need) say the same as its text only while the
// text is their composition (ComposeStatement). Once the text says something else (an edit as
// free text), the parts would go on being searched, shown and sent: this removes them.
void DropStaleStatementParts(Entry& entry);

}  // namespace attune::node

#endif  // ATTUNE_NODE_ENTRY_RULES_H_
