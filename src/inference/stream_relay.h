#pragma once
// Relays one upstream SSE stream to one client, on the gateway's AsyncHttpClient: no thread is
// held while the provider thinks or between its chunks. Each upstream event is written to the
// client's SseWriter as it arrives (never buffered whole), and a client that goes away cancels
// the upstream transfer.
//
// Life of a relay:
//   1. start(): the transfer begins.
//   2. The upstream answers: on_answer gets nullopt for a 2xx (the transfer then pauses until
//      the client's stream exists), or the failure (no connection, non-2xx) once the transfer
//      is over. Nothing has been sent to the client yet, so the caller may retry or fall back.
//   3. attach(writer) (from Response::event_stream's start callback) resumes it; events flow.
//   4. The upstream ends: "data: [DONE]" is sent and on_finish gets the collected text and usage.
// Every callback runs on the client's thread and must not block for long.

#include <cstdint>
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
#include "util/http_async.h"

namespace nearhub::inference {

class StreamRelay : public std::enable_shared_from_this<StreamRelay> {
 public:
  struct Callbacks {
    // Each parsed upstream chunk that reached the client (for run deltas).
    std::function<void(const nlohmann::json& chunk)> on_chunk;
    // The upstream finished. The client gets [DONE] (and on_finish runs) when on_end calls
    // `then`, on any thread, so that whatever it records is in place when the client moves on.
    std::function<void(std::function<void()> then)> on_end;
    // The stream ended and reached the client completely: the concatenated chunk texts and the
    // usage object of the final chunk (null when the provider sent none).
    std::function<void(const std::string& chunks, const nlohmann::json& usage)> on_finish;
    // The client left before the end (the upstream transfer is cancelled): the chunk texts
    // relayed so far and how many of them carried text. Providers send about one token per
    // chunk, and the final usage chunk never comes.
    std::function<void(const std::string& chunks, std::int64_t text_chunks)> on_abandoned;
  };
  // nullopt: the upstream streams, attach() the client's stream; else why it failed.
  using OnAnswer = std::function<void(std::shared_ptr<StreamRelay> relay,
                                      std::optional<UpstreamAnswer> failure)>;

  // Starts the transfer (not before `not_before`). `hide_usage_chunk`: a chunk with no choices
  // and a usage object was requested by us, not by the client, and is not forwarded.
  static std::shared_ptr<StreamRelay> start(util::AsyncHttpClient& client, const Provider& provider,
                                            const std::string& path, std::string body,
                                            const UpstreamOptions& options, bool hide_usage_chunk,
                                            Callbacks callbacks, OnAnswer on_answer,
                                            util::AsyncHttpClient::Clock::time_point not_before);

  // Hands over the client's stream; the relay owns it from now on.
  void attach(std::shared_ptr<http::SseWriter> writer);
  // Gives up (the client's stream will never come, or the client left).
  void cancel();

 private:
  StreamRelay(bool hide_usage_chunk, Callbacks callbacks, OnAnswer on_answer);
  util::AsyncHttpClient::PieceAction on_piece(long status, std::string_view piece);
  void on_done(util::HttpOutcome outcome);
  void on_event(const std::string& data);
  void answer(std::optional<UpstreamAnswer> failure);
  // Sends [DONE], closes the client's stream and calls on_finish.
  void finish();

  const bool hide_usage_chunk_;
  Callbacks callbacks_;
  OnAnswer on_answer_;  // called once, then released

  std::mutex mutex_;  // guards the three below
  std::shared_ptr<util::AsyncHttpClient::TransferControl> control_;
  std::shared_ptr<http::SseWriter> writer_;  // set once by attach()
  bool cancelled_ = false;

  // Owned by the client's thread.
  bool answered_ = false;
  std::shared_ptr<http::SseWriter> attached_;  // writer_, once seen
  long status_ = 0;
  UpstreamAnswer failure_;
  SseParser parser_;
  std::string chunks_;
  std::int64_t text_chunks_ = 0;
  nlohmann::json usage_;
};

}  // namespace nearhub::inference
