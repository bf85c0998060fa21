#pragma once
// Validates and coerces request inputs against the JSON Schema subset the routes use:
// type (string, integer, number, boolean, object, array, null, and lists of types), properties,
// required, items, enum, minLength, maxLength, minimum, maximum, pattern, format date-time,
// additionalProperties (schema or bool), anyOf, default. Unknown keys are ignored (spec §1.4).
// Failures throw api::Error::validation with the location and reason of the first field at fault.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/route.h"

namespace nearhub::api {

// Checks `value` against `schema`; `location` is the path shown in the error, e.g. {"body"}.
// Fills defaults of missing object properties in place.
void validate(nlohmann::json& value, const nlohmann::json& schema,
              const std::vector<std::string>& location);

// Converts a query/path/header string to the schema's type with the original's lax rules
// (ints from decimal strings, booleans from true/false/1/0/yes/no/on/off/t/f/y/n, ...).
nlohmann::json coerce_parameter(std::string_view raw, const nlohmann::json& schema,
                                const std::vector<std::string>& location);

}  // namespace nearhub::api
