// Retries, fallbacks, providers that are down or missing, and per-account rate limits.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>

#include "auth/credentials.h"
#include "e2e/support/inference_support.h"
#include "e2e/support/tokens.h"
#include "fake_openai/fake_openai_server.h"
#include "util/http_client.h"
#include "util/time.h"

namespace nearhub::e2e {
namespace {

using Json = nlohmann::json;

Json chat_body(const std::string& model, bool stream = false) {
  return {{"model", model},
          {"stream", stream},
          {"messages", {{{"role", "user"}, {"content", "hello"}}}}};
}

std::size_t count_path(const testing::FakeOpenAiServer& fake, const std::string& path) {
  std::size_t n = 0;
  for (const auto& r : fake.received()) n += r.path == path;
  return n;
}

// Posts `body` to `url` and hangs up after `after`, before any answer can come.
void post_and_hang_up(const std::string& url, const Json& body, const HeaderList& headers,
                      std::chrono::milliseconds after) {
  util::HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.headers = headers;
  request.headers.emplace_back("Content-Type", "application/json");
  request.body = body.dump();
  request.total_timeout = after;
  try {
    util::send_http_request(request);
  } catch (const std::exception&) {  // the timeout: what this is for
  }
}

// A port nothing listens on: a fake that was started and stopped.
std::string dead_base_url() {
  testing::FakeOpenAiServer gone;
  const std::string url = gone.base_url();
  gone.stop();
  return url;
}

class InferenceReliability : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    primary_ = std::make_unique<testing::FakeOpenAiServer>();
    backup_ = std::make_unique<testing::FakeOpenAiServer>();
    server_ = std::make_unique<ServerProcess>(inference_server_options(
        "[inference]\n"
        "default_provider = \"primary\"\n"
        "[inference.fallbacks]\n"
        "\"primary::test-model\" = [\"down::test-model\", \"backup::test-model\"]\n"
        "[providers.primary]\nbase_url = \"" +
        primary_->base_url() +
        "\"\n"
        "[providers.backup]\nbase_url = \"" +
        backup_->base_url() +
        "\"\n"
        "[providers.down]\nbase_url = \"" +
        dead_base_url() + "\"\n"));
  }
  static void TearDownTestSuite() {
    server_.reset();
    primary_.reset();
    backup_.reset();
  }

 protected:
  void SetUp() override {
    primary_->clear_failures();
    backup_->clear_failures();
  }
  Reply post(const Json& body) const {
    return Client(server_->base_url())
        .post("/v1/chat/completions", body.dump(), bearer(sign_token(alice_)));
  }

  static inline std::unique_ptr<testing::FakeOpenAiServer> primary_, backup_;
  static inline std::unique_ptr<ServerProcess> server_;
  auth::NearCredentials alice_ = auth::generate_implicit_credentials();
};

TEST_F(InferenceReliability, RetriesA503ThenSucceeds) {
  const std::size_t before = count_path(*primary_, "/v1/chat/completions");
  primary_->fail_next("/v1/chat/completions", 503, R"({"error":{"message":"busy"}})");
  const Reply reply = post(chat_body("primary::test-model"));
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(count_path(*primary_, "/v1/chat/completions"), before + 2);
  const auto rows = usage_rows(*server_, alice_.account_id);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].provider, "primary");
}

TEST_F(InferenceReliability, RetriesAStreamBeforeItStarts) {
  primary_->fail_next("/v1/chat/completions", 502, "bad gateway");
  const StreamReply reply =
      post_stream(server_->base_url() + "/v1/chat/completions",
                  chat_body("primary::test-model", true).dump(), bearer(sign_token(alice_)));
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.events.back(), "[DONE]");
}

TEST_F(InferenceReliability, ARetryWaitsForTheProvidersRetryAfter) {
  // The suite's backoff is 20 ms; the provider asks for a second.
  primary_->fail_next("/v1/chat/completions", 429, R"({"error":{"message":"slow down"}})", 1, 1);
  const auto started = std::chrono::steady_clock::now();
  const Reply reply = post(chat_body("primary::test-model"));
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(950));
}

TEST_F(InferenceReliability, AClientThatLeavesDuringTheBackoffEndsTheRetries) {
  for (const bool stream : {false, true}) {
    const std::size_t before = count_path(*primary_, "/v1/chat/completions");
    // The provider asks for a second's pause; the client leaves after 300 ms of it.
    primary_->fail_next("/v1/chat/completions", 429, R"({"error":{"message":"slow down"}})", 1, 1);
    post_and_hang_up(server_->base_url() + "/v1/chat/completions",
                     chat_body("primary::test-model", stream), bearer(sign_token(alice_)),
                     std::chrono::milliseconds(300));
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    EXPECT_EQ(count_path(*primary_, "/v1/chat/completions"), before + 1)
        << (stream ? "stream" : "plain") << ": the retry went out for a client that had left";
    primary_->clear_failures();
  }
  EXPECT_TRUE(usage_rows(*server_, alice_.account_id, 1, std::chrono::milliseconds(200)).empty());
}

TEST_F(InferenceReliability, ClientErrorsAreNotRetried) {
  const std::size_t before = count_path(*primary_, "/v1/chat/completions");
  primary_->fail_next("/v1/chat/completions", 400, R"({"error":{"message":"too long"}})");
  const Reply reply = post(chat_body("primary::test-model"));
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.json()["detail"], R"(Error code: 400 - {"error":{"message":"too long"}})");
  EXPECT_EQ(count_path(*primary_, "/v1/chat/completions"), before + 1);
}

TEST_F(InferenceReliability, FallsBackPastADownProviderToTheBackup) {
  primary_->fail_next("/v1/chat/completions", 503, "down", -1);
  const std::size_t backup_before = count_path(*backup_, "/v1/chat/completions");
  const Reply reply = post(chat_body("primary::test-model"));
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json()["choices"][0]["message"]["content"], "echo: hello");
  EXPECT_EQ(count_path(*backup_, "/v1/chat/completions"), backup_before + 1);
  const auto rows = usage_rows(*server_, alice_.account_id);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].provider, "backup");  // the model that answered

  // Streams fall back too.
  const StreamReply streamed =
      post_stream(server_->base_url() + "/v1/chat/completions",
                  chat_body("primary::test-model", true).dump(), bearer(sign_token(alice_)));
  ASSERT_EQ(streamed.status, 200) << streamed.body;
  EXPECT_EQ(streamed.events.back(), "[DONE]");
}

TEST_F(InferenceReliability, AllFailingGives502NamingTheProvider) {
  primary_->fail_next("/v1/chat/completions", 503, "down", -1);
  backup_->fail_next("/v1/chat/completions", 500, "broken", -1);
  const Reply reply = post(chat_body("primary::test-model"));
  EXPECT_EQ(reply.status, 502);
  EXPECT_EQ(reply.json()["detail"], "Provider backup failed: Error code: 500 - broken");
  EXPECT_TRUE(usage_rows(*server_, alice_.account_id, 1, std::chrono::milliseconds(200)).empty());
}

TEST_F(InferenceReliability, ProviderDownIs502AndSkippedInModels) {
  const Reply reply = post(chat_body("down::test-model"));
  EXPECT_EQ(reply.status, 502);
  EXPECT_EQ(reply.json()["detail"].get<std::string>().rfind("Provider down is unreachable: ", 0),
            0u);
  const Reply models = Client(server_->base_url()).get("/v1/models");
  ASSERT_EQ(models.status, 200);
  std::vector<std::string> ids;
  const Json listed = models.json();  // kept alive for the loop
  for (const Json& m : listed["data"]) ids.push_back(m["id"].get<std::string>());
  EXPECT_EQ(ids, (std::vector<std::string>{"backup::test-model", "primary::test-model"}));
}

TEST(InferenceNoProvider, EveryEndpointSaysWhatToConfigure) {
  ServerProcess server(inference_server_options("# nothing\n"));
  Client client(server.base_url());
  const Reply models = client.get("/v1/models");
  EXPECT_EQ(models.status, 503);
  EXPECT_NE(models.json()["detail"].get<std::string>().find("[providers.<name>]"),
            std::string::npos);
  const auth::NearCredentials who = auth::generate_implicit_credentials();
  for (const auto& [path, body] :
       std::vector<std::pair<std::string, Json>>{{"/v1/chat/completions", chat_body("local::m")},
                                                 {"/v1/completions", {{"prompt", "x"}}},
                                                 {"/v1/embeddings", {{"input", "x"}}},
                                                 {"/v1/images/generations", {{"prompt", "x"}}}}) {
    const Reply reply = client.post(path, body.dump(), bearer(sign_token(who)));
    EXPECT_EQ(reply.status, 503) << path << " " << reply.body;
    EXPECT_NE(reply.body.find("docs/inference.md"), std::string::npos);
  }
}

TEST(InferenceConfig, AFaultyProviderTableStopsTheStart) {
  const std::filesystem::path config = write_config("[providers.bad]\nbaseurl = \"http://x\"\n");
  EXPECT_THROW(ServerProcess({.environment = {{"NEARHUB_ACCESS_LOG", "false"}},
                              .arguments = {"--config", config.string()}}),
               std::exception);
}

// Fixed windows: start right after a minute boundary so a test never straddles two windows.
void wait_for_fresh_window() {
  const std::int64_t into_window = util::now_unix_ms() % 60'000;
  if (into_window > 45'000) {
    std::this_thread::sleep_for(std::chrono::milliseconds(60'000 - into_window + 100));
  }
}

TEST(InferenceRateLimits, RequestsPerMinuteSharedByTwoProcesses) {
  testing::FakeOpenAiServer fake;
  const std::string toml = "[providers.local]\nbase_url = \"" + fake.base_url() + "\"\n";
  const std::map<std::string, std::string> limit = {
      {"NEARHUB_INFERENCE_RATE_LIMIT_REQUESTS_PER_MINUTE", "2"}};
  ServerProcess first(inference_server_options(toml, limit));
  auto second_env = limit;
  second_env["NEARHUB_DATABASE"] = first.database_url();
  ServerProcess second(inference_server_options(toml, second_env));

  const auth::NearCredentials alice = auth::generate_implicit_credentials();
  const auth::NearCredentials bob = auth::generate_implicit_credentials();
  const std::string body = chat_body("local::test-model").dump();
  wait_for_fresh_window();
  auto call = [&](const ServerProcess& server, const auth::NearCredentials& who) {
    return post_with_headers(server.base_url() + "/v1/chat/completions", body,
                             bearer(sign_token(who)));
  };
  EXPECT_EQ(call(first, alice).status, 200);
  EXPECT_EQ(call(second, alice).status, 200);
  const std::size_t upstream_calls = fake.received().size();
  const ReplyWithHeaders limited = call(second, alice);
  EXPECT_EQ(limited.status, 429) << limited.body;
  ASSERT_TRUE(limited.headers.count("retry-after"));
  const int retry_after = std::stoi(limited.headers.at("retry-after"));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 60);
  EXPECT_EQ(Json::parse(limited.body)["detail"],
            "Rate limit exceeded: try again in " + std::to_string(retry_after) + " seconds");
  EXPECT_EQ(call(first, alice).status, 429);
  EXPECT_EQ(fake.received().size(), upstream_calls);  // refused before any upstream call
  EXPECT_EQ(call(first, bob).status, 200);            // per account
}

TEST(InferenceRateLimits, TokensPerMinute) {
  testing::FakeOpenAiServer fake;
  ServerProcess server(
      inference_server_options("[providers.local]\nbase_url = \"" + fake.base_url() + "\"\n",
                               {{"NEARHUB_INFERENCE_RATE_LIMIT_TOKENS_PER_MINUTE", "3"}}));
  const auth::NearCredentials alice = auth::generate_implicit_credentials();
  wait_for_fresh_window();
  const std::string url = server.base_url() + "/v1/chat/completions";
  const std::string body = chat_body("local::test-model").dump();  // 1 + 2 tokens
  EXPECT_EQ(post_with_headers(url, body, bearer(sign_token(alice))).status, 200);
  ASSERT_EQ(usage_rows(server, alice.account_id).size(), 1u);  // tokens are counted when written
  EXPECT_TRUE(eventually(
      [&] { return post_with_headers(url, body, bearer(sign_token(alice))).status == 429; }));
}

TEST(InferenceTimeouts, AProviderSlowerThanTheReadTimeoutIsA502AfterItsRetries) {
  testing::FakeOpenAiServer slow({.answer_delay = std::chrono::milliseconds(3000)});
  ServerProcess hub(
      inference_server_options("[providers.slow]\nbase_url = \"" + slow.base_url() + "\"\n",
                               {{"NEARHUB_INFERENCE_READ_TIMEOUT_MS", "300"},
                                {"NEARHUB_INFERENCE_RETRIES", "1"},
                                {"NEARHUB_INFERENCE_RETRY_BACKOFF_MS", "20"}}));
  const auth::NearCredentials alice = auth::generate_implicit_credentials();
  const auto started = std::chrono::steady_clock::now();
  const Reply reply = Client(hub.base_url())
                          .post("/v1/chat/completions", chat_body("slow::test-model").dump(),
                                bearer(sign_token(alice)));
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(reply.status, 502) << reply.body;
  EXPECT_EQ(reply.json()["detail"].get<std::string>().rfind("Provider slow is unreachable: ", 0),
            0u)
      << reply.body;
  // Two attempts of 300 ms each, not the provider's three seconds.
  EXPECT_GE(took, std::chrono::milliseconds(600));
  EXPECT_LT(took, std::chrono::milliseconds(2500));
  EXPECT_EQ(count_path(slow, "/v1/chat/completions"), 2u);
}

}  // namespace
}  // namespace nearhub::e2e
