#pragma once
// URL text decoding shared by query strings, form bodies, cookies and request paths.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nearhub::util {

// Decodes %XX escapes. A '%' not followed by two hex digits is kept as is (like Python's
// urllib.parse.unquote), so malformed input never fails.
std::string percent_decode(std::string_view text);

// Like percent_decode, but '+' means a space first (application/x-www-form-urlencoded).
std::string form_decode(std::string_view text);

// Splits "a=1&b=&c" into decoded (name, value) pairs in order: '+' is a space, a pair without
// '=' has an empty value, empty pairs are skipped (Python's parse_qsl(keep_blank_values=True)).
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);

// Percent-encodes every byte outside RFC 3986 unreserved characters (and '/' when keep_slash).
std::string percent_encode(std::string_view text, bool keep_slash = false);

}  // namespace nearhub::util
