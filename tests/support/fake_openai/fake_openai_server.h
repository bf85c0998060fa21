#pragma once
// A local stand-in for an OpenAI-compatible inference provider, for tests and benchmarks
// (the contract is in docs of issue 4: /v1/models, /v1/chat/completions, /v1/completions,
// /v1/embeddings, /v1/images/generations). Answers are deterministic so that tests can assert
// them: chat replies "echo: <last message>", usage counts words, embeddings are a hash of the
// input. Runs in-process on nearhub's own HTTP server (127.0.0.1, port 0, its own threads), so
// streamed replies go through the same SseWriter the hub uses.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace nearhub::testing {

struct FakeOpenAiOptions {
  std::vector<std::string> models = {"test-model"};
  std::string api_key;  // when non-empty, requests without "Authorization: Bearer <key>" get 401
  unsigned short port = 0;  // 0 = any free port
  unsigned io_threads = 1;
  unsigned worker_threads = 2;
  // How long a plain (not streamed) answer takes, like a model's thinking time. The worker
  // thread sleeps meanwhile: give the server as many workers as concurrent requests.
  std::chrono::milliseconds answer_delay{0};
};

class FakeOpenAiServer {
 public:
  explicit FakeOpenAiServer(FakeOpenAiOptions options = {});
  ~FakeOpenAiServer();
  FakeOpenAiServer(const FakeOpenAiServer&) = delete;
  FakeOpenAiServer& operator=(const FakeOpenAiServer&) = delete;

  std::string base_url() const;  // "http://127.0.0.1:<port>/v1"
  unsigned short port() const;

  // The next `count` requests to `path` ("/v1/chat/completions", ...) answer `status` with
  // `body` (count < 0: until cleared with clear_failures()), and a Retry-After header when
  // `retry_after_s` > 0.
  void fail_next(const std::string& path, int status, std::string body, int count = 1,
                 int retry_after_s = 0);
  void clear_failures();
  // Pause between two streamed events (0 = send them all at once).
  void set_stream_chunk_delay(std::chrono::milliseconds delay);

  struct Received {
    std::string method, path, authorization, body;
  };
  std::vector<Received> received() const;  // every request, in order
  int streams_in_progress() const;
  int streams_cancelled() const;  // client went away before the last chunk

  // Stops answering (connections are refused from now on); the destructor does it too.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nearhub::testing
