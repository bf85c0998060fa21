#pragma once
// Outbound HTTP calls that hold no thread while they wait: every transfer runs on one libcurl
// multi handle driven by one thread, and the caller gets the answer in a callback. For calls
// made on behalf of a client request (an inference provider), where a blocked worker per call
// would cap the hub's concurrency at its worker count; a streamed answer is relayed piece by
// piece from the same thread. Retries wait on that thread's timer (`not_before`), not in a
// sleep.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "util/http_client.h"

namespace nearhub::util {

// What a transfer ended with: an HTTP answer (any status), or no answer at all.
struct HttpOutcome {
  long status = 0;  // 0: no HTTP answer (see error)
  std::string body;
  std::string error;                    // the URL and curl's reason when status is 0
  std::chrono::seconds retry_after{0};  // the answer's Retry-After header (0: none)
};

class AsyncHttpClient {
  struct Impl;

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

  class TransferControl;
  // Starts `request` (not before `not_before`); `done` runs once with the outcome. Thread-safe.
  // After stop() the outcome is at once an error "shutting down", on the caller's thread.
  std::shared_ptr<TransferControl> send(HttpRequest request, Done done,
                                        Clock::time_point not_before = {});

  // A streamed answer (Server-Sent Events): the body goes to on_piece as it arrives.
  enum class PieceAction {
    Continue,
    Pause,  // the piece is not taken: it comes again after TransferControl::resume()
    Stop,   // the transfer ends; `done` gets the error "cancelled"
  };
  struct StreamCallbacks {
    // Runs on the client's thread with the answer's status and the next piece of its body.
    std::function<PieceAction(long status, std::string_view piece)> on_piece;
    // Once, at the end (the outcome's body stays empty: the pieces went to on_piece).
    Done done;
  };
  // Steers a transfer from any thread; does nothing once it has ended.
  class TransferControl {
   public:
    void resume();  // a stream, after PieceAction::Pause
    void cancel();  // ends the transfer, or drops it before it starts; `done` gets "cancelled"

   private:
    friend class AsyncHttpClient;
    void command(bool cancel) const;
    std::weak_ptr<AsyncHttpClient::Impl> client_;
    std::uint64_t id_ = 0;
  };

  // Starts a streamed request (not before `not_before`). `idle_timeout` (0 = none) aborts a
  // stream silent for that long; HttpRequest::total_timeout still bounds it (0 = no bound).
  std::shared_ptr<TransferControl> stream(HttpRequest request, StreamCallbacks callbacks,
                                          std::chrono::milliseconds idle_timeout,
                                          Clock::time_point not_before = {});

  // Aborts every transfer still running or waiting (each `done` gets "shutting down") and joins
  // the thread. Idempotent.
  void stop();

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace nearhub::util
