#include "http/header_params.h"

#include <cctype>

namespace nearhub::http {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Reads a quoted-string starting after the opening quote; backslash escapes the next character.
std::string read_quoted(std::string_view text, std::size_t& i) {
  std::string out;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      ++i;
      break;
    }
    if (c == '\\' && i + 1 < text.size()) c = text[++i];
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::optional<std::string_view> HeaderValue::param(std::string_view name) const {
  for (const auto& [key, value] : params) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

HeaderValue parse_header_value(std::string_view value) {
  HeaderValue result;
  std::size_t semicolon = value.find(';');
  result.token = lower(trim(value.substr(0, semicolon)));
  if (semicolon == std::string_view::npos) return result;
  std::size_t i = semicolon + 1;
  while (i < value.size()) {
    while (i < value.size() && (is_space(value[i]) || value[i] == ';')) ++i;
    std::size_t name_start = i;
    while (i < value.size() && value[i] != '=' && value[i] != ';') ++i;
    std::string name = lower(trim(value.substr(name_start, i - name_start)));
    std::string param_value;
    if (i < value.size() && value[i] == '=') {
      ++i;
      while (i < value.size() && is_space(value[i])) ++i;
      if (i < value.size() && value[i] == '"') {
        ++i;
        param_value = read_quoted(value, i);
        while (i < value.size() && value[i] != ';') ++i;
      } else {
        std::size_t value_start = i;
        while (i < value.size() && value[i] != ';') ++i;
        param_value = std::string(trim(value.substr(value_start, i - value_start)));
      }
    }
    if (!name.empty()) result.params.emplace_back(std::move(name), std::move(param_value));
  }
  return result;
}

}  // namespace nearhub::http
