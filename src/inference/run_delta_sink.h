#pragma once
// Where streamed chat deltas go when a run is streaming through /v1/chat/completions (spec §4.4:
// the `run_id`, `thread_id` and `message_id` request headers). The original inserted rows into a
// `deltas` table; here the threads area records them as run events (threads/run_delta_recorder.h)
// and app/ hands that recorder to the Gateway. NoRunDeltaSink drops them (unit tests).

#include <functional>
#include <string>

namespace nearhub::inference {

struct RunDeltaTarget {
  std::string run_id;  // never empty: without a run_id header nothing is recorded
  std::string thread_id;
  std::string message_id;
  std::string account_id;  // the caller: only the run's owner may add to its stream
};

class RunDeltaSink {
 public:
  virtual ~RunDeltaSink() = default;
  // One chunk's choices[0].delta.content (non-null). Called in order on the gateway's upstream
  // thread, which relays every stream: must not block (queue, do not write).
  virtual void on_delta(const RunDeltaTarget& target, const std::string& text) = 0;
  // The stream reached its end ("thread.message.completed" in the original). Must not block
  // either: calls `then` (on any thread) once everything recorded for the stream is in place,
  // and the client gets [DONE] from it, so that what the agent does next comes after the deltas.
  virtual void on_completed(const RunDeltaTarget& target, std::function<void()> then) = 0;
  // Returns once every `then` given so far has been called: the gateway calls it before it goes,
  // since a `then` finishes a stream through the gateway.
  virtual void flush() = 0;
};

class NoRunDeltaSink final : public RunDeltaSink {
 public:
  void on_delta(const RunDeltaTarget&, const std::string&) override {}
  void on_completed(const RunDeltaTarget&, std::function<void()> then) override { then(); }
  void flush() override {}
};

}  // namespace nearhub::inference
