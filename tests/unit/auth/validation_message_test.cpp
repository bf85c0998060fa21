#include "auth/validation_message.h"

#include <gtest/gtest.h>

namespace nearhub::auth {
namespace {

TEST(PythonRepr, WritesValuesAsPythonWould) {
  EXPECT_EQ(python_repr("abc"), "'abc'");
  EXPECT_EQ(python_repr("it's"), "\"it's\"");
  EXPECT_EQ(python_repr("a'b\"c"), "'a\\'b\"c'");
  EXPECT_EQ(python_repr("line\nbreak\\"), "'line\\nbreak\\\\'");
  EXPECT_EQ(python_repr(nullptr), "None");
  EXPECT_EQ(python_repr(true), "True");
  EXPECT_EQ(python_repr(12), "12");
  EXPECT_EQ(python_repr(nlohmann::json::array({1, "x"})), "[1, 'x']");
  EXPECT_EQ(python_repr(nlohmann::json{{"a", nullptr}}), "{'a': None}");
}

TEST(PythonRepr, CutsLongValuesInTheMiddleLikePydantic) {
  const std::string long_text(100, 'x');
  const std::string repr = python_repr(long_text);
  EXPECT_EQ(repr, "'" + std::string(24, 'x') + "..." + std::string(23, 'x') + "'");
  EXPECT_EQ(python_repr(std::string(48, 'y')).size(), 50u);  // 50 characters are kept whole
}

TEST(PythonRepr, NeverCutsInsideAUtf8Character) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "\xc3\xa9";  // é
  const std::string repr = python_repr(text);
  EXPECT_TRUE(nlohmann::json(repr).dump().size() > 0);  // valid UTF-8, or dump would throw
}

TEST(PythonRepr, SurvivesDeepNesting) {
  const auto deep = nlohmann::json::parse(std::string(10'000, '[') + std::string(10'000, ']'));
  EXPECT_TRUE(python_repr(deep).starts_with("[[[["));
}

TEST(ValidationMessage, HasPydanticsShape) {
  EXPECT_EQ(validation_message("RawAuthToken", {{"nonce", "Value error, Nonce is in the future",
                                                 "value_error", "9999999999999"}}),
            "1 validation error for RawAuthToken: nonce. Value error, Nonce is in the future "
            "[type=value_error, input_value='9999999999999', input_type=str]");
  EXPECT_EQ(validation_message("M", {{"", "Input should be an object", "model_type", 3},
                                     {"x", "Field required", "missing", 3}}),
            "2 validation errors for M: Input should be an object [type=model_type, "
            "input_value=3, input_type=int]");
}

}  // namespace
}  // namespace nearhub::auth
