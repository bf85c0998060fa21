// Hub-signed completions end to end (spec §2.8, §3, §4.8): a nearhub with a signing key and a
// trusted runner key, in front of the fake provider. The signature in system_fingerprint must
// verify with the key POST /v1/get_agent_public_key publishes, over the §3.2 payload rebuilt
// from the request; other callers get the provider's fingerprint untouched; a hub without a key
// refuses to hand out agent keys.

#include <gtest/gtest.h>

#include <memory>

#include "auth/credentials.h"
#include "auth/keys.h"
#include "auth/sha256.h"
#include "e2e/support/inference_support.h"
#include "e2e/support/tokens.h"
#include "inference/completion_signer.h"
#include "support/fake_openai/fake_openai_server.h"
#include "util/url.h"

namespace nearhub::e2e {
namespace {

using Json = nlohmann::json;

// Test vector B's secret key (spec §2.4); vector C derives from it.
constexpr const char* kHubKey =
    "ed25519:"
    "5j4jxNMwYim8phkmCJtPu8792ocAPHV6F3d9V4soJUoUXj5nUxAWmgg71VqW3rYU7aFYvrhsaEGvy6Pnrtrw9rkQ";
constexpr const char* kVectorCAgentKey = "ed25519:AEsMFu8ieEshMvcdyABVuqpQzqha9wiyLjyjRF2pSYLW";
constexpr const char* kAgent = "alice.near/my-agent/0.0.1";

std::string provider_toml(const testing::FakeOpenAiServer& fake) {
  return "[providers.local]\nbase_url = \"" + fake.base_url() + "\"\n";
}

// A token whose runner_data names `agent` and `runner_api_key` (runner_data is not part of the
// signed NEP-413 payload, so it is added after signing, as the runner does).
std::string runner_token(const auth::NearCredentials& who, const std::string& agent,
                         const std::string& runner_api_key) {
  return tamper(sign_token(who), "runner_data",
                Json{{"agent", agent}, {"runner_api_key", runner_api_key}}.dump());
}

class SignedCompletions : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    fake_ = std::make_unique<testing::FakeOpenAiServer>();
    server_ = std::make_unique<ServerProcess>(inference_server_options(
        provider_toml(*fake_), {{"E2E_HUB_SIGNING_KEY", kHubKey},
                                {"NEARHUB_INFERENCE_HUB_PRIVATE_KEY_ENV", "E2E_HUB_SIGNING_KEY"},
                                {"NEARHUB_AUTH_TRUSTED_RUNNER_API_KEYS", "runner-a,runner-b"}}));
  }
  static void TearDownTestSuite() {
    server_.reset();
    fake_.reset();
  }

 protected:
  static Client client() { return Client(server_->base_url()); }
  static Reply chat(const std::string& token, const Json& body) {
    return client().post("/v1/chat/completions", body.dump(), bearer(token));
  }
  static Json request(const std::string& content) {
    return {{"model", "local::test-model"},
            {"messages", {{{"role", "user"}, {"content", content}}}},
            {"temperature", 0.25},
            {"max_tokens", 64}};
  }

  static inline std::unique_ptr<testing::FakeOpenAiServer> fake_;
  static inline std::unique_ptr<ServerProcess> server_;
  auth::NearCredentials runner_ = auth::generate_implicit_credentials();
};

TEST_F(SignedCompletions, PublishesTheDerivedAgentKey) {
  const Reply reply =
      client().post("/v1/get_agent_public_key?agent_name=" + util::percent_encode(kAgent));
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json(), kVectorCAgentKey);
  // No token needed, and a garbage one is not even read (auth none, spec §4.8).
  EXPECT_EQ(
      client().post("/v1/get_agent_public_key?agent_name=x", "", bearer("not a token")).status,
      200);
  const Reply missing = client().post("/v1/get_agent_public_key");
  EXPECT_EQ(missing.status, 422) << missing.body;
  EXPECT_EQ(missing.json()["status_code"], 422);
}

TEST_F(SignedCompletions, ATrustedRunnersCompletionIsSignedForItsAgent) {
  const Reply reply = chat(runner_token(runner_, kAgent, "runner-b"), request("héllo wörld"));
  ASSERT_EQ(reply.status, 200) << reply.body;
  const Json body = reply.json();
  const std::string fingerprint_text = body["system_fingerprint"];
  // Python json.dumps text: these exact separators, key order and ASCII-only escapes.
  EXPECT_EQ(fingerprint_text.rfind("{\"response\": \"echo: h\\u00e9llo w\\u00f6rld\", "
                                   "\"signature\": \"",
                                   0),
            0u)
      << fingerprint_text;
  const Json fingerprint = Json::parse(fingerprint_text);
  EXPECT_EQ(fingerprint["response"], body["choices"][0]["message"]["content"]);
  EXPECT_EQ(fingerprint["public_key"], kVectorCAgentKey);

  // What an agent's verifier does: rebuild the payload from its own request and verify.
  const auto payload = inference::signature_payload({.agent_name = kAgent,
                                                     .model = "local::test-model",
                                                     .messages = {{"user", "héllo wörld"}},
                                                     .temperature = 0.25,
                                                     .max_tokens = 64,
                                                     .completion = "echo: héllo wörld"});
  ASSERT_TRUE(payload);
  const auto key = auth::PublicKey::parse(fingerprint["public_key"].get<std::string>());
  const auto signature = auth::parse_signature(fingerprint["signature"].get<std::string>());
  ASSERT_TRUE(key && signature);
  EXPECT_TRUE(key->verify(auth::sha256(*payload), *signature));
}

TEST_F(SignedCompletions, OtherCallersGetTheProvidersFingerprint) {
  auto fingerprint = [&](const std::string& token, Json body = request("hi")) {
    const Reply reply = chat(token, body);
    EXPECT_EQ(reply.status, 200) << reply.body;
    return reply.json()["system_fingerprint"];
  };
  EXPECT_EQ(fingerprint(sign_token(runner_)), "fp_fake");                        // no runner_data
  EXPECT_EQ(fingerprint(runner_token(runner_, kAgent, "runner-c")), "fp_fake");  // untrusted
  EXPECT_EQ(fingerprint(runner_token(runner_, "", "runner-a")), "fp_fake");      // no agent
  Json list_content = request("hi");
  list_content["messages"][0]["content"] = {{{"type", "text"}, {"text", "hi"}}};
  EXPECT_EQ(fingerprint(runner_token(runner_, kAgent, "runner-a"), list_content), "fp_fake");
  // A streamed chat is never signed: no chunk carries a hub signature.
  Json streamed = request("hi");
  streamed["stream"] = true;
  const Reply stream = chat(runner_token(runner_, kAgent, "runner-a"), streamed);
  ASSERT_EQ(stream.status, 200);
  EXPECT_EQ(stream.body.find("signature"), std::string::npos);
  EXPECT_NE(stream.body.find("data: [DONE]"), std::string::npos);
}

TEST(SignedCompletionsWithoutKey, RefusesToSignOrPublishKeys) {
  testing::FakeOpenAiServer fake;
  // The setting names a variable nobody sets, whatever the environment of the test runner.
  ServerProcess server(inference_server_options(
      provider_toml(fake), {{"NEARHUB_INFERENCE_HUB_PRIVATE_KEY_ENV", "E2E_UNSET_HUB_KEY"},
                            {"NEARHUB_AUTH_TRUSTED_RUNNER_API_KEYS", "runner-a"}}));
  Client client(server.base_url());
  const Reply key = client.post("/v1/get_agent_public_key?agent_name=a");
  EXPECT_EQ(key.status, 503);
  EXPECT_NE(key.json()["detail"].get<std::string>().find("inference.hub_private_key_env"),
            std::string::npos)
      << key.body;
  const auto runner = auth::generate_implicit_credentials();
  const Reply reply = client.post(
      "/v1/chat/completions",
      Json{{"model", "local::test-model"}, {"messages", {{{"role", "user"}, {"content", "x"}}}}}
          .dump(),
      bearer(runner_token(runner, kAgent, "runner-a")));
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json()["system_fingerprint"], "fp_fake");
}

TEST(SignedCompletionsWithoutKey, AMalformedKeyStopsTheStartUp) {
  testing::FakeOpenAiServer fake;
  EXPECT_THROW(
      ServerProcess(inference_server_options(
          provider_toml(fake), {{"E2E_BAD_HUB_KEY", "ed25519:notakey"},
                                {"NEARHUB_INFERENCE_HUB_PRIVATE_KEY_ENV", "E2E_BAD_HUB_KEY"}})),
      std::exception);
}

}  // namespace
}  // namespace nearhub::e2e
