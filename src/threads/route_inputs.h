#pragma once
// What the threads and runs routes read from a call, written once for both route files.

#include <string>

#include <nlohmann/json.hpp>

#include "api/route.h"

namespace nearhub::threads {

// A required path parameter.
api::Param path_id(std::string name);

// The validated body with the client's key order (call.body is a plain json, which sorts
// keys): metadata keeps the order it was sent in. The bodies of these routes contain nothing the
// validator converts, so both hold the same values.
nlohmann::ordered_json ordered_body(const api::Call& call);

// A string parameter of the call (path or query), by name.
const std::string& text_param(const api::Call& call, const char* name);

}  // namespace nearhub::threads
