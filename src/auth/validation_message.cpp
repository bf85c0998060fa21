#include "auth/validation_message.h"

#include <cstdio>

namespace nearhub::auth {
namespace {

constexpr std::size_t kMaxReprCharacters = 50;
// Deeper values are shown as "..."; this also bounds the recursion on hostile input.
constexpr int kMaxReprDepth = 32;

std::string repr_string(const std::string& text) {
  // Python prefers single quotes, and switches to double quotes to avoid escaping a quote.
  const bool double_quoted =
      text.find('\'') != std::string::npos && text.find('"') == std::string::npos;
  const char quote = double_quoted ? '"' : '\'';
  std::string out(1, quote);
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == quote || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      char escaped[5];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  out += quote;
  return out;
}

std::string full_repr(const nlohmann::json& value, int depth = 0) {
  if (depth > kMaxReprDepth) return "...";
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return "None";
    case nlohmann::json::value_t::boolean:
      return value.get<bool>() ? "True" : "False";
    case nlohmann::json::value_t::string:
      return repr_string(value.get_ref<const std::string&>());
    case nlohmann::json::value_t::array: {
      std::string out = "[";
      for (const auto& item : value) {
        if (out.size() > 1) out += ", ";
        out += full_repr(item, depth + 1);
      }
      return out + "]";
    }
    case nlohmann::json::value_t::object: {
      std::string out = "{";
      for (const auto& [key, item] : value.items()) {
        if (out.size() > 1) out += ", ";
        out += repr_string(key) + ": " + full_repr(item, depth + 1);
      }
      return out + "}";
    }
    default:
      return value.dump();
  }
}

std::string python_type_name(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return "NoneType";
    case nlohmann::json::value_t::boolean:
      return "bool";
    case nlohmann::json::value_t::string:
      return "str";
    case nlohmann::json::value_t::array:
      return "list";
    case nlohmann::json::value_t::object:
      return "dict";
    case nlohmann::json::value_t::number_float:
      return "float";
    default:
      return "int";
  }
}

// Splits UTF-8 text into characters so that a cut never lands inside one.
std::vector<std::string_view> utf8_characters(std::string_view text) {
  std::vector<std::string_view> characters;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t length = 1;
    while (i + length < text.size() &&
           (static_cast<unsigned char>(text[i + length]) & 0xc0) == 0x80) {
      ++length;
    }
    characters.push_back(text.substr(i, length));
    i += length;
  }
  return characters;
}

}  // namespace

std::string python_repr(const nlohmann::json& value) {
  const std::string repr = full_repr(value);
  const auto characters = utf8_characters(repr);
  if (characters.size() <= kMaxReprCharacters) return repr;
  std::string cut;
  for (std::size_t i = 0; i < 25; ++i) cut += characters[i];
  cut += "...";
  for (std::size_t i = characters.size() - 24; i < characters.size(); ++i) cut += characters[i];
  return cut;
}

std::string validation_message(std::string_view model, const std::vector<FieldError>& errors) {
  const FieldError& first = errors.front();
  std::string text = std::to_string(errors.size()) +
                     (errors.size() == 1 ? " validation error for " : " validation errors for ");
  text += model;
  text += ": ";
  if (!first.field.empty()) text += first.field + ". ";
  text += first.message + " [type=" + first.type + ", input_value=" + python_repr(first.input) +
          ", input_type=" + python_type_name(first.input) + "]";
  return text;
}

}  // namespace nearhub::auth
