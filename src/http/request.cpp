#include "http/request.h"

#include "util/url.h"

namespace nearhub::http {
namespace {

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x == y) continue;
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

void Headers::add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

void Headers::set(std::string name, std::string value) {
  std::erase_if(fields_, [&](const auto& field) { return equals_ignore_case(field.first, name); });
  fields_.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& [field_name, value] : fields_) {
    if (equals_ignore_case(field_name, name)) return std::string_view(value);
  }
  return std::nullopt;
}

std::optional<std::string> Request::query(std::string_view name) const {
  for (auto& [key, value] : util::parse_query(query_string)) {
    if (key == name) return std::move(value);
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> Request::query_params() const {
  return util::parse_query(query_string);
}

// Follows Starlette's cookie_parser: "; "-separated pairs, a chunk without '=' is a value with
// an empty name, the last occurrence of a name wins.
std::optional<std::string> Request::cookie(std::string_view name) const {
  std::optional<std::string_view> found;
  for (const auto& [field_name, header] : headers.all()) {
    if (!equals_ignore_case(field_name, "cookie")) continue;
    std::string_view rest = header;
    while (!rest.empty()) {
      std::size_t semicolon = rest.find(';');
      std::string_view chunk = rest.substr(0, semicolon);
      rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
      std::size_t eq = chunk.find('=');
      std::string_view key =
          eq == std::string_view::npos ? std::string_view() : chunk.substr(0, eq);
      std::string_view value = eq == std::string_view::npos ? chunk : chunk.substr(eq + 1);
      if (trim(key) == name) found = trim(value);
    }
  }
  if (!found) return std::nullopt;
  std::string_view value = *found;
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  return util::percent_decode(value);
}

}  // namespace nearhub::http
