#pragma once
// Lowercase hexadecimal, as NEAR writes implicit account ids.

#include <optional>
#include <string>
#include <string_view>

#include "util/bytes.h"

namespace nearhub::util {

std::string hex_encode(ByteView data);
// Accepts either case. Nothing on an odd length or a non-hex character.
std::optional<Bytes> hex_decode(std::string_view text);

}  // namespace nearhub::util
