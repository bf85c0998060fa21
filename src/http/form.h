#pragma once
// application/x-www-form-urlencoded bodies.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nearhub::http {

// Decoded (name, value) pairs in body order; '+' is a space, a name without '=' has an empty
// value. Never fails: undecodable escapes are kept as written.
std::vector<std::pair<std::string, std::string>> parse_urlencoded_form(std::string_view body);

}  // namespace nearhub::http
