#pragma once
// Relays one upstream SSE stream to one client. The blocking curl transfer runs on its own
// thread; each upstream event is written to the client's SseWriter as it arrives (never buffered
// whole), and a client that goes away cancels the upstream transfer.
//
// Life of a relay:
//   1. start(): the transfer begins; the handler calls wait_for_answer().
//   2. The upstream answers. A failure (no connection, non-2xx) is returned to the handler,
//      which may retry or fall back: nothing has been sent to the client yet. A 2xx pauses the
//      transfer until the client's stream exists.
//   3. attach(writer) (from Response::event_stream's start callback) resumes it; events flow.
//   4. The upstream ends: "data: [DONE]" is sent and on_finish gets the collected text and usage.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "http/sse.h"
#include "inference/provider_config.h"
#include "inference/sse_parser.h"
#include "inference/upstream.h"

namespace nearhub::inference {

// Counts relay threads so that shutdown can cancel them and wait for their last writes.
class ActiveStreams {
 public:
  void enter();
  void leave();
  // Cancels nothing by itself: relays see `stopping()` and abort; waits up to `timeout`.
  void stop_and_wait(std::chrono::milliseconds timeout);
  bool stopping() const { return stopping_.load(); }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int active_ = 0;
  std::atomic<bool> stopping_{false};
};

class StreamRelay : public std::enable_shared_from_this<StreamRelay> {
 public:
  struct Callbacks {
    // Each parsed upstream chunk that reached the client (for run deltas).
    std::function<void(const nlohmann::json& chunk)> on_chunk;
    // The upstream finished; called before the client gets [DONE], so that whatever it records
    // is in place when the client moves on.
    std::function<void()> on_end;
    // The stream ended and reached the client completely: the concatenated chunk texts and the
    // usage object of the final chunk (null when the provider sent none).
    std::function<void(const std::string& chunks, const nlohmann::json& usage)> on_finish;
  };

  // Starts the transfer on a new thread. `hide_usage_chunk`: a chunk with no choices and a usage
  // object was requested by us, not by the client, and is not forwarded.
  static std::shared_ptr<StreamRelay> start(const Provider& provider, const std::string& path,
                                            std::string body, const UpstreamOptions& options,
                                            bool hide_usage_chunk, Callbacks callbacks,
                                            ActiveStreams& active);

  // Blocks until the upstream answered: nullopt when it streams (2xx), else the failure, with
  // the transfer already finished.
  std::optional<UpstreamAnswer> wait_for_answer();
  // Hands over the client's stream; the relay owns it from now on.
  void attach(std::shared_ptr<http::SseWriter> writer);
  // Gives up (the client's stream will never come, or the handler moves on).
  void cancel();

 private:
  StreamRelay(bool hide_usage_chunk, Callbacks callbacks, ActiveStreams& active);
  void run(util::HttpRequest request, std::chrono::milliseconds idle_timeout);
  bool on_piece(long status, std::string_view piece);
  void on_event(const std::string& data);
  void end_stream(bool upstream_complete);

  const bool hide_usage_chunk_;
  Callbacks callbacks_;
  ActiveStreams& active_;

  std::mutex mutex_;
  std::condition_variable changed_;
  bool answered_ = false;   // the handler may stop waiting
  bool streaming_ = false;  // a 2xx came back
  UpstreamAnswer failure_;
  std::shared_ptr<http::SseWriter> writer_;  // set once by attach(), then read by the thread only
  std::atomic<bool> cancelled_{false};

  // Owned by the transfer thread.
  long status_ = 0;
  SseParser parser_;
  std::string chunks_;
  nlohmann::json usage_;
};

}  // namespace nearhub::inference
