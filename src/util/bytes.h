#pragma once
// Raw binary data, as produced by the decoders and consumed by the crypto code.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace nearhub::util {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// The bytes of a text, without copying (UTF-8 text is signed and hashed as bytes).
inline ByteView as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace nearhub::util
