// The validator's lax coercions and its pydantic-style error list (spec/platform.md §1.3, §1.4).

#include "api/validator.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/error.h"

namespace nearhub::api {
namespace {

using nlohmann::json;

// The 422 message for `value` against `schema` at location {"body"}; "" when valid.
std::string body_errors(json& value, const json& schema) {
  ValidationErrors errors;
  validate(value, schema, {"body"}, errors);
  return errors.empty() ? "" : errors.message();
}

std::string body_errors(json&& value, const json& schema) { return body_errors(value, schema); }

const json kNonceBody = {
    {"type", "object"},
    {"properties", {{"nonce", {{"type", "string"}, {"minLength", 32}, {"maxLength", 32}}}}},
    {"required", {"nonce"}}};

TEST(ValidatorMessages, MissingFieldShowsTheObjectAsInput) {
  EXPECT_EQ(body_errors(json::object(), kNonceBody),
            "[{'type': 'missing', 'loc': ('body', 'nonce'), 'msg': 'Field required', "
            "'input': {}}]");
}

TEST(ValidatorMessages, StringTooShortHasContext) {
  EXPECT_EQ(body_errors({{"nonce", "abc"}}, kNonceBody),
            "[{'type': 'string_too_short', 'loc': ('body', 'nonce'), 'msg': 'String should have "
            "at least 32 characters', 'input': 'abc', 'ctx': {'min_length': 32}}]");
}

TEST(ValidatorMessages, SingularCharacter) {
  EXPECT_EQ(body_errors("", {{"type", "string"}, {"minLength", 1}}),
            "[{'type': 'string_too_short', 'loc': ('body',), 'msg': 'String should have at least "
            "1 character', 'input': '', 'ctx': {'min_length': 1}}]");
}

TEST(ValidatorMessages, QueryIntThatIsNotANumber) {
  ValidationErrors errors;
  coerce_parameter("x", {{"type", "integer"}}, {"query", "limit"}, errors);
  EXPECT_EQ(errors.message(),
            "[{'type': 'int_parsing', 'loc': ('query', 'limit'), 'msg': 'Input should be a valid "
            "integer, unable to parse string as an integer', 'input': 'x'}]");
}

TEST(ValidatorMessages, PythonReprOfInputs) {
  const json schema = {{"type", "integer"}};
  EXPECT_NE(body_errors("it's", schema).find("'input': \"it's\""), std::string::npos);
  EXPECT_NE(body_errors("a'b\"c", schema).find(R"('input': 'a\'b"c')"), std::string::npos);
  EXPECT_NE(body_errors("line\nnext\t\x01", schema).find(R"('input': 'line\nnext\t\x01')"),
            std::string::npos);
  EXPECT_NE(body_errors("naïve", schema).find("'input': 'naïve'"), std::string::npos);
  EXPECT_NE(body_errors(json::array({nullptr, true, false, 1.5, {{"k", "v"}}}), schema)
                .find("'input': [None, True, False, 1.5, {'k': 'v'}]"),
            std::string::npos);
}

TEST(ValidatorMessages, ReportsEveryFailureNotJustTheFirst) {
  const json schema = {{"type", "object"},
                       {"properties",
                        {{"limit", {{"type", "integer"}, {"maximum", 100}}},
                         {"name", {{"type", "string"}}},
                         {"tags", {{"type", "array"}, {"items", {{"type", "string"}}}}}}},
                       {"required", {"name", "limit"}}};
  json body = {{"limit", 500}, {"tags", {"a", 7}}};
  ValidationErrors errors;
  validate(body, schema, {"body"}, errors);
  ASSERT_EQ(errors.entries().size(), 3u);
  EXPECT_EQ(errors.entries()[0].type, "less_than_equal");
  EXPECT_EQ(errors.entries()[1].type, "missing");
  EXPECT_EQ(errors.entries()[2].type, "string_type");
  EXPECT_NE(errors.message().find("'loc': ('body', 'tags', 1)"), std::string::npos);
  EXPECT_NE(errors.message().find("'msg': 'Input should be less than or equal to 100', "
                                  "'input': 500, 'ctx': {'le': 100}"),
            std::string::npos);
}

TEST(ValidatorMessages, ThrowingFormIsA422ValidationError) {
  json body = json::object();
  try {
    validate(body, kNonceBody, std::vector<std::string>{"body"});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), Error::Kind::Validation);
    EXPECT_EQ(error.status(), 422);
    EXPECT_EQ(error.message().substr(0, 18), "[{'type': 'missing");
  }
}

TEST(ValidatorBody, NumericStringsBecomeNumbers) {
  json body = {{"n", "42"}, {"x", " 2.5 "}, {"z", "7.00"}};
  const json schema = {
      {"type", "object"},
      {"properties",
       {{"n", {{"type", "integer"}}}, {"x", {{"type", "number"}}}, {"z", {{"type", "integer"}}}}}};
  EXPECT_EQ(body_errors(body, schema), "");
  EXPECT_EQ(body, json({{"n", 42}, {"x", 2.5}, {"z", 7}}));
}

TEST(ValidatorBody, IntIsNotAString) {
  EXPECT_NE(body_errors(5, {{"type", "string"}}).find("'type': 'string_type'"), std::string::npos);
}

TEST(ValidatorBody, FractionalFloatIsNotAnInt) {
  EXPECT_NE(body_errors(1.5, {{"type", "integer"}})
                .find("'msg': 'Input should be a valid integer, got a number with a fractional "
                      "part'"),
            std::string::npos);
  json whole = 3.0;
  EXPECT_EQ(body_errors(whole, {{"type", "integer"}}), "");
  EXPECT_TRUE(whole.is_number_integer());
}

TEST(ValidatorBody, NonFiniteNumbersAreRejected) {
  EXPECT_NE(body_errors("inf", {{"type", "number"}}).find("finite_number"), std::string::npos);
  EXPECT_NE(body_errors("abc", {{"type", "number"}}).find("float_parsing"), std::string::npos);
}

TEST(ValidatorBody, DefaultsFillMissingProperties) {
  json body = json::object();
  const json schema = {{"type", "object"},
                       {"properties", {{"order", {{"type", "string"}, {"default", "desc"}}}}}};
  EXPECT_EQ(body_errors(body, schema), "");
  EXPECT_EQ(body, json({{"order", "desc"}}));
}

TEST(ValidatorBody, UnknownKeysAreIgnoredUnlessForbidden) {
  const json open = {{"type", "object"}, {"properties", {{"a", {{"type", "string"}}}}}};
  EXPECT_EQ(body_errors({{"a", "x"}, {"b", 1}}, open), "");
  json closed = open;
  closed["additionalProperties"] = false;
  EXPECT_EQ(body_errors({{"a", "x"}, {"b", 1}}, closed),
            "[{'type': 'extra_forbidden', 'loc': ('body', 'b'), 'msg': 'Extra inputs are not "
            "permitted', 'input': 1}]");
}

TEST(ValidatorBody, AdditionalPropertiesSchemaChecksEveryValue) {
  const json metadata = {{"type", "object"}, {"additionalProperties", {{"type", "string"}}}};
  EXPECT_EQ(body_errors({{"k", "v"}}, metadata), "");
  EXPECT_NE(body_errors({{"k", "v"}, {"n", 3}}, metadata).find("'loc': ('body', 'n')"),
            std::string::npos);
}

TEST(ValidatorBody, EnumListsTheExpectedValues) {
  EXPECT_EQ(body_errors("up", {{"type", "string"}, {"enum", {"asc", "desc"}}}),
            "[{'type': 'enum', 'loc': ('body',), 'msg': \"Input should be 'asc' or 'desc'\", "
            "'input': 'up', 'ctx': {'expected': \"'asc' or 'desc'\"}}]");
  EXPECT_NE(body_errors("x", {{"enum", {"a", "b", "c"}}}).find("'a', 'b' or 'c'"),
            std::string::npos);
}

TEST(ValidatorBody, PatternIsSearchedNotAnchored) {
  const json schema = {{"type", "string"}, {"pattern", "^[a-z]+$"}};
  EXPECT_EQ(body_errors("abc", schema), "");
  EXPECT_EQ(body_errors("ab1", schema),
            "[{'type': 'string_pattern_mismatch', 'loc': ('body',), 'msg': \"String should match "
            "pattern '^[a-z]+$'\", 'input': 'ab1', 'ctx': {'pattern': '^[a-z]+$'}}]");
  EXPECT_EQ(body_errors("xx1yy", {{"pattern", "[0-9]"}}), "");
}

TEST(ValidatorBody, MinimumReportsGreaterThanEqual) {
  EXPECT_NE(body_errors(0, {{"type", "integer"}, {"minimum", 1}})
                .find("'msg': 'Input should be greater than or equal to 1', 'input': 0, "
                      "'ctx': {'ge': 1}"),
            std::string::npos);
}

TEST(ValidatorBody, LengthCountsCodePoints) {
  EXPECT_EQ(body_errors("ééé", {{"type", "string"}, {"maxLength", 3}}), "");
}

TEST(ValidatorBody, BooleansAcceptPydanticWords) {
  json yes = "Yes";
  EXPECT_EQ(body_errors(yes, {{"type", "boolean"}}), "");
  EXPECT_EQ(yes, true);
  EXPECT_NE(body_errors(2, {{"type", "boolean"}}).find("bool_parsing"), std::string::npos);
  EXPECT_NE(body_errors(json::array(), {{"type", "boolean"}}).find("bool_type"), std::string::npos);
}

TEST(ValidatorUnions, OptionalAcceptsNullAndReportsOnlyTheType) {
  const json optional_int = {{"anyOf", {{{"type", "integer"}}, {{"type", "null"}}}}};
  EXPECT_EQ(body_errors(nullptr, optional_int), "");
  json converted = "12";
  EXPECT_EQ(body_errors(converted, optional_int), "");
  EXPECT_EQ(converted, 12);
  EXPECT_EQ(body_errors("x", optional_int),
            "[{'type': 'int_parsing', 'loc': ('body',), 'msg': 'Input should be a valid integer, "
            "unable to parse string as an integer', 'input': 'x'}]");
  EXPECT_EQ(body_errors(nullptr, {{"type", {"string", "null"}}}), "");
}

TEST(ValidatorUnions, ExactTypeWinsOverConversion) {
  json value = "5";
  EXPECT_EQ(body_errors(value, {{"anyOf", {{{"type", "integer"}}, {{"type", "string"}}}}}), "");
  EXPECT_EQ(value, "5");
}

TEST(ValidatorUnions, EachMemberIsReportedUnderItsName) {
  const std::string message =
      body_errors(json::array(), {{"anyOf", {{{"type", "string"}}, {{"type", "integer"}}}}});
  EXPECT_NE(message.find("'loc': ('body', 'str')"), std::string::npos) << message;
  EXPECT_NE(message.find("'loc': ('body', 'int')"), std::string::npos) << message;
}

TEST(ValidatorDateTimes, IsoIsNormalizedAndOffsetsKept) {
  const json schema = {{"type", "string"}, {"format", "date-time"}};
  const std::pair<const char*, const char*> cases[] = {
      {"2025-01-01T12:00:00", "2025-01-01T12:00:00"},
      {"2025-01-01 12:00", "2025-01-01T12:00:00"},
      {"2025-01-01T12:00:00.5Z", "2025-01-01T12:00:00.500000Z"},
      {"2025-01-01T12:00:00+0200", "2025-01-01T12:00:00+02:00"},
      {"2025-01-01", "2025-01-01T00:00:00"},
      {"1735732800", "2025-01-01T12:00:00Z"},
  };
  for (const auto& [given, normalized] : cases) {
    json value = given;
    EXPECT_EQ(body_errors(value, schema), "") << given;
    EXPECT_EQ(value, normalized) << given;
  }
}

TEST(ValidatorDateTimes, UnixNumbersInSecondsOrMilliseconds) {
  const json schema = {{"type", "string"}, {"format", "date-time"}};
  json seconds = 1735732800.25;
  EXPECT_EQ(body_errors(seconds, schema), "");
  EXPECT_EQ(seconds, "2025-01-01T12:00:00.250000Z");
  json millis = 1735732800000;
  EXPECT_EQ(body_errors(millis, schema), "");
  EXPECT_EQ(millis, "2025-01-01T12:00:00Z");
  json before_1970 = -86400;
  EXPECT_EQ(body_errors(before_1970, schema), "");
  EXPECT_EQ(before_1970, "1969-12-31T00:00:00Z");
}

TEST(ValidatorDateTimes, InvalidDatesSayWhy) {
  const json schema = {{"type", "string"}, {"format", "date-time"}};
  EXPECT_EQ(body_errors("2025-02-30", schema),
            "[{'type': 'datetime_parsing', 'loc': ('body',), 'msg': 'Input should be a valid "
            "datetime, day value is outside expected range', 'input': '2025-02-30', 'ctx': "
            "{'error': 'day value is outside expected range'}}]");
  EXPECT_NE(body_errors("last monday", schema).find("invalid character in year"),
            std::string::npos);
  EXPECT_NE(body_errors("2025-01-01T10:00:00junk", schema).find("extra characters"),
            std::string::npos);
  EXPECT_NE(body_errors(true, schema).find("datetime_type"), std::string::npos);
  EXPECT_EQ(body_errors(nullptr, {{"type", {"string", "null"}}, {"format", "date-time"}}), "");
}

TEST(ValidatorParameters, QueryBooleans) {
  const json schema = {{"type", "boolean"}};
  for (const char* yes : {"true", "1", "YES", "on", "t", "Y"}) {
    EXPECT_EQ(coerce_parameter(yes, schema, std::vector<std::string>{"query", "b"}), true) << yes;
  }
  for (const char* no : {"False", "0", "no", "OFF", "f", "n"}) {
    EXPECT_EQ(coerce_parameter(no, schema, std::vector<std::string>{"query", "b"}), false) << no;
  }
  EXPECT_THROW(coerce_parameter("maybe", schema, std::vector<std::string>{"query", "b"}), Error);
}

TEST(ValidatorParameters, QueryIntegers) {
  EXPECT_EQ(coerce_parameter("-17", {{"type", "integer"}}, std::vector<std::string>{"query", "n"}),
            -17);
  EXPECT_THROW(coerce_parameter("1.5", {{"type", "integer"}}, std::vector<std::string>{"query"}),
               Error);
}

Route route_with_parameters() {
  Route route;
  route.params = {
      {"limit", ParamLocation::Query, {{"type", "integer"}, {"default", 100}}, false},
      {"order", ParamLocation::Query, {{"type", "string"}}, false},
      {"name", ParamLocation::Query, {{"type", "string"}}, true},
      {"tag", ParamLocation::Query, {{"type", "array"}, {"items", {{"type", "string"}}}}, false},
      {"thread_id", ParamLocation::Path},
      {"x_request_kind", ParamLocation::Header, {{"type", "string"}}, false},
  };
  return route;
}

TEST(ValidatorParameters, ReadsEveryLocationWithDefaults) {
  http::Request request;
  request.query_string = "name=a%20b&tag=x&tag=y";
  request.path_params["thread_id"] = "thread_1";
  request.headers.add("X-Request-Kind", "test");
  ValidationErrors errors;
  const json params = read_parameters(route_with_parameters(), request, errors);
  EXPECT_TRUE(errors.empty()) << errors.message();
  EXPECT_EQ(params, json({{"limit", 100},
                          {"order", nullptr},
                          {"name", "a b"},
                          {"tag", {"x", "y"}},
                          {"thread_id", "thread_1"},
                          {"x_request_kind", "test"}}));
}

TEST(ValidatorParameters, MissingAndBadParametersAreAllReported) {
  http::Request request;
  request.query_string = "limit=lots";
  request.path_params["thread_id"] = "t";
  ValidationErrors errors;
  read_parameters(route_with_parameters(), request, errors);
  EXPECT_EQ(errors.message(),
            "[{'type': 'int_parsing', 'loc': ('query', 'limit'), 'msg': 'Input should be a valid "
            "integer, unable to parse string as an integer', 'input': 'lots'}, {'type': "
            "'missing', 'loc': ('query', 'name'), 'msg': 'Field required', 'input': None}]");
}

}  // namespace
}  // namespace nearhub::api
