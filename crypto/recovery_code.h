// The recovery code: the journal's 32-byte data key written out for a person
// to keep on paper, so a forgotten passphrase does not lose the journal.
//
// Format (version 1): the key followed by a 3-byte checksum (the first bytes
// of keyed BLAKE2b over the key, keyed with a fixed domain-separation
// string), 35 bytes in all, in RFC 4648 base32 without padding: exactly 56
// characters from A-Z and 2-7, printed uppercase in 14 groups of 4 joined by
// '-':
//
//   ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567-ABCD-EFGH-IJKL-MNOP-QRST-UVWX
//
// 35 bytes fill 56 characters exactly, so every character carries key or
// checksum bits and any single mistyped character changes the decoded
// bytes. A change in the key part passes the 24-bit checksum with
// probability 2^-24; a change in the checksum part never passes.
//
// Preconditions: crypto::Init() has succeeded. Thread-safe (no shared state).
#ifndef ATTUNE_CRYPTO_RECOVERY_CODE_H_
#define ATTUNE_CRYPTO_RECOVERY_CODE_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"
#include "crypto/secure_bytes.h"

namespace attune::crypto {

inline constexpr size_t kRecoveryKeyBytes = 32;
// Significant characters in a code (separators not counted).
inline constexpr size_t kRecoveryCodeChars = 56;

// The printable code for `key`. kInvalidArgument if key.size() !=
// kRecoveryKeyBytes. The returned string holds the key in ordinary memory:
// show or print it, then crypto::Wipe() it. It is allocated once at its
// final size, so no stray copies are left behind by growth.
Result<std::string> EncodeRecoveryCode(const SecureBytes& key);

// The key from a code as a person typed it back. Lenient about form:
// any letter case; spaces, tabs, newlines and '-' anywhere are ignored; and
// the digits that base32 never uses are read as the letters they are
// mistaken for: 0 -> O, 1 -> I, 8 -> B. (Base32 has no 0, 1, 8 or 9, so this
// cannot make a valid code ambiguous.) Errors, all kInvalidArgument with a
// detail that says which:
//   - a character outside the alphabet (e.g. '9', '!');
//   - wrong length: not exactly kRecoveryCodeChars significant characters;
//   - checksum mismatch: most likely a mistyped character.
// Intermediate copies of key bits are kept in secure memory or wiped.
Result<SecureBytes> DecodeRecoveryCode(std::string_view code);

}  // namespace attune::crypto

#endif  // ATTUNE_CRYPTO_RECOVERY_CODE_H_
