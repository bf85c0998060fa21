#include "auth/token_signer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "auth/token.h"
#include "unit/auth/test_files.h"

namespace nearhub::auth {
namespace {

const NearCredentials kVectorB{
    "dev.near", *SecretKey::parse(
                    "ed25519:5j4jxNMwYim8phkmCJtPu8792ocAPHV6F3d9V4soJUoUXj5nUxAWmgg71VqW3rYU7aFYv"
                    "rhsaEGvy6Pnrtrw9rkQ")};

TEST(MakeToken, ReproducesVectorBInTheCliKeyOrder) {
  TokenRequest request;
  request.message = "Test";
  request.recipient = "test.near";
  request.callback_url = "https://near.ai";
  request.nonce = "1722875604184";
  EXPECT_EQ(
      make_token(kVectorB, request),
      R"({"account_id":"dev.near",)"
      R"("public_key":"ed25519:D7okgamWraWASEVYUUfAXhLtU5ehbuVVC4GSqntE7bjE",)"
      R"("signature":"TGRZUlGLWUhTbI23XeS9cPik8UX1PAtXblmya0hW2Piz5yjsDEB9yr1OqClKKiPjpKrtSfPiQjZL6Bp2WB3YBg==",)"
      R"("callback_url":"https://near.ai","message":"Test","recipient":"test.near",)"
      R"("nonce":"1722875604184"})");
}

TEST(MakeToken, WritesNullCallbackAndOptionalOnBehalfOf) {
  TokenRequest request;
  request.nonce = "1722875604184";
  request.on_behalf_of = "bob.near";
  const auto token = nlohmann::ordered_json::parse(make_token(kVectorB, request));
  EXPECT_TRUE(token["callback_url"].is_null());
  EXPECT_EQ(token["message"], "Welcome to NEAR AI Hub!");
  EXPECT_EQ(token["recipient"], "ai.near");
  EXPECT_EQ(token.back(), "bob.near");
  EXPECT_EQ(std::prev(token.end()).key(), "on_behalf_of");
}

TEST(MakeToken, ProducesTokensThatVerify) {
  const auto credentials = generate_implicit_credentials();
  TokenRequest request;
  request.nonce = "1722875604184";
  const Token token = parse_token(make_token(credentials, request), 1'722'875'700'000);
  EXPECT_EQ(token.account_id, credentials.account_id);
  EXPECT_TRUE(verify_nep413(token.payload(), token.public_key, token.signature));
}

TEST(MakeToken, RefusesAnOverlongNonce) {
  TokenRequest request;
  request.nonce = std::string(33, '1');
  EXPECT_THROW(make_token(kVectorB, request), std::invalid_argument);
}

TEST(Credentials, RoundTripThroughAFile) {
  const nearhub::testing::TempDir dir;
  const auto credentials = generate_implicit_credentials();
  const auto path = dir.write("c.json", credentials_json(credentials));
  const auto loaded = load_credentials(path);
  EXPECT_EQ(loaded.account_id, credentials.account_id);
  EXPECT_EQ(loaded.secret_key.to_string(), credentials.secret_key.to_string());
  const auto json = nlohmann::json::parse(credentials_json(credentials));
  EXPECT_EQ(json["public_key"], credentials.secret_key.public_key().to_string());
  EXPECT_EQ(json["account_id"].get<std::string>().size(), 64u);
}

TEST(Credentials, AcceptsTheSecretKeySpelling) {
  const nearhub::testing::TempDir dir;
  const auto path = dir.write(
      "c.json",
      nlohmann::json{{"account_id", "dev.near"}, {"secret_key", kVectorB.secret_key.to_string()}}
          .dump());
  EXPECT_EQ(load_credentials(path).secret_key.public_key(), kVectorB.secret_key.public_key());
}

TEST(Credentials, RefusesBadFiles) {
  const nearhub::testing::TempDir dir;
  const std::string key = kVectorB.secret_key.to_string();
  EXPECT_THROW(load_credentials(dir.file("missing.json")), std::runtime_error);
  EXPECT_THROW(load_credentials(dir.write("a.json", "nope")), std::runtime_error);
  EXPECT_THROW(load_credentials(dir.write("b.json", R"({"private_key": ")" + key + "\"}")),
               std::runtime_error);
  EXPECT_THROW(load_credentials(dir.write("c.json", R"({"account_id": "a", "private_key": "x"})")),
               std::runtime_error);
  EXPECT_THROW(
      load_credentials(dir.write(
          "d.json",
          R"({"account_id": "a", "public_key": "ed25519:2aPrik9S1qCnnfNo2doETrNa61ZaBwZYC8baschK5din", "private_key": ")" +
              key + "\"}")),
      std::runtime_error);
}

}  // namespace
}  // namespace nearhub::auth
