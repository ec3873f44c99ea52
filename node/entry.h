// A journal entry as the node and its callers see it: plaintext, in memory only.
#ifndef ATTUNE_NODE_ENTRY_H_
#define ATTUNE_NODE_ENTRY_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "node/clock.h"

namespace attune::node {

// The largest entry text accepted, in bytes. Bounded so that an entry (text, fields and tags)
// always fits the sync protocol's reassembly limit with room to spare.
inline constexpr size_t kMaxTextBytes = 64 * 1024;
inline constexpr size_t kMaxTags = 32;
inline constexpr size_t kMaxTagBytes = 64;
inline constexpr size_t kMaxLinks = 64;

// How one of the journal's own entries stands with the partner. Kept inside the entry's sealed
// body (so it is authenticated with it); never exported, shown or sent.
struct ShareState {
  // The seq of the entry's row in the outgoing log while that row holds a version of it for the
  // partner (0: none). A log row is sent only if it is the one its entry names here, so an
  // older row put back in the file is refused.
  int64_t log_seq = 0;
  // A style result shared with its quiz item answers (`share --with-answers`).
  bool with_answers = false;

  bool operator==(const ShareState&) const = default;
};

// Whose an entry is: this journal's own, what the paired partner shared, or what a former
// partner shared and was kept at unpair (read-only).
enum class Author { kMe, kPartner, kFormer };

// Whether an own entry is shared with the partner. A partner's entries are always kShared.
enum class Visibility { kPrivate, kShared };

// The names JSON uses (and the file stores): "me", "partner", "former"; "private", "shared".
std::string_view AuthorName(Author author);
std::string_view VisibilityName(Visibility visibility);
// nullopt for any other name.
std::optional<Author> ParseAuthor(std::string_view name);
std::optional<Visibility> ParseVisibility(std::string_view name);

struct Entry {
  std::string id;    // 32 lowercase hex characters (128 random bits)
  std::string kind;  // a name from AllKinds()
  int step = 0;      // the kind's step (0 for `note`)
  std::string text;
  nlohmann::json fields = nlohmann::json::object();  // structured extras, per kind
  std::vector<std::string> tags;
  std::vector<std::string> links;  // full ids of related entries
  Timestamp created;
  Timestamp updated;
  Visibility visibility = Visibility::kPrivate;
  Author author = Author::kMe;
  ShareState share;  // own entries only
  // When an own entry was moved to the trash (Journal::MoveToTrash); nullopt outside it. Kept
  // inside the sealed body with the share state; never exported, shown as a field, or sent.
  std::optional<Timestamp> trashed = std::nullopt;
};

// The JSON form used by --json output, export and import (see docs/guide.md "Data model").
nlohmann::json EntryToJson(const Entry& entry);

// Validates and converts an exported entry back. kInvalidArgument names the first bad field.
Result<Entry> EntryFromJson(const nlohmann::json& json);
// The same for an object without "text" (kInvalidArgument if it has one), the text given beside
// it: a shared entry travels as its text and its other fields apart, and the text is not copied
// into the object only to be copied out again.
Result<Entry> EntryFromJson(const nlohmann::json& json, std::string_view text);

// Whether `id` is a whole entry id: 32 lowercase hex digits.
bool IsFullEntryId(std::string_view id);

// "2026-11-28T09:15:00+01:00": RFC 3339 in the writer's offset, as JSON shows times.
std::string FormatRfc3339(const Timestamp& at);

// Parses FormatRfc3339's output (any offset up to a day, "Z", optional fractional seconds).
// kInvalidArgument for anything else: out-of-range fields (February 30, 24:00), missing
// offset, or text after the offset.
Result<Timestamp> ParseRfc3339(const std::string& text);

}  // namespace attune::node

#endif  // ATTUNE_NODE_ENTRY_H_
