// Feeds arbitrary bytes to what a node decides about the content of a partner's sync row before
// storing it (node/shared_content.h, AcceptPartnerEntry, which JournalSyncStore::ApplyRow calls):
// both formats of docs/protocol.md 4.3 ("text then details", and one JSON object, each through
// the bounded JSON parser), the kind lookup and the entry rules. Nothing may crash or throw, and
// whatever is accepted must be stable: encoded again it is accepted as the same entry, and
// re-encoding is a fixed point (export, `show --json` and the seal all re-encode what arrived).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "node/entry.h"
#include "node/shared_content.h"

namespace {

namespace node = attune::node;

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  // The row names the id the content claims (a real row whose id differs is refused whole).
  attune::Result<node::Entry> decoded = node::DecodeSharedContent(content);
  if (!decoded.ok()) {
    Check(decoded.status().code() == attune::StatusCode::kInvalidArgument);
    return 0;
  }
  attune::Result<node::Entry> accepted = node::AcceptPartnerEntry(content, decoded->id);
  if (!accepted.ok()) {
    Check(accepted.status().code() == attune::StatusCode::kInvalidArgument);
    return 0;
  }
  Check(node::IsFullEntryId(accepted->id) && accepted->author == node::Author::kPartner);
  const std::string another_id(32, accepted->id[0] == 'f' ? 'e' : 'f');
  Check(!node::AcceptPartnerEntry(content, another_id).ok());

  const nlohmann::json as_json = node::EntryToJson(*accepted);
  const std::string again = node::EncodeSharedContent(*accepted);
  attune::Result<node::Entry> reread = node::AcceptPartnerEntry(again, accepted->id);
  Check(reread.ok());
  Check(node::EntryToJson(*reread) == as_json);
  Check(node::EncodeSharedContent(*reread) == again);
  return 0;
}
