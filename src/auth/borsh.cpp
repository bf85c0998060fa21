#include "auth/borsh.h"

#include <stdexcept>

namespace nearhub::auth {

BorshWriter& BorshWriter::u8(std::uint8_t value) {
  bytes_.push_back(value);
  return *this;
}

BorshWriter& BorshWriter::u32(std::uint32_t value) {
  for (int shift = 0; shift < 32; shift += 8) bytes_.push_back((value >> shift) & 0xff);
  return *this;
}

BorshWriter& BorshWriter::string(std::string_view text) {
  if (text.size() > UINT32_MAX) throw std::length_error("Borsh string longer than 4 GiB");
  u32(static_cast<std::uint32_t>(text.size()));
  return fixed_bytes(util::as_bytes(text));
}

BorshWriter& BorshWriter::fixed_bytes(util::ByteView bytes) {
  bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
  return *this;
}

BorshWriter& BorshWriter::optional_string(const std::optional<std::string>& text) {
  if (!text) return u8(0);
  return u8(1).string(*text);
}

BorshWriter& BorshWriter::optional_u32(std::optional<std::uint32_t> value) {
  if (!value) return u8(0);
  return u8(1).u32(*value);
}

}  // namespace nearhub::auth
