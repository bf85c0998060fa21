#include "auth/keys.h"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>

#include "util/base58.h"
#include "util/base64.h"
#include "util/hex.h"

namespace nearhub::auth {
namespace {

constexpr std::string_view kKeyPrefix = "ed25519:";

// sodium_init is idempotent and thread-safe; it must run before random keys are drawn.
void ensure_sodium_initialized() {
  static const bool initialized = sodium_init() >= 0;
  if (!initialized) throw std::runtime_error("libsodium could not be initialised");
}

// libsodium's 64-byte signing key (seed ‖ public key) for `seed`.
std::array<std::uint8_t, crypto_sign_SECRETKEYBYTES> expand_seed(const SecretKey::Seed& seed,
                                                                 PublicKey::Bytes& public_key) {
  std::array<std::uint8_t, crypto_sign_SECRETKEYBYTES> expanded;
  crypto_sign_seed_keypair(public_key.data(), expanded.data(), seed.data());
  return expanded;
}

}  // namespace

std::optional<PublicKey> PublicKey::parse(std::string_view text) {
  if (text.size() <= kKeyPrefix.size()) return std::nullopt;
  const auto decoded = util::base58_decode(text.substr(kKeyPrefix.size()));
  if (!decoded || decoded->size() != std::tuple_size_v<Bytes>) return std::nullopt;
  Bytes bytes;
  std::copy(decoded->begin(), decoded->end(), bytes.begin());
  return PublicKey(bytes);
}

std::string PublicKey::to_string() const {
  return std::string(kKeyPrefix) + util::base58_encode(bytes_);
}

bool PublicKey::verify(util::ByteView message, const Signature& signature) const {
  ensure_sodium_initialized();
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     bytes_.data()) == 0;
}

SecretKey SecretKey::generate() {
  ensure_sodium_initialized();
  Seed seed;
  randombytes_buf(seed.data(), seed.size());
  return from_seed(seed);
}

SecretKey SecretKey::from_seed(const Seed& seed) {
  PublicKey::Bytes public_key;
  auto expanded = expand_seed(seed, public_key);
  sodium_memzero(expanded.data(), expanded.size());
  return SecretKey(seed, PublicKey(public_key));
}

std::optional<SecretKey> SecretKey::parse(std::string_view text) {
  if (!text.starts_with(kKeyPrefix)) return std::nullopt;
  auto decoded = util::base58_decode(text.substr(kKeyPrefix.size()));
  if (!decoded || decoded->size() != crypto_sign_SECRETKEYBYTES) return std::nullopt;
  Seed seed;
  std::copy_n(decoded->begin(), seed.size(), seed.begin());
  sodium_memzero(decoded->data(), decoded->size());
  return from_seed(seed);
}

std::string SecretKey::to_string() const {
  util::Bytes material(seed_.begin(), seed_.end());
  material.insert(material.end(), public_key_.bytes().begin(), public_key_.bytes().end());
  std::string text = std::string(kKeyPrefix) + util::base58_encode(material);
  sodium_memzero(material.data(), material.size());
  return text;
}

Signature SecretKey::sign(util::ByteView message) const {
  PublicKey::Bytes public_key;
  auto expanded = expand_seed(seed_, public_key);
  Signature signature;
  crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(), expanded.data());
  sodium_memzero(expanded.data(), expanded.size());
  return signature;
}

std::optional<Signature> parse_signature(std::string_view text) {
  const auto decoded = util::base64_decode(text);
  if (!decoded || decoded->size() != std::tuple_size_v<Signature>) return std::nullopt;
  Signature signature;
  std::copy(decoded->begin(), decoded->end(), signature.begin());
  return signature;
}

std::string format_signature(const Signature& signature) { return util::base64_encode(signature); }

std::string implicit_account_id(const PublicKey& key) { return util::hex_encode(key.bytes()); }

}  // namespace nearhub::auth
