// The CPace Party API with random scalars: matching inputs agree, any
// mismatch or tampering disagrees or is rejected, and a party is single-use.
// (libsodium is initialised by the environment in cpace_test.cc.)
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "base/bytes.h"
#include "crypto/cpace.h"
#include "crypto/secure_bytes.h"

namespace attune::crypto::cpace {
namespace {

SecureBytes Secret(std::string_view text) {
  return SecureBytes::CopyOf(AsBytes(text));
}

// The inputs of one side of a run; each test changes one field.
struct Inputs {
  std::string password = "4821-7730";
  std::string channel_id = "alice-phone|bob-laptop";
  std::string session_id = "0123456789abcdef";
  std::string associated_data;
};

Party MustStart(Role role, const Inputs& in) {
  Result<Party> party = Party::Start(role, Secret(in.password), AsBytes(in.channel_id),
                                     AsBytes(in.session_id), AsBytes(in.associated_data));
  EXPECT_TRUE(party.ok()) << party.status().detail();
  return std::move(party).value();
}

struct Outcome {
  Result<SecureBytes> initiator_isk;
  Result<SecureBytes> responder_isk;

  bool BothOk() const { return initiator_isk.ok() && responder_isk.ok(); }
  bool Agree() const { return BothOk() && initiator_isk->ConstantTimeEquals(*responder_isk); }
};

// A complete honest exchange between an initiator and a responder.
Outcome RunExchange(Inputs initiator, Inputs responder) {
  initiator.associated_data = "ADa";
  responder.associated_data = "ADb";
  Party a = MustStart(Role::kInitiator, initiator);
  Party b = MustStart(Role::kResponder, responder);
  const Share share_a = a.share();
  const Share share_b = b.share();
  return {std::move(a).Finish(share_b, AsBytes("ADb")),
          std::move(b).Finish(share_a, AsBytes("ADa"))};
}

TEST(CpacePartyTest, HonestExchangeAgrees) {
  Outcome outcome = RunExchange(Inputs{}, Inputs{});
  ASSERT_TRUE(outcome.BothOk());
  EXPECT_EQ(outcome.initiator_isk->size(), kIskBytes);
  EXPECT_TRUE(outcome.Agree());
}

TEST(CpacePartyTest, EmptyChannelIdAndSessionIdStillAgree) {
  Inputs in;
  in.channel_id.clear();
  in.session_id.clear();
  EXPECT_TRUE(RunExchange(in, in).Agree());
}

TEST(CpacePartyTest, FreshScalarEveryRun) {
  const Party first = MustStart(Role::kInitiator, Inputs{});
  const Party second = MustStart(Role::kInitiator, Inputs{});
  EXPECT_NE(first.share(), second.share());
  Outcome one = RunExchange(Inputs{}, Inputs{});
  Outcome two = RunExchange(Inputs{}, Inputs{});
  ASSERT_TRUE(one.BothOk() && two.BothOk());
  EXPECT_FALSE(one.initiator_isk->ConstantTimeEquals(*two.initiator_isk));
}

TEST(CpacePartyTest, DifferentPasswordDisagrees) {
  Inputs other;
  other.password = "4821-7731";
  Outcome outcome = RunExchange(Inputs{}, other);
  ASSERT_TRUE(outcome.BothOk());  // CPace does not detect the mismatch itself.
  EXPECT_FALSE(outcome.Agree());
}

TEST(CpacePartyTest, DifferentSessionIdDisagrees) {
  Inputs other;
  other.session_id = "0123456789abcdeF";
  Outcome outcome = RunExchange(Inputs{}, other);
  ASSERT_TRUE(outcome.BothOk());
  EXPECT_FALSE(outcome.Agree());
}

TEST(CpacePartyTest, DifferentChannelIdDisagrees) {
  Inputs other;
  other.channel_id = "alice-phone|mallory-laptop";
  Outcome outcome = RunExchange(Inputs{}, other);
  ASSERT_TRUE(outcome.BothOk());
  EXPECT_FALSE(outcome.Agree());
}

TEST(CpacePartyTest, TamperedAssociatedDataDisagrees) {
  Party a = MustStart(Role::kInitiator, Inputs{.associated_data = "ADa"});
  Party b = MustStart(Role::kResponder, Inputs{.associated_data = "ADb"});
  const Share share_a = a.share();
  const Share share_b = b.share();
  Result<SecureBytes> isk_a = std::move(a).Finish(share_b, AsBytes("ADb"));
  Result<SecureBytes> isk_b = std::move(b).Finish(share_a, AsBytes("ADA"));
  ASSERT_TRUE(isk_a.ok() && isk_b.ok());
  EXPECT_FALSE(isk_a->ConstantTimeEquals(*isk_b));
}

TEST(CpacePartyTest, SameRoleOnBothSidesDisagrees) {
  Party a = MustStart(Role::kInitiator, Inputs{.associated_data = "AD"});
  Party b = MustStart(Role::kInitiator, Inputs{.associated_data = "AD"});
  const Share share_a = a.share();
  const Share share_b = b.share();
  Result<SecureBytes> isk_a = std::move(a).Finish(share_b, AsBytes("AD"));
  Result<SecureBytes> isk_b = std::move(b).Finish(share_a, AsBytes("AD"));
  ASSERT_TRUE(isk_a.ok() && isk_b.ok());
  EXPECT_FALSE(isk_a->ConstantTimeEquals(*isk_b));
}

TEST(CpacePartyTest, TamperedShareIsRejectedOrDisagrees) {
  // Every byte position and a few bit patterns: a flipped share either fails
  // to decode (most do: ristretto255 encodings are sparse) or yields a key the
  // responder does not have.
  for (size_t position = 0; position < kShareBytes; ++position) {
    for (uint8_t mask : {0x01, 0x80, 0xff}) {
      SCOPED_TRACE("byte " + std::to_string(position) + " mask " + std::to_string(mask));
      Party a = MustStart(Role::kInitiator, Inputs{.associated_data = "ADa"});
      Party b = MustStart(Role::kResponder, Inputs{.associated_data = "ADb"});
      Share tampered = b.share();
      tampered[position] ^= mask;
      Result<SecureBytes> isk_b = std::move(b).Finish(a.share(), AsBytes("ADa"));
      Result<SecureBytes> isk_a = std::move(a).Finish(tampered, AsBytes("ADb"));
      ASSERT_TRUE(isk_b.ok());
      if (isk_a.ok()) {
        EXPECT_FALSE(isk_a->ConstantTimeEquals(*isk_b));
      } else {
        EXPECT_EQ(isk_a.status().code(), StatusCode::kAuthFailed);
      }
    }
  }
}

TEST(CpacePartyTest, IdentityShareIsRejected) {
  Party a = MustStart(Role::kInitiator, Inputs{});
  const Share identity = {};
  Result<SecureBytes> isk = std::move(a).Finish(identity, AsBytes("ADb"));
  ASSERT_FALSE(isk.ok());
  EXPECT_EQ(isk.status().code(), StatusCode::kAuthFailed);
}

TEST(CpacePartyTest, WrongLengthShareIsCorruption) {
  for (size_t size : {0u, 31u, 33u, 64u}) {
    SCOPED_TRACE(size);
    Party a = MustStart(Role::kInitiator, Inputs{});
    const Party b = MustStart(Role::kResponder, Inputs{});
    Bytes share(b.share().begin(), b.share().end());
    share.resize(size, 0);
    Result<SecureBytes> isk = std::move(a).Finish(share, AsBytes("ADb"));
    ASSERT_FALSE(isk.ok());
    EXPECT_EQ(isk.status().code(), StatusCode::kCorruption);
  }
}

TEST(CpacePartyTest, FinishConsumesTheParty) {
  Party a = MustStart(Role::kInitiator, Inputs{});
  const Party b = MustStart(Role::kResponder, Inputs{});
  ASSERT_TRUE(std::move(a).Finish(b.share(), AsBytes("ADb")).ok());
  Result<SecureBytes> again = std::move(a).Finish(b.share(), AsBytes("ADb"));  // NOLINT
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kInternal);
}

TEST(CpacePartyTest, FailedFinishAlsoConsumesTheParty) {
  Party a = MustStart(Role::kInitiator, Inputs{});
  const Party b = MustStart(Role::kResponder, Inputs{});
  ASSERT_FALSE(std::move(a).Finish(Share{}, AsBytes("ADb")).ok());
  Result<SecureBytes> retry = std::move(a).Finish(b.share(), AsBytes("ADb"));  // NOLINT
  ASSERT_FALSE(retry.ok());
  EXPECT_EQ(retry.status().code(), StatusCode::kInternal);
}

TEST(CpacePartyTest, MovedFromPartyCannotFinish) {
  Party a = MustStart(Role::kInitiator, Inputs{});
  const Party b = MustStart(Role::kResponder, Inputs{});
  Party moved = std::move(a);
  Result<SecureBytes> from_shell = std::move(a).Finish(b.share(), AsBytes("ADb"));  // NOLINT
  ASSERT_FALSE(from_shell.ok());
  EXPECT_EQ(from_shell.status().code(), StatusCode::kInternal);
  EXPECT_TRUE(std::move(moved).Finish(b.share(), AsBytes("ADb")).ok());
}

TEST(CpacePartyTest, EmptyPasswordIsRejected) {
  Result<Party> party =
      Party::Start(Role::kInitiator, SecureBytes(), AsBytes("ci"), AsBytes("sid"), AsBytes("ad"));
  ASSERT_FALSE(party.ok());
  EXPECT_EQ(party.status().code(), StatusCode::kInvalidArgument);
}

TEST(CpacePartyTest, FixedScalarMustBeCanonicalAndNonZero) {
  const SecureBytes password = Secret("4821-7730");
  Bytes order_le = *FromHex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
  for (const Bytes& scalar :
       {Bytes(kScalarBytes, 0), order_le, Bytes(kScalarBytes, 0xff), Bytes(kScalarBytes - 1, 1)}) {
    Result<Party> party = Party::StartWithFixedScalarForTestingOnly(
        Role::kInitiator, password, AsBytes("ci"), AsBytes("sid"), AsBytes("ad"),
        SecureBytes::CopyOf(scalar));
    ASSERT_FALSE(party.ok());
    EXPECT_EQ(party.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(CpacePartyTest, FixedScalarIsDeterministic) {
  const SecureBytes password = Secret("4821-7730");
  Bytes scalar(kScalarBytes, 0);
  scalar[0] = 7;
  auto start = [&] {
    return Party::StartWithFixedScalarForTestingOnly(Role::kInitiator, password, AsBytes("ci"),
                                                     AsBytes("sid"), AsBytes("ad"),
                                                     SecureBytes::CopyOf(scalar));
  };
  Result<Party> first = start();
  Result<Party> second = start();
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->share(), second->share());
}

}  // namespace
}  // namespace attune::crypto::cpace
