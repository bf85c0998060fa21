#pragma once
// Where streamed chat deltas go when a run is streaming through /v1/chat/completions (spec §4.4:
// the `run_id`, `thread_id` and `message_id` request headers). The original inserted rows into a
// `deltas` table; here the threads area plugs its run events in by implementing this interface
// and passing it to the Gateway (src/app/serve.cpp, where add_inference_routes is called).
// Until then NoRunDeltaSink drops them.

#include <string>

namespace nearhub::inference {

struct RunDeltaTarget {
  std::string run_id;  // never empty: without a run_id header nothing is recorded
  std::string thread_id;
  std::string message_id;
};

class RunDeltaSink {
 public:
  virtual ~RunDeltaSink() = default;
  // One chunk's choices[0].delta.content (non-null). Called on the stream's relay thread, in
  // order; must not block for long.
  virtual void on_delta(const RunDeltaTarget& target, const std::string& text) = 0;
  // The stream reached its end ("thread.message.completed" in the original).
  virtual void on_completed(const RunDeltaTarget& target) = 0;
};

class NoRunDeltaSink final : public RunDeltaSink {
 public:
  void on_delta(const RunDeltaTarget&, const std::string&) override {}
  void on_completed(const RunDeltaTarget&) override {}
};

}  // namespace nearhub::inference
