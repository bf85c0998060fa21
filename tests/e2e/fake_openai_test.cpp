// Self-test of the fake OpenAI-compatible upstream (tests/support/fake_openai) that the
// inference tests, the JS SDK test and the gateway benchmark stand on: if it lied, they would
// prove nothing. Streams are read with libcurl directly to see when each event arrives.

#include <gtest/gtest.h>

#include <curl/curl.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "e2e/support/client.h"
#include "support/fake_openai/fake_openai_server.h"
#include "util/base64.h"

namespace nearhub::e2e {
namespace {

using testing::FakeOpenAiOptions;
using testing::FakeOpenAiServer;
using Clock = std::chrono::steady_clock;

struct StreamEvent {
  std::string data;  // the text after "data: "
  Clock::time_point arrived;
};

struct StreamRead {
  long status = 0;
  std::vector<StreamEvent> events;
};

// POSTs `body` and collects the SSE events as they arrive. Stops reading (and so closes the
// connection) after `stop_after` events when it is > 0.
StreamRead read_stream(const std::string& url, const std::string& body,
                       std::size_t stop_after = 0) {
  struct State {
    std::string buffer;
    StreamRead read;
    std::size_t stop_after;
  } state{{}, {}, stop_after};
  CURL* curl = curl_easy_init();
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 20'000L);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &state);
  curl_easy_setopt(
      curl, CURLOPT_WRITEFUNCTION, +[](char* data, size_t, size_t size, void* user) -> size_t {
        auto& s = *static_cast<State*>(user);
        s.buffer.append(data, size);
        for (std::size_t end; (end = s.buffer.find("\n\n")) != std::string::npos;) {
          std::string event = s.buffer.substr(0, end);
          s.buffer.erase(0, end + 2);
          if (event.rfind("data: ", 0) == 0) {
            s.read.events.push_back({event.substr(6), Clock::now()});
          }
          if (s.stop_after > 0 && s.read.events.size() >= s.stop_after) return 0;  // hang up
        }
        return size;
      });
  curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &state.read.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return state.read;
}

// Waits for `condition` for up to 5 s (stream callbacks run on the server's threads).
template <typename F>
bool eventually(F condition) {
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  while (Clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

// The server's base URL without the trailing "/v1", for the e2e Client.
Client client_of(const FakeOpenAiServer& server) {
  return Client("http://127.0.0.1:" + std::to_string(server.port()));
}

TEST(FakeOpenAi, ListsItsModels) {
  FakeOpenAiServer server({.models = {"alpha", "beta"}});
  EXPECT_EQ(server.base_url(), "http://127.0.0.1:" + std::to_string(server.port()) + "/v1");
  const Reply reply = client_of(server).get("/v1/models");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto body = reply.json();
  EXPECT_EQ(body["object"], "list");
  ASSERT_EQ(body["data"].size(), 2u);
  EXPECT_EQ(body["data"][0]["id"], "alpha");
  EXPECT_EQ(body["data"][1]["id"], "beta");
  EXPECT_EQ(body["data"][1]["object"], "model");
  EXPECT_TRUE(body["data"][1].contains("created"));
  EXPECT_TRUE(body["data"][1].contains("owned_by"));
}

TEST(FakeOpenAi, RequiresItsApiKeyWhenGivenOne) {
  FakeOpenAiServer server({.api_key = "sk-test"});
  const Client client = client_of(server);
  EXPECT_EQ(client.get("/v1/models").status, 401);
  EXPECT_EQ(client.get("/v1/models", bearer("sk-wrong")).status, 401);
  EXPECT_EQ(client.get("/v1/models", bearer("sk-test")).status, 200);
  const auto received = server.received();
  ASSERT_EQ(received.size(), 3u);
  EXPECT_EQ(received[0].authorization, "");
  EXPECT_EQ(received[2].authorization, "Bearer sk-test");
  EXPECT_EQ(received[2].method, "GET");
  EXPECT_EQ(received[2].path, "/v1/models");
}

TEST(FakeOpenAi, ChatEchoesTheLastMessageWithWordCountUsage) {
  FakeOpenAiServer server;
  const std::string request =
      R"({"model":"test-model","messages":[{"role":"system","content":"be brief"},)"
      R"({"role":"user","content":"hello big world"}]})";
  const Reply reply = client_of(server).post("/v1/chat/completions", request);
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto body = reply.json();
  EXPECT_EQ(body["object"], "chat.completion");
  EXPECT_EQ(body["model"], "test-model");
  EXPECT_EQ(body["choices"][0]["message"]["role"], "assistant");
  EXPECT_EQ(body["choices"][0]["message"]["content"], "echo: hello big world");
  EXPECT_EQ(body["choices"][0]["finish_reason"], "stop");
  EXPECT_EQ(body["usage"]["prompt_tokens"], 5);      // "be brief" + "hello big world"
  EXPECT_EQ(body["usage"]["completion_tokens"], 4);  // "echo: hello big world"
  EXPECT_EQ(body["usage"]["total_tokens"], 9);
  ASSERT_EQ(server.received().size(), 1u);
  EXPECT_EQ(server.received()[0].body, request);
}

TEST(FakeOpenAi, UnknownModelIsModelNotFound) {
  FakeOpenAiServer server;
  const Client client = client_of(server);
  for (const char* path : {"/v1/chat/completions", "/v1/completions", "/v1/embeddings"}) {
    const Reply reply = client.post(
        path,
        R"({"model":"nope","messages":[{"role":"user","content":"x"}],"prompt":"x","input":"x"})");
    EXPECT_EQ(reply.status, 404) << path;
    EXPECT_EQ(reply.json()["error"]["message"],
              "Model not found, inaccessible, and/or not deployed");
    EXPECT_EQ(reply.json()["error"]["code"], "model_not_found");
  }
  EXPECT_EQ(client.post("/v1/chat/completions", "{not json").status, 400);
  EXPECT_EQ(client.post("/v1/nowhere", "{}").status, 404);
}

TEST(FakeOpenAi, CompletionsEchoThePrompt) {
  FakeOpenAiServer server;
  const Reply reply =
      client_of(server).post("/v1/completions", R"({"model":"test-model","prompt":"one two"})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json()["object"], "text_completion");
  EXPECT_EQ(reply.json()["choices"][0]["text"], "echo: one two");
  EXPECT_EQ(reply.json()["usage"]["total_tokens"], 5);
}

TEST(FakeOpenAi, EmbeddingsAreDeterministicUnitVectors) {
  FakeOpenAiServer server;
  const Client client = client_of(server);
  const Reply first =
      client.post("/v1/embeddings", R"({"model":"test-model","input":["a cat","a dog"]})");
  ASSERT_EQ(first.status, 200) << first.body;
  const auto body = first.json();
  ASSERT_EQ(body["data"].size(), 2u);
  EXPECT_EQ(body["data"][1]["index"], 1);
  EXPECT_EQ(body["usage"]["prompt_tokens"], 4);
  const auto cat = body["data"][0]["embedding"].get<std::vector<float>>();
  const auto dog = body["data"][1]["embedding"].get<std::vector<float>>();
  ASSERT_EQ(cat.size(), 8u);
  EXPECT_NE(cat, dog);
  double norm = 0;
  for (float v : cat) norm += static_cast<double>(v) * v;
  EXPECT_NEAR(norm, 1.0, 1e-5);

  const Reply again = client.post("/v1/embeddings", R"({"model":"test-model","input":"a cat"})");
  EXPECT_EQ(again.json()["data"][0]["embedding"].get<std::vector<float>>(), cat);

  // encoding_format "base64" (what the openai SDKs ask for): the same floats, little-endian.
  const Reply packed = client.post(
      "/v1/embeddings", R"({"model":"test-model","input":"a cat","encoding_format":"base64"})");
  const auto bytes = util::base64_decode(packed.json()["data"][0]["embedding"].get<std::string>());
  ASSERT_TRUE(bytes);
  ASSERT_EQ(bytes->size(), 8 * sizeof(float));
  std::vector<float> unpacked(8);
  std::memcpy(unpacked.data(), bytes->data(), bytes->size());
  EXPECT_EQ(unpacked, cat);

  EXPECT_EQ(client.post("/v1/embeddings", R"({"model":"test-model","input":[1.5]})").status, 400);
}

TEST(FakeOpenAi, ImagesReturnAJpeg) {
  FakeOpenAiServer server;
  const Reply reply =
      client_of(server).post("/v1/images/generations", R"({"prompt":"a red square"})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto jpeg = util::base64_decode(reply.json()["data"][0]["b64_json"].get<std::string>());
  ASSERT_TRUE(jpeg);
  ASSERT_GT(jpeg->size(), 4u);
  EXPECT_EQ((*jpeg)[0], 0xFF);  // SOI marker
  EXPECT_EQ((*jpeg)[1], 0xD8);
  EXPECT_EQ((*jpeg)[jpeg->size() - 2], 0xFF);  // EOI marker
  EXPECT_EQ((*jpeg)[jpeg->size() - 1], 0xD9);
}

TEST(FakeOpenAi, FailNextAnswersTheGivenErrorThenRecovers) {
  FakeOpenAiServer server;
  const Client client = client_of(server);
  const std::string chat = R"({"model":"test-model","messages":[{"role":"user","content":"x"}]})";
  server.fail_next("/v1/chat/completions", 503, R"({"error":{"message":"busy"}})", 2);
  EXPECT_EQ(client.get("/v1/models").status, 200);  // other paths are not affected
  Reply reply = client.post("/v1/chat/completions", chat);
  EXPECT_EQ(reply.status, 503);
  EXPECT_EQ(reply.body, R"({"error":{"message":"busy"}})");
  EXPECT_EQ(client.post("/v1/chat/completions", chat).status, 503);
  EXPECT_EQ(client.post("/v1/chat/completions", chat).status, 200);

  server.fail_next("/v1/embeddings", 500, "{}", -1);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(client.post("/v1/embeddings", R"({"model":"test-model","input":"x"})").status, 500);
  }
  server.clear_failures();
  EXPECT_EQ(client.post("/v1/embeddings", R"({"model":"test-model","input":"x"})").status, 200);
}

TEST(FakeOpenAi, StreamsOneChunkPerWordWithTheConfiguredDelay) {
  FakeOpenAiServer server;
  constexpr auto kDelay = std::chrono::milliseconds(80);
  server.set_stream_chunk_delay(kDelay);
  const StreamRead read =
      read_stream(server.base_url() + "/chat/completions",
                  R"({"model":"test-model","stream":true,"stream_options":{"include_usage":true},)"
                  R"("messages":[{"role":"user","content":"hello big world"}]})");
  ASSERT_EQ(read.status, 200);
  // 4 words, the finish chunk, the usage chunk, [DONE].
  ASSERT_EQ(read.events.size(), 7u);
  std::string text;
  for (std::size_t i = 0; i < 4; ++i) {
    const auto chunk = nlohmann::json::parse(read.events[i].data);
    EXPECT_EQ(chunk["object"], "chat.completion.chunk");
    EXPECT_TRUE(chunk["choices"][0]["finish_reason"].is_null());
    text += chunk["choices"][0]["delta"]["content"].get<std::string>();
  }
  EXPECT_EQ(text, "echo: hello big world");
  EXPECT_EQ(nlohmann::json::parse(read.events[0].data)["choices"][0]["delta"]["role"], "assistant");
  EXPECT_EQ(nlohmann::json::parse(read.events[4].data)["choices"][0]["finish_reason"], "stop");
  const auto usage = nlohmann::json::parse(read.events[5].data);
  EXPECT_TRUE(usage["choices"].empty());
  EXPECT_EQ(usage["usage"]["completion_tokens"], 4);
  EXPECT_EQ(read.events[6].data, "[DONE]");
  // Each event arrived on its own, about one delay after the previous one.
  for (std::size_t i = 1; i < read.events.size(); ++i) {
    const auto gap = read.events[i].arrived - read.events[i - 1].arrived;
    EXPECT_GE(gap, kDelay - std::chrono::milliseconds(20)) << "event " << i;
  }
  EXPECT_TRUE(eventually([&] { return server.streams_in_progress() == 0; }));
  EXPECT_EQ(server.streams_cancelled(), 0);
}

TEST(FakeOpenAi, StreamsWithoutDelayAndWithoutUsageChunk) {
  FakeOpenAiServer server;
  const StreamRead read = read_stream(server.base_url() + "/completions",
                                      R"({"model":"test-model","stream":true,"prompt":"a b c"})");
  ASSERT_EQ(read.status, 200);
  ASSERT_EQ(read.events.size(), 6u);  // 4 words, the finish chunk, [DONE]
  std::string text;
  for (std::size_t i = 0; i < 4; ++i) {
    text += nlohmann::json::parse(read.events[i].data)["choices"][0]["text"].get<std::string>();
  }
  EXPECT_EQ(text, "echo: a b c");
  EXPECT_EQ(read.events.back().data, "[DONE]");
  EXPECT_TRUE(eventually([&] { return server.streams_in_progress() == 0; }));
  EXPECT_EQ(server.streams_cancelled(), 0);
}

TEST(FakeOpenAi, CountsAClientThatGoesAwayMidStream) {
  FakeOpenAiServer server;
  server.set_stream_chunk_delay(std::chrono::milliseconds(100));
  const std::string request =
      R"({"model":"test-model","stream":true,"messages":[{"role":"user","content":"w1 w2 w3 w4 w5"}]})";
  std::thread reader([&] { read_stream(server.base_url() + "/chat/completions", request, 1); });
  EXPECT_TRUE(eventually([&] { return server.streams_cancelled() == 1; }));
  reader.join();
  EXPECT_TRUE(eventually([&] { return server.streams_in_progress() == 0; }));
  // A stream read to its end is not counted.
  read_stream(server.base_url() + "/chat/completions", request);
  EXPECT_TRUE(eventually([&] { return server.streams_in_progress() == 0; }));
  EXPECT_EQ(server.streams_cancelled(), 1);
}

}  // namespace
}  // namespace nearhub::e2e
