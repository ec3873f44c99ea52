// What someone on the network path between two partners sees. A recording proxy sits between
// `attune sync --to` and the partner's `attune serve` for real two-way syncs of entries full of
// distinctive words (in text, tags, details, a boundary's restatement, a response, the style
// result) between partners with distinctive names, and the test checks that none of those words,
// names, tags, kind or field names, or entry ids appear in the captured bytes in any common
// encoding; that the two handshake messages have exactly the sizes Noise KK gives attune's
// handshake payloads (docs/protocol.md, section 3) and carry neither node's public key; and that
// every later frame is ciphertext.
#include <gtest/gtest.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/e2e/loopback.h"
#include "tests/e2e/partners.h"
#include "tests/e2e/recording_proxy.h"

namespace attune::e2e {
namespace {

using nlohmann::json;

// Noise_KK_25519_ChaChaPoly_BLAKE2b: an X25519 public key (the ephemeral; no static key travels),
// and the AEAD tag on every encrypted payload.
constexpr size_t kKeyBytes = 32;
constexpr size_t kTagBytes = 16;
// Frames: a 2-byte big-endian length, then the payload (docs/protocol.md, section 1).
constexpr size_t kFrameHeaderBytes = 2;

// Long enough that a chance match in random ciphertext is out of the question (a given 4-byte
// string turns up in 10 KB of random bytes with odds of about 1 in 400,000).
constexpr size_t kShortestNeedle = 4;

// Display names no ciphertext would contain by chance.
const std::string kAlexName = "Marisol Quenby-Thornwald";
const std::string kSamName = "Ezekiel Vantablack-Orme";

struct Frames {
  std::vector<std::string> payloads;
  std::string rest;  // bytes after the last whole frame (none on a clean connection)
};

Frames SplitFrames(const std::string& stream) {
  Frames frames;
  size_t at = 0;
  while (stream.size() - at >= kFrameHeaderBytes) {
    const size_t length = static_cast<size_t>(static_cast<uint8_t>(stream[at])) << 8 |
                          static_cast<uint8_t>(stream[at + 1]);
    if (stream.size() - at - kFrameHeaderBytes < length) break;
    frames.payloads.push_back(stream.substr(at + kFrameHeaderBytes, length));
    at += kFrameHeaderBytes + length;
  }
  frames.rest = stream.substr(at);
  return frames;
}

std::string Joined(const std::vector<std::string>& parts) {
  std::string all;
  for (const std::string& part : parts) all += part;
  return all;
}

// The size of `value` as a protobuf varint.
size_t VarintBytes(uint64_t value) {
  size_t bytes = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++bytes;
  }
  return bytes;
}

// The encoded Hello (protocol/attune.proto): protocol_version = 2 (tag and value), serve_port
// if not 0, one_shot if set, the initiator's handshake counter (tag and 8 bytes: fixed64), and
// the features "sync/1", "ping/1" (tag, length and 6 bytes each), "onion/1" and "exercise/1".
// No name.
size_t HelloBytes(uint16_t serve_port, bool one_shot, bool initiator) {
  size_t bytes = 2;
  if (serve_port != 0) bytes += 1 + VarintBytes(serve_port);
  if (one_shot) bytes += 2;
  if (initiator) bytes += 9;
  return bytes + 2 * (2 + 6) + (2 + 7) + (2 + 10);  // "sync/1", "ping/1", "onion/1", "exercise/1"
}

std::string Hex(const std::string& bytes, const char* digits) {
  std::string hex;
  for (unsigned char c : bytes) {
    hex += digits[c >> 4];
    hex += digits[c & 0xf];
  }
  return hex;
}

std::string Utf16(const std::string& ascii_or_utf8, bool big_endian) {
  // Every marker here is ASCII, so each byte is one UTF-16 code unit.
  std::string wide;
  for (char c : ascii_or_utf8) {
    wide += big_endian ? std::string{'\0', c} : std::string{c, '\0'};
  }
  return wide;
}

std::string Base64(const std::string& bytes) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t n = static_cast<uint8_t>(bytes[i]) << 16 |
                       static_cast<uint8_t>(bytes[i + 1]) << 8 | static_cast<uint8_t>(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(n >> shift) & 63];
  }
  // A trailing partial group is left out: the whole groups are already distinctive.
  return out;
}

std::string FromHex(const std::string& hex) {
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return bytes;
}

// Every way the tests look for `marker` in the bytes: as it is (UTF-8), UTF-16 either way
// round, hex either case, and base64.
std::vector<std::pair<std::string, std::string>> Encodings(const std::string& marker) {
  return {{"UTF-8", marker},
          {"UTF-16LE", Utf16(marker, false)},
          {"UTF-16BE", Utf16(marker, true)},
          {"hex", Hex(marker, "0123456789abcdef")},
          {"HEX", Hex(marker, "0123456789ABCDEF")},
          {"base64", Base64(marker)}};
}

// Which of `needles` (in any of their Encodings) and `ids` (32 hex digits: as they are, in
// upper case, or as the 16 raw bytes) occur in `bytes`, each described with its encoding.
std::vector<std::string> Visible(const std::string& bytes, const std::set<std::string>& needles,
                                 const std::set<std::string>& ids) {
  std::vector<std::string> found;
  for (const std::string& needle : needles) {
    for (const auto& [encoding, form] : Encodings(needle)) {
      if (Contains(bytes, form)) found.push_back("\"" + needle + "\" as " + encoding);
    }
  }
  for (const std::string& id : ids) {
    const std::vector<std::pair<std::string, std::string>> forms = {
        {"hex", id}, {"HEX", Hex(FromHex(id), "0123456789ABCDEF")}, {"raw", FromHex(id)}};
    for (const auto& [encoding, form] : forms) {
      if (Contains(bytes, form)) found.push_back("id " + id + " as " + encoding);
    }
  }
  return found;
}

// The strings of an entry as its receiver shows it that must never be visible on the wire: its
// kind, text, tags, and every key and string value in its fields (a statement's parts, a
// style result's blend and description, a response's ack and the kind it answers, a
// boundary's restatements), each at least kShortestNeedle bytes long.
void CollectStrings(const json& value, std::set<std::string>& into) {
  if (value.is_string()) {
    const std::string text = value.get<std::string>();
    if (text.size() >= kShortestNeedle) into.insert(text);
  } else if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      if (key.size() >= kShortestNeedle) into.insert(key);
      CollectStrings(item, into);
    }
  } else if (value.is_array()) {
    for (const json& item : value) CollectStrings(item, into);
  }
}

class CaptureTest : public PartnersTest {
 protected:
  // Alex and Sam with their distinctive names, paired.
  void PairMarkedPartners() {
    alex_ = NewHome(kAlexName);
    sam_ = NewHome(kSamName);
    alex_port_ = UnusedLoopbackPort();
    sam_port_ = UnusedLoopbackPort();
    ASSERT_NE(alex_port_, sam_port_);
    ASSERT_NO_FATAL_FAILURE(Pair(alex_, alex_port_, sam_, sam_port_));
  }

  // Alex's side of the story: a need, a statement, the style result, shared; a wound, private.
  void WriteAlexsEntries() {
    alex_need_ = AddAt(alex_, "need", "Zorblatt need: a quince-scented pause after dinner",
                       {"--tag", "tag-periwinkle-alcove", "--share"});
    const json statement = JsonAt(
        alex_, {"statement", "--feel", "feel-xylophonic", "--when", "when-the-gramophone-skips",
                "--need", "need-a-saffron-walk", "--tag", "tag-obsidian-kettle", "--share"});
    ASSERT_TRUE(statement.contains("id")) << statement;
    const RunResult quiz = RunAt(alex_, {"quiz", "--json"}, QuizAnswers(6));
    ASSERT_EQ(quiz.exit_code, kExitOk) << quiz;
    const std::string style = ParseJson(quiz.out)["id"];
    ASSERT_EQ(RunAt(alex_, {"share", style, "--yes"}).exit_code, kExitOk);
    private_markers_.push_back("Zorblatt-private wound about the tangerine attic");
    AddAt(alex_, "wound", private_markers_.back(), {"--tag", "tag-never-shared-alex"});
  }

  // Sam's: a boundary restated, a repair note, shared; a trigger, private.
  void WriteSamsEntries() {
    const std::string boundary =
        AddAt(sam_, "boundary", "Quaxley boundary: no phones at the marmalade table",
              {"--tag", "tag-hollyhock-verandah", "--share"});
    const RunResult restated = RunAt(
        sam_, {"boundary", "restate", boundary, "Quaxley restated over the persimmons", "--yes"});
    ASSERT_EQ(restated.exit_code, kExitOk) << restated;
    AddAt(sam_, "repair", "Quaxley repair: we walked the cobblestone loop and talked", {"--share"});
    private_markers_.push_back("Quaxley-private trigger at the lighthouse door");
    AddAt(sam_, "trigger", private_markers_.back(), {"--tag", "tag-never-shared-sam"});
  }

  // One `sync` from Alex through `proxy` to Sam's serve; its JSON summary.
  json SyncThrough(const RecordingProxy& proxy) {
    return JsonAt(alex_, {"sync", "--to", "127.0.0.1:" + std::to_string(proxy.port())});
  }

  // Everything that must not be readable on the wire, from both journals as the receivers hold
  // them (so it is exactly what travelled), plus the names and the private entries' text.
  std::set<std::string> Needles(std::set<std::string>& ids) {
    std::set<std::string> needles = {kAlexName, kSamName};
    for (const std::string& text : private_markers_) needles.insert(text);
    for (const std::string& home : {alex_, sam_}) {
      const json received = JsonAt(home, {"list", "--partner"});
      for (const json& entry : received) {
        ids.insert(entry["id"].get<std::string>());
        CollectStrings(entry["kind"], needles);
        CollectStrings(entry["text"], needles);
        CollectStrings(entry["tags"], needles);
        CollectStrings(entry["fields"], needles);
      }
    }
    return needles;
  }

  // Every frame after the handshake is a Noise transport message: an AEAD tag and at least one
  // byte of encrypted envelope.
  void ExpectCiphertextAfterHandshake(const Frames& from_client, const Frames& from_server) {
    for (size_t i = 1; i < from_client.payloads.size(); ++i) {
      EXPECT_GT(from_client.payloads[i].size(), kTagBytes) << "client frame " << i;
    }
    for (size_t i = 1; i < from_server.payloads.size(); ++i) {
      EXPECT_GT(from_server.payloads[i].size(), kTagBytes) << "server frame " << i;
    }
  }

  // The two handshake messages, each exactly one frame of the size Noise KK gives these
  // payloads: -> e, es, ss with the initiator's Hello (serve port, one_shot, counter,
  // features); <- e, ee, se with the responder's (serve port, features). The sizes leave no
  // room for a static key (32 bytes and its tag): neither node's identity is on the wire.
  void ExpectHandshakeSizes(const Frames& from_client, const Frames& from_server) {
    ASSERT_GE(from_client.payloads.size(), 1u);
    ASSERT_GE(from_server.payloads.size(), 1u);
    const size_t hello1 = HelloBytes(alex_port_, true, true);
    const size_t hello2 = HelloBytes(sam_port_, false, false);
    EXPECT_EQ(from_client.payloads[0].size(), kKeyBytes + hello1 + kTagBytes);
    EXPECT_EQ(from_server.payloads[0].size(), kKeyBytes + hello2 + kTagBytes);
  }

  void ExpectNoneVisible(const std::string& label, const std::string& bytes,
                         const std::set<std::string>& needles, const std::set<std::string>& ids) {
    EXPECT_EQ(Visible(bytes, needles, ids), std::vector<std::string>()) << label;
  }

  std::string alex_need_;
  std::vector<std::string> private_markers_;
};

TEST_F(CaptureTest, TheWireShowsOnlyNoiseFramesOfTheExpectedSizes) {
  ASSERT_NO_FATAL_FAILURE(PairMarkedPartners());
  ASSERT_NO_FATAL_FAILURE(WriteAlexsEntries());
  ASSERT_NO_FATAL_FAILURE(WriteSamsEntries());
  BackgroundProcess serve = Serve(sam_);
  RecordingProxy proxy(sam_port_);
  ASSERT_TRUE(proxy.listening());

  // First sync: both journals' shared entries cross. Then Sam answers Alex's need, and the
  // second sync carries the response (and its link to Alex's entry) back.
  const json first = SyncThrough(proxy);
  const json answered = JsonAt(
      sam_, {"respond", alex_need_, "Quaxley answer: the pelican plan", "--ack", "will-try"});
  ASSERT_TRUE(answered.contains("id")) << answered;
  const json second = SyncThrough(proxy);
  const std::vector<RecordingProxy::Connection> connections = proxy.Stop();
  Stop(serve);

  // The syncs did their work, so the bytes below carried it.
  EXPECT_EQ(first["sent"], 3) << first;
  EXPECT_EQ(first["received"], 2) << first;
  EXPECT_EQ(second["received"], 1) << second;
  EXPECT_EQ(ListIds(sam_, {"--partner"}).size(), 3u);
  EXPECT_EQ(ListIds(alex_, {"--partner"}).size(), 3u);
  ASSERT_EQ(connections.size(), 2u) << "one connection per sync, all through the proxy";

  std::set<std::string> ids;
  const std::set<std::string> needles = Needles(ids);
  EXPECT_EQ(ids.size(), 6u);
  EXPECT_GE(needles.size(), 30u) << "names, kinds, texts, tags and fields to look for";
  size_t text_bytes = 0;
  for (const std::string& needle : needles) text_bytes += needle.size();

  size_t transport_bytes = 0;
  for (size_t c = 0; c < connections.size(); ++c) {
    SCOPED_TRACE("connection " + std::to_string(c + 1));
    const RecordingProxy::Connection& connection = connections[c];
    const json& summary = c == 0 ? first : second;
    ASSERT_FALSE(connection.from_client.empty());
    ASSERT_FALSE(connection.from_server.empty());
    EXPECT_EQ(connection.from_client.size(), summary["bytes_sent"].get<size_t>());
    EXPECT_EQ(connection.from_server.size(), summary["bytes_received"].get<size_t>());

    const Frames from_client = SplitFrames(connection.from_client);
    const Frames from_server = SplitFrames(connection.from_server);
    EXPECT_TRUE(from_client.rest.empty()) << "the client's bytes end on a frame boundary";
    EXPECT_TRUE(from_server.rest.empty()) << "the server's bytes end on a frame boundary";
    ASSERT_NO_FATAL_FAILURE(ExpectHandshakeSizes(from_client, from_server));
    ExpectCiphertextAfterHandshake(from_client, from_server);
    for (size_t i = 1; i < from_client.payloads.size(); ++i) {
      transport_bytes += from_client.payloads[i].size();
    }
    for (size_t i = 1; i < from_server.payloads.size(); ++i) {
      transport_bytes += from_server.payloads[i].size();
    }

    // As an observer sees the stream, and with the frame headers taken out, so that a word
    // split by a header would be found too.
    ExpectNoneVisible("client stream", connection.from_client, needles, ids);
    ExpectNoneVisible("server stream", connection.from_server, needles, ids);
    ExpectNoneVisible("client payloads", Joined(from_client.payloads), needles, ids);
    ExpectNoneVisible("server payloads", Joined(from_server.payloads), needles, ids);
  }
  // The entries did cross inside those frames: there are more bytes of ciphertext than of the
  // words looked for (which, written once each, undercount what travelled).
  EXPECT_GT(transport_bytes, text_bytes);

  // Fresh ephemeral keys for each session (forward secrecy): the first messages differ.
  EXPECT_NE(SplitFrames(connections[0].from_client).payloads[0],
            SplitFrames(connections[1].from_client).payloads[0]);
  EXPECT_NE(SplitFrames(connections[0].from_server).payloads[0].substr(0, kKeyBytes),
            SplitFrames(connections[1].from_server).payloads[0].substr(0, kKeyBytes));
}

// The search itself finds what it looks for, in each encoding, so a clean capture means
// something.
TEST(CaptureSearchTest, FindsEachEncodingOfAWordAndAnId) {
  const std::string word = "Fennimore lantern";
  const std::string id = "00ff8faa40c8e1d94c53a0a5bd3e0d7a";
  const std::set<std::string> needles = {word};
  const std::set<std::string> ids = {id};
  const std::string noise(40, '\x5a');
  for (const auto& [encoding, form] : Encodings(word)) {
    EXPECT_EQ(Visible(noise + form + noise, needles, ids).size(), 1u) << encoding;
  }
  EXPECT_EQ(Visible(noise + id + noise, needles, ids).size(), 1u);
  EXPECT_EQ(Visible(noise + "00FF8FAA40C8E1D94C53A0A5BD3E0D7A" + noise, needles, ids).size(), 1u);
  EXPECT_EQ(Visible(noise + FromHex(id) + noise, needles, ids).size(), 1u);
  EXPECT_TRUE(Visible(noise + "Fennimore lanter" + noise, needles, ids).empty());
}

// Pairing runs before any Noise session, over plain frames carrying CPace messages and then the
// sealed identities: the display names must not show there either.
TEST_F(CaptureTest, PairingDoesNotShowTheNames) {
  const std::string alex = NewHome("Octavia Plumtree-Halloran");
  const std::string sam = NewHome("Bartholomew Quince-Ashdown");
  BackgroundProcess invitation = StartAt(alex, {"pair", "--listen", "127.0.0.1:0", "--serve-port",
                                                std::to_string(UnusedLoopbackPort()), "--json"});
  const std::optional<std::string> offer_line = invitation.ReadLine(kStep);
  ASSERT_TRUE(offer_line.has_value()) << invitation.Wait(kStep);
  const json offer = ParseJson(*offer_line);
  ASSERT_TRUE(offer.contains("code") && offer.contains("address")) << *offer_line;
  RecordingProxy proxy(PortOf(offer["address"].get<std::string>()));
  ASSERT_TRUE(proxy.listening());
  const RunResult joined = RunAt(sam, {"pair", "--join", offer["code"].get<std::string>(), "--to",
                                       "127.0.0.1:" + std::to_string(proxy.port()), "--json"});
  ASSERT_EQ(joined.exit_code, kExitOk) << joined;
  ASSERT_EQ(invitation.Wait(kStep).exit_code, kExitOk);
  const std::vector<RecordingProxy::Connection> connections = proxy.Stop();
  ASSERT_EQ(connections.size(), 1u);
  const std::string both = connections[0].from_client + connections[0].from_server;
  EXPECT_GT(both.size(), 100u);
  // The code's words, together and each (the channel number before them is public).
  const std::string code = offer["code"].get<std::string>();
  std::vector<std::string> needles = {"Octavia Plumtree-Halloran", "Bartholomew Quince-Ashdown",
                                      code.substr(code.find('-') + 1)};
  for (size_t start = code.find('-') + 1, end = 0; start != 0; start = end + 1) {
    end = code.find('-', start);
    const std::string word = code.substr(start, end - start);
    if (word.size() >= kShortestNeedle) needles.push_back(word);
    if (end == std::string::npos) break;
  }
  ASSERT_GE(needles.size(), 3u) << code;
  for (const std::string& needle : needles) {
    for (const auto& [encoding, form] : Encodings(needle)) {
      EXPECT_FALSE(Contains(both, form))
          << "pairing shows \"" << needle << "\" (" << encoding << ")";
    }
  }
}

}  // namespace
}  // namespace attune::e2e
