// Parsing JSON that someone else may have written: a partner's shared entry, an import file, a
// sealed body read back from disk.
//
// nlohmann::json copies, compares and dumps values recursively, one stack frame per level of
// nesting, so a document of a hundred thousand nested arrays (a few hundred kilobytes, well
// within an entry's size limit) would overflow the stack wherever it is next copied or shown.
// attune's own documents nest a handful of levels; anything deeper than kMaxJsonDepth is refused
// before nlohmann sees it.
#ifndef ATTUNE_NODE_JOURNAL_BOUNDED_JSON_H_
#define ATTUNE_NODE_JOURNAL_BOUNDED_JSON_H_

#include <nlohmann/json.hpp>
#include <string_view>

namespace attune::node {

// Arrays and objects inside one another, counting the outermost as 1.
inline constexpr int kMaxJsonDepth = 32;

// The value `text` holds, or a discarded value (is_discarded()) if it is not JSON or nests
// deeper than kMaxJsonDepth. Never throws.
nlohmann::json ParseBoundedJson(std::string_view text);

// Whether `text` opens more than `limit` arrays or objects inside one another. Brackets inside
// strings do not count. For text that is not JSON the answer is meaningless but safe.
bool NestsDeeperThan(std::string_view text, int limit);

}  // namespace attune::node

#endif  // ATTUNE_NODE_JOURNAL_BOUNDED_JSON_H_
