#include "util/base58.h"

#include <algorithm>
#include <array>

namespace nearhub::util {
namespace {

constexpr std::string_view kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

constexpr std::array<int, 256> make_digit_table() {
  std::array<int, 256> table{};
  table.fill(-1);
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
  }
  return table;
}
constexpr auto kDigitOf = make_digit_table();

}  // namespace

// Keys are 32 or 64 bytes, so the quadratic big-number conversion is cheap enough.
std::string base58_encode(ByteView data) {
  const auto leading_zeros = static_cast<std::size_t>(
      std::find_if(data.begin(), data.end(), [](std::uint8_t b) { return b != 0; }) - data.begin());
  std::vector<std::uint8_t> digits;  // base-58 digits, least significant first
  for (std::size_t i = leading_zeros; i < data.size(); ++i) {
    unsigned carry = data[i];
    for (auto& digit : digits) {
      carry += static_cast<unsigned>(digit) << 8;
      digit = static_cast<std::uint8_t>(carry % 58);
      carry /= 58;
    }
    while (carry > 0) {
      digits.push_back(static_cast<std::uint8_t>(carry % 58));
      carry /= 58;
    }
  }
  std::string text(leading_zeros, '1');
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) text.push_back(kAlphabet[*it]);
  return text;
}

std::optional<Bytes> base58_decode(std::string_view text) {
  const auto leading_ones = static_cast<std::size_t>(
      std::find_if(text.begin(), text.end(), [](char c) { return c != '1'; }) - text.begin());
  Bytes bytes;  // least significant first
  for (std::size_t i = leading_ones; i < text.size(); ++i) {
    const int value = kDigitOf[static_cast<unsigned char>(text[i])];
    if (value < 0) return std::nullopt;
    auto carry = static_cast<unsigned>(value);
    for (auto& byte : bytes) {
      carry += static_cast<unsigned>(byte) * 58;
      byte = static_cast<std::uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push_back(static_cast<std::uint8_t>(carry & 0xff));
      carry >>= 8;
    }
  }
  bytes.insert(bytes.end(), leading_ones, 0);
  std::reverse(bytes.begin(), bytes.end());
  return bytes;
}

}  // namespace nearhub::util
