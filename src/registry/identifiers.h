#pragma once
// Names in the registry and how the original hub prints them (spec/platform.md §6.1, §6.7):
// entry locations, the identifier and tag patterns, Python-repr error texts, and the relative
// file paths inside an entry.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace nearhub::registry {

struct EntryLocation {
  std::string namespace_;
  std::string name;
  std::string version;
};

inline constexpr std::string_view kIdentifierPattern = "^[a-zA-Z0-9_\\-.]+$";
inline constexpr std::string_view kTagPattern = "^[a-zA-Z0-9_\\-]+$";

bool is_identifier(std::string_view text);
bool is_tag(std::string_view text);

// Throw api::Error 400 with the original's text, e.g.
//   Invalid identifier: 'a/b'. Should match ^[a-zA-Z0-9_\-.]+$
// The pattern allows "." and "..", which would name the folder itself or its parent in a storage
// key; they are refused too (the original accepted them).
void check_identifier(std::string_view text);
void check_tag(std::string_view text);
// Namespace, then name, then version, as pydantic validates the fields.
void check_location(const EntryLocation& location);

// Python's repr() of a str: single quotes unless the text holds a ' and no ", backslash
// escapes for the quote, backslash and control characters; other characters as they are.
std::string python_repr(std::string_view text);
// Python's repr() of the value json.loads would give: {'origin': 'x', 'n': 1, 'ok': True}.
std::string python_repr_json(const nlohmann::ordered_json& value);

// The model text pydantic prints for an EntryLocation:
//   namespace='alice.near' name='x' version='1.0'
std::string location_text(const EntryLocation& location);

// "Entry '<location_text>' not found" — the 404 detail of every registry read.
std::string not_found_detail(const EntryLocation& location);

// A file path inside an entry, normalized: "./a//b.py" → "a/b.py". Nothing when the path is
// empty or could leave the entry: absolute, a ".." segment, a NUL or a backslash.
std::optional<std::string> normalize_path(std::string_view path);

}  // namespace nearhub::registry
