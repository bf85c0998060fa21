#include "auth/nep413.h"

#include <stdexcept>

#include "auth/borsh.h"

namespace nearhub::auth {
namespace {

constexpr std::uint32_t kNep413Tag = 2147484061;  // 2^31 + 413
constexpr std::size_t kNonceSize = 32;

}  // namespace

util::Bytes nep413_borsh(const Nep413Payload& payload) {
  if (payload.nonce.size() != kNonceSize) {
    throw std::invalid_argument("a NEP-413 nonce is 32 bytes, got " +
                                std::to_string(payload.nonce.size()));
  }
  BorshWriter writer;
  writer.u32(kNep413Tag)
      .string(payload.message)
      .fixed_bytes(util::as_bytes(payload.nonce))
      .string(payload.recipient)
      .optional_string(payload.callback_url);
  return writer.bytes();
}

Sha256Digest nep413_digest(const Nep413Payload& payload) { return sha256(nep413_borsh(payload)); }

Signature sign_nep413(const SecretKey& key, const Nep413Payload& payload) {
  return key.sign(nep413_digest(payload));
}

bool verify_nep413(const Nep413Payload& payload, std::string_view public_key,
                   std::string_view signature) {
  const auto key = PublicKey::parse(public_key);
  const auto signature_bytes = parse_signature(signature);
  if (!key || !signature_bytes) return false;
  if (key->verify(nep413_digest(payload), *signature_bytes)) return true;
  if (!payload.callback_url) return false;
  Nep413Payload without_callback = payload;
  without_callback.callback_url.reset();
  return key->verify(nep413_digest(without_callback), *signature_bytes);
}

}  // namespace nearhub::auth
