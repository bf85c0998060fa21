#include "util/base64.h"

#include <array>

namespace nearhub::util {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int, 256> make_value_table() {
  std::array<int, 256> table{};
  table.fill(-1);
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
  }
  return table;
}
constexpr auto kValueOf = make_value_table();

}  // namespace

std::string base64_encode(ByteView data) {
  std::string text;
  text.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const unsigned group = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    text += kAlphabet[(group >> 18) & 63];
    text += kAlphabet[(group >> 12) & 63];
    text += kAlphabet[(group >> 6) & 63];
    text += kAlphabet[group & 63];
  }
  const std::size_t rest = data.size() - i;
  if (rest > 0) {
    const unsigned group = (data[i] << 16) | (rest == 2 ? data[i + 1] << 8 : 0);
    text += kAlphabet[(group >> 18) & 63];
    text += kAlphabet[(group >> 12) & 63];
    text += rest == 2 ? kAlphabet[(group >> 6) & 63] : '=';
    text += '=';
  }
  return text;
}

// Mirrors CPython's binascii.a2b_base64 in its default (non-strict) mode.
std::optional<Bytes> base64_decode(std::string_view text) {
  Bytes bytes;
  bytes.reserve(text.size() / 4 * 3);
  int quad_position = 0;  // data characters seen in the current group of four
  int pads = 0;
  unsigned bits = 0;
  for (const char c : text) {
    if (c == '=') {
      // Enough padding to complete the group ends the data; anything after it is ignored.
      if (quad_position >= 2 && quad_position + ++pads >= 4) return bytes;
      continue;
    }
    const int value = kValueOf[static_cast<unsigned char>(c)];
    if (value < 0) continue;
    bits = (bits << 6) | static_cast<unsigned>(value);
    if (quad_position > 0) {
      // Each data character after the first of a group completes one more byte.
      const int spare_bits = 2 * (3 - quad_position);
      bytes.push_back(static_cast<std::uint8_t>((bits >> spare_bits) & 0xff));
      bits &= (1u << spare_bits) - 1;
    }
    quad_position = (quad_position + 1) % 4;
  }
  if (quad_position != 0) return std::nullopt;
  return bytes;
}

}  // namespace nearhub::util
