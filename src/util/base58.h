#pragma once
// Base58 with the Bitcoin alphabet, as NEAR writes keys ("ed25519:<base58>").

#include <optional>
#include <string>
#include <string_view>

#include "util/bytes.h"

namespace nearhub::util {

std::string base58_encode(ByteView data);
// Nothing when `text` holds a character outside the alphabet.
std::optional<Bytes> base58_decode(std::string_view text);

}  // namespace nearhub::util
