#include "inference/completion_signer.h"

#include <gtest/gtest.h>

#include "auth/sha256.h"
#include "util/base64.h"
#include "util/hex.h"

namespace nearhub::inference {
namespace {

// Test vector B's secret key is vector C's master key (spec/platform.md §2.4, §3.2).
const std::string kMasterKey =
    "ed25519:"
    "5j4jxNMwYim8phkmCJtPu8792ocAPHV6F3d9V4soJUoUXj5nUxAWmgg71VqW3rYU7aFYvrhsaEGvy6Pnrtrw9rkQ";
const std::string kAgent = "alice.near/my-agent/0.0.1";
const std::string kModel = "fireworks::accounts/fireworks/models/llama-v3p1-70b-instruct";
const std::string kDerivedPrivate =
    "ed25519:"
    "g1cpDBwy7fnVg7pXS2QXJZ3SyifcoYazfrDkfDiHcRg8Zq1wFFAwo46kVhJ8SFDE7c2uW4CRs77DKRUJBgLmpCv";
const std::string kDerivedPublic = "ed25519:AEsMFu8ieEshMvcdyABVuqpQzqha9wiyLjyjRF2pSYLW";
const std::string kBorshHex =
    "19000000616c6963652e6e6561722f6d792d6167656e742f302e302e31"
    "3c00000066697265776f726b733a3a6163636f756e74732f66697265776f726b732f6d6f64656c732f6c6c616d"
    "612d763370312d3730622d696e737472756374"
    "01000000040000007573657202000000"
    "4869"
    "01bc020000"
    "0100040000"
    "0600000048656c6c6f21";
const std::string kSha256Hex = "4186349a3c7f64558a66e1b9dd74547fe2030080687185d095608fe747cfe4b7";
const std::string kSignature =
    "L1OV7XJourkWME5UMOQgC4JNJLK6cQf7jZGqV72gdO9JwfavHMLLlJi/1fE3QqU46yED+k2ngZ+/O/x2ePPXCw==";

SignatureInput vector_c() {
  return {.agent_name = kAgent,
          .model = kModel,
          .messages = {{"user", "Hi"}},
          .temperature = 0.7,
          .max_tokens = 1024,
          .completion = "Hello!"};
}

auth::SecretKey::Seed master_seed() { return auth::SecretKey::parse(kMasterKey)->seed(); }

TEST(CompletionSigner, DerivesTheAgentKeyOfVectorC) {
  const auth::SecretKey key = derive_agent_key(master_seed(), kAgent);
  EXPECT_EQ(key.to_string(), kDerivedPrivate);
  EXPECT_EQ(key.public_key().to_string(), kDerivedPublic);
  EXPECT_EQ(CompletionSigner(kMasterKey).agent_public_key(kAgent), kDerivedPublic);
  EXPECT_NE(CompletionSigner(kMasterKey).agent_public_key("alice.near/other/0.0.1"),
            kDerivedPublic);
}

TEST(CompletionSigner, EmptyMasterExampleOfSection31) {
  // What the original hands out without HUB_PRIVATE_KEY: anyone can compute it ([BUG] of §3.1).
  EXPECT_EQ(derive_agent_key({}, kAgent).public_key().to_string(),
            "ed25519:6fH4zhA4TQHFufv53qY56GrkVH927G8Q4MKjb6XLSqQB");
}

TEST(CompletionSigner, BuildsTheBorshPayloadAndHashOfVectorC) {
  const auto payload = signature_payload(vector_c());
  ASSERT_TRUE(payload);
  EXPECT_EQ(util::hex_encode(*payload), kBorshHex);
  EXPECT_EQ(util::hex_encode(auth::sha256(*payload)), kSha256Hex);
}

TEST(CompletionSigner, SignsVectorCAsPythonJsonDumps) {
  const CompletionSigner signer(kMasterKey);
  ASSERT_TRUE(signer.configured());
  const auto fingerprint = signer.sign(vector_c());
  ASSERT_TRUE(fingerprint);
  EXPECT_EQ(*fingerprint, "{\"response\": \"Hello!\", \"signature\": \"" + kSignature +
                              "\", \"public_key\": \"" + kDerivedPublic + "\"}");
}

TEST(CompletionSigner, RefusesWithoutAConfiguredKey) {
  const CompletionSigner signer("");
  EXPECT_FALSE(signer.configured());
  EXPECT_FALSE(signer.sign(vector_c()));
  EXPECT_THROW(signer.agent_public_key(kAgent), std::logic_error);
}

TEST(CompletionSigner, RejectsAMalformedKeyAtConstruction) {
  EXPECT_THROW(CompletionSigner("ed25519:notbase58!"), std::invalid_argument);
  EXPECT_THROW(CompletionSigner("D7okgamWraWASEVYUUfAXhLtU5ehbuVVC4GSqntE7bjE"),
               std::invalid_argument);
  // A public key (32 bytes) is not a secret key (64 bytes).
  EXPECT_THROW(CompletionSigner("ed25519:D7okgamWraWASEVYUUfAXhLtU5ehbuVVC4GSqntE7bjE"),
               std::invalid_argument);
}

// The temperature field of a payload with empty strings and no messages: bytes 13..16.
std::optional<std::uint32_t> signed_temperature(double temperature) {
  const auto payload = signature_payload({.temperature = temperature});
  if (!payload) return std::nullopt;
  EXPECT_EQ((*payload)[12], 1);  // Some
  return (*payload)[13] | (*payload)[14] << 8 | (*payload)[15] << 16 |
         static_cast<std::uint32_t>((*payload)[16]) << 24;
}

TEST(CompletionSigner, RoundsTemperatureHalfToEvenLikePython) {
  // Expected values computed with Python 3: round(t * 1000).
  EXPECT_EQ(signed_temperature(0.0025), 2u);
  EXPECT_EQ(signed_temperature(0.0035), 4u);
  EXPECT_EQ(signed_temperature(0.0045), 4u);
  EXPECT_EQ(signed_temperature(0.0005), 0u);
  EXPECT_EQ(signed_temperature(1.0005), 1000u);
  EXPECT_EQ(signed_temperature(0.7), 700u);
  EXPECT_EQ(signed_temperature(0.0), 0u);
  EXPECT_EQ(signed_temperature(-0.0004), 0u);  // round gives -0, which Borsh takes as 0
  EXPECT_FALSE(signed_temperature(-0.0006));   // -1: the original's Borsh refuses it
  EXPECT_FALSE(signed_temperature(5e6));       // above u32
}

TEST(CompletionSigner, RefusesNegativeOrHugeMaxTokens) {
  SignatureInput input = vector_c();
  input.max_tokens = -1;
  EXPECT_FALSE(signature_payload(input));
  EXPECT_FALSE(CompletionSigner(kMasterKey).sign(input));
  input.max_tokens = 4294967296;
  EXPECT_FALSE(signature_payload(input));
  input.temperature = -1;
  input.max_tokens = 1;
  EXPECT_FALSE(CompletionSigner(kMasterKey).sign(input));
}

TEST(CompletionSigner, FingerprintEscapesLikePythonEnsureAscii) {
  // Expected text printed by Python 3's json.dumps for the same dict.
  EXPECT_EQ(
      system_fingerprint_text("h\xc3\xa9 \xf0\x9f\x98\x80 \"q\" \\ \x7f \x01 \n\t/", "s", "p"),
      R"({"response": "h\u00e9 \ud83d\ude00 \"q\" \\ \u007f \u0001 \n\t/", )"
      R"("signature": "s", "public_key": "p"})");
  EXPECT_EQ(system_fingerprint_text("", "", ""),
            R"({"response": "", "signature": "", "public_key": ""})");
}

TEST(CompletionSigner, SignatureOfANonAsciiCompletionVerifies) {
  SignatureInput input = vector_c();
  input.completion = "Grüße 👋";
  const auto fingerprint = CompletionSigner(kMasterKey).sign(input);
  ASSERT_TRUE(fingerprint);
  const auto parsed = nlohmann::json::parse(*fingerprint);
  EXPECT_EQ(parsed["response"], input.completion);  // \u escapes decode to the same text
  const auto key = auth::PublicKey::parse(parsed["public_key"].get<std::string>());
  const auto signature = auth::parse_signature(parsed["signature"].get<std::string>());
  ASSERT_TRUE(key && signature);
  EXPECT_TRUE(key->verify(auth::sha256(*signature_payload(input)), *signature));
  input.completion = "Grüße";
  EXPECT_FALSE(key->verify(auth::sha256(*signature_payload(input)), *signature));
}

// --- sign_chat_completion_if_trusted (spec §3.3) ---

api::Identity runner(const std::string& runner_data) {
  api::Identity identity;
  identity.account_id = "runner.near";
  identity.runner_data = runner_data;
  return identity;
}

const std::vector<std::string> kTrusted = {"other-key", "runner-key"};
const std::string kTrustedRunnerData =
    R"({"agent": "alice.near/my-agent/0.0.1", "runner_api_key": "runner-key"})";

nlohmann::json request_c() {
  return {{"model", kModel},
          {"messages", {{{"role", "user"}, {"content", "Hi"}}}},
          {"temperature", 0.7},
          {"max_tokens", 1024}};
}

nlohmann::json upstream_response(const nlohmann::json& content = "Hello!") {
  return {{"id", "x"},
          {"object", "chat.completion"},
          {"choices", {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", content}}}}}},
          {"system_fingerprint", "fp_upstream"}};
}

std::string signed_fingerprint(const api::Identity& caller, const nlohmann::json& request,
                               nlohmann::json response = upstream_response(),
                               const std::string& key = kMasterKey) {
  sign_chat_completion_if_trusted(CompletionSigner(key), caller, kTrusted, kModel, request,
                                  response);
  return response["system_fingerprint"];
}

TEST(SignChatCompletion, SignsForATrustedRunner) {
  nlohmann::json response = upstream_response();
  sign_chat_completion_if_trusted(CompletionSigner(kMasterKey), runner(kTrustedRunnerData),
                                  kTrusted, kModel, request_c(), response);
  EXPECT_EQ(response["system_fingerprint"], "{\"response\": \"Hello!\", \"signature\": \"" +
                                                kSignature + "\", \"public_key\": \"" +
                                                kDerivedPublic + "\"}");
  EXPECT_EQ(response["id"], "x");  // nothing else changes
  EXPECT_EQ(response["choices"][0]["message"]["content"], "Hello!");
}

TEST(SignChatCompletion, LeavesTheResponseAloneWhenItMustNotSign) {
  const std::string unsigned_fp = "fp_upstream";
  EXPECT_EQ(
      signed_fingerprint(runner(R"({"agent": "a/b/1", "runner_api_key": "nope"})"), request_c()),
      unsigned_fp);
  EXPECT_EQ(
      signed_fingerprint(runner(R"({"agent": "", "runner_api_key": "runner-key"})"), request_c()),
      unsigned_fp);
  EXPECT_EQ(signed_fingerprint(runner(R"({"runner_api_key": "runner-key"})"), request_c()),
            unsigned_fp);
  EXPECT_EQ(signed_fingerprint(runner("not json"), request_c()), unsigned_fp);
  EXPECT_EQ(signed_fingerprint(runner("[1, 2]"), request_c()), unsigned_fp);
  EXPECT_EQ(signed_fingerprint(api::Identity{.account_id = "alice.near"}, request_c()),
            unsigned_fp);
  nlohmann::json streaming = request_c();
  streaming["stream"] = true;
  EXPECT_EQ(signed_fingerprint(runner(kTrustedRunnerData), streaming), unsigned_fp);
  nlohmann::json negative = request_c();
  negative["temperature"] = -1.0;
  EXPECT_EQ(signed_fingerprint(runner(kTrustedRunnerData), negative), unsigned_fp);
  nlohmann::json list_content = request_c();
  list_content["messages"][0]["content"] = {{{"type", "text"}, {"text", "Hi"}}};
  EXPECT_EQ(signed_fingerprint(runner(kTrustedRunnerData), list_content), unsigned_fp);
  EXPECT_EQ(signed_fingerprint(runner(kTrustedRunnerData), request_c(), upstream_response(nullptr)),
            unsigned_fp);
  EXPECT_EQ(signed_fingerprint(runner(kTrustedRunnerData), request_c(), upstream_response(), ""),
            unsigned_fp);
  // A response without choices is not an error either.
  nlohmann::json odd = {{"system_fingerprint", "fp_upstream"}};
  EXPECT_NO_THROW(sign_chat_completion_if_trusted(CompletionSigner(kMasterKey),
                                                  runner(kTrustedRunnerData), kTrusted, kModel,
                                                  request_c(), odd));
  EXPECT_EQ(odd["system_fingerprint"], unsigned_fp);
}

TEST(SignChatCompletion, UsesTheRequestDefaultsForMissingValues) {
  // Missing temperature and max_tokens are the request model's defaults, 1.0 and 1024.
  nlohmann::json request = request_c();
  request.erase("temperature");
  request.erase("max_tokens");
  SignatureInput expected = vector_c();
  expected.temperature = 1.0;
  expected.max_tokens = 1024;
  EXPECT_EQ(signed_fingerprint(runner(kTrustedRunnerData), request),
            *CompletionSigner(kMasterKey).sign(expected));
  // An explicit null max_tokens is 0 (`int(request.max_tokens or 0)`).
  request["max_tokens"] = nullptr;
  expected.max_tokens = 0;
  EXPECT_EQ(signed_fingerprint(runner(kTrustedRunnerData), request),
            *CompletionSigner(kMasterKey).sign(expected));
}

TEST(SignChatCompletion, SignsNormalizedMessages) {
  // Scalar contents are signed as the original forwards them: Python's str() (spec §4.2.1).
  nlohmann::json request = request_c();
  request["messages"] = {{{"role", "system"}, {"content", nullptr}},
                         {{"role", "user"}, {"content", true}, {"name", "dropped"}}};
  SignatureInput expected = vector_c();
  expected.messages = {{"system", ""}, {"user", "True"}};
  EXPECT_EQ(signed_fingerprint(runner(kTrustedRunnerData), request),
            *CompletionSigner(kMasterKey).sign(expected));
}

}  // namespace
}  // namespace nearhub::inference
