// Streamed completions: chunks reach the client while the provider is still producing, the stream
// ends with [DONE], a client that hangs up cancels the provider's stream (and is charged for what
// was generated until then), usage has real counts.

#include <gtest/gtest.h>

#include <memory>

#include "auth/credentials.h"
#include "e2e/support/inference_support.h"
#include "e2e/support/tokens.h"
#include "fake_openai/fake_openai_server.h"

namespace nearhub::e2e {
namespace {

using Json = nlohmann::json;

class InferenceStreaming : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    fake_ = std::make_unique<testing::FakeOpenAiServer>();
    server_ = std::make_unique<ServerProcess>(
        inference_server_options("[providers.local]\nbase_url = \"" + fake_->base_url() + "\"\n"));
  }
  static void TearDownTestSuite() {
    server_.reset();
    fake_.reset();
  }

 protected:
  void SetUp() override {
    fake_->clear_failures();
    fake_->set_stream_chunk_delay(std::chrono::milliseconds(0));
  }
  StreamReply stream(const std::string& path, const Json& body,
                     const std::function<bool(const std::string&)>& on_event = {}) {
    return post_stream(server_->base_url() + path, body.dump(), bearer(sign_token(alice_)),
                       on_event);
  }
  static Json chat(const std::string& text) {
    return {{"model", "local::test-model"},
            {"stream", true},
            {"messages", {{{"role", "user"}, {"content", text}}}}};
  }
  static std::string joined_content(const std::vector<std::string>& events) {
    std::string text;
    for (const std::string& e : events) {
      if (e == "[DONE]") continue;
      const Json chunk = Json::parse(e);
      if (chunk["choices"].empty()) continue;
      const Json& delta = chunk["choices"][0]["delta"];
      if (delta.contains("content") && delta["content"].is_string()) {
        text += delta["content"].get<std::string>();
      }
    }
    return text;
  }

  static inline std::unique_ptr<testing::FakeOpenAiServer> fake_;
  static inline std::unique_ptr<ServerProcess> server_;
  auth::NearCredentials alice_ = auth::generate_implicit_credentials();
};

TEST_F(InferenceStreaming, ChunksArriveWhileTheProviderIsStillStreaming) {
  fake_->set_stream_chunk_delay(std::chrono::milliseconds(150));
  int in_progress_at_first_event = -1;
  const StreamReply reply =
      stream("/v1/chat/completions", chat("one two three four five"), [&](const std::string&) {
        if (in_progress_at_first_event < 0) {
          in_progress_at_first_event = fake_->streams_in_progress();
        }
        return true;
      });
  ASSERT_EQ(reply.status, 200) << reply.body;
  // The first chunk was relayed before the provider had finished its stream.
  EXPECT_EQ(in_progress_at_first_event, 1);
  ASSERT_FALSE(reply.events.empty());
  EXPECT_EQ(reply.events.back(), "[DONE]");
  EXPECT_EQ(joined_content(reply.events), "echo: one two three four five");
  // We asked the provider for a usage chunk; the client did not, so it does not get it.
  for (const std::string& e : reply.events) {
    if (e != "[DONE]") {
      EXPECT_FALSE(Json::parse(e)["choices"].empty()) << e;
    }
  }
  const Json sent = Json::parse(fake_->received().back().body);
  EXPECT_EQ(sent["stream_options"]["include_usage"], true);

  const auto rows = usage_rows(*server_, alice_.account_id);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].endpoint, "/chat/completions");
  EXPECT_EQ(rows[0].prompt_tokens, 5);
  EXPECT_EQ(rows[0].completion_tokens, 6);
  EXPECT_EQ(rows[0].total_tokens, 11);
}

TEST_F(InferenceStreaming, ClientThatAskedForUsageGetsTheUsageChunk) {
  Json request = chat("a b");
  request["stream_options"] = {{"include_usage", true}};
  const StreamReply reply = stream("/v1/chat/completions", request);
  ASSERT_EQ(reply.status, 200);
  ASSERT_GE(reply.events.size(), 2u);
  EXPECT_EQ(reply.events.back(), "[DONE]");
  const Json usage_chunk = Json::parse(reply.events[reply.events.size() - 2]);
  EXPECT_TRUE(usage_chunk["choices"].empty());
  EXPECT_EQ(usage_chunk["usage"]["total_tokens"], 5);
}

TEST_F(InferenceStreaming, StreamedCompletions) {
  const StreamReply reply = stream(
      "/v1/completions", {{"model", "local::test-model"}, {"stream", true}, {"prompt", "x y"}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.events.back(), "[DONE]");
  std::string text;
  for (const std::string& e : reply.events) {
    if (e == "[DONE]") continue;
    const Json chunk = Json::parse(e);
    if (!chunk["choices"].empty()) text += chunk["choices"][0]["text"].get<std::string>();
  }
  EXPECT_EQ(text, "echo: x y");
  const auto rows = usage_rows(*server_, alice_.account_id);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].endpoint, "/completions");
  EXPECT_GT(rows[0].total_tokens, 0);
}

TEST_F(InferenceStreaming, ClientHangingUpCancelsTheProviderStream) {
  fake_->set_stream_chunk_delay(std::chrono::milliseconds(300));
  const int cancelled_before = fake_->streams_cancelled();
  const StreamReply reply =
      stream("/v1/chat/completions", chat("w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14"),
             [](const std::string&) { return false; });  // hang up after the first event
  EXPECT_EQ(reply.status, 200);
  EXPECT_TRUE(eventually([&] { return fake_->streams_cancelled() > cancelled_before; }))
      << "the provider's stream was not cancelled";
  EXPECT_TRUE(eventually([&] { return fake_->streams_in_progress() == 0; }));
  // The original writes no usage row for an abandoned stream (spec §4.2.4); nearhub counts what
  // was generated until the client left, one token per chunk of text (15 words were asked for).
  const auto rows = usage_rows(*server_, alice_.account_id);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].endpoint, "/chat/completions");
  EXPECT_EQ(rows[0].prompt_tokens, 0);
  EXPECT_GE(rows[0].completion_tokens, 1);
  EXPECT_LT(rows[0].completion_tokens, 15);
  EXPECT_EQ(rows[0].total_tokens, rows[0].completion_tokens);
}

TEST_F(InferenceStreaming, UpstreamErrorBeforeTheStreamIsAPlainError) {
  fake_->fail_next("/v1/chat/completions", 401, R"({"error":{"message":"bad key"}})");
  const StreamReply reply = stream("/v1/chat/completions", chat("x"));
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(Json::parse(reply.body)["detail"].get<std::string>().rfind("Error code: 401 - ", 0),
            0u);
}

TEST_F(InferenceStreaming, UnknownModelWhileStreaming) {
  Json request = chat("x");
  request["model"] = "local::missing";
  const StreamReply reply = stream("/v1/chat/completions", request);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(Json::parse(reply.body)["detail"], "Model not supported");
}

}  // namespace
}  // namespace nearhub::e2e
