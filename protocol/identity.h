// How people compare keys: a short fingerprint of one key, and a safety number for a pair.
//
// The safety number is the same on both partners' machines (the two keys' halves are ordered by
// key, not by who is looking), so the two can read it to each other in person or over a call
// they trust. If both show the same 60 digits, nobody sat in the middle of their pairing.
#ifndef ATTUNE_PROTOCOL_IDENTITY_H_
#define ATTUNE_PROTOCOL_IDENTITY_H_

#include <string>
#include <string_view>

#include "crypto/x25519.h"

namespace attune::protocol {

// 32 hex digits in 8 groups of 4 ("3f9a 01c2 ..."): 128 bits of BLAKE2b over the key.
std::string Fingerprint(const crypto::X25519PublicKey& key);

// 60 digits in 12 groups of 5: 30 digits from each key's BLAKE2b digest, lower key first.
std::string SafetyNumber(const crypto::X25519PublicKey& a, const crypto::X25519PublicKey& b);

// Whether `address` is an onion address exactly as a node sends its own: 56 lowercase
// characters, no ".onion", a valid checksum and key (crypto/onion.h). Pairing and the session's
// OnionContact accept nothing else.
bool IsCanonicalOnionAddress(std::string_view address);

}  // namespace attune::protocol

#endif  // ATTUNE_PROTOCOL_IDENTITY_H_
