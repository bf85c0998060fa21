#pragma once
// JSON text the way every response is written: UTF-8 kept as is (the original does not escape
// non-ASCII), invalid UTF-8 replaced rather than thrown on.

#include <string>

#include <nlohmann/json.hpp>

namespace nearhub::util {

inline std::string dump_json(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

inline std::string dump_json(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace nearhub::util
