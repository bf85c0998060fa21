#include "http/request_id.h"

#include <random>

namespace nearhub::http {

bool is_sane_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

std::string generate_request_id() {
  // Ids only need to be unique, not secret: a per-thread generator avoids locking.
  thread_local std::mt19937_64 generator{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  for (std::size_t half = 0; half < 2; ++half) {
    std::uint64_t bits = generator();
    for (std::size_t i = 0; i < 16; ++i, bits >>= 4) id[half * 16 + i] = kHex[bits & 0xF];
  }
  return id;
}

std::string choose_request_id(std::optional<std::string_view> incoming) {
  if (incoming && is_sane_request_id(*incoming)) return std::string(*incoming);
  return generate_request_id();
}

}  // namespace nearhub::http
