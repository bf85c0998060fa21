#include "registry/identifiers.h"

#include <fmt/format.h>

#include <vector>

#include "api/error.h"

namespace nearhub::registry {

namespace {

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// Decodes one UTF-8 sequence at `at` (the input is valid UTF-8: it came through the JSON
// parser or the form decoder); a stray byte is returned as itself.
char32_t next_code_point(std::string_view text, std::size_t& at) {
  const auto byte = static_cast<unsigned char>(text[at]);
  int length = 1;
  char32_t code = byte;
  if (byte >= 0xF0) {
    length = 4;
    code = byte & 0x07;
  } else if (byte >= 0xE0) {
    length = 3;
    code = byte & 0x0F;
  } else if (byte >= 0xC0) {
    length = 2;
    code = byte & 0x1F;
  }
  if (at + length > text.size()) length = 1;
  if (length == 1) {
    ++at;
    return byte;
  }
  for (int i = 1; i < length; ++i) {
    code = (code << 6) | (static_cast<unsigned char>(text[at + i]) & 0x3F);
  }
  at += length;
  return code;
}

// Characters Python's str.isprintable() refuses that can show up in names: controls, the
// no-break and other special spaces, format characters. Printed as escapes by repr().
bool python_unprintable(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0xA0) || c == 0xAD || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200F) || (c >= 0x2028 && c <= 0x202F) ||
         (c >= 0x205F && c <= 0x206F) || c == 0x3000 || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB);
}

}  // namespace

bool is_identifier(std::string_view text) {
  if (text.empty() || text == "." || text == "..") return false;
  for (char c : text) {
    if (!is_word_char(c) && c != '.') return false;
  }
  return true;
}

bool is_tag(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!is_word_char(c)) return false;
  }
  return true;
}

void check_identifier(std::string_view text) {
  if (text == "." || text == "..") {
    throw api::Error::http(
        400, fmt::format("Invalid identifier: {}. '.' and '..' are not names", python_repr(text)));
  }
  if (!is_identifier(text)) {
    throw api::Error::http(400, fmt::format("Invalid identifier: {}. Should match {}",
                                            python_repr(text), kIdentifierPattern));
  }
}

void check_tag(std::string_view text) {
  if (!is_tag(text)) {
    throw api::Error::http(
        400, fmt::format("Invalid tag: {}. Should match {}", python_repr(text), kTagPattern));
  }
}

void check_location(const EntryLocation& location) {
  check_identifier(location.namespace_);
  check_identifier(location.name);
  check_identifier(location.version);
}

std::string python_repr(std::string_view text) {
  const bool has_single = text.find('\'') != std::string_view::npos;
  const bool has_double = text.find('"') != std::string_view::npos;
  const char quote = has_single && !has_double ? '"' : '\'';
  std::string out(1, quote);
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t start = at;
    const char32_t c = next_code_point(text, at);
    if (c == '\\' || c == static_cast<char32_t>(quote)) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (python_unprintable(c)) {
      out += c <= 0xFF ? fmt::format("\\x{:02x}", static_cast<unsigned>(c))
                       : fmt::format("\\u{:04x}", static_cast<unsigned>(c));
    } else {
      out.append(text.substr(start, at - start));
    }
  }
  out += quote;
  return out;
}

std::string python_repr_json(const nlohmann::ordered_json& value) {
  switch (value.type()) {
    case nlohmann::ordered_json::value_t::null:
      return "None";
    case nlohmann::ordered_json::value_t::boolean:
      return value.get<bool>() ? "True" : "False";
    case nlohmann::ordered_json::value_t::string:
      return python_repr(std::string_view(value.get_ref<const std::string&>()));
    case nlohmann::ordered_json::value_t::array: {
      std::string out = "[";
      for (const auto& item : value) {
        if (out.size() > 1) out += ", ";
        out += python_repr_json(item);
      }
      return out + "]";
    }
    case nlohmann::ordered_json::value_t::object: {
      std::string out = "{";
      for (const auto& [key, item] : value.items()) {
        if (out.size() > 1) out += ", ";
        out += python_repr(std::string_view(key)) + ": " + python_repr_json(item);
      }
      return out + "}";
    }
    default:
      return value.dump();
  }
}

std::string location_text(const EntryLocation& location) {
  return fmt::format("namespace={} name={} version={}", python_repr(location.namespace_),
                     python_repr(location.name), python_repr(location.version));
}

std::string not_found_detail(const EntryLocation& location) {
  return "Entry '" + location_text(location) + "' not found";
}

std::optional<std::string> normalize_path(std::string_view path) {
  if (path.empty() || path.front() == '/') return std::nullopt;
  if (path.find('\0') != std::string_view::npos || path.find('\\') != std::string_view::npos) {
    return std::nullopt;
  }
  std::string out;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    start = end + 1;
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") return std::nullopt;
    if (!out.empty()) out += '/';
    out.append(segment);
  }
  if (out.empty()) return std::nullopt;
  return out;
}

}  // namespace nearhub::registry
