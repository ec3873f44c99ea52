// What travels for a shared entry: the content of a sync row (docs/protocol.md 4.3), and what a
// receiving node accepts from it. Pure functions over bytes and Entry values, no journal or
// database, so the receiver's whole decision can be fuzzed (tests/fuzz/shared_content_fuzz.cc).
#ifndef ATTUNE_NODE_SHARED_CONTENT_H_
#define ATTUNE_NODE_SHARED_CONTENT_H_

#include <string>
#include <string_view>

#include "base/status.h"
#include "node/entry.h"

namespace attune::node {

// The fields of a style result that hold its quiz item answers (one per item, 1-7).
inline constexpr std::string_view kQuizAnswersField = "answers";

// What the partner's node holds of `entry` when it is shared: the entry less what never
// leaves (who may see it, its share state) and, for a style result, less its quiz item answers
// unless its author chose to include them (entry.share.with_answers). This is the one
// rendering of what is shared: the bytes that travel are EncodeSharedContent(SharedView(entry)),
// and the author's preview is decoded from those same bytes.
Entry SharedView(const Entry& entry);

// Whether SharedView leaves out quiz item answers that `entry` holds.
bool WithholdsAnswers(const Entry& entry);
// Whether `entry` holds quiz item answers at all.
bool HasQuizAnswers(const Entry& entry);

// Format 2: the entry's text, then its details (id, kind, fields, tags, links, times) as JSON;
// who wrote it and who may see it are left out: they are the receiver's to decide. The caller
// wipes the result. Pass SharedView(entry), never an entry as stored.
std::string EncodeSharedContent(const Entry& entry);

// The entry a row holds, in either format (2, or 1: the whole entry as one JSON object, still
// read), not yet checked against the entry rules. kInvalidArgument if it is not one.
Result<Entry> DecodeSharedContent(std::string_view content);

// The partner's entry as this node would keep it: decoded, of a known kind, valid under the
// entry rules, its id the one the row names; marked shared and the partner's, with its kind's
// step. kInvalidArgument otherwise (the row is counted as refused, never stored).
Result<Entry> AcceptPartnerEntry(std::string_view content, std::string_view row_entry_id);

}  // namespace attune::node

#endif  // ATTUNE_NODE_SHARED_CONTENT_H_
