// The inference endpoints against the fake OpenAI-compatible provider (tests/support/fake_openai):
// every endpoint, what reaches the provider, usage rows, and bad input.

#include <gtest/gtest.h>

#include <memory>

#include "auth/credentials.h"
#include "e2e/support/inference_support.h"
#include "e2e/support/tokens.h"
#include "fake_openai/fake_openai_server.h"

namespace nearhub::e2e {
namespace {

using Json = nlohmann::json;

class InferenceEndpoints : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    fake_ = std::make_unique<testing::FakeOpenAiServer>(
        testing::FakeOpenAiOptions{.models = {"test-model", "embed-model"}, .api_key = "sk-local"});
    server_ = std::make_unique<ServerProcess>(
        inference_server_options("[inference]\n"
                                 "default_provider = \"local\"\n"
                                 "[providers.local]\n"
                                 "base_url = \"" +
                                     fake_->base_url() +
                                     "\"\n"
                                     "api_key_env = \"E2E_LOCAL_KEY\"\n",
                                 {{"E2E_LOCAL_KEY", "sk-local"},
                                  {"NEARHUB_INFERENCE_DEFAULT_IMAGE_MODEL", "local::test-model"}}));
  }
  static void TearDownTestSuite() {
    server_.reset();
    fake_.reset();
  }

 protected:
  void SetUp() override { fake_->clear_failures(); }
  static Client client() { return Client(server_->base_url()); }
  Reply post(const std::string& path, const Json& body, const auth::NearCredentials& who) const {
    return client().post(path, body.dump(), bearer(sign_token(who)));
  }
  static std::size_t received(const std::string& path) {
    std::size_t n = 0;
    for (const auto& r : fake_->received()) n += r.path == path;
    return n;
  }

  static inline std::unique_ptr<testing::FakeOpenAiServer> fake_;
  static inline std::unique_ptr<ServerProcess> server_;
  auth::NearCredentials alice_ = auth::generate_implicit_credentials();
};

TEST_F(InferenceEndpoints, ModelsAreListedWithProviderPrefixWithoutAuth) {
  const Reply reply = client().get("/v1/models");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const Json body = reply.json();
  EXPECT_EQ(body["object"], "list");
  ASSERT_EQ(body["data"].size(), 2u);
  EXPECT_EQ(body["data"][0]["id"], "local::test-model");
  EXPECT_EQ(body["data"][1]["id"], "local::embed-model");
  EXPECT_EQ(body["data"][0]["object"], "model");
  // Cached: a second call does not ask the provider again.
  const std::size_t asked = received("/v1/models");
  EXPECT_EQ(client().get("/v1/models").status, 200);
  EXPECT_EQ(received("/v1/models"), asked);
}

TEST_F(InferenceEndpoints, ChatCompletionReachesTheProviderNormalizedAndIsRecorded) {
  const Reply reply =
      post("/v1/chat/completions",
           {{"model", "local::test-model"},
            {"messages", {{{"role", "user"}, {"content", "hello world"}, {"name", "dropped"}}}}},
           alice_);
  ASSERT_EQ(reply.status, 200) << reply.body;
  const Json body = reply.json();
  EXPECT_EQ(body["object"], "chat.completion");
  EXPECT_EQ(body["choices"][0]["message"]["content"], "echo: hello world");

  const auto sent = fake_->received().back();
  EXPECT_EQ(sent.path, "/v1/chat/completions");
  EXPECT_EQ(sent.authorization, "Bearer sk-local");
  const Json upstream = Json::parse(sent.body);
  EXPECT_EQ(upstream["model"], "test-model");
  EXPECT_EQ(upstream["messages"], Json::parse(R"([{"role":"user","content":"hello world"}])"));
  EXPECT_EQ(upstream["max_tokens"], 1024);
  EXPECT_FALSE(upstream.contains("provider"));

  const auto rows = usage_rows(*server_, alice_.account_id);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].endpoint, "/chat/completions");
  EXPECT_EQ(rows[0].provider, "local");
  EXPECT_EQ(rows[0].model, "test-model");
  EXPECT_EQ(Json::parse(rows[0].query),
            Json::parse(R"([{"role":"user","content":"hello world"}])"));
  EXPECT_EQ(Json::parse(rows[0].response)["id"], body["id"]);
  EXPECT_EQ(rows[0].prompt_tokens, body["usage"]["prompt_tokens"].get<std::int64_t>());
  EXPECT_EQ(rows[0].completion_tokens, body["usage"]["completion_tokens"].get<std::int64_t>());
  EXPECT_GT(rows[0].total_tokens, 0);
}

TEST_F(InferenceEndpoints, BareModelGoesToTheDefaultProvider) {
  const Reply reply =
      post("/v1/chat/completions",
           {{"model", "test-model"}, {"messages", {{{"role", "user"}, {"content", 42}}}}}, alice_);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json()["choices"][0]["message"]["content"], "echo: 42");
}

TEST_F(InferenceEndpoints, Completions) {
  const Reply reply =
      post("/v1/completions", {{"model", "local::test-model"}, {"prompt", "hi there"}}, alice_);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json()["choices"][0]["text"], "echo: hi there");
  const auto rows = usage_rows(*server_, alice_.account_id);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].endpoint, "/completions");
  EXPECT_EQ(rows[0].query, R"({"value":"hi there"})");
  EXPECT_GT(rows[0].total_tokens, 0);
}

TEST_F(InferenceEndpoints, Embeddings) {
  const Reply reply =
      post("/v1/embeddings", {{"model", "local::embed-model"}, {"input", {"a b", "c"}}}, alice_);
  ASSERT_EQ(reply.status, 200) << reply.body;
  const Json body = reply.json();
  ASSERT_EQ(body["data"].size(), 2u);
  EXPECT_EQ(body["data"][0]["embedding"].size(), 8u);
  EXPECT_TRUE(body["data"][0]["embedding"][0].is_number());
  const auto rows = usage_rows(*server_, alice_.account_id);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].endpoint, "/embeddings");
  EXPECT_EQ(rows[0].query, R"({"value":"['a b', 'c']"})");
}

TEST_F(InferenceEndpoints, ImagesUseTheDefaultImageModelWhenNoneIsGiven) {
  for (const Json& request :
       {Json{{"prompt", "a cat"}}, Json{{"prompt", "a cat"}, {"model", nullptr}},
        Json{{"prompt", "a cat"}, {"model", ""}}}) {
    const Reply reply = post("/v1/images/generations", request, alice_);
    ASSERT_EQ(reply.status, 200) << reply.body;
    const Json body = reply.json();
    ASSERT_EQ(body["data"].size(), 1u);
    EXPECT_FALSE(body["data"][0]["b64_json"].get<std::string>().empty());
    EXPECT_TRUE(body["data"][0]["url"].is_null());
    EXPECT_TRUE(body["data"][0]["revised_prompt"].is_null());
    const Json sent = Json::parse(fake_->received().back().body);
    EXPECT_EQ(sent["model"], "test-model");
    EXPECT_EQ(sent["prompt"], "a cat");
  }
  const auto rows = usage_rows(*server_, alice_.account_id, 3);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].endpoint, "/images/generations");
  // Image-to-image is refused with the original's error shape, before any upstream call.
  const std::size_t before = received("/v1/images/generations");
  const Reply refused =
      post("/v1/images/generations", {{"prompt", "x"}, {"init_image", "AAAA"}}, alice_);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.json()["detail"].get<std::string>().rfind(
                "Image generation failed: Image generation failed: ", 0),
            0u);
  EXPECT_EQ(received("/v1/images/generations"), before);
}

TEST_F(InferenceEndpoints, AnImageAnswerWithoutUsableImagesIsAClear400) {
  for (const char* answer : {R"({"data":[],"finish_reason":null})",
                             R"({"data":[{"b64_json":"AAAA"},7],"finish_reason":7})",
                             R"({"data":null,"finish_reason":"content_filter"})"}) {
    fake_->fail_next("/v1/images/generations", 200, answer);
    const Reply reply = post("/v1/images/generations", {{"prompt", "a cat"}}, alice_);
    EXPECT_EQ(reply.status, 400) << answer << " " << reply.body;
    EXPECT_EQ(reply.json()["detail"].get<std::string>().rfind(
                  "Image generation failed: Image generation failed: No return image, ", 0),
              0u)
        << reply.body;
  }
}

TEST_F(InferenceEndpoints, BadInputIs422AndReachesNothing) {
  const std::size_t before = fake_->received().size();
  const std::vector<std::pair<std::string, Json>> bad = {
      {"/v1/chat/completions", {{"model", "local::test-model"}}},  // no messages
      {"/v1/chat/completions", {{"messages", "hi"}}},
      {"/v1/chat/completions", {{"messages", Json::array({{{"content", "no role"}}})}}},
      {"/v1/chat/completions",
       {{"messages", Json::array({{{"role", "user"}, {"content", "x"}}})},
        {"temperature", nullptr}}},
      {"/v1/chat/completions",
       {{"messages", Json::array({{{"role", "user"}, {"content", "x"}}})},
        {"response_format", {{"type", "xml"}}}}},
      // [REC] of §4.2.1: each endpoint has its own schema (the original answered 500 here).
      {"/v1/completions", {{"messages", Json::array({{{"role", "user"}, {"content", "x"}}})}}},
      {"/v1/completions", {{"prompt", 5}}},
      {"/v1/embeddings", {{"input", 5}}},
      {"/v1/embeddings", {{"model", "local::embed-model"}}},
      {"/v1/images/generations", {{"model", "local::test-model"}}},
  };
  for (const auto& [path, body] : bad) {
    const Reply reply = post(path, body, alice_);
    EXPECT_EQ(reply.status, 422) << path << " " << body.dump() << " -> " << reply.body;
    if (reply.status == 422) {
      EXPECT_EQ(reply.json()["status_code"], 422);
      EXPECT_TRUE(reply.json()["message"].is_string());
    }
  }
  // Without a token: 403 first, whatever the body.
  const Reply anonymous = client().post("/v1/chat/completions", "{}");
  EXPECT_EQ(anonymous.status, 403);
  EXPECT_EQ(anonymous.json()["detail"], "Authorization required");
  EXPECT_EQ(fake_->received().size(), before);
  EXPECT_TRUE(usage_rows(*server_, alice_.account_id, 1, std::chrono::milliseconds(200)).empty());
}

TEST_F(InferenceEndpoints, ModelAndProviderErrors) {
  const Json messages = Json::array({{{"role", "user"}, {"content", "x"}}});
  auto detail = [&](const Reply& r) { return r.json()["detail"].get<std::string>(); };
  Reply reply =
      post("/v1/chat/completions", {{"model", "local::nope"}, {"messages", messages}}, alice_);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(detail(reply), "Model not supported");
  reply = post("/v1/completions", {{"model", "local::nope"}, {"prompt", "x"}}, alice_);
  EXPECT_EQ(reply.status, 400);  // the original answered 500
  EXPECT_EQ(detail(reply), "Model not supported");
  reply = post("/v1/chat/completions", {{"model", "a::b::c"}, {"messages", messages}}, alice_);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(detail(reply), "Invalid model or provider");
  reply = post("/v1/chat/completions", {{"model", "other::m"}, {"messages", messages}}, alice_);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(detail(reply), "Provider not supported");
  reply = post("/v1/embeddings", {{"model", "fireworks::e"}, {"input", "x"}}, alice_);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(detail(reply), "Provider not supported");
  // No model at all, and the default chat model (fireworks::…) is not configured here.
  reply = post("/v1/chat/completions", {{"messages", messages}}, alice_);
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(detail(reply).find("inference.default_*model"), std::string::npos) << reply.body;
  EXPECT_TRUE(usage_rows(*server_, alice_.account_id, 1, std::chrono::milliseconds(200)).empty());
}

TEST_F(InferenceEndpoints, UsageRowsBelongToTheCaller) {
  auth::NearCredentials bob = auth::generate_implicit_credentials();
  ASSERT_EQ(post("/v1/completions", {{"model", "local::test-model"}, {"prompt", "a"}}, bob).status,
            200);
  EXPECT_EQ(usage_rows(*server_, bob.account_id).size(), 1u);
  EXPECT_TRUE(usage_rows(*server_, alice_.account_id, 1, std::chrono::milliseconds(200)).empty());
}

}  // namespace
}  // namespace nearhub::e2e
