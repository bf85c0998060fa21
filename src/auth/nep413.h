#pragma once
// NEP-413 signed messages, the way tokens are signed and verified (spec/platform.md §2.4):
// Borsh(tag 2^31+413, message, nonce[32], recipient, Option<callbackUrl>) → SHA-256 → ed25519.

#include <optional>
#include <string>
#include <string_view>

#include "auth/keys.h"
#include "auth/sha256.h"
#include "util/bytes.h"

namespace nearhub::auth {

struct Nep413Payload {
  std::string message;
  std::string nonce;  // exactly 32 bytes (the zero-padded nonce text)
  std::string recipient;
  std::optional<std::string> callback_url;  // None and Some("") serialize differently
};

// Throws std::invalid_argument when the nonce is not 32 bytes.
util::Bytes nep413_borsh(const Nep413Payload& payload);
// What is actually signed: the SHA-256 of the Borsh bytes.
Sha256Digest nep413_digest(const Nep413Payload& payload);

Signature sign_nep413(const SecretKey& key, const Nep413Payload& payload);

// True when `signature` signs the payload, or, if that fails and the payload has a callback URL,
// the same payload without it (some wallets sign without the callback). A malformed key or
// signature text is simply not valid: the original's 500 becomes a 401 upstream ([REC]).
bool verify_nep413(const Nep413Payload& payload, std::string_view public_key,
                   std::string_view signature);

}  // namespace nearhub::auth
