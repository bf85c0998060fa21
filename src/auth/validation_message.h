#pragma once
// Error text in the shape of pydantic's, as the original hub returns it for a bad token
// (spec/platform.md §1.3): "<n> validation error(s) for <Model>: <field>. <msg> [type=<type>,
// input_value=<repr>, input_type=<type>]". Only the first error is shown, like the original,
// which keeps the first three lines of pydantic's text.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace nearhub::auth {

struct FieldError {
  std::string field;     // empty for an error about the whole input
  std::string message;   // e.g. "Field required", "Value error, Nonce is too old"
  std::string type;      // e.g. "missing", "value_error", "string_type"
  nlohmann::json input;  // the offending value, shown as Python would print it
};

// `errors` must not be empty.
std::string validation_message(std::string_view model, const std::vector<FieldError>& errors);

// Python's repr() of a JSON value ('text', None, True, {'k': 1}), cut in the middle past 50
// characters as pydantic does.
std::string python_repr(const nlohmann::json& value);

}  // namespace nearhub::auth
