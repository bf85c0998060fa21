#pragma once
// Validates and coerces request inputs against the JSON Schema subset the routes use:
// type (string, integer, number, boolean, object, array, null, and lists of types), properties,
// required, items (one schema), enum, minLength, maxLength, minimum, maximum, pattern,
// format "date-time", additionalProperties (schema or bool), anyOf, default, and the boolean
// schemas true/false. Other keywords (title, description, ...) are ignored, and so are unknown
// object keys unless additionalProperties forbids them (spec/platform.md §1.4).
//
// Like pydantic, every failure of an input is reported, not just the first: errors are collected
// in a ValidationErrors list whose message() is the Python repr the original sends in its 422
// body (spec §1.3), e.g.
//   [{'type': 'missing', 'loc': ('body', 'nonce'), 'msg': 'Field required', 'input': {}}]
//
// Date-times are normalized: a valid value becomes the string YYYY-MM-DDTHH:MM:SS[.ffffff][offset],
// where the offset is kept as given ("Z", "+hh:mm", or none for a naive time); a Unix timestamp
// (seconds, or milliseconds above 2e10 as in pydantic) becomes UTC with "Z"; a bare date
// becomes midnight. Handlers therefore parse one format only.

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/route.h"
#include "http/request.h"

namespace nearhub::api {

// How far a value may be converted to fit its schema.
enum class Coercion {
  Lax,   // pydantic v2 lax mode, as the original: numeric strings for numbers, "yes" for true...
  None,  // plain JSON Schema (draft 7) semantics: the value must already have the right type
};

// One step of an error location: a name, or an array index (printed without quotes).
using LocationPart = std::variant<std::string, std::size_t>;
using Location = std::vector<LocationPart>;

class ValidationErrors {
 public:
  struct Entry {
    std::string type;  // pydantic's error type, e.g. "string_too_short"
    Location loc;
    std::string msg;
    nlohmann::json input;  // the offending value; null prints as None
    nlohmann::json ctx;    // an object of details, or null when the error type has none
  };

  void add(Entry entry) { entries_.push_back(std::move(entry)); }
  bool empty() const { return entries_.empty(); }
  const std::vector<Entry>& entries() const { return entries_; }

  // The list as Python repr, the `message` of the 422 body.
  std::string message() const;
  // Throws Error::validation(message()) when anything failed.
  void throw_if_any() const;

 private:
  std::vector<Entry> entries_;
};

// Checks `value` against `schema`, converting it in place where `coercion` allows and filling
// the defaults of missing object properties. Failures are appended to `errors` with locations
// below `location` (e.g. {"body"}).
void validate(nlohmann::json& value, const nlohmann::json& schema, const Location& location,
              ValidationErrors& errors, Coercion coercion = Coercion::Lax);

// The same, throwing Error::validation with every failure.
void validate(nlohmann::json& value, const nlohmann::json& schema,
              const std::vector<std::string>& location);

// Converts one query/path/header string to the schema's type with the lax rules (ints from
// decimal strings, booleans from true/false/1/0/yes/no/on/off/t/f/y/n, ...). On failure the
// error is appended and the raw string is returned.
nlohmann::json coerce_parameter(std::string_view raw, const nlohmann::json& schema,
                                const Location& location, ValidationErrors& errors);

// The same, throwing Error::validation on failure.
nlohmann::json coerce_parameter(std::string_view raw, const nlohmann::json& schema,
                                const std::vector<std::string>& location);

// Reads every parameter `route` declares from `request` (query string, path segments, headers;
// a header named foo_bar is also looked up as foo-bar, as FastAPI does) and returns
// {"name": value}. Array-typed query parameters collect every occurrence. A missing optional
// parameter takes its schema's default, or null; a missing required one is a 'missing' error.
nlohmann::json read_parameters(const Route& route, const http::Request& request,
                               ValidationErrors& errors);

}  // namespace nearhub::api
