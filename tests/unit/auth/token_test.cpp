#include "auth/token.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/error.h"

namespace nearhub::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::int64_t kNow = 1'722'875'700'000;  // shortly after the vectors' nonce

nlohmann::json token_json() {
  return {{"account_id", "alice.near"},
          {"public_key", "ed25519:2aPrik9S1qCnnfNo2doETrNa61ZaBwZYC8baschK5din"},
          {"signature", "c2ln"},
          {"message", "Test"},
          {"nonce", "1722875604184"}};
}

std::string parse_error(const std::string& credentials) {
  try {
    parse_token(credentials, kNow);
  } catch (const api::Error& error) {
    EXPECT_EQ(error.kind(), api::Error::Kind::Token);
    EXPECT_EQ(error.status(), 400);
    return error.message();
  }
  ADD_FAILURE() << "parsed: " << credentials;
  return "";
}

http::Request request_with(std::string name, std::string value) {
  http::Request request;
  request.headers.add(std::move(name), std::move(value));
  return request;
}

TEST(FindCredentials, ReadsABearerHeaderWithAnySchemeCase) {
  EXPECT_EQ(find_credentials(request_with("Authorization", "Bearer {\"a\": 1}")), "{\"a\": 1}");
  EXPECT_EQ(find_credentials(request_with("authorization", "bEARER x y")), "x y");
}

TEST(FindCredentials, TreatsOtherHeadersAsNoToken) {
  EXPECT_FALSE(find_credentials(http::Request{}));
  EXPECT_FALSE(find_credentials(request_with("Authorization", "Bearer")));
  EXPECT_FALSE(find_credentials(request_with("Authorization", "Bearer ")));
  EXPECT_FALSE(find_credentials(request_with("Authorization", "Basic dXNlcjpwYXNz")));
  EXPECT_FALSE(find_credentials(request_with("Authorization", " Bearer x")));
}

TEST(FindCredentials, FallsBackToTheAuthCookie) {
  auto request = request_with("Cookie", "theme=dark; auth=%7B%22a%22%3A%201%7D");
  EXPECT_EQ(find_credentials(request), "{\"a\": 1}");
  request.headers.add("Authorization", "Bearer header-wins");
  EXPECT_EQ(find_credentials(request), "header-wins");
  EXPECT_FALSE(find_credentials(request_with("Cookie", "auth=")));
}

TEST(ParseToken, ReadsFieldsAndDefaults) {
  const Token token = parse_token(token_json().dump(), kNow);
  EXPECT_EQ(token.account_id, "alice.near");
  EXPECT_EQ(token.message, "Test");
  EXPECT_EQ(token.nonce, "00000000000000000001722875604184");
  EXPECT_EQ(token.recipient, "ai.near");
  EXPECT_FALSE(token.callback_url);
  EXPECT_FALSE(token.on_behalf_of);
  EXPECT_FALSE(token.runner_data);
}

TEST(ParseToken, ReadsOptionalFieldsAndIgnoresUnknownOnes) {
  auto json = token_json();
  json["recipient"] = "test.near";
  json["callback_url"] = "";
  json["on_behalf_of"] = "bob.near";
  json["runner_data"] = R"({"agent": "a/b/1"})";
  json["something_else"] = {1, 2};
  const Token token = parse_token(json.dump(), kNow);
  EXPECT_EQ(token.recipient, "test.near");
  EXPECT_EQ(token.callback_url, "");
  EXPECT_EQ(token.on_behalf_of, "bob.near");
  EXPECT_EQ(token.runner_data, R"({"agent": "a/b/1"})");
  const Token payload_token = parse_token(json.dump(), kNow);
  EXPECT_EQ(payload_token.payload().callback_url, "");
}

TEST(ParseToken, AcceptsNullForNullableFields) {
  auto json = token_json();
  json["callback_url"] = nullptr;
  json["on_behalf_of"] = nullptr;
  EXPECT_FALSE(parse_token(json.dump(), kNow).callback_url);
}

TEST(ParseToken, DeletesEveryBearerPrefix) {
  EXPECT_EQ(parse_token("Bearer " + token_json().dump(), kNow).account_id, "alice.near");
  auto json = token_json();
  json["message"] = "Bearer xBearer y";
  EXPECT_EQ(parse_token(json.dump(), kNow).message, "xy");  // [QUIRK] reproduced
}

TEST(ParseToken, KeepsA32DigitNonceAsIs) {
  auto json = token_json();
  json["nonce"] = "00000000000000000001722875604184";
  EXPECT_EQ(parse_token(json.dump(), kNow).nonce, "00000000000000000001722875604184");
}

TEST(ParseToken, ReportsAMissingField) {
  auto json = token_json();
  json.erase("signature");
  const std::string message = parse_error(json.dump());
  EXPECT_THAT(message, StartsWith("1 validation error for RawAuthToken: signature. Field required "
                                  "[type=missing, input_value={'account_id': 'alice.nea..."));
  EXPECT_THAT(message, HasSubstr("..."));
  EXPECT_THAT(message, HasSubstr(", input_type=dict]"));
}

TEST(ParseToken, CountsEveryError) {
  const std::string message = parse_error(R"({"account_id": 5})");
  EXPECT_EQ(message,
            "5 validation errors for RawAuthToken: account_id. Input should be a valid string "
            "[type=string_type, input_value=5, input_type=int]");
}

TEST(ParseToken, RejectsANumericNonce) {
  auto json = token_json();
  json["nonce"] = 1722875604184;
  EXPECT_EQ(parse_error(json.dump()),
            "1 validation error for RawAuthToken: nonce. Input should be a valid string "
            "[type=string_type, input_value=1722875604184, input_type=int]");
}

TEST(ParseToken, RejectsWrongTypesForOptionalFields) {
  auto json = token_json();
  json["callback_url"] = 1;
  EXPECT_THAT(parse_error(json.dump()), StartsWith("1 validation error for RawAuthToken: "
                                                   "callback_url. Input should be a valid string"));
  json = token_json();
  json["recipient"] = nullptr;
  EXPECT_THAT(parse_error(json.dump()), HasSubstr("recipient. Input should be a valid string"));
}

TEST(ParseToken, ReportsInvalidJson) {
  const std::string message = parse_error("{not json");
  EXPECT_THAT(message, StartsWith("1 validation error for RawAuthToken: Invalid JSON: "));
  EXPECT_THAT(message, HasSubstr("[type=json_invalid, input_value='{not json', input_type=str]"));
}

TEST(ParseToken, RejectsJsonThatIsNotAnObject) {
  EXPECT_EQ(parse_error("[1]"),
            "1 validation error for RawAuthToken: Input should be an object [type=model_type, "
            "input_value=[1], input_type=list]");
}

std::string nonce_error(const std::string& nonce, std::int64_t now = kNow) {
  auto json = token_json();
  json["nonce"] = nonce;
  try {
    parse_token(json.dump(), now);
  } catch (const api::Error& error) {
    return error.message();
  }
  return "accepted";
}

TEST(ParseToken, AppliesTheNonceRules) {
  EXPECT_EQ(nonce_error("9999999999999"),
            "1 validation error for RawAuthToken: nonce. Value error, Nonce is in the future "
            "[type=value_error, input_value='9999999999999', input_type=str]");
  EXPECT_THAT(nonce_error(std::string(33, '1')),
              HasSubstr("nonce. Value error, Invalid nonce length"));
  EXPECT_THAT(nonce_error(std::string(32, '9')), HasSubstr("Nonce is in the future"));
  EXPECT_THAT(nonce_error("1000000000000"), HasSubstr("Nonce is too old"));
  EXPECT_THAT(nonce_error(""), HasSubstr("Nonce is too old"));
  EXPECT_THAT(nonce_error("17228756_4184"),
              HasSubstr("Value error, invalid literal for int() with base 10: "
                        "'000000000000000000017228756_4184'"));
  EXPECT_THAT(nonce_error(" 1722875604184"), HasSubstr("invalid literal for int()"));
  EXPECT_EQ(nonce_error(std::to_string(kNow)), "accepted");
  EXPECT_THAT(nonce_error(std::to_string(kNow + 1)), HasSubstr("Nonce is in the future"));
}

TEST(ParseToken, NonceMayBeTenYearsOldButNoOlder) {
  constexpr std::int64_t kTenYears = 315'360'000'000;
  EXPECT_EQ(nonce_error(std::to_string(kNow - kTenYears)), "accepted");
  EXPECT_THAT(nonce_error(std::to_string(kNow - kTenYears - 1)), HasSubstr("Nonce is too old"));
}

TEST(CheckNonce, PadsAndRechecksAge) {
  EXPECT_EQ(check_nonce("1722875604184", kNow), "00000000000000000001722875604184");
  EXPECT_EQ(check_nonce("00000000000000000001722875604184", kNow),
            "00000000000000000001722875604184");
  EXPECT_THROW(check_nonce("00000000000000000001722875604184", kNow + 315'360'000'000), api::Error);
}

}  // namespace
}  // namespace nearhub::auth
