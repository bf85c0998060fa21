#pragma once
// The id that ties a request to its log lines: the client's X-Request-ID when it is sane,
// otherwise a fresh one.

#include <optional>
#include <string>
#include <string_view>

namespace nearhub::http {

// 1 to 128 visible ASCII characters: safe to log and to echo in a header.
bool is_sane_request_id(std::string_view id);

// 32 random hex digits.
std::string generate_request_id();

std::string choose_request_id(std::optional<std::string_view> incoming);

}  // namespace nearhub::http
