#pragma once
// Outbound HTTP calls that hold no thread while they wait: every transfer runs on one libcurl
// multi handle driven by one thread, and the caller gets the answer in a callback. For calls
// made on behalf of a client request (an inference provider), where a blocked worker per call
// would cap the hub's concurrency at its worker count. Retries wait on the same thread's timer
// (`not_before`), not in a sleep.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "util/http_client.h"

namespace nearhub::util {

// What a transfer ended with: an HTTP answer (any status), or no answer at all.
struct HttpOutcome {
  long status = 0;  // 0: no HTTP answer (see error)
  std::string body;
  std::string error;  // the URL and curl's reason when status is 0
};

class AsyncHttpClient {
 public:
  using Clock = std::chrono::steady_clock;
  // Runs on the client's thread. It may call send() again (a retry, a fallback) but must not
  // block: the next transfers wait for it.
  using Done = std::function<void(HttpOutcome)>;

  AsyncHttpClient();
  // stop()
  ~AsyncHttpClient();
  AsyncHttpClient(const AsyncHttpClient&) = delete;
  AsyncHttpClient& operator=(const AsyncHttpClient&) = delete;

  // Starts `request` (not before `not_before`); `done` runs once with the outcome. Thread-safe.
  // After stop() the outcome is at once an error "shutting down", on the caller's thread.
  void send(HttpRequest request, Done done, Clock::time_point not_before = {});

  // Aborts every transfer still running or waiting (each `done` gets "shutting down") and joins
  // the thread. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nearhub::util
