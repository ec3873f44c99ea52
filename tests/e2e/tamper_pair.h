// The pair of homes the tamper test (tamper_test.cc) changes behind attune's back: Sam and Alex,
// paired, Sam's journal protected by a passphrase and holding every kind of row there is.
//
// Sam's journal, as prepared (ids in TamperIds):
//   private    a need with a private tag, a statement (its three parts in fields), a boundary
//              with a restatement note: text, tags and fields all carry kPrivateMarker
//   delivered  a style result shared without its quiz answers, a shared need, and a shared need
//              edited since and left unconfirmed (the new words carry kUnconfirmedMarker)
//   gone       a shared need Alex received, then deleted (its log row a delivered tombstone)
//   pending    shared after the last sync, then edited and left unconfirmed (its log row waits,
//              holding the confirmed words); and a note shared and withdrawn before any sync
//              reached Alex (its log row a waiting tombstone; the note private again)
//   Alex's     one need Alex shared, as Sam's node holds it
// Two syncs ran, so the sync state, the partner record and the outgoing log are all populated;
// then the passphrase was set (interactive KDF), so the key rows are those of a protected journal.
//
// Preparing takes a few seconds (pairing dominates), so ctest prepares the pair once (the
// tamper_pair fixture, in ATTUNE_TAMPER_PAIR) and every case copies it. Run on its own, a case
// prepares its own pair.
//
// Copies share the pair's keys, so two cases running at once must never reach each other's
// nodes: every serve and sync runs without discovery, on an address of its own
// (PrivateLoopbackEndpoint), and the addresses the homes remember from their preparation are
// nobody's once it is done.
#ifndef ATTUNE_TESTS_E2E_TAMPER_PAIR_H_
#define ATTUNE_TESTS_E2E_TAMPER_PAIR_H_

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "tests/e2e/partners.h"

namespace attune::e2e {

// In everything of Sam's that must never reach Alex (compared without regard to case).
inline constexpr char kPrivateMarker[] = "tamper-private";
// In the words of every version Sam never confirmed for sharing.
inline constexpr char kUnconfirmedMarker[] = "unconfirmed";
// In the entries Sam shared and took back before the last sync.
inline constexpr char kGoneMarker[] = "tamper-gone";

inline constexpr char kSamPassphrase[] = "Sam's tamper test passphrase";

struct TamperIds {
  std::string private_need, private_statement, private_boundary;
  std::string style, delivered, edited, deleted;
  std::string pending, withdrawn;
  std::string from_alex;
  // Sam's own entries that exist now.
  std::set<std::string> Own() const;
};

struct Homes {
  std::string sam, alex;
};

// "127.A.B.C:PORT": a random address on the loopback network (not 127.0.0.x, which other tests
// use) and a port free on it.
std::string PrivateLoopbackEndpoint();

class TamperPairTest : public PartnersTest {
 protected:
  void SetUp() override;

  // Makes the pair in `dir` (sam/, alex/ and manifest.json), which must not exist yet.
  void PreparePair(const std::string& dir);
  // The pair ctest prepared (ATTUNE_TAMPER_PAIR), or, without one, a pair made here.
  void UsePreparedPair();
  // A copy of the pair in a new directory `name` under the test's directory.
  Homes CopyPair(const std::string& name);

  // `serve` in `home` at `endpoint`, without discovery; started, whether or not it stays up.
  BackgroundProcess StartServe(const std::string& home, const std::string& endpoint);
  // A `sync` from `home` to `endpoint`, without discovery.
  RunResult SyncTo(const std::string& home, const std::string& endpoint);

  // Alex's node holds nothing of Sam's but confirmed versions of what Sam shared: in what
  // `list --partner --json` shows (every entry exactly as confirmed) and in its database file;
  // and Sam's pending entry is there if and only if `pending_arrived`.
  void ExpectPartnerHoldsOnlyConfirmed(const std::string& alex, bool pending_arrived);

  std::string pair_dir_;
  TamperIds ids_;
  std::map<std::string, nlohmann::json> confirmed_;  // by id: what Alex may hold of each

 private:
  void PrepareSam(const std::string& sam);
  void FirstSyncs(const Homes& homes);
  void PendingChanges(const std::string& sam);
  void SyncThrough(const Homes& homes);
  void WriteManifest(const std::string& dir);
  void ReadManifest(const std::string& dir);
};

}  // namespace attune::e2e

#endif  // ATTUNE_TESTS_E2E_TAMPER_PAIR_H_
