#include "blob/key.h"

#include <string_view>

#include "blob/blob_store.h"

namespace nearhub::blob {
namespace {

// Keys appear in error messages and logs: show them escaped, never raw.
std::string printable(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f || c == '\\') {
      out += "\\x";
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xf]);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

[[noreturn]] void refuse(std::string_view key, std::string_view why) {
  throw BlobError("invalid blob key '" + printable(key) + "': " + std::string(why));
}

// Checks characters and the segments before the last '/'; `last_may_be_partial` leaves the
// last segment free to be empty or a dot prefix (list prefixes).
void check(std::string_view key, bool last_may_be_partial) {
  for (char c : key) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == 0) refuse(key, "contains NUL");
    if (c == '\\') refuse(key, "contains a backslash");
    if (byte < 0x20 || byte == 0x7f) refuse(key, "contains a control character");
  }
  if (!key.empty() && key.front() == '/') refuse(key, "is absolute");
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = key.find('/', start);
    const bool last = slash == std::string_view::npos;
    const std::string_view segment =
        key.substr(start, last ? std::string_view::npos : slash - start);
    if (!(last && last_may_be_partial)) {
      if (segment.empty()) refuse(key, "has an empty segment");
      if (segment == "." || segment == "..") refuse(key, "has a '.' or '..' segment");
    }
    if (last) return;
    start = slash + 1;
  }
}

}  // namespace

void check_key(const std::string& key) {
  if (key.empty()) refuse(key, "is empty");
  check(key, false);
}

void check_prefix(const std::string& prefix) {
  if (prefix.empty()) return;
  check(prefix, true);
}

}  // namespace nearhub::blob
