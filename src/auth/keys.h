#pragma once
// NEAR ed25519 keys in their text forms (spec/platform.md §2.2, §2.4, §3.1):
//   public key  "ed25519:" + base58(32 bytes)
//   secret key  "ed25519:" + base58(64 bytes = seed ‖ public key)
//   signature   standard base64 of 64 bytes
// and the implicit account id, the lowercase hex of the public key.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/bytes.h"

namespace nearhub::auth {

using Signature = std::array<std::uint8_t, 64>;

class PublicKey {
 public:
  using Bytes = std::array<std::uint8_t, 32>;

  explicit PublicKey(const Bytes& bytes) : bytes_(bytes) {}
  // Reads a key the way the original hub does: the first 8 characters (normally "ed25519:")
  // are dropped without being checked, and the rest must be base58 of exactly 32 bytes.
  static std::optional<PublicKey> parse(std::string_view text);

  const Bytes& bytes() const { return bytes_; }
  std::string to_string() const;
  bool verify(util::ByteView message, const Signature& signature) const;

  friend bool operator==(const PublicKey&, const PublicKey&) = default;

 private:
  Bytes bytes_;
};

class SecretKey {
 public:
  using Seed = std::array<std::uint8_t, 32>;

  static SecretKey generate();
  static SecretKey from_seed(const Seed& seed);
  // "ed25519:" + base58 of 64 bytes. Only the first 32 (the seed) are used, as in the original:
  // the public key is always derived from the seed.
  static std::optional<SecretKey> parse(std::string_view text);

  const Seed& seed() const { return seed_; }
  const PublicKey& public_key() const { return public_key_; }
  std::string to_string() const;
  // Ed25519 is deterministic: the same key and message always give the same signature.
  Signature sign(util::ByteView message) const;

 private:
  SecretKey(const Seed& seed, const PublicKey& public_key) : seed_(seed), public_key_(public_key) {}
  Seed seed_;
  PublicKey public_key_;
};

// Lenient base64 (util/base64.h) of exactly 64 bytes; nothing otherwise.
std::optional<Signature> parse_signature(std::string_view text);
std::string format_signature(const Signature& signature);

// The NEAR implicit account owned by `key`: 64 lowercase hex characters.
std::string implicit_account_id(const PublicKey& key);

}  // namespace nearhub::auth
