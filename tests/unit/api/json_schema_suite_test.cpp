// Runs the official JSON-Schema-Test-Suite (Debian package json-schema-test-suite, draft 7) for
// the keywords the validator supports, with no coercion: plain JSON Schema semantics. A test group
// whose schema uses any keyword outside the subset is skipped, decided by reading the schema, so
// a keyword is never claimed without being tested against the suite.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/validator.h"

namespace nearhub::api {
namespace {

using nlohmann::json;

const std::filesystem::path kSuite = "/usr/share/json-schema-test-suite/tests/draft7";

bool in_subset(const json& schema);

bool all_in_subset(const json& schemas) {
  if (schemas.is_array()) {
    return std::all_of(schemas.begin(), schemas.end(), [](const json& s) { return in_subset(s); });
  }
  for (const auto& [name, sub] : schemas.items()) {
    if (!in_subset(sub)) return false;
  }
  return true;
}

// True when every keyword of `schema`, at every depth, is one the validator implements.
bool in_subset(const json& schema) {
  static const std::set<std::string> plain = {"type",    "enum",    "minLength",  "maxLength",
                                              "minimum", "maximum", "pattern",    "required",
                                              "default", "title",   "description"};
  if (schema.is_boolean()) return true;
  if (!schema.is_object()) return false;
  for (const auto& [keyword, value] : schema.items()) {
    if (plain.count(keyword)) continue;
    if (keyword == "format" && value == "date-time") continue;
    if (keyword == "properties" && value.is_object() && all_in_subset(value)) continue;
    if (keyword == "anyOf" && value.is_array() && all_in_subset(value)) continue;
    if ((keyword == "items" || keyword == "additionalProperties") && in_subset(value)) continue;
    return false;
  }
  return true;
}

class JsonSchemaSuite : public testing::TestWithParam<std::string> {};

TEST_P(JsonSchemaSuite, ValidatesLikeTheSpecification) {
  const auto file = kSuite / (GetParam() + ".json");
  std::ifstream in(file);
  ASSERT_TRUE(in) << "missing " << file << " (apt-get install json-schema-test-suite)";
  const json groups = json::parse(in);
  int run = 0;
  for (const auto& group : groups) {
    if (!in_subset(group["schema"])) continue;
    for (const auto& test : group["tests"]) {
      SCOPED_TRACE(group["description"].get<std::string>() + " / " +
                   test["description"].get<std::string>());
      json data = test["data"];
      ValidationErrors errors;
      validate(data, group["schema"], {}, errors, Coercion::None);
      EXPECT_EQ(errors.empty(), test["valid"].get<bool>()) << errors.message();
      ++run;
    }
  }
  // Every listed keyword file has groups inside the subset; none may be skipped entirely.
  EXPECT_GT(run, 0) << "no case of " << file << " was run";
  RecordProperty("cases", run);
}

INSTANTIATE_TEST_SUITE_P(Draft7, JsonSchemaSuite,
                         testing::Values("type", "properties", "required", "items", "enum",
                                         "minLength", "maxLength", "minimum", "maximum", "pattern",
                                         "additionalProperties", "anyOf", "default",
                                         "boolean_schema"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace nearhub::api
