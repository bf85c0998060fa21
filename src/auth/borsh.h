#pragma once
// The subset of Borsh (https://borsh.io) that NEAR signs: little-endian integers,
// length-prefixed strings, fixed byte arrays and options. Used for NEP-413 token payloads
// (spec/platform.md §2.4) and hub completion signatures (§3.2).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/bytes.h"

namespace nearhub::auth {

class BorshWriter {
 public:
  BorshWriter& u8(std::uint8_t value);
  BorshWriter& u32(std::uint32_t value);
  // u32 length, then the UTF-8 bytes.
  BorshWriter& string(std::string_view text);
  // A fixed-size array ([u8; N]): the bytes alone, no length.
  BorshWriter& fixed_bytes(util::ByteView bytes);
  // 0 for None; 1 then the string for Some.
  BorshWriter& optional_string(const std::optional<std::string>& text);
  // 0 for None; 1 then the u32 for Some.
  BorshWriter& optional_u32(std::optional<std::uint32_t> value);

  const util::Bytes& bytes() const { return bytes_; }

 private:
  util::Bytes bytes_;
};

}  // namespace nearhub::auth
