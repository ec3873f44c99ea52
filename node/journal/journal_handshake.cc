// Journal: the counters that keep a partner handshake's first message from being replayed
// (docs/protocol.md section 3.2). Both are records (sealed under the record key, in meta); this
// file is the only one that reads or writes them.
//
// Sent: the last counter this home issued, as decimal text.
// Seen: the partner whose counters these are, the floor (every counter at or below it is
// refused), and the counters admitted above the floor, as JSON.
#include <algorithm>
#include <charconv>
#include <set>

#include <nlohmann/json.hpp>

#include "node/journal.h"
#include "node/journal/journal_backing.h"

namespace attune::node {
namespace {

constexpr std::string_view kSentSetting = "link.handshake_sent";
constexpr std::string_view kSeenSetting = "link.handshake_seen";

// The counters admitted from one partner, within the window below the highest.
struct SeenCounters {
  std::string partner;  // hex of the partner's public key
  uint64_t floor = 0;
  std::set<uint64_t> admitted;

  // Admits `counter` once, then moves the floor up to the window below the highest admitted
  // and forgets what fell below it (or, past kHandshakeCountersKept, the oldest).
  bool Admit(uint64_t counter) {
    if (counter <= floor || admitted.contains(counter)) return false;
    admitted.insert(counter);
    const uint64_t highest = *admitted.rbegin();
    if (highest > kHandshakeCounterWindow)
      floor = std::max(floor, highest - kHandshakeCounterWindow);
    while (!admitted.empty() && *admitted.begin() <= floor) admitted.erase(admitted.begin());
    while (admitted.size() > kHandshakeCountersKept) {
      floor = *admitted.begin();
      admitted.erase(admitted.begin());
    }
    return true;
  }
};

std::string HexKey(const crypto::X25519PublicKey& key) {
  return ToHex(ByteSpan(key.data(), key.size()));
}

Result<uint64_t> ParseCounter(std::string_view text) {
  uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return Status::Corruption(std::string(kSentSetting)).WithReason(JournalReason::kRecordDamaged);
  }
  return value;
}

Result<SeenCounters> ParseSeen(const std::string& text) {
  const nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  const auto malformed = [] {
    return Status::Corruption(std::string(kSeenSetting)).WithReason(JournalReason::kRecordDamaged);
  };
  if (!parsed.is_object() || !parsed.contains("partner") || !parsed["partner"].is_string() ||
      !parsed.contains("floor") || !parsed["floor"].is_number_unsigned() ||
      !parsed.contains("admitted") || !parsed["admitted"].is_array()) {
    return malformed();
  }
  SeenCounters seen{parsed["partner"].get<std::string>(), parsed["floor"].get<uint64_t>(), {}};
  for (const nlohmann::json& counter : parsed["admitted"]) {
    if (!counter.is_number_unsigned()) return malformed();
    seen.admitted.insert(counter.get<uint64_t>());
  }
  return seen;
}

std::string SeenToJson(const SeenCounters& seen) {
  return nlohmann::json{
      {"partner", seen.partner},
      {"floor", seen.floor},
      {"admitted", std::vector<uint64_t>(seen.admitted.begin(), seen.admitted.end())}}
      .dump();
}

}  // namespace

Result<uint64_t> Journal::NextHandshakeCounter() {
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, BeginWrite());
  ATTUNE_ASSIGN_OR_RETURN(std::optional<std::string> text, GetRecord(kSentSetting));
  uint64_t last = 0;
  if (text) {
    ATTUNE_ASSIGN_OR_RETURN(last, ParseCounter(*text));
  }
  // A clock set back (or before 1970) never takes the counter back: the last one issued + 1.
  const int64_t now = clock_->Now().utc_ms;
  const uint64_t next = std::max(now > 0 ? static_cast<uint64_t>(now) : 0, last + 1);
  if (next == 0) return Status::Internal("the handshake counter is exhausted");
  ATTUNE_RETURN_IF_ERROR(PutRecord(kSentSetting, std::to_string(next)));
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  return next;
}

Result<bool> Journal::AdmitHandshakeCounter(const crypto::X25519PublicKey& partner,
                                            uint64_t counter) {
  if (counter == 0) return false;
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, BeginWrite());
  ATTUNE_ASSIGN_OR_RETURN(std::optional<std::string> text, GetRecord(kSeenSetting));
  SeenCounters seen{HexKey(partner), 0, {}};
  if (text) {
    ATTUNE_ASSIGN_OR_RETURN(SeenCounters stored, ParseSeen(*text));
    // A former partner's record says nothing about this one's counters.
    if (stored.partner == seen.partner) seen = std::move(stored);
  }
  if (!seen.Admit(counter)) return false;  // the transaction rolls back: nothing changed
  ATTUNE_RETURN_IF_ERROR(PutRecord(kSeenSetting, SeenToJson(seen)));
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  return true;
}

}  // namespace attune::node
