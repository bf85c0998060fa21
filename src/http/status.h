#pragma once

#include <string_view>

namespace nearhub::http {

// The standard reason phrase of an HTTP status code ("Not Found"); "Unknown" for others.
std::string_view reason_phrase(int status);

}  // namespace nearhub::http
