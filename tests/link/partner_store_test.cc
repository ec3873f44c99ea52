// The link's state in the journal: the node's identity key and the partner record.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "crypto/onion.h"
#include "node/journal/link_identity.h"
#include "node/journal_reason.h"
#include "storage/database.h"
#include "tests/common/files.h"
#include "tests/link/link_test_util.h"

namespace attune::link_testing {
namespace {

class PartnerStoreTest : public ::testing::Test {
 protected:
  PartnerStoreTest() : node_(temp_.File("home"), "Sam") {}

  node::Partner SamplePartner() {
    node::Partner partner;
    partner.public_key = crypto::GenerateX25519KeyPair().public_key;
    partner.display_name = "Alex";
    partner.paired_at = node::Timestamp{1767225600000, 60};
    partner.last_address = "[::1]:47017";
    return partner;
  }

  test_common::TempDir temp_;
  TestNode node_;
};

TEST_F(PartnerStoreTest, InitMakesTheIdentityKeyAndItSurvivesReopening) {
  node_.journal.reset();
  node::ManualClock clock(node::Timestamp{0, 0});
  Result<node::Journal> reopened = node::Journal::Open(
      node_.home, [] { return Result<node::Secret>(node::Secret()); }, clock);
  ASSERT_TRUE(reopened.ok());
  Result<crypto::X25519KeyPair> again = LinkIdentityOf(*reopened);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->public_key, node_.identity.public_key);
  EXPECT_TRUE(again->secret.ConstantTimeEquals(node_.identity.secret));
}

TEST_F(PartnerStoreTest, TheSecretKeyIsNotInTheDatabaseInTheClear) {
  const std::string secret(reinterpret_cast<const char*>(node_.identity.secret.data()),
                           node_.identity.secret.size());
  node_.journal.reset();  // checkpoint and close, so everything is in the files
  for (const char* suffix : {"", "-wal"}) {
    Bytes file = test_common::ReadFileBytes(node_.home.database_path() + suffix);
    EXPECT_FALSE(test_common::BytesContain(file, secret)) << suffix;
  }
}

TEST_F(PartnerStoreTest, APartnerIsStoredOnceAndForgottenOnUnpair) {
  EXPECT_FALSE(node_.journal->GetPartner()->has_value());
  node::Partner partner = SamplePartner();
  ASSERT_TRUE(node_.journal->SavePartner(partner, /*replace=*/false).ok());
  EXPECT_EQ(node_.journal->SavePartner(SamplePartner(), false).code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(
      node_.journal->SavePartner(SamplePartner(), false).Is(node::PairingReason::kAlreadyPaired));

  partner.last_contact = node::Timestamp{1767225700000, 0};
  ASSERT_TRUE(node_.journal->SavePartner(partner, /*replace=*/true).ok());
  Result<std::optional<node::Partner>> stored = node_.journal->GetPartner();
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->public_key, partner.public_key);
  EXPECT_EQ((*stored)->display_name, "Alex");
  EXPECT_EQ((*stored)->last_address, "[::1]:47017");
  ASSERT_TRUE((*stored)->last_contact.has_value());
  EXPECT_EQ((*stored)->last_contact->utc_ms, 1767225700000);

  ASSERT_TRUE(node_.journal->Unpair(/*keep_entries=*/false).ok());
  EXPECT_FALSE(node_.journal->GetPartner()->has_value());
  EXPECT_TRUE(
      node_.journal->Unpair(/*keep_entries=*/false).status().Is(node::JournalReason::kNotPaired));
}

// Pairing needs the identity, so a paired journal without one had it taken out of the file. A
// new one would end the pairing for good (the partner knows only the old key) and be reported by
// the partner as an unknown peer: it is reported as a damaged record instead, and none is made.
TEST_F(PartnerStoreTest, APairedJournalWhoseIdentityIsGoneSaysSoAndMakesNoOther) {
  ASSERT_TRUE(node_.journal->SavePartner(SamplePartner(), /*replace=*/false).ok());
  node_.journal.reset();
  {
    Result<storage::Database> file =
        storage::Database::Open(node_.home.database_path(), storage::OpenMode::kMustExist);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE(file->DeleteMeta("link.identity").ok());
  }
  node::ManualClock clock(node::Timestamp{0, 0});
  Result<node::Journal> reopened = node::Journal::Open(
      node_.home, [] { return Result<node::Secret>(node::Secret()); }, clock);
  ASSERT_TRUE(reopened.ok());
  Result<crypto::X25519KeyPair> identity = LinkIdentityOf(*reopened);
  EXPECT_EQ(identity.status().code(), StatusCode::kCorruption);
  EXPECT_TRUE(identity.status().Is(node::JournalReason::kRecordDamaged));
  EXPECT_EQ(reopened->damage()->records, std::set<std::string>{"link.identity"});
  Result<storage::Database> file =
      storage::Database::Open(node_.home.database_path(), storage::OpenMode::kMustExist);
  ASSERT_TRUE(file.ok());
  EXPECT_FALSE(file->GetMeta("link.identity")->has_value()) << "a new identity was made";
}

TEST_F(PartnerStoreTest, ThePartnersNameIsSealedAtRest) {
  node::Partner partner = SamplePartner();
  partner.display_name = "Unmistakable-Partner-Name";
  ASSERT_TRUE(node_.journal->SavePartner(partner, false).ok());
  node_.journal.reset();
  for (const char* suffix : {"", "-wal"}) {
    Bytes file = test_common::ReadFileBytes(node_.home.database_path() + suffix);
    EXPECT_FALSE(test_common::BytesContain(file, "Unmistakable-Partner-Name")) << suffix;
  }
}

TEST_F(PartnerStoreTest, PartnerJsonRejectsMalformedRecords) {
  EXPECT_EQ(node::PartnerFromJson("not json").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(node::PartnerFromJson(R"({"public_key":"00"})").status().code(),
            StatusCode::kCorruption);
  node::Partner partner = SamplePartner();
  Result<node::Partner> parsed = node::PartnerFromJson(node::PartnerToJson(partner));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->public_key, partner.public_key);
  EXPECT_FALSE(parsed->last_contact.has_value());
}

// The partner's onion contact (issue 17) is kept, and a record whose address is not a valid
// onion address, or that has half a contact, is refused like any other malformed record.
TEST_F(PartnerStoreTest, ThePartnersOnionContactIsKeptAndCheckedOnLoad) {
  node::Partner partner = SamplePartner();
  partner.onion =
      node::OnionContact{crypto::OnionAddress(crypto::OnionServiceKey::Generate().public_key()),
                         crypto::OnionClientAuthKey::Generate().public_key()};
  Result<node::Partner> parsed = node::PartnerFromJson(node::PartnerToJson(partner));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->onion, partner.onion);

  nlohmann::json json = nlohmann::json::parse(node::PartnerToJson(partner));
  nlohmann::json wrong_checksum = json;
  std::string address = json["onion_address"].get<std::string>();
  address[10] = address[10] == 'a' ? 'b' : 'a';
  wrong_checksum["onion_address"] = address;
  nlohmann::json half = json;
  half.erase("onion_client_key");
  for (const nlohmann::json& bad : {wrong_checksum, half}) {
    EXPECT_EQ(node::PartnerFromJson(bad.dump()).status().code(), StatusCode::kCorruption) << bad;
  }
}

// The node's own onion keys are made once, sealed, and the same after reopening; the contact
// it gives at pairing is their public half.
TEST_F(PartnerStoreTest, TheOwnOnionContactIsStableAndItsSecretsSealed) {
  Result<node::OnionContact> first = node_.journal->OwnOnionContact();
  ASSERT_TRUE(first.ok()) << first.status().detail();
  Result<node::OnionKeys> keys = node::OnionKeysOf(*node_.journal);
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(first->address, crypto::OnionAddress(keys->service.public_key()));
  EXPECT_EQ(first->client_key, keys->client.public_key());
  const std::string seed(reinterpret_cast<const char*>(keys->service.seed().data()),
                         keys->service.seed().size());
  node_.journal.reset();
  for (const char* suffix : {"", "-wal"}) {
    Bytes file = test_common::ReadFileBytes(node_.home.database_path() + suffix);
    EXPECT_FALSE(test_common::BytesContain(file, seed)) << suffix;
  }
  node::ManualClock clock(node::Timestamp{0, 0});
  Result<node::Journal> reopened = node::Journal::Open(
      node_.home, [] { return Result<node::Secret>(node::Secret()); }, clock);
  ASSERT_TRUE(reopened.ok());
  Result<node::OnionContact> again = reopened->OwnOnionContact();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *first);
}

// Once the partner was told this node's onion address, the keys behind it are never made anew:
// their absence is damage, named, as for the link identity.
TEST_F(PartnerStoreTest, OnionKeysToldToThePartnerAreNeverMadeAgain) {
  ASSERT_TRUE(node_.journal->OwnOnionContact().ok());
  node::Partner partner = SamplePartner();
  partner.told_own_onion = true;
  ASSERT_TRUE(node_.journal->SavePartner(partner, false).ok());
  node_.journal.reset();
  {
    Result<storage::Database> db =
        storage::Database::Open(node_.home.database_path(), storage::OpenMode::kMustExist);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->DeleteMeta("link.onion").ok());
  }
  node::ManualClock clock(node::Timestamp{0, 0});
  Result<node::Journal> reopened = node::Journal::Open(
      node_.home, [] { return Result<node::Secret>(node::Secret()); }, clock);
  ASSERT_TRUE(reopened.ok());
  const Result<node::OnionContact> again = reopened->OwnOnionContact();
  EXPECT_TRUE(again.status().Is(node::JournalReason::kRecordDamaged)) << again.status().detail();
}

// Tor is off until turned on, and the setting is kept (issue 17).
TEST_F(PartnerStoreTest, TorIsOffUntilTurnedOnAndTheSettingIsKept) {
  Result<bool> enabled = node_.journal->TorEnabled();
  ASSERT_TRUE(enabled.ok());
  EXPECT_FALSE(*enabled);
  ASSERT_TRUE(node_.journal->SetTorEnabled(true).ok());
  EXPECT_TRUE(*node_.journal->TorEnabled());
  ASSERT_TRUE(node_.journal->SetTorEnabled(false).ok());
  EXPECT_FALSE(*node_.journal->TorEnabled());
}

TEST_F(PartnerStoreTest, TheServePortDefaultsAndCanBeSet) {
  EXPECT_EQ(*node_.journal->ServePort(), node::kDefaultServePort);
  ASSERT_TRUE(node_.journal->SetServePort(47999).ok());
  EXPECT_EQ(*node_.journal->ServePort(), 47999);
  EXPECT_EQ(node_.journal->SetServePort(0).code(), StatusCode::kInvalidArgument);
}

TEST(EndpointTest, ParsesTheFormsPeopleType) {
  EXPECT_EQ(*node::ParseEndpoint("192.168.1.20:47017", 0), (node::Endpoint{"192.168.1.20", 47017}));
  EXPECT_EQ(*node::ParseEndpoint("[::1]:5", 0), (node::Endpoint{"::1", 5}));
  EXPECT_EQ(*node::ParseEndpoint("::1", 9), (node::Endpoint{"::1", 9}));
  EXPECT_EQ(*node::ParseEndpoint("laptop.local", 47016), (node::Endpoint{"laptop.local", 47016}));
  EXPECT_EQ(node::Endpoint({"::1", 5}).ToString(), "[::1]:5");
  for (const char* bad : {"", ":5", "host:", "host:99999", "host:x", "[::1", "[::1]x", "h:-1"}) {
    EXPECT_EQ(node::ParseEndpoint(bad, 47017).status().code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(node::ParseEndpoint("host", 0).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace attune::link_testing
