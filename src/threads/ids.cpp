#include "threads/ids.h"

#include <sodium.h>

#include <array>
#include <cstdint>
#include <stdexcept>

#include "util/hex.h"

namespace nearhub::threads {

std::string new_object_id(std::string_view prefix) {
  static const bool ready = sodium_init() >= 0;  // idempotent; libsodium needs it once
  if (!ready) throw std::runtime_error("libsodium could not be initialised");
  std::array<std::uint8_t, 12> bytes{};  // 12 bytes = 24 hex digits
  randombytes_buf(bytes.data(), bytes.size());
  std::string id(prefix);
  id += util::hex_encode({bytes.data(), bytes.size()});
  return id;
}

}  // namespace nearhub::threads
