#pragma once
// SHA-256 (libsodium): NEAR signs the hash of a Borsh payload, not the payload itself.

#include <array>
#include <cstdint>

#include "util/bytes.h"

namespace nearhub::auth {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest sha256(util::ByteView data);

}  // namespace nearhub::auth
