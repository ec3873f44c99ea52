// The pairing exchange (protocol/pairing.h), driven in memory: a joiner and an inviter pass their
// messages to each other directly, and the tests tamper with, replay and forge them on the way.
#include "protocol/pairing.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "crypto/onion.h"
#include "crypto/x25519.h"
#include "protocol/attune.pb.h"
#include "protocol/messages.h"
#include "tests/common/status_assertions.h"

namespace attune::protocol {
namespace {

using Reply = Result<std::optional<Bytes>>;

const PairingCode kCode{7, {11, 1200, 2047}};

PairingIdentity IdentityOf(const crypto::X25519KeyPair& keys, std::string name, uint16_t port) {
  return PairingIdentity{keys.public_key, std::move(name), port, "", std::nullopt};
}

// An identity that also says where its node is reached through Tor (issue 17).
PairingIdentity WithOnion(PairingIdentity identity) {
  identity.onion_address = crypto::OnionAddress(crypto::OnionServiceKey::Generate().public_key());
  identity.onion_client_key = crypto::OnionClientAuthKey::Generate().public_key();
  return identity;
}

Pairing Make(PairingRole role, const PairingCode& code, PairingIdentity own) {
  Result<Pairing> pairing = Pairing::Create(role, code, std::move(own));
  EXPECT_TRUE(pairing.ok()) << pairing.status().detail();
  return std::move(pairing).value();
}

wire::PairingMessage Decode(const Bytes& bytes) {
  wire::PairingMessage message;
  EXPECT_TRUE(message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())));
  return message;
}

Bytes Encode(const wire::PairingMessage& message) {
  std::string text = message.SerializeAsString();
  return Bytes(text.begin(), text.end());
}

// The reply a step must produce.
Bytes Next(Reply reply) {
  if (!reply.ok()) {
    ADD_FAILURE() << test_common::Describe(reply.status());
    return Bytes();
  }
  if (!reply->has_value()) {
    ADD_FAILURE() << "no reply";
    return Bytes();
  }
  return std::move(**reply);
}

void FlipFirstByte(std::string* field) {
  ASSERT_FALSE(field->empty());
  (*field)[0] = static_cast<char>((*field)[0] ^ 0x01);
}

void FlipLastByte(std::string* field) {
  ASSERT_FALSE(field->empty());
  field->back() = static_cast<char>(field->back() ^ 0x80);
}

bool Contains(const Bytes& haystack, ByteSpan needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

// The four messages of one run, in order: request, response, confirm, finish.
enum Step { kRequest = 0, kResponse, kConfirm, kFinish, kSteps };

class PairingTest : public ::testing::Test {
 protected:
  crypto::X25519KeyPair joiner_keys_ = crypto::GenerateX25519KeyPair();
  crypto::X25519KeyPair inviter_keys_ = crypto::GenerateX25519KeyPair();
  PairingIdentity joiner_id_ = IdentityOf(joiner_keys_, "Zo\xc3\xab", 7001);
  // The inviter says where its node is reached through Tor; the joiner, like an attune before
  // issue 17, does not.
  PairingIdentity inviter_id_ = WithOnion(IdentityOf(inviter_keys_, "Sam", 7002));

  Pairing Joiner(const PairingCode& code = kCode) {
    return Make(PairingRole::kJoiner, code, joiner_id_);
  }
  Pairing Inviter(const PairingCode& code = kCode) {
    return Make(PairingRole::kInviter, code, inviter_id_);
  }

  // Runs a whole exchange between `joiner` and `inviter`, applying `tamper` to message `at`
  // (none if at == kSteps). Stops at the first error and returns it (ok if none).
  Status Run(Pairing& joiner, Pairing& inviter, Step at = kSteps,
             const std::function<void(Bytes&)>& tamper = {}, std::vector<Bytes>* sent = nullptr) {
    Result<Bytes> start = joiner.Start();
    if (!start.ok()) return start.status();
    Bytes message = std::move(*start);
    for (int step = kRequest; step < kSteps; ++step) {
      if (step == at) tamper(message);
      if (sent) sent->push_back(message);
      Pairing& receiver = step % 2 == 0 ? inviter : joiner;
      Reply reply = receiver.Receive(message);
      if (!reply.ok()) return reply.status();
      if (step == kFinish) {
        EXPECT_FALSE(reply->has_value()) << "the joiner's last step sends nothing";
        break;
      }
      if (!reply->has_value()) return Status::Internal("no reply before the last step");
      message = std::move(**reply);
    }
    return Status::Ok();
  }

  // The messages of one untampered run with fresh parties.
  std::vector<Bytes> Transcript() {
    Pairing joiner = Joiner();
    Pairing inviter = Inviter();
    std::vector<Bytes> sent;
    EXPECT_OK(Run(joiner, inviter, kSteps, {}, &sent));
    EXPECT_EQ(sent.size(), size_t{kSteps});
    return sent;
  }
};

TEST_F(PairingTest, SameCodeBothFinishAndLearnEachOther) {
  Pairing joiner = Joiner();
  Pairing inviter = Inviter();
  EXPECT_FALSE(joiner.finished());
  EXPECT_FALSE(inviter.finished());

  ASSERT_OK_AND_ASSIGN(Bytes request, joiner.Start());
  ASSERT_OK_AND_ASSIGN(std::optional<Bytes> response, inviter.Receive(request));
  ASSERT_TRUE(response.has_value());
  EXPECT_FALSE(inviter.finished());
  ASSERT_OK_AND_ASSIGN(std::optional<Bytes> confirm, joiner.Receive(*response));
  ASSERT_TRUE(confirm.has_value());
  EXPECT_FALSE(joiner.finished());
  ASSERT_OK_AND_ASSIGN(std::optional<Bytes> finish, inviter.Receive(*confirm));
  ASSERT_TRUE(finish.has_value());
  EXPECT_TRUE(inviter.finished());
  ASSERT_OK_AND_ASSIGN(std::optional<Bytes> last, joiner.Receive(*finish));
  EXPECT_FALSE(last.has_value());
  EXPECT_TRUE(joiner.finished());

  EXPECT_EQ(joiner.peer(), inviter_id_);
  EXPECT_EQ(inviter.peer(), joiner_id_);
  EXPECT_FALSE(joiner.abort_message().has_value());
  EXPECT_FALSE(inviter.abort_message().has_value());
}

TEST_F(PairingTest, CarriesEdgeCaseIdentities) {
  joiner_id_.display_name = std::string(kMaxDisplayNameBytes, 'j');
  joiner_id_.serve_port = 65535;
  inviter_id_.display_name = "";
  inviter_id_.serve_port = 0;
  Pairing joiner = Joiner();
  Pairing inviter = Inviter();
  ASSERT_OK(Run(joiner, inviter));
  EXPECT_EQ(joiner.peer(), inviter_id_);
  EXPECT_EQ(inviter.peer(), joiner_id_);
}

TEST_F(PairingTest, CarriesBothOnionContactsSealed) {
  joiner_id_ = WithOnion(joiner_id_);
  ASSERT_TRUE(joiner_id_.onion_client_key.has_value());
  std::vector<Bytes> sent;
  Pairing joiner = Joiner();
  Pairing inviter = Inviter();
  ASSERT_OK(Run(joiner, inviter, kSteps, {}, &sent));
  EXPECT_EQ(joiner.peer(), inviter_id_);
  EXPECT_EQ(inviter.peer(), joiner_id_);
  for (const Bytes& message : sent) {
    EXPECT_FALSE(Contains(message, AsBytes(joiner_id_.onion_address)));
    EXPECT_FALSE(Contains(message, AsBytes(inviter_id_.onion_address)));
    EXPECT_FALSE(Contains(message, *joiner_id_.onion_client_key));
  }
}

TEST_F(PairingTest, AMalformedOnionContactIsRefused) {
  for (std::string bad : {std::string("partner.example"), std::string(56, 'a'),
                          inviter_id_.onion_address + ".onion"}) {
    joiner_id_ = WithOnion(joiner_id_);
    joiner_id_.onion_address = bad;
    Pairing joiner = Joiner();
    Pairing inviter = Inviter();
    EXPECT_CODE(Run(joiner, inviter), kCorruption) << bad;
  }
}

TEST_F(PairingTest, CodeTypedDifferentlyStillMatches) {
  // Both sides derive the password from the parsed code, not from what was typed.
  ASSERT_OK_AND_ASSIGN(PairingCode typed,
                       ParsePairingCode("  7 " + std::string(PairingWords()[11]).substr(0, 5) +
                                        " " + std::string(PairingWords()[1200]) + "-ZOOM"));
  Pairing joiner = Joiner(typed);
  Pairing inviter = Inviter();
  ASSERT_OK(Run(joiner, inviter));
  EXPECT_TRUE(joiner.finished());
  EXPECT_TRUE(inviter.finished());
}

TEST_F(PairingTest, NothingSecretTravelsInTheClear) {
  joiner_id_.display_name = "joiner-name-on-the-wire";
  inviter_id_.display_name = "inviter-name-on-the-wire";
  const std::vector<Bytes> sent = Transcript();
  for (const Bytes& message : sent) {
    EXPECT_FALSE(Contains(message, joiner_keys_.public_key));
    EXPECT_FALSE(Contains(message, inviter_keys_.public_key));
    EXPECT_FALSE(Contains(message, AsBytes(joiner_id_.display_name)));
    EXPECT_FALSE(Contains(message, AsBytes(inviter_id_.display_name)));
    EXPECT_FALSE(Contains(message, AsBytes(std::string(PairingWords()[1200]))));
  }
}

TEST_F(PairingTest, RunsAreFresh) {
  // A fresh session id and fresh CPace scalars every run: no message repeats across runs.
  const std::vector<Bytes> first = Transcript();
  const std::vector<Bytes> second = Transcript();
  ASSERT_EQ(first.size(), second.size());
  for (size_t i = 0; i < first.size(); ++i) EXPECT_NE(first[i], second[i]) << "message " << i;
  EXPECT_NE(Decode(first[kRequest]).request().session_id(),
            Decode(second[kRequest]).request().session_id());
}

TEST_F(PairingTest, RequestCarriesVersionChannelSessionIdAndShare) {
  const wire::PairingMessage request = Decode(Transcript()[kRequest]);
  ASSERT_EQ(request.body_case(), wire::PairingMessage::kRequest);
  EXPECT_EQ(request.request().protocol_version(), kPairingVersion);
  EXPECT_EQ(request.request().channel(), kCode.channel);
  EXPECT_EQ(request.request().session_id().size(), 16u);
  EXPECT_EQ(request.request().share().size(), crypto::cpace::kShareBytes);
}

TEST_F(PairingTest, DifferentWordsFailOnBothSides) {
  PairingCode other = kCode;
  other.words[2] = 2046;
  Pairing joiner = Joiner(other);
  Pairing inviter = Inviter();

  ASSERT_OK_AND_ASSIGN(Bytes request, joiner.Start());
  // The inviter cannot tell yet: it answers.
  ASSERT_OK_AND_ASSIGN(std::optional<Bytes> response, inviter.Receive(request));
  ASSERT_TRUE(response.has_value());
  // The joiner checks the inviter's confirmation tag first.
  Reply joined = joiner.Receive(*response);
  EXPECT_REASON(joined, kAuthFailed, protocol::PairingReason::kCodeMismatch);
  EXPECT_FALSE(joiner.finished());
  ASSERT_TRUE(joiner.abort_message().has_value());
  const wire::PairingMessage abort = Decode(*joiner.abort_message());
  ASSERT_EQ(abort.body_case(), wire::PairingMessage::kAbort);
  EXPECT_EQ(abort.abort().reason(), wire::PairAbort::CODE_MISMATCH);

  // The abort reaches the inviter, which fails the same way.
  EXPECT_REASON(inviter.Receive(*joiner.abort_message()), kAuthFailed,
                protocol::PairingReason::kCodeMismatch);
  EXPECT_FALSE(inviter.finished());
}

TEST_F(PairingTest, EveryWordPositionMatters) {
  for (size_t position = 0; position < kCodeWords; ++position) {
    PairingCode other = kCode;
    other.words[position] = static_cast<uint16_t>((other.words[position] + 1) % 2048);
    Pairing joiner = Joiner(other);
    Pairing inviter = Inviter();
    SCOPED_TRACE(position);
    EXPECT_REASON(Run(joiner, inviter), kAuthFailed, protocol::PairingReason::kCodeMismatch);
    EXPECT_FALSE(joiner.finished());
    EXPECT_FALSE(inviter.finished());
  }
  // The same words in another order are another code.
  PairingCode swapped = kCode;
  std::swap(swapped.words[0], swapped.words[1]);
  Pairing joiner = Joiner(swapped);
  Pairing inviter = Inviter();
  EXPECT_REASON(Run(joiner, inviter), kAuthFailed, protocol::PairingReason::kCodeMismatch);
}

TEST_F(PairingTest, DifferentChannelFailsAtTheInviterWithAnAbort) {
  PairingCode other = kCode;
  other.channel = 8;
  Pairing joiner = Joiner(other);
  Pairing inviter = Inviter();
  ASSERT_OK_AND_ASSIGN(Bytes request, joiner.Start());
  Reply reply = inviter.Receive(request);
  EXPECT_REASON(reply, kAuthFailed, protocol::PairingReason::kCodeMismatch);
  EXPECT_FALSE(inviter.finished());
  ASSERT_TRUE(inviter.abort_message().has_value());
  EXPECT_EQ(Decode(*inviter.abort_message()).abort().reason(), wire::PairAbort::CODE_MISMATCH);

  EXPECT_REASON(joiner.Receive(*inviter.abort_message()), kAuthFailed,
                protocol::PairingReason::kCodeMismatch);
  EXPECT_FALSE(joiner.finished());
}

TEST_F(PairingTest, ChannelIsBoundIntoTheKeyNotJustCompared) {
  // Someone on the path rewrites the channel so that the inviter's comparison passes: the keys
  // still differ, because the channel is part of CPace's channel identifier.
  PairingCode other = kCode;
  other.channel = 8;
  Pairing joiner = Joiner(other);
  Pairing inviter = Inviter();
  Status status = Run(joiner, inviter, kRequest, [](Bytes& message) {
    wire::PairingMessage request = Decode(message);
    request.mutable_request()->set_channel(kCode.channel);
    message = Encode(request);
  });
  EXPECT_REASON(status, kAuthFailed, protocol::PairingReason::kCodeMismatch);
  EXPECT_FALSE(joiner.finished());
  EXPECT_FALSE(inviter.finished());
}

TEST_F(PairingTest, TamperedResponseShareFails) {
  for (auto flip : {FlipFirstByte, FlipLastByte}) {
    Pairing joiner = Joiner();
    Pairing inviter = Inviter();
    Status status = Run(joiner, inviter, kResponse, [flip](Bytes& message) {
      wire::PairingMessage response = Decode(message);
      flip(response.mutable_response()->mutable_share());
      message = Encode(response);
    });
    // Either not a valid point at all, or another point and so another key.
    EXPECT_TRUE(status.code() == StatusCode::kCorruption || status.Is(PairingReason::kCodeMismatch))
        << test_common::Describe(status);
    EXPECT_FALSE(joiner.finished());
    EXPECT_FALSE(inviter.finished());
  }
}

TEST_F(PairingTest, TamperedConfirmationTagsFail) {
  {
    Pairing joiner = Joiner();
    Pairing inviter = Inviter();
    EXPECT_REASON(Run(joiner, inviter, kResponse,
                      [](Bytes& message) {
                        wire::PairingMessage response = Decode(message);
                        FlipLastByte(response.mutable_response()->mutable_confirm());
                        message = Encode(response);
                      }),
                  kAuthFailed, protocol::PairingReason::kCodeMismatch);
    EXPECT_FALSE(joiner.finished());
    EXPECT_TRUE(joiner.abort_message().has_value());
  }
  {
    Pairing joiner = Joiner();
    Pairing inviter = Inviter();
    EXPECT_REASON(Run(joiner, inviter, kConfirm,
                      [](Bytes& message) {
                        wire::PairingMessage confirm = Decode(message);
                        FlipFirstByte(confirm.mutable_confirm()->mutable_confirm());
                        message = Encode(confirm);
                      }),
                  kAuthFailed, protocol::PairingReason::kCodeMismatch);
    EXPECT_FALSE(inviter.finished());
    EXPECT_FALSE(joiner.finished());
    EXPECT_TRUE(inviter.abort_message().has_value());
  }
}

TEST_F(PairingTest, MissingConfirmationTagFails) {
  Pairing joiner = Joiner();
  Pairing inviter = Inviter();
  EXPECT_REASON(Run(joiner, inviter, kConfirm,
                    [](Bytes& message) {
                      wire::PairingMessage confirm = Decode(message);
                      confirm.mutable_confirm()->clear_confirm();
                      message = Encode(confirm);
                    }),
                kAuthFailed, protocol::PairingReason::kCodeMismatch);
  EXPECT_FALSE(inviter.finished());
}

TEST_F(PairingTest, TamperedSealedIdentitiesFail) {
  {
    Pairing joiner = Joiner();
    Pairing inviter = Inviter();
    EXPECT_CODE(Run(joiner, inviter, kConfirm,
                    [](Bytes& message) {
                      wire::PairingMessage confirm = Decode(message);
                      FlipLastByte(confirm.mutable_confirm()->mutable_sealed_identity());
                      message = Encode(confirm);
                    }),
                kCorruption);
    EXPECT_FALSE(inviter.finished());
    EXPECT_FALSE(joiner.finished());
  }
  {
    Pairing joiner = Joiner();
    Pairing inviter = Inviter();
    EXPECT_CODE(Run(joiner, inviter, kFinish,
                    [](Bytes& message) {
                      wire::PairingMessage finish = Decode(message);
                      FlipFirstByte(finish.mutable_finish()->mutable_sealed_identity());
                      message = Encode(finish);
                    }),
                kCorruption);
    EXPECT_FALSE(joiner.finished());
  }
}

TEST_F(PairingTest, SealedIdentitiesAreNotInterchangeable) {
  // The joiner's own sealed identity reflected back to it as the PairFinish is refused: each
  // direction has its own sealing key and associated data.
  Pairing joiner = Joiner();
  Pairing inviter = Inviter();
  ASSERT_OK_AND_ASSIGN(Bytes request, joiner.Start());
  const Bytes response = Next(inviter.Receive(request));
  const Bytes confirm = Next(joiner.Receive(response));
  wire::PairingMessage forged;
  forged.mutable_finish()->set_sealed_identity(Decode(confirm).confirm().sealed_identity());
  EXPECT_CODE(joiner.Receive(Encode(forged)), kCorruption);
  EXPECT_FALSE(joiner.finished());
}

TEST_F(PairingTest, EveryFlippedByteOfEveryMessageFails) {
  // Exhaustive: each byte of each of the four messages, flipped in a fresh run. The joiner never
  // finishes; the inviter finishes only when the damage is in its own last message, which it has
  // already sent by then.
  const std::vector<Bytes> reference = Transcript();
  for (int at = kRequest; at < kSteps; ++at) {
    const size_t size = reference[at].size();
    for (size_t i = 0; i < size; ++i) {
      for (uint8_t mask : {uint8_t{0x01}, uint8_t{0x80}}) {
        Pairing joiner = Joiner();
        Pairing inviter = Inviter();
        Status status = Run(joiner, inviter, static_cast<Step>(at), [i, mask](Bytes& message) {
          if (i < message.size()) message[i] ^= mask;
        });
        ASSERT_FALSE(status.ok()) << "message " << at << " byte " << i << " mask " << int{mask};
        EXPECT_TRUE(status.Is(PairingReason::kCodeMismatch) ||
                    status.code() == StatusCode::kCorruption ||
                    status.code() == StatusCode::kUnsupported)
            << "message " << at << " byte " << i << ": " << test_common::Describe(status);
        EXPECT_FALSE(joiner.finished()) << "message " << at << " byte " << i;
        EXPECT_EQ(inviter.finished(), at == kFinish) << "message " << at << " byte " << i;
      }
    }
  }
}

TEST_F(PairingTest, TruncatedMessagesFail) {
  for (int at = kRequest; at < kSteps; ++at) {
    for (size_t keep : {size_t{0}, size_t{1}, size_t{10}}) {
      Pairing joiner = Joiner();
      Pairing inviter = Inviter();
      Status status = Run(joiner, inviter, static_cast<Step>(at), [keep](Bytes& message) {
        message.resize(std::min(message.size(), keep));
      });
      EXPECT_FALSE(status.ok()) << at << " keep " << keep;
      EXPECT_FALSE(joiner.finished());
      EXPECT_EQ(inviter.finished(), at == kFinish);
    }
    Pairing joiner = Joiner();
    Pairing inviter = Inviter();
    EXPECT_FALSE(
        Run(joiner, inviter, static_cast<Step>(at), [](Bytes& message) { message.pop_back(); })
            .ok())
        << at;
    EXPECT_FALSE(joiner.finished());
  }
}

TEST_F(PairingTest, ReplayedRequestIsRefused) {
  Pairing joiner = Joiner();
  Pairing inviter = Inviter();
  ASSERT_OK_AND_ASSIGN(Bytes request, joiner.Start());
  ASSERT_OK(inviter.Receive(request).status());
  EXPECT_FALSE(inviter.Receive(request).ok());
  EXPECT_FALSE(inviter.finished());
}

TEST_F(PairingTest, ReplayedResponseIsRefused) {
  Pairing joiner = Joiner();
  Pairing inviter = Inviter();
  ASSERT_OK_AND_ASSIGN(Bytes request, joiner.Start());
  const Bytes response = Next(inviter.Receive(request));
  ASSERT_OK(joiner.Receive(response).status());
  EXPECT_FALSE(joiner.Receive(response).ok());
  EXPECT_FALSE(joiner.finished());
}

TEST_F(PairingTest, ReplayedConfirmAfterFinishingIsRefused) {
  Pairing joiner = Joiner();
  Pairing inviter = Inviter();
  std::vector<Bytes> sent;
  ASSERT_OK(Run(joiner, inviter, kSteps, {}, &sent));
  EXPECT_FALSE(inviter.Receive(sent[kConfirm]).ok());
  EXPECT_FALSE(joiner.Receive(sent[kFinish]).ok());
  EXPECT_FALSE(joiner.Receive(sent[kResponse]).ok());
}

TEST_F(PairingTest, MessagesFromAnotherRunAreRefused) {
  // Same code, same people, but another run: a recorded message must not fit into it.
  const std::vector<Bytes> old_run = Transcript();
  {
    Pairing joiner = Joiner();
    Pairing inviter = Inviter();
    EXPECT_REASON(Run(joiner, inviter, kResponse,
                      [&old_run](Bytes& message) { message = old_run[kResponse]; }),
                  kAuthFailed, protocol::PairingReason::kCodeMismatch);
    EXPECT_FALSE(joiner.finished());
  }
  {
    Pairing joiner = Joiner();
    Pairing inviter = Inviter();
    EXPECT_REASON(
        Run(joiner, inviter, kConfirm, [&old_run](Bytes& message) { message = old_run[kConfirm]; }),
        kAuthFailed, protocol::PairingReason::kCodeMismatch);
    EXPECT_FALSE(inviter.finished());
  }
  {
    Pairing joiner = Joiner();
    Pairing inviter = Inviter();
    EXPECT_CODE(
        Run(joiner, inviter, kFinish, [&old_run](Bytes& message) { message = old_run[kFinish]; }),
        kCorruption);
    EXPECT_FALSE(joiner.finished());
  }
}

TEST_F(PairingTest, MessagesInTheWrongStageAreRefused) {
  const std::vector<Bytes> sent = Transcript();
  // The inviter expects a request first.
  for (int step : {kResponse, kConfirm, kFinish}) {
    Pairing inviter = Inviter();
    EXPECT_CODE(inviter.Receive(sent[step]), kCorruption) << step;
    EXPECT_FALSE(inviter.finished());
  }
  // A joiner that has not started expects nothing.
  for (int step : {kRequest, kResponse, kConfirm, kFinish}) {
    Pairing joiner = Joiner();
    EXPECT_FALSE(joiner.Receive(sent[step]).ok()) << step;
  }
  // A started joiner expects the response.
  for (int step : {kRequest, kConfirm, kFinish}) {
    Pairing joiner = Joiner();
    ASSERT_OK(joiner.Start().status());
    EXPECT_CODE(joiner.Receive(sent[step]), kCorruption) << step;
    EXPECT_FALSE(joiner.finished());
  }
  // An inviter that answered expects the confirm, not the finish or another response.
  for (int step : {kResponse, kFinish}) {
    Pairing joiner = Joiner();
    Pairing inviter = Inviter();
    ASSERT_OK_AND_ASSIGN(Bytes request, joiner.Start());
    ASSERT_OK(inviter.Receive(request).status());
    EXPECT_CODE(inviter.Receive(sent[step]), kCorruption) << step;
    EXPECT_FALSE(inviter.finished());
  }
}

TEST_F(PairingTest, StartIsForTheJoinerOnce) {
  Pairing inviter = Inviter();
  EXPECT_CODE(inviter.Start(), kInvalidArgument);
  Pairing joiner = Joiner();
  ASSERT_OK(joiner.Start().status());
  EXPECT_CODE(joiner.Start(), kInvalidArgument);
}

TEST_F(PairingTest, ReceiveAfterFailureIsRefused) {
  PairingCode other = kCode;
  other.words[0] = 0;
  Pairing joiner = Joiner(other);
  Pairing inviter = Inviter();
  ASSERT_OK_AND_ASSIGN(Bytes request, joiner.Start());
  const Bytes response = Next(inviter.Receive(request));
  ASSERT_FALSE(joiner.Receive(response).ok());
  // The failed joiner stays failed, even for the genuine next message of a good run.
  const std::vector<Bytes> good = Transcript();
  EXPECT_FALSE(joiner.Receive(good[kFinish]).ok());
  EXPECT_FALSE(joiner.Receive(response).ok());
  EXPECT_FALSE(joiner.finished());

  // A failed inviter too.
  Pairing inviter2 = Inviter();
  ASSERT_FALSE(inviter2.Receive(Bytes{0xff, 0xff}).ok());
  Pairing joiner2 = Joiner();
  ASSERT_OK_AND_ASSIGN(Bytes request2, joiner2.Start());
  EXPECT_FALSE(inviter2.Receive(request2).ok());
  EXPECT_FALSE(inviter2.finished());
}

// Builds a PairRequest by hand from a real one, changed by `edit`.
Bytes EditedRequest(Pairing& joiner, const std::function<void(wire::PairRequest*)>& edit) {
  Result<Bytes> start = joiner.Start();
  EXPECT_TRUE(start.ok());
  wire::PairingMessage message = Decode(*start);
  edit(message.mutable_request());
  return Encode(message);
}

TEST_F(PairingTest, MalformedRequestsAreCorruption) {
  const std::vector<std::function<void(wire::PairRequest*)>> edits = {
      [](wire::PairRequest* r) { r->set_session_id(std::string(15, 's')); },
      [](wire::PairRequest* r) { r->set_session_id(std::string(17, 's')); },
      [](wire::PairRequest* r) { r->clear_session_id(); },
      [](wire::PairRequest* r) { r->set_share(std::string(32, '\0')); },
      [](wire::PairRequest* r) { r->set_share(std::string(31, '\x01')); },
      [](wire::PairRequest* r) { r->clear_share(); },
      [](wire::PairRequest* r) { r->set_share(std::string(32, '\xff')); },
  };
  for (size_t i = 0; i < edits.size(); ++i) {
    Pairing joiner = Joiner();
    Pairing inviter = Inviter();
    EXPECT_CODE(inviter.Receive(EditedRequest(joiner, edits[i])), kCorruption) << i;
    EXPECT_FALSE(inviter.finished());
  }
  for (const Bytes& garbage : {Bytes{}, Bytes{0xff}, Bytes{0x0a, 0x05, 0x01}, Bytes(100, 0x0a)}) {
    Pairing inviter = Inviter();
    EXPECT_CODE(inviter.Receive(garbage), kCorruption);
  }
}

TEST_F(PairingTest, AbortAtAnyStageEndsTheRun) {
  wire::PairingMessage abort;
  abort.mutable_abort()->set_reason(wire::PairAbort::CODE_MISMATCH);
  const Bytes abort_bytes = Encode(abort);
  {
    Pairing joiner = Joiner();
    Pairing inviter = Inviter();
    ASSERT_OK_AND_ASSIGN(Bytes request, joiner.Start());
    ASSERT_OK(inviter.Receive(request).status());
    EXPECT_REASON(inviter.Receive(abort_bytes), kAuthFailed,
                  protocol::PairingReason::kCodeMismatch);
    EXPECT_FALSE(inviter.finished());
  }
  {
    Pairing joiner = Joiner();
    Pairing inviter = Inviter();
    ASSERT_OK_AND_ASSIGN(Bytes request, joiner.Start());
    const Bytes response = Next(inviter.Receive(request));
    ASSERT_OK(joiner.Receive(response).status());
    EXPECT_REASON(joiner.Receive(abort_bytes), kAuthFailed, protocol::PairingReason::kCodeMismatch);
    EXPECT_FALSE(joiner.finished());
  }
}

TEST_F(PairingTest, AnAbortBeforeAnyRequestIsGarbageAndDoesNotUseTheCodeUp) {
  wire::PairingMessage abort;
  abort.mutable_abort()->set_reason(wire::PairAbort::CODE_MISMATCH);
  Pairing inviter = Inviter();
  EXPECT_CODE(inviter.Receive(Encode(abort)), kCorruption);
  Pairing fresh = Inviter();
  EXPECT_CODE(fresh.Receive(Bytes{0x2a, 0x00}), kCorruption);  // an empty abort body
}

TEST_F(PairingTest, PairingWithYourselfFails) {
  // Both sides hold the same static key (one home pairing with itself).
  crypto::X25519KeyPair same = crypto::CopyKeyPair(joiner_keys_);
  inviter_id_ = IdentityOf(same, "Sam", 7002);
  Pairing joiner = Joiner();
  Pairing inviter = Inviter();
  std::vector<Bytes> sent;
  Status status = Run(joiner, inviter, kSteps, {}, &sent);
  EXPECT_FALSE(status.ok());
  EXPECT_FALSE(joiner.finished());
  EXPECT_FALSE(inviter.finished());
  // The inviter notices first and sends no PairFinish.
  EXPECT_EQ(sent.size(), size_t{kConfirm} + 1);
}

TEST_F(PairingTest, CreateRefusesBadDisplayNames) {
  PairingIdentity own = joiner_id_;
  own.display_name = std::string(kMaxDisplayNameBytes + 1, 'n');
  EXPECT_CODE(Pairing::Create(PairingRole::kJoiner, kCode, own), kInvalidArgument);
  EXPECT_CODE(Pairing::Create(PairingRole::kInviter, kCode, own), kInvalidArgument);
  // Bytes, not characters: 33 two-byte characters are 66 bytes.
  own.display_name.clear();
  for (int i = 0; i < 33; ++i) own.display_name += "\xc3\xa9";
  EXPECT_CODE(Pairing::Create(PairingRole::kJoiner, kCode, own), kInvalidArgument);
  own.display_name = "bad \xff utf-8";
  EXPECT_CODE(Pairing::Create(PairingRole::kJoiner, kCode, own), kInvalidArgument);
  own.display_name = std::string(kMaxDisplayNameBytes, 'n');
  EXPECT_OK(Pairing::Create(PairingRole::kJoiner, kCode, own).status());
  own.display_name = "";
  EXPECT_OK(Pairing::Create(PairingRole::kInviter, kCode, own).status());
}

}  // namespace
}  // namespace attune::protocol
