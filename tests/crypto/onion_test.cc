// Tor v3 onion service keys, addresses and client authorisation, against tor's own test vectors
// and RFC 8032 / RFC 4648 (tests/vectors/onion-address.json), and against libsodium: the
// expanded key must sign exactly as libsodium does with the seed.
#include "crypto/onion.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "crypto/sha3.h"

namespace attune::crypto {
namespace {

Bytes OnionHex(std::string_view hex) {
  std::optional<Bytes> bytes = FromHex(hex);
  EXPECT_TRUE(bytes.has_value()) << hex;
  return bytes.value_or(Bytes{});
}

Ed25519PublicKey Ed25519FromHex(std::string_view hex) {
  const Bytes bytes = OnionHex(hex);
  Ed25519PublicKey key{};
  EXPECT_EQ(bytes.size(), key.size());
  std::copy_n(bytes.begin(), std::min(bytes.size(), key.size()), key.begin());
  return key;
}

std::string TextOf(const SecureBytes& text) {
  return std::string(text.span().begin(), text.span().end());
}

std::string Lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string Uppercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// Standard padded base64 decoded by libsodium, as tor's base64_decode reads it.
Bytes DecodeBase64(std::string_view text) {
  Bytes out(text.size());
  size_t length = 0;
  const int rc = sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr,
                                   &length, nullptr, sodium_base64_VARIANT_ORIGINAL);
  EXPECT_EQ(rc, 0) << text;
  out.resize(rc == 0 ? length : 0);
  return out;
}

// SHA-512 of the seed, first half clamped: computed here without crypto/onion.
Bytes ClampedSha512(ByteSpan seed) {
  Bytes expanded(crypto_hash_sha512_BYTES);
  crypto_hash_sha512(expanded.data(), seed.data(), seed.size());
  expanded[0] &= 248;
  expanded[31] &= 63;
  expanded[31] |= 64;
  return expanded;
}

Bytes ReduceScalar(ByteSpan wide) {
  Bytes padded(crypto_core_ed25519_NONREDUCEDSCALARBYTES, 0);
  std::copy(wide.begin(), wide.end(), padded.begin());
  Bytes reduced(crypto_core_ed25519_SCALARBYTES);
  crypto_core_ed25519_scalar_reduce(reduced.data(), padded.data());
  return reduced;
}

Bytes Sha512Of(std::initializer_list<ByteSpan> parts) {
  crypto_hash_sha512_state state;
  crypto_hash_sha512_init(&state);
  for (ByteSpan part : parts) crypto_hash_sha512_update(&state, part.data(), part.size());
  Bytes digest(crypto_hash_sha512_BYTES);
  crypto_hash_sha512_final(&state, digest.data());
  return digest;
}

// An ed25519 signature made from an expanded key (RFC 8032 section 5.1.6), as tor makes them.
Bytes SignWithExpandedKey(ByteSpan expanded, const Ed25519PublicKey& public_key, ByteSpan msg) {
  const ByteSpan scalar = expanded.first(32);
  const ByteSpan prefix = expanded.subspan(32);
  const Bytes r = ReduceScalar(Sha512Of({prefix, msg}));
  Bytes signature(crypto_sign_BYTES);
  EXPECT_EQ(crypto_scalarmult_ed25519_base_noclamp(signature.data(), r.data()), 0);
  const Bytes k = ReduceScalar(Sha512Of({ByteSpan(signature).first(32), public_key, msg}));
  Bytes ks(crypto_core_ed25519_SCALARBYTES);
  crypto_core_ed25519_scalar_mul(ks.data(), k.data(), ReduceScalar(scalar).data());
  crypto_core_ed25519_scalar_add(signature.data() + 32, r.data(), ks.data());
  return signature;
}

class OnionVectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string path = std::string(ATTUNE_SOURCE_DIR) + "/tests/vectors/onion-address.json";
    std::ifstream file(path);
    ASSERT_TRUE(file.is_open()) << "missing " << path;
    json_ = nlohmann::json::parse(file, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(json_.is_discarded()) << "unparsable " << path;
  }

  std::string Field(const char* group, const char* name) const {
    EXPECT_TRUE(json_.contains(group) && json_[group].contains(name)) << group << "." << name;
    return json_.contains(group) ? json_[group].value(name, std::string()) : std::string();
  }
  std::vector<std::string> List(const char* group, const char* name) const {
    EXPECT_TRUE(json_.contains(group) && json_[group].contains(name)) << group << "." << name;
    if (!json_.contains(group) || !json_[group].contains(name)) return {};
    return json_[group][name].get<std::vector<std::string>>();
  }

  nlohmann::json json_;
};

// ---- Addresses ------------------------------------------------------------

TEST_F(OnionVectorTest, BuildsTorsAddressForTheRfc8032Key) {
  const Ed25519PublicKey key = Ed25519FromHex(Field("build_address", "public_key"));
  const std::string address = Field("build_address", "address");
  EXPECT_EQ(OnionAddress(key), address);
  EXPECT_EQ(OnionAddress(key).size(), kOnionAddressChars);
  for (const std::string& text : {address, address + ".onion", address + ".ONION",
                                  address + ".Onion", Uppercase(address) + ".onion"}) {
    Result<Ed25519PublicKey> parsed = ParseOnionAddress(text);
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status().detail();
    EXPECT_EQ(*parsed, key) << text;
  }
}

TEST_F(OnionVectorTest, ParsesAndRebuildsEveryValidAddress) {
  const std::vector<std::string> addresses = List("valid_addresses", "addresses");
  ASSERT_GE(addresses.size(), 4u);
  for (const std::string& address : addresses) {
    Result<Ed25519PublicKey> parsed = ParseOnionAddress(address + ".onion");
    ASSERT_TRUE(parsed.ok()) << address << ": " << parsed.status().detail();
    EXPECT_EQ(OnionAddress(*parsed), address);
  }
}

void ExpectRefused(std::string_view address, std::string_view detail_part) {
  Result<Ed25519PublicKey> parsed = ParseOnionAddress(address);
  ASSERT_FALSE(parsed.ok()) << address;
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << address;
  EXPECT_NE(parsed.status().detail().find(detail_part), std::string::npos)
      << address << ": " << parsed.status().detail();
}

TEST_F(OnionVectorTest, RefusesTorsInvalidAddresses) {
  for (const std::string& address : List("invalid_addresses", "wrong_length")) {
    ExpectRefused(address, "56 base32 characters");
  }
  for (const std::string& address : List("invalid_addresses", "bad_checksum")) {
    ExpectRefused(address, "checksum");
  }
  for (const std::string& address : List("invalid_addresses", "bad_character")) {
    ExpectRefused(address, "outside base32");
  }
}

TEST_F(OnionVectorTest, RefusesWrongLengthsAndSuffixes) {
  const std::string address = Field("build_address", "address");
  for (const std::string& text :
       {std::string(), std::string(".onion"), address.substr(1), address + "a",
        address + ".onion.onion", "www." + address + ".onion", address + ".onio", address + " ",
        " " + address, address + ".onion\n", address + ".exit"}) {
    ExpectRefused(text, "56 base32 characters");
  }
  // Base32 has no 0, 1, 8 or 9, and '=' padding is not part of an address.
  for (char bad : {'0', '1', '8', '9', '=', '-', '.', '\0'}) {
    std::string text = address;
    text[10] = bad;
    ExpectRefused(text, "outside base32");
  }
}

TEST_F(OnionVectorTest, RefusesEverySingleCharacterChange) {
  const std::string address = Field("build_address", "address");
  for (size_t i = 0; i < address.size(); ++i) {
    std::string changed = address;
    changed[i] = address[i] == 'a' ? 'b' : 'a';
    Result<Ed25519PublicKey> parsed = ParseOnionAddress(changed);
    ASSERT_FALSE(parsed.ok()) << "position " << i;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  }
}

// An address for `key` with any version byte, its checksum computed for that version, so that
// only the version is wrong.
std::string AddressWithVersion(const Ed25519PublicKey& key, uint8_t version) {
  Bytes checksum_input(AsBytes(".onion checksum").begin(), AsBytes(".onion checksum").end());
  checksum_input.insert(checksum_input.end(), key.begin(), key.end());
  checksum_input.push_back(version);
  const Sha3_256Digest checksum = Sha3_256(checksum_input);
  Bytes raw(key.begin(), key.end());
  raw.insert(raw.end(), {checksum[0], checksum[1], version});
  return Base32Encode(raw);
}

TEST_F(OnionVectorTest, RefusesEveryOtherVersion) {
  const Ed25519PublicKey key = Ed25519FromHex(Field("build_address", "public_key"));
  ASSERT_EQ(AddressWithVersion(key, 3), Field("build_address", "address"));
  for (int version : {0, 1, 2, 4, 0x83, 0xff}) {
    ExpectRefused(AddressWithVersion(key, static_cast<uint8_t>(version)), "version");
  }
}

TEST_F(OnionVectorTest, RefusesKeysOutsideThePrimeOrderSubgroup) {
  Ed25519PublicKey identity{};
  identity[0] = 1;
  ExpectRefused(OnionAddress(identity), "valid ed25519 point");

  // The key plus a point of order 8: on the curve, with the right checksum, but another
  // encoding of "the same" service for a lax client.
  const Ed25519PublicKey key = Ed25519FromHex(Field("build_address", "public_key"));
  const Ed25519PublicKey torsion =
      Ed25519FromHex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a");
  ASSERT_EQ(crypto_core_ed25519_is_valid_point(torsion.data()), 0);
  Ed25519PublicKey mixed{};
  ASSERT_EQ(crypto_core_ed25519_add(mixed.data(), key.data(), torsion.data()), 0);
  ASSERT_NE(mixed, key);
  ExpectRefused(OnionAddress(mixed), "valid ed25519 point");
}

// ---- The service key ------------------------------------------------------

TEST_F(OnionVectorTest, Rfc8032SeedGivesItsPublicKeyAndTorsAddress) {
  Result<OnionServiceKey> key =
      OnionServiceKey::FromSeed(SecureBytes::CopyOf(OnionHex(Field("rfc8032_test1", "seed"))));
  ASSERT_TRUE(key.ok()) << key.status().detail();
  EXPECT_EQ(ToHex(key->public_key()), Field("rfc8032_test1", "public_key"));
  EXPECT_EQ(OnionAddress(key->public_key()), Field("build_address", "address"));
  EXPECT_EQ(ToHex(key->seed().span()), Field("rfc8032_test1", "seed"));
}

TEST_F(OnionVectorTest, ExpandedKeyIsClampedSha512OfTheSeedAndSignsAsRfc8032) {
  const Bytes seed = OnionHex(Field("rfc8032_test1", "seed"));
  Result<OnionServiceKey> key = OnionServiceKey::FromSeed(SecureBytes::CopyOf(seed));
  ASSERT_TRUE(key.ok());
  const ByteSpan expanded = key->expanded_secret_key().span();
  ASSERT_EQ(expanded.size(), kOnionExpandedKeyBytes);
  EXPECT_EQ(Bytes(expanded.begin(), expanded.end()), ClampedSha512(seed));

  // libsodium's view of the same scalar: its ed25519-to-x25519 conversion clamps SHA-512(seed).
  Bytes sodium_secret(seed);
  sodium_secret.insert(sodium_secret.end(), key->public_key().begin(), key->public_key().end());
  Bytes converted(crypto_scalarmult_curve25519_BYTES);
  ASSERT_EQ(crypto_sign_ed25519_sk_to_curve25519(converted.data(), sodium_secret.data()), 0);
  EXPECT_EQ(converted, Bytes(expanded.begin(), expanded.begin() + 32));

  // The scalar times the base point is the public key, and the whole expanded key (scalar and
  // PRF secret) signs the RFC's message into the RFC's signature.
  Ed25519PublicKey from_scalar{};
  ASSERT_EQ(crypto_scalarmult_ed25519_base_noclamp(from_scalar.data(), expanded.data()), 0);
  EXPECT_EQ(from_scalar, key->public_key());
  EXPECT_EQ(ToHex(SignWithExpandedKey(expanded, key->public_key(),
                                      OnionHex(Field("rfc8032_test1", "message")))),
            Field("rfc8032_test1", "signature"));
}

TEST(OnionServiceKeyTest, ExpandedKeySignsAsLibsodiumDoesWithTheSeed) {
  for (int round = 0; round < 8; ++round) {
    const OnionServiceKey key = OnionServiceKey::Generate();
    Bytes sodium_secret(key.seed().span().begin(), key.seed().span().end());
    sodium_secret.insert(sodium_secret.end(), key.public_key().begin(), key.public_key().end());
    const Bytes message(static_cast<size_t>(round * 37), static_cast<uint8_t>(round));
    Bytes expected(crypto_sign_BYTES);
    crypto_sign_detached(expected.data(), nullptr, message.data(), message.size(),
                         sodium_secret.data());
    EXPECT_EQ(SignWithExpandedKey(key.expanded_secret_key().span(), key.public_key(), message),
              expected);
    Wipe(sodium_secret);
  }
}

TEST_F(OnionVectorTest, ControlPortKeyBlobIsPrefixAndPaddedBase64OfTheExpandedKey) {
  Result<OnionServiceKey> key =
      OnionServiceKey::FromSeed(SecureBytes::CopyOf(OnionHex(Field("rfc8032_test1", "seed"))));
  ASSERT_TRUE(key.ok());
  const std::string blob = TextOf(key->ControlPortKeyBlob());
  ASSERT_EQ(blob.size(), kOnionKeyBlobPrefix.size() + 88);
  EXPECT_EQ(blob.substr(0, kOnionKeyBlobPrefix.size()), "ED25519-V3:");
  EXPECT_EQ(blob.substr(blob.size() - 2), "==");
  const Bytes decoded = DecodeBase64(std::string_view(blob).substr(kOnionKeyBlobPrefix.size()));
  const ByteSpan expanded = key->expanded_secret_key().span();
  EXPECT_EQ(decoded, Bytes(expanded.begin(), expanded.end()));
}

TEST_F(OnionVectorTest, TorsAddOnionKeyBlobGivesTorsServiceId) {
  const std::string blob = Field("add_onion", "key_blob");
  ASSERT_EQ(blob.rfind(kOnionKeyBlobPrefix, 0), 0u);
  const Bytes expanded = DecodeBase64(std::string_view(blob).substr(kOnionKeyBlobPrefix.size()));
  ASSERT_EQ(expanded.size(), kOnionExpandedKeyBytes);
  // tor's blob is a clamped scalar followed by the PRF secret...
  EXPECT_EQ(expanded[0] & 7, 0);
  EXPECT_EQ(expanded[31] & 0xc0, 0x40);
  // ...whose public key has the ServiceID tor answered with...
  Ed25519PublicKey public_key{};
  ASSERT_EQ(crypto_scalarmult_ed25519_base_noclamp(public_key.data(), expanded.data()), 0);
  EXPECT_EQ(OnionAddress(public_key), Field("add_onion", "service_id"));
  // ...and attune writes those bytes exactly as tor wrote them.
  EXPECT_EQ(TextOf(Base64EncodeSecret(kOnionKeyBlobPrefix, expanded)), blob);
}

TEST(OnionServiceKeyTest, GeneratedKeysAreFreshAndReloadFromTheirSeed) {
  const OnionServiceKey a = OnionServiceKey::Generate();
  const OnionServiceKey b = OnionServiceKey::Generate();
  EXPECT_NE(a.public_key(), b.public_key());
  EXPECT_FALSE(a.seed().ConstantTimeEquals(b.seed()));
  Result<OnionServiceKey> reloaded =
      OnionServiceKey::FromSeed(SecureBytes::CopyOf(a.seed().span()));
  ASSERT_TRUE(reloaded.ok());
  EXPECT_EQ(reloaded->public_key(), a.public_key());
  EXPECT_TRUE(reloaded->expanded_secret_key().ConstantTimeEquals(a.expanded_secret_key()));
  Result<Ed25519PublicKey> parsed = ParseOnionAddress(OnionAddress(a.public_key()));
  ASSERT_TRUE(parsed.ok()) << parsed.status().detail();
  EXPECT_EQ(*parsed, a.public_key());
}

TEST(OnionServiceKeyTest, RefusesSeedsOfTheWrongSize) {
  for (size_t size : {0u, 31u, 33u, 64u}) {
    Result<OnionServiceKey> key = OnionServiceKey::FromSeed(SecureBytes(size));
    ASSERT_FALSE(key.ok()) << size;
    EXPECT_EQ(key.status().code(), StatusCode::kInvalidArgument);
  }
}

// ---- Client authorisation -------------------------------------------------

TEST_F(OnionVectorTest, TorsClientAuthPrivateKeysRoundTrip) {
  const std::vector<std::string> texts = List("client_auth_private_keys", "keys");
  ASSERT_GE(texts.size(), 3u);
  for (const std::string& text : texts) {
    ASSERT_EQ(text.rfind(kClientAuthKeyPrefix, 0), 0u) << text;
    const Bytes secret = DecodeBase64(std::string_view(text).substr(kClientAuthKeyPrefix.size()));
    Result<OnionClientAuthKey> key = OnionClientAuthKey::FromSecret(SecureBytes::CopyOf(secret));
    ASSERT_TRUE(key.ok()) << text << ": " << key.status().detail();
    EXPECT_EQ(TextOf(ClientAuthPrivateText(*key)), text);
  }
  for (const std::string& text : List("client_auth_private_keys", "refused")) {
    const Bytes secret = DecodeBase64(std::string_view(text).substr(kClientAuthKeyPrefix.size()));
    Result<OnionClientAuthKey> key = OnionClientAuthKey::FromSecret(SecureBytes::CopyOf(secret));
    ASSERT_FALSE(key.ok()) << text;
    EXPECT_EQ(key.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST_F(OnionVectorTest, ClientAuthPublicTextIsTorsBase32) {
  std::vector<std::string> keys = List("client_auth_v3_keys", "keys");
  keys.push_back(Field("add_onion", "client_auth_v3"));
  for (const std::string& text : keys) {
    Result<Bytes> bytes = Base32Decode(text);
    ASSERT_TRUE(bytes.ok()) << text << ": " << bytes.status().detail();
    ASSERT_EQ(bytes->size(), kX25519PublicBytes);
    X25519PublicKey public_key{};
    std::copy(bytes->begin(), bytes->end(), public_key.begin());
    EXPECT_EQ(ClientAuthPublicText(public_key), Lowercase(text));
  }
}

TEST(OnionClientAuthKeyTest, GeneratedKeysAreClampedX25519Pairs) {
  const OnionClientAuthKey a = OnionClientAuthKey::Generate();
  const OnionClientAuthKey b = OnionClientAuthKey::Generate();
  EXPECT_NE(a.public_key(), b.public_key());
  ASSERT_EQ(a.secret().size(), kOnionClientAuthSecretBytes);
  EXPECT_EQ(a.secret().data()[0] & 7, 0);
  EXPECT_EQ(a.secret().data()[31] & 0xc0, 0x40);
  X25519PublicKey expected{};
  ASSERT_EQ(crypto_scalarmult_curve25519_base(expected.data(), a.secret().data()), 0);
  EXPECT_EQ(a.public_key(), expected);

  const std::string public_text = ClientAuthPublicText(a.public_key());
  EXPECT_EQ(public_text.size(), 52u);
  EXPECT_EQ(public_text, Lowercase(public_text));
  const std::string private_text = TextOf(ClientAuthPrivateText(a));
  ASSERT_EQ(private_text.size(), kClientAuthKeyPrefix.size() + 44);
  EXPECT_EQ(private_text.substr(0, kClientAuthKeyPrefix.size()), "x25519:");
  EXPECT_EQ(DecodeBase64(std::string_view(private_text).substr(kClientAuthKeyPrefix.size())),
            Bytes(a.secret().span().begin(), a.secret().span().end()));
}

TEST(OnionClientAuthKeyTest, RefusesSecretsOfTheWrongSize) {
  for (size_t size : {0u, 31u, 33u}) {
    Result<OnionClientAuthKey> key = OnionClientAuthKey::FromSecret(SecureBytes(size));
    ASSERT_FALSE(key.ok()) << size;
    EXPECT_EQ(key.status().code(), StatusCode::kInvalidArgument);
  }
}

// ---- RFC 4648 encodings -----------------------------------------------------

TEST_F(OnionVectorTest, EncodesRfc4648Vectors) {
  ASSERT_TRUE(json_.contains("rfc4648"));
  for (const nlohmann::json& vector : json_["rfc4648"]["base64"]) {
    const std::string data = vector.value("data", std::string());
    const std::string encoded = vector.value("encoded", std::string());
    EXPECT_EQ(TextOf(Base64EncodeSecret("", AsBytes(data))), encoded) << data;
    EXPECT_EQ(TextOf(Base64EncodeSecret("x:", AsBytes(data))), "x:" + encoded) << data;
  }
  for (const nlohmann::json& vector : json_["rfc4648"]["base32"]) {
    const std::string data = vector.value("data", std::string());
    std::string unpadded = vector.value("encoded", std::string());
    unpadded.erase(std::remove(unpadded.begin(), unpadded.end(), '='), unpadded.end());
    EXPECT_EQ(Base32Encode(AsBytes(data)), Lowercase(unpadded)) << data;
    for (const std::string& text : {unpadded, Lowercase(unpadded)}) {
      Result<Bytes> decoded = Base32Decode(text);
      ASSERT_TRUE(decoded.ok()) << text << ": " << decoded.status().detail();
      EXPECT_EQ(std::string(decoded->begin(), decoded->end()), data);
    }
  }
}

TEST(Base32DecodeTest, RefusesAnythingButOneCanonicalUnpaddedEncoding) {
  for (std::string_view text : {"MY======", "my=", "m0", "m1", "m8", "m9", "m@", "m ", "m\n", "a",
                                "aaa", "aaaaaa", "mz", "mzxw7"}) {
    Result<Bytes> decoded = Base32Decode(text);
    ASSERT_FALSE(decoded.ok()) << text;
    EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument) << text;
  }
}

}  // namespace
}  // namespace attune::crypto
