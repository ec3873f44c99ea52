#include "crypto/noise_symmetric_state.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace attune::crypto::noise {

SymmetricState::SymmetricState(HashFunction function, std::string_view protocol_name)
    : function_(function) {
  ByteSpan name = AsBytes(protocol_name);
  if (name.size() <= HashLength(function_)) {
    h_.size = HashLength(function_);
    std::copy(name.begin(), name.end(), h_.bytes.begin());
  } else {
    h_ = Hash(function_, {name});
  }
  chaining_key_ = SecureBytes::CopyOf(h_.span());
}

Status SymmetricState::MixKey(ByteSpan input_key_material) {
  ATTUNE_ASSIGN_OR_RETURN(std::vector<SecureBytes> outputs,
                          Hkdf(function_, chaining_key_.span(), input_key_material, 2));
  chaining_key_ = std::move(outputs[0]);
  return cipher_.InitializeKey(outputs[1].span());
}

void SymmetricState::MixHash(ByteSpan data) {
  h_ = Hash(function_, {h_.span(), data});
}

Status SymmetricState::MixKeyAndHash(ByteSpan input_key_material) {
  ATTUNE_ASSIGN_OR_RETURN(std::vector<SecureBytes> outputs,
                          Hkdf(function_, chaining_key_.span(), input_key_material, 3));
  chaining_key_ = std::move(outputs[0]);
  MixHash(outputs[1].span());
  return cipher_.InitializeKey(outputs[2].span());
}

Result<Bytes> SymmetricState::EncryptAndHash(ByteSpan plaintext) {
  ATTUNE_ASSIGN_OR_RETURN(Bytes ciphertext, cipher_.EncryptWithAd(h_.span(), plaintext));
  MixHash(ciphertext);
  return ciphertext;
}

Result<SecureBytes> SymmetricState::DecryptAndHash(ByteSpan ciphertext) {
  ATTUNE_ASSIGN_OR_RETURN(SecureBytes plaintext, cipher_.DecryptWithAd(h_.span(), ciphertext));
  MixHash(ciphertext);
  return plaintext;
}

Result<CipherStatePair> SymmetricState::Split() const {
  ATTUNE_ASSIGN_OR_RETURN(std::vector<SecureBytes> outputs,
                          Hkdf(function_, chaining_key_.span(), /*input_key_material=*/{}, 2));
  CipherStatePair pair;
  ATTUNE_RETURN_IF_ERROR(pair.initiator_to_responder.InitializeKey(outputs[0].span()));
  ATTUNE_RETURN_IF_ERROR(pair.responder_to_initiator.InitializeKey(outputs[1].span()));
  return pair;
}

}  // namespace attune::crypto::noise
